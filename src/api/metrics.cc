#include "api/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>

#include "api/text_escape.h"

namespace jisr::metrics {
namespace {

bool IsMetricName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsLabelName(std::string_view s) {
  if (s.empty() || s.starts_with("__")) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

uint64_t HashValues(std::span<const std::string_view> values) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a
  for (std::string_view v : values) {
    for (char c : v) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    h ^= 0xFF;
    h *= 1099511628211ull;
  }
  return h;
}

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

void AppendHeader(std::string* out, std::string_view name,
                  std::string_view help, MetricType type) {
  out->append("# HELP ").append(name).push_back(' ');
  text::AppendPrometheusEscaped(out, help, /*quote=*/false);
  out->append("\n# TYPE ").append(name).push_back(' ');
  out->append(TypeName(type)).push_back('\n');
}

// Appends `{a="x",b="y"[,le="bound"]}` (nothing when there are no labels).
void AppendLabels(std::string* out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values,
                  std::string_view le = {}) {
  if (names.empty() && le.empty()) return;
  out->push_back('{');
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append(names[i]).append("=\"");
    text::AppendPrometheusEscaped(out, values[i], /*quote=*/true);
    out->push_back('"');
  }
  if (!le.empty()) {
    if (!names.empty()) out->push_back(',');
    out->append("le=\"").append(le).push_back('"');
  }
  out->push_back('}');
}

void AppendSample(std::string* out, std::string_view name,
                  std::string_view suffix,
                  const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view le,
                  std::string_view value) {
  out->append(name).append(suffix);
  AppendLabels(out, names, values, le);
  out->push_back(' ');
  out->append(value).push_back('\n');
}

}  // namespace

// ---- Counter, Gauge, Histogram ---------------------------------------------

void Counter::Add(double v) {
  if (!(v > 0)) return;  // also rejects NaN
  const double whole = std::floor(v);
  if (whole >= 1.0 && whole < 1.8e19) {
    whole_.fetch_add(static_cast<uint64_t>(whole), std::memory_order_relaxed);
    v -= whole;
  }
  if (v > 0) fraction_.fetch_add(v, std::memory_order_relaxed);
}

double Counter::Value() const {
  return static_cast<double>(whole_.load(std::memory_order_relaxed)) +
         fraction_.load(std::memory_order_relaxed);
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(new std::atomic<uint64_t>[bounds_.size() + 1]()) {}

void Histogram::Observe(double v) {
  if (std::isnan(v)) return;
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Collect() const {
  Snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
}

// ---- Family ----------------------------------------------------------------

template <typename T>
struct Family<T>::Child {
  template <typename... Args>
  Child(std::vector<std::string> v, uint64_t h, Args&&... args)
      : values(std::move(v)), hash(h), metric(std::forward<Args>(args)...) {}
  const std::vector<std::string> values;
  const uint64_t hash;
  T metric;
};

// An open-addressing table of child pointers; readers probe it without
// locks. It is only ever appended to (under mu_) or replaced by a bigger one;
// replaced tables are kept alive until the family dies.
template <typename T>
struct Family<T>::Table {
  explicit Table(size_t capacity)
      : mask(capacity - 1), slots(new std::atomic<Child*>[capacity]()) {}
  void Insert(Child* child) const {
    size_t i = child->hash & mask;
    while (slots[i].load(std::memory_order_relaxed) != nullptr)
      i = (i + 1) & mask;
    slots[i].store(child, std::memory_order_release);
  }
  const size_t mask;
  const std::unique_ptr<std::atomic<Child*>[]> slots;
};

template <typename T>
Family<T>::Family(std::string name, std::string help,
                  std::vector<std::string> label_names,
                  std::vector<double> buckets)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      buckets_(std::move(buckets)) {
  tables_.push_back(std::make_unique<Table>(16));
  table_.store(tables_.back().get(), std::memory_order_release);
  if (label_names_.empty())
    (void)WithLabels(std::span<const std::string_view>());
}

template <typename T>
Family<T>::~Family() = default;

template <typename T>
T* Family<T>::Find(const Table& table, uint64_t hash,
                   std::span<const std::string_view> values) const {
  for (size_t i = hash & table.mask;; i = (i + 1) & table.mask) {
    Child* child = table.slots[i].load(std::memory_order_acquire);
    if (child == nullptr) return nullptr;
    if (child->hash != hash) continue;
    bool equal = true;
    for (size_t k = 0; k < values.size(); ++k) {
      if (child->values[k] != values[k]) {
        equal = false;
        break;
      }
    }
    if (equal) return &child->metric;
  }
}

template <typename T>
absl::StatusOr<T*> Family<T>::WithLabels(
    std::span<const std::string_view> values) {
  if (values.size() != label_names_.size()) {
    return absl::InvalidArgumentError(fmt::format(
        "metric {} takes {} label values ({}), got {}", name_,
        label_names_.size(), fmt::join(label_names_, ", "), values.size()));
  }
  const uint64_t hash = HashValues(values);
  if (T* found = Find(*table_.load(std::memory_order_acquire), hash, values))
    return found;
  std::lock_guard<std::mutex> lock(mu_);
  const Table* table = table_.load(std::memory_order_relaxed);
  if (T* found = Find(*table, hash, values)) return found;
  std::vector<std::string> owned(values.begin(), values.end());
  if constexpr (std::is_same_v<T, Histogram>) {
    children_.push_back(
        std::make_unique<Child>(std::move(owned), hash, buckets_));
  } else {
    children_.push_back(std::make_unique<Child>(std::move(owned), hash));
  }
  Child* child = children_.back().get();
  const size_t capacity = table->mask + 1;
  if (children_.size() * 2 > capacity) {
    auto bigger = std::make_unique<Table>(capacity * 2);
    for (const auto& c : children_) bigger->Insert(c.get());
    tables_.push_back(std::move(bigger));
    table_.store(tables_.back().get(), std::memory_order_release);
  } else {
    table->Insert(child);
  }
  return &child->metric;
}

template <typename T>
void Family<T>::Render(std::string* out) const {
  std::vector<const Child*> children;
  {
    std::lock_guard<std::mutex> lock(mu_);
    children.reserve(children_.size());
    for (const auto& c : children_) children.push_back(c.get());
  }
  std::sort(
      children.begin(), children.end(),
      [](const Child* a, const Child* b) { return a->values < b->values; });
  if constexpr (std::is_same_v<T, Counter>) {
    AppendHeader(out, name_, help_, MetricType::kCounter);
    for (const Child* c : children) {
      AppendSample(out, name_, "", label_names_, c->values, {},
                   FormatValue(c->metric.Value()));
    }
  } else if constexpr (std::is_same_v<T, Gauge>) {
    AppendHeader(out, name_, help_, MetricType::kGauge);
    for (const Child* c : children) {
      AppendSample(out, name_, "", label_names_, c->values, {},
                   FormatValue(c->metric.Value()));
    }
  } else {
    AppendHeader(out, name_, help_, MetricType::kHistogram);
    for (const Child* c : children) {
      const Histogram::Snapshot snap = c->metric.Collect();
      for (size_t i = 0; i < buckets_.size(); ++i) {
        AppendSample(out, name_, "_bucket", label_names_, c->values,
                     FormatValue(buckets_[i]),
                     FormatValue(static_cast<double>(snap.cumulative[i])));
      }
      AppendSample(out, name_, "_bucket", label_names_, c->values, "+Inf",
                   FormatValue(static_cast<double>(snap.count)));
      AppendSample(out, name_, "_sum", label_names_, c->values, {},
                   FormatValue(snap.sum));
      AppendSample(out, name_, "_count", label_names_, c->values, {},
                   FormatValue(static_cast<double>(snap.count)));
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// ---- Registry --------------------------------------------------------------

struct Registry::Entry {
  MetricType type;
  std::string name;
  std::string help;
  std::vector<std::string> label_names;
  std::vector<double> buckets;
  std::unique_ptr<CounterFamily> counter;
  std::unique_ptr<GaugeFamily> gauge;
  std::unique_ptr<HistogramFamily> histogram;
  std::function<double()> callback;  // callback gauges
};

Registry::Registry() = default;
Registry::~Registry() = default;

absl::Status Registry::CheckNew(std::string_view name, std::string_view help,
                                const std::vector<std::string>& label_names,
                                MetricType type,
                                const std::vector<double>* buckets,
                                Entry** existing) {
  *existing = nullptr;
  if (!IsMetricName(name)) {
    return absl::InvalidArgumentError(fmt::format(
        "metric name \"{}\" must match [a-zA-Z_:][a-zA-Z0-9_:]*", name));
  }
  for (size_t i = 0; i < label_names.size(); ++i) {
    const std::string& label = label_names[i];
    if (!IsLabelName(label)) {
      return absl::InvalidArgumentError(
          fmt::format("metric {}: label name \"{}\" must match "
                      "[a-zA-Z_][a-zA-Z0-9_]* and not start with "
                      "\"__\"",
                      name, label));
    }
    if (type == MetricType::kHistogram && label == "le") {
      return absl::InvalidArgumentError(fmt::format(
          "metric {}: a histogram may not use the label \"le\"", name));
    }
    for (size_t j = 0; j < i; ++j) {
      if (label_names[j] == label) {
        return absl::InvalidArgumentError(fmt::format(
            "metric {}: label \"{}\" is listed twice", name, label));
      }
    }
  }
  if (buckets != nullptr) {
    for (size_t i = 0; i < buckets->size(); ++i) {
      const double b = (*buckets)[i];
      if (!std::isfinite(b) || (i > 0 && !(b > (*buckets)[i - 1]))) {
        return absl::InvalidArgumentError(
            fmt::format("metric {}: histogram buckets must be finite and "
                        "strictly increasing",
                        name));
      }
    }
  }
  for (const auto& e : entries_) {
    if (e->name != name) continue;
    const bool same = e->type == type && e->help == help &&
                      e->label_names == label_names && !e->callback &&
                      (buckets == nullptr || e->buckets == *buckets);
    if (!same) {
      return absl::AlreadyExistsError(fmt::format(
          "metric {} is already registered with another definition", name));
    }
    *existing = e.get();
  }
  return absl::OkStatus();
}

absl::StatusOr<CounterFamily*> Registry::AddCounter(
    std::string_view name, std::string_view help,
    std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry* existing = nullptr;
  if (absl::Status s = CheckNew(name, help, label_names, MetricType::kCounter,
                                nullptr, &existing);
      !s.ok()) {
    return s;
  }
  if (existing != nullptr) return existing->counter.get();
  auto entry = std::make_unique<Entry>();
  entry->type = MetricType::kCounter;
  entry->name = std::string(name);
  entry->help = std::string(help);
  entry->label_names = label_names;
  entry->counter = std::make_unique<CounterFamily>(
      std::string(name), std::string(help), std::move(label_names),
      std::vector<double>{});
  entries_.push_back(std::move(entry));
  return entries_.back()->counter.get();
}

absl::StatusOr<GaugeFamily*> Registry::AddGauge(
    std::string_view name, std::string_view help,
    std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry* existing = nullptr;
  if (absl::Status s = CheckNew(name, help, label_names, MetricType::kGauge,
                                nullptr, &existing);
      !s.ok()) {
    return s;
  }
  if (existing != nullptr) return existing->gauge.get();
  auto entry = std::make_unique<Entry>();
  entry->type = MetricType::kGauge;
  entry->name = std::string(name);
  entry->help = std::string(help);
  entry->label_names = label_names;
  entry->gauge = std::make_unique<GaugeFamily>(
      std::string(name), std::string(help), std::move(label_names),
      std::vector<double>{});
  entries_.push_back(std::move(entry));
  return entries_.back()->gauge.get();
}

absl::StatusOr<HistogramFamily*> Registry::AddHistogram(
    std::string_view name, std::string_view help,
    std::vector<std::string> label_names, std::vector<double> buckets) {
  if (buckets.empty()) buckets = DefaultLatencyBuckets();
  std::lock_guard<std::mutex> lock(mu_);
  Entry* existing = nullptr;
  if (absl::Status s = CheckNew(name, help, label_names, MetricType::kHistogram,
                                &buckets, &existing);
      !s.ok()) {
    return s;
  }
  if (existing != nullptr) return existing->histogram.get();
  auto entry = std::make_unique<Entry>();
  entry->type = MetricType::kHistogram;
  entry->name = std::string(name);
  entry->help = std::string(help);
  entry->label_names = label_names;
  entry->buckets = buckets;
  entry->histogram = std::make_unique<HistogramFamily>(
      std::string(name), std::string(help), std::move(label_names),
      std::move(buckets));
  entries_.push_back(std::move(entry));
  return entries_.back()->histogram.get();
}

absl::Status Registry::AddGaugeCallback(std::string_view name,
                                        std::string_view help,
                                        std::function<double()> callback) {
  if (!callback) {
    return absl::InvalidArgumentError(
        fmt::format("metric {}: empty callback", name));
  }
  std::lock_guard<std::mutex> lock(mu_);
  Entry* existing = nullptr;
  if (absl::Status s =
          CheckNew(name, help, {}, MetricType::kGauge, nullptr, &existing);
      !s.ok()) {
    return s;
  }
  if (existing != nullptr) {
    return absl::AlreadyExistsError(
        fmt::format("metric {} is already registered", name));
  }
  auto entry = std::make_unique<Entry>();
  entry->type = MetricType::kGauge;
  entry->name = std::string(name);
  entry->help = std::string(help);
  entry->callback = std::move(callback);
  entries_.push_back(std::move(entry));
  return absl::OkStatus();
}

std::string Registry::Render() const {
  std::vector<const Entry*> entries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    entries.reserve(entries_.size());
    for (const auto& e : entries_) entries.push_back(e.get());
  }
  std::string out;
  out.reserve(4096);
  for (const Entry* e : entries) {
    if (e->counter) {
      e->counter->Render(&out);
    } else if (e->gauge) {
      e->gauge->Render(&out);
    } else if (e->histogram) {
      e->histogram->Render(&out);
    } else if (e->callback) {
      AppendHeader(&out, e->name, e->help, MetricType::kGauge);
      AppendSample(&out, e->name, "", {}, {}, {}, FormatValue(e->callback()));
    }
  }
  return out;
}

// ---- Helpers ---------------------------------------------------------------

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  text::AppendPrometheusEscaped(&out, value, /*quote=*/true);
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  text::AppendPrometheusEscaped(&out, help, /*quote=*/false);
  return out;
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    return fmt::format("{}", static_cast<int64_t>(v));
  }
  return fmt::format("{}", v);
}

}  // namespace jisr::metrics
