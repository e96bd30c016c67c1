// The training routes end to end, in-process: a real server on a loopback
// port, a migrated store of Rabat (MA-DGSN) with Paris (FR-DGPN) paired, and
// a client signing in as each role. Bad input gets 400 problem+json naming
// the field; permissions (403) and unknown ids (404) hold through the API;
// a partner's enrolment arriving through the receiver is listed per agency.
#include "training/training_routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "api/operational_routes.h"
#include "api/routes.h"
#include "api/server.h"
#include "api/test_assertions.h"
#include "api/test_client.h"
#include "common/ids.h"
#include "common/json.h"
#include "db/test_stores.h"
#include "federation/receiver.h"
#include "federation/store.h"
#include "security/audit_access.h"
#include "security/password.h"
#include "training/training_sharing.h"

namespace jisr::training {
namespace {

using http::TestHeaders;
using http::TestResponse;

constexpr const char* kPassword = "correct horse battery";
constexpr std::string_view kFrCert =
    "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

class TrainingRoutesTest : public ::testing::TestWithParam<std::string> {
 protected:
  TrainingRoutesTest()
      : store_(GetParam()),
        audit_(clock_),
        users_(store_.db(), audit_, clock_, UserOptions()),
        sessions_(store_.db(), audit_, clock_, SessionOpts()),
        audit_access_(store_.db(), audit_),
        training_(store_.db(), audit_, clock_, TrainingOptions{"MA-DGSN"}),
        receiver_(store_.db(), audit_, clock_,
                  federation::ReceiverOptions{"MA-DGSN"}) {
    EXPECT_TRUE(
        RegisterTrainingHandlers(receiver_, "MA-DGSN", audit_, clock_).ok());
    federation::Peer p;
    p.card.agency = "FR-DGPN";
    p.card.country = "FR";
    p.card.name_en = p.card.name_fr = p.card.name_ar = "DGPN";
    p.card.federation_url = "https://127.0.0.1:9";
    p.card.tls_fingerprint = std::string(kFrCert);
    p.card.signing_key = fr_key_.public_key;
    p.added_by = "cli:test";
    p.added_at = clock_.Now();
    EXPECT_TRUE(store_.db()
                    .Run(db::TxMode::kWrite,
                         [&](db::Transaction& tx) {
                           return federation::InsertPeer(tx, p);
                         })
                    .ok());
    api_context_.users = &users_;
    api_context_.sessions = &sessions_;
    api_context_.audit_access = &audit_access_;
    api_context_.agency["code"] = "MA-DGSN";
    context_.sessions = &sessions_;
    context_.training = &training_;
    const auto op = security::Principal::CliOperator("test");
    for (auto [name, role] :
         {std::pair{"admin1", security::Role::kAdmin},
          std::pair{"super1", security::Role::kSupervisor},
          std::pair{"officer1", security::Role::kOfficer},
          std::pair{"officer2", security::Role::kOfficer},
          std::pair{"analyst1", security::Role::kAnalyst},
          std::pair{"auditor1", security::Role::kAuditor}}) {
      auto u = users_.Create(
          op, {name, std::string("Test ") + name, role, kPassword}, "setup");
      EXPECT_TRUE(u.ok()) << u.status();
    }
    EXPECT_TRUE(http::AddOperationalRoutes(&router_, &registry_, [] {
                  return absl::OkStatus();
                }).ok());
    EXPECT_TRUE(api::AddApiRoutes(router_, api_context_).ok());
    EXPECT_TRUE(AddTrainingRoutes(router_, context_).ok());
    http::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    server_ = std::make_unique<http::Server>(options, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~TrainingRoutesTest() override { server_->Stop(); }

  void TearDown() override {
    absl::StatusOr<audit::VerifyResult> v = audit_.Verify(store_.db());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << v->reason;
  }

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

  TestResponse Call(std::string_view method, std::string_view target,
                    std::string_view body = {}, const std::string& token = "",
                    TestHeaders headers = {}) {
    http::TestHttpClient client("127.0.0.1", server_->port());
    if (!token.empty())
      headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    absl::StatusOr<TestResponse> r =
        client.Request(method, target, body, headers);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : TestResponse{};
  }

  const std::string& Token(const std::string& username) {
    auto it = tokens_.find(username);
    if (it != tokens_.end()) return it->second;
    TestResponse r = Call("POST", "/api/v1/session",
                          R"({"username":")" + username + R"(","password":")" +
                              kPassword + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    return tokens_[username] = std::string(Json(r).at("token").as_string());
  }

  static boost::json::object Json(const TestResponse& r) { return http::testing::JsonOf(r); }

  static void ExpectProblem(const TestResponse& r, int status, std::string_view field = {}) {
    http::testing::ExpectProblem(r, status, field);
  }

  int64_t Count(std::string_view table) {
    auto tx = *store_.db().Begin(db::TxMode::kRead);
    return (*tx->Query("SELECT COUNT(*) FROM " + std::string(table)))[0].GetInt(
        0);
  }

  FakeClock clock_;
  db::testing::TestStore store_;
  audit::AuditLog audit_;
  security::UserService users_;
  security::SessionService sessions_;
  security::AuditAccess audit_access_;
  TrainingService training_;
  federation::Receiver receiver_;
  federation::SigningKey fr_key_ = federation::GenerateSigningKey();
  api::ApiContext api_context_;
  TrainingRoutesContext context_;
  metrics::Registry registry_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::map<std::string, std::string> tokens_;

  std::string Id(const TestResponse& r) { return std::string(Json(r)["id"].as_string()); }
};

TEST_P(TrainingRoutesTest, BadInputIsProblemJsonNamingTheField) {
  const std::string& t = Token("super1");
  ExpectProblem(Call("POST", "/api/v1/training/programmes",
                     R"j({"topic":"forensics","languages":["ar"]})j", t),
                400, "title");
  ExpectProblem(Call("POST", "/api/v1/training/programmes",
                     R"j({"title":"T","topic":"forensics","languages":["xx"]})j", t),
                400, "languages[0]");
  ExpectProblem(Call("POST", "/api/v1/training/programmes",
                     R"j({"title":"T","topic":"forensics","languages":["ar"],
                         "share_with":["ES-PN"]})j", t),
                400, "share_with[0]");
  TestResponse p = Call("POST", "/api/v1/training/programmes",
                        R"j({"title":"T","topic":"forensics","languages":["ar"]})j", t);
  ASSERT_EQ(p.status, 201) << p.body;
  ExpectProblem(Call("POST", "/api/v1/training/programmes/" + Id(p) + "/sessions",
                     R"j({"starts_at":"2026-03-02T08:00:00Z","ends_at":"2026-03-03T08:00:00Z",
                         "place":"Rabat","capacity":0})j", t),
                400, "capacity");
  ExpectProblem(Call("POST", "/api/v1/training/catalogue",
                     R"j({"domain":"alchemy","title":"T","contact_unit":"U",
                         "languages":["ar"]})j", t),
                400, "domain");
  ExpectProblem(Call("GET", "/api/v1/training/catalogue?domain=alchemy", {}, t), 400, "domain");
  ExpectProblem(Call("GET", "/api/v1/training/sessions/not-a-uuid", {}, t), 400, "id");
  ExpectProblem(Call("PUT", "/api/v1/training/programmes/" + Id(p),
                     R"j({"title":"T","topic":"forensics","languages":["ar"]})j", t),
                400, "version");
}

TEST_P(TrainingRoutesTest, SessionsEnrolmentsAndTheRecord) {
  // Officers may not create programmes; admins and supervisors may.
  const std::string body =
      R"j({"title":"Explosives awareness","topic":"terrorism","languages":["fr","ar"],
          "share_with":["FR-DGPN"]})j";
  ExpectProblem(Call("POST", "/api/v1/training/programmes", body, Token("officer1")), 403);
  TestResponse p = Call("POST", "/api/v1/training/programmes", body, Token("admin1"));
  ASSERT_EQ(p.status, 201) << p.body;
  EXPECT_EQ(p.Header("Location").value_or(""), "/api/v1/training/programmes/" + Id(p));
  clock_.Advance(absl::Milliseconds(5));
  TestResponse s = Call("POST", "/api/v1/training/programmes/" + Id(p) + "/sessions",
                        R"j({"starts_at":"2026-03-02T08:00:00Z","ends_at":"2026-03-03T16:00:00Z",
                            "place":"Rabat","capacity":1,"state":"open"})j",
                        Token("super1"));
  ASSERT_EQ(s.status, 201) << s.body;
  const std::string sid = Id(s);
  // Everyone reads programmes (the auditor too).
  TestResponse got = Call("GET", "/api/v1/training/programmes/" + Id(p), {}, Token("auditor1"));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Json(got)["sessions"].as_array().size(), 1u);

  // A partner's participant arrives through the receiver.
  Enrolment e;
  e.id = NewUuidV7(clock_.Now());
  e.session_id = sid;
  e.programme_id = Id(p);
  e.provider = "MA-DGSN";
  e.agency = "FR-DGPN";
  e.session_starts_at = absl::FromUnixMillis(1772438400000);
  e.participant.name = "Partner One";
  federation::Envelope env;
  env.id = NewUuidV7(clock_.Now());
  env.kind = std::string(kEnrolmentKind);
  env.record_id = EnrolmentRecord(e.id);
  env.version = 1;
  env.body = ToJson(EnrolmentRequestToJson(e));
  env.from = "FR-DGPN";
  env.to = "MA-DGSN";
  env.sent_at = TruncateToMillis(clock_.Now());
  federation::Sign(fr_key_, &env);
  federation::FederationRequest req;
  req.peer_fingerprint = std::string(kFrCert);
  req.method = "POST";
  req.target = std::string(federation::kEnvelopesPath);
  req.body = ToJson(boost::json::object{{"envelopes", boost::json::array{
                                                          federation::EnvelopeToJson(env)}}});
  ASSERT_EQ(receiver_.Handle(req).status, 200);

  // The session is full: a local enrolment is 409.
  const std::string path = "/api/v1/training/sessions/" + sid + "/enrolments";
  TestHeaders purpose = {{"X-Purpose", "course planning"}};
  ExpectProblem(Call("POST", path, R"j({"name":"Local One"})j", Token("officer1"), purpose), 409);
  ExpectProblem(Call("POST", path, R"j({"name":"Local One"})j", Token("analyst1"), purpose), 403);
  ExpectProblem(Call("POST", path, R"j({"name":"Local One","email":"x"})j", Token("officer1"),
                     purpose),
                400, "email");
  // Participants need a purpose.
  ExpectProblem(Call("GET", path, {}, Token("officer1")), 400, "purpose");
  TestResponse list = Call("GET", path, {}, Token("officer1"), purpose);
  ASSERT_EQ(list.status, 200) << list.body;
  boost::json::object lj = Json(list);
  EXPECT_EQ(lj["enrolments"].as_array().size(), 1u);
  EXPECT_EQ(lj["by_agency"].at("FR-DGPN").at("confirmed").as_int64(), 1);
  ExpectProblem(Call("GET", path, {}, Token("admin1"), purpose), 403);

  // Attendance and completion, by a supervisor.
  const std::string rec = "/api/v1/training/enrolments/" + e.id + "/record";
  ExpectProblem(Call("POST", rec, R"j({"completion":"completed"})j", Token("super1")), 400,
                "completion");
  ExpectProblem(Call("POST", rec, R"j({"attended":true})j", Token("officer1")), 403);
  TestResponse done = Call("POST", rec,
                           R"j({"attended":true,"completion":"completed",
                               "certificate_number":"C-1"})j",
                           Token("super1"));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Json(done)["record_version"].as_int64(), 2);
  EXPECT_EQ(Count("outbox WHERE kind = 'training.record'"), 2);  // decision, then outcome
  // The partner's participant is withdrawn by the partner only.
  ExpectProblem(Call("DELETE", "/api/v1/training/enrolments/" + e.id, {}, Token("officer1")),
                409);
  ExpectProblem(Call("GET", "/api/v1/training/enrolments/0192f1d4-5b6c-7000-8000-0000000000ff",
                     {}, Token("officer1"), purpose),
                404);
  ExpectProblem(Call("GET", "/api/v1/training/sessions/0192f1d4-5b6c-7000-8000-0000000000ff",
                     {}, Token("officer1")),
                404);
  // A stale session update is 409.
  TestResponse closed = Call("PUT", "/api/v1/training/sessions/" + sid,
                             R"j({"version":1,"starts_at":"2026-03-02T08:00:00Z",
                                 "ends_at":"2026-03-03T16:00:00Z","place":"Rabat",
                                 "capacity":1,"state":"held"})j",
                             Token("super1"));
  ASSERT_EQ(closed.status, 200) << closed.body;
  ExpectProblem(Call("PUT", "/api/v1/training/sessions/" + sid,
                     R"j({"version":1,"starts_at":"2026-03-02T08:00:00Z",
                         "ends_at":"2026-03-03T16:00:00Z","place":"Rabat","capacity":1})j",
                     Token("super1")),
                409);
}

TEST_P(TrainingRoutesTest, TheCatalogue) {
  ExpectProblem(Call("POST", "/api/v1/training/catalogue",
                     R"j({"domain":"dna","title":"T","contact_unit":"U","languages":["ar"]})j",
                     Token("officer1")),
                403);
  TestResponse c = Call("POST", "/api/v1/training/catalogue",
                        R"j({"domain":"dna","title":"DNA profiles","contact_unit":"Lab",
                            "languages":["ar","fr"],"share_with":["FR-DGPN"]})j",
                        Token("super1"));
  ASSERT_EQ(c.status, 201) << c.body;
  TestResponse list = Call("GET", "/api/v1/training/catalogue?domain=dna", {}, Token("analyst1"));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Json(list)["total"].as_int64(), 1);
  EXPECT_TRUE(Json(list)["items"].as_array()[0].at("provenance").is_null());
  EXPECT_EQ(Json(Call("GET", "/api/v1/training/catalogue?domain=dog_units", {},
                      Token("analyst1")))["total"].as_int64(),
            0);
  TestResponse v2 = Call("PUT", "/api/v1/training/catalogue/" + Id(c),
                         R"j({"version":1,"domain":"dna","title":"DNA profiles","contact_unit":"Lab",
                             "languages":["ar"],"active":false})j",
                         Token("super1"));
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_FALSE(Json(v2)["active"].as_bool());
  EXPECT_EQ(Count("outbox WHERE kind = 'training.catalogue.purge'"), 1);
  ExpectProblem(Call("GET", "/api/v1/training/catalogue/0192f1d4-5b6c-7000-8000-0000000000ff", {},
                     Token("analyst1")),
                404);
}

INSTANTIATE_TEST_SUITE_P(Stores, TrainingRoutesTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::training
