// The events routes end to end, in-process: a real server on a loopback
// port, a migrated store, the security, alerts and events services, users
// of each role. Bad input gets a 4xx problem+json naming the field; the
// campaign flow runs through the API (upload, progress, review, counts).
#include "events/events_routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "alerts/alert_service.h"
#include "alerts/screening_jobs.h"
#include "alerts/test_alerts.h"
#include "api/operational_routes.h"
#include "api/routes.h"
#include "api/server.h"
#include "api/test_client.h"
#include "common/json.h"
#include "db/test_stores.h"
#include "security/audit_access.h"
#include "security/password.h"

namespace jisr::events {
namespace {

using http::TestHeaders;
using http::TestResponse;

constexpr const char* kPassword = "correct horse battery";

constexpr std::string_view kEvent = R"({
  "name": "AFCON 2025", "starts_on": "2025-12-21", "ends_on": "2026-01-18",
  "venues": [{"code": "RBT-PMA", "name": "Prince Moulay Abdellah Stadium", "city": "Rabat"}],
  "partners": ["FR-DGPN"]})";

constexpr std::string_view kApplicants =
    "id,name,aliases,birth_date,nationality,gender,document\n"
    "S1,Karim Testaoui,,1984-03-12,MA,male,\n"
    "S2,Louis Martin,,1991-02-03,FR,male,\n"
    "S3,Camille Bernard,,1988,FR,female,\n";

class EventsRoutesTest : public ::testing::TestWithParam<std::string> {
 protected:
  EventsRoutesTest()
      : store_(GetParam()),
        audit_(clock_),
        users_(store_.db(), audit_, clock_, UserOptions()),
        sessions_(store_.db(), audit_, clock_, SessionOpts()),
        audit_access_(store_.db(), audit_),
        alerts_(store_.db(), audit_, clock_, &index_, AlertOptions()),
        jobs_(store_.db(), audit_, clock_, index_),
        events_(store_.db(), audit_, clock_, EventOptions{"MA-DGSN"}, &jobs_) {
    jobs_.AddBlockObserver([this](db::Transaction& tx, const alerts::ScreeningJob& job,
                                  int64_t end, const std::vector<alerts::BlockMatch>& m) {
      return events_.ObserveBlock(tx, job, end, m);
    });
    api_context_.users = &users_;
    api_context_.sessions = &sessions_;
    api_context_.audit_access = &audit_access_;
    api_context_.agency["code"] = "MA-DGSN";
    context_.sessions = &sessions_;
    context_.events = &events_;
    const auto op = security::Principal::CliOperator("test");
    for (auto [name, role] : {std::pair{"super1", security::Role::kSupervisor},
                              std::pair{"officer1", security::Role::kOfficer},
                              std::pair{"analyst1", security::Role::kAnalyst},
                              std::pair{"auditor1", security::Role::kAuditor}}) {
      auto u = users_.Create(op, {name, std::string("Test ") + name, role, kPassword}, "setup");
      EXPECT_TRUE(u.ok()) << u.status();
    }
    EXPECT_TRUE(
        http::AddOperationalRoutes(&router_, &registry_, [] { return absl::OkStatus(); }).ok());
    EXPECT_TRUE(api::AddApiRoutes(router_, api_context_).ok());
    EXPECT_TRUE(AddEventRoutes(router_, context_).ok());
    http::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    server_ = std::make_unique<http::Server>(options, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~EventsRoutesTest() override { server_->Stop(); }

  static security::UserServiceOptions UserOptions() {
    security::UserServiceOptions o;
    o.password = security::PasswordOptions::Minimum();
    return o;
  }
  static security::SessionOptions SessionOpts() {
    security::SessionOptions o;
    o.password = security::PasswordOptions::Minimum();
    return o;
  }
  static alerts::AlertServiceOptions AlertOptions() {
    alerts::AlertServiceOptions o;
    o.agency = "MA-DGSN";
    return o;
  }

  TestResponse Call(std::string_view method, std::string_view target, std::string_view body = {},
                    const std::string& token = "", std::string_view type = "application/json") {
    http::TestHttpClient client("127.0.0.1", server_->port());
    TestHeaders headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) headers.emplace_back("Content-Type", std::string(type));
    headers.emplace_back("X-Purpose", "AFCON 2025 security");
    absl::StatusOr<TestResponse> r = client.Request(method, target, body, headers);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : TestResponse{};
  }

  const std::string& Token(const std::string& username) {
    auto it = tokens_.find(username);
    if (it != tokens_.end()) return it->second;
    TestResponse r = Call("POST", "/api/v1/session",
                          R"({"username":")" + username + R"(","password":")" + kPassword + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    return tokens_[username] = std::string(Json(r).at("token").as_string());
  }

  static boost::json::object Json(const TestResponse& r) {
    auto v = ParseJsonObject(r.body);
    EXPECT_TRUE(v.ok()) << r.body;
    return v.ok() ? *v : boost::json::object{};
  }

  static void ExpectProblem(const TestResponse& r, int status, std::string_view field = {}) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/problem+json") << r.body;
    boost::json::object p = Json(r);
    if (!field.empty()) {
      ASSERT_TRUE(p.contains("field")) << r.body;
      EXPECT_EQ(p["field"].as_string(), field) << r.body;
    }
  }

  int64_t Count(std::string_view table) {
    auto tx = *store_.db().Begin(db::TxMode::kRead);
    return (*tx->Query("SELECT COUNT(*) FROM " + std::string(table)))[0].GetInt(0);
  }

  std::string CreateEvent() {
    TestResponse r = Call("POST", "/api/v1/events", kEvent, Token("super1"));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(Json(r)["id"].as_string());
  }

  FakeClock clock_;
  db::testing::TestStore store_;
  audit::AuditLog audit_;
  security::UserService users_;
  security::SessionService sessions_;
  security::AuditAccess audit_access_;
  alerts::AlertIndex index_;
  alerts::AlertService alerts_;
  alerts::ScreeningJobService jobs_;
  EventService events_;
  api::ApiContext api_context_;
  EventRoutesContext context_;
  metrics::Registry registry_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::map<std::string, std::string> tokens_;
};

TEST_P(EventsRoutesTest, EventsAreCreatedBySupervisorsAndBadInputNamesTheField) {
  ExpectProblem(Call("POST", "/api/v1/events", kEvent), 401);
  ExpectProblem(Call("POST", "/api/v1/events", kEvent, Token("officer1")), 403);
  ExpectProblem(Call("POST", "/api/v1/events",
                     R"({"name": "X", "starts_on": "2026-01-01", "ends_on": "2026-01-02",
                         "venues": [{"code": "bad code", "name": "B"}]})",
                     Token("super1")),
                400, "venues[0].code");
  ExpectProblem(Call("POST", "/api/v1/events",
                     R"({"name": "X", "starts_on": "2026-01-03", "ends_on": "2026-01-02",
                         "venues": [{"code": "A", "name": "B"}]})",
                     Token("super1")),
                400, "ends_on");
  EXPECT_EQ(Count("events"), 0);
  const std::string id = CreateEvent();
  TestResponse got = Call("GET", "/api/v1/events/" + id, {}, Token("analyst1"));
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Json(got)["host"].as_string(), "MA-DGSN");
  ExpectProblem(Call("GET", "/api/v1/events/" + id, {}, Token("auditor1")), 403);
  ExpectProblem(Call("GET", "/api/v1/events/not-a-uuid", {}, Token("analyst1")), 400, "id");
  TestResponse list = Call("GET", "/api/v1/events?page_size=0", {}, Token("analyst1"));
  ExpectProblem(list, 400, "page_size");
  list = Call("GET", "/api/v1/events", {}, Token("analyst1"));
  EXPECT_EQ(Json(list)["events"].as_array().size(), 1u);

  // The host's supervisors change it at the version they saw.
  const std::string path = "/api/v1/events/" + id;
  const std::string edit = R"j({"version": 1, "name": "AFCON 2025 (knock-out stage)",
      "starts_on": "2025-12-21", "ends_on": "2026-01-18",
      "venues": [{"code": "RBT-PMA", "name": "Prince Moulay Abdellah Stadium", "city": "Rabat"}],
      "partners": ["FR-DGPN"]})j";
  ExpectProblem(Call("PUT", path, R"({"name": "X"})", Token("super1")), 400, "version");
  ExpectProblem(Call("PUT", path, edit, Token("officer1")), 403);
  ExpectProblem(Call("PUT", path, R"({"version": 1, "name": "X", "starts_on": "2026-01-02",
      "ends_on": "2026-01-01", "venues": [{"code": "A", "name": "B"}]})", Token("super1")),
                400, "ends_on");
  TestResponse v2 = Call("PUT", path, edit, Token("super1"));
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_EQ(Json(v2)["version"].as_int64(), 2);
  EXPECT_EQ(Json(v2)["name"].as_string(), "AFCON 2025 (knock-out stage)");
  ExpectProblem(Call("PUT", path, edit, Token("super1")), 409);  // version 1 is stale
}

TEST_P(EventsRoutesTest, IncidentsAndDeploymentsThroughTheApi) {
  const std::string id = CreateEvent();
  const std::string path = "/api/v1/events/" + id + "/incidents";
  constexpr std::string_view kIncident = R"json({"occurred_at": "2025-12-21T20:15:00Z",
      "venue": "RBT-PMA", "type": "violence", "severity": "high",
      "description": "Fight at gate 4 (fictional)"})json";
  ExpectProblem(Call("POST", path, kIncident, Token("analyst1")), 403);
  ExpectProblem(Call("POST", path,
                     R"({"occurred_at": "2025-12-21T20:15:00Z", "venue": "RBT-PMA",
                         "type": "violence", "severity": "apocalyptic", "description": "d"})",
                     Token("officer1")),
                400, "severity");
  ExpectProblem(Call("POST", path,
                     R"({"occurred_at": "2025-12-21T20:15:00Z", "venue": "NOWHERE",
                         "type": "violence", "severity": "low", "description": "d"})",
                     Token("officer1")),
                400, "venue");
  // The state a live screen polls: no person named, not audited.
  TestResponse empty = Call("GET", path + "/state", {}, Token("analyst1"));
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(Json(empty)["count"].as_int64(), 0);
  EXPECT_TRUE(Json(empty)["latest_stored_at"].is_null());
  TestResponse created = Call("POST", path, kIncident, Token("officer1"));
  EXPECT_EQ(created.status, 201) << created.body;
  const int64_t audited = Count("audit_log");
  TestResponse state = Call("GET", path + "/state", {}, Token("analyst1"));
  ASSERT_EQ(state.status, 200) << state.body;
  EXPECT_EQ(Json(state)["count"].as_int64(), 1);
  EXPECT_TRUE(Json(state)["latest_stored_at"].is_string());
  EXPECT_EQ(Count("audit_log"), audited);
  ExpectProblem(Call("GET", path + "/state", {}, Token("auditor1")), 403);
  EXPECT_EQ(Json(created)["owner"].as_string(), "MA-DGSN");
  ExpectProblem(Call("GET", path + "?severity=bad", {}, Token("analyst1")), 400, "severity");
  TestResponse log = Call("GET", path + "?severity=high", {}, Token("analyst1"));
  EXPECT_EQ(log.status, 200) << log.body;
  EXPECT_EQ(Json(log)["incidents"].as_array().size(), 1u);

  const std::string dpath = "/api/v1/events/" + id + "/deployments";
  ExpectProblem(Call("POST", dpath,
                     R"({"officer_name": "Officer Fictif", "venue": "RBT-PMA",
                         "starts_at": "2025-12-21T08:00:00Z", "ends_at": "2025-12-21T07:00:00Z"})",
                     Token("officer1")),
                400, "ends_at");
  TestResponse d = Call("POST", dpath,
                        R"({"officer_name": "Officer Fictif", "venue": "RBT-PMA",
                            "starts_at": "2025-12-21T08:00:00Z", "ends_at": "2025-12-21T20:00:00Z"})",
                        Token("officer1"));
  EXPECT_EQ(d.status, 201) << d.body;
  EXPECT_EQ(Json(Call("GET", dpath, {}, Token("analyst1")))["deployments"].as_array().size(), 1u);
}

TEST_P(EventsRoutesTest, ACampaignIsUploadedScreenedAndReviewedThroughTheApi) {
  absl::StatusOr<alerts::Alert> a =
      alerts_.Create(security::Principal::ForUser("0192f1d4-5b6c-7000-8000-000000000001", "o",
                                                  "O", security::Role::kOfficer),
                     alerts::testing::ArrestContent(), "test");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(alerts_
                  .Activate(security::Principal::ForUser("0192f1d4-5b6c-7000-8000-000000000003",
                                                         "s", "S", security::Role::kSupervisor),
                            a->id, a->version, "test")
                  .ok());
  const std::string id = CreateEvent();
  const std::string path = "/api/v1/events/" + id + "/campaigns?name=Volunteers";
  ExpectProblem(Call("POST", path, "id,name\nX,Y\n", Token("officer1"), "text/csv"), 400, "input");
  ExpectProblem(Call("POST", "/api/v1/events/" + id + "/campaigns", kApplicants,
                     Token("officer1"), "text/csv"),
                400, "name");
  ExpectProblem(Call("POST", path + "&threshold=2", kApplicants, Token("officer1"), "text/csv"),
                400, "threshold");
  TestResponse created = Call("POST", path, kApplicants, Token("officer1"), "text/csv");
  ASSERT_EQ(created.status, 202) << created.body;
  const std::string campaign = std::string(Json(created)["id"].as_string());
  EXPECT_EQ(Json(created)["counts"].as_object().at("total").as_int64(), 3);
  ASSERT_TRUE(jobs_.RunPending().ok());

  TestResponse got = Call("GET", "/api/v1/campaigns/" + campaign, {}, Token("analyst1"));
  ASSERT_EQ(got.status, 200) << got.body;
  boost::json::object counts = Json(got)["counts"].as_object();
  EXPECT_EQ(counts["screened"].as_int64(), 3);
  EXPECT_EQ(counts["matched"].as_int64(), 1);
  EXPECT_EQ(counts["pending"].as_int64(), 1);
  EXPECT_EQ(Json(got)["state"].as_string(), "reviewing");

  TestResponse queue =
      Call("GET", "/api/v1/campaigns/" + campaign + "/applicants?decision=pending", {},
           Token("officer1"));
  ASSERT_EQ(queue.status, 200) << queue.body;
  boost::json::array applicants = Json(queue)["applicants"].as_array();
  ASSERT_EQ(applicants.size(), 1u);
  EXPECT_EQ(applicants[0].as_object().at("input_id").as_string(), "S1");
  ExpectProblem(Call("GET", "/api/v1/campaigns/" + campaign + "/applicants?decision=maybe", {},
                     Token("officer1")),
                400, "decision");

  const std::string review = "/api/v1/campaigns/" + campaign + "/applicants/0/review";
  ExpectProblem(Call("POST", review, R"({"decision": "ban", "reason": "x"})", Token("officer1")),
                400, "decision");
  ExpectProblem(Call("POST", review, R"({"decision": "refuse"})", Token("officer1")), 400,
                "reason");
  ExpectProblem(Call("POST", review, R"({"decision": "refuse", "reason": "x"})",
                     Token("analyst1")),
                403);
  ExpectProblem(Call("POST", "/api/v1/campaigns/" + campaign + "/applicants/x/review",
                     R"({"decision": "refuse", "reason": "x"})", Token("officer1")),
                400, "item");
  ExpectProblem(Call("POST", "/api/v1/campaigns/" + campaign + "/applicants/1/review",
                     R"({"decision": "clear", "reason": "x"})", Token("officer1")),
                404);
  TestResponse refused = Call("POST", review,
                              R"({"decision": "refuse", "reason": "Arrest alert confirmed"})",
                              Token("officer1"));
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_EQ(Json(refused)["decision"].as_string(), "refused");
  ExpectProblem(Call("POST", review, R"({"decision": "clear", "reason": "again"})",
                     Token("super1")),
                409);
  counts = Json(Call("GET", "/api/v1/campaigns/" + campaign, {}, Token("analyst1")))["counts"]
               .as_object();
  EXPECT_EQ(counts["refused"].as_int64(), 1);
  EXPECT_EQ(counts["pending"].as_int64(), 0);
  TestResponse list = Call("GET", "/api/v1/events/" + id + "/campaigns", {}, Token("analyst1"));
  EXPECT_EQ(Json(list)["campaigns"].as_array().size(), 1u);
}

TEST_P(EventsRoutesTest, ALongListIsUploadedInPartsThenStarted) {
  absl::StatusOr<alerts::Alert> a =
      alerts_.Create(security::Principal::ForUser("0192f1d4-5b6c-7000-8000-000000000001", "o",
                                                  "O", security::Role::kOfficer),
                     alerts::testing::ArrestContent(), "test");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(alerts_
                  .Activate(security::Principal::ForUser("0192f1d4-5b6c-7000-8000-000000000003",
                                                         "s", "S", security::Role::kSupervisor),
                            a->id, a->version, "test")
                  .ok());
  const std::string id = CreateEvent();
  const std::string path = "/api/v1/events/" + id + "/campaigns?name=Stewards";
  ExpectProblem(Call("POST", path + "&parts=maybe", {}, Token("officer1"), "text/csv"), 400,
                "parts");
  ExpectProblem(Call("POST", path + "&parts=true", kApplicants, Token("officer1"), "text/csv"),
                400, "input");
  TestResponse created = Call("POST", path + "&parts=true", {}, Token("officer1"), "text/csv");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Json(created)["state"].as_string(), "uploading");
  const std::string campaign = std::string(Json(created)["id"].as_string());
  const std::string add = "/api/v1/campaigns/" + campaign + "/applicants";
  ExpectProblem(Call("POST", "/api/v1/campaigns/" + campaign + "/start", {}, Token("officer1")),
                409);
  ExpectProblem(Call("POST", add, {}, Token("officer1"), "text/csv"), 400, "input");
  ExpectProblem(Call("POST", add, kApplicants, Token("analyst1"), "text/csv"), 403);
  TestResponse p1 = Call("POST", add, kApplicants, Token("officer1"), "text/csv");
  ASSERT_EQ(p1.status, 200) << p1.body;
  EXPECT_EQ(Json(p1)["part"].as_int64(), 1);
  EXPECT_EQ(Json(p1)["total"].as_int64(), 3);
  // Line 3 of part 2 repeats S2 of part 1: the part is refused whole.
  TestResponse dup = Call("POST", add,
                          "id,name,aliases,birth_date,nationality,gender,document\n"
                          "T1,Jean Test,,,,,\nS2,Louis Martin,,,,,\n",
                          Token("officer1"), "text/csv");
  ExpectProblem(dup, 400, "input");
  EXPECT_NE(dup.body.find("part 2:3:1"), std::string::npos) << dup.body;
  TestResponse p2 = Call("POST", add,
                         "id,name,aliases,birth_date,nationality,gender,document\n"
                         "T1,Jean Test,,,,,\nT2,Karim Testaoui,,1984-03-12,MA,male,\n",
                         Token("officer1"), "text/csv");
  ASSERT_EQ(p2.status, 200) << p2.body;
  EXPECT_EQ(Json(p2)["part"].as_int64(), 2);
  EXPECT_EQ(Json(p2)["first_item"].as_int64(), 3);
  EXPECT_EQ(Json(p2)["total"].as_int64(), 5);
  // Each part moves the upload's expiry forward; the campaign shows it.
  const std::string expires = std::string(Json(p2)["upload_expires_at"].as_string());
  EXPECT_GE(expires, std::string(Json(p1)["upload_expires_at"].as_string()));
  TestResponse uploading = Call("GET", "/api/v1/campaigns/" + campaign, {}, Token("analyst1"));
  ASSERT_EQ(uploading.status, 200) << uploading.body;
  EXPECT_EQ(Json(uploading)["upload_expires_at"].as_string(), expires);
  // Another campaign, abandoned: discarded with its applicants.
  TestResponse other = Call("POST", path + "&parts=true", {}, Token("officer1"), "text/csv");
  ASSERT_EQ(other.status, 201) << other.body;
  const std::string other_id = std::string(Json(other)["id"].as_string());
  ASSERT_EQ(Call("POST", "/api/v1/campaigns/" + other_id + "/applicants", kApplicants,
                 Token("officer1"), "text/csv")
                .status,
            200);
  ExpectProblem(Call("DELETE", "/api/v1/campaigns/" + other_id, {}, Token("analyst1")), 403);
  TestResponse discarded = Call("DELETE", "/api/v1/campaigns/" + other_id, {}, Token("officer1"));
  ASSERT_EQ(discarded.status, 204) << discarded.body;
  ExpectProblem(Call("GET", "/api/v1/campaigns/" + other_id, {}, Token("analyst1")), 404);
  TestResponse started =
      Call("POST", "/api/v1/campaigns/" + campaign + "/start", {}, Token("officer1"));
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(Json(started)["state"].as_string(), "screening");
  EXPECT_TRUE(Json(started)["upload_expires_at"].is_null());
  ExpectProblem(Call("POST", "/api/v1/campaigns/" + campaign + "/start", {}, Token("officer1")),
                409);
  ExpectProblem(Call("POST", add, kApplicants, Token("officer1"), "text/csv"), 409);
  ExpectProblem(Call("DELETE", "/api/v1/campaigns/" + campaign, {}, Token("officer1")), 409);
  ASSERT_TRUE(jobs_.RunPending().ok());
  TestResponse got = Call("GET", "/api/v1/campaigns/" + campaign, {}, Token("analyst1"));
  ASSERT_EQ(got.status, 200) << got.body;
  boost::json::object counts = Json(got)["counts"].as_object();
  EXPECT_EQ(counts["total"].as_int64(), 5);
  EXPECT_EQ(counts["screened"].as_int64(), 5);
  EXPECT_EQ(counts["matched"].as_int64(), 2);  // S1 (part 1) and T2 (item 4, part 2)
  TestResponse queue =
      Call("GET", add + "?decision=pending", {}, Token("officer1"));
  ASSERT_EQ(queue.status, 200) << queue.body;
  boost::json::array applicants = Json(queue)["applicants"].as_array();
  ASSERT_EQ(applicants.size(), 2u);
  EXPECT_EQ(applicants[1].as_object().at("item").as_int64(), 4);
  EXPECT_EQ(applicants[1].as_object().at("input_id").as_string(), "T2");
}

INSTANTIATE_TEST_SUITE_P(Stores, EventsRoutesTest, ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::events
