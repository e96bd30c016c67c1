// The assistance routes end to end, in-process: a real server on a loopback
// port, a migrated store of Rabat (MA-DGSN) with Paris (FR-DGPN) paired,
// the security and assistance services, the federation receiver for the
// requests Paris sends, and a client signing in as each role. Bad input gets
// a 4xx problem+json naming the field and writes nothing; the permission
// matrix is walked through the API.
#include "assistance/assistance_routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/test_route_node.h"
#include "assistance/assistance_sharing.h"
#include "common/ids.h"
#include "common/json.h"
#include "federation/receiver.h"

namespace jisr::assistance {
namespace {

using http::TestHeaders;
using http::TestResponse;

constexpr std::string_view kFrCert =
    "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

// A valid urgent request to Paris (body of POST /api/v1/assistance-requests).
constexpr std::string_view kUrgent = R"json({
  "requested_agency": "FR-DGPN",
  "type": "information",
  "urgency": "urgent",
  "directly_accessible": true,
  "subject": "Registration of AB-123-CD (synthetic)",
  "description": "Who holds the French registration AB-123-CD?",
  "grounds": "The car was seen at a fictional burglary in Tanger.",
  "urgency_reason": "The suspects may cross the border tonight.",
  "case_reference": "MA/2026/0042"
})json";

class AssistanceRoutesTest : public http::testing::RouteTest {
 protected:
  AssistanceRoutesTest()
      : clock_(node_.clock()),
        assistance_(node_.db(), node_.audit(), clock_, AssistanceOptions{"MA-DGSN"}),
        receiver_(node_.db(), node_.audit(), clock_, federation::ReceiverOptions{"MA-DGSN"}) {
    EXPECT_TRUE(RegisterAssistanceHandlers(receiver_, "MA-DGSN", node_.audit(), clock_).ok());
    fr_key_ = node_.AddPartner("FR-DGPN", std::string(kFrCert));
    context_.sessions = &node_.sessions();
    context_.assistance = &assistance_;
    EXPECT_TRUE(AddAssistanceRoutes(node_.router(), context_).ok());
    node_.Start();
  }

  // Submits kUrgent as `user`; returns its id.
  std::string Submit(std::string_view body = kUrgent,
                     const std::string& user = "officer1") {
    TestResponse r =
        Call("POST", "/api/v1/assistance-requests", body, Token(user));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(Json(r)["id"].as_string());
  }

  // Paris sends Rabat a normal request, through the federation receiver;
  // Rabat receives it at once (version 2). Returns its id.
  std::string Incoming() {
    const absl::Time now = TruncateToMillis(clock_.Now());
    AssistanceRequest r;
    r.id = NewUuidV7(now);
    r.requester = "FR-DGPN";
    r.requested = "MA-DGSN";
    r.content.requested_agency = "MA-DGSN";
    r.content.type = RequestType::kTechnicalAssistance;
    r.content.subject = "Forensic support for a phone (synthetic)";
    r.content.description = "Extraction of a fictional handset.";
    r.content.grounds = "Case FR/2026/7 (synthetic).";
    r.submitted_at = now;
    HistoryEntry h;
    h.version = 1;
    h.agency = "FR-DGPN";
    h.transition = Transition::kSubmit;
    h.at = now;
    r.history = {h};
    federation::Envelope e;
    e.id = NewUuidV7(now);
    e.from = "FR-DGPN";
    e.to = "MA-DGSN";
    e.kind = std::string(kRequestKind);
    e.record_id = RequestRecord(r.id);
    e.version = 1;
    e.sent_at = now;
    e.body = ToJson(SharedRequestJson(r));
    federation::Sign(fr_key_, &e);
    federation::FederationRequest req;
    req.peer_fingerprint = std::string(kFrCert);
    req.method = "POST";
    req.target = std::string(federation::kEnvelopesPath);
    req.body = ToJson(boost::json::object{
        {"envelopes", boost::json::array{federation::EnvelopeToJson(e)}}});
    federation::FederationResponse resp = receiver_.Handle(req);
    EXPECT_EQ(resp.status, 200) << resp.body;
    EXPECT_NE(resp.body.find("accepted"), std::string::npos) << resp.body;
    return r.id;
  }

  std::string Path(const std::string& id, std::string_view action = {}) {
    return action.empty()
               ? "/api/v1/assistance-requests/" + id
               : fmt::format("/api/v1/assistance-requests/{}/{}", id, action);
  }

  FakeClock& clock_;
  AssistanceService assistance_;
  federation::Receiver receiver_;
  federation::SigningKey fr_key_;
  AssistanceRoutesContext context_;
};

TEST_P(AssistanceRoutesTest, SubmitReadListAndClose) {
  TestResponse created =
      Call("POST", "/api/v1/assistance-requests", kUrgent, Token("officer1"),
           {{"X-Purpose", "case MA/2026/0042"}});
  ASSERT_EQ(created.status, 201) << created.body;
  boost::json::object c = Json(created);
  const std::string id(c["id"].as_string());
  EXPECT_EQ(created.Header("Location").value_or(""),
            "/api/v1/assistance-requests/" + id);
  EXPECT_EQ(c["state"].as_string(), "submitted");
  EXPECT_EQ(c["version"].as_int64(), 1);
  EXPECT_EQ(c["direction"].as_string(), "outgoing");
  EXPECT_EQ(c["partner"].as_string(), "FR-DGPN");
  EXPECT_EQ(c["requester"].as_string(), "MA-DGSN");
  EXPECT_TRUE(c["deadline_at"].is_null());
  EXPECT_EQ(c["deadline"].as_object()["rule"].as_string(), "urgent_direct");
  EXPECT_EQ(c["deadline"].as_object()["legal_reference"].as_string(),
            "Directive (EU) 2023/977, Art. 5(1)(a)");
  EXPECT_EQ(c["history"].as_array().size(), 1u);
  EXPECT_EQ(Count("outbox"), 1);

  TestResponse got =
      Call("GET", Path(id), {}, Token("analyst1"), {{"X-Purpose", "review"}});
  ASSERT_EQ(got.status, 200) << got.body;
  boost::json::object g = Json(got);
  EXPECT_EQ(g["subject"].as_string(), "Registration of AB-123-CD (synthetic)");
  EXPECT_EQ(g["history"].as_array()[0].as_object()["transition"].as_string(),
            "submit");

  TestResponse list =
      Call("GET", "/api/v1/assistance-requests?direction=outgoing&open=true",
           {}, Token("analyst1"));
  ASSERT_EQ(list.status, 200) << list.body;
  boost::json::object l = Json(list);
  EXPECT_EQ(l["total"].as_int64(), 1);
  EXPECT_EQ(l["requests"].as_array()[0].as_object()["id"].as_string(), id);
  EXPECT_FALSE(l["requests"].as_array()[0].as_object().contains("description"));
  EXPECT_EQ(l["counts"].as_object()["outgoing"].as_object()["open"].as_int64(),
            1);

  TestResponse closed =
      Call("POST", Path(id, "close"),
           R"({"version": 1, "note": "Sent in error."})", Token("officer2"));
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Json(closed)["state"].as_string(), "closed");
  EXPECT_EQ(Json(closed)["version"].as_int64(), 2);
  EXPECT_EQ(Json(closed)["close_note"].as_string(), "Sent in error.");
  EXPECT_EQ(Count("outbox"), 2);
}

TEST_P(AssistanceRoutesTest, AnIncomingRequestIsWorkedAndShowsItsDeadline) {
  const absl::Time received = clock_.Now();
  const std::string id = Incoming();
  TestResponse got = Call("GET", Path(id), {}, Token("officer1"));
  ASSERT_EQ(got.status, 200) << got.body;
  boost::json::object g = Json(got);
  EXPECT_EQ(g["direction"].as_string(), "incoming");
  EXPECT_EQ(g["state"].as_string(), "received");
  EXPECT_EQ(g["version"].as_int64(), 2);
  EXPECT_EQ(g["deadline_at"].as_string(),
            FormatRfc3339(received + absl::Hours(7 * 24)));
  EXPECT_EQ(g["deadline"].as_object()["time_left_seconds"].as_int64(),
            7 * 24 * 3600);
  ASSERT_TRUE(g["provenance"].is_object()) << got.body;
  EXPECT_EQ(g["provenance"].as_object()["sender"].as_string(), "FR-DGPN");

  clock_.Advance(absl::Hours(1));
  TestResponse started =
      Call("POST", Path(id, "accept"), R"({"version": 2})", Token("officer1"));
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_EQ(Json(started)["state"].as_string(), "in_progress");
  TestResponse asked =
      Call("POST", Path(id, "request-clarification"),
           R"({"version": 3, "question": "Which model?"})", Token("officer1"));
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(Json(asked)["state"].as_string(), "clarification_requested");
  EXPECT_TRUE(Json(asked)["deadline"].as_object()["paused"].as_bool());
  // The requester clarifies, not us.
  ExpectProblem(
      Call("POST", Path(id, "clarify"),
           R"({"version": 4, "clarification": "x"})", Token("officer1")),
      409);

  const std::string other = Incoming();
  TestResponse refused = Call(
      "POST", Path(other, "refuse"),
      R"({"version": 2, "reason": "other", "text": "No forensic lab free this month."})",
      Token("super1"));
  ASSERT_EQ(refused.status, 200) << refused.body;
  boost::json::object rf = Json(refused);
  EXPECT_EQ(rf["state"].as_string(), "refused");
  EXPECT_EQ(rf["refusal_reason"].as_string(), "other");
  EXPECT_TRUE(rf["deadline"].as_object()["responded_in_time"].as_bool());

  const std::string third = Incoming();
  TestResponse answered = Call(
      "POST", Path(third, "answer"),
      R"({"version": 2, "answer": "Done (synthetic)."})", Token("officer2"));
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_EQ(Json(answered)["state"].as_string(), "answered");
  // Each change goes back to Paris.
  auto tx = *node_.db().Begin(db::TxMode::kRead);
  EXPECT_EQ(
      (*tx->Query("SELECT COUNT(*) FROM outbox WHERE recipient = 'FR-DGPN'"))[0]
          .GetInt(0),
      3 + 2 + 1 + 1);  // three receipts, start, question, refusal, answer
}

TEST_P(AssistanceRoutesTest, BadInputIs4xxNamingTheFieldAndWritesNothing) {
  const std::string& officer = Token("officer1");
  const auto with = [](std::string_view key, std::string_view value) {
    boost::json::object o = *ParseJsonObject(kUrgent);
    if (value.empty()) {
      o.erase(key);
    } else {
      o[key] = *ParseJson(value);
    }
    return ToJson(o);
  };
  const std::pair<std::string, std::string> cases[] = {
      {with("requested_agency", ""), "requested_agency"},
      {with("requested_agency", R"("ES-PN")"),
       "requested_agency"},  // not a partner
      {with("requested_agency", R"("MA-DGSN")"), "requested_agency"},
      {with("requested_agency", R"("Paris")"), "requested_agency"},
      {with("type", R"("favour")"), "type"},
      {with("urgency", R"("yesterday")"), "urgency"},
      {with("directly_accessible", ""), "directly_accessible"},
      {with("subject", R"("")"), "subject"},
      {with("description", "42"), "description"},
      {with("grounds", ""), "grounds"},
      {with("urgency_reason", ""), "urgency_reason"},
      {with("hit_id", R"("not-a-uuid")"), "hit_id"},
      {with("priority", R"("high")"), "priority"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(field);
    ExpectProblem(Call("POST", "/api/v1/assistance-requests", body, officer),
                  400, field);
  }
  ExpectProblem(
      Call("POST", "/api/v1/assistance-requests", "{\"subject\": ", officer),
      400);
  ExpectProblem(Call("POST", "/api/v1/assistance-requests", "[]", officer),
                400);
  ExpectProblem(Call("POST", "/api/v1/assistance-requests", "", officer), 400);
  EXPECT_EQ(Count("assistance_requests"), 0);
  EXPECT_EQ(Count("assistance_history"), 0);
  EXPECT_EQ(Count("outbox"), 0);

  // Transitions and queries name their fields too.
  const std::string id = Incoming();
  const std::pair<std::pair<std::string, std::string>, std::string>
      transitions[] = {
          {{"accept", R"({})"}, "version"},
          {{"accept", R"({"version": "2"})"}, "version"},
          {{"accept", R"({"version": 2, "note": "x"})"}, "note"},
          {{"answer", R"({"version": 2})"}, "answer"},
          {{"answer", R"({"version": 2, "answer": "  "})"}, "answer"},
          {{"refuse", R"({"version": 2})"}, "reason"},
          {{"refuse", R"({"version": 2, "reason": "bored"})"}, "reason"},
          {{"refuse", R"({"version": 2, "reason": "other"})"}, "text"},
          {{"request-clarification", R"({"version": 2, "question": 7})"},
           "question"},
          {{"close", R"({"version": 2, "note": "bad\u0001"})"}, "note"},
      };
  for (const auto& [call, field] : transitions) {
    SCOPED_TRACE(call.first + " " + call.second);
    ExpectProblem(Call("POST", Path(id, call.first), call.second, officer), 400,
                  field);
  }
  ExpectProblem(
      Call("POST", Path("nope", "accept"), R"({"version": 2})", officer), 400,
      "id");
  ExpectProblem(Call("GET", Path("nope"), {}, officer), 400, "id");
  ExpectProblem(
      Call("GET", Path("0192f1d4-5b6c-7000-8000-00000000ffff"), {}, officer),
      404);
  for (const auto& [query, field] :
       {std::pair{"state=lost", "state"},
        std::pair{"direction=sideways", "direction"},
        std::pair{"overdue=maybe", "overdue"}, std::pair{"open=2", "open"},
        std::pair{"partner=paris", "partner"}, std::pair{"sort=random", "sort"},
        std::pair{"page=0", "page"}, std::pair{"page_size=201", "page_size"}}) {
    SCOPED_TRACE(query);
    ExpectProblem(
        Call("GET", std::string("/api/v1/assistance-requests?") + query, {},
             officer),
        400, field);
  }
  ExpectProblem(
      Call("GET", "/api/v1/assistance/stats?from=yesterday", {}, officer), 400,
      "from");
  ExpectProblem(
      Call("GET", "/api/v1/assistance/stats?to=2026-13-01", {}, officer), 400,
      "to");
  ExpectProblem(
      Call("GET", "/api/v1/assistance/stats?from=2026-02-01&to=2026-01-01", {},
           officer),
      400, "from");
  // The incoming request is as it arrived.
  TestResponse got = Call("GET", Path(id), {}, officer);
  EXPECT_EQ(Json(got)["version"].as_int64(), 2);
  EXPECT_EQ(Json(got)["state"].as_string(), "received");
  EXPECT_EQ(Count("assistance_requests"), 1);
}

TEST_P(AssistanceRoutesTest, StaleVersionAndWrongPartyAre409) {
  const std::string id = Incoming();
  ASSERT_EQ(
      Call("POST", Path(id, "accept"), R"({"version": 2})", Token("officer1"))
          .status,
      200);
  TestResponse stale =
      Call("POST", Path(id, "answer"), R"({"version": 2, "answer": "A"})",
           Token("officer2"));
  ExpectProblem(stale, 409);
  EXPECT_NE(Json(stale)["detail"].as_string().find("version 3, not 2"),
            std::string::npos);
  // An incoming request is closed by its requester only; our own request is
  // answered by the partner only.
  ExpectProblem(
      Call("POST", Path(id, "close"), R"({"version": 3})", Token("officer1")),
      409);
  const std::string mine = Submit();
  ExpectProblem(Call("POST", Path(mine, "answer"),
                     R"({"version": 1, "answer": "self"})", Token("officer1")),
                409);
  ExpectProblem(
      Call("POST", Path(mine, "accept"), R"({"version": 1})", Token("officer1")),
      409);
  EXPECT_EQ(
      Json(Call("GET", Path(id), {}, Token("officer1")))["version"].as_int64(),
      3);
}

// Officers and supervisors submit and work requests; analysts read them and
// the statistics; auditors and administrators see none of it.
TEST_P(AssistanceRoutesTest, PermissionMatrix) {
  struct Expect {
    std::string user;
    int create, list, read, start, stats;
  };
  const Expect rows[] = {
      {"officer2", 201, 200, 200, 200, 200},
      {"super1", 201, 200, 200, 200, 200},
      {"analyst1", 403, 200, 200, 403, 200},
      {"auditor1", 403, 403, 403, 403, 403},
      {"admin1", 403, 403, 403, 403, 403},
  };
  for (const Expect& e : rows) {
    SCOPED_TRACE(e.user);
    const std::string id = Incoming();
    const std::string& token = Token(e.user);
    EXPECT_EQ(
        Call("POST", "/api/v1/assistance-requests", kUrgent, token).status,
        e.create);
    EXPECT_EQ(Call("GET", "/api/v1/assistance-requests", {}, token).status,
              e.list);
    EXPECT_EQ(Call("GET", Path(id), {}, token).status, e.read);
    EXPECT_EQ(
        Call("POST", Path(id, "accept"), R"({"version": 2})", token).status,
        e.start);
    EXPECT_EQ(Call("GET", "/api/v1/assistance/stats", {}, token).status,
              e.stats);
  }
  // Every denial is in the audit log.
  audit::AuditFilter filter;
  filter.action = "assistance.read";
  filter.limit = 100;
  absl::StatusOr<audit::AuditPage> page = node_.audit().List(node_.db(), filter);
  ASSERT_TRUE(page.ok());
  int denied = 0;
  for (const audit::AuditEntry& entry : page->entries) {
    denied += entry.outcome == audit::AuditOutcome::kDenied;
  }
  EXPECT_EQ(denied, 2);
}

TEST_P(AssistanceRoutesTest, StatisticsPerPartner) {
  const absl::Time start = clock_.Now();
  const std::string a = Incoming();
  clock_.Advance(absl::Hours(2));
  ASSERT_EQ(Call("POST", Path(a, "answer"),
                 R"({"version": 2, "answer": "Done."})", Token("officer1"))
                .status,
            200);
  const std::string b = Incoming();
  ASSERT_EQ(
      Call("POST", Path(b, "refuse"),
           R"({"version": 2, "reason": "legal_grounds"})", Token("super1"))
          .status,
      200);
  Submit();
  TestResponse stats =
      Call("GET",
           "/api/v1/assistance/stats?from=" + FormatRfc3339(start) +
               "&to=2026-01-02",
           {}, Token("analyst1"));
  ASSERT_EQ(stats.status, 200) << stats.body;
  boost::json::object s = Json(stats);
  EXPECT_EQ(s["from"].as_string(), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(s["to"].as_string(), "2026-01-02T00:00:00.000Z");
  ASSERT_EQ(s["partners"].as_array().size(), 1u);
  boost::json::object fr = s["partners"].as_array()[0].as_object();
  EXPECT_EQ(fr["partner"].as_string(), "FR-DGPN");
  boost::json::object received = fr["received"].as_object();
  EXPECT_EQ(received["requests"].as_int64(), 2);
  EXPECT_EQ(received["answered"].as_int64(), 1);
  EXPECT_EQ(received["refused"].as_int64(), 1);
  EXPECT_EQ(received["in_time_percent"].as_double(), 100.0);
  EXPECT_EQ(received["median_response_seconds"].as_int64(), 0);
  EXPECT_EQ(received["p90_response_seconds"].as_int64(), 7200);
  EXPECT_EQ(
      received["refusals_by_reason"].as_object()["legal_grounds"].as_int64(),
      1);
  boost::json::object sent = fr["sent"].as_object();
  EXPECT_EQ(sent["requests"].as_int64(), 1);
  EXPECT_EQ(sent["pending"].as_int64(), 1);
  EXPECT_TRUE(sent["in_time_percent"].is_null());
}

TEST_P(AssistanceRoutesTest, UnauthenticatedIs401) {
  ExpectProblem(Call("GET", "/api/v1/assistance-requests"), 401);
  ExpectProblem(Call("POST", "/api/v1/assistance-requests", kUrgent), 401);
  ExpectProblem(Call("GET", "/api/v1/assistance/stats", {}, "not-a-token"),
                401);
  EXPECT_EQ(Count("assistance_requests"), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, AssistanceRoutesTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::assistance
