#include "groups/groups_service.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "common/ids.h"
#include "common/json.h"
#include "common/record_errors.h"
#include "common/status.h"
#include "federation/store.h"
#include "groups/groups_sharing.h"
#include "security/audited_call.h"
#include "security/service_util.h"

namespace jisr::groups {

using security::Action;
using security::Principal;
using security::internal::SanitizeText;

namespace {

std::string Object(std::string_view what, std::string_view id) {
  return fmt::format("{}/{}", what, SanitizeText(id, 64));
}

std::vector<std::string> Removed(const std::vector<std::string>& before,
                                 const std::vector<std::string>& after) {
  std::vector<std::string> out;
  for (const std::string& a : before) {
    if (std::find(after.begin(), after.end(), a) == after.end()) out.push_back(a);
  }
  return out;
}

}  // namespace

GroupsService::GroupsService(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
                             GroupsOptions options)
    : db_(db), audit_(audit), clock_(clock), options_(std::move(options)) {}

absl::Status GroupsService::Run(
    const Principal& who, Action action, std::string object, std::string_view purpose,
    absl::FunctionRef<absl::Status(db::Transaction&, boost::json::object&, std::string&)> fn) {
  return security::AuditedWrite(db_, audit_, who, action, std::move(object), purpose, fn);
}

// Puts this agency first and checks the others are registered partners.
absl::Status GroupsService::CheckPartners(db::Transaction& tx,
                                          std::vector<std::string>& agencies) {
  agencies.erase(std::remove(agencies.begin(), agencies.end(), options_.agency),
                 agencies.end());
  for (size_t i = 0; i < agencies.size(); ++i) {
    JISR_ASSIGN_OR_RETURN(std::optional<federation::Peer> peer,
                          federation::FindPeer(tx, agencies[i]));
    if (!peer) {
      return InvalidField(fmt::format("agencies[{}]", i),
                          fmt::format("{} is not a registered partner of this node",
                                      agencies[i]));
    }
  }
  agencies.insert(agencies.begin(), options_.agency);
  return absl::OkStatus();
}

// ---- working groups ---------------------------------------------------------

absl::StatusOr<WorkingGroup> GroupsService::CreateGroup(const Principal& who,
                                                        WorkingGroup input,
                                                        std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  WorkingGroup g = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kGroupCreate, "group", purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string& object) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckPartners(tx, g.agencies));
    g.id = NewUuidV7(now);
    g.owner = options_.agency;
    g.version = 1;
    g.created_at = g.updated_at = now;
    for (Task& t : g.tasks) {
      if (t.id.empty()) t.id = NewUuidV7(now);
    }
    JISR_RETURN_IF_ERROR(ValidateGroup(g));
    JISR_RETURN_IF_ERROR(SaveGroup(tx, g, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishGroup(tx, g, options_.agency, {}, now));
    object = Object("group", g.id);
    details["version"] = g.version;
    details["agencies"] = boost::json::value_from(g.agencies);
    return absl::OkStatus();
  }));
  return g;
}

absl::StatusOr<WorkingGroup> GroupsService::GetGroup(const Principal& who, std::string_view id,
                                                     std::string_view purpose) {
  WorkingGroup g;
  JISR_RETURN_IF_ERROR(Run(who, Action::kGroupRead, Object("group", id), purpose,
                           [&](db::Transaction& tx, boost::json::object&,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(id));
    JISR_ASSIGN_OR_RETURN(std::optional<WorkingGroup> found, FindGroup(tx, id));
    if (!found) return absl::NotFoundError(fmt::format("no working group with id {}", id));
    g = *std::move(found);
    return absl::OkStatus();
  }));
  return g;
}

absl::StatusOr<Page<WorkingGroup>> GroupsService::ListGroups(const Principal& who,
                                                             int64_t page, int64_t page_size,
                                                             std::string_view purpose,
                                                             std::string_view domain) {
  Page<WorkingGroup> out;
  JISR_RETURN_IF_ERROR(Run(who, Action::kGroupRead, "group", purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(auto paging, PageWindow(page, page_size, kMaxPageSize));
    if (!domain.empty()) {
      const auto names = DomainNames();
      if (std::find(names.begin(), names.end(), domain) == names.end()) {
        return InvalidField("domain", fmt::format("domain must be one of {}",
                                                  fmt::join(names, ", ")));
      }
      details["domain"] = std::string(domain);
    }
    JISR_ASSIGN_OR_RETURN(out, groups::ListGroups(tx, paging.first, paging.second, domain));
    details["returned"] = static_cast<int64_t>(out.items.size());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<WorkingGroup> GroupsService::UpdateGroup(const Principal& who,
                                                        std::string_view id,
                                                        WorkingGroup input,
                                                        std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  WorkingGroup g = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kGroupUpdate, Object("group", id), purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(id));
    JISR_ASSIGN_OR_RETURN(std::optional<WorkingGroup> stored, FindGroup(tx, id));
    if (!stored) return absl::NotFoundError(fmt::format("no working group with id {}", id));
    if (stored->owner != options_.agency) return NotOwnedHere("working group", id, stored->owner);
    if (stored->version != g.version) return StaleVersion("the working group", g.version, stored->version);
    JISR_RETURN_IF_ERROR(CheckPartners(tx, g.agencies));
    g.id = stored->id;
    g.owner = stored->owner;
    g.version = stored->version + 1;
    g.created_at = stored->created_at;
    g.updated_at = now;
    for (Task& t : g.tasks) {
      if (t.id.empty()) t.id = NewUuidV7(now);
    }
    JISR_RETURN_IF_ERROR(ValidateGroup(g));
    JISR_RETURN_IF_ERROR(SaveGroup(tx, g, who.Actor()));
    const std::vector<std::string> removed = Removed(stored->agencies, g.agencies);
    JISR_RETURN_IF_ERROR(PublishGroup(tx, g, options_.agency, removed, now));
    details["version"] = g.version;
    details["removed_agencies"] = boost::json::value_from(removed);
    return absl::OkStatus();
  }));
  return g;
}

absl::StatusOr<WorkingGroup> GroupsService::UpdateTask(const Principal& who,
                                                       std::string_view group_id,
                                                       std::string_view task_id,
                                                       TaskProgress progress,
                                                       std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  WorkingGroup g;
  JISR_RETURN_IF_ERROR(Run(who, Action::kGroupUpdate, Object("group", group_id), purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(group_id, "group_id"));
    JISR_RETURN_IF_ERROR(CheckUuid(task_id, "task_id"));
    JISR_ASSIGN_OR_RETURN(std::optional<WorkingGroup> stored, FindGroup(tx, group_id));
    if (!stored) return absl::NotFoundError(fmt::format("no working group with id {}", group_id));
    g = *std::move(stored);
    const auto task = std::find_if(g.tasks.begin(), g.tasks.end(),
                                   [&](const Task& t) { return t.id == task_id; });
    if (task == g.tasks.end()) {
      return absl::NotFoundError(
          fmt::format("no task {} in working group {}", task_id, group_id));
    }
    const bool owner = g.owner == options_.agency;
    if (!owner && task->owner_agency != options_.agency) {
      return absl::FailedPreconditionError(fmt::format(
          "task {} is carried out by {} in a working group of {}: only they change it",
          task_id, task->owner_agency, g.owner));
    }
    progress.group_id = g.id;
    progress.task_id = task->id;
    details["task"] = task->id;
    details["from_state"] = task->state;
    details["state"] = progress.state;
    task->state = progress.state;
    if (progress.assignee) task->assignee = *progress.assignee;
    g.updated_at = now;
    if (owner) {
      g.version += 1;
      JISR_RETURN_IF_ERROR(SaveGroup(tx, g, who.Actor()));
      JISR_RETURN_IF_ERROR(PublishGroup(tx, g, options_.agency, {}, now));
      details["version"] = g.version;
      return absl::OkStatus();
    }
    // A partner's group: the copy shows the progress now; the owner's next
    // version confirms it.
    JISR_RETURN_IF_ERROR(SaveGroup(tx, g, who.Actor()));
    details["sent_to"] = g.owner;
    // Versioned by time, and always above the last report sent (two reports
    // in one millisecond, or a clock stepped back).
    JISR_ASSIGN_OR_RETURN(std::optional<int64_t> last,
                          federation::LastPublishedVersion(tx, TaskRecord(progress.task_id)));
    const int64_t version = std::max(absl::ToUnixMillis(now), last ? *last + 1 : int64_t{1});
    return PublishTaskProgress(tx, g, progress, options_.agency, version, now);
  }));
  return g;
}

// ---- plans ------------------------------------------------------------------

absl::StatusOr<Plan> GroupsService::CreatePlan(const Principal& who, Plan input,
                                               std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  Plan p = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kPlanCreate, "plan", purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string& object) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckPartners(tx, p.agencies));
    p.id = NewUuidV7(now);
    p.owner = options_.agency;
    p.version = 1;
    p.created_at = p.updated_at = now;
    JISR_RETURN_IF_ERROR(ValidatePlan(p));
    JISR_RETURN_IF_ERROR(SavePlan(tx, p, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishPlan(tx, p, options_.agency, {}, now));
    object = Object("plan", p.id);
    details["version"] = p.version;
    return absl::OkStatus();
  }));
  return p;
}

absl::StatusOr<PlanView> GroupsService::GetPlan(const Principal& who, std::string_view id,
                                                std::string_view purpose) {
  PlanView v;
  JISR_RETURN_IF_ERROR(Run(who, Action::kPlanRead, Object("plan", id), purpose,
                           [&](db::Transaction& tx, boost::json::object&,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(id));
    JISR_ASSIGN_OR_RETURN(std::optional<Plan> plan, FindPlan(tx, id));
    if (!plan) return absl::NotFoundError(fmt::format("no plan with id {}", id));
    v.plan = *std::move(plan);
    JISR_ASSIGN_OR_RETURN(v.objectives, ListItems(tx, ItemKind::kObjective, id));
    JISR_ASSIGN_OR_RETURN(v.actions, ListItems(tx, ItemKind::kAction, id));
    return absl::OkStatus();
  }));
  return v;
}

absl::StatusOr<Page<Plan>> GroupsService::ListPlans(const Principal& who, int64_t page,
                                                    int64_t page_size,
                                                    std::string_view purpose) {
  Page<Plan> out;
  JISR_RETURN_IF_ERROR(Run(who, Action::kPlanRead, "plan", purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(auto paging, PageWindow(page, page_size, kMaxPageSize));
    JISR_ASSIGN_OR_RETURN(out, groups::ListPlans(tx, paging.first, paging.second));
    details["returned"] = static_cast<int64_t>(out.items.size());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Plan> GroupsService::UpdatePlan(const Principal& who, std::string_view id,
                                               Plan input, std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  Plan p = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kPlanUpdate, Object("plan", id), purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(id));
    JISR_ASSIGN_OR_RETURN(std::optional<Plan> stored, FindPlan(tx, id));
    if (!stored) return absl::NotFoundError(fmt::format("no plan with id {}", id));
    if (stored->owner != options_.agency) return NotOwnedHere("plan", id, stored->owner);
    if (stored->version != p.version) return StaleVersion("the plan", p.version, stored->version);
    JISR_RETURN_IF_ERROR(CheckPartners(tx, p.agencies));
    p.id = stored->id;
    p.owner = stored->owner;
    p.version = stored->version + 1;
    p.created_at = stored->created_at;
    p.updated_at = now;
    JISR_RETURN_IF_ERROR(ValidatePlan(p));
    JISR_RETURN_IF_ERROR(SavePlan(tx, p, who.Actor()));
    const std::vector<std::string> removed = Removed(stored->agencies, p.agencies);
    JISR_RETURN_IF_ERROR(PublishPlan(tx, p, options_.agency, removed, now));
    // New agencies get this node's own objectives and actions too.
    std::vector<std::string> added;
    for (const std::string& a : p.agencies) {
      if (std::find(stored->agencies.begin(), stored->agencies.end(), a) ==
          stored->agencies.end()) {
        added.push_back(a);
      }
    }
    if (!added.empty()) {
      for (ItemKind kind : {ItemKind::kObjective, ItemKind::kAction}) {
        JISR_ASSIGN_OR_RETURN(std::vector<PlanItem> items, ListItems(tx, kind, p.id));
        for (const PlanItem& item : items) {
          if (item.owner != options_.agency) continue;
          // One millisecond later: the outbox orders by UUIDv7, random within
          // a millisecond, and the plan must reach the new agency first.
          JISR_RETURN_IF_ERROR(PublishItem(tx, item, p, options_.agency,
                                           now + absl::Milliseconds(1), added));
        }
      }
    }
    details["version"] = p.version;
    return absl::OkStatus();
  }));
  return p;
}

absl::StatusOr<PlanItem> GroupsService::CreateItem(const Principal& who,
                                                   std::string_view plan_id, PlanItem input,
                                                   std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  PlanItem it = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kPlanUpdate, Object("plan", plan_id), purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string& object) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(plan_id, "plan_id"));
    JISR_ASSIGN_OR_RETURN(std::optional<Plan> plan, FindPlan(tx, plan_id));
    if (!plan) return absl::NotFoundError(fmt::format("no plan with id {}", plan_id));
    if (std::find(plan->agencies.begin(), plan->agencies.end(), options_.agency) ==
        plan->agencies.end()) {
      return absl::FailedPreconditionError(
          fmt::format("{} is not an agency of plan {}", options_.agency, plan_id));
    }
    if (plan->state != "active") {
      return absl::FailedPreconditionError(fmt::format("plan {} is closed", plan_id));
    }
    if (it.kind == ItemKind::kAction) {
      JISR_ASSIGN_OR_RETURN(std::optional<PlanItem> objective,
                            FindItem(tx, ItemKind::kObjective, it.objective_id));
      if (!objective || objective->plan_id != plan->id) {
        return InvalidField("objective_id",
                            fmt::format("no objective {} in plan {}", it.objective_id, plan_id));
      }
    }
    it.id = NewUuidV7(now);
    it.plan_id = plan->id;
    it.owner = options_.agency;
    it.version = 1;
    it.created_at = it.updated_at = now;
    for (Milestone& m : it.milestones) {
      if (m.id.empty()) m.id = NewUuidV7(now);
    }
    JISR_RETURN_IF_ERROR(ValidateItem(it));
    JISR_RETURN_IF_ERROR(SaveItem(tx, it, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishItem(tx, it, *plan, options_.agency, now));
    object = fmt::format("plan/{}/{}/{}", plan->id,
                         it.kind == ItemKind::kObjective ? "objective" : "action", it.id);
    details["version"] = it.version;
    return absl::OkStatus();
  }));
  return it;
}

absl::StatusOr<PlanItem> GroupsService::UpdateItem(const Principal& who,
                                                   std::string_view plan_id,
                                                   std::string_view id, PlanItem input,
                                                   std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  PlanItem it = std::move(input);
  const std::string_view kind_name = it.kind == ItemKind::kObjective ? "objective" : "action";
  JISR_RETURN_IF_ERROR(Run(
      who, Action::kPlanUpdate,
      fmt::format("plan/{}/{}/{}", SanitizeText(plan_id, 64), kind_name, SanitizeText(id, 64)),
      purpose,
      [&](db::Transaction& tx, boost::json::object& details, std::string&) -> absl::Status {
        JISR_RETURN_IF_ERROR(CheckUuid(plan_id, "plan_id"));
        JISR_RETURN_IF_ERROR(CheckUuid(id));
        JISR_ASSIGN_OR_RETURN(std::optional<Plan> plan, FindPlan(tx, plan_id));
        JISR_ASSIGN_OR_RETURN(std::optional<PlanItem> stored, FindItem(tx, it.kind, id));
        if (!plan || !stored || stored->plan_id != plan_id) {
          return absl::NotFoundError(fmt::format("no {} {} in plan {}", kind_name, id, plan_id));
        }
        if (stored->owner != options_.agency) return NotOwnedHere(kind_name, id, stored->owner);
        if (stored->version != it.version) {
          return StaleVersion(fmt::format("the {}", kind_name), it.version, stored->version);
        }
        if (it.kind == ItemKind::kAction && !it.objective_id.empty() &&
            it.objective_id != stored->objective_id) {
          JISR_ASSIGN_OR_RETURN(std::optional<PlanItem> objective,
                                FindItem(tx, ItemKind::kObjective, it.objective_id));
          if (!objective || objective->plan_id != stored->plan_id) {
            return InvalidField("objective_id", fmt::format("no objective {} in plan {}",
                                                            it.objective_id, plan_id));
          }
          details["moved_to_objective"] = it.objective_id;
        } else {
          it.objective_id = stored->objective_id;
        }
        it.id = stored->id;
        it.plan_id = stored->plan_id;
        it.owner = stored->owner;
        it.version = stored->version + 1;
        it.created_at = stored->created_at;
        it.updated_at = now;
        for (Milestone& m : it.milestones) {
          if (m.id.empty()) m.id = NewUuidV7(now);
        }
        JISR_RETURN_IF_ERROR(ValidateItem(it));
        JISR_RETURN_IF_ERROR(SaveItem(tx, it, who.Actor()));
        JISR_RETURN_IF_ERROR(PublishItem(tx, it, *plan, options_.agency, now));
        details["version"] = it.version;
        details["state"] = it.state;
        details["progress"] = it.progress;
        return absl::OkStatus();
      }));
  return it;
}

absl::StatusOr<Roadmap> GroupsService::GetRoadmap(const Principal& who, std::string_view id,
                                                  std::string_view purpose) {
  JISR_ASSIGN_OR_RETURN(PlanView v, GetPlan(who, id, purpose));
  return BuildRoadmap(v.plan, std::move(v.objectives), std::move(v.actions), clock_.Now());
}

// ---- operations -------------------------------------------------------------

absl::StatusOr<Operation> GroupsService::CreateOperation(const Principal& who,
                                                         Operation input,
                                                         std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  Operation op = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kOperationCreate, "operation", purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string& object) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckPartners(tx, op.agencies));
    if (!op.group_id.empty()) {
      JISR_ASSIGN_OR_RETURN(std::optional<WorkingGroup> g, FindGroup(tx, op.group_id));
      if (!g) return InvalidField("group_id", "no such working group here");
    }
    op.id = NewUuidV7(now);
    op.owner = options_.agency;
    op.version = 1;
    op.created_at = op.updated_at = now;
    if (op.report) op.report->submitted_at = now;
    JISR_RETURN_IF_ERROR(ValidateOperation(op));
    JISR_RETURN_IF_ERROR(SaveOperation(tx, op, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishOperation(tx, op, options_.agency, {}, now));
    object = Object("operation", op.id);
    details["version"] = op.version;
    details["code_name"] = op.code_name;
    return absl::OkStatus();
  }));
  return op;
}

absl::StatusOr<Operation> GroupsService::GetOperation(const Principal& who,
                                                      std::string_view id,
                                                      std::string_view purpose) {
  Operation op;
  JISR_RETURN_IF_ERROR(Run(who, Action::kOperationRead, Object("operation", id), purpose,
                           [&](db::Transaction& tx, boost::json::object&,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(id));
    JISR_ASSIGN_OR_RETURN(std::optional<Operation> found, FindOperation(tx, id));
    if (!found) return absl::NotFoundError(fmt::format("no operation with id {}", id));
    op = *std::move(found);
    return absl::OkStatus();
  }));
  return op;
}

absl::StatusOr<Page<Operation>> GroupsService::ListOperations(const Principal& who,
                                                              int64_t page, int64_t page_size,
                                                              std::string_view purpose) {
  Page<Operation> out;
  JISR_RETURN_IF_ERROR(Run(who, Action::kOperationRead, "operation", purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(auto paging, PageWindow(page, page_size, kMaxPageSize));
    JISR_ASSIGN_OR_RETURN(out, groups::ListOperations(tx, paging.first, paging.second));
    details["returned"] = static_cast<int64_t>(out.items.size());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Operation> GroupsService::UpdateOperation(const Principal& who,
                                                         std::string_view id,
                                                         Operation input,
                                                         std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  Operation op = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kOperationUpdate, Object("operation", id), purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(id));
    JISR_ASSIGN_OR_RETURN(std::optional<Operation> stored, FindOperation(tx, id));
    if (!stored) return absl::NotFoundError(fmt::format("no operation with id {}", id));
    if (stored->owner != options_.agency) return NotOwnedHere("operation", id, stored->owner);
    if (stored->version != op.version) return StaleVersion("the operation", op.version, stored->version);
    JISR_RETURN_IF_ERROR(CheckPartners(tx, op.agencies));
    if (!op.group_id.empty() && op.group_id != stored->group_id) {
      JISR_ASSIGN_OR_RETURN(std::optional<WorkingGroup> g, FindGroup(tx, op.group_id));
      if (!g) return InvalidField("group_id", "no such working group here");
    }
    op.id = stored->id;
    op.owner = stored->owner;
    op.version = stored->version + 1;
    op.created_at = stored->created_at;
    op.updated_at = now;
    if (op.report) {
      op.report->submitted_at =
          stored->report ? stored->report->submitted_at : now;  // first submission
    }
    JISR_RETURN_IF_ERROR(ValidateOperation(op));
    JISR_RETURN_IF_ERROR(SaveOperation(tx, op, who.Actor()));
    const std::vector<std::string> removed = Removed(stored->agencies, op.agencies);
    JISR_RETURN_IF_ERROR(PublishOperation(tx, op, options_.agency, removed, now));
    details["version"] = op.version;
    details["state"] = op.state;
    details["report"] = op.report.has_value();
    return absl::OkStatus();
  }));
  return op;
}

}  // namespace jisr::groups
