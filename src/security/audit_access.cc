#include "security/audit_access.h"

#include <utility>

#include "common/json.h"
#include "common/status.h"
#include "security/service_util.h"

namespace jisr::security {

using audit::AuditOutcome;
using internal::MakeEntry;

namespace {

constexpr std::string_view kObject = "audit";

boost::json::object FilterDetails(const audit::AuditFilter& f) {
  boost::json::object o;
  if (f.actor.has_value()) o["actor"] = internal::SanitizeText(*f.actor, 256);
  if (f.action.has_value())
    o["action"] = internal::SanitizeText(*f.action, 128);
  if (f.object.has_value())
    o["object"] = internal::SanitizeText(*f.object, 512);
  if (f.from.has_value()) o["from"] = FormatRfc3339(*f.from);
  if (f.to.has_value()) o["to"] = FormatRfc3339(*f.to);
  if (f.before_seq.has_value()) o["before_seq"] = *f.before_seq;
  o["limit"] = f.limit;
  return o;
}

}  // namespace

absl::StatusOr<audit::AuditPage> AuditAccess::List(
    const Principal& who, const audit::AuditFilter& filter,
    std::string_view purpose) {
  const std::string_view action = ActionName(Action::kAuditRead);
  JISR_RETURN_IF_ERROR(internal::AuthorizeAudited(
      db_, log_, who, Action::kAuditRead, kObject, purpose));
  audit::AuditPage page;
  absl::Status status =
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(page, log_.List(tx, filter));
        boost::json::object details;
        details["filter"] = FilterDetails(filter);
        details["count"] = static_cast<int64_t>(page.entries.size());
        return log_
            .Append(tx, MakeEntry(who.Actor(), action, std::string(kObject),
                                  purpose, AuditOutcome::kSuccess, details))
            .status();
      });
  if (!status.ok()) {
    boost::json::object details;
    details["filter"] = FilterDetails(filter);
    return internal::RecordFailure(db_, log_, who, action, kObject, purpose,
                                   status, std::move(details));
  }
  return page;
}

absl::StatusOr<audit::VerifyResult> AuditAccess::Verify(
    const Principal& who, std::string_view purpose) {
  const std::string_view action = ActionName(Action::kAuditVerify);
  JISR_RETURN_IF_ERROR(internal::AuthorizeAudited(
      db_, log_, who, Action::kAuditVerify, kObject, purpose));
  absl::StatusOr<audit::VerifyResult> result = log_.Verify(db_);
  if (!result.ok()) {
    return internal::RecordFailure(db_, log_, who, action, kObject, purpose,
                                   result.status());
  }
  boost::json::object details = audit::VerifyResultToJson(*result);
  JISR_RETURN_IF_ERROR(internal::AppendAlone(
      db_, log_,
      MakeEntry(who.Actor(), action, std::string(kObject), purpose,
                AuditOutcome::kSuccess, details)));
  return result;
}

absl::StatusOr<int64_t> AuditAccess::Export(const Principal& who,
                                            std::ostream& out,
                                            const audit::ExportOptions& options,
                                            std::string_view purpose) {
  const std::string_view action = ActionName(Action::kAuditExport);
  JISR_RETURN_IF_ERROR(internal::AuthorizeAudited(
      db_, log_, who, Action::kAuditExport, kObject, purpose));
  boost::json::object details;
  if (options.after_seq.has_value()) details["after_seq"] = *options.after_seq;
  if (options.from.has_value()) details["from"] = FormatRfc3339(*options.from);
  if (options.to.has_value()) details["to"] = FormatRfc3339(*options.to);
  absl::StatusOr<int64_t> count = log_.ExportJsonLines(db_, out, options);
  if (!count.ok()) {
    return internal::RecordFailure(db_, log_, who, action, kObject, purpose,
                                   count.status(), std::move(details));
  }
  details["count"] = *count;
  JISR_RETURN_IF_ERROR(internal::AppendAlone(
      db_, log_,
      MakeEntry(who.Actor(), action, std::string(kObject), purpose,
                AuditOutcome::kSuccess, details)));
  return count;
}

}  // namespace jisr::security
