// The REST routes of federation/ end to end: the partner directory is open
// to every role and shows codes and names only; the delivery health is for
// administrators, supervisors and auditors, and each of its reads is audited.
#include "federation/federation_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/test_route_node.h"
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

TEST_P(FederationRoutesTest, SignedOutCallersAreRefused) {
  ExpectProblem(node_.Call("GET", "/api/v1/partners"), 401);
  ExpectProblem(node_.Call("GET", "/api/v1/federation/peers"), 401);
}

INSTANTIATE_TEST_SUITE_P(Stores, FederationRoutesTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::federation
