// groups/ across nodes in one process: Rabat (MA-DGSN), Paris (FR-DGPN) and
// Madrid (ES-PN), their envelopes carried through the real
// federation::Receiver. A plan's actions are edited only by their owner and
// travel from the owner's node; concurrent edits from two nodes, delivered
// in any order, converge to the same road map; forged owners are refused;
// nothing of a partner is relayed to a third agency; groups and operations
// reach their agencies and are purged when an agency is removed.
#include "groups/groups_sharing.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/json.h"
#include "federation/store.h"
#include "groups/groups_repository.h"
#include "groups/test_groups.h"

namespace jisr::groups {
namespace {

using testing::CountAt;
using testing::Deliver;
using testing::Entries;
using testing::Pair;
using testing::Parsed;
using testing::Send;
using testing::Side;

class GroupsSharingTest : public ::testing::TestWithParam<std::string> {
 protected:
  GroupsSharingTest()
      : ma_(GetParam(), "MA-DGSN", clock_),
        fr_(GetParam(), "FR-DGPN", clock_),
        es_(GetParam(), "ES-PN", clock_) {
    for (Side* a : {&ma_, &fr_, &es_}) {
      for (Side* b : {&ma_, &fr_, &es_}) {
        if (a != b) Pair(*a, *b, clock_);
      }
    }
  }
  void TearDown() override {
    for (Side* side : {&ma_, &fr_, &es_}) {
      absl::StatusOr<audit::VerifyResult> v = side->audit.Verify(side->db());
      ASSERT_TRUE(v.ok()) << v.status();
      EXPECT_TRUE(v->ok()) << side->agency << ": " << v->reason;
    }
  }

  static PlanItem ItemInput(ItemKind kind, const std::string& json) {
    return Parsed<PlanItem>(json, [kind](const boost::json::object& o) {
      return ItemFromJson(o, kind, JsonForm::kCreate);
    });
  }
  // Delivers everything pending between every pair, `rounds` times.
  void Settle(int rounds = 3) {
    for (int i = 0; i < rounds; ++i) {
      clock_.Advance(absl::Milliseconds(2));  // rows stamped a millisecond ahead
      for (Side* a : {&ma_, &fr_, &es_}) {
        for (Side* b : {&ma_, &fr_, &es_}) {
          if (a != b) Deliver(*a, *b, clock_);
        }
      }
    }
  }
  // A plan of Rabat's with Paris (and Madrid when `with_es`), one objective
  // of Rabat's, delivered.
  void MakePlan(bool with_es) {
    Plan p;
    p.title = "Rabat joint action plan [synthetic]";
    p.agencies = {"FR-DGPN"};
    if (with_es) p.agencies.push_back("ES-PN");
    absl::StatusOr<Plan> plan = ma_.service.CreatePlan(sup_, p, "plan");
    ASSERT_TRUE(plan.ok()) << plan.status();
    plan_ = *plan;
    // Records made in one millisecond have no order in the outbox (UUIDv7):
    // the plan is written before its objective.
    clock_.Advance(absl::Milliseconds(5));
    absl::StatusOr<PlanItem> o = ma_.service.CreateItem(
        sup_, plan_.id,
        ItemInput(ItemKind::kObjective, R"({"title":"Dismantle trafficking networks"})"), "plan");
    ASSERT_TRUE(o.ok()) << o.status();
    objective_ = *o;
    Settle();
  }
  std::string ActionJson(std::string_view title) {
    return fmt::format(R"({{"objective_id":"{}","title":"{}","due_at":"2026-06-30",
        "milestones":[{{"title":"Start"}},{{"title":"End"}}]}})",
                       objective_.id, title);
  }
  boost::json::object RoadmapAt(Side& side) {
    absl::StatusOr<Roadmap> r = side.service.GetRoadmap(analyst_, plan_.id, "compare");
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return {};
    boost::json::object j = r->json;
    // Local bookkeeping (the copy's arrival time) is not part of the state.
    const auto strip = [](auto& self, boost::json::value& v) -> void {
      if (v.is_object()) {
        v.as_object().erase("updated_at");
        v.as_object().erase("created_at");
        for (auto& kv : v.as_object()) self(self, kv.value());
      } else if (v.is_array()) {
        for (auto& e : v.as_array()) self(self, e);
      }
    };
    boost::json::value v = j;
    strip(strip, v);
    return v.as_object();
  }

  FakeClock clock_;
  Side ma_;
  Side fr_;
  Side es_;
  Plan plan_;
  PlanItem objective_;
  security::Principal sup_ = testing::Supervisor();
  security::Principal officer_ = testing::Officer();
  security::Principal analyst_ = testing::Analyst();
};

TEST_P(GroupsSharingTest, EachAgencyEditsOnlyItsOwnActions) {
  MakePlan(false);
  // Paris holds the plan and Rabat's objective, and adds its own action.
  absl::StatusOr<PlanView> at_fr = fr_.service.GetPlan(analyst_, plan_.id, "plan");
  ASSERT_TRUE(at_fr.ok()) << at_fr.status();
  EXPECT_EQ(at_fr->plan.owner, "MA-DGSN");
  ASSERT_EQ(at_fr->objectives.size(), 1u);
  absl::StatusOr<PlanItem> fr_action = fr_.service.CreateItem(
      officer_, plan_.id, ItemInput(ItemKind::kAction, ActionJson("Paris action")), "plan");
  ASSERT_TRUE(fr_action.ok()) << fr_action.status();
  EXPECT_EQ(fr_action->owner, "FR-DGPN");
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});

  // Rabat sees it and may not edit it; nor may Paris edit Rabat's objective
  // or the plan.
  absl::StatusOr<PlanView> at_ma = ma_.service.GetPlan(analyst_, plan_.id, "plan");
  ASSERT_EQ(at_ma->actions.size(), 1u);
  EXPECT_EQ(at_ma->actions[0].owner, "FR-DGPN");
  PlanItem edit = at_ma->actions[0];
  edit.progress = 90;
  absl::StatusOr<PlanItem> denied =
      ma_.service.UpdateItem(officer_, plan_.id, edit.id, edit, "plan");
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(denied.status().message()).find("owned by FR-DGPN"), std::string::npos);
  EXPECT_EQ(Entries(ma_, "plan.update", audit::AuditOutcome::kFailure).size(), 1u);
  PlanItem obj = at_fr->objectives[0];
  obj.progress = 10;
  EXPECT_EQ(fr_.service.UpdateItem(sup_, plan_.id, obj.id, obj, "plan").status().code(),
            absl::StatusCode::kFailedPrecondition);
  Plan plan_edit = at_fr->plan;
  plan_edit.title = "hijacked";
  EXPECT_EQ(fr_.service.UpdatePlan(sup_, plan_.id, plan_edit, "plan").status().code(),
            absl::StatusCode::kFailedPrecondition);
  // A node never publishes a partner's record.
  auto tx = *ma_.db().Begin(db::TxMode::kWrite);
  EXPECT_EQ(PublishItem(*tx, edit, plan_, "MA-DGSN", clock_.Now()).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(GroupsSharingTest, ConcurrentEditsFromTwoNodesConverge) {
  MakePlan(false);
  absl::StatusOr<PlanItem> ma_action = ma_.service.CreateItem(
      officer_, plan_.id, ItemInput(ItemKind::kAction, ActionJson("Rabat action")), "plan");
  absl::StatusOr<PlanItem> fr_action = fr_.service.CreateItem(
      officer_, plan_.id, ItemInput(ItemKind::kAction, ActionJson("Paris action")), "plan");
  ASSERT_TRUE(ma_action.ok() && fr_action.ok());
  Settle();
  EXPECT_EQ(RoadmapAt(ma_), RoadmapAt(fr_));

  // Both nodes edit at the same time, several versions each, with no
  // delivery in between.
  PlanItem m = *ma_action, f = *fr_action;
  for (int i = 1; i <= 3; ++i) {
    m.milestones[0].progress = 30 * i;
    m.state = "in_progress";
    absl::StatusOr<PlanItem> mv = ma_.service.UpdateItem(officer_, plan_.id, m.id, m, "plan");
    ASSERT_TRUE(mv.ok()) << mv.status();
    m = *mv;
    f.milestones[1].state = i == 3 ? "done" : "in_progress";
    f.milestones[1].progress = 20 * i;
    absl::StatusOr<PlanItem> fv = fr_.service.UpdateItem(officer_, plan_.id, f.id, f, "plan");
    ASSERT_TRUE(fv.ok()) << fv.status();
    f = *fv;
    clock_.Advance(absl::Seconds(1));
  }
  EXPECT_NE(RoadmapAt(ma_), RoadmapAt(fr_));
  // Newest first: the older versions arrive after and are superseded.
  std::vector<std::string> to_fr = Deliver(ma_, fr_, clock_, /*reverse=*/true);
  std::vector<std::string> to_ma = Deliver(fr_, ma_, clock_, /*reverse=*/true);
  EXPECT_EQ(to_fr, (std::vector<std::string>{"accepted", "superseded", "superseded"}));
  EXPECT_EQ(to_ma, (std::vector<std::string>{"accepted", "superseded", "superseded"}));
  const boost::json::object at_ma = RoadmapAt(ma_);
  EXPECT_EQ(at_ma, RoadmapAt(fr_));
  absl::StatusOr<Roadmap> r = ma_.service.GetRoadmap(analyst_, plan_.id, "x");
  EXPECT_DOUBLE_EQ(r->action_progress[m.id], 45.0);   // (90 + 0) / 2
  EXPECT_DOUBLE_EQ(r->action_progress[f.id], 50.0);   // (0 + 100) / 2
  EXPECT_DOUBLE_EQ(r->objective_progress[objective_.id], 47.5);
  auto tx = *fr_.db().Begin(db::TxMode::kRead);
  absl::StatusOr<std::optional<PlanItem>> copy = FindItem(*tx, ItemKind::kAction, m.id);
  ASSERT_TRUE(copy.ok() && copy->has_value());
  EXPECT_EQ((*copy)->version, 4);
  EXPECT_FALSE((*copy)->envelope_id.empty());
}

TEST_P(GroupsSharingTest, AForgedOwnerIsRefusedAndNothingIsRelayedToAThirdAgency) {
  MakePlan(true);
  // Paris's action goes from Paris to Rabat and Madrid directly.
  absl::StatusOr<PlanItem> fr_action = fr_.service.CreateItem(
      officer_, plan_.id, ItemInput(ItemKind::kAction, ActionJson("Paris action")), "plan");
  ASSERT_TRUE(fr_action.ok());
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM outbox WHERE kind = 'plan.item'"), 2);
  Settle();
  EXPECT_EQ(CountAt(ma_, fmt::format("SELECT COUNT(*) FROM outbox WHERE record_id = '{}'",
                                     ItemRecord(*fr_action))),
            0);
  EXPECT_EQ(RoadmapAt(es_), RoadmapAt(ma_));

  // Paris sends a version of Rabat's objective: refused, Rabat's stays.
  PlanItem forged = objective_;
  forged.version = 7;
  forged.title = "forged";
  federation::Envelope e;
  e.id = NewUuidV7(clock_.Now());
  e.kind = std::string(kItemKind);
  e.record_id = ItemRecord(forged);
  e.version = 7;
  e.body = ToJson(ItemToJson(forged));
  std::vector<std::pair<std::string, std::string>> res = Send(fr_, es_, {e}, clock_);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0].first, "rejected");
  EXPECT_NE(res[0].second.find("owned by MA-DGSN"), std::string::npos) << res[0].second;
  // Rewriting the owner does not help: the copy held is Rabat's.
  forged.owner = "FR-DGPN";
  e.id = NewUuidV7(clock_.Now());
  e.body = ToJson(ItemToJson(forged));
  res = Send(fr_, es_, {e}, clock_);
  EXPECT_EQ(res[0].first, "rejected");
  EXPECT_NE(res[0].second.find("here is owned by MA-DGSN"), std::string::npos) << res[0].second;
  absl::StatusOr<PlanView> at_es = es_.service.GetPlan(analyst_, plan_.id, "x");
  ASSERT_EQ(at_es->objectives.size(), 1u);
  EXPECT_EQ(at_es->objectives[0].title, "Dismantle trafficking networks");
  EXPECT_EQ(Entries(es_, "federation.reject", audit::AuditOutcome::kDenied).size(), 2u);
}

TEST_P(GroupsSharingTest, AnAgencyAddedLaterGetsEachOwnersItemsFromTheOwner) {
  MakePlan(false);
  ASSERT_TRUE(fr_.service
                  .CreateItem(officer_, plan_.id,
                              ItemInput(ItemKind::kAction, ActionJson("Paris action")), "plan")
                  .ok());
  Settle();
  Plan edit = plan_;
  edit.version = 1;
  edit.agencies = {"MA-DGSN", "FR-DGPN", "ES-PN"};
  ASSERT_TRUE(ma_.service.UpdatePlan(sup_, plan_.id, edit, "plan").ok());
  Settle();
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM outbox WHERE recipient = 'ES-PN'"), 1);
  EXPECT_EQ(Entries(es_, "plan.apply").size(), 3u);  // plan, objective, action
  for (const auto& e : Entries(es_, "federation.reject")) ADD_FAILURE() << e.details;
  EXPECT_EQ(RoadmapAt(es_), RoadmapAt(ma_));
  absl::StatusOr<PlanView> at_es = es_.service.GetPlan(analyst_, plan_.id, "x");
  ASSERT_TRUE(at_es.ok());
  ASSERT_EQ(at_es->actions.size(), 1u);
  EXPECT_EQ(at_es->actions[0].owner, "FR-DGPN");
  // Madrid's copy of Paris's action came from Paris.
  EXPECT_EQ(CountAt(es_, fmt::format("SELECT COUNT(*) FROM inbox WHERE sender = 'FR-DGPN'")),
            1);

  // Removing Madrid purges the plan there.
  edit.version = 2;
  edit.agencies = {"MA-DGSN", "FR-DGPN"};
  ASSERT_TRUE(ma_.service.UpdatePlan(sup_, plan_.id, edit, "plan").ok());
  Settle();
  EXPECT_EQ(es_.service.GetPlan(analyst_, plan_.id, "x").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CountAt(es_, "SELECT COUNT(*) FROM plan_actions"), 0);
  EXPECT_EQ(Entries(es_, "plan.purge").size(), 1u);
}

TEST_P(GroupsSharingTest, GroupsAndOperationsReachTheirAgencies) {
  WorkingGroup g = Parsed<WorkingGroup>(
      R"({"name":"Cyber group [synthetic]","domain":"cybercrime","agencies":["FR-DGPN"],
          "members":[{"agency":"FR-DGPN","reference":"FR-1","name":"Partner One"}]})",
      [](const boost::json::object& o) { return GroupFromJson(o, JsonForm::kCreate); });
  absl::StatusOr<WorkingGroup> created = ma_.service.CreateGroup(officer_, g, "case");
  ASSERT_TRUE(created.ok()) << created.status();
  Operation op = Parsed<Operation>(
      fmt::format(R"({{"code_name":"HARMATTAN","starts_at":"2026-03-01","ends_at":"2026-03-05",
        "area":"Tanger Med [synthetic]","agencies":["FR-DGPN"],"group_id":"{}",
        "units":[{{"agency":"FR-DGPN","name":"OFAST"}}]}})",
                  created->id),
      [](const boost::json::object& o) { return OperationFromJson(o, JsonForm::kCreate); });
  absl::StatusOr<Operation> op_created = ma_.service.CreateOperation(sup_, op, "op");
  ASSERT_TRUE(op_created.ok()) << op_created.status();
  Settle();
  absl::StatusOr<WorkingGroup> at_fr = fr_.service.GetGroup(analyst_, created->id, "x");
  ASSERT_TRUE(at_fr.ok()) << at_fr.status();
  EXPECT_EQ(at_fr->members, created->members);
  EXPECT_EQ(at_fr->owner, "MA-DGSN");
  absl::StatusOr<Operation> op_fr = fr_.service.GetOperation(analyst_, op_created->id, "x");
  ASSERT_TRUE(op_fr.ok());
  EXPECT_EQ(op_fr->code_name, "HARMATTAN");
  EXPECT_EQ(op_fr->group_id, created->id);
  // Madrid is in neither.
  EXPECT_EQ(es_.service.GetGroup(analyst_, created->id, "x").status().code(),
            absl::StatusCode::kNotFound);
  // Paris's copy is read-only.
  WorkingGroup edit = *at_fr;
  EXPECT_EQ(fr_.service.UpdateGroup(officer_, edit.id, edit, "x").status().code(),
            absl::StatusCode::kFailedPrecondition);

  // The report crosses; removing Paris purges its copy of the group.
  Operation done = *op_created;
  done.state = "completed";
  done.report = AfterActionReport{"Container checked [synthetic].", "", "", {}};
  ASSERT_TRUE(ma_.service.UpdateOperation(officer_, done.id, done, "op").ok());
  edit = *created;
  edit.agencies = {"MA-DGSN"};
  edit.members.clear();
  ASSERT_TRUE(ma_.service.UpdateGroup(officer_, edit.id, edit, "x").ok());
  Settle();
  op_fr = fr_.service.GetOperation(analyst_, op_created->id, "x");
  ASSERT_TRUE(op_fr->report.has_value());
  EXPECT_EQ(op_fr->report->summary, "Container checked [synthetic].");
  EXPECT_EQ(fr_.service.GetGroup(analyst_, created->id, "x").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(GroupsSharingTest, APartnerReportsProgressOnItsTaskAndTheOwnerPublishesIt) {
  WorkingGroup g = Parsed<WorkingGroup>(
      R"({"name":"Wanted persons group [synthetic]","domain":"wanted_persons",
          "agencies":["FR-DGPN","ES-PN"],
          "tasks":[{"title":"Locate subject 7 [synthetic]","owner_agency":"FR-DGPN"},
                   {"title":"Check port records [synthetic]","owner_agency":"MA-DGSN"}]})",
      [](const boost::json::object& o) { return GroupFromJson(o, JsonForm::kCreate); });
  absl::StatusOr<WorkingGroup> created = ma_.service.CreateGroup(officer_, g, "case");
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string fr_task = created->tasks[0].id;
  const std::string ma_task = created->tasks[1].id;
  Settle();

  // Paris carries out the first task: its copy changes at once, the group's
  // version does not (the owner's next version confirms it).
  TaskProgress p;
  p.state = "in_progress";
  p.assignee = "FR-42";
  absl::StatusOr<WorkingGroup> at_fr =
      fr_.service.UpdateTask(officer_, created->id, fr_task, p, "case");
  ASSERT_TRUE(at_fr.ok()) << at_fr.status();
  EXPECT_EQ(at_fr->tasks[0].state, "in_progress");
  EXPECT_EQ(at_fr->version, created->version);
  // Paris may not touch Rabat's task, nor Madrid Paris's.
  EXPECT_EQ(fr_.service.UpdateTask(officer_, created->id, ma_task, p, "case").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(es_.service.UpdateTask(officer_, created->id, fr_task, p, "case").status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The progress goes to Rabat only, never to Madrid.
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM outbox WHERE kind = 'group.task' "
                         "AND recipient = 'ES-PN'"),
            0);
  Settle();

  // Rabat applied it and published version 2 to both partners.
  for (Side* side : {&ma_, &fr_, &es_}) {
    absl::StatusOr<WorkingGroup> now = side->service.GetGroup(analyst_, created->id, "x");
    ASSERT_TRUE(now.ok()) << side->agency << ": " << now.status();
    EXPECT_EQ(now->version, created->version + 1) << side->agency;
    EXPECT_EQ(now->tasks[0].state, "in_progress") << side->agency;
    EXPECT_EQ(now->tasks[0].assignee, "FR-42") << side->agency;
    EXPECT_EQ(now->tasks[1].state, "open") << side->agency;
  }
  EXPECT_EQ(Entries(ma_, "group.task_apply").size(), 1u);

  // Two later reports: the newest wins at the owner.
  clock_.Advance(absl::Milliseconds(10));
  p.state = "done";
  p.assignee.reset();
  ASSERT_TRUE(fr_.service.UpdateTask(officer_, created->id, fr_task, p, "case").ok());
  Settle();
  absl::StatusOr<WorkingGroup> final_ma = ma_.service.GetGroup(analyst_, created->id, "x");
  ASSERT_TRUE(final_ma.ok());
  EXPECT_EQ(final_ma->tasks[0].state, "done");
  EXPECT_EQ(final_ma->tasks[0].assignee, "FR-42");  // unchanged when absent
  EXPECT_EQ(final_ma->version, created->version + 2);

  // Two reports within one millisecond: the second still wins.
  p.state = "in_progress";
  ASSERT_TRUE(fr_.service.UpdateTask(officer_, created->id, fr_task, p, "case").ok());
  p.state = "done";
  ASSERT_TRUE(fr_.service.UpdateTask(officer_, created->id, fr_task, p, "case").ok());
  Settle();
  final_ma = ma_.service.GetGroup(analyst_, created->id, "x");
  ASSERT_TRUE(final_ma.ok());
  EXPECT_EQ(final_ma->tasks[0].state, "done");
  EXPECT_EQ(final_ma->version, created->version + 4);

  // The owner sets its own task directly: a new version for everyone.
  p.state = "cancelled";
  absl::StatusOr<WorkingGroup> own = ma_.service.UpdateTask(sup_, created->id, ma_task, p, "case");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->version, created->version + 5);
  Settle();
  absl::StatusOr<WorkingGroup> at_es = es_.service.GetGroup(analyst_, created->id, "x");
  ASSERT_TRUE(at_es.ok());
  EXPECT_EQ(at_es->tasks[1].state, "cancelled");
  EXPECT_EQ(at_es->tasks[0].state, "done");
}

TEST_P(GroupsSharingTest, ForgedTaskProgressIsRefused) {
  WorkingGroup g = Parsed<WorkingGroup>(
      R"({"name":"Group [synthetic]","domain":"cybercrime","agencies":["FR-DGPN","ES-PN"],
          "tasks":[{"title":"Paris's task [synthetic]","owner_agency":"FR-DGPN"}]})",
      [](const boost::json::object& o) { return GroupFromJson(o, JsonForm::kCreate); });
  absl::StatusOr<WorkingGroup> created = ma_.service.CreateGroup(officer_, g, "case");
  ASSERT_TRUE(created.ok()) << created.status();
  Settle();
  // Madrid reports progress on Paris's task, straight into its outbox.
  TaskProgress p{created->id, created->tasks[0].id, "done", std::nullopt};
  ASSERT_TRUE(es_.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) {
                         const std::vector<std::string> to{"MA-DGSN"};
                         return federation::Publish(tx, to, kTaskProgressKind,
                                                    TaskRecord(p.task_id), 1,
                                                    ToJson(TaskProgressToJson(p)),
                                                    clock_.Now());
                       })
                  .ok());
  Settle();
  absl::StatusOr<WorkingGroup> at_ma = ma_.service.GetGroup(analyst_, created->id, "x");
  ASSERT_TRUE(at_ma.ok());
  EXPECT_EQ(at_ma->tasks[0].state, "open");
  EXPECT_EQ(at_ma->version, created->version);
  EXPECT_EQ(Entries(ma_, "federation.reject").size(), 1u);
  EXPECT_TRUE(Entries(ma_, "group.task_apply").empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, GroupsSharingTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::groups
