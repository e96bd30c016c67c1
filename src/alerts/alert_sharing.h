// Alerts and hit reports across agencies (through federation/).
//
// Publishing (owner side, in the transaction of the change):
//  - an alert of this agency that is active or suspended is sent to every
//    agency in its share_with as "alert.upsert" (body: SharedAlertJson);
//  - when it leaves that state (withdrawn, executed, expired) or an agency
//    is removed from share_with, those agencies get "alert.purge" (body:
//    {id, owner, version, reason}); record id "alert:<id>", version the
//    alert's version;
//  - a partner's alert is never published: a copy is not passed on.
// Hits: a hit filed here on a partner's alert goes to the owner as
// "hit.report"; the owner's acknowledgement or closing of a partner's hit
// goes back as "hit.update" (record "hit:<id>", body HitToJson).
//
// Receiving (the handlers registered with federation::Receiver):
//  - alert.upsert: accepted only from the alert's owner, naming this agency
//    in share_with, active or suspended, with valid content; stored as a
//    read-only copy (owner = sender) with the envelope that brought it;
//  - alert.purge: deletes the copy, its history and the hits filed here on it
//    (their reports went to the owner), leaving only a tombstone (id, owner,
//    version, purged_at); SQLite's secure_delete overwrites the freed bytes;
//  - hit.report: accepted only for an alert of this agency shared with the
//    sender, reported by the sender;
//  - hit.update: accepted only from the owner of the hit's alert, for a hit
//    this agency reported.
// Each change announces the alert on kAlertsChannel so the screening index
// follows.
//
// Thread-safety: free functions over the caller's transaction.
#ifndef JISR_ALERTS_ALERT_SHARING_H_
#define JISR_ALERTS_ALERT_SHARING_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "alerts/alert.h"
#include "alerts/hit_service.h"
#include "common/clock.h"
#include "db/database.h"
#include "federation/receiver.h"
#include "federation/store.h"

namespace jisr::alerts {

inline constexpr std::string_view kAlertUpsertKind = "alert.upsert";
inline constexpr std::string_view kAlertPurgeKind = "alert.purge";
inline constexpr std::string_view kHitReportKind = "hit.report";
inline constexpr std::string_view kHitUpdateKind = "hit.update";

// What crosses for an alert: AlertToJson without the owner's local actors
// (created_by, updated_by, activated_by) and review_warned_at.
boost::json::object SharedAlertJson(const Alert& alert);

// Reads SharedAlertJson's form back (actors set to "peer:<owner>").
// Errors: InvalidArgument naming the member.
absl::StatusOr<Alert> SharedAlertFromJson(const boost::json::object& json);

// Publishes the change from `before` (nullopt for a new alert) to `after` as
// described above. Does nothing for alerts owned by another agency than
// `agency`. Errors: the store's.
absl::Status PublishAlertChange(db::Transaction& tx, const std::optional<Alert>& before,
                                const Alert& after, std::string_view agency, absl::Time now);

// Publishes hit `hit` to the agency that must see it (the alert's owner for
// a report filed here, the reporting agency for the owner's follow-up);
// nothing when both are this agency.
absl::Status PublishHit(db::Transaction& tx, const Hit& hit, std::string_view agency,
                        absl::Time now);

// Registers the four handlers on `receiver`. `agency` is this node's code.
absl::Status RegisterAlertHandlers(federation::Receiver& receiver, std::string agency,
                                   const Clock& clock);

// Where copy `id` came from (the envelope of its current version), or
// nullopt for an alert written here.
absl::StatusOr<std::optional<federation::Provenance>> AlertProvenance(db::Transaction& tx,
                                                                     std::string_view id);

// The digest of the alerts of `owner` that are shared with `partner` as one
// node sees them: at the owner, its active and suspended alerts naming
// partner in share_with; at the partner, the copies it holds from owner. Both
// sides give the same 64 hex digits when they agree (BLAKE2b-256 over
// "id version status BodyHash(SharedAlertJson)" lines sorted by id), with the
// number of alerts.
struct SharedDigest {
  int64_t alerts = 0;
  std::string digest;
};
absl::StatusOr<SharedDigest> SharedAlertsDigest(db::Transaction& tx, std::string_view owner,
                                                std::string_view partner,
                                                std::string_view this_agency);

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_ALERT_SHARING_H_
