// The alerts routes end to end, in-process: a real server on a loopback port,
// a migrated store, the security and alerts services, and a client signing
// in as each role. Bad input gets a 4xx problem+json naming the field and
// writes nothing; the permission matrix of the issue is walked through the
// API.
#include "alerts/alerts_routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "alerts/hit_service.h"
#include "alerts/screening_jobs.h"
#include "alerts/screening_service.h"
#include "api/test_route_node.h"
#include "common/json.h"

namespace jisr::alerts {
namespace {

using http::TestHeaders;
using http::TestResponse;

// A valid arrest alert for a fictional person (body of POST /api/v1/alerts).
constexpr std::string_view kArrest = R"json({
  "category": "arrest_extradition",
  "names": [{"full": "Karim Testaoui", "given": "Karim", "family": "Testaoui"},
            {"full": "كريم تستاوي", "kind": "alias"}],
  "birth_date": "1984-03-12",
  "nationalities": ["MA"],
  "gender": "male",
  "documents": [{"type": "passport", "number": "ZX000111", "country": "MA"}],
  "offence": "Organised fraud (synthetic test case)",
  "warrant": {"reference": "W-2025-0001", "authority": "Test Court", "issued_on": "2025-11-02"},
  "action": "Arrest with a view to extradition.",
  "warnings": ["violent"],
  "handling_code": "H2",
  "share_with": ["FR-DGPN"]
})json";

class AlertsRoutesTest : public http::testing::RouteTest {
 protected:
  AlertsRoutesTest()
      : clock_(node_.clock()),
        alerts_(node_.db(), node_.audit(), clock_, &index_, AlertOptions()),
        screening_(node_.db(), node_.audit(), index_),
        hits_(node_.db(), node_.audit(), clock_, "MA-DGSN"),
        jobs_(node_.db(), node_.audit(), clock_, index_) {
    context_.sessions = &node_.sessions();
    context_.alerts = &alerts_;
    context_.screening = &screening_;
    context_.hits = &hits_;
    context_.jobs = &jobs_;
    EXPECT_TRUE(AddAlertRoutes(node_.router(), context_).ok());
    node_.Start();
  }

  static AlertServiceOptions AlertOptions() {
    AlertServiceOptions o;
    o.agency = "MA-DGSN";
    return o;
  }

  // Drafts kArrest as officer1; returns its id.
  std::string Create(std::string_view body = kArrest,
                     const std::string& user = "officer1") {
    TestResponse r = Call("POST", "/api/v1/alerts", body, Token(user));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(Json(r)["id"].as_string());
  }

  int64_t VersionOf(const std::string& id) {
    TestResponse r = Call("GET", "/api/v1/alerts/" + id, {}, Token("super1"));
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r)["version"].as_int64();
  }

  std::string VersionBody(const std::string& id, std::string_view extra = {}) {
    return fmt::format(R"({{"version": {}{}{}}})", VersionOf(id),
                       extra.empty() ? "" : ", ", extra);
  }

  FakeClock& clock_;
  AlertIndex index_;
  AlertService alerts_;
  ScreeningService screening_;
  HitService hits_;
  ScreeningJobService jobs_;
  AlertRoutesContext context_;
};

TEST_P(AlertsRoutesTest, DraftActivateReadScreenAndReportAHit) {
  TestResponse created =
      Call("POST", "/api/v1/alerts", kArrest, Token("officer1"));
  ASSERT_EQ(created.status, 201) << created.body;
  boost::json::object c = Json(created);
  const std::string id(c["id"].as_string());
  EXPECT_EQ(c["status"].as_string(), "draft");
  EXPECT_EQ(c["version"].as_int64(), 1);
  EXPECT_EQ(created.Header("Location").value_or(""), "/api/v1/alerts/" + id);

  TestResponse activated = Call("POST", "/api/v1/alerts/" + id + "/activate",
                                R"({"version": 1})", Token("super1"));
  ASSERT_EQ(activated.status, 200) << activated.body;
  boost::json::object a = Json(activated);
  EXPECT_EQ(a["status"].as_string(), "active");
  EXPECT_EQ(a["version"].as_int64(), 2);
  EXPECT_EQ(a["review_at"].as_string(), "2031-01-01T00:00:00.000Z");
  EXPECT_EQ(a["read_only"].as_bool(), false);

  TestResponse got = Call("GET", "/api/v1/alerts/" + id, {}, Token("analyst1"),
                          {{"X-Purpose", "case 2026/4"}});
  ASSERT_EQ(got.status, 200) << got.body;
  boost::json::object g = Json(got);
  EXPECT_EQ(g["names"].as_array().size(), 2u);
  EXPECT_EQ(g["warrant"].as_object()["reference"].as_string(), "W-2025-0001");

  TestResponse screened = Call(
      "POST", "/api/v1/screen",
      R"({"purpose": "border check", "person": {"name": "Karim Testaoui", "birth_date": "1984",
          "nationality": ["MA"], "gender": "male"}})",
      Token("officer2"));
  ASSERT_EQ(screened.status, 200) << screened.body;
  boost::json::array matches = Json(screened)["matches"].as_array();
  ASSERT_EQ(matches.size(), 1u);
  boost::json::object m = matches[0].as_object();
  EXPECT_EQ(m["alert_id"].as_string(), id);
  EXPECT_EQ(m["category"].as_string(), "arrest_extradition");
  EXPECT_EQ(m["owner"].as_string(), "MA-DGSN");
  EXPECT_EQ(m["action"].as_string(), "Arrest with a view to extradition.");
  EXPECT_EQ(m["warnings"].as_array()[0].as_string(), "violent");
  EXPECT_TRUE(m["explanation"].is_object());
  EXPECT_GT(m["score"].as_double(), 0.8);

  TestResponse hit =
      Call("POST", "/api/v1/alerts/" + id + "/hits",
           R"({"place": "Tanger Med", "occurred_at": "2025-12-31T22:00:00Z",
          "circumstances": "Identified at passport control.", "action_taken": "Held.",
          "contact": "Duty officer"})",
           Token("officer2"));
  ASSERT_EQ(hit.status, 201) << hit.body;
  const std::string hit_id(Json(hit)["id"].as_string());
  TestResponse inbox =
      Call("GET", "/api/v1/hits?state=reported", {}, Token("super2"));
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  EXPECT_EQ(Json(inbox)["total"].as_int64(), 1);
  TestResponse ack =
      Call("POST", "/api/v1/hits/" + hit_id + "/acknowledge",
           R"({"version": 1, "reply": "On our way"})", Token("super2"));
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(Json(ack)["state"].as_string(), "acknowledged");
  TestResponse closed =
      Call("POST", "/api/v1/hits/" + hit_id + "/close",
           R"({"version": 2, "false_match": false})", Token("super2"));
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Json(closed)["state"].as_string(), "closed");
  TestResponse hits_of_alert =
      Call("GET", "/api/v1/alerts/" + id + "/hits", {}, Token("analyst1"));
  ASSERT_EQ(hits_of_alert.status, 200);
  EXPECT_EQ(Json(hits_of_alert)["hits"].as_array().size(), 1u);

  TestResponse executed =
      Call("POST", "/api/v1/alerts/" + id + "/execute",
           R"({"version": 2, "date": "2026-01-01", "place": "Tanger Med"})",
           Token("officer2"));
  ASSERT_EQ(executed.status, 200) << executed.body;
  EXPECT_EQ(Json(executed)["status"].as_string(), "executed");
  EXPECT_EQ(Json(executed)["execution"].as_object()["place"].as_string(),
            "Tanger Med");

  TestResponse history =
      Call("GET", "/api/v1/alerts/" + id + "/history", {}, Token("super1"));
  ASSERT_EQ(history.status, 200) << history.body;
  boost::json::array versions = Json(history)["history"].as_array();
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[2].as_object().at("change").as_string(), "execute");
}

TEST_P(AlertsRoutesTest, EveryInvalidAlertIsA400NamingTheField) {
  const int64_t before = Count("alerts");
  const std::string& officer = Token("officer1");
  const auto with = [](std::string_view key, std::string_view value) {
    boost::json::object o = *ParseJsonObject(kArrest);
    if (value.empty()) {
      o.erase(key);
    } else {
      o[key] = *ParseJson(value);
    }
    return ToJson(o);
  };
  const std::pair<std::string, std::string> cases[] = {
      {with("names", R"([{"full": "Karim"}, {"full": ""}])"), "names[1].full"},
      {with("names", R"([{"full": "Karim", "kind": "nickname"}])"),
       "names[0].kind"},
      {with("documents", R"([{"type":"passport","number":"A1","country":"MA"},
                             {"type":"passport","number":"B2","country":"Morocco"}])"),
       "documents[1].country"},
      {with(
           "documents",
           R"([{"type":"passport","number":"A1","country":"MA","expires_on":"2030-13-01"}])"),
       "documents[0].expires_on"},
      {with("birth_date", R"("1984-3")"), "birth_date"},
      {with("nationalities", R"(["MA", "XX"])"), "nationalities[1]"},
      {with("warrant", ""), "warrant"},
      {with("warrant", R"({"reference": "W", "authority": "C"})"),
       "warrant.issued_on"},
      {with("category", R"("wanted_dead_or_alive")"), "category"},
      {with("handling_code", R"("H9")"), "handling_code"},
      {with("warnings", R"(["armed", 1])"), "warnings[1]"},
      {with("share_with", R"(["FR-DGPN", "paris"])"), "share_with[1]"},
      {with("action", ""), "action"},
      {with("colour", R"("blue")"), "colour"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(field);
    ExpectProblem(Call("POST", "/api/v1/alerts", body, officer), 400, field);
  }
  ExpectProblem(Call("POST", "/api/v1/alerts", "{\"names\": ", officer), 400);
  ExpectProblem(Call("POST", "/api/v1/alerts", "[]", officer), 400);
  ExpectProblem(Call("POST", "/api/v1/alerts", "", officer), 400);
  ExpectProblem(
      Call("POST", "/api/v1/alerts",
           "{\"category\": \"locate\", \"names\": [{\"full\": \"\xff\"}]}",
           officer),
      400);
  EXPECT_EQ(Count("alerts"), before);

  // PATCH, transitions and queries name their fields too.
  const std::string id = Create();
  ExpectProblem(
      Call("PATCH", "/api/v1/alerts/" + id, R"({"birth_place": "X"})", officer),
      400, "version");
  ExpectProblem(
      Call(
          "PATCH", "/api/v1/alerts/" + id,
          R"({"version": 1, "documents": [{"type": "visa", "number": "1", "country": "ZZ"}]})",
          officer),
      400, "documents[0].country");
  ExpectProblem(
      Call("PATCH", "/api/v1/alerts/" + id, R"({"version": "1"})", officer),
      400, "version");
  ExpectProblem(Call("POST", "/api/v1/alerts/" + id + "/withdraw",
                     R"({"version": 1})", Token("super1")),
                400, "reason");
  ExpectProblem(
      Call("POST", "/api/v1/alerts/" + id + "/execute",
           R"({"version": 1, "date": "yesterday", "place": "X"})", officer),
      400, "date");
  ExpectProblem(
      Call("POST", "/api/v1/alerts/" + id + "/extend",
           R"({"version": 1, "justification": "x", "review_at": "soon"})",
           Token("super1")),
      400, "review_at");
  ExpectProblem(Call("GET", "/api/v1/alerts?status=lost", {}, officer), 400,
                "status");
  ExpectProblem(Call("GET", "/api/v1/alerts?category=x", {}, officer), 400,
                "category");
  ExpectProblem(Call("GET", "/api/v1/alerts?page=0", {}, officer), 400, "page");
  ExpectProblem(Call("GET", "/api/v1/alerts?page_size=1000", {}, officer), 400,
                "page_size");
  ExpectProblem(Call("GET", "/api/v1/alerts/not-a-uuid", {}, officer), 400,
                "id");
  ExpectProblem(
      Call("GET", "/api/v1/alerts/0192f1d4-5b6c-7000-8000-00000000ffff", {},
           officer),
      404);
  ExpectProblem(
      Call("POST", "/api/v1/screen", R"({"person": {"name": "A"}})", officer),
      400, "purpose");
  ExpectProblem(Call("POST", "/api/v1/screen",
                     R"({"purpose": "  ", "person": {"name": "A"}})", officer),
                400, "purpose");
  // The permission before the purpose: an auditor may not screen, whatever
  // the purpose (a denial audited, not a field error).
  ExpectProblem(Call("POST", "/api/v1/screen", R"({"person": {"name": "A"}})",
                     Token("auditor1")),
                403);
  ExpectProblem(
      Call(
          "POST", "/api/v1/screen",
          R"({"purpose": "p", "person": {"name": "A", "nationality": ["XX"]}})",
          officer),
      400, "person.nationality[0]");
  ExpectProblem(Call("POST", "/api/v1/screen", R"({"purpose": "p"})", officer),
                400, "person");
  ExpectProblem(
      Call("POST", "/api/v1/screen",
           R"({"purpose": "p", "person": {"name": "A"}, "top_k": 0})", officer),
      400, "top_k");
  EXPECT_EQ(VersionOf(id), 1);
}

TEST_P(AlertsRoutesTest, StaleVersionIs409) {
  const std::string id = Create();
  ASSERT_EQ(Call("PATCH", "/api/v1/alerts/" + id,
                 R"({"version": 1, "birth_place": "A"})", Token("officer1"))
                .status,
            200);
  TestResponse stale =
      Call("PATCH", "/api/v1/alerts/" + id,
           R"({"version": 1, "birth_place": "B"})", Token("officer2"));
  ExpectProblem(stale, 409);
  ExpectProblem(Call("POST", "/api/v1/alerts/" + id + "/activate",
                     R"({"version": 1})", Token("super1")),
                409);
  TestResponse read =
      Call("GET", "/api/v1/alerts/" + id, {}, Token("officer1"));
  EXPECT_EQ(Json(read)["birth_place"].as_string(), "A");
  EXPECT_EQ(Json(read)["version"].as_int64(), 2);
}

TEST_P(AlertsRoutesTest, ListIsPagedAndFiltered) {
  const std::string a = Create();
  clock_.Advance(absl::Seconds(1));
  const std::string b =
      Create(R"({"category": "locate", "names": [{"full": "Nadia Exemplia"}],
                                   "action": "Report the address."})");
  clock_.Advance(absl::Seconds(1));
  const std::string c =
      Create(R"({"category": "witness", "names": [{"full": "Omar Sampleman"}],
                                   "action": "Invite to testify."})");
  TestResponse page =
      Call("GET", "/api/v1/alerts?page=1&page_size=2", {}, Token("analyst1"));
  ASSERT_EQ(page.status, 200) << page.body;
  boost::json::object p = Json(page);
  EXPECT_EQ(p["total"].as_int64(), 3);
  ASSERT_EQ(p["alerts"].as_array().size(), 2u);
  EXPECT_EQ(p["alerts"].as_array()[0].as_object()["id"].as_string(), c);
  page =
      Call("GET", "/api/v1/alerts?page=2&page_size=2", {}, Token("analyst1"));
  ASSERT_EQ(Json(page)["alerts"].as_array().size(), 1u);
  EXPECT_EQ(Json(page)["alerts"].as_array()[0].as_object()["id"].as_string(),
            a);
  page = Call("GET", "/api/v1/alerts?category=locate", {}, Token("analyst1"));
  EXPECT_EQ(Json(page)["total"].as_int64(), 1);
  EXPECT_EQ(Json(page)["alerts"]
                .as_array()[0]
                .as_object()["primary_name"]
                .as_string(),
            "Nadia Exemplia");
  page = Call("GET", "/api/v1/alerts?q=sampleman&status=draft", {},
              Token("analyst1"));
  EXPECT_EQ(Json(page)["total"].as_int64(), 1);
  EXPECT_EQ(Json(page)["alerts"].as_array()[0].as_object()["id"].as_string(),
            c);
  page = Call("GET", "/api/v1/alerts?status=active", {}, Token("analyst1"));
  EXPECT_EQ(Json(page)["total"].as_int64(), 0);
  (void)b;
}

// The permission matrix of the issue, walked through the API: officers draft
// and screen; supervisors activate, extend and withdraw; analysts read and
// screen; auditors read the audit log but no personal data; admins manage
// users but see no alert.
TEST_P(AlertsRoutesTest, PermissionMatrix) {
  const std::string screen_body =
      R"({"purpose": "check", "person": {"name": "Karim Testaoui"}})";
  const std::string new_alert(kArrest);
  struct Expect {
    std::string user;
    int create, list, read, update, screen;
  };
  const std::string id = Create();
  const Expect rows[] = {
      {"officer2", 201, 200, 200, 200, 200},
      {"super2", 201, 200, 200, 200, 200},
      {"analyst1", 403, 200, 200, 403, 200},
      {"auditor1", 403, 403, 403, 403, 403},
      {"admin1", 403, 403, 403, 403, 403},
  };
  for (const Expect& e : rows) {
    SCOPED_TRACE(e.user);
    const std::string& t = Token(e.user);
    EXPECT_EQ(Call("POST", "/api/v1/alerts", new_alert, t).status, e.create);
    EXPECT_EQ(Call("GET", "/api/v1/alerts", {}, t).status, e.list);
    EXPECT_EQ(Call("GET", "/api/v1/alerts/" + id, {}, t).status, e.read);
    EXPECT_EQ(Call("GET", "/api/v1/alerts/" + id + "/history", {}, t).status,
              e.read);
    EXPECT_EQ(Call("PATCH", "/api/v1/alerts/" + id,
                   VersionBody(id, R"("birth_place": "P")"), t)
                  .status,
              e.update);
    EXPECT_EQ(Call("POST", "/api/v1/screen", screen_body, t).status, e.screen);
    EXPECT_EQ(Call("GET", "/api/v1/hits", {}, t).status, e.read);
  }
  // Only supervisors activate, suspend, extend and withdraw, and not their own
  // drafts (four eyes).
  for (const char* user :
       {"officer1", "officer2", "analyst1", "auditor1", "admin1"}) {
    SCOPED_TRACE(user);
    ExpectProblem(Call("POST", "/api/v1/alerts/" + id + "/activate",
                       VersionBody(id), Token(user)),
                  403);
  }
  const std::string own = Create(kArrest, "super1");
  ExpectProblem(Call("POST", "/api/v1/alerts/" + own + "/activate",
                     VersionBody(own), Token("super1")),
                403);
  // super2 edited `id` above: super1 approves it.
  ASSERT_EQ(Call("POST", "/api/v1/alerts/" + id + "/activate", VersionBody(id),
                 Token("super1"))
                .status,
            200);
  for (const char* user : {"officer1", "analyst1", "auditor1", "admin1"}) {
    SCOPED_TRACE(user);
    ExpectProblem(Call("POST", "/api/v1/alerts/" + id + "/suspend",
                       VersionBody(id, R"("reason": "r")"), Token(user)),
                  403);
    ExpectProblem(Call("POST", "/api/v1/alerts/" + id + "/extend",
                       VersionBody(id, R"("justification": "j")"), Token(user)),
                  403);
    ExpectProblem(Call("POST", "/api/v1/alerts/" + id + "/withdraw",
                       VersionBody(id, R"("reason": "r")"), Token(user)),
                  403);
  }
  EXPECT_EQ(Call("POST", "/api/v1/alerts/" + id + "/extend",
                 VersionBody(id, R"("justification": "Still sought")"),
                 Token("super2"))
                .status,
            200);
  EXPECT_EQ(Call("POST", "/api/v1/alerts/" + id + "/suspend",
                 VersionBody(id, R"("reason": "Check")"), Token("super2"))
                .status,
            200);
  EXPECT_EQ(Call("POST", "/api/v1/alerts/" + id + "/withdraw",
                 VersionBody(id, R"("reason": "Done")"), Token("super2"))
                .status,
            200);
  // The auditor reads the audit log (the admin may not); the denials are in it.
  TestResponse audit = Call("GET", "/api/v1/audit?outcome=denied&limit=500", {},
                            Token("auditor1"));
  ASSERT_EQ(audit.status, 200) << audit.body;
  ExpectProblem(Call("GET", "/api/v1/audit", {}, Token("admin1")), 403);
  auto tx = *node_.db().Begin(db::TxMode::kRead);
  auto denied = *tx->Query(
      "SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied' AND "
      "action LIKE 'alert.%'");
  EXPECT_GE(denied[0].GetInt(0), 20);
}

TEST_P(AlertsRoutesTest, ImportAndExportThroughTheApi) {
  const std::string csv =
      "id,name,aliases,birth_date,nationality,gender,document\n"
      "W1,Karim Testaoui,,1984,MA,male,ZX1\n"
      "W2,Nadia Exemplia,,1990-13,MA,female,\n";
  TestResponse bad =
      Call("POST", "/api/v1/alerts/import?format=csv", csv, Token("officer1"));
  ExpectProblem(bad, 400);
  boost::json::array errors = Json(bad)["errors"].as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].as_object()["line"].as_int64(), 3);
  EXPECT_EQ(errors[0].as_object()["source"].as_string(), "csv:W2");
  EXPECT_EQ(Count("alerts"), 0);
  TestResponse ok = Call(
      "POST",
      "/api/v1/alerts/import?format=csv&skip_invalid=true&category=witness",
      csv, Token("officer1"));
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Json(ok)["created"].as_array().size(), 1u);
  EXPECT_EQ(Json(ok)["errors"].as_array().size(), 1u);
  TestResponse again =
      Call("POST", "/api/v1/alerts/import?format=csv&skip_invalid=true", csv,
           Token("officer1"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again)["unchanged"].as_int64(), 1);
  EXPECT_EQ(Count("alerts"), 1);
  ExpectProblem(
      Call("POST", "/api/v1/alerts/import?format=xml", csv, Token("officer1")),
      400, "format");
  ExpectProblem(
      Call("POST", "/api/v1/alerts/import?format=csv", csv, Token("analyst1")),
      403);

  TestResponse exported =
      Call("GET", "/api/v1/alerts/export?format=csv", {}, Token("super1"));
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.Header("Content-Type").value_or(""),
            "text/csv; charset=utf-8");
  EXPECT_NE(exported.body.find("W1,Karim Testaoui,,1984,MA,male,ZX1"),
            std::string::npos)
      << exported.body;
  TestResponse ftm =
      Call("GET", "/api/v1/alerts/export?format=ftm&status=draft", {},
           Token("super1"));
  ASSERT_EQ(ftm.status, 200);
  EXPECT_NE(ftm.body.find("\"schema\":\"Person\""), std::string::npos)
      << ftm.body;
  ExpectProblem(
      Call("GET", "/api/v1/alerts/export?format=interpol", {}, Token("super1")),
      400, "format");
  ExpectProblem(
      Call("GET", "/api/v1/alerts/export?format=csv", {}, Token("officer1")),
      403);
}

TEST_P(AlertsRoutesTest, BatchScreeningJobs) {
  const std::string id = Create();
  ASSERT_EQ(Call("POST", "/api/v1/alerts/" + id + "/activate",
                 R"({"version": 1})", Token("super1"))
                .status,
            200);
  const std::string list =
      "id,name,aliases,birth_date,nationality,gender,document\n"
      "E1,Karim Testaoui,,1984,MA,male,\n"
      "E2,Somebody Else,,1970,FR,female,\n";
  ExpectProblem(
      Call("POST", "/api/v1/screenings?format=csv", list, Token("officer1")),
      400, "purpose");
  ExpectProblem(Call("POST", "/api/v1/screenings?format=xml", list,
                     Token("officer1"), {{"X-Purpose", "accreditation"}}),
                400, "format");
  ExpectProblem(Call("POST", "/api/v1/screenings?format=csv", "id,name\n",
                     Token("officer1"), {{"X-Purpose", "accreditation"}}),
                400, "input");
  TestResponse submitted =
      Call("POST", "/api/v1/screenings?format=csv&top_k=3", list,
           Token("officer1"), {{"X-Purpose", "AFCON accreditation"}});
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  boost::json::object job = Json(submitted);
  const std::string job_id(job["id"].as_string());
  EXPECT_EQ(job["state"].as_string(), "queued");
  EXPECT_EQ(job["total"].as_int64(), 2);
  EXPECT_EQ(submitted.Header("Location").value_or(""),
            "/api/v1/screenings/" + job_id);
  ASSERT_TRUE(jobs_.RunPending().ok());
  TestResponse status =
      Call("GET", "/api/v1/screenings/" + job_id, {}, Token("officer1"));
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(Json(status)["state"].as_string(), "done");
  EXPECT_EQ(Json(status)["processed"].as_int64(), 2);
  TestResponse results =
      Call("GET", "/api/v1/screenings/" + job_id + "/results?page_size=10", {},
           Token("officer1"));
  ASSERT_EQ(results.status, 200) << results.body;
  boost::json::array r = Json(results)["results"].as_array();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].as_object()["input_id"].as_string(), "E1");
  EXPECT_EQ(r[0].as_object()["alert_id"].as_string(), id);
  TestResponse csv =
      Call("GET", "/api/v1/screenings/" + job_id + "/results?format=csv", {},
           Token("super2"));
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find(",E1,Karim Testaoui," + id + ","), std::string::npos)
      << csv.body;
  ExpectProblem(
      Call("GET", "/api/v1/screenings/" + job_id, {}, Token("officer2")), 403);
  ExpectProblem(Call("GET", "/api/v1/screenings/" + job_id + "/results?page=0",
                     {}, Token("officer1")),
                400, "page");
}

TEST_P(AlertsRoutesTest, UnauthenticatedIs401) {
  ExpectProblem(Call("GET", "/api/v1/alerts"), 401);
  ExpectProblem(Call("POST", "/api/v1/alerts", kArrest), 401);
  ExpectProblem(Call("POST", "/api/v1/screen",
                     R"({"purpose":"p","person":{"name":"A"}})", "not-a-token"),
                401);
  EXPECT_EQ(Count("alerts"), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, AlertsRoutesTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::alerts
