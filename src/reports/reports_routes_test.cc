// GET /api/v1/reports/cooperation end to end, in-process: a real server on
// a loopback port, a migrated store with a partner and a few records, users
// of each role. JSON and CSV (exact body), 403 for officers, 400 naming
// from/to.
#include "reports/reports_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "api/operational_routes.h"
#include "api/routes.h"
#include "api/server.h"
#include "api/test_assertions.h"
#include "api/test_client.h"
#include "common/json.h"
#include "db/test_stores.h"
#include "reports/test_reports.h"
#include "security/audit_access.h"
#include "security/password.h"

namespace jisr::reports {
namespace {

using http::TestHeaders;
using http::TestResponse;
using http::testing::ExpectProblem;
using http::testing::JsonOf;
using namespace testing;  // NOLINT: the test helpers

constexpr const char* kPassword = "correct horse battery";

class ReportRoutesTest : public ::testing::TestWithParam<std::string> {
 protected:
  ReportRoutesTest()
      : store_(GetParam()),
        audit_(clock_),
        users_(store_.db(), audit_, clock_, UserOptions()),
        sessions_(store_.db(), audit_, clock_, SessionOpts()),
        audit_access_(store_.db(), audit_),
        reports_(store_.db(), audit_, clock_, ReportOptions{"MA-DGSN"}) {
    api_context_.users = &users_;
    api_context_.sessions = &sessions_;
    api_context_.audit_access = &audit_access_;
    api_context_.agency["code"] = "MA-DGSN";
    context_.sessions = &sessions_;
    context_.reports = &reports_;
    const auto op = security::Principal::CliOperator("test");
    for (auto [name, role] : {std::pair{"super1", security::Role::kSupervisor},
                              std::pair{"officer1", security::Role::kOfficer},
                              std::pair{"auditor1", security::Role::kAuditor}}) {
      auto u = users_.Create(op, {name, std::string("Test ") + name, role, kPassword}, "setup");
      EXPECT_TRUE(u.ok()) << u.status();
    }
    EXPECT_TRUE(
        http::AddOperationalRoutes(&router_, &registry_, [] { return absl::OkStatus(); }).ok());
    EXPECT_TRUE(api::AddApiRoutes(router_, api_context_).ok());
    EXPECT_TRUE(AddReportRoutes(router_, context_).ok());
    http::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    server_ = std::make_unique<http::Server>(options, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
    AddPeer(store_.db(), kFr, "French National Police");
    AddMessage(store_.db(), kMa, Inside(), {std::string(kFr)});
    AddMessage(store_.db(), kFr, Inside(), {std::string(kMa)});
    AddMessage(store_.db(), kFr, Before(), {std::string(kMa)});
  }
  ~ReportRoutesTest() override { server_->Stop(); }

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

  TestResponse Call(std::string_view target, const std::string& token,
                    std::string_view accept = "") {
    http::TestHttpClient client("127.0.0.1", server_->port());
    TestHeaders headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!accept.empty()) headers.emplace_back("Accept", std::string(accept));
    headers.emplace_back("X-Purpose", "bilateral meeting");
    absl::StatusOr<TestResponse> r = client.Request("GET", target, "", headers);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : TestResponse{};
  }

  const std::string& Token(const std::string& username) {
    auto it = tokens_.find(username);
    if (it != tokens_.end()) return it->second;
    http::TestHttpClient client("127.0.0.1", server_->port());
    absl::StatusOr<TestResponse> r =
        client.Request("POST", "/api/v1/session",
                       R"({"username":")" + username + R"(","password":")" + kPassword + "\"}",
                       {{"Content-Type", "application/json"}});
    EXPECT_TRUE(r.ok() && r->status == 201);
    return tokens_[username] = r.ok() ? std::string(JsonOf(*r).at("token").as_string()) : "";
  }

  FakeClock clock_{Day(2026, 4, 15)};
  db::testing::TestStore store_;
  audit::AuditLog audit_;
  security::UserService users_;
  security::SessionService sessions_;
  security::AuditAccess audit_access_;
  ReportService reports_;
  api::ApiContext api_context_;
  ReportRoutesContext context_;
  metrics::Registry registry_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::map<std::string, std::string> tokens_;
};

constexpr std::string_view kTarget = "/api/v1/reports/cooperation?from=2026-03-01&to=2026-03-31";

TEST_P(ReportRoutesTest, JsonForSupervisorsAndAuditors) {
  for (const char* user : {"super1", "auditor1"}) {
    TestResponse r = Call(kTarget, Token(user));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/json");
    boost::json::object o = JsonOf(r);
    EXPECT_EQ(o["from"].as_string(), "2026-03-01T00:00:00.000Z");
    EXPECT_EQ(o["to"].as_string(), "2026-04-01T00:00:00.000Z");
    EXPECT_EQ(o["agency"].as_string(), "MA-DGSN");
    const boost::json::array& partners = o["partners"].as_array();
    ASSERT_EQ(partners.size(), 1u);
    const boost::json::object& fr = partners[0].as_object();
    EXPECT_EQ(fr.at("agency").as_string(), "FR-DGPN");
    EXPECT_EQ(fr.at("name").as_string(), "French National Police");
    EXPECT_EQ(fr.at("messages").at("sent").as_int64(), 1);
    EXPECT_EQ(fr.at("messages").at("received").as_int64(), 1);  // not the one before
    EXPECT_EQ(fr.at("alerts").at("shared_with").as_int64(), 0);
    EXPECT_TRUE(fr.at("assistance").at("sent").at("within_deadline_pct").is_null());
    EXPECT_EQ(o["totals"].at("messages").at("received").as_int64(), 1);
  }
}

TEST_P(ReportRoutesTest, CsvWhenAskedFor) {
  TestResponse r = Call(kTarget, Token("super1"), "text/csv");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type").value_or(""), "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(r.Header("Content-Disposition").value_or(""),
            "attachment; filename=\"cooperation-MA-DGSN-2026-03-01-2026-03-31.csv\"");
  EXPECT_EQ(r.body,
            "agency,name,alerts_shared_with,alerts_received_from,alerts_in_force_shared_with,"
            "alerts_in_force_received_from,hits_by_partner,hits_by_us,assistance_sent,"
            "assistance_sent_answered,assistance_sent_refused,"
            "assistance_sent_within_deadline_pct,assistance_received,"
            "assistance_received_answered,assistance_received_refused,"
            "assistance_received_within_deadline_pct,messages_sent,messages_received,"
            "operations,operations_led_by_us,operations_led_by_partner,"
            "training_sessions_provided,training_sessions_attended,"
            "training_participants_trained,screening_campaigns,applicants_screened,"
            "applicants_matched,applicants_refused\r\n"
            "FR-DGPN,French National Police,0,0,0,0,0,0,0,0,0,,0,0,0,,1,1,0,0,0,0,0,0,0,0,0,0\r\n"
            "TOTAL,,0,0,0,0,0,0,0,0,0,,0,0,0,,1,1,0,0,0,0,0,0,0,0,0,0\r\n");
}

TEST_P(ReportRoutesTest, OfficersAreRefusedAndBadPeriodsNameTheParameter) {
  ExpectProblem(Call(kTarget, Token("officer1")), 403);
  ExpectProblem(Call(kTarget, ""), 401);
  const std::string& token = Token("super1");
  ExpectProblem(Call("/api/v1/reports/cooperation?from=2026-13-01", token), 400, "from");
  ExpectProblem(Call("/api/v1/reports/cooperation?to=tomorrow", token), 400, "to");
  ExpectProblem(Call("/api/v1/reports/cooperation?from=2026-04-01&to=2026-03-01", token), 400,
                "from");
  ExpectProblem(Call("/api/v1/reports/cooperation?from=2000-01-01&to=2026-01-01", token), 400,
                "to");
  // Defaults: the twelve months up to now.
  TestResponse r = Call("/api/v1/reports/cooperation", token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonOf(r)["from"].as_string(), "2025-04-15T00:00:00.000Z");
  EXPECT_EQ(JsonOf(r)["to"].as_string(), "2026-04-15T00:00:00.000Z");
}

INSTANTIATE_TEST_SUITE_P(reports, ReportRoutesTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::reports
