// The REST routes of events/: each handler authenticates the bearer token,
// reads the optional X-Purpose header, parses the body (every error names
// the member at fault), calls the EventService (which asks the policy table
// and audits) and answers JSON or problem+json.
//
//   POST /api/v1/events                           create (host = this agency) -> 201
//   GET  /api/v1/events?page=&page_size=          hosted or partnered
//   GET  /api/v1/events/{id}
//   PUT  /api/v1/events/{id}                      {version, ...} (host only) -> 200
//   POST /api/v1/events/{id}/incidents            log an incident -> 201 (shared)
//   GET  /api/v1/events/{id}/incidents?severity=&page=&page_size=
//   GET  /api/v1/events/{id}/incidents/state      {count, latest_stored_at}:
//        what a live screen polls (names no person: not audited)
//   POST /api/v1/events/{id}/deployments          a liaison officer -> 201 (shared)
//   GET  /api/v1/events/{id}/deployments
//   POST /api/v1/events/{id}/campaigns?name=&threshold=&top_k=
//        body: the applicants' CSV (jisr screen columns) -> 202 campaign
//   POST /api/v1/events/{id}/campaigns?name=&parts=true   empty body -> 201
//        campaign (uploading), then per part (CSV with its header, up to the
//        body limit):
//   POST /api/v1/campaigns/{id}/applicants        -> 200 {part, added, first_item, total}
//   POST /api/v1/campaigns/{id}/start             -> 202 campaign (screening)
//   DELETE /api/v1/campaigns/{id}                 discard one not started -> 204
//   GET  /api/v1/events/{id}/campaigns
//   GET  /api/v1/campaigns/{id}                   progress and counts
//   GET  /api/v1/campaigns/{id}/applicants?decision=&page=&page_size=
//   POST /api/v1/campaigns/{id}/applicants/{item}/review
//        {decision: clear|refer|refuse, reason}
//
// Schemas in docs/openapi.yaml and docs/events.md.
//
// Thread-safety: handlers run concurrently on the server's io threads; the
// service is thread-safe. The context's objects must outlive the router.
#ifndef JISR_EVENTS_EVENTS_ROUTES_H_
#define JISR_EVENTS_EVENTS_ROUTES_H_

#include "absl/status/status.h"
#include "api/router.h"
#include "events/event_service.h"
#include "security/session_service.h"

namespace jisr::events {

// Owned by the node; null pointers when the router is only listed.
struct EventRoutesContext {
  security::SessionService* sessions = nullptr;
  EventService* events = nullptr;
};

// Adds every route above. Errors: the router's.
absl::Status AddEventRoutes(http::Router& router, const EventRoutesContext& context);

}  // namespace jisr::events

#endif  // JISR_EVENTS_EVENTS_ROUTES_H_
