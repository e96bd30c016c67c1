// The REST routes of the assistance module: each handler authenticates the
// bearer token, reads the optional X-Purpose header, parses the JSON body
// (every error names the member at fault), calls the AssistanceService
// (which asks the policy table and audits) and answers JSON or
// problem+json.
//
//   POST /api/v1/assistance-requests            submit -> 201 request
//   GET  /api/v1/assistance-requests?state=&direction=&overdue=&open=
//            &partner=&sort=newest|deadline&page=&page_size=
//   GET  /api/v1/assistance-requests/{id}       with its history
//   POST /api/v1/assistance-requests/{id}/...   every transition:
//     accept                 {version} (starts the work: state in_progress)
//     answer                 {version, answer}
//     refuse                 {version, reason[, text]}
//     request-clarification  {version, question}
//     clarify                {version, clarification}
//     close                  {version[, note]}
//   GET  /api/v1/assistance/stats?from=&to=     per partner agency
//
// (The receipt is automatic: the requested node acknowledges a request when
// it arrives.) The schemas are in docs/openapi.yaml and docs/assistance.md.
//
// Thread-safety: handlers are called concurrently from the server's io
// threads; the service is thread-safe. The context's objects must outlive the
// router.
#ifndef JISR_ASSISTANCE_ASSISTANCE_ROUTES_H_
#define JISR_ASSISTANCE_ASSISTANCE_ROUTES_H_

#include "absl/status/status.h"
#include "api/router.h"
#include "assistance/assistance_service.h"
#include "security/session_service.h"

namespace jisr::assistance {

// What the routes need; owned by the node (the composition root). The
// pointers may be null when the router is only listed (the OpenAPI test).
struct AssistanceRoutesContext {
  security::SessionService* sessions = nullptr;
  AssistanceService* assistance = nullptr;
};

// Adds every route above to `router`. Errors: the router's (a duplicate
// route is a programming error).
absl::Status AddAssistanceRoutes(http::Router& router,
                                 const AssistanceRoutesContext& context);

}  // namespace jisr::assistance

#endif  // JISR_ASSISTANCE_ASSISTANCE_ROUTES_H_
