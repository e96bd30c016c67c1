// The REST routes of the alerts module (/api/v1/alerts..., /api/v1/screen):
// each handler authenticates the bearer token, reads the optional X-Purpose
// header, parses the JSON body (every error names the member at fault),
// calls the alerts services (which ask the policy table whether the
// principal may act and audit the call) and answers JSON or problem+json.
//
//   POST  /api/v1/alerts                      draft an alert -> 201 {id,
//   status, version} GET   /api/v1/alerts?status=&category=&q=&page=&page_size=
//   GET   /api/v1/alerts/{id}
//   PATCH /api/v1/alerts/{id}                 {version, <members to change>}
//   GET   /api/v1/alerts/{id}/history
//   POST  /api/v1/alerts/{id}/activate        {version}
//   POST  /api/v1/alerts/{id}/suspend         {version, reason}
//   POST  /api/v1/alerts/{id}/withdraw        {version, reason}
//   POST  /api/v1/alerts/{id}/execute         {version, date, place}
//   POST  /api/v1/alerts/{id}/extend          {version, justification[,
//   review_at]} GET   /api/v1/alerts/{id}/hits, POST (report a hit) GET
//   /api/v1/hits?state=&page=             the hit inbox GET   /api/v1/hits/{id}
//   POST  /api/v1/hits/{id}/acknowledge|close {version[, reply][, false_match]}
//   POST  /api/v1/screen                      {purpose, person[, threshold,
//   top_k]} POST
//   /api/v1/alerts/import?format=interpol|ftm|csv[&skip_invalid=true]
//                                             body: the file -> 201 {created,
//                                             unchanged, errors}
//   GET   /api/v1/alerts/export?format=ftm|csv[&status=]
//   POST  /api/v1/screenings?format=csv|paxlst[&threshold=&top_k=]
//                                             body: the list; X-Purpose
//                                             required -> 202 job
//   GET   /api/v1/screenings/{id}             state, processed/total
//   GET   /api/v1/screenings/{id}/results?page=&page_size=[&format=csv]
//
// The body schemas are in docs/openapi.yaml and docs/alerts.md.
//
// Thread-safety: handlers are called concurrently from the server's io
// threads; the services they use are thread-safe. The context's objects must
// outlive the router.
#ifndef JISR_ALERTS_ALERTS_ROUTES_H_
#define JISR_ALERTS_ALERTS_ROUTES_H_

#include "absl/status/status.h"
#include "alerts/alert_service.h"
#include "api/router.h"
#include "security/session_service.h"

namespace jisr::alerts {

class ScreeningService;
class HitService;
class ScreeningJobService;

// What the routes need; owned by the node (the composition root). The
// pointers may be null when the router is only listed (the OpenAPI test).
struct AlertRoutesContext {
  security::SessionService* sessions = nullptr;
  AlertService* alerts = nullptr;
  ScreeningService* screening = nullptr;
  HitService* hits = nullptr;
  ScreeningJobService* jobs = nullptr;
};

// Adds every route above to `router`. Errors: the router's (a duplicate
// route is a programming error).
absl::Status AddAlertRoutes(http::Router& router,
                            const AlertRoutesContext& context);

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_ALERTS_ROUTES_H_
