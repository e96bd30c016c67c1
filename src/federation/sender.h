// The sending side of federation: one worker thread per registered peer
// claims that peer's due outbox rows in batches (a lease, so that several
// processes on one PostgreSQL store never send the same row at once), signs
// each envelope (sent_at = now), POSTs the batch to the peer's federation
// listener over mutual TLS (the peer's certificate pinned), and marks the
// acknowledged rows delivered. A peer that cannot be reached is retried with
// capped exponential back-off and full jitter; rows the peer rejected are
// retried on the same schedule (their last_error says why) until they were
// refused max_refusals times: they are then dead-lettered (dead_at) and no
// longer sent until an administrator retries them (PeerService). Rows the
// peer deferred (a referenced record still on its way) and transport
// failures are retried without limit and never dead-letter. Workers wake on
// kOutboxChannel notifications (a commit that published to their peer), on a
// poll timer (changes made by another process on SQLite), and follow peers
// being added or removed.
//
// Metrics (when a registry is given): jisr_federation_outbox_pending{peer},
// jisr_federation_outbox_oldest_age_seconds{peer} (both without dead-lettered
// rows), jisr_federation_outbox_dead{peer},
// jisr_federation_delivered_total{peer}, jisr_federation_send_failures_total{peer},
// jisr_federation_delivery_latency_seconds (publish to acknowledgement).
//
// Thread-safety: Start/Stop from one thread.
#ifndef JISR_FEDERATION_SENDER_H_
#define JISR_FEDERATION_SENDER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "api/metrics.h"
#include "common/clock.h"
#include "db/database.h"
#include "federation/identity.h"

namespace jisr::federation {

struct SenderOptions {
  std::string agency;  // this node's code (the envelopes' `from`)
  int batch_size = 500;
  absl::Duration lease = absl::Seconds(30);  // a claimed batch's lease
  absl::Duration retry_initial = absl::Seconds(1);
  absl::Duration retry_max = absl::Minutes(5);
  absl::Duration poll = absl::Seconds(1);  // idle re-check of the outbox
  // After an idle wake-up, wait this long before claiming, so that changes
  // committed together travel in one batch (fewer transactions and round
  // trips at a steady rate of single changes).
  absl::Duration linger = absl::Milliseconds(2);
  // Refusals (answers "rejected") after which a row is dead-lettered (>= 1;
  // node config federation_max_refusals).
  int64_t max_refusals = 8;
  FederationClientOptions client;
};

class Sender {
 public:
  // `db`, `clock`, `identity` and `registry` (may be null) must outlive it.
  Sender(db::Database& db, const Clock& clock, const NodeIdentity& identity, SenderOptions options,
         metrics::Registry* registry);
  ~Sender();  // Stop()
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // Subscribes to kOutboxChannel and starts the workers. Errors: the store's;
  // the registry's; FailedPrecondition when started already.
  absl::Status Start();
  // Stops every worker (a send in flight finishes or times out) and joins
  // them. Idempotent.
  void Stop();

  // The back-off before attempt `failures` + 1 (failures >= 1): a random
  // duration in [0, min(retry_max, retry_initial * 2^(failures-1))] (full
  // jitter), at least 50 ms.
  static absl::Duration Backoff(const SenderOptions& options, int64_t failures);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jisr::federation

#endif  // JISR_FEDERATION_SENDER_H_
