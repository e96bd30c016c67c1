// The training routes end to end, in-process: a real server on a loopback
// port, a migrated store of Rabat (MA-DGSN) with Paris (FR-DGPN) paired, and
// a client signing in as each role. Bad input gets 400 problem+json naming
// the field; permissions (403) and unknown ids (404) hold through the API;
// a partner's enrolment arriving through the receiver is listed per agency.
#include "training/training_routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/test_route_node.h"
#include "common/ids.h"
#include "common/json.h"
#include "federation/receiver.h"
#include "training/training_sharing.h"

namespace jisr::training {
namespace {

using http::TestHeaders;
using http::TestResponse;

constexpr std::string_view kFrCert =
    "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

class TrainingRoutesTest : public http::testing::RouteTest {
 protected:
  TrainingRoutesTest()
      : clock_(node_.clock()),
        training_(node_.db(), node_.audit(), clock_, TrainingOptions{"MA-DGSN"}),
        receiver_(node_.db(), node_.audit(), clock_, federation::ReceiverOptions{"MA-DGSN"}) {
    EXPECT_TRUE(RegisterTrainingHandlers(receiver_, "MA-DGSN", node_.audit(), clock_).ok());
    fr_key_ = node_.AddPartner("FR-DGPN", std::string(kFrCert));
    context_.sessions = &node_.sessions();
    context_.training = &training_;
    EXPECT_TRUE(AddTrainingRoutes(node_.router(), context_).ok());
    node_.Start();
  }

  FakeClock& clock_;
  TrainingService training_;
  federation::Receiver receiver_;
  federation::SigningKey fr_key_;
  TrainingRoutesContext context_;
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
  ExpectProblem(Call("POST", rec, R"j({"attended":true})j", Token("officer1"), purpose), 403);
  // The answer names the participant: a purpose is required.
  ExpectProblem(Call("POST", rec, R"j({"attended":true})j", Token("super1")), 400, "purpose");
  TestResponse done = Call("POST", rec,
                           R"j({"attended":true,"completion":"completed",
                               "certificate_number":"C-1"})j",
                           Token("super1"), purpose);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Json(done)["record_version"].as_int64(), 2);
  EXPECT_EQ(Count("outbox WHERE kind = 'training.record'"), 2);  // decision, then outcome
  // The partner's participant is withdrawn by the partner only.
  ExpectProblem(Call("DELETE", "/api/v1/training/enrolments/" + e.id, {}, Token("officer1"), purpose),
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
