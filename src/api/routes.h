// The REST routes of a node (/api/v1/...): sessions, the signed-in user, the
// node's agency, users and the audit log. Each handler authenticates the
// bearer token, calls the feature service (which asks security's policy table
// whether the principal may act) and answers JSON or problem+json.
//
// A caller may state why it reads personal data in the `X-Purpose` header
// (at most 2000 bytes); it is recorded with the audit entry of the read.
//
// Thread-safety: handlers are called concurrently from the server's io
// threads; the services they use are thread-safe. The ApiContext must outlive
// the router.
#ifndef JISR_API_ROUTES_H_
#define JISR_API_ROUTES_H_

#include <boost/json/object.hpp>

#include "absl/status/status.h"
#include "api/router.h"
#include "audit/audit_log.h"
#include "db/database.h"
#include "security/audit_access.h"
#include "security/session_service.h"
#include "security/user_service.h"

namespace jisr::api {

// What the routes need; owned by the node (the composition root).
struct ApiContext {
  security::UserService* users = nullptr;
  security::SessionService* sessions = nullptr;
  security::AuditAccess* audit_access = nullptr;
  // The body of GET /api/v1/agency.
  boost::json::object agency;
};

// Adds every /api/v1 route to `router`. Errors: the router's (a duplicate
// route is a programming error).
absl::Status AddApiRoutes(http::Router& router, const ApiContext& context);

}  // namespace jisr::api

#endif  // JISR_API_ROUTES_H_
