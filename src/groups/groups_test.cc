// The records of groups/ without a store: JSON forms (errors name the
// member at fault) and the road map's roll-up and lateness.
#include "groups/groups.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "common/status.h"

namespace jisr::groups {
namespace {

const absl::Time kNow = absl::FromCivil(absl::CivilDay(2026, 6, 1), absl::UTCTimeZone());

absl::StatusOr<PlanItem> Action(std::string_view json, JsonForm form = JsonForm::kCreate) {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(json);
  if (!o.ok()) return o.status();
  return ItemFromJson(*o, ItemKind::kAction, form);
}

TEST(GroupsJsonTest, ErrorsNameTheMember) {
  const auto field_of = [](std::string_view json) {
    absl::StatusOr<boost::json::object> o = ParseJsonObject(json);
    EXPECT_TRUE(o.ok());
    absl::StatusOr<WorkingGroup> g = GroupFromJson(*o, JsonForm::kCreate);
    EXPECT_FALSE(g.ok());
    return FieldOf(g.status()).value_or("(none)");
  };
  EXPECT_EQ(field_of(R"({"domain":"terrorism"})"), "name");
  EXPECT_EQ(field_of(R"({"name":"G","domain":"piracy"})"), "domain");
  EXPECT_EQ(field_of(R"({"name":"G","domain":"terrorism","agencies":["fr"]})"), "agencies[0]");
  EXPECT_EQ(field_of(R"({"name":"G","domain":"terrorism","tasks":[{"title":"t",
      "owner_agency":"MA-DGSN","due_at":"soon"}]})"),
            "tasks[0].due_at");
  EXPECT_EQ(field_of(R"({"name":"G","domain":"terrorism","members":[{"agency":"MA-DGSN",
      "reference":"r","name":"n","role":"boss"}]})"),
            "members[0].role");
  EXPECT_EQ(field_of(R"({"name":"G","domain":"terrorism","colour":"red"})"), "colour");

  absl::StatusOr<PlanItem> a = Action(R"({"objective_id":"0192f1d4-5b6c-7000-8000-000000000001",
      "title":"t","indicators":[{"name":"located","target":50,"measured":-1}]})");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(FieldOf(a.status()), "indicators[0].measured");
  a = Action(R"({"objective_id":"0192f1d4-5b6c-7000-8000-000000000001","title":"t",
      "milestones":[{"title":"m","progress":101}]})");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(FieldOf(a.status()), "milestones[0].progress");

  absl::StatusOr<boost::json::object> op = ParseJsonObject(R"({"code_name":"SIROCCO",
      "starts_at":"2026-06-10","ends_at":"2026-06-01","area":"Strait of Gibraltar"})");
  absl::StatusOr<Operation> o = OperationFromJson(*op, JsonForm::kCreate);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(FieldOf(o.status()), "ends_at");
  op = ParseJsonObject(R"({"code_name":"SIROCCO","starts_at":"2026-06-01",
      "ends_at":"2026-06-10","area":"A","report":{"summary":"s"}})");
  o = OperationFromJson(*op, JsonForm::kCreate);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(FieldOf(o.status()), "report");
}

TEST(GroupsJsonTest, ADayIsDueAtItsEnd) {
  absl::StatusOr<PlanItem> a = Action(R"({"objective_id":"0192f1d4-5b6c-7000-8000-000000000001",
      "title":"t","due_at":"2026-06-30"})");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(FormatRfc3339(*a->due_at), "2026-06-30T23:59:59.999Z");
}

PlanItem Item(ItemKind kind, std::string id, std::string objective, std::string state,
              int64_t progress, std::optional<absl::Time> due = {}) {
  PlanItem i;
  i.kind = kind;
  i.id = std::move(id);
  i.plan_id = "p";
  i.objective_id = std::move(objective);
  i.owner = kind == ItemKind::kObjective ? "MA-DGSN" : "FR-DGPN";
  i.title = i.id;
  i.state = std::move(state);
  i.progress = progress;
  i.due_at = due;
  return i;
}

TEST(RoadmapTest, ProgressRollsUpAndLateItemsAreListed) {
  Plan plan;
  plan.id = "p";
  plan.owner = "MA-DGSN";
  plan.agencies = {"MA-DGSN", "FR-DGPN"};
  const absl::Time past = kNow - absl::Hours(24 * 3 + 1);
  const absl::Time future = kNow + absl::Hours(24);

  std::vector<PlanItem> objectives = {
      Item(ItemKind::kObjective, "o1", "", "in_progress", 0, future),
      Item(ItemKind::kObjective, "o2", "", "planned", 30, past),  // no actions: own 30
      Item(ItemKind::kObjective, "o3", "", "cancelled", 0, past),  // left out, not late
  };
  // a1: milestones 100 (done), 50, cancelled -> 75.
  PlanItem a1 = Item(ItemKind::kAction, "a1", "o1", "in_progress", 10, future);
  a1.milestones = {{"m1", "first", past, "done", 0},
                   {"m2", "second", past, "in_progress", 50},
                   {"m3", "third", past, "cancelled", 0}};
  a1.indicators = {{"wanted persons located", "persons", 50, 12, {}}};
  PlanItem a2 = Item(ItemKind::kAction, "a2", "o1", "done", 20, past);  // done counts 100
  PlanItem a3 = Item(ItemKind::kAction, "a3", "o1", "cancelled", 90);   // left out
  PlanItem a4 = Item(ItemKind::kAction, "a4", "o1", "planned", 20, past);  // late
  PlanItem stray = Item(ItemKind::kAction, "a5", "gone", "planned", 40);

  Roadmap r = BuildRoadmap(plan, objectives, {a1, a2, a3, a4, stray}, kNow);
  EXPECT_DOUBLE_EQ(r.action_progress["a1"], 75.0);
  EXPECT_DOUBLE_EQ(r.action_progress["a2"], 100.0);
  EXPECT_DOUBLE_EQ(r.action_progress["a4"], 20.0);
  EXPECT_DOUBLE_EQ(r.objective_progress["o1"], 65.0);  // (75 + 100 + 20) / 3
  EXPECT_DOUBLE_EQ(r.objective_progress["o2"], 30.0);
  EXPECT_DOUBLE_EQ(r.progress, 47.5);  // (65 + 30) / 2
  ASSERT_EQ(r.late.size(), 3u);  // m2, a4 (due `past`, by id), o2; not m1 (done), a2, o3
  std::vector<std::string> late_ids;
  for (const LateItem& l : r.late) late_ids.push_back(l.kind + ":" + l.id);
  EXPECT_EQ(late_ids, (std::vector<std::string>{"action:a4", "milestone:m2", "objective:o2"}));
  EXPECT_EQ(r.late[0].days_late, 3);
  EXPECT_EQ(r.late[1].owner, "FR-DGPN");  // a milestone is its action's owner's
  EXPECT_EQ(r.actions_by_state["cancelled"], 1);

  const boost::json::object& j = r.json;
  EXPECT_EQ(j.at("counts").at("late").as_int64(), 3);
  const boost::json::array& objs = j.at("objectives").as_array();
  ASSERT_EQ(objs.size(), 3u);
  EXPECT_EQ(objs[0].at("id").as_string(), "o2");  // by due date
  EXPECT_TRUE(objs[0].at("late").as_bool());
  const boost::json::object& o1 = objs[2].as_object();  // o2, o3 (past), o1
  EXPECT_EQ(o1.at("id").as_string(), "o1");
  EXPECT_EQ(o1.at("actions").as_array().size(), 4u);
  EXPECT_EQ(j.at("unassigned_actions").as_array().size(), 1u);

  // Time passes: the future objective becomes late too; finishing a4 and m2
  // removes them.
  a4.state = "done";
  a1.milestones[1].state = "done";
  r = BuildRoadmap(plan, objectives, {a1, a2, a3, a4}, future + absl::Hours(1));
  late_ids.clear();
  for (const LateItem& l : r.late) late_ids.push_back(l.kind + ":" + l.id);
  EXPECT_EQ(late_ids, (std::vector<std::string>{"objective:o2", "action:a1", "objective:o1"}));
  EXPECT_DOUBLE_EQ(r.objective_progress["o1"], 100.0);
}

TEST(RoadmapTest, AnEmptyPlanIsAtZero) {
  Plan plan;
  plan.id = "p";
  Roadmap r = BuildRoadmap(plan, {}, {}, kNow);
  EXPECT_EQ(r.progress, 0);
  EXPECT_TRUE(r.late.empty());
}

}  // namespace
}  // namespace jisr::groups
