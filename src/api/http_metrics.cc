#include "api/http_metrics.h"

#include <charconv>
#include <utility>

#include "common/status.h"

namespace jisr::http {

absl::StatusOr<std::unique_ptr<HttpMetrics>> HttpMetrics::Create(
    metrics::Registry* registry) {
  std::unique_ptr<HttpMetrics> m(new HttpMetrics());
  JISR_ASSIGN_OR_RETURN(
      m->requests_, registry->AddCounter(
                        "jisr_http_requests_total",
                        "HTTP requests answered, by route, method and status.",
                        {"route", "method", "status"}));
  JISR_ASSIGN_OR_RETURN(
      m->durations_,
      registry->AddHistogram(
          "jisr_http_request_duration_seconds",
          "Time from a request's first byte to its response's last byte.",
          {"route"}, metrics::DefaultLatencyBuckets()));
  JISR_ASSIGN_OR_RETURN(
      metrics::GaugeFamily * in_flight,
      registry->AddGauge("jisr_http_in_flight_requests",
                         "HTTP requests being handled or answered now."));
  JISR_ASSIGN_OR_RETURN(m->in_flight_, in_flight->WithLabels({}));
  JISR_ASSIGN_OR_RETURN(
      metrics::CounterFamily * accepted,
      registry->AddCounter("jisr_http_connections_accepted_total",
                           "TCP connections accepted by the HTTP server."));
  JISR_ASSIGN_OR_RETURN(m->connections_accepted_, accepted->WithLabels({}));
  JISR_ASSIGN_OR_RETURN(
      metrics::GaugeFamily * open,
      registry->AddGauge("jisr_http_open_connections",
                         "TCP connections of the HTTP server open now."));
  JISR_ASSIGN_OR_RETURN(m->open_connections_, open->WithLabels({}));
  return m;
}

RouteStats* HttpMetrics::ForRoute(std::string_view route) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& r : routes_) {
    if (r->route() == route) return r.get();
  }
  // The family has exactly one label, so WithLabels cannot fail.
  metrics::Histogram* duration = *durations_->WithLabels({route});
  routes_.push_back(std::unique_ptr<RouteStats>(
      new RouteStats(std::string(route), duration)));
  return routes_.back().get();
}

metrics::Counter* HttpMetrics::CounterFor(RouteStats* route, Method method,
                                          int status) {
  const uint32_t key =
      (static_cast<uint32_t>(method) + 1) << 16 | static_cast<uint32_t>(status);
  size_t i = (key * 2654435761u) % RouteStats::kSlots;
  for (size_t probes = 0; probes < RouteStats::kSlots;
       ++probes, i = (i + 1) % RouteStats::kSlots) {
    RouteStats::Slot& slot = route->slots_[i];
    uint32_t seen = slot.key.load(std::memory_order_acquire);
    if (seen == key) {
      if (metrics::Counter* c = slot.counter.load(std::memory_order_acquire))
        return c;
      break;  // another thread is filling this slot: take the slow path
    }
    if (seen == 0) {
      char buf[8];
      const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), status);
      (void)ec;
      metrics::Counter* c = *requests_->WithLabels(
          {route->route(), MethodName(method),
           std::string_view(buf, static_cast<size_t>(end - buf))});
      if (slot.key.compare_exchange_strong(seen, key,
                                           std::memory_order_acq_rel)) {
        slot.counter.store(c, std::memory_order_release);
        return c;
      }
      if (seen == key) return c;  // lost the race to the same key
      continue;                   // lost to another key: keep probing
    }
  }
  char buf[8];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), status);
  (void)ec;
  return *requests_->WithLabels(
      {route->route(), MethodName(method),
       std::string_view(buf, static_cast<size_t>(end - buf))});
}

void HttpMetrics::Record(RouteStats* route, Method method, int status,
                         double seconds) {
  CounterFor(route, method, status)->Increment();
  route->duration_->Observe(seconds);
}

}  // namespace jisr::http
