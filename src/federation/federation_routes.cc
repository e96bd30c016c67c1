#include "federation/federation_routes.h"

#include <boost/json/array.hpp>

#include "api/request_helpers.h"
#include "common/status.h"

namespace jisr::federation {

absl::Status AddFederationRoutes(http::Router& router, const FederationRoutesContext& ctx) {
  JISR_RETURN_IF_ERROR(router.Add(
      http::Method::kGet, "/api/v1/partners", "federation.partners",
      api::Wrap([ctx](http::Request& req) -> absl::StatusOr<http::Response> {
        JISR_ASSIGN_OR_RETURN(security::Principal who, api::Authenticate(*ctx.sessions, req));
        JISR_ASSIGN_OR_RETURN(std::vector<PeerCard> list, ctx.peers->Directory(who));
        boost::json::array partners;
        for (const PeerCard& c : list) partners.push_back(PartnerToJson(c));
        return http::JsonResponse(200, boost::json::object{{"partners", std::move(partners)}});
      })));
  return router.Add(
      http::Method::kGet, "/api/v1/federation/peers", "federation.peers",
      api::Wrap([ctx](http::Request& req) -> absl::StatusOr<http::Response> {
        JISR_ASSIGN_OR_RETURN(security::Principal who, api::Authenticate(*ctx.sessions, req));
        JISR_ASSIGN_OR_RETURN(std::vector<PeerHealth> list, ctx.peers->List(who));
        boost::json::array peers;
        for (const PeerHealth& h : list) peers.push_back(PeerHealthToJson(h, ctx.clock->Now()));
        return http::JsonResponse(200, boost::json::object{{"peers", std::move(peers)}});
      }));
}

}  // namespace jisr::federation
