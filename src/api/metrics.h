// A small Prometheus metrics registry (prometheus-cpp is not packaged in
// Debian 12): counter, gauge and histogram families with labels, callback
// gauges, and rendering in the text exposition format 0.0.4.
//
// Usage:
//   metrics::Registry registry;
//   JISR_ASSIGN_OR_RETURN(auto* hits, registry.AddCounter(
//       "jisr_screening_hits_total", "Screening hits.", {"kind"}));
//   JISR_ASSIGN_OR_RETURN(metrics::Counter* person,
//   hits->WithLabels({"person"})); person->Increment();            //
//   lock-free; keep the pointer for hot paths
//
// Thread-safety: everything is thread-safe. Updating a metric is lock-free
// (atomics). WithLabels is lock-free for a label set seen before and takes the
// family's mutex only the first time a label set appears. Pointers returned
// by Add* and WithLabels stay valid for the registry's lifetime (nothing is
// ever removed). Render takes mutexes but blocks no updater.
#ifndef JISR_API_METRICS_H_
#define JISR_API_METRICS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace jisr::metrics {

// A monotonically increasing value.
class Counter {
 public:
  // Adds `n` (exact for integers up to 2^64).
  void Increment(uint64_t n = 1) {
    whole_.fetch_add(n, std::memory_order_relaxed);
  }
  // Adds `v`; negative or NaN values are ignored (a counter never goes down).
  void Add(double v);
  // Returns the current total.
  double Value() const;

 private:
  std::atomic<uint64_t> whole_{0};
  std::atomic<double> fraction_{0.0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  void Increment() { Add(1.0); }
  void Decrement() { Add(-1.0); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Observations counted in buckets by upper bound (Prometheus "le").
class Histogram {
 public:
  // `bounds` must be strictly increasing and finite (the registry checks).
  explicit Histogram(std::vector<double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Records one observation (NaN is ignored).
  void Observe(double v);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (= count)
    double sum = 0.0;
    uint64_t count = 0;
  };
  // Returns consistent cumulative bucket counts; sum may lag by observations
  // that are being recorded concurrently.
  Snapshot Collect() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0.0};
};

// The latency buckets used for request durations, in seconds:
// .0005 .001 .0025 .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10.
std::vector<double> DefaultLatencyBuckets();

enum class MetricType { kCounter, kGauge, kHistogram };

// A metric name with a fixed set of label names; one child metric per
// distinct list of label values.
template <typename T>
class Family {
 public:
  Family(std::string name, std::string help,
         std::vector<std::string> label_names, std::vector<double> buckets);
  ~Family();
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  // Returns the child for `values` (one per label name, in order), creating
  // it the first time. InvalidArgument when the number of values differs
  // from the number of label names.
  absl::StatusOr<T*> WithLabels(std::span<const std::string_view> values);
  absl::StatusOr<T*> WithLabels(
      std::initializer_list<std::string_view> values) {
    return WithLabels(
        std::span<const std::string_view>(values.begin(), values.size()));
  }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& buckets() const { return buckets_; }

  // Appends this family's HELP, TYPE and sample lines to `out`.
  void Render(std::string* out) const;

 private:
  struct Child;
  struct Table;
  T* Find(const Table& table, uint64_t hash,
          std::span<const std::string_view> values) const;

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> buckets_;  // histograms only
  std::atomic<const Table*> table_;
  mutable std::mutex mu_;  // guards children_, tables_ and insertion
  std::vector<std::unique_ptr<Child>> children_;
  std::vector<std::unique_ptr<Table>> tables_;  // current and retired tables
};

extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Owns metric families and renders them.
class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registers a family. The name must match [a-zA-Z_:][a-zA-Z0-9_:]*, label
  // names [a-zA-Z_][a-zA-Z0-9_]* (unique, not starting with "__"; histograms
  // may not use "le"); help is any text. Registering the same name again with
  // the same type, help, labels (and buckets) returns the existing family.
  // Returns InvalidArgument for a bad name, label or bucket list, and
  // AlreadyExists for a name already registered with another definition.
  absl::StatusOr<CounterFamily*> AddCounter(
      std::string_view name, std::string_view help,
      std::vector<std::string> label_names = {});
  absl::StatusOr<GaugeFamily*> AddGauge(
      std::string_view name, std::string_view help,
      std::vector<std::string> label_names = {});
  // `buckets`: strictly increasing finite upper bounds (+Inf is implicit);
  // empty means DefaultLatencyBuckets().
  absl::StatusOr<HistogramFamily*> AddHistogram(
      std::string_view name, std::string_view help,
      std::vector<std::string> label_names = {},
      std::vector<double> buckets = {});
  // Registers an unlabelled gauge whose value is `callback()` at render time.
  // The callback runs on the rendering thread and must be thread-safe and
  // must not call back into the registry. Same errors as AddGauge
  // (AlreadyExists for any second registration of the name).
  absl::Status AddGaugeCallback(std::string_view name, std::string_view help,
                                std::function<double()> callback);

  // Returns every family in the text exposition format 0.0.4, in
  // registration order, children sorted by label values.
  std::string Render() const;

 private:
  struct Entry;
  absl::Status CheckNew(std::string_view name, std::string_view help,
                        const std::vector<std::string>& label_names,
                        MetricType type, const std::vector<double>* buckets,
                        Entry** existing);

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

// The content type of Render()'s output.
inline constexpr std::string_view kTextFormatContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// Exposition-format helpers (exposed for tests).
// Escapes a label value: backslash → \\, double quote → \", newline → \n;
// invalid UTF-8 bytes become U+FFFD.
std::string EscapeLabelValue(std::string_view value);
// Escapes HELP text: backslash → \\, newline → \n; invalid UTF-8 → U+FFFD.
std::string EscapeHelp(std::string_view help);
// Formats a sample value: integers without a fraction ("3"), others with
// the shortest round-trip form ("0.25"), and "+Inf", "-Inf", "NaN".
std::string FormatValue(double v);

}  // namespace jisr::metrics

#endif  // JISR_API_METRICS_H_
