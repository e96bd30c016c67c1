// What of training/ crosses to partners (through federation/), and the
// handlers that apply it on the receiving node.
//
// Publishing (in the transaction of the change):
//  - a programme, by its owner (the provider), to each agency of its
//    share_with ("training.programme", record "training-programme:<id>");
//    an agency removed from share_with gets "training.programme.purge"
//    (body {"id"}) and deletes its copy with its sessions;
//  - a session, by the programme's owner, to the programme's share_with
//    ("training.session", "training-session:<id>");
//  - a catalogue item, by its owner, to its share_with
//    ("training.catalogue", "training-catalogue:<id>"; removed agencies get
//    "training.catalogue.purge");
//  - an enrolment's participant part, by the participant's agency, to the
//    provider only ("training.enrolment", "training-enrolment:<id>",
//    version = the enrolment's `version`);
//  - an enrolment's outcome (confirmed / refused / withdrawn, attendance,
//    completion), by the provider, to the participant's agency only
//    ("training.record", "training-record:<id>", version =
//    `record_version`).
// A node publishes only what its own agency writes (FailedPrecondition
// otherwise): a partner's copy is never passed on, and one agency's
// participants never reach another agency.
//
// Receiving: the sender must be the record's owner (for an enrolment: its
// agency; for a record: its provider) and this agency one it is shared
// with (PermissionDenied otherwise, audited federation.reject by the
// receiver); a copy held with another owner is never replaced; a session
// needs its programme here (deferred with federation::RetryLater until it
// arrives), an enrolment the provider's session (NotFound);
// an older version changes nothing. The provider decides an arriving
// enrolment at once (DecideEnrolment) and sends the decision back in the
// same transaction. Audit entries: training.programme.apply,
// training.session.apply, training.catalogue.apply, training.enrolment.apply,
// training.record.apply and *.purge (actor peer:<sender>; no personal data
// in their details).
//
// Thread-safety: free functions over the caller's transaction.
#ifndef JISR_TRAINING_TRAINING_SHARING_H_
#define JISR_TRAINING_TRAINING_SHARING_H_

#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "federation/receiver.h"
#include "training/training.h"

namespace jisr::training {

inline constexpr std::string_view kProgrammeKind = "training.programme";
inline constexpr std::string_view kProgrammePurgeKind = "training.programme.purge";
inline constexpr std::string_view kSessionKind = "training.session";
inline constexpr std::string_view kCatalogueKind = "training.catalogue";
inline constexpr std::string_view kCataloguePurgeKind = "training.catalogue.purge";
inline constexpr std::string_view kEnrolmentKind = "training.enrolment";
inline constexpr std::string_view kRecordKind = "training.record";

std::string ProgrammeRecord(std::string_view id);  // "training-programme:<id>"
std::string SessionRecord(std::string_view id);    // "training-session:<id>"
std::string CatalogueRecord(std::string_view id);  // "training-catalogue:<id>"
std::string EnrolmentRecord(std::string_view id);  // "training-enrolment:<id>"
std::string OutcomeRecord(std::string_view id);    // "training-record:<id>"

// Publish the programme (owned by `agency`, this node's) to its share_with
// and a purge to each of `removed`. Errors: FailedPrecondition when
// `agency` is not the owner; the store's.
absl::Status PublishProgramme(db::Transaction& tx, const Programme& p, std::string_view agency,
                              std::span<const std::string> removed, absl::Time now);
// Publish the session to the programme's share_with (or, when `to` is not
// empty, to those of them only).
absl::Status PublishSession(db::Transaction& tx, const Session& s, const Programme& p,
                            std::string_view agency, absl::Time now,
                            std::span<const std::string> to = {});
absl::Status PublishCatalogueItem(db::Transaction& tx, const CatalogueItem& c,
                                  std::string_view agency,
                                  std::span<const std::string> removed, absl::Time now);
// The participant part to the provider (nothing when the provider is
// `agency`). Errors: FailedPrecondition unless e.agency == agency.
absl::Status PublishEnrolment(db::Transaction& tx, const Enrolment& e, std::string_view agency,
                              absl::Time now);
// The provider's part to the participant's agency (nothing when it is
// `agency`). Errors: FailedPrecondition unless e.provider == agency.
absl::Status PublishOutcome(db::Transaction& tx, const Enrolment& e, std::string_view agency,
                            absl::Time now);

// The provider's decision on a pending enrolment `e` of `session`: refused
// ("session_not_open") unless the session is planned or open; refused
// ("session_full") when its confirmed enrolments reach the capacity;
// confirmed otherwise. Sets e->status and e->status_reason. Errors: the
// store's.
absl::Status DecideEnrolment(db::Transaction& tx, const Session& session, Enrolment* e);

// Registers the handlers of every kind above on `receiver`. `agency` is this
// node's code; `audit` and `clock` must outlive the receiver. Errors: the
// receiver's (a kind registered twice).
absl::Status RegisterTrainingHandlers(federation::Receiver& receiver, std::string agency,
                                      const audit::AuditLog& audit, const Clock& clock);

}  // namespace jisr::training

#endif  // JISR_TRAINING_TRAINING_SHARING_H_
