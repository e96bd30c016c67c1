#include "security/audited_call.h"

#include "common/status.h"
#include "security/service_util.h"

namespace jisr::security {

absl::Status AuditedWrite(
    db::Database& db, const audit::AuditLog& log, const Principal& who, Action action,
    std::string object, std::string_view purpose,
    absl::FunctionRef<absl::Status(db::Transaction&, boost::json::object&, std::string&)> fn) {
  // Permission first, then the purpose of an allowed change (both there).
  JISR_RETURN_IF_ERROR(internal::AuthorizeAudited(db, log, who, action, object, purpose));
  std::string name = object;
  absl::Status status = db.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
    boost::json::object details;
    name = object;  // a retried attempt starts from the caller's object
    JISR_RETURN_IF_ERROR(fn(tx, details, name));
    return log
        .Append(tx, internal::MakeEntry(who.Actor(), ActionName(action), name, purpose,
                                        audit::AuditOutcome::kSuccess, details))
        .status();
  });
  if (!status.ok()) {
    return internal::RecordFailure(db, log, who, ActionName(action), name, purpose, status);
  }
  return absl::OkStatus();
}

}  // namespace jisr::security
