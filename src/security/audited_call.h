// The one shape of an audited change in every feature service: authorize
// `who` for `action` through the policy table (a denial is audited on its
// own, whatever purpose was stated), check the stated purpose, run the
// change in ONE write transaction that also appends its success entry, and
// audit a failure on its own.
//
//   JISR_RETURN_IF_ERROR(security::AuditedWrite(
//       db_, audit_, who, Action::kGroupUpdate, "group/" + id, purpose,
//       [&](db::Transaction& tx, boost::json::object& details,
//           std::string& object) -> absl::Status { ...; return OkStatus(); }));
//
// `fn` may fill `details` (kept in the success entry) and rename `object`
// (e.g. once a new record has its id). Store retries (Aborted) re-run `fn`.
//
// Thread-safety: stateless; safe from any thread.
#ifndef JISR_SECURITY_AUDITED_CALL_H_
#define JISR_SECURITY_AUDITED_CALL_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "audit/audit_log.h"
#include "db/database.h"
#include "security/policy.h"

namespace jisr::security {

// Returns OK once the change and its audit entry committed. Errors:
// PermissionDenied (audited "denied", the purpose sanitised if invalid);
// InvalidArgument "purpose" (nothing audited); fn's or the store's error
// (audited "failure", nothing of the change kept).
absl::Status AuditedWrite(
    db::Database& db, const audit::AuditLog& log, const Principal& who, Action action,
    std::string object, std::string_view purpose,
    absl::FunctionRef<absl::Status(db::Transaction&, boost::json::object& details,
                                   std::string& object)>
        fn);

}  // namespace jisr::security

#endif  // JISR_SECURITY_AUDITED_CALL_H_
