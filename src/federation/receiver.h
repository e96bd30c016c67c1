// The receiving side of federation: POST /federation/v1/envelopes on the
// federation listener. For each envelope of a batch it checks, in order:
// the JSON form; that `from` is the peer whose pinned certificate carried the
// request; that `to` is this node; the Ed25519 signature with that peer's
// key; that sent_at is within max_clock_skew of now (an old envelope
// replayed later is refused); that its kind has a handler; that the envelope
// id was not received before (a replay, or a retry after a lost
// acknowledgement: not applied again, answered "duplicate" so the sender
// stops). Then, in ONE write transaction for the batch, each envelope whose
// version is newer than the newest applied for its record is applied by its
// kind's handler and recorded in the inbox (older ones are recorded as
// superseded: order of arrival does not matter), with one audit entry each;
// the acknowledgement is sent only after that commit.
//
// Every refusal is audited (action federation.reject, outcome denied, with
// the reason), and so is every refused TLS handshake.
//
// A handler may also answer RetryLater (a record it refers to has not
// arrived yet): that envelope is "deferred" — nothing of it applied, not
// recorded, not audited as a refusal — the rest of the batch is applied, and
// the sender sends it again after a back-off.
//
// Response: 200 {"results": [{"id", "status": accepted | superseded |
// duplicate | rejected | deferred, "reason"?}]} in the order of the batch; 400
// problem+json for a body that is not a batch; 403 when the certificate's
// peer was removed; 503 when the store fails (nothing applied; retry).
//
// Thread-safety: Register before serving; HandleRequest is thread-safe.
#ifndef JISR_FEDERATION_RECEIVER_H_
#define JISR_FEDERATION_RECEIVER_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "federation/envelope.h"
#include "federation/transport.h"

namespace jisr::federation {

inline constexpr std::string_view kEnvelopesPath = "/federation/v1/envelopes";

// Applies one envelope's record in `tx` (the batch's transaction). Returns
// OK when applied. A refusal (the record is not acceptable from this sender:
// not its owner, not shared with this node, invalid content, unknown
// referenced record) is InvalidArgument, FailedPrecondition, PermissionDenied
// or NotFound with the reason as message: the envelope is then rejected and
// the rest of the batch applied. RetryLater(why) defers that envelope alone
// (see above). Any other error is the store's: the whole batch fails (503)
// and the sender retries it.
using InboxHandler = std::function<absl::Status(db::Transaction& tx, const Envelope& envelope)>;

// The status a handler returns when its record cannot be applied yet (the
// record it refers to is still on its way): Unavailable, marked as such.
absl::Status RetryLater(std::string_view why);
// True for a status made by RetryLater (a plain Unavailable is the store's).
bool IsRetryLater(const absl::Status& status);

struct ReceiverOptions {
  std::string agency;  // this node's code (envelopes must be addressed to it)
  absl::Duration max_clock_skew = absl::Minutes(10);
  size_t max_batch = 2000;  // envelopes per request
};

class Receiver {
 public:
  Receiver(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
           ReceiverOptions options);
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  // Adds the handler of `kind`. Errors: AlreadyExists for a kind registered
  // twice; InvalidArgument for an empty kind.
  absl::Status Register(std::string_view kind, InboxHandler handler);

  // The federation listener's handler (see above).
  FederationResponse Handle(const FederationRequest& request);

  // For the listener's PeerPinCheck: true when `fingerprint` belongs to a
  // registered peer (reads the store; false when it cannot be read).
  bool IsPinned(std::string_view fingerprint);

  // For the listener's HandshakeRejected: audits the refusal. At most
  // kMaxHandshakeAuditsPerMinute refusals a minute are audited one by one
  // (anyone can knock at the port: the audit log must not be a way to fill
  // the disk); the refusals past that are counted and audited as one entry
  // with their number at the first refusal after the minute.
  void HandshakeRejected(std::string_view fingerprint, std::string_view remote,
                         std::string_view reason);
  static constexpr int kMaxHandshakeAuditsPerMinute = 60;

 private:
  struct Item;
  FederationResponse HandleBatch(const FederationRequest& request);
  void AuditRejections(std::string_view peer, std::string_view fingerprint,
                       const std::vector<Item>& items);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  ReceiverOptions options_;
  absl::flat_hash_map<std::string, InboxHandler> handlers_;
  absl::Mutex rejected_mu_;
  absl::Time rejected_window_ ABSL_GUARDED_BY(rejected_mu_) = absl::InfinitePast();
  int rejected_in_window_ ABSL_GUARDED_BY(rejected_mu_) = 0;
};

}  // namespace jisr::federation

#endif  // JISR_FEDERATION_RECEIVER_H_
