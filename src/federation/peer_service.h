// Pairing and delivery health: registering and removing partner nodes (the
// operator at the node's host, `jisr peer add|remove`), and the partners
// with their outbox and inbox figures for administrators, supervisors and
// auditors (action federation.read); every such call is audited. The
// partner directory (codes and names only) is open to every role. Envelopes
// a partner kept refusing (dead letters) are listed with federation.read
// (no body: it may hold personal data) and retried or discarded by
// administrators (action federation.outbox.manage), audited.
//
// Thread-safety: safe to share between threads.
#ifndef JISR_FEDERATION_PEER_SERVICE_H_
#define JISR_FEDERATION_PEER_SERVICE_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "federation/store.h"
#include "security/policy.h"

namespace jisr::federation {

// A partner with its delivery health.
struct PeerHealth {
  Peer peer;
  OutboxStats outbox;  // zeros when nothing was ever sent
  InboxStats inbox;    // zeros when nothing was ever received
};

// {agency, country, names: {en, fr, ar}}: what any user may know of a partner.
boost::json::object PartnerToJson(const PeerCard& card);

// {peer: PeerToJson, outbox: {pending, delivered, dead,
// oldest_pending_age_seconds, last_delivered, max_attempts, last_error,
// last_dead_error}, inbox: {received, last_received}}.
boost::json::object PeerHealthToJson(const PeerHealth& health, absl::Time now);

class PeerService {
 public:
  PeerService(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
              std::string agency);

  // Registers the partner described by `card_json` (audited peer.add).
  // Errors: PermissionDenied unless `who` is an administrator or the host
  // operator; InvalidArgument naming the card member at fault, or "agency"
  // when the card is this node's own; AlreadyExists when the agency or its
  // certificate is registered already; the store's error.
  absl::StatusOr<Peer> Add(const security::Principal& who, std::string_view card_json);

  // Removes partner `code` (audited peer.remove); its undelivered outbox rows
  // stay and are sent if it is added again. Errors: PermissionDenied;
  // NotFound; the store's error.
  absl::Status Remove(const security::Principal& who, std::string_view code);

  // Every partner with its delivery health, by code, plus recipients that
  // have outbox rows but are not registered (peer.card.agency set, the rest
  // empty) (action federation.read). Errors: PermissionDenied; the store's.
  absl::StatusOr<std::vector<PeerHealth>> List(const security::Principal& who);

  // The registered partner agencies (code, country, names), by code, for
  // every signed-in user choosing a partner (action partner.list); no
  // delivery health, keys or addresses, so not audited. Errors:
  // PermissionDenied; the store's.
  absl::StatusOr<std::vector<PeerCard>> Directory(const security::Principal& who);

  // ---- dead letters (see store.h) ----
  // Errors common to these: InvalidArgument naming "code" (a malformed agency
  // code), "id" (not a UUID), "offset" or "limit"; PermissionDenied (audited
  // "denied"); NotFound when `code` is neither a registered partner nor a
  // recipient with outbox rows, or no such envelope of it; the store's.

  struct DeadLetterPage {
    std::vector<OutboxEntry> items;  // most recently dead first
    int64_t total = 0;               // dead rows of the partner
  };
  // Partner `code`'s dead letters, skipping `offset` (>= 0), at most `limit`
  // (1..500) (audited federation.read).
  absl::StatusOr<DeadLetterPage> DeadLetters(const security::Principal& who, std::string_view code,
                                             int64_t offset, int64_t limit);
  // Brings dead letter `id` back to live, refusals reset, due now (audited
  // federation.outbox.manage, details op "retry"); returns the row.
  // Errors: also FailedPrecondition when the row is not dead-lettered.
  absl::StatusOr<OutboxEntry> RetryDeadLetter(const security::Principal& who,
                                              std::string_view code, std::string_view id,
                                              std::string_view purpose = {});
  // Deletes dead letter `id` (audited, op "discard"). Errors: also
  // FailedPrecondition when the row is not dead-lettered.
  absl::Status DiscardDeadLetter(const security::Principal& who, std::string_view code,
                                 std::string_view id, std::string_view purpose = {});
  // Brings every dead letter of `code` back to live (audited, op
  // "retry_all"); returns how many.
  absl::StatusOr<int64_t> RetryAllDeadLetters(const security::Principal& who,
                                              std::string_view code,
                                              std::string_view purpose = {});

 private:
  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  std::string agency_;
};

}  // namespace jisr::federation

#endif  // JISR_FEDERATION_PEER_SERVICE_H_
