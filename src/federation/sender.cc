#include "federation/sender.h"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "federation/receiver.h"
#include "federation/store.h"
#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace jisr::federation {
namespace {

std::chrono::milliseconds ToChrono(absl::Duration d) {
  return std::chrono::milliseconds(std::max<int64_t>(0, absl::ToInt64Milliseconds(d)));
}

}  // namespace

absl::Duration Sender::Backoff(const SenderOptions& options, int64_t failures) {
  absl::Duration cap = options.retry_initial;
  for (int64_t i = 1; i < failures && cap < options.retry_max; ++i) cap *= 2;
  cap = std::min(cap, options.retry_max);
  const int64_t cap_ms = std::max<int64_t>(50, absl::ToInt64Milliseconds(cap));
  const int64_t ms = static_cast<int64_t>(randombytes_uniform(static_cast<uint32_t>(
      std::min<int64_t>(cap_ms, 0xffffffffLL))));
  return absl::Milliseconds(std::max<int64_t>(50, ms));
}

// One peer's worker.
struct Worker {
  Peer peer;
  std::thread thread;
  std::mutex mu;
  std::condition_variable cv;
  bool wake = false;
  bool stop = false;
  metrics::Gauge* pending = nullptr;
  metrics::Gauge* oldest_age = nullptr;
  metrics::Gauge* dead = nullptr;
  metrics::Counter* delivered = nullptr;
  metrics::Counter* failures = nullptr;

  void Wake() {
    {
      std::lock_guard lock(mu);
      wake = true;
    }
    cv.notify_one();
  }
  // Waits up to `d` or until woken (when `wakeable`) or stopped; returns
  // false when stopped.
  bool Sleep(absl::Duration d, bool wakeable) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, ToChrono(d), [&] { return stop || (wakeable && wake); });
    wake = false;
    return !stop;
  }
};

struct Sender::Impl {
  db::Database& db;
  const Clock& clock;
  const NodeIdentity& identity;
  SenderOptions options;
  metrics::Registry* registry;
  metrics::GaugeFamily* pending_family = nullptr;
  metrics::GaugeFamily* oldest_family = nullptr;
  metrics::GaugeFamily* dead_family = nullptr;
  metrics::CounterFamily* delivered_family = nullptr;
  metrics::CounterFamily* failures_family = nullptr;
  metrics::Histogram* latency = nullptr;

  std::unique_ptr<db::Subscription> subscription;
  std::thread supervisor;
  std::mutex mu;  // guards workers, stop, wake
  std::condition_variable cv;
  bool stop = false;
  bool started = false;
  std::map<std::string, std::unique_ptr<Worker>> workers;  // by peer code

  Impl(db::Database& d, const Clock& c, const NodeIdentity& i, SenderOptions o,
       metrics::Registry* r)
      : db(d), clock(c), identity(i), options(std::move(o)), registry(r) {}

  void Supervise();
  void Reconcile();
  void Run(Worker* w);
  // Sends one batch; returns the number of rows claimed (0: nothing due), or
  // the transport/store error.
  absl::StatusOr<size_t> SendOnce(Worker* w, FederationClient& client, int64_t* peer_failures);
  void UpdateGauges(Worker* w);
};

Sender::Sender(db::Database& db, const Clock& clock, const NodeIdentity& identity,
               SenderOptions options, metrics::Registry* registry)
    : impl_(std::make_unique<Impl>(db, clock, identity, std::move(options), registry)) {}

Sender::~Sender() { Stop(); }

absl::Status Sender::Start() {
  Impl& s = *impl_;
  if (s.started) return absl::FailedPreconditionError("the sender is running already");
  if (s.registry != nullptr) {
    JISR_ASSIGN_OR_RETURN(s.pending_family,
                          s.registry->AddGauge("jisr_federation_outbox_pending",
                                               "Envelopes not yet acknowledged, by peer.", {"peer"}));
    JISR_ASSIGN_OR_RETURN(
        s.oldest_family,
        s.registry->AddGauge("jisr_federation_outbox_oldest_age_seconds",
                             "Age of the oldest unacknowledged envelope, by peer.", {"peer"}));
    JISR_ASSIGN_OR_RETURN(
        s.dead_family,
        s.registry->AddGauge("jisr_federation_outbox_dead",
                             "Envelopes dead-lettered (refused max_refusals times), by peer.",
                             {"peer"}));
    JISR_ASSIGN_OR_RETURN(s.delivered_family,
                          s.registry->AddCounter("jisr_federation_delivered_total",
                                                 "Envelopes acknowledged by the peer.", {"peer"}));
    JISR_ASSIGN_OR_RETURN(
        s.failures_family,
        s.registry->AddCounter("jisr_federation_send_failures_total",
                               "Batches that could not be delivered, by peer.", {"peer"}));
    JISR_ASSIGN_OR_RETURN(
        metrics::HistogramFamily * latency,
        s.registry->AddHistogram("jisr_federation_delivery_latency_seconds",
                                 "From publication to the peer's acknowledgement.", {},
                                 {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 300,
                                  3600}));
    JISR_ASSIGN_OR_RETURN(s.latency, latency->WithLabels({}));
  }
  JISR_ASSIGN_OR_RETURN(s.subscription,
                        s.db.Listen(kOutboxChannel, [impl = impl_.get()](const db::Notification& n) {
                          std::lock_guard lock(impl->mu);
                          if (n.missed) {
                            for (auto& [code, w] : impl->workers) w->Wake();
                            return;
                          }
                          auto it = impl->workers.find(n.payload);
                          if (it != impl->workers.end()) it->second->Wake();
                        }));
  s.started = true;
  s.supervisor = std::thread([impl = impl_.get()] { impl->Supervise(); });
  return absl::OkStatus();
}

void Sender::Stop() {
  Impl& s = *impl_;
  if (!s.started) return;
  s.subscription.reset();
  {
    std::lock_guard lock(s.mu);
    s.stop = true;
  }
  s.cv.notify_all();
  if (s.supervisor.joinable()) s.supervisor.join();
  std::map<std::string, std::unique_ptr<Worker>> workers;
  {
    std::lock_guard lock(s.mu);
    workers.swap(s.workers);
  }
  for (auto& [code, w] : workers) {
    {
      std::lock_guard lock(w->mu);
      w->stop = true;
    }
    w->cv.notify_all();
  }
  for (auto& [code, w] : workers) {
    if (w->thread.joinable()) w->thread.join();
  }
  s.started = false;
}

void Sender::Impl::Supervise() {
  std::unique_lock lock(mu);
  while (!stop) {
    lock.unlock();
    Reconcile();
    lock.lock();
    // Peers change rarely (jisr peer add/remove): look every 2 s.
    cv.wait_for(lock, std::chrono::seconds(2), [&] { return stop; });
  }
}

void Sender::Impl::Reconcile() {
  absl::StatusOr<std::vector<Peer>> peers;
  absl::Status s = db.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    peers = ListPeers(tx);
    return peers.status();
  });
  if (!s.ok()) {
    spdlog::warn("federation sender: cannot list peers: {}", std::string(s.message()));
    return;
  }
  std::map<std::string, Peer> wanted;
  for (Peer& p : *peers) wanted.emplace(p.card.agency, std::move(p));
  std::vector<std::unique_ptr<Worker>> retired;
  {
    std::lock_guard lock(mu);
    if (stop) return;
    for (auto it = workers.begin(); it != workers.end();) {
      auto w = wanted.find(it->first);
      if (w == wanted.end() || !(w->second.card == it->second->peer.card)) {
        retired.push_back(std::move(it->second));
        it = workers.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& [code, peer] : wanted) {
      if (workers.contains(code)) continue;
      auto w = std::make_unique<Worker>();
      w->peer = peer;
      if (pending_family != nullptr) {
        w->pending = pending_family->WithLabels({code}).value_or(nullptr);
        w->oldest_age = oldest_family->WithLabels({code}).value_or(nullptr);
        w->dead = dead_family->WithLabels({code}).value_or(nullptr);
        w->delivered = delivered_family->WithLabels({code}).value_or(nullptr);
        w->failures = failures_family->WithLabels({code}).value_or(nullptr);
      }
      Worker* raw = w.get();
      w->thread = std::thread([this, raw] { Run(raw); });
      workers.emplace(code, std::move(w));
      spdlog::info("federation: sending to {} at {}", code, peer.card.federation_url);
    }
  }
  for (auto& w : retired) {
    {
      std::lock_guard lock(w->mu);
      w->stop = true;
    }
    w->cv.notify_all();
    if (w->thread.joinable()) w->thread.join();
  }
}

void Sender::Impl::UpdateGauges(Worker* w) {
  if (w->pending == nullptr) return;
  const std::string& code = w->peer.card.agency;
  absl::Status s = db.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(
        std::optional<db::Row> row,
        tx.QueryOptional("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE recipient = $1 AND "
                         "delivered_at IS NULL AND dead_at IS NULL",
                         {code}));
    const int64_t count = row ? row->GetInt(0) : 0;
    w->pending->Set(static_cast<double>(count));
    w->oldest_age->Set(row && !row->IsNull(1)
                           ? absl::ToDoubleSeconds(clock.Now() - absl::FromUnixMillis(row->GetInt(1)))
                           : 0.0);
    JISR_ASSIGN_OR_RETURN(int64_t dead, CountDeadLetters(tx, code));
    if (w->dead != nullptr) w->dead->Set(static_cast<double>(dead));
    return absl::OkStatus();
  });
  (void)s;  // gauges are best effort
}

absl::StatusOr<size_t> Sender::Impl::SendOnce(Worker* w, FederationClient& client,
                                              int64_t* peer_failures) {
  const std::string& code = w->peer.card.agency;
  std::vector<PendingEnvelope> batch;
  JISR_RETURN_IF_ERROR(db.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(batch, ClaimBatch(tx, db.dialect(), code, clock.Now(), options.lease,
                                            options.batch_size));
    return absl::OkStatus();
  }));
  if (batch.empty()) return size_t{0};

  boost::json::array envelopes;
  envelopes.reserve(batch.size());
  const absl::Time sent_at = clock.Now();
  for (PendingEnvelope& p : batch) {
    p.envelope.from = options.agency;
    p.envelope.sent_at = absl::FromUnixMillis(absl::ToUnixMillis(sent_at));
    Sign(identity.signing, &p.envelope);
    envelopes.push_back(EnvelopeToJson(p.envelope));
  }
  const std::string body = ToJson(boost::json::object{{"envelopes", std::move(envelopes)}});
  absl::StatusOr<FederationResponse> response = client.Post(kEnvelopesPath, "application/json", body);

  std::vector<std::string> all_ids;
  all_ids.reserve(batch.size());
  for (const PendingEnvelope& p : batch) all_ids.push_back(p.envelope.id);
  std::string error;
  if (!response.ok()) {
    error = std::string(response.status().message());
  } else if (response->status != 200) {
    error = fmt::format("{} answered HTTP {}: {}", code, response->status,
                        response->body.substr(0, 300));
  }
  if (!error.empty()) {
    ++*peer_failures;
    if (w->failures != nullptr) w->failures->Increment();
    const absl::Time next = clock.Now() + Sender::Backoff(options, *peer_failures);
    JISR_RETURN_IF_ERROR(db.Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return MarkFailed(tx, all_ids, error, next);
    }));
    return absl::UnavailableError(error);
  }
  *peer_failures = 0;

  // Read the per-envelope results.
  std::vector<std::string> delivered;
  std::vector<std::pair<std::string, std::string>> rejected;  // id, reason
  std::vector<bool> refused;  // per `rejected`: the peer answered "rejected"
  size_t deferred = 0;  // of `rejected`: to be sent again, not refused
  absl::StatusOr<boost::json::object> parsed = ParseJsonObject(response->body);
  const boost::json::value* results = parsed.ok() ? parsed->if_contains("results") : nullptr;
  std::map<std::string, std::pair<std::string, std::string>> by_id;
  if (results != nullptr && results->is_array()) {
    for (const boost::json::value& r : results->get_array()) {
      if (!r.is_object()) continue;
      const boost::json::object& o = r.get_object();
      const auto text = [&](std::string_view k) {
        const boost::json::value* v = o.if_contains(k);
        return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
      };
      by_id[text("id")] = {text("status"), text("reason")};
    }
  }
  for (const PendingEnvelope& p : batch) {
    auto it = by_id.find(p.envelope.id);
    if (it == by_id.end()) {
      rejected.emplace_back(p.envelope.id, "no result for this envelope in the answer");
      refused.push_back(false);
    } else if (it->second.first == "accepted" || it->second.first == "duplicate" ||
               it->second.first == "superseded") {
      delivered.push_back(p.envelope.id);
    } else if (it->second.first == "deferred") {
      ++deferred;
      rejected.emplace_back(p.envelope.id, fmt::format("deferred by {}: {}", code, it->second.second));
      refused.push_back(false);
    } else {
      // Only "rejected" is a refusal, which dead-letters the row after
      // options.max_refusals of them; a status this node does not know is
      // retried like a deferral.
      const bool refusal = it->second.first == "rejected";
      rejected.emplace_back(p.envelope.id,
                            fmt::format("{} by {}: {}", refusal ? "rejected" : it->second.first,
                                        code, it->second.second));
      refused.push_back(refusal);
    }
  }
  const absl::Time now = clock.Now();
  size_t dead = 0;
  JISR_RETURN_IF_ERROR(db.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
    dead = 0;
    JISR_RETURN_IF_ERROR(MarkDelivered(tx, delivered, now));
    for (size_t i = 0; i < rejected.size(); ++i) {
      const auto& [id, reason] = rejected[i];
      // Each rejected row backs off on its own attempt count.
      int64_t attempts = 1;
      for (const PendingEnvelope& p : batch) {
        if (p.envelope.id == id) attempts = p.attempts + 1;
      }
      const absl::Time next = now + Sender::Backoff(options, attempts);
      if (refused[i]) {
        JISR_ASSIGN_OR_RETURN(bool became_dead,
                              MarkRefused(tx, id, reason, next, now, options.max_refusals));
        if (became_dead) ++dead;
      } else {
        const std::string ids[] = {id};
        JISR_RETURN_IF_ERROR(MarkFailed(tx, ids, reason, next));
      }
    }
    return absl::OkStatus();
  }));
  if (dead > 0) {
    spdlog::warn("federation: {} envelopes for {} dead-lettered after {} refusals (an "
                 "administrator may retry or discard them)",
                 dead, code, options.max_refusals);
  }
  if (rejected.size() > deferred) {
    // The first failure that is not a deferral (a refusal, or an envelope
    // the answer did not mention).
    auto first = std::find_if(rejected.begin(), rejected.end(), [](const auto& r) {
      return r.second.rfind("deferred", 0) != 0;
    });
    if (first == rejected.end()) first = rejected.begin();
    spdlog::warn("federation: {} of {} envelopes not delivered to {} (first: {})",
                 rejected.size() - deferred, batch.size(), code, first->second);
  }
  if (deferred > 0) {
    spdlog::info("federation: {} of {} envelopes deferred by {} (sent again later)", deferred,
                 batch.size(), code);
  }
  if (w->delivered != nullptr) w->delivered->Increment(delivered.size());
  if (latency != nullptr) {
    for (const PendingEnvelope& p : batch) {
      latency->Observe(absl::ToDoubleSeconds(now - p.created_at));
    }
  }
  return batch.size();
}

void Sender::Impl::Run(Worker* w) {
  FederationClient client(identity.tls, w->peer.card.federation_url, w->peer.card.tls_fingerprint,
                          options.client);
  int64_t peer_failures = 0;
  absl::Time last_gauges = absl::InfinitePast();
  while (true) {
    absl::StatusOr<size_t> sent = SendOnce(w, client, &peer_failures);
    if (clock.Now() - last_gauges > absl::Seconds(1)) {
      UpdateGauges(w);
      last_gauges = clock.Now();
    }
    if (!sent.ok()) {
      if (peer_failures > 0) {
        if (peer_failures == 1 || peer_failures % 10 == 0) {
          spdlog::warn("federation: cannot deliver to {} (attempt {}): {}", w->peer.card.agency,
                       peer_failures, std::string(sent.status().message()));
        }
        // The peer is down: wait out the back-off (new rows do not wake us).
        if (!w->Sleep(Backoff(options, peer_failures), /*wakeable=*/false)) return;
      } else {
        spdlog::warn("federation: outbox for {}: {}", w->peer.card.agency,
                     std::string(sent.status().message()));
        if (!w->Sleep(options.poll, /*wakeable=*/false)) return;
      }
      continue;
    }
    if (*sent > 0) {
      std::lock_guard lock(w->mu);
      if (w->stop) return;
      continue;  // more may be due
    }
    // Nothing due: sleep until the next due row, a notification or the poll.
    absl::Duration wait = options.poll;
    absl::StatusOr<std::optional<absl::Time>> due;
    absl::Status s = db.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
      due = NextDue(tx, w->peer.card.agency);
      return due.status();
    });
    if (s.ok() && due->has_value()) wait = std::min(wait, std::max(absl::ZeroDuration(), **due - clock.Now()));
    if (!w->Sleep(wait, /*wakeable=*/true)) return;
    if (options.linger > absl::ZeroDuration()) {
      std::this_thread::sleep_for(ToChrono(options.linger));
    }
  }
}

}  // namespace jisr::federation
