// The REST routes of groups/: each handler authenticates the bearer token,
// reads the optional X-Purpose header, parses the JSON body (every error
// names the member at fault), calls the GroupsService (which asks the
// policy table and audits) and answers JSON or problem+json.
//
//   POST /api/v1/groups                 create -> 201 group
//   GET  /api/v1/groups?page=&page_size=
//   GET  /api/v1/groups/{id}
//   PUT  /api/v1/groups/{id}            {version, ...} (owner only)
//   PUT  /api/v1/groups/{id}/tasks/{task}  {state, assignee?} (owner, or
//                                       the agency carrying the task out)
//   POST /api/v1/plans                  create -> 201 plan
//   GET  /api/v1/plans?page=&page_size=
//   GET  /api/v1/plans/{id}             with its objectives and actions
//   PUT  /api/v1/plans/{id}             {version, ...} (owner only)
//   POST /api/v1/plans/{id}/objectives  -> 201 objective (owned here)
//   PUT  /api/v1/plans/{id}/objectives/{item}  {version, ...}
//   POST /api/v1/plans/{id}/actions     -> 201 action (owned here)
//   PUT  /api/v1/plans/{id}/actions/{item}     {version, ...}
//   GET  /api/v1/plans/{id}/roadmap     progress rolled up, what is late
//   POST /api/v1/operations             create -> 201 operation
//   GET  /api/v1/operations?page=&page_size=
//   GET  /api/v1/operations/{id}
//   PUT  /api/v1/operations/{id}        {version, ...} (owner only)
//
// Thread-safety: handlers run concurrently; the service is thread-safe.
// The context's objects must outlive the router.
#ifndef JISR_GROUPS_GROUPS_ROUTES_H_
#define JISR_GROUPS_GROUPS_ROUTES_H_

#include "absl/status/status.h"
#include "api/router.h"
#include "groups/groups_service.h"
#include "security/session_service.h"

namespace jisr::groups {

// What the routes need; owned by the node. The pointers may be null when the
// router is only listed (the OpenAPI test).
struct GroupsRoutesContext {
  security::SessionService* sessions = nullptr;
  GroupsService* groups = nullptr;
};

// Adds every route above to `router`. Errors: the router's.
absl::Status AddGroupsRoutes(http::Router& router, const GroupsRoutesContext& context);

}  // namespace jisr::groups

#endif  // JISR_GROUPS_GROUPS_ROUTES_H_
