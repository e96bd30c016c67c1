// GET /api/v1/reports/cooperation end to end, in-process: a real server on
// a loopback port, a migrated store with a partner and a few records, users
// of each role. JSON and CSV (exact body), 403 for officers, 400 naming
// from/to.
#include "reports/reports_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/test_route_node.h"
#include "common/json.h"
#include "reports/test_reports.h"

namespace jisr::reports {
namespace {

using http::TestHeaders;
using http::TestResponse;
using http::testing::JsonOf;
using namespace testing;  // NOLINT: the test helpers

class ReportRoutesTest : public http::testing::RouteTest {
 protected:
  ReportRoutesTest() : reports_(node_.db(), node_.audit(), node_.clock(), ReportOptions{"MA-DGSN"}) {
    node_.clock().Set(Day(2026, 4, 15));
    context_.sessions = &node_.sessions();
    context_.reports = &reports_;
    EXPECT_TRUE(AddReportRoutes(node_.router(), context_).ok());
    node_.Start();
    AddPeer(node_.db(), kFr, "French National Police");
    AddMessage(node_.db(), kMa, Inside(), {std::string(kFr)});
    AddMessage(node_.db(), kFr, Inside(), {std::string(kMa)});
    AddMessage(node_.db(), kFr, Before(), {std::string(kMa)});
  }

  // GET `target` as the holder of `token`, accepting `accept`.
  TestResponse Call(std::string_view target, const std::string& token,
                    std::string_view accept = "") {
    TestHeaders headers{{"X-Purpose", "bilateral meeting"}};
    if (!accept.empty()) headers.emplace_back("Accept", std::string(accept));
    return node_.Call("GET", target, {}, token, std::move(headers));
  }

  ReportService reports_;
  ReportRoutesContext context_;
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
