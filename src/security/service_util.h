// Internal helpers shared by the services of security/ (not for other
// modules): UTF-8 checks for hostile text and the audit entries the services
// write for successes, denials and failures.
//
// Thread-safety: stateless functions; safe from any thread.
#ifndef JISR_SECURITY_SERVICE_UTIL_H_
#define JISR_SECURITY_SERVICE_UTIL_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "audit/audit_log.h"
#include "db/database.h"
#include "security/policy.h"
#include "security/user_service.h"

namespace jisr::security::internal {

// The users columns UserFromRow reads, in its order.
inline constexpr std::string_view kUserColumns =
    "id, username, display_name, role, disabled, failed_logins, locked_until, "
    "created_at, "
    "updated_at, password_changed_at";

// Reads a row selected with kUserColumns (starting at column `first`).
// Errors: DataLoss for an unknown role.
absl::StatusOr<User> UserFromRow(const db::Row& row, size_t first = 0);

// Returns true when `s` is well-formed UTF-8 without NUL or other C0 control
// characters (tab, CR and LF allowed when `allow_newlines`).
bool IsCleanText(std::string_view s, bool allow_newlines);

// Returns `s` with each ill-formed UTF-8 sequence and control character
// replaced by U+FFFD, cut (at a character boundary) to at most `max_bytes`.
std::string SanitizeText(std::string_view s, size_t max_bytes);

// Returns OK for a purpose the audit log accepts; InvalidField("purpose") else.
absl::Status CheckPurpose(std::string_view purpose);

// Returns OK for a purpose that is more than blanks; InvalidField("purpose",
// `message`) else. For the actions that need one stated (screening, reading
// message content), after AuthorizeAudited (which checks its form).
absl::Status RequireStatedPurpose(std::string_view purpose,
                                  std::string_view message);

// An entry for `actor` doing `action` on `object`.
audit::AuditEntry MakeEntry(std::string actor, std::string_view action,
                            std::string object, std::string_view purpose,
                            audit::AuditOutcome outcome,
                            const boost::json::object& details);

// {"error": "NOT_FOUND", "message": "..."} for a failed call.
boost::json::object ErrorDetails(const absl::Status& error);

// Appends `entry` in its own write transaction (for denials and failures,
// whose main transaction rolled back or never started). Returns the store's
// status; callers report the original error regardless.
absl::Status AppendAlone(db::Database& db, const audit::AuditLog& log,
                         const audit::AuditEntry& entry);

// Authorizes `who` for `action`, then checks `purpose` (CheckPurpose): the
// permission comes first, so a caller without it is refused whatever purpose
// it states. On denial appends a "denied" entry (in its own transaction) on
// `object`, with a purpose CheckPurpose refuses recorded sanitised
// (SanitizeText), and returns the PermissionDenied status. Returns
// InvalidField("purpose") for an allowed caller's malformed purpose.
absl::Status AuthorizeAudited(db::Database& db, const audit::AuditLog& log,
                              const Principal& who, Action action,
                              std::string_view object,
                              std::string_view purpose);

// Appends a "failure" entry for `error` (in its own transaction) and returns
// `error`.
absl::Status RecordFailure(db::Database& db, const audit::AuditLog& log,
                           const Principal& who, std::string_view action,
                           std::string_view object, std::string_view purpose,
                           absl::Status error,
                           boost::json::object details = {});

}  // namespace jisr::security::internal

#endif  // JISR_SECURITY_SERVICE_UTIL_H_
