// The built-in operational endpoints:
//   GET /healthz  200 {"status":"ok"} while the process runs (route "healthz")
//   GET /readyz   200 {"status":"ready"} when `readiness` returns OK, else 503
//                 problem+json (type urn:jisr:problem:not-ready); the reason
//                 is logged, not sent (route "readyz")
//   GET /metrics  the registry in Prometheus text format 0.0.4 (route
//   "metrics")
//
// Thread-safety: AddOperationalRoutes is called while building the router;
// the handlers it adds are thread-safe if `readiness` is.
#ifndef JISR_API_OPERATIONAL_ROUTES_H_
#define JISR_API_OPERATIONAL_ROUTES_H_

#include <functional>

#include "absl/status/status.h"
#include "api/metrics.h"
#include "api/router.h"

namespace jisr::http {

// A readiness probe, e.g. a database ping: OK when the node can serve.
using ReadinessCheck = std::function<absl::Status()>;

// Registers the three routes in `router`. `registry` must outlive the router;
// an empty `readiness` means always ready. Returns the router's error when a
// route is already registered.
absl::Status AddOperationalRoutes(Router* router,
                                  const metrics::Registry* registry,
                                  ReadinessCheck readiness);

}  // namespace jisr::http

#endif  // JISR_API_OPERATIONAL_ROUTES_H_
