// The groups service on every store: working groups, plans with objectives
// and actions, the road map through the service with the fake clock,
// operations; versions (409 on stale), permissions and audit.
#include "groups/groups_service.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "groups/test_groups.h"

namespace jisr::groups {
namespace {

using testing::Analyst;
using testing::Officer;
using testing::Pair;
using testing::Parsed;
using testing::Side;
using testing::Supervisor;

constexpr std::string_view kGroup = R"({"name":"Joint group on drug routes [synthetic]",
  "domain":"drug_trafficking","agencies":["FR-DGPN"],
  "members":[{"agency":"MA-DGSN","reference":"0192f1d4-5b6c-7000-8000-000000000001",
              "name":"Officer One","role":"lead"},
             {"agency":"FR-DGPN","reference":"FR-4711","name":"Partner Lead"}],
  "case_file":[{"kind":"alert","ref":"0192f1d4-5b6c-7000-8000-00000000a001"}],
  "tasks":[{"title":"Map the couriers","owner_agency":"FR-DGPN","due_at":"2026-02-01"}]})";

class GroupsServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  GroupsServiceTest()
      : ma_(GetParam(), "MA-DGSN", clock_), fr_(GetParam(), "FR-DGPN", clock_) {
    Pair(ma_, fr_, clock_);
  }
  void TearDown() override {
    absl::StatusOr<audit::VerifyResult> v = ma_.audit.Verify(ma_.db());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << v->reason;
  }
  static WorkingGroup GroupInput(std::string_view json = kGroup) {
    return Parsed<WorkingGroup>(json, [](const boost::json::object& o) {
      return GroupFromJson(o, JsonForm::kCreate);
    });
  }
  static PlanItem ItemInput(ItemKind kind, std::string_view json) {
    return Parsed<PlanItem>(json, [kind](const boost::json::object& o) {
      return ItemFromJson(o, kind, JsonForm::kCreate);
    });
  }
  Plan NewPlan() {
    Plan p;
    p.title = "Joint action plan 2026 [synthetic]";
    p.agencies = {"FR-DGPN"};
    absl::StatusOr<Plan> created = ma_.service.CreatePlan(Supervisor(), p, "plan");
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Plan{});
  }
  int64_t Outbox(std::string_view kind) {
    return testing::CountAt(ma_, fmt::format("SELECT COUNT(*) FROM outbox WHERE kind = '{}'",
                                             kind));
  }

  FakeClock clock_;  // 2026-01-01T00:00:00Z
  Side ma_;
  Side fr_;
};

TEST_P(GroupsServiceTest, AGroupIsCreatedSharedAndEditedAtItsVersion) {
  absl::StatusOr<WorkingGroup> g = ma_.service.CreateGroup(Officer(), GroupInput(), "case");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->owner, "MA-DGSN");
  EXPECT_EQ(g->agencies, (std::vector<std::string>{"MA-DGSN", "FR-DGPN"}));
  EXPECT_EQ(g->version, 1);
  ASSERT_EQ(g->tasks.size(), 1u);
  EXPECT_TRUE(IsUuid(g->tasks[0].id));
  EXPECT_EQ(Outbox(kGroupKind), 1);

  absl::StatusOr<WorkingGroup> read = ma_.service.GetGroup(Analyst(), g->id, "review");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->members, g->members);
  EXPECT_EQ(read->tasks, g->tasks);
  EXPECT_EQ(read->case_file, g->case_file);

  WorkingGroup edit = *read;
  edit.tasks[0].state = "done";
  absl::StatusOr<WorkingGroup> v2 = ma_.service.UpdateGroup(Officer(), g->id, edit, "case");
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->tasks[0].id, g->tasks[0].id);  // kept
  // A second edit from the same version is stale: 409.
  absl::StatusOr<WorkingGroup> stale = ma_.service.UpdateGroup(Officer(), g->id, edit, "case");
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Outbox(kGroupKind), 2);

  // Removing the partner purges its copy.
  edit = *v2;
  edit.agencies = {"MA-DGSN"};
  edit.members.pop_back();
  edit.tasks.clear();
  ASSERT_TRUE(ma_.service.UpdateGroup(Officer(), g->id, edit, "case").ok());
  EXPECT_EQ(Outbox(kGroupPurgeKind), 1);

  absl::StatusOr<Page<WorkingGroup>> page = ma_.service.ListGroups(Analyst(), 1, 10, "list");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 1);
}

TEST_P(GroupsServiceTest, BadInputAndPermissions) {
  WorkingGroup in = GroupInput();
  in.agencies = {"ES-PN"};  // not a partner
  absl::StatusOr<WorkingGroup> g = ma_.service.CreateGroup(Officer(), in, "case");
  ASSERT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(g.status()), "agencies[0]");
  in = GroupInput();
  in.members[1].agency = "ES-PN";  // not a member agency
  g = ma_.service.CreateGroup(Officer(), in, "case");
  EXPECT_EQ(FieldOf(g.status()), "members[1].agency");

  EXPECT_EQ(ma_.service.CreateGroup(Analyst(), GroupInput(), "case").status().code(),
            absl::StatusCode::kPermissionDenied);
  Plan p;
  p.title = "x";
  EXPECT_EQ(ma_.service.CreatePlan(Officer(), p, "plan").status().code(),
            absl::StatusCode::kPermissionDenied);  // plans: supervisors
  EXPECT_EQ(testing::Entries(ma_, "plan.create", audit::AuditOutcome::kDenied).size(), 1u);
  EXPECT_EQ(ma_.service.GetGroup(Officer(), "nope", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ma_.service.GetGroup(Officer(), "0192f1d4-5b6c-7000-8000-0000000000ff", "x")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(GroupsServiceTest, TheRoadmapRollsUpAndShowsWhatIsLateAsTimePasses) {
  const Plan plan = NewPlan();
  absl::StatusOr<PlanItem> o = ma_.service.CreateItem(
      Supervisor(), plan.id,
      ItemInput(ItemKind::kObjective,
                R"({"title":"Locate internationally wanted persons","due_at":"2026-12-31"})"),
      "plan");
  ASSERT_TRUE(o.ok()) << o.status();
  absl::StatusOr<PlanItem> a = ma_.service.CreateItem(
      Officer(), plan.id,
      ItemInput(ItemKind::kAction,
                fmt::format(R"({{"objective_id":"{}","title":"Exchange wanted lists",
                  "due_at":"2026-03-31",
                  "milestones":[{{"title":"Lists agreed","due_at":"2026-01-15"}},
                                {{"title":"First exchange","due_at":"2026-02-15"}}],
                  "indicators":[{{"name":"internationally wanted persons located",
                                  "unit":"persons","target":50,"measured":12}}]}})",
                            o->id)),
      "plan");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_EQ(a->milestones.size(), 2u);
  EXPECT_EQ(a->owner, "MA-DGSN");

  absl::StatusOr<Roadmap> r = ma_.service.GetRoadmap(Analyst(), plan.id, "review");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->progress, 0);
  EXPECT_TRUE(r->late.empty());

  // February: the first milestone is late; then it is done, half way.
  clock_.Advance(absl::Hours(24 * 40));  // 2026-02-10
  r = ma_.service.GetRoadmap(Analyst(), plan.id, "review");
  ASSERT_EQ(r->late.size(), 1u);
  EXPECT_EQ(r->late[0].kind, "milestone");
  EXPECT_EQ(r->late[0].days_late, 25);
  PlanItem edit = *a;
  edit.milestones[0].state = "done";
  edit.milestones[1].progress = 50;
  edit.state = "in_progress";
  absl::StatusOr<PlanItem> v2 = ma_.service.UpdateItem(Officer(), plan.id, a->id, edit, "plan");
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version, 2);
  r = ma_.service.GetRoadmap(Analyst(), plan.id, "review");
  EXPECT_TRUE(r->late.empty());
  EXPECT_DOUBLE_EQ(r->action_progress[a->id], 75.0);
  EXPECT_DOUBLE_EQ(r->progress, 75.0);
  const boost::json::object& ind = r->json.at("objectives")
                                       .at(0)
                                       .at("actions")
                                       .at(0)
                                       .at("indicators")
                                       .at(0)
                                       .as_object();
  EXPECT_EQ(ind.at("target").as_double(), 50);
  EXPECT_EQ(ind.at("measured").as_double(), 12);

  // April: the action is past its due date and not done.
  clock_.Advance(absl::Hours(24 * 60));
  r = ma_.service.GetRoadmap(Analyst(), plan.id, "review");
  std::vector<std::string> kinds;
  for (const LateItem& l : r->late) kinds.push_back(l.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"milestone", "action"}));

  // A stale edit is refused and changes nothing.
  EXPECT_EQ(ma_.service.UpdateItem(Officer(), plan.id, a->id, edit, "plan").status().code(),
            absl::StatusCode::kFailedPrecondition);
  // An action needs an objective of the plan.
  absl::StatusOr<PlanItem> bad = ma_.service.CreateItem(
      Officer(), plan.id,
      ItemInput(ItemKind::kAction,
                R"({"objective_id":"0192f1d4-5b6c-7000-8000-0000000000ff","title":"x"})"),
      "plan");
  EXPECT_EQ(FieldOf(bad.status()), "objective_id");
}

TEST_P(GroupsServiceTest, OperationsTakeTheirReportOnceCompleted) {
  absl::StatusOr<WorkingGroup> g = ma_.service.CreateGroup(Officer(), GroupInput(), "case");
  ASSERT_TRUE(g.ok());
  Operation in = Parsed<Operation>(
      fmt::format(R"({{"code_name":"SIROCCO","starts_at":"2026-06-01","ends_at":"2026-06-10",
        "area":"Strait of Gibraltar [synthetic]","agencies":["FR-DGPN"],"group_id":"{}",
        "units":[{{"agency":"MA-DGSN","name":"BNPJ"}},{{"agency":"FR-DGPN","name":"OFAST"}}],
        "liaison_officers":[{{"agency":"FR-DGPN","reference":"FR-12","name":"Liaison One",
                              "posted_with":"MA-DGSN"}}]}})",
                  g->id),
      [](const boost::json::object& o) { return OperationFromJson(o, JsonForm::kCreate); });
  absl::StatusOr<Operation> op = ma_.service.CreateOperation(Supervisor(), in, "op");
  ASSERT_TRUE(op.ok()) << op.status();
  EXPECT_EQ(op->state, "planned");
  EXPECT_EQ(op->group_id, g->id);

  Operation edit = *op;
  edit.report = AfterActionReport{"Two couriers identified [synthetic].", "", "", {}};
  absl::StatusOr<Operation> early = ma_.service.UpdateOperation(Officer(), op->id, edit, "op");
  EXPECT_EQ(FieldOf(early.status()), "report");
  edit.state = "completed";
  clock_.Advance(absl::Hours(1));
  absl::StatusOr<Operation> done = ma_.service.UpdateOperation(Officer(), op->id, edit, "op");
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->report->submitted_at, clock_.Now());
  absl::StatusOr<Operation> read = ma_.service.GetOperation(Analyst(), op->id, "op");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->report, done->report);
  EXPECT_EQ(read->liaison_officers, op->liaison_officers);
  EXPECT_EQ(read->version, 2);

  in.group_id = "0192f1d4-5b6c-7000-8000-0000000000ff";
  EXPECT_EQ(FieldOf(ma_.service.CreateOperation(Supervisor(), in, "op").status()), "group_id");
}

INSTANTIATE_TEST_SUITE_P(Stores, GroupsServiceTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::groups
