// What of events/ crosses to partner agencies (through federation/).
//
// Ownership: the host agency owns its event; each agency owns the incidents
// it logs and the deployments of its own liaison officers. Only the owner
// publishes a record, and only to the agencies of the event (the host and
// the partners, not itself). Nobody passes on a record it does not own: a
// receiver refuses (PermissionDenied, audited federation.reject by the
// receiver) a record whose owner is not the envelope's sender.
//
//   "event.upsert"      record "event:<id>", body SharedEventJson; from the
//                       host to each partner; the receiver must be a partner.
//   "event.incident"    record "event-incident:<id>", body SharedIncidentJson;
//                       from the incident's owner (an agency of the event) to
//                       the event's other agencies.
//   "event.deployment"  record "event-deployment:<id>", body
//                       SharedDeploymentJson; as incidents (owner = agency).
//   "event.purge"       record "event:<id>", body {"id"}; from the host to a
//                       partner it removed: the copy there stops listing that
//                       partner (the event is then NotFound to its users) and
//                       the other agencies' incidents and deployments of it
//                       are deleted; its own stay with it.
//
// An incident or deployment reaching an agency removed from its event (the
// sender had not heard yet) is dropped: accepted, not stored, so that its
// sender stops sending it.
//
// When a new version of an event adds partners, each agency sends its own
// incidents and deployments of the event to them (the host when it changes
// the event, the others when the new version reaches them).
//
// An incident or deployment whose event has not reached this node yet (the
// host's envelope still on its way) is deferred (federation::RetryLater):
// the rest of the batch is applied and the sender sends it again later. Accreditation campaigns
// never cross. Each applied envelope adds an audit entry "event.apply"
// (actor peer:<sender>, purpose federation).
//
// Thread-safety: free functions over the caller's transaction.
#ifndef JISR_EVENTS_EVENT_SHARING_H_
#define JISR_EVENTS_EVENT_SHARING_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "events/event.h"
#include "federation/receiver.h"

namespace jisr::events {

inline constexpr std::string_view kEventKind = "event.upsert";
inline constexpr std::string_view kIncidentKind = "event.incident";
inline constexpr std::string_view kDeploymentKind = "event.deployment";
inline constexpr std::string_view kEventPurgeKind = "event.purge";

// The agencies of `e` but `self`, sorted.
std::vector<std::string> OtherAgencies(const Event& e, std::string_view self);

// Publishes event `e` (this node is its host) to its partners. Errors: the
// store's; InvalidArgument when `agency` is not the host.
absl::Status PublishEvent(db::Transaction& tx, const Event& e, std::string_view agency,
                          absl::Time now);
// Tells each agency of `removed` that host `agency` removed it from event
// `e` ("event.purge", record "event:<id>" at e's new version, body {"id"}).
absl::Status PublishEventPurge(db::Transaction& tx, const Event& e,
                               const std::vector<std::string>& removed, std::string_view agency,
                               absl::Time now);
// Publishes this agency's own incidents and deployments of `e` to the
// agencies of `to` (partners newly added to the event).
absl::Status PublishOwnRecords(db::Transaction& tx, const Event& e,
                               const std::vector<std::string>& to, std::string_view agency,
                               absl::Time now);
// Publishes incident `i` of `e` (this node owns it) to e's other agencies.
absl::Status PublishIncident(db::Transaction& tx, const Event& e, const Incident& i,
                             std::string_view agency, absl::Time now);
// Publishes deployment `d` of `e` (this node owns it) to e's other agencies.
absl::Status PublishDeployment(db::Transaction& tx, const Event& e, const Deployment& d,
                               std::string_view agency, absl::Time now);

// Registers the handlers of the three kinds on `receiver`. `audit` and
// `clock` must outlive it. Errors: the receiver's.
absl::Status RegisterEventHandlers(federation::Receiver& receiver, std::string agency,
                                   const audit::AuditLog& audit, const Clock& clock);

}  // namespace jisr::events

#endif  // JISR_EVENTS_EVENT_SHARING_H_
