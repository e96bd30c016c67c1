// The REST routes of federation/ on the node's HTTP API (not the federation
// listener):
//
//   GET /api/v1/federation/peers   the partners with their delivery health
//                                  (action federation.read) -> 200 {peers: [...]}
//   GET /api/v1/partners           the partner agencies, codes and names only
//                                  (action partner.list, every role)
//                                  -> 200 {partners: [{agency, country, names}]}
//   GET /api/v1/federation/peers/{code}/dead-letters?offset=&limit=
//                                  the partner's dead-lettered envelopes, no
//                                  body (federation.read) -> 200
//                                  {dead_letters: [...], total, offset, limit}
//   POST .../dead-letters/{id}/retry   back to live (federation.outbox.manage)
//                                  -> 200 the row; 404; 409 when not dead
//   DELETE .../dead-letters/{id}   discarded (federation.outbox.manage) -> 204
//   POST .../dead-letters/retry-all    every dead letter back to live
//                                  -> 200 {requeued}
//
// Thread-safety: the handler runs concurrently on io threads; the context's
// objects must outlive the router.
#ifndef JISR_FEDERATION_FEDERATION_ROUTES_H_
#define JISR_FEDERATION_FEDERATION_ROUTES_H_

#include "absl/status/status.h"
#include "api/router.h"
#include "common/clock.h"
#include "federation/peer_service.h"
#include "security/session_service.h"

namespace jisr::federation {

struct FederationRoutesContext {
  security::SessionService* sessions = nullptr;  // may be null: listing only
  PeerService* peers = nullptr;
  const Clock* clock = nullptr;
};

absl::Status AddFederationRoutes(http::Router& router, const FederationRoutesContext& context);

}  // namespace jisr::federation

#endif  // JISR_FEDERATION_FEDERATION_ROUTES_H_
