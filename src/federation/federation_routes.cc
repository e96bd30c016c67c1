#include "federation/federation_routes.h"

#include <boost/json/array.hpp>

#include "api/request_helpers.h"
#include "common/status.h"

namespace jisr::federation {
namespace {

constexpr std::string_view kDeadLetters = "/api/v1/federation/peers/{code}/dead-letters";

}  // namespace

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
  JISR_RETURN_IF_ERROR(router.Add(
      http::Method::kGet, "/api/v1/federation/peers", "federation.peers",
      api::Wrap([ctx](http::Request& req) -> absl::StatusOr<http::Response> {
        JISR_ASSIGN_OR_RETURN(security::Principal who, api::Authenticate(*ctx.sessions, req));
        JISR_ASSIGN_OR_RETURN(std::vector<PeerHealth> list, ctx.peers->List(who));
        boost::json::array peers;
        for (const PeerHealth& h : list) peers.push_back(PeerHealthToJson(h, ctx.clock->Now()));
        return http::JsonResponse(200, boost::json::object{{"peers", std::move(peers)}});
      })));
  JISR_RETURN_IF_ERROR(router.Add(
      http::Method::kGet, kDeadLetters, "federation.dead_letters",
      api::Wrap([ctx](http::Request& req) -> absl::StatusOr<http::Response> {
        JISR_ASSIGN_OR_RETURN(security::Principal who, api::Authenticate(*ctx.sessions, req));
        JISR_ASSIGN_OR_RETURN(std::optional<int64_t> offset,
                              api::IntParam(req, "offset", 0, int64_t{1} << 40));
        JISR_ASSIGN_OR_RETURN(std::optional<int64_t> limit, api::IntParam(req, "limit", 1, 500));
        JISR_ASSIGN_OR_RETURN(
            PeerService::DeadLetterPage page,
            ctx.peers->DeadLetters(who, api::PathParam(req, "code"), offset.value_or(0),
                                   limit.value_or(50)));
        boost::json::array items;
        for (const OutboxEntry& e : page.items) items.push_back(OutboxEntryToJson(e));
        return http::JsonResponse(200, boost::json::object{{"dead_letters", std::move(items)},
                                                           {"total", page.total},
                                                           {"offset", offset.value_or(0)},
                                                           {"limit", limit.value_or(50)}});
      })));
  JISR_RETURN_IF_ERROR(router.Add(
      http::Method::kPost, std::string(kDeadLetters) + "/retry-all",
      "federation.dead_letters.retry_all",
      api::Wrap([ctx](http::Request& req) -> absl::StatusOr<http::Response> {
        JISR_ASSIGN_OR_RETURN(api::Caller c, api::AuthenticateWithPurpose(*ctx.sessions, req));
        JISR_ASSIGN_OR_RETURN(
            int64_t n, ctx.peers->RetryAllDeadLetters(c.who, api::PathParam(req, "code"), c.purpose));
        return http::JsonResponse(200, boost::json::object{{"requeued", n}});
      })));
  JISR_RETURN_IF_ERROR(router.Add(
      http::Method::kPost, std::string(kDeadLetters) + "/{id}/retry",
      "federation.dead_letters.retry",
      api::Wrap([ctx](http::Request& req) -> absl::StatusOr<http::Response> {
        JISR_ASSIGN_OR_RETURN(api::Caller c, api::AuthenticateWithPurpose(*ctx.sessions, req));
        JISR_ASSIGN_OR_RETURN(OutboxEntry e,
                              ctx.peers->RetryDeadLetter(c.who, api::PathParam(req, "code"),
                                                         api::PathParam(req, "id"), c.purpose));
        return http::JsonResponse(200, OutboxEntryToJson(e));
      })));
  return router.Add(
      http::Method::kDelete, std::string(kDeadLetters) + "/{id}",
      "federation.dead_letters.discard",
      api::Wrap([ctx](http::Request& req) -> absl::StatusOr<http::Response> {
        JISR_ASSIGN_OR_RETURN(api::Caller c, api::AuthenticateWithPurpose(*ctx.sessions, req));
        JISR_RETURN_IF_ERROR(ctx.peers->DiscardDeadLetter(c.who, api::PathParam(req, "code"),
                                                          api::PathParam(req, "id"), c.purpose));
        http::Response r;
        r.status = 204;
        r.content_type.clear();
        return r;
      }));
}

}  // namespace jisr::federation
