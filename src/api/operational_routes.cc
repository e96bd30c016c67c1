#include "api/operational_routes.h"

#include <spdlog/spdlog.h>

#include <string>
#include <utility>

#include "api/problem.h"
#include "common/status.h"

namespace jisr::http {

absl::Status AddOperationalRoutes(Router* router,
                                  const metrics::Registry* registry,
                                  ReadinessCheck readiness) {
  JISR_RETURN_IF_ERROR(
      router->Add(Method::kGet, "/healthz", "healthz", [](Request&) {
        Response r;
        r.body = R"({"status":"ok"})";
        return r;
      }));
  JISR_RETURN_IF_ERROR(router->Add(
      Method::kGet, "/readyz", "readyz",
      [readiness = std::move(readiness)](Request&) {
        absl::Status status = readiness ? readiness() : absl::OkStatus();
        if (!status.ok()) {
          spdlog::warn("readiness check failed: {}", status.ToString());
          return MakeProblem(503, "not-ready",
                             "the node is not ready to serve requests",
                             "Not ready");
        }
        Response r;
        r.body = R"({"status":"ready"})";
        return r;
      }));
  JISR_RETURN_IF_ERROR(
      router->Add(Method::kGet, "/metrics", "metrics", [registry](Request&) {
        Response r;
        r.content_type = std::string(metrics::kTextFormatContentType);
        r.body = registry->Render();
        return r;
      }));
  return absl::OkStatus();
}

}  // namespace jisr::http
