// The REST routes of training/: each handler authenticates the bearer
// token, reads the optional X-Purpose header (required for participants),
// parses the JSON body (every error names the member at fault), calls the
// TrainingService (which asks the policy table and audits) and answers JSON
// or problem+json.
//
//   POST /api/v1/training/programmes                 -> 201 programme
//   GET  /api/v1/training/programmes?page=&page_size=
//   GET  /api/v1/training/programmes/{id}            with its sessions
//   PUT  /api/v1/training/programmes/{id}            {version, ...} (owner only)
//   POST /api/v1/training/programmes/{id}/sessions   -> 201 session
//   GET  /api/v1/training/programmes/{id}/sessions
//   GET  /api/v1/training/sessions/{id}              with the confirmed count
//   PUT  /api/v1/training/sessions/{id}              {version, ..., state}
//   POST /api/v1/training/sessions/{id}/enrolments   {name, rank, unit, email} -> 201
//   GET  /api/v1/training/sessions/{id}/enrolments   with counts per agency
//   GET  /api/v1/training/enrolments/{id}
//   DELETE /api/v1/training/enrolments/{id}          withdraw (the participant's agency)
//   POST /api/v1/training/enrolments/{id}/record     {attended, completion, certificate_number}
//   POST /api/v1/training/catalogue                  -> 201 item
//   GET  /api/v1/training/catalogue?domain=&owner=&page=&page_size=
//   GET  /api/v1/training/catalogue/{id}             with provenance for a copy
//   PUT  /api/v1/training/catalogue/{id}             {version, ...} (owner only)
//
// Thread-safety: handlers run concurrently; the service is thread-safe.
// The context's objects must outlive the router.
#ifndef JISR_TRAINING_TRAINING_ROUTES_H_
#define JISR_TRAINING_TRAINING_ROUTES_H_

#include "absl/status/status.h"
#include "api/router.h"
#include "security/session_service.h"
#include "training/training_service.h"

namespace jisr::training {

// What the routes need; owned by the node. The pointers may be null when
// the router is only listed (the OpenAPI test).
struct TrainingRoutesContext {
  security::SessionService* sessions = nullptr;
  TrainingService* training = nullptr;
};

// Adds every route above to `router`. Errors: the router's.
absl::Status AddTrainingRoutes(http::Router& router, const TrainingRoutesContext& context);

}  // namespace jisr::training

#endif  // JISR_TRAINING_TRAINING_ROUTES_H_
