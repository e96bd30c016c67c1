#include "groups/groups_repository.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "db/versioned_records.h"

namespace jisr::groups {
namespace {

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }

db::Value Text(std::string_view s) { return db::Value(std::string(s)); }
db::Value OptMs(const std::optional<absl::Time>& t) {
  return t ? db::Value(Ms(*t)) : db::Value(db::Null{});
}

template <typename T, typename Parse>
absl::StatusOr<Page<T>> ListIn(db::Transaction& tx, std::string_view table, int64_t offset,
                               int64_t limit, Parse parse, std::string_view domain = {}) {
  Page<T> page;
  // Only working groups have a domain; "" lists every record.
  const std::string where = domain.empty() ? "" : " WHERE domain = $3";
  const db::Value filter = Text(domain);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> n,
      domain.empty()
          ? tx.Query(fmt::format("SELECT COUNT(*) FROM {}", table))
          : tx.Query(fmt::format("SELECT COUNT(*) FROM {} WHERE domain = $1", table), {filter}));
  page.total = n[0].GetInt(0);
  std::vector<db::Value> params{limit, offset};
  if (!domain.empty()) params.push_back(filter);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM {}{} ORDER BY updated_at DESC, id DESC "
                           "LIMIT $1 OFFSET $2",
                           db::kRecordColumns, table, where),
               params));
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(T t, db::RecordFromRow<T>(row, table, parse));
    page.items.push_back(std::move(t));
  }
  return page;
}

// Strips what does not belong in the stored body (kept in columns).
boost::json::object Body(boost::json::object o) {
  o.erase("version");
  o.erase("created_at");
  o.erase("updated_at");
  o["version"] = 1;  // the column holds the truth; parse needs one
  return o;
}

absl::StatusOr<WorkingGroup> ParseGroup(const boost::json::object& o) {
  return GroupFromJson(o, JsonForm::kShared);
}
absl::StatusOr<Plan> ParsePlan(const boost::json::object& o) {
  return PlanFromJson(o, JsonForm::kShared);
}
absl::StatusOr<Operation> ParseOperation(const boost::json::object& o) {
  return OperationFromJson(o, JsonForm::kShared);
}

std::string_view ItemTable(ItemKind kind) {
  return kind == ItemKind::kObjective ? "plan_objectives" : "plan_actions";
}

}  // namespace

absl::Status SaveGroup(db::Transaction& tx, const WorkingGroup& g,
                       std::string_view created_by) {
  return db::UpsertRecord(tx, "working_groups", g.id, {"owner", "name", "domain", "state"},
                {Text(g.owner), Text(g.name), Text(g.domain), Text(g.state)}, g.version,
                Body(GroupToJson(g)), created_by, g.created_at, g.updated_at, g.envelope_id);
}

absl::Status SavePlan(db::Transaction& tx, const Plan& p, std::string_view created_by) {
  return db::UpsertRecord(tx, "action_plans", p.id, {"owner", "title", "state"},
                {Text(p.owner), Text(p.title), Text(p.state)}, p.version,
                Body(PlanToJson(p)), created_by, p.created_at, p.updated_at, p.envelope_id);
}

absl::Status SaveItem(db::Transaction& tx, const PlanItem& i, std::string_view created_by) {
  if (i.kind == ItemKind::kObjective) {
    return db::UpsertRecord(tx, ItemTable(i.kind), i.id, {"plan_id", "owner", "title", "state", "due_at"},
                  {Text(i.plan_id), Text(i.owner), Text(i.title), Text(i.state),
                   OptMs(i.due_at)},
                  i.version, Body(ItemToJson(i)), created_by, i.created_at, i.updated_at,
                  i.envelope_id);
  }
  return db::UpsertRecord(tx, ItemTable(i.kind), i.id,
                {"plan_id", "objective_id", "owner", "title", "state", "due_at"},
                {Text(i.plan_id), Text(i.objective_id), Text(i.owner), Text(i.title),
                 Text(i.state), OptMs(i.due_at)},
                i.version, Body(ItemToJson(i)), created_by, i.created_at, i.updated_at,
                i.envelope_id);
}

absl::Status SaveOperation(db::Transaction& tx, const Operation& op,
                           std::string_view created_by) {
  return db::UpsertRecord(tx, "joint_operations", op.id,
                {"owner", "code_name", "state", "starts_at", "group_id"},
                {Text(op.owner), Text(op.code_name), Text(op.state), Ms(op.starts_at),
                 op.group_id.empty() ? db::Value(db::Null{}) : Text(op.group_id)},
                op.version, Body(OperationToJson(op)), created_by, op.created_at,
                op.updated_at, op.envelope_id);
}

absl::StatusOr<std::optional<WorkingGroup>> FindGroup(db::Transaction& tx,
                                                      std::string_view id) {
  return db::FindRecord<WorkingGroup>(tx, "working_groups", id, &ParseGroup);
}
absl::StatusOr<std::optional<Plan>> FindPlan(db::Transaction& tx, std::string_view id) {
  return db::FindRecord<Plan>(tx, "action_plans", id, &ParsePlan);
}
absl::StatusOr<std::optional<PlanItem>> FindItem(db::Transaction& tx, ItemKind kind,
                                                 std::string_view id) {
  return db::FindRecord<PlanItem>(tx, ItemTable(kind), id, [kind](const boost::json::object& o) {
    return ItemFromJson(o, kind, JsonForm::kShared);
  });
}
absl::StatusOr<std::optional<Operation>> FindOperation(db::Transaction& tx,
                                                       std::string_view id) {
  return db::FindRecord<Operation>(tx, "joint_operations", id, &ParseOperation);
}

absl::StatusOr<Page<WorkingGroup>> ListGroups(db::Transaction& tx, int64_t offset,
                                              int64_t limit, std::string_view domain) {
  return ListIn<WorkingGroup>(tx, "working_groups", offset, limit, &ParseGroup, domain);
}
absl::StatusOr<Page<Plan>> ListPlans(db::Transaction& tx, int64_t offset, int64_t limit) {
  return ListIn<Plan>(tx, "action_plans", offset, limit, &ParsePlan);
}
absl::StatusOr<Page<Operation>> ListOperations(db::Transaction& tx, int64_t offset,
                                               int64_t limit) {
  return ListIn<Operation>(tx, "joint_operations", offset, limit, &ParseOperation);
}

absl::StatusOr<std::vector<PlanItem>> ListItems(db::Transaction& tx, ItemKind kind,
                                                std::string_view plan_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM {} WHERE plan_id = $1 ORDER BY id", db::kRecordColumns,
                           ItemTable(kind)),
               {Text(plan_id)}));
  std::vector<PlanItem> out;
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(PlanItem i,
                          db::RecordFromRow<PlanItem>(row, ItemTable(kind),
                                            [kind](const boost::json::object& o) {
                                              return ItemFromJson(o, kind, JsonForm::kShared);
                                            }));
    out.push_back(std::move(i));
  }
  return out;
}

absl::StatusOr<bool> DeleteGroup(db::Transaction& tx, std::string_view id) {
  JISR_ASSIGN_OR_RETURN(int64_t n,
                        tx.Execute("DELETE FROM working_groups WHERE id = $1", {Text(id)}));
  return n > 0;
}

absl::StatusOr<bool> DeletePlan(db::Transaction& tx, std::string_view id) {
  JISR_RETURN_IF_ERROR(
      tx.Execute("DELETE FROM plan_actions WHERE plan_id = $1", {Text(id)}).status());
  JISR_RETURN_IF_ERROR(
      tx.Execute("DELETE FROM plan_objectives WHERE plan_id = $1", {Text(id)}).status());
  JISR_ASSIGN_OR_RETURN(int64_t n,
                        tx.Execute("DELETE FROM action_plans WHERE id = $1", {Text(id)}));
  return n > 0;
}

absl::StatusOr<bool> DeleteOperation(db::Transaction& tx, std::string_view id) {
  JISR_ASSIGN_OR_RETURN(int64_t n,
                        tx.Execute("DELETE FROM joint_operations WHERE id = $1", {Text(id)}));
  return n > 0;
}

}  // namespace jisr::groups
