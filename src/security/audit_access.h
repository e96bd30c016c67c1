// AuditAccess: the audit log as people reach it (API, CLI). Reading needs
// audit.read, verifying audit.verify, exporting audit.export (see the policy
// table), and each use is itself recorded in the log: "success" with what was
// asked, "denied" or "failure" otherwise.
//
// Thread-safety: safe to share between threads (no mutable state).
#ifndef JISR_SECURITY_AUDIT_ACCESS_H_
#define JISR_SECURITY_AUDIT_ACCESS_H_

#include <cstdint>
#include <iosfwd>
#include <string_view>

#include "absl/status/statusor.h"
#include "audit/audit_log.h"
#include "db/database.h"
#include "security/policy.h"

namespace jisr::security {

class AuditAccess {
 public:
  // `db` and `log` must outlive this object.
  AuditAccess(db::Database& db, const audit::AuditLog& log)
      : db_(db), log_(log) {}
  AuditAccess(const AuditAccess&) = delete;
  AuditAccess& operator=(const AuditAccess&) = delete;

  // Returns one page of entries (audit::AuditLog::List), recording an
  // "audit.read" entry with the filter in the same transaction.
  // Errors: PermissionDenied; InvalidArgument naming "purpose" or the filter
  // field at fault; the store's error.
  absl::StatusOr<audit::AuditPage> List(const Principal& who,
                                        const audit::AuditFilter& filter,
                                        std::string_view purpose);

  // Verifies the chain (audit::AuditLog::Verify) and records an
  // "audit.verify" entry with the result. A broken chain is a result, not an
  // error. Errors: PermissionDenied; InvalidArgument naming "purpose"; the
  // store's error.
  absl::StatusOr<audit::VerifyResult> Verify(const Principal& who,
                                             std::string_view purpose);

  // Writes entries as JSON Lines to `out` (audit::AuditLog::ExportJsonLines)
  // and records an "audit.export" entry with the count. Errors:
  // PermissionDenied; InvalidArgument naming "purpose"; Unavailable when
  // writing fails; the store's error.
  absl::StatusOr<int64_t> Export(const Principal& who, std::ostream& out,
                                 const audit::ExportOptions& options,
                                 std::string_view purpose);

 private:
  db::Database& db_;
  const audit::AuditLog& log_;
};

}  // namespace jisr::security

#endif  // JISR_SECURITY_AUDIT_ACCESS_H_
