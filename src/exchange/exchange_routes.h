// The REST routes of the exchange module: each handler authenticates the
// bearer token, reads X-Purpose (required for every read of message
// content), parses the JSON body (every error names the member at fault),
// calls ExchangeService and answers JSON or problem+json.
//
//   POST /api/v1/messages                     a new thread or a reply -> 201
//   GET  /api/v1/threads?page=&page_size=&link_type=&link_id=&agency=
//                       &handling_code=&unread=true
//   GET  /api/v1/threads/{id}                 the thread and its messages
//   GET  /api/v1/threads/{id}/export          text/plain, handling marked
//   POST /api/v1/messages/{id}/read           marks it read (GET does not)
//   POST /api/v1/messages/{id}/ack            {note?}
//   POST /api/v1/messages/{id}/forward        {recipients, note?,
//                                             h3_restrictions_respected?,
//                                             ack_requested?} -> 201
//   GET  /api/v1/messages/search?q=&page=&page_size=
//   POST /api/v1/attachments                  raw body -> 201 {hash, size}
//   GET  /api/v1/attachments/{hash}           the bytes
//   GET  /api/v1/units                        internal units
//   PUT  /api/v1/units/{code}                 {name, members: [user ids]}
//
// The body schemas are in docs/openapi.yaml and docs/exchange.md.
//
// Thread-safety: handlers run concurrently on the server's io threads; the
// service is thread-safe. The context's objects must outlive the router.
#ifndef JISR_EXCHANGE_EXCHANGE_ROUTES_H_
#define JISR_EXCHANGE_EXCHANGE_ROUTES_H_

#include "absl/status/status.h"
#include "api/router.h"
#include "exchange/exchange_service.h"
#include "security/session_service.h"

namespace jisr::exchange {

// What the routes need; owned by the node. The pointers may be null when the
// router is only listed (the OpenAPI test).
struct ExchangeRoutesContext {
  security::SessionService* sessions = nullptr;
  ExchangeService* exchange = nullptr;
};

// Adds every route above to `router`. Errors: the router's.
absl::Status AddExchangeRoutes(http::Router& router,
                               const ExchangeRoutesContext& context);

}  // namespace jisr::exchange

#endif  // JISR_EXCHANGE_EXCHANGE_ROUTES_H_
