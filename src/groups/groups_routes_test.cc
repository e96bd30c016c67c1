// The groups routes end to end, in-process: a real server on a loopback
// port, a migrated store of Rabat (MA-DGSN) with Paris (FR-DGPN) paired, and
// a client signing in as each role. Bad input gets a 4xx problem+json naming
// the field; the road map is served; permissions hold through the API.
#include "groups/groups_routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/test_route_node.h"
#include "federation/receiver.h"
#include "groups/groups_sharing.h"

namespace jisr::groups {
namespace {

using http::TestResponse;

class GroupsRoutesTest : public http::testing::RouteTest {
 protected:
  GroupsRoutesTest()
      : groups_(node_.db(), node_.audit(), node_.clock(), GroupsOptions{"MA-DGSN"}),
        receiver_(node_.db(), node_.audit(), node_.clock(),
                  federation::ReceiverOptions{"MA-DGSN"}),
        clock_(node_.clock()) {
    EXPECT_TRUE(RegisterGroupsHandlers(receiver_, "MA-DGSN", node_.audit(), clock_).ok());
    node_.AddPartner("FR-DGPN");
    context_.sessions = &node_.sessions();
    context_.groups = &groups_;
    EXPECT_TRUE(AddGroupsRoutes(node_.router(), context_).ok());
    node_.Start();
  }

  GroupsService groups_;
  federation::Receiver receiver_;
  GroupsRoutesContext context_;
  FakeClock& clock_;
};

TEST_P(GroupsRoutesTest, BadInputIsProblemJsonNamingTheField) {
  const std::string& t = Token("officer1");
  ExpectProblem(Call("POST", "/api/v1/groups", R"j({"domain":"terrorism"})j", t), 400, "name");
  ExpectProblem(Call("POST", "/api/v1/groups",
                     R"j({"name":"G","domain":"terrorism","agencies":["ES-PN"]})j", t),
                400, "agencies[0]");
  ExpectProblem(Call("POST", "/api/v1/groups",
                     R"j({"name":"G","domain":"terrorism","tasks":[{"title":"x",
                         "owner_agency":"MA-DGSN","state":"later"}]})j",
                     t),
                400, "tasks[0].state");
  ExpectProblem(Call("POST", "/api/v1/operations",
                     R"j({"code_name":"X","starts_at":"2026-02-02","ends_at":"2026-02-01",
                         "area":"A"})j",
                     Token("super1")),
                400, "ends_at");
  ExpectProblem(Call("GET", "/api/v1/plans/not-a-uuid/roadmap", {}, t), 400, "id");
  ExpectProblem(Call("GET", "/api/v1/groups?page_size=100000", {}, t), 400, "page_size");
  EXPECT_EQ(Count("working_groups"), 0);
  EXPECT_EQ(Count("joint_operations"), 0);
}

TEST_P(GroupsRoutesTest, APlanItsActionsAndTheRoadmap) {
  ExpectProblem(Call("POST", "/api/v1/plans", R"j({"title":"P"})j", Token("officer1")), 403);
  TestResponse plan = Call("POST", "/api/v1/plans",
                           R"j({"title":"Plan 2026","agencies":["FR-DGPN"]})j", Token("super1"));
  ASSERT_EQ(plan.status, 201) << plan.body;
  const std::string pid = Id(plan);
  EXPECT_EQ(plan.Header("Location").value_or(""), "/api/v1/plans/" + pid);
  TestResponse obj = Call("POST", "/api/v1/plans/" + pid + "/objectives",
                          R"j({"title":"Locate wanted persons","due_at":"2026-12-31"})j",
                          Token("officer1"));
  ASSERT_EQ(obj.status, 201) << obj.body;
  TestResponse act = Call("POST", "/api/v1/plans/" + pid + "/actions",
                          fmt::format(R"j({{"objective_id":"{}","title":"Exchange lists",
                              "due_at":"2026-01-10","milestones":[{{"title":"m","progress":40}}],
                              "indicators":[{{"name":"located","target":50,"measured":12}}]}})j",
                                      Id(obj)),
                          Token("officer1"));
  ASSERT_EQ(act.status, 201) << act.body;
  ExpectProblem(Call("POST", "/api/v1/plans/" + pid + "/actions",
                     fmt::format(R"j({{"objective_id":"{}","title":"x",
                         "indicators":[{{"name":"n","target":"fifty","measured":1}}]}})j",
                                 Id(obj)),
                     Token("officer1")),
                400, "indicators[0].target");
  // A stale version is 409.
  const std::string action_path = "/api/v1/plans/" + pid + "/actions/" + Id(act);
  TestResponse v2 = Call("PUT", action_path, R"j({"version":1,"title":"Exchange lists",
      "state":"in_progress","progress":10,"due_at":"2026-01-10"})j", Token("officer1"));
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_EQ(Json(v2)["version"].as_int64(), 2);
  ExpectProblem(Call("PUT", action_path, R"j({"version":1,"title":"again"})j",
                     Token("officer1")),
                409);
  // An action moves to another objective of the plan, not to a stranger.
  TestResponse obj2 = Call("POST", "/api/v1/plans/" + pid + "/objectives",
                           R"j({"title":"Secure major events"})j", Token("officer1"));
  ASSERT_EQ(obj2.status, 201) << obj2.body;
  ExpectProblem(Call("PUT", action_path,
                     R"j({"version":2,"title":"Exchange lists","state":"in_progress",
                         "progress":10,"due_at":"2026-01-10",
                         "objective_id":"0192f1d4-5b6c-7000-8000-0000000000ff"})j",
                     Token("officer1")),
                400, "objective_id");
  TestResponse moved = Call("PUT", action_path,
                            fmt::format(R"j({{"version":2,"title":"Exchange lists",
                                "state":"in_progress","progress":10,"due_at":"2026-01-10",
                                "objective_id":"{}"}})j",
                                        Id(obj2)),
                            Token("officer1"));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Json(moved)["objective_id"].as_string(), Id(obj2));
  EXPECT_EQ(Json(moved)["version"].as_int64(), 3);

  clock_.Advance(absl::Hours(24 * 20));  // 2026-01-21: the action is late
  TestResponse r = Call("GET", "/api/v1/plans/" + pid + "/roadmap", {}, Token("analyst1"));
  ASSERT_EQ(r.status, 200) << r.body;
  boost::json::object j = Json(r);
  // PUT replaced the milestones: the action is at 10; the plan is the mean
  // of its two objectives (10 and the new one's 0).
  EXPECT_EQ(j["progress"].as_double(), 5);
  ASSERT_EQ(j["late"].as_array().size(), 1u);
  EXPECT_EQ(j["late"].as_array()[0].at("kind").as_string(), "action");
  EXPECT_EQ(j["late"].as_array()[0].at("days_late").as_int64(), 10);
  ExpectProblem(Call("GET", "/api/v1/plans/" + pid + "/roadmap", {}, Token("auditor1")), 403);
}

TEST_P(GroupsRoutesTest, GroupsAndOperations) {
  TestResponse g = Call("POST", "/api/v1/groups",
                        R"j({"name":"Wanted persons group","domain":"wanted_persons",
                            "agencies":["FR-DGPN"],
                            "members":[{"agency":"FR-DGPN","reference":"FR-1","name":"P One"}],
                            "case_file":[{"kind":"thread","ref":"t-1"}]})j",
                        Token("officer1"));
  ASSERT_EQ(g.status, 201) << g.body;
  TestResponse got = Call("GET", "/api/v1/groups/" + Id(g), {}, Token("analyst1"));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Json(got)["members"].as_array().size(), 1u);
  ExpectProblem(Call("PUT", "/api/v1/groups/" + Id(g), R"j({"name":"x","domain":"terrorism"})j",
                     Token("officer1")),
                400, "version");
  TestResponse op = Call("POST", "/api/v1/operations",
                         fmt::format(R"j({{"code_name":"NOMAD","starts_at":"2026-02-01",
                             "ends_at":"2026-02-03","area":"Oujda","agencies":["FR-DGPN"],
                             "group_id":"{}"}})j",
                                     Id(g)),
                         Token("super1"));
  ASSERT_EQ(op.status, 201) << op.body;
  // The domain filter.
  TestResponse cyber = Call("GET", "/api/v1/groups?domain=cybercrime", {}, Token("officer1"));
  ASSERT_EQ(cyber.status, 200) << cyber.body;
  EXPECT_EQ(Json(cyber)["total"].as_int64(), 0);
  TestResponse wanted =
      Call("GET", "/api/v1/groups?domain=wanted_persons", {}, Token("officer1"));
  ASSERT_EQ(wanted.status, 200) << wanted.body;
  EXPECT_EQ(Json(wanted)["total"].as_int64(), 1);
  EXPECT_EQ(Json(wanted)["groups"].as_array().size(), 1u);
  ExpectProblem(Call("GET", "/api/v1/groups?domain=piracy", {}, Token("officer1")), 400,
                "domain");
  TestResponse list = Call("GET", "/api/v1/operations", {}, Token("officer1"));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Json(list)["total"].as_int64(), 1);
  ExpectProblem(Call("GET", "/api/v1/operations", {}, Token("admin1")), 403);
  ExpectProblem(Call("GET", "/api/v1/operations/0192f1d4-5b6c-7000-8000-0000000000ff", {},
                     Token("officer1")),
                404);
}

TEST_P(GroupsRoutesTest, ATaskStateIsSetThroughItsOwnRoute) {
  TestResponse g = Call("POST", "/api/v1/groups",
                        R"j({"name":"Task group","domain":"cybercrime","agencies":["FR-DGPN"],
                            "tasks":[{"title":"Ours","owner_agency":"MA-DGSN"},
                                     {"title":"Paris's","owner_agency":"FR-DGPN"}]})j",
                        Token("officer1"));
  ASSERT_EQ(g.status, 201) << g.body;
  const boost::json::object group = Json(g);
  const std::string task = std::string(group.at("tasks").as_array()[0].at("id").as_string());
  const std::string path = "/api/v1/groups/" + Id(g) + "/tasks/" + task;
  ExpectProblem(Call("PUT", path, R"j({"state":"later"})j", Token("officer1")), 400, "state");
  ExpectProblem(Call("PUT", path, R"j({"state":"done","title":"x"})j", Token("officer1")), 400,
                "title");
  ExpectProblem(Call("PUT", path, R"j({"state":"done"})j", Token("analyst1")), 403);
  ExpectProblem(Call("PUT", "/api/v1/groups/" + Id(g) + "/tasks/nope", R"j({"state":"done"})j",
                     Token("officer1")),
                400, "task_id");
  ExpectProblem(Call("PUT",
                     "/api/v1/groups/" + Id(g) + "/tasks/0192f1d4-5b6c-7000-8000-0000000000ff",
                     R"j({"state":"done"})j", Token("officer1")),
                404);
  TestResponse done = Call("PUT", path, R"j({"state":"done","assignee":"officer2"})j",
                           Token("officer1"));
  ASSERT_EQ(done.status, 200) << done.body;
  boost::json::object j = Json(done);
  EXPECT_EQ(j["version"].as_int64(), 2);
  EXPECT_EQ(j["tasks"].as_array()[0].at("state").as_string(), "done");
  EXPECT_EQ(j["tasks"].as_array()[0].at("assignee").as_string(), "officer2");
  EXPECT_EQ(j["tasks"].as_array()[1].at("state").as_string(), "open");
  // The change crossed to Paris as the group's new version.
  EXPECT_EQ(Count("outbox"), 2);
}

INSTANTIATE_TEST_SUITE_P(Stores, GroupsRoutesTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::groups
