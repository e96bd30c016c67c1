#include "groups/groups_sharing.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "federation/handler_util.h"
#include "federation/store.h"
#include "groups/groups_repository.h"

namespace jisr::groups {
namespace {

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::vector<std::string> Others(const std::vector<std::string>& agencies,
                                std::string_view self) {
  std::vector<std::string> out;
  for (const std::string& a : agencies) {
    if (a != self) out.push_back(a);
  }
  return out;
}

absl::Status CheckOwner(std::string_view owner, std::string_view agency,
                        std::string_view what, std::string_view id) {
  if (owner != agency) {
    return absl::FailedPreconditionError(fmt::format(
        "{} {} is owned by {}: {} never passes a partner's record on", what, id, owner,
        agency));
  }
  return absl::OkStatus();
}

absl::Status PublishWhole(db::Transaction& tx, const std::vector<std::string>& agencies,
                          std::string_view agency, std::span<const std::string> removed,
                          std::string_view kind, std::string_view purge_kind,
                          const std::string& record, std::string_view id, int64_t version,
                          const boost::json::object& body, absl::Time now) {
  const std::vector<std::string> to = Others(agencies, agency);
  if (!to.empty()) {
    JISR_RETURN_IF_ERROR(
        federation::Publish(tx, to, kind, record, version, ToJson(body), now));
  }
  const std::vector<std::string> gone = Others({removed.begin(), removed.end()}, agency);
  if (!gone.empty()) {
    JISR_RETURN_IF_ERROR(federation::Publish(tx, gone, purge_kind, record, version,
                                             ToJson(boost::json::object{{"id", id}}), now));
  }
  return absl::OkStatus();
}

absl::Status CheckEnvelope(const federation::Envelope& e, const std::string& record,
                           int64_t version, std::string_view owner,
                           const std::vector<std::string>& agencies,
                           const std::string& agency) {
  if (e.record_id != record) {
    return absl::InvalidArgumentError(
        fmt::format("record_id {} does not match the body ({})", e.record_id, record));
  }
  if (e.version != version) {
    return absl::InvalidArgumentError("the envelope's version is not the record's");
  }
  if (owner != e.from) {
    return absl::PermissionDeniedError(fmt::format(
        "{} is owned by {}: {} may not send it", record, owner, e.from));
  }
  if (!Has(agencies, agency)) {
    return absl::PermissionDeniedError(
        fmt::format("{} is not shared with {}", record, agency));
  }
  return absl::OkStatus();
}

absl::Status Audit(db::Transaction& tx, const audit::AuditLog& audit,
                   const federation::Envelope& e, std::string action, std::string object,
                   boost::json::object details) {
  audit::AuditEntry entry;
  entry.actor = fmt::format("peer:{}", e.from);
  entry.action = std::move(action);
  entry.object = std::move(object);
  entry.purpose = "federation";
  details["envelope"] = e.id;
  details["version"] = e.version;
  entry.details = ToJson(details);
  return audit.Append(tx, entry).status();
}

// Applies an upsert of a top-level record T (group, plan, operation).
template <typename T, typename Parse, typename Find, typename Save>
absl::Status ApplyWhole(db::Transaction& tx, const federation::Envelope& e,
                        const std::string& agency, const audit::AuditLog& audit,
                        const Clock& clock, std::string_view what, Parse parse,
                        std::string (*record_of)(std::string_view), Find find, Save save,
                        std::optional<T>* before = nullptr) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  absl::StatusOr<T> parsed = parse(body);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), what);
  T t = *std::move(parsed);
  t.version = e.version;
  JISR_RETURN_IF_ERROR(
      CheckEnvelope(e, record_of(t.id), e.version, t.owner, t.agencies, agency));
  JISR_ASSIGN_OR_RETURN(std::optional<T> stored, find(tx, t.id));
  if (stored && stored->owner != t.owner) {
    return absl::PermissionDeniedError(
        fmt::format("{} {} here is owned by {}", what, t.id, stored->owner));
  }
  if (stored && stored->version >= t.version) return absl::OkStatus();  // older
  const absl::Time now = TruncateToMillis(clock.Now());
  t.created_at = stored ? stored->created_at : now;
  t.updated_at = now;
  t.envelope_id = e.id;
  JISR_RETURN_IF_ERROR(save(tx, t, fmt::format("peer:{}", e.from)));
  const int64_t from_version = stored ? stored->version : 0;
  if (before) *before = std::move(stored);
  return Audit(tx, audit, e, fmt::format("{}.apply", what), fmt::format("{}/{}", what, t.id),
               {{"from_version", from_version}});
}

absl::Status ApplyPurge(db::Transaction& tx, const federation::Envelope& e,
                        const audit::AuditLog& audit, std::string_view what,
                        std::string (*record_of)(std::string_view),
                        absl::StatusOr<std::optional<std::string>> (*owner_of)(
                            db::Transaction&, std::string_view),
                        absl::StatusOr<bool> (*del)(db::Transaction&, std::string_view)) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  JsonObjectReader r(body);
  absl::StatusOr<std::string> id = r.RequiredString("id", 64);
  if (!id.ok()) return federation::RefusedContent(id.status(), what);
  if (!IsUuid(*id)) return absl::InvalidArgumentError("id must be a UUID");
  if (e.record_id != record_of(*id)) {
    return absl::InvalidArgumentError("record_id does not match the body");
  }
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> owner, owner_of(tx, *id));
  if (!owner) return absl::OkStatus();  // nothing held here
  if (*owner != e.from) {
    return absl::PermissionDeniedError(
        fmt::format("{} {} is owned by {}: {} may not purge it", what, *id, *owner, e.from));
  }
  JISR_ASSIGN_OR_RETURN(bool deleted, del(tx, *id));
  return Audit(tx, audit, e, fmt::format("{}.purge", what), fmt::format("{}/{}", what, *id),
               {{"deleted", deleted}});
}

template <typename T, absl::StatusOr<std::optional<T>> (*kFind)(db::Transaction&,
                                                                std::string_view)>
absl::StatusOr<std::optional<std::string>> OwnerOf(db::Transaction& tx, std::string_view id) {
  JISR_ASSIGN_OR_RETURN(std::optional<T> t, kFind(tx, id));
  if (!t) return std::optional<std::string>();
  return std::optional<std::string>(t->owner);
}

absl::Status ApplyItem(db::Transaction& tx, const federation::Envelope& e,
                       const std::string& agency, const audit::AuditLog& audit,
                       const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  const auto kind_it = body.find("kind");
  if (kind_it == body.end() || !kind_it->value().is_string()) {
    return absl::InvalidArgumentError("invalid plan item: kind is required");
  }
  const std::string_view kind_name = kind_it->value().as_string();
  if (kind_name != "objective" && kind_name != "action") {
    return absl::InvalidArgumentError("invalid plan item: kind must be objective or action");
  }
  const ItemKind kind = kind_name == "objective" ? ItemKind::kObjective : ItemKind::kAction;
  absl::StatusOr<PlanItem> parsed = ItemFromJson(body, kind, JsonForm::kShared);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), "plan item");
  PlanItem item = *std::move(parsed);
  JISR_ASSIGN_OR_RETURN(std::optional<Plan> plan, FindPlan(tx, item.plan_id));
  // The plan's envelope may still be on its way: this one is sent again.
  if (!plan) return federation::RetryLater(fmt::format("no plan {} here yet", item.plan_id));
  if (!Has(plan->agencies, e.from)) {
    return absl::PermissionDeniedError(
        fmt::format("{} is not an agency of plan {}", e.from, plan->id));
  }
  JISR_RETURN_IF_ERROR(
      CheckEnvelope(e, ItemRecord(item), item.version, item.owner, plan->agencies, agency));
  if (kind == ItemKind::kAction) {
    JISR_ASSIGN_OR_RETURN(std::optional<PlanItem> objective,
                          FindItem(tx, ItemKind::kObjective, item.objective_id));
    if (!objective || objective->plan_id != item.plan_id) {
      return federation::RetryLater(
          fmt::format("no objective {} of plan {} here yet", item.objective_id, item.plan_id));
    }
  }
  JISR_ASSIGN_OR_RETURN(std::optional<PlanItem> stored, FindItem(tx, kind, item.id));
  if (stored && (stored->owner != item.owner || stored->plan_id != item.plan_id)) {
    return absl::PermissionDeniedError(fmt::format("{} {} here is owned by {}", kind_name,
                                                   item.id, stored->owner));
  }
  if (stored && stored->version >= item.version) return absl::OkStatus();
  const absl::Time now = TruncateToMillis(clock.Now());
  item.created_at = stored ? stored->created_at : now;
  item.updated_at = now;
  item.envelope_id = e.id;
  JISR_RETURN_IF_ERROR(SaveItem(tx, item, fmt::format("peer:{}", e.from)));
  return Audit(tx, audit, e, "plan.apply",
               fmt::format("plan/{}/{}/{}", item.plan_id, kind_name, item.id),
               {{"from_version", stored ? stored->version : 0}, {"state", item.state}});
}

// Applies a partner's progress on a task of one of this agency's groups and
// publishes the group's new version to every other agency.
absl::Status ApplyTaskProgress(db::Transaction& tx, const federation::Envelope& e,
                               const std::string& agency, const audit::AuditLog& audit,
                               const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  absl::StatusOr<TaskProgress> parsed = TaskProgressFromJson(body, JsonForm::kShared);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), "task progress");
  const TaskProgress& p = *parsed;
  if (e.record_id != TaskRecord(p.task_id)) {
    return absl::InvalidArgumentError("record_id does not match the body");
  }
  JISR_ASSIGN_OR_RETURN(std::optional<WorkingGroup> g, FindGroup(tx, p.group_id));
  if (!g) return absl::NotFoundError(fmt::format("no working group {} here", p.group_id));
  if (g->owner != agency) {
    return absl::PermissionDeniedError(fmt::format(
        "working group {} is owned by {}: {} applies no task progress on it", g->id, g->owner,
        agency));
  }
  const auto task = std::find_if(g->tasks.begin(), g->tasks.end(),
                                 [&](const Task& t) { return t.id == p.task_id; });
  if (task == g->tasks.end()) {
    return absl::NotFoundError(fmt::format("no task {} in working group {}", p.task_id, g->id));
  }
  if (task->owner_agency != e.from || !Has(g->agencies, e.from)) {
    return absl::PermissionDeniedError(fmt::format(
        "task {} is carried out by {}: {} may not report its progress", p.task_id,
        task->owner_agency, e.from));
  }
  const std::string from_state = task->state;
  task->state = p.state;
  if (p.assignee) task->assignee = *p.assignee;
  const absl::Time now = TruncateToMillis(clock.Now());
  g->version += 1;
  g->updated_at = now;
  JISR_RETURN_IF_ERROR(SaveGroup(tx, *g, fmt::format("peer:{}", e.from)));
  JISR_RETURN_IF_ERROR(PublishGroup(tx, *g, agency, {}, now));
  return Audit(tx, audit, e, "group.task_apply", fmt::format("group/{}", g->id),
               {{"task", p.task_id}, {"from_state", from_state}, {"state", p.state},
                {"group_version", g->version}});
}

}  // namespace

std::string GroupRecord(std::string_view id) { return fmt::format("group:{}", id); }
std::string PlanRecord(std::string_view id) { return fmt::format("plan:{}", id); }
std::string ItemRecord(const PlanItem& item) {
  return fmt::format("{}:{}",
                     item.kind == ItemKind::kObjective ? "plan-objective" : "plan-action",
                     item.id);
}
std::string OperationRecord(std::string_view id) { return fmt::format("operation:{}", id); }
std::string TaskRecord(std::string_view id) { return fmt::format("group-task:{}", id); }

absl::Status PublishTaskProgress(db::Transaction& tx, const WorkingGroup& g,
                                 const TaskProgress& p, std::string_view agency,
                                 int64_t version, absl::Time now) {
  if (g.owner == agency) {
    return absl::FailedPreconditionError(fmt::format(
        "working group {} is {}'s own: its new version is published instead", g.id, agency));
  }
  const auto task = std::find_if(g.tasks.begin(), g.tasks.end(),
                                 [&](const Task& t) { return t.id == p.task_id; });
  if (task == g.tasks.end() || task->owner_agency != agency) {
    return absl::FailedPreconditionError(
        fmt::format("{} does not carry out task {} of group {}", agency, p.task_id, g.id));
  }
  const std::vector<std::string> to{g.owner};
  return federation::Publish(tx, to, kTaskProgressKind, TaskRecord(p.task_id), version,
                             ToJson(TaskProgressToJson(p)), now);
}

absl::Status PublishGroup(db::Transaction& tx, const WorkingGroup& g, std::string_view agency,
                          std::span<const std::string> removed, absl::Time now) {
  JISR_RETURN_IF_ERROR(CheckOwner(g.owner, agency, "group", g.id));
  return PublishWhole(tx, g.agencies, agency, removed, kGroupKind, kGroupPurgeKind,
                      GroupRecord(g.id), g.id, g.version, GroupToJson(g), now);
}

absl::Status PublishPlan(db::Transaction& tx, const Plan& p, std::string_view agency,
                         std::span<const std::string> removed, absl::Time now) {
  JISR_RETURN_IF_ERROR(CheckOwner(p.owner, agency, "plan", p.id));
  return PublishWhole(tx, p.agencies, agency, removed, kPlanKind, kPlanPurgeKind,
                      PlanRecord(p.id), p.id, p.version, PlanToJson(p), now);
}

absl::Status PublishOperation(db::Transaction& tx, const Operation& op,
                              std::string_view agency, std::span<const std::string> removed,
                              absl::Time now) {
  JISR_RETURN_IF_ERROR(CheckOwner(op.owner, agency, "operation", op.id));
  return PublishWhole(tx, op.agencies, agency, removed, kOperationKind, kOperationPurgeKind,
                      OperationRecord(op.id), op.id, op.version, OperationToJson(op), now);
}

absl::Status PublishItem(db::Transaction& tx, const PlanItem& item, const Plan& plan,
                         std::string_view agency, absl::Time now,
                         std::span<const std::string> to) {
  JISR_RETURN_IF_ERROR(CheckOwner(item.owner, agency, "plan item", item.id));
  std::vector<std::string> recipients;
  for (const std::string& a : Others(plan.agencies, agency)) {
    if (to.empty() || std::find(to.begin(), to.end(), a) != to.end()) recipients.push_back(a);
  }
  if (recipients.empty()) return absl::OkStatus();
  return federation::Publish(tx, recipients, kItemKind, ItemRecord(item), item.version,
                             ToJson(ItemToJson(item)), now);
}

absl::Status RegisterGroupsHandlers(federation::Receiver& receiver, std::string agency,
                                    const audit::AuditLog& audit, const Clock& clock) {
  const audit::AuditLog* log = &audit;
  const Clock* clk = &clock;
  JISR_RETURN_IF_ERROR(receiver.Register(
      kGroupKind, [agency, log, clk](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyWhole<WorkingGroup>(
            tx, e, agency, *log, *clk, "group",
            [](const boost::json::object& o) { return GroupFromJson(o, JsonForm::kShared); },
            &GroupRecord, &FindGroup, &SaveGroup);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kTaskProgressKind, [agency, log, clk](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyTaskProgress(tx, e, agency, *log, *clk);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kPlanKind, [agency, log, clk](db::Transaction& tx, const federation::Envelope& e) {
        std::optional<Plan> before;
        JISR_RETURN_IF_ERROR(ApplyWhole<Plan>(
            tx, e, agency, *log, *clk, "plan",
            [](const boost::json::object& o) { return PlanFromJson(o, JsonForm::kShared); },
            &PlanRecord, &FindPlan, &SavePlan, &before));
        // Agencies newly added get this node's own objectives and actions.
        JISR_ASSIGN_OR_RETURN(std::optional<Plan> plan,
                              FindPlan(tx, e.record_id.substr(PlanRecord("").size())));
        if (!plan || !before) return absl::OkStatus();
        std::vector<std::string> added;
        for (const std::string& a : plan->agencies) {
          if (a != agency && !Has(before->agencies, a)) added.push_back(a);
        }
        if (added.empty()) return absl::OkStatus();
        const absl::Time now = TruncateToMillis(clk->Now());
        for (ItemKind kind : {ItemKind::kObjective, ItemKind::kAction}) {
          JISR_ASSIGN_OR_RETURN(std::vector<PlanItem> items, ListItems(tx, kind, plan->id));
          for (const PlanItem& item : items) {
            if (item.owner != agency) continue;
            JISR_RETURN_IF_ERROR(
                PublishItem(tx, item, *plan, agency, now + absl::Milliseconds(1), added));
          }
        }
        return absl::OkStatus();
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kItemKind, [agency, log, clk](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyItem(tx, e, agency, *log, *clk);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kOperationKind, [agency, log, clk](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyWhole<Operation>(
            tx, e, agency, *log, *clk, "operation",
            [](const boost::json::object& o) {
              return OperationFromJson(o, JsonForm::kShared);
            },
            &OperationRecord, &FindOperation, &SaveOperation);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kGroupPurgeKind, [log](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyPurge(tx, e, *log, "group", &GroupRecord,
                          &OwnerOf<WorkingGroup, &FindGroup>, &DeleteGroup);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kPlanPurgeKind, [log](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyPurge(tx, e, *log, "plan", &PlanRecord, &OwnerOf<Plan, &FindPlan>,
                          &DeletePlan);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kOperationPurgeKind, [log](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyPurge(tx, e, *log, "operation", &OperationRecord,
                          &OwnerOf<Operation, &FindOperation>, &DeleteOperation);
      }));
  return absl::OkStatus();
}

}  // namespace jisr::groups
