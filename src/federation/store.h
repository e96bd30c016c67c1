// The federation tables (migrations 0005_federation.sql and
// 0014_outbox_dead_letter.sql): peers, outbox, inbox and inbox_records. Every function works in the caller's transaction,
// so an outbox row commits with the change it announces, and an inbox row
// with the change it brought. No permission checks here.
//
// Thread-safety: stateless functions over the transaction they are given.
#ifndef JISR_FEDERATION_STORE_H_
#define JISR_FEDERATION_STORE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "db/database.h"
#include "federation/envelope.h"
#include "federation/identity.h"

namespace jisr::federation {

// The store notification channel announcing new outbox rows (payload: the
// recipient's agency code), which wakes the senders of every process.
inline constexpr std::string_view kOutboxChannel = "federation_outbox";

// ---- peers -----------------------------------------------------------------

struct Peer {
  PeerCard card;  // card.agency is the peer's code
  std::string added_by;
  absl::Time added_at;
};

// {agency, country, names, federation_url, tls_fingerprint, signing_key,
// added_by, added_at}.
boost::json::object PeerToJson(const Peer& peer);

// Registers a peer. Errors: AlreadyExists when its code or its certificate
// fingerprint is registered already; the store's error.
absl::Status InsertPeer(db::Transaction& tx, const Peer& peer);
// Errors: NotFound when no such peer.
absl::Status DeletePeer(db::Transaction& tx, std::string_view code);
absl::StatusOr<std::vector<Peer>> ListPeers(db::Transaction& tx);
absl::StatusOr<std::optional<Peer>> FindPeer(db::Transaction& tx, std::string_view code);
absl::StatusOr<std::optional<Peer>> FindPeerByFingerprint(db::Transaction& tx,
                                                          std::string_view fingerprint);

// ---- outbox ----------------------------------------------------------------

// Writes one outbox row per recipient (each its own envelope id) for record
// `record_id` at `version` with JSON `body`, and notifies kOutboxChannel on
// commit. Recipients need not be registered peers yet: rows for an unknown
// recipient wait until it is added. Errors: InvalidArgument naming
// "recipients" for a malformed agency code or "body" over kMaxBodyBytes; the
// store's error.
absl::Status Publish(db::Transaction& tx, std::span<const std::string> recipients,
                     std::string_view kind, std::string_view record_id, int64_t version,
                     std::string_view body, absl::Time now);

struct PendingEnvelope {
  Envelope envelope;  // id, to, kind, record_id, version, body (from/sent_at/signature unset)
  absl::Time created_at;
  int64_t attempts = 0;  // failed attempts of any kind
  int64_t refusals = 0;  // of which the recipient answered "rejected"
};

// Claims up to `limit` undelivered live (not dead-lettered) rows for
// `recipient` that are due
// (next_attempt_at <= now) and not leased by another sender, oldest first,
// by leasing them until now + lease (FOR UPDATE SKIP LOCKED on PostgreSQL).
// Call in a kWrite transaction.
absl::StatusOr<std::vector<PendingEnvelope>> ClaimBatch(db::Transaction& tx, db::Dialect dialect,
                                                        std::string_view recipient, absl::Time now,
                                                        absl::Duration lease, int limit);

// Marks rows delivered (acknowledged by the recipient) and ends their lease.
absl::Status MarkDelivered(db::Transaction& tx, std::span<const std::string> ids, absl::Time now);

// Records a failed attempt on rows: attempts + 1, the error, the next
// attempt at `next_attempt`, lease ended.
absl::Status MarkFailed(db::Transaction& tx, std::span<const std::string> ids,
                        std::string_view error, absl::Time next_attempt);

// Records a refusal of row `id` (the recipient answered "rejected"): like
// MarkFailed (attempts + 1, the error, next attempt, lease ended) and
// refusals + 1; when refusals reach `max_refusals` (>= 1) the row is
// dead-lettered at `now` (dead_at) and no longer claimed. Deferrals and
// transport failures go through MarkFailed and never dead-letter. Returns
// true when the row became dead; the store's error.
absl::StatusOr<bool> MarkRefused(db::Transaction& tx, std::string_view id, std::string_view error,
                                 absl::Time next_attempt, absl::Time now, int64_t max_refusals);

// The earliest next_attempt_at of `recipient`'s undelivered live rows, or
// nullopt.
absl::StatusOr<std::optional<absl::Time>> NextDue(db::Transaction& tx, std::string_view recipient);

// Delivery health of one recipient.
struct OutboxStats {
  std::string recipient;
  int64_t pending = 0;    // not yet acknowledged, not dead-lettered
  int64_t delivered = 0;  // acknowledged (still kept)
  int64_t dead = 0;       // dead-lettered (refused max_refusals times)
  std::optional<absl::Time> oldest_pending;  // created_at of the oldest pending row
  std::optional<absl::Time> last_delivered;
  int64_t max_attempts = 0;  // of the pending rows
  std::string last_error;    // of the most recently failed pending row
  std::string last_dead_error;  // of the most recently dead-lettered row
};
// One entry per recipient having rows, by recipient.
absl::StatusOr<std::vector<OutboxStats>> OutboxStatistics(db::Transaction& tx);

// ---- dead letters ------------------------------------------------------------

// One outbox row without its body (which may hold personal data).
struct OutboxEntry {
  std::string id;  // the envelope id
  std::string recipient;
  std::string kind;
  std::string record_id;
  int64_t version = 0;
  absl::Time created_at;
  std::optional<absl::Time> dead_at;  // set for a dead-lettered row
  std::optional<absl::Time> delivered_at;
  int64_t attempts = 0;
  int64_t refusals = 0;
  std::string last_error;
};
// {id, recipient, kind, record_id, version, created_at, dead_at (null when
// live), refusals, attempts, last_error}.
boost::json::object OutboxEntryToJson(const OutboxEntry& e);

// Row `id` of `recipient`'s outbox, or nullopt.
absl::StatusOr<std::optional<OutboxEntry>> FindOutboxEntry(db::Transaction& tx,
                                                           std::string_view recipient,
                                                           std::string_view id);
// `recipient`'s dead-lettered rows, most recently dead first (then by id),
// skipping `offset`, at most `limit`.
absl::StatusOr<std::vector<OutboxEntry>> ListDeadLetters(db::Transaction& tx,
                                                         std::string_view recipient,
                                                         int64_t offset, int64_t limit);
// How many of `recipient`'s rows are dead-lettered.
absl::StatusOr<int64_t> CountDeadLetters(db::Transaction& tx, std::string_view recipient);
// True when `recipient` has outbox rows (of any state).
absl::StatusOr<bool> HasOutboxRows(db::Transaction& tx, std::string_view recipient);

// Brings dead row `id` of `recipient` back to live: refusals 0, due at
// `now`, and notifies kOutboxChannel on commit; returns the row as it is
// now. Errors: NotFound when no such row; FailedPrecondition when the row is
// not dead-lettered; the store's error.
absl::StatusOr<OutboxEntry> RetryDeadLetter(db::Transaction& tx, std::string_view recipient,
                                            std::string_view id, absl::Time now);
// Deletes dead row `id` of `recipient`; returns the row deleted. Errors:
// NotFound; FailedPrecondition when the row is not dead-lettered; the store's.
absl::StatusOr<OutboxEntry> DiscardDeadLetter(db::Transaction& tx, std::string_view recipient,
                                              std::string_view id);
// Brings every dead row of `recipient` back to live (as RetryDeadLetter);
// returns how many.
absl::StatusOr<int64_t> RetryAllDeadLetters(db::Transaction& tx, std::string_view recipient,
                                            absl::Time now);

// Deletes rows delivered before `before`; returns how many.
absl::StatusOr<int64_t> PurgeDelivered(db::Transaction& tx, absl::Time before);

// The highest version of record `record_id` this node has published (to any
// recipient), or nullopt: for records versioned by time, so that the next
// version is always newer.
absl::StatusOr<std::optional<int64_t>> LastPublishedVersion(db::Transaction& tx,
                                                            std::string_view record_id);

// ---- inbox -----------------------------------------------------------------

enum class InboxOutcome { kApplied, kSuperseded };

// True when envelope `id` was received already.
absl::StatusOr<bool> InboxContains(db::Transaction& tx, std::string_view id);

// The newest version applied of `sender`'s record `record_id`, or nullopt.
absl::StatusOr<std::optional<int64_t>> AppliedVersion(db::Transaction& tx, std::string_view sender,
                                                      std::string_view record_id);

// Forgets the newest version applied of record `record_id` from every
// sender: for a record a handler deleted (a purge), so that the same version
// sent again later (the record shared anew) is applied, not superseded.
absl::Status ForgetRecord(db::Transaction& tx, std::string_view record_id);

// Records envelope `e` as received at `now` with `outcome`; when applied,
// also makes it the newest version of its record. Errors: AlreadyExists when
// the envelope id is recorded already.
absl::Status RecordReceived(db::Transaction& tx, const Envelope& e, InboxOutcome outcome,
                            absl::Time now);

struct InboxStats {
  std::string sender;
  int64_t received = 0;
  std::optional<absl::Time> last_received;
};
absl::StatusOr<std::vector<InboxStats>> InboxStatistics(db::Transaction& tx);

// Provenance of a received record version: the envelope that brought it.
struct Provenance {
  std::string envelope_id;
  std::string sender;
  std::string signature;  // raw 64 bytes
  std::string body_hash;
  absl::Time sent_at;
  absl::Time received_at;

  bool operator==(const Provenance&) const = default;
};
absl::StatusOr<std::optional<Provenance>> FindProvenance(db::Transaction& tx,
                                                         std::string_view envelope_id);
// {envelope_id, sender, signature (Base64), body_hash, sent_at, received_at}.
boost::json::object ProvenanceToJson(const Provenance& p);

}  // namespace jisr::federation

#endif  // JISR_FEDERATION_STORE_H_
