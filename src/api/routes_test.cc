// The REST routes end to end, in-process: a real server on a loopback port, a
// migrated store, the security services, and a client sending good and bad
// requests. Bad input must get a 4xx problem+json naming the field, never a
// 5xx, and must write nothing.
#include "api/routes.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <boost/json.hpp>

#include "api/operational_routes.h"
#include "api/server.h"
#include "api/test_client.h"
#include "common/json.h"
#include "db/test_stores.h"
#include "security/password.h"

namespace jisr::api {
namespace {

using http::TestHeaders;
using http::TestResponse;

class RoutesTest : public ::testing::TestWithParam<std::string> {
 protected:
  RoutesTest()
      : store_(GetParam()),
        audit_(clock_),
        users_(store_.db(), audit_, clock_, UserOptions()),
        sessions_(store_.db(), audit_, clock_, SessionOpts()),
        audit_access_(store_.db(), audit_) {
    context_.audit_access = &audit_access_;
    context_.users = &users_;
    context_.sessions = &sessions_;
    context_.agency["code"] = "MA-DGSN";
    context_.agency["country"] = "MA";
    const auto op = security::Principal::CliOperator("test");
    for (auto [name, role] : {std::pair{"admin", security::Role::kAdmin},
                              std::pair{"officer1", security::Role::kOfficer},
                              std::pair{"auditor1", security::Role::kAuditor}}) {
      auto u = users_.Create(op, {name, std::string("Test ") + name, role, kPassword}, "setup");
      EXPECT_TRUE(u.ok()) << u.status();
    }
    EXPECT_TRUE(http::AddOperationalRoutes(&router_, &registry_, [] {
                  return absl::OkStatus();
                }).ok());
    EXPECT_TRUE(AddApiRoutes(router_, context_).ok());
    http::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    server_ = std::make_unique<http::Server>(options, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~RoutesTest() override { server_->Stop(); }

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

  TestResponse Call(std::string_view method, std::string_view target, std::string_view body = {},
                    const std::string& token = "", TestHeaders headers = {}) {
    http::TestHttpClient client("127.0.0.1", server_->port());
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    absl::StatusOr<TestResponse> r = client.Request(method, target, body, headers);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : TestResponse{};
  }

  std::string Login(const std::string& username) {
    TestResponse r = Call("POST", "/api/v1/session",
                          R"({"username":")" + username + R"(","password":")" + kPassword + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(Json(r).at("token").as_string());
  }

  static boost::json::object Json(const TestResponse& r) {
    auto v = ParseJsonObject(r.body);
    EXPECT_TRUE(v.ok()) << r.body;
    return v.ok() ? *v : boost::json::object{};
  }

  // Asserts a 4xx problem+json naming `field` (when not empty).
  static void ExpectProblem(const TestResponse& r, int status, std::string_view field = {}) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/problem+json");
    boost::json::object p = Json(r);
    EXPECT_EQ(p["status"].as_int64(), status);
    EXPECT_TRUE(p.contains("title"));
    EXPECT_TRUE(p.contains("detail"));
    if (!field.empty()) {
      ASSERT_TRUE(p.contains("field")) << r.body;
      EXPECT_EQ(p["field"].as_string(), field) << r.body;
    }
  }

  int64_t Count(std::string_view table) {
    auto tx = *store_.db().Begin(db::TxMode::kRead);
    return (*tx->Query("SELECT COUNT(*) FROM " + std::string(table)))[0].GetInt(0);
  }

  static constexpr const char* kPassword = "correct horse battery";
  FakeClock clock_;
  db::testing::TestStore store_;
  audit::AuditLog audit_;
  security::UserService users_;
  security::SessionService sessions_;
  security::AuditAccess audit_access_;
  ApiContext context_;
  metrics::Registry registry_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

TEST_P(RoutesTest, LoginMeAgencyLogout) {
  const std::string token = Login("admin");
  TestResponse me = Call("GET", "/api/v1/me", {}, token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json(me)["username"].as_string(), "admin");
  EXPECT_EQ(Json(me)["role"].as_string(), "admin");
  EXPECT_EQ(Json(me)["agency"].as_string(), "MA-DGSN");
  // The admin's permissions, straight from the policy table.
  std::vector<std::string> permissions;
  const boost::json::object me_json = Json(me);
  for (const auto& p : me_json.at("permissions").as_array()) {
    permissions.emplace_back(p.as_string());
  }
  EXPECT_NE(std::find(permissions.begin(), permissions.end(), "user.create"), permissions.end());
  EXPECT_NE(std::find(permissions.begin(), permissions.end(), "peer.manage"), permissions.end());
  EXPECT_EQ(std::find(permissions.begin(), permissions.end(), "audit.read"), permissions.end());
  EXPECT_EQ(std::find(permissions.begin(), permissions.end(), "alert.read"), permissions.end());
  TestResponse agency = Call("GET", "/api/v1/agency", {}, token);
  EXPECT_EQ(Json(agency)["code"].as_string(), "MA-DGSN");
  EXPECT_EQ(Call("DELETE", "/api/v1/session", {}, token).status, 204);
  ExpectProblem(Call("GET", "/api/v1/me", {}, token), 401);
}

TEST_P(RoutesTest, BadTokensAre401) {
  ExpectProblem(Call("GET", "/api/v1/me"), 401);
  ExpectProblem(Call("GET", "/api/v1/me", {}, "not-a-token"), 401);
  ExpectProblem(Call("GET", "/api/v1/me", {}, {}, {{"Authorization", "Basic YWRtaW46eA=="}}),
                401);
  TestResponse r = Call("GET", "/api/v1/users", {}, std::string(43, 'A'));
  ExpectProblem(r, 401);
  EXPECT_TRUE(r.Header("WWW-Authenticate").has_value());
}

TEST_P(RoutesTest, BadLoginInputNamesTheField) {
  const int64_t audit_before = Count("audit_log");
  ExpectProblem(Call("POST", "/api/v1/session", R"({"username":"admin"})"), 400, "password");
  ExpectProblem(Call("POST", "/api/v1/session", R"({"username":5,"password":"x"})"), 400,
                "username");
  ExpectProblem(Call("POST", "/api/v1/session", R"({"username":"a","password":"b","x":1})"), 400,
                "x");
  TestResponse malformed = Call("POST", "/api/v1/session", "{\"username\": ");
  ExpectProblem(malformed, 400);
  EXPECT_NE(Json(malformed)["detail"].as_string().find("line 1"), std::string::npos);
  ExpectProblem(Call("POST", "/api/v1/session", "[1,2]"), 400);
  ExpectProblem(Call("POST", "/api/v1/session", "{\"username\":\"\xff\xfe\",\"password\":\"x\"}"),
                400);
  ExpectProblem(Call("POST", "/api/v1/session", R"({"username":"admin","password":"wrong!"})"),
                401);
  EXPECT_EQ(Count("sessions"), 0);
  // Only the failed login is recorded (as a failure); malformed requests never
  // reached the service.
  EXPECT_EQ(Count("audit_log"), audit_before + 1);
}

TEST_P(RoutesTest, OversizedBodyIs413AndWritesNothing) {
  const std::string token = Login("admin");
  const int64_t users_before = Count("users");
  std::string big = R"({"username":"big.one","display_name":")" + std::string(2 << 20, 'x') +
                    R"(","role":"officer"})";
  TestResponse r = Call("POST", "/api/v1/users", big, token);
  ExpectProblem(r, 413);
  EXPECT_EQ(Count("users"), users_before);
}

TEST_P(RoutesTest, CreateUserValidationAndConflicts) {
  const std::string token = Login("admin");
  const int64_t users_before = Count("users");
  ExpectProblem(Call("POST", "/api/v1/users",
                     R"({"username":"n.new","display_name":"N","role":"king"})", token),
                400, "role");
  ExpectProblem(Call("POST", "/api/v1/users", R"({"username":"n.new","role":"officer"})", token),
                400, "display_name");
  ExpectProblem(Call("POST", "/api/v1/users",
                     R"({"username":"N New!","display_name":"N","role":"officer"})", token),
                400, "username");
  ExpectProblem(Call("POST", "/api/v1/users",
                     R"({"username":"n.new","display_name":"N","role":"officer","password":"short"})",
                     token),
                400, "password");
  ExpectProblem(Call("POST", "/api/v1/users",
                     R"({"username":"n.new","display_name":true,"role":"officer"})", token),
                400, "display_name");
  EXPECT_EQ(Count("users"), users_before);

  TestResponse created = Call(
      "POST", "/api/v1/users", R"({"username":"n.new","display_name":"N New","role":"officer"})",
      token);
  ASSERT_EQ(created.status, 201) << created.body;
  boost::json::object body = Json(created);
  EXPECT_EQ(body["user"].as_object()["role"].as_string(), "officer");
  EXPECT_FALSE(body["user"].as_object().contains("password_hash"));
  EXPECT_GE(body["initial_password"].as_string().size(), 12u);
  ExpectProblem(Call("POST", "/api/v1/users",
                     R"({"username":"n.new","display_name":"Again","role":"officer"})", token),
                409, "username");
  EXPECT_EQ(Count("users"), users_before + 1);

  // The generated password works.
  TestResponse login = Call("POST", "/api/v1/session",
                            R"({"username":"n.new","password":")" +
                                std::string(body["initial_password"].as_string()) + "\"}");
  EXPECT_EQ(login.status, 201) << login.body;
}

TEST_P(RoutesTest, PermissionsComeFromThePolicy) {
  const std::string officer = Login("officer1");
  ExpectProblem(Call("POST", "/api/v1/users",
                     R"({"username":"x.y","display_name":"X","role":"admin"})", officer),
                403);
  ExpectProblem(Call("GET", "/api/v1/users", {}, officer), 403);
  ExpectProblem(Call("GET", "/api/v1/audit", {}, officer), 403);
  const std::string admin = Login("admin");
  ExpectProblem(Call("GET", "/api/v1/audit", {}, admin), 403);  // separation of duties
  EXPECT_EQ(Call("GET", "/api/v1/users", {}, admin).status, 200);
  // Denials are audited.
  auto tx = *store_.db().Begin(db::TxMode::kRead);
  auto denied = *tx->Query("SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied'");
  EXPECT_GE(denied[0].GetInt(0), 4);
}

TEST_P(RoutesTest, UpdateGetAndResetPassword) {
  const std::string admin = Login("admin");
  TestResponse list = Call("GET", "/api/v1/users?limit=2", {}, admin);
  ASSERT_EQ(list.status, 200) << list.body;
  boost::json::object page = Json(list);
  ASSERT_EQ(page["users"].as_array().size(), 2u);
  EXPECT_EQ(page["next_after"].as_string(), "auditor1");
  ExpectProblem(Call("GET", "/api/v1/users?limit=0", {}, admin), 400, "limit");
  ExpectProblem(Call("GET", "/api/v1/users?limit=abc", {}, admin), 400, "limit");

  // Find officer1's id.
  std::string officer_id;
  const boost::json::object all = Json(Call("GET", "/api/v1/users", {}, admin));
  for (const auto& u : all.at("users").as_array()) {
    if (u.as_object().at("username").as_string() == "officer1") {
      officer_id = std::string(u.as_object().at("id").as_string());
    }
  }
  ASSERT_FALSE(officer_id.empty());
  const std::string path = "/api/v1/users/" + officer_id;
  ExpectProblem(Call("GET", "/api/v1/users/not-a-uuid", {}, admin), 400, "id");
  ExpectProblem(Call("GET", "/api/v1/users/019b76da-a87b-7000-8000-000000000000", {}, admin), 404);
  ExpectProblem(Call("PATCH", path, R"({"role":"emperor"})", admin), 400, "role");
  ExpectProblem(Call("PATCH", path, R"({"disabled":"yes"})", admin), 400, "disabled");
  ExpectProblem(Call("PATCH", path, "{}", admin), 400);

  const std::string officer = Login("officer1");
  TestResponse patched = Call("PATCH", path, R"({"display_name":"Officer One","role":"supervisor"})",
                              admin);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched)["role"].as_string(), "supervisor");
  EXPECT_EQ(Json(Call("GET", path, {}, admin))["display_name"].as_string(), "Officer One");

  TestResponse disabled = Call("PATCH", path, R"({"disabled":true})", admin);
  ASSERT_EQ(disabled.status, 200);
  ExpectProblem(Call("GET", "/api/v1/me", {}, officer), 401);  // sessions ended

  TestResponse reset = Call("POST", path + "/reset-password", {}, admin);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_GE(Json(reset)["password"].as_string().size(), 12u);
  ExpectProblem(Call("POST", path + "/reset-password", R"({"password":"tiny"})", admin), 400,
                "password");
}

TEST_P(RoutesTest, AuditorReadsFiltersAndVerifies) {
  const std::string admin = Login("admin");
  ASSERT_EQ(Call("POST", "/api/v1/users",
                 R"({"username":"z.new","display_name":"Z","role":"analyst"})", admin)
                .status,
            201);
  const std::string auditor = Login("auditor1");
  TestResponse r = Call("GET", "/api/v1/audit?action=user.create&limit=500", {}, auditor,
                        {{"X-Purpose", "quarterly review"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const boost::json::object page = Json(r);
  const auto& entries = page.at("entries").as_array();
  ASSERT_EQ(entries.size(), 4u);  // three in setup, one above
  for (const auto& e : entries) EXPECT_EQ(e.as_object().at("action").as_string(), "user.create");
  EXPECT_EQ(std::string(entries[0].as_object().at("object").as_string()).substr(0, 5), "user/");

  ExpectProblem(Call("GET", "/api/v1/audit?from=yesterday", {}, auditor), 400, "from");
  ExpectProblem(Call("GET", "/api/v1/audit?limit=501", {}, auditor), 400, "limit");
  ExpectProblem(Call("GET", "/api/v1/audit?before_seq=0", {}, auditor), 400, "before_seq");

  // The auditor's read is itself audited, with its purpose.
  TestResponse reads = Call("GET", "/api/v1/audit?action=audit.read", {}, auditor);
  const boost::json::object reads_page = Json(reads);
  const auto& read_entries = reads_page.at("entries").as_array();
  ASSERT_FALSE(read_entries.empty());
  bool found = false;
  for (const auto& e : read_entries) {
    found |= e.as_object().at("purpose").as_string() == "quarterly review";
  }
  EXPECT_TRUE(found);
  // A purpose in Arabic, sent the way browsers must (RFC 8187), is recorded
  // as text; a malformed one is refused naming the header.
  ASSERT_EQ(Call("GET", "/api/v1/audit?limit=1", {}, auditor,
                 {{"X-Purpose", "utf-8''%D9%85%D8%B1%D8%A7%D8%AC%D8%B9%D8%A9"}})
                .status,
            200);
  TestResponse arabic = Call("GET", "/api/v1/audit?action=audit.read&limit=1", {}, auditor);
  const boost::json::object arabic_page = Json(arabic);
  EXPECT_EQ(arabic_page.at("entries").as_array()[0].as_object().at("purpose").as_string(),
            "مراجعة");
  ExpectProblem(Call("GET", "/api/v1/audit?limit=1", {}, auditor, {{"X-Purpose", "utf-8''%D9%8"}}),
                400, "X-Purpose");

  TestResponse verify = Call("GET", "/api/v1/audit/verify", {}, auditor);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_TRUE(Json(verify)["ok"].as_bool());
}

TEST_P(RoutesTest, UnknownRoutesAndMethods) {
  ExpectProblem(Call("GET", "/api/v1/nothing-here"), 404);
  TestResponse r = Call("PUT", "/api/v1/me");
  ExpectProblem(r, 405);
  EXPECT_TRUE(r.Header("Allow").has_value());
}

INSTANTIATE_TEST_SUITE_P(Stores, RoutesTest, ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::api
