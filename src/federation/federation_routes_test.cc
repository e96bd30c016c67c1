// The REST routes of federation/ end to end: the partner directory is open
// to every role and shows codes and names only; the delivery health is for
// administrators, supervisors and auditors, and each of its reads is audited.
#include "federation/federation_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/test_route_node.h"
#include "common/status.h"
#include "federation/peer_service.h"

namespace jisr::federation {
namespace {

using http::testing::JsonOf;

class FederationRoutesTest : public http::testing::RouteTest {
 protected:
  FederationRoutesTest() : peers_(node_.db(), node_.audit(), node_.clock(), "MA-DGSN") {
    node_.AddPartner("FR-DGPN");
    node_.AddPartner("ES-PN");
    context_.sessions = &node_.sessions();
    context_.peers = &peers_;
    context_.clock = &node_.clock();
    EXPECT_TRUE(AddFederationRoutes(node_.router(), context_).ok());
    node_.Start();
  }
  int64_t AuditRows(std::string_view action, std::string_view outcome) {
    auto tx = *node_.db().Begin(db::TxMode::kRead);
    auto rows = tx->Query("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND outcome = $2",
                          {std::string(action), std::string(outcome)});
    return (*rows)[0].GetInt(0);
  }

  PeerService peers_;
  FederationRoutesContext context_;
};

TEST_P(FederationRoutesTest, EveryRoleReadsThePartnerDirectoryWithCodesAndNamesOnly) {
  for (const char* user : {"admin1", "super1", "officer1", "analyst1", "auditor1"}) {
    http::TestResponse r = node_.Call("GET", "/api/v1/partners", {}, node_.Token(user));
    ASSERT_EQ(r.status, 200) << user << ": " << r.body;
    boost::json::object body = JsonOf(r);
    const boost::json::array& list = body.at("partners").as_array();
    ASSERT_EQ(list.size(), 2u);
    // By code: ES-PN before FR-DGPN.
    EXPECT_EQ(list[0].at("agency").as_string(), "ES-PN");
    EXPECT_EQ(list[1].at("agency").as_string(), "FR-DGPN");
    EXPECT_EQ(list[1].at("country").as_string(), "FR");
    EXPECT_EQ(list[1].at("names").at("fr").as_string(), "FR-DGPN");
    // Nothing an officer has no need of: no address, key or certificate.
    EXPECT_EQ(list[1].as_object().size(), 3u) << r.body;
    EXPECT_EQ(r.body.find("federation_url"), std::string::npos);
    EXPECT_EQ(r.body.find("signing_key"), std::string::npos);
  }
}

TEST_P(FederationRoutesTest, DeliveryHealthIsForAdminsSupervisorsAndAuditorsAndAudited) {
  http::TestResponse denied = node_.Call("GET", "/api/v1/federation/peers", {},
                                         node_.Token("officer1"));
  ExpectProblem(denied, 403);
  EXPECT_EQ(AuditRows("federation.read", "denied"), 1);
  for (const char* user : {"admin1", "super1", "auditor1"}) {
    http::TestResponse r =
        node_.Call("GET", "/api/v1/federation/peers", {}, node_.Token(user));
    ASSERT_EQ(r.status, 200) << user << ": " << r.body;
    boost::json::object body = JsonOf(r);
    const boost::json::array& list = body.at("peers").as_array();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[1].at("peer").at("agency").as_string(), "FR-DGPN");
    EXPECT_TRUE(list[1].at("peer").at("registered").as_bool());
    EXPECT_EQ(list[1].at("outbox").at("pending").as_int64(), 0);
  }
  EXPECT_EQ(AuditRows("federation.read", "success"), 3);
}

// ---- dead letters

class DeadLetterRoutesTest : public FederationRoutesTest {
 protected:
  // Publishes a row of `record` to `to`, refused once with max_refusals 1
  // (dead) when `dead`; returns its envelope id.
  std::string Seed(const std::string& to, const std::string& record, bool dead) {
    const std::vector<std::string> recipients = {to};
    std::string id;
    EXPECT_TRUE(node_.db()
                    .Run(db::TxMode::kWrite,
                         [&](db::Transaction& tx) -> absl::Status {
                           JISR_RETURN_IF_ERROR(Publish(tx, recipients, "alert.upsert", record, 1,
                                                        R"({"name":"SYNTHETIC PERSON"})",
                                                        node_.clock().Now()));
                           JISR_ASSIGN_OR_RETURN(
                               std::vector<db::Row> rows,
                               tx.Query("SELECT id FROM outbox WHERE record_id = $1", {record}));
                           id = rows[0].GetText(0);
                           if (!dead) return absl::OkStatus();
                           return MarkRefused(tx, id, "rejected by " + to + ": unknown kind",
                                              node_.clock().Now(), node_.clock().Now(), 1)
                               .status();
                         })
                    .ok());
    return id;
  }
  int64_t Audited(std::string_view action, std::string_view outcome, std::string_view object) {
    auto tx = *node_.db().Begin(db::TxMode::kRead);
    auto rows = tx->Query(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND outcome = $2 AND object = $3",
        {std::string(action), std::string(outcome), std::string(object)});
    return (*rows)[0].GetInt(0);
  }
  static std::string Path(std::string_view code, std::string_view rest = "") {
    return "/api/v1/federation/peers/" + std::string(code) + "/dead-letters" + std::string(rest);
  }
};

TEST_P(DeadLetterRoutesTest, ListShowsDeadRowsWithoutBodiesAndHealthCountsThem) {
  const std::string dead1 = Seed("FR-DGPN", "alert:a", true);
  node_.clock().Advance(absl::Seconds(1));
  const std::string dead2 = Seed("FR-DGPN", "alert:b", true);
  Seed("FR-DGPN", "alert:c", false);
  Seed("ES-PN", "alert:d", true);
  ExpectProblem(Call("GET", Path("FR-DGPN"), {}, Token("officer1")), 403);
  EXPECT_EQ(Audited("federation.read", "denied", "peer/FR-DGPN/dead-letters"), 1);
  for (const char* user : {"admin1", "super1", "auditor1"}) {
    http::TestResponse r = Call("GET", Path("FR-DGPN"), {}, Token(user));
    ASSERT_EQ(r.status, 200) << user << ": " << r.body;
    boost::json::object body = Json(r);
    EXPECT_EQ(body.at("total").as_int64(), 2);
    const boost::json::array& list = body.at("dead_letters").as_array();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].at("id").as_string(), dead2);  // most recently dead first
    EXPECT_EQ(list[1].at("id").as_string(), dead1);
    EXPECT_EQ(list[0].at("kind").as_string(), "alert.upsert");
    EXPECT_EQ(list[0].at("record_id").as_string(), "alert:b");
    EXPECT_EQ(list[0].at("version").as_int64(), 1);
    EXPECT_EQ(list[0].at("refusals").as_int64(), 1);
    EXPECT_TRUE(list[0].at("dead_at").is_string());
    EXPECT_EQ(list[0].at("last_error").as_string(), "rejected by FR-DGPN: unknown kind");
    EXPECT_EQ(r.body.find("SYNTHETIC PERSON"), std::string::npos) << "no body content";
  }
  EXPECT_EQ(Audited("federation.read", "success", "peer/FR-DGPN/dead-letters"), 3);
  http::TestResponse page = Call("GET", Path("FR-DGPN", "?offset=1&limit=1"), {}, Token("admin1"));
  ASSERT_EQ(page.status, 200) << page.body;
  const boost::json::object page_body = Json(page);
  ASSERT_EQ(page_body.at("dead_letters").as_array().size(), 1u);
  EXPECT_EQ(page_body.at("dead_letters").as_array()[0].at("id").as_string(), dead1);
  ExpectProblem(Call("GET", Path("FR-DGPN", "?limit=0"), {}, Token("admin1")), 400, "limit");
  ExpectProblem(Call("GET", Path("FR-DGPN", "?offset=-1"), {}, Token("admin1")), 400, "offset");
  ExpectProblem(Call("GET", Path("fr"), {}, Token("admin1")), 400, "code");
  ExpectProblem(Call("GET", Path("DE-BKA"), {}, Token("admin1")), 404);

  http::TestResponse health = Call("GET", "/api/v1/federation/peers", {}, Token("admin1"));
  ASSERT_EQ(health.status, 200);
  const boost::json::object health_body = Json(health);
  const boost::json::array& peers = health_body.at("peers").as_array();
  ASSERT_EQ(peers.size(), 2u);
  const boost::json::object& fr = peers[1].at("outbox").as_object();
  EXPECT_EQ(fr.at("dead").as_int64(), 2);
  EXPECT_EQ(fr.at("pending").as_int64(), 1);
  EXPECT_EQ(fr.at("last_dead_error").as_string(), "rejected by FR-DGPN: unknown kind");
}

TEST_P(DeadLetterRoutesTest, AdminsRetryDiscardAndRetryAllAudited) {
  const std::string a = Seed("FR-DGPN", "alert:a", true);
  const std::string b = Seed("FR-DGPN", "alert:b", true);
  const std::string c = Seed("FR-DGPN", "alert:c", true);
  const std::string live = Seed("FR-DGPN", "alert:live", false);
  const std::string object_a = "peer/FR-DGPN/outbox/" + a;

  for (const char* user : {"officer1", "super1", "auditor1"}) {
    ExpectProblem(Call("POST", Path("FR-DGPN", "/" + a + "/retry"), {}, Token(user)), 403);
    ExpectProblem(Call("DELETE", Path("FR-DGPN", "/" + a), {}, Token(user)), 403);
    ExpectProblem(Call("POST", Path("FR-DGPN", "/retry-all"), {}, Token(user)), 403);
  }
  EXPECT_EQ(Audited("federation.outbox.manage", "denied", object_a), 6);
  // The permission comes first: a malformed id from an officer is a 403.
  ExpectProblem(Call("POST", Path("FR-DGPN", "/not-a-uuid/retry"), {}, Token("officer1")), 403);

  http::TestResponse retried = Call("POST", Path("FR-DGPN", "/" + a + "/retry"), {},
                                    Token("admin1"), {{"X-Purpose", "partner fixed its schema"}});
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(Json(retried).at("id").as_string(), a);
  EXPECT_TRUE(Json(retried).at("dead_at").is_null());
  EXPECT_EQ(Json(retried).at("refusals").as_int64(), 0);
  EXPECT_EQ(Audited("federation.outbox.manage", "success", object_a), 1);
  {
    auto tx = *node_.db().Begin(db::TxMode::kRead);
    auto rows = tx->Query(
        "SELECT actor, purpose, details FROM audit_log WHERE action = $1 AND outcome = $2 AND "
        "object = $3",
        {std::string("federation.outbox.manage"), std::string("success"), object_a});
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_NE((*rows)[0].GetText(0).find("admin1"), std::string::npos) << (*rows)[0].GetText(0);
    EXPECT_EQ((*rows)[0].GetText(1), "partner fixed its schema");
    EXPECT_NE((*rows)[0].GetText(2).find("\"op\":\"retry\""), std::string::npos);
    // The refusals the row had before it was sent again.
    EXPECT_NE((*rows)[0].GetText(2).find("\"refusals\":"), std::string::npos);
    EXPECT_EQ((*rows)[0].GetText(2).find("\"refusals\":0"), std::string::npos)
        << (*rows)[0].GetText(2);
  }
  // Live now: a second retry or a discard is a conflict.
  ExpectProblem(Call("POST", Path("FR-DGPN", "/" + a + "/retry"), {}, Token("admin1")), 409);
  ExpectProblem(Call("DELETE", Path("FR-DGPN", "/" + live), {}, Token("admin1")), 409);
  // Unknown envelope, another partner's, unknown partner, bad ids.
  const std::string unknown = "0192f1d4-5b6c-7000-8000-00000000abcd";
  ExpectProblem(Call("POST", Path("FR-DGPN", "/" + unknown + "/retry"), {}, Token("admin1")), 404);
  ExpectProblem(Call("POST", Path("ES-PN", "/" + b + "/retry"), {}, Token("admin1")), 404);
  ExpectProblem(Call("DELETE", Path("DE-BKA", "/" + b), {}, Token("admin1")), 404);
  ExpectProblem(Call("POST", Path("FR-DGPN", "/not-a-uuid/retry"), {}, Token("admin1")), 400, "id");
  ExpectProblem(Call("DELETE", Path("FR-DGPN", "/not-a-uuid"), {}, Token("admin1")), 400, "id");
  ExpectProblem(Call("POST", Path("fr-x", "/retry-all"), {}, Token("admin1")), 400, "code");

  http::TestResponse discarded = Call("DELETE", Path("FR-DGPN", "/" + b), {}, Token("admin1"));
  EXPECT_EQ(discarded.status, 204) << discarded.body;
  EXPECT_EQ(Audited("federation.outbox.manage", "success", "peer/FR-DGPN/outbox/" + b), 1);
  ExpectProblem(Call("DELETE", Path("FR-DGPN", "/" + b), {}, Token("admin1")), 404);

  http::TestResponse all = Call("POST", Path("FR-DGPN", "/retry-all"), {}, Token("admin1"));
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(Json(all).at("requeued").as_int64(), 1);  // c
  EXPECT_EQ(Audited("federation.outbox.manage", "success", "peer/FR-DGPN/dead-letters"), 1);
  http::TestResponse again = Call("POST", Path("FR-DGPN", "/retry-all"), {}, Token("admin1"));
  EXPECT_EQ(Json(again).at("requeued").as_int64(), 0);
  http::TestResponse list = Call("GET", Path("FR-DGPN"), {}, Token("admin1"));
  EXPECT_EQ(Json(list).at("total").as_int64(), 0);
  (void)c;
}

INSTANTIATE_TEST_SUITE_P(Stores, DeadLetterRoutesTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

TEST_P(FederationRoutesTest, SignedOutCallersAreRefused) {
  ExpectProblem(node_.Call("GET", "/api/v1/partners"), 401);
  ExpectProblem(node_.Call("GET", "/api/v1/federation/peers"), 401);
}

INSTANTIATE_TEST_SUITE_P(Stores, FederationRoutesTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::federation
