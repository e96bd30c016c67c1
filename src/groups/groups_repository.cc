#include "groups/groups_repository.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::groups {
namespace {

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }
absl::Time FromMs(int64_t ms) { return absl::FromUnixMillis(ms); }

db::Value Text(std::string_view s) { return db::Value(std::string(s)); }
db::Value OptMs(const std::optional<absl::Time>& t) {
  return t ? db::Value(Ms(*t)) : db::Value(db::Null{});
}

constexpr std::string_view kLocal = "version, body, created_at, updated_at, envelope_id";

// Parses a stored body (columns of kLocal from `first`) with `parse`.
template <typename T, typename Parse>
absl::StatusOr<T> FromRow(const db::Row& row, std::string_view table, Parse parse) {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(row.GetText(1));
  if (!o.ok()) {
    return absl::DataLossError(fmt::format("{}: a stored body is not JSON: {}", table,
                                           std::string(o.status().message())));
  }
  absl::StatusOr<T> t = parse(*o);
  if (!t.ok()) {
    return absl::DataLossError(fmt::format("{}: a stored body does not parse: {}", table,
                                           std::string(t.status().message())));
  }
  t->version = row.GetInt(0);
  t->created_at = FromMs(row.GetInt(2));
  t->updated_at = FromMs(row.GetInt(3));
  t->envelope_id = row.GetText(4);
  return t;
}

template <typename T, typename Parse>
absl::StatusOr<std::optional<T>> FindIn(db::Transaction& tx, std::string_view table,
                                        std::string_view id, Parse parse) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(fmt::format("SELECT {} FROM {} WHERE id = $1", kLocal, table),
                       {Text(id)}));
  if (!row) return std::optional<T>();
  JISR_ASSIGN_OR_RETURN(T t, FromRow<T>(*row, table, parse));
  return std::optional<T>(std::move(t));
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
                           kLocal, table, where),
               params));
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(T t, FromRow<T>(row, table, parse));
    page.items.push_back(std::move(t));
  }
  return page;
}

// The shared upsert: `keys` are the table's key columns after id and
// before version/body, `values` their values.
absl::Status Upsert(db::Transaction& tx, std::string_view table, std::string_view id,
                    std::vector<std::string_view> keys, std::vector<db::Value> values,
                    int64_t version, const boost::json::object& body,
                    std::string_view created_by, absl::Time created_at,
                    absl::Time updated_at, std::string_view envelope_id) {
  std::vector<db::Value> params;
  params.push_back(Text(id));
  for (db::Value& v : values) params.push_back(std::move(v));
  params.push_back(version);
  params.push_back(ToJson(body));
  params.push_back(Text(created_by));
  params.push_back(Ms(created_at));
  params.push_back(Ms(updated_at));
  params.push_back(envelope_id.empty() ? db::Value(db::Null{}) : Text(envelope_id));
  std::string columns = "id";
  std::string placeholders = "$1";
  std::string updates;
  size_t n = 1;
  for (std::string_view k : keys) {
    columns += fmt::format(", {}", k);
    placeholders += fmt::format(", ${}", ++n);
    updates += fmt::format("{} = excluded.{}, ", k, k);
  }
  for (std::string_view k :
       {"version", "body", "created_by", "created_at", "updated_at", "envelope_id"}) {
    columns += fmt::format(", {}", k);
    placeholders += fmt::format(", ${}", ++n);
  }
  updates +=
      "version = excluded.version, body = excluded.body, updated_at = excluded.updated_at, "
      "envelope_id = excluded.envelope_id";
  return tx
      .Execute(fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}",
                           table, columns, placeholders, updates),
               db::Params(params.data(), params.size()))
      .status();
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
  return Upsert(tx, "working_groups", g.id, {"owner", "name", "domain", "state"},
                {Text(g.owner), Text(g.name), Text(g.domain), Text(g.state)}, g.version,
                Body(GroupToJson(g)), created_by, g.created_at, g.updated_at, g.envelope_id);
}

absl::Status SavePlan(db::Transaction& tx, const Plan& p, std::string_view created_by) {
  return Upsert(tx, "action_plans", p.id, {"owner", "title", "state"},
                {Text(p.owner), Text(p.title), Text(p.state)}, p.version,
                Body(PlanToJson(p)), created_by, p.created_at, p.updated_at, p.envelope_id);
}

absl::Status SaveItem(db::Transaction& tx, const PlanItem& i, std::string_view created_by) {
  if (i.kind == ItemKind::kObjective) {
    return Upsert(tx, ItemTable(i.kind), i.id, {"plan_id", "owner", "title", "state", "due_at"},
                  {Text(i.plan_id), Text(i.owner), Text(i.title), Text(i.state),
                   OptMs(i.due_at)},
                  i.version, Body(ItemToJson(i)), created_by, i.created_at, i.updated_at,
                  i.envelope_id);
  }
  return Upsert(tx, ItemTable(i.kind), i.id,
                {"plan_id", "objective_id", "owner", "title", "state", "due_at"},
                {Text(i.plan_id), Text(i.objective_id), Text(i.owner), Text(i.title),
                 Text(i.state), OptMs(i.due_at)},
                i.version, Body(ItemToJson(i)), created_by, i.created_at, i.updated_at,
                i.envelope_id);
}

absl::Status SaveOperation(db::Transaction& tx, const Operation& op,
                           std::string_view created_by) {
  return Upsert(tx, "joint_operations", op.id,
                {"owner", "code_name", "state", "starts_at", "group_id"},
                {Text(op.owner), Text(op.code_name), Text(op.state), Ms(op.starts_at),
                 op.group_id.empty() ? db::Value(db::Null{}) : Text(op.group_id)},
                op.version, Body(OperationToJson(op)), created_by, op.created_at,
                op.updated_at, op.envelope_id);
}

absl::StatusOr<std::optional<WorkingGroup>> FindGroup(db::Transaction& tx,
                                                      std::string_view id) {
  return FindIn<WorkingGroup>(tx, "working_groups", id, &ParseGroup);
}
absl::StatusOr<std::optional<Plan>> FindPlan(db::Transaction& tx, std::string_view id) {
  return FindIn<Plan>(tx, "action_plans", id, &ParsePlan);
}
absl::StatusOr<std::optional<PlanItem>> FindItem(db::Transaction& tx, ItemKind kind,
                                                 std::string_view id) {
  return FindIn<PlanItem>(tx, ItemTable(kind), id, [kind](const boost::json::object& o) {
    return ItemFromJson(o, kind, JsonForm::kShared);
  });
}
absl::StatusOr<std::optional<Operation>> FindOperation(db::Transaction& tx,
                                                       std::string_view id) {
  return FindIn<Operation>(tx, "joint_operations", id, &ParseOperation);
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
      tx.Query(fmt::format("SELECT {} FROM {} WHERE plan_id = $1 ORDER BY id", kLocal,
                           ItemTable(kind)),
               {Text(plan_id)}));
  std::vector<PlanItem> out;
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(PlanItem i,
                          FromRow<PlanItem>(row, ItemTable(kind),
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
