// Synthetic demonstration alerts for `jisr init --demo`: clearly fictional
// persons (names such as "Karim Testaoui", "Nadia Exemplia"; document numbers
// starting "DEMO"), drafted by the demo officer and, except one left as a
// draft, activated by the demo supervisor, so that a fresh demo node has
// something to list and screen.
//
// Thread-safety: a function over the services it builds; call it once, from
// the thread that initialises the node.
#ifndef JISR_ALERTS_DEMO_ALERTS_H_
#define JISR_ALERTS_DEMO_ALERTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "security/policy.h"

namespace jisr::alerts {

// Drafts the demo alerts as `officer` and activates all but the last as
// `supervisor` (who must be another user with the supervisor role), for the
// node's agency `agency`. The alerts shared with FR-DGPN are shared with
// MA-DGSN instead when `agency` is FR-DGPN (the two agencies of make demo).
// Returns the ids created, in order.
// Errors: the services' (e.g. PermissionDenied for wrong roles); the store's.
absl::StatusOr<std::vector<std::string>> CreateDemoAlerts(
    db::Database& db, const audit::AuditLog& audit, const Clock& clock,
    const std::string& agency, const security::Principal& officer,
    const security::Principal& supervisor);

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_DEMO_ALERTS_H_
