// The HTTP server's own metrics, registered in a metrics::Registry:
//   jisr_http_requests_total{route,method,status}     counter
//   jisr_http_request_duration_seconds{route}         histogram (latency
//   buckets) jisr_http_in_flight_requests                      gauge
//   jisr_http_connections_accepted_total              counter
//   jisr_http_open_connections                        gauge
// Each route gets a RouteStats handle once (at server start); recording a
// request through it is lock-free and allocation-free: the (method, status)
// counters are cached in a small per-route table of atomics.
//
// Thread-safety: all methods are thread-safe.
#ifndef JISR_API_HTTP_METRICS_H_
#define JISR_API_HTTP_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "api/http_types.h"
#include "api/metrics.h"

namespace jisr::http {

class HttpMetrics;

// Per-route counters and histogram; obtained from HttpMetrics::ForRoute.
class RouteStats {
 public:
  RouteStats(const RouteStats&) = delete;
  RouteStats& operator=(const RouteStats&) = delete;

  const std::string& route() const { return route_; }

 private:
  friend class HttpMetrics;
  struct Slot {
    std::atomic<uint32_t> key{0};  // (method + 1) << 16 | status; 0 = empty
    std::atomic<metrics::Counter*> counter{nullptr};
  };
  static constexpr size_t kSlots = 64;

  RouteStats(std::string route, metrics::Histogram* duration)
      : route_(std::move(route)), duration_(duration) {}

  const std::string route_;
  metrics::Histogram* const duration_;
  std::array<Slot, kSlots> slots_;
};

class HttpMetrics {
 public:
  // Registers (or finds, when already registered identically) the families
  // above in `registry`, which must outlive this object. Returns the
  // registry's error when a family of the same name exists with another
  // definition.
  static absl::StatusOr<std::unique_ptr<HttpMetrics>> Create(
      metrics::Registry* registry);

  // Returns the stats handle for `route` (created on first call; the same
  // pointer afterwards; valid for this object's lifetime).
  RouteStats* ForRoute(std::string_view route);

  // Counts one finished request of `route` with `method` and HTTP `status`,
  // taking `seconds` from its first byte to its last response byte.
  void Record(RouteStats* route, Method method, int status, double seconds);

  metrics::Gauge* in_flight() const { return in_flight_; }
  metrics::Counter* connections_accepted() const {
    return connections_accepted_;
  }
  metrics::Gauge* open_connections() const { return open_connections_; }

 private:
  HttpMetrics() = default;
  metrics::Counter* CounterFor(RouteStats* route, Method method, int status);

  metrics::CounterFamily* requests_ = nullptr;
  metrics::HistogramFamily* durations_ = nullptr;
  metrics::Gauge* in_flight_ = nullptr;
  metrics::Counter* connections_accepted_ = nullptr;
  metrics::Gauge* open_connections_ = nullptr;
  std::mutex mu_;  // guards routes_
  std::vector<std::unique_ptr<RouteStats>> routes_;
};

}  // namespace jisr::http

#endif  // JISR_API_HTTP_METRICS_H_
