#include "security/service_util.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "common/utf8.h"

namespace jisr::security::internal {

absl::StatusOr<User> UserFromRow(const db::Row& row, size_t first) {
  User u;
  u.id = row.GetText(first + 0);
  u.username = row.GetText(first + 1);
  u.display_name = row.GetText(first + 2);
  const std::string role = row.GetText(first + 3);
  std::optional<Role> parsed = RoleFromName(role);
  if (!parsed.has_value()) {
    return absl::DataLossError(fmt::format("user {} has an unknown role \"{}\"",
                                           u.id, SanitizeText(role, 64)));
  }
  u.role = *parsed;
  u.disabled = row.GetBool(first + 4);
  u.failed_logins = row.GetInt(first + 5);
  if (std::optional<int64_t> locked = row.GetOptionalInt(first + 6)) {
    u.locked_until = FromUnixMillis(*locked);
  }
  u.created_at = FromUnixMillis(row.GetInt(first + 7));
  u.updated_at = FromUnixMillis(row.GetInt(first + 8));
  u.password_changed_at = FromUnixMillis(row.GetInt(first + 9));
  return u;
}

bool IsCleanText(std::string_view s, bool allow_newlines) {
  return IsCleanUtf8(s, allow_newlines ? Utf8Rule::kNoControlsButNewlines : Utf8Rule::kNoControls);
}

std::string SanitizeText(std::string_view s, size_t max_bytes) {
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const int32_t c = NextCodePoint(s, &i);
    const std::string_view piece = (c < 0 || c < 0x20 || c == 0x7f)
                                       ? kReplacement
                                       : s.substr(start, i - start);
    if (out.size() + piece.size() > max_bytes) break;
    out.append(piece);
  }
  return out;
}

absl::Status CheckPurpose(std::string_view purpose) {
  if (purpose.size() > audit::kMaxPurposeBytes) {
    return InvalidField("purpose",
                        fmt::format("the purpose must be at most {} bytes",
                                    audit::kMaxPurposeBytes));
  }
  if (!IsCleanText(purpose, /*allow_newlines=*/true)) {
    return InvalidField(
        "purpose",
        "the purpose must be valid UTF-8 without control characters");
  }
  return absl::OkStatus();
}

absl::Status RequireStatedPurpose(std::string_view purpose,
                                  std::string_view message) {
  if (purpose.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos)
    return InvalidField("purpose", std::string(message));
  return absl::OkStatus();
}

audit::AuditEntry MakeEntry(std::string actor, std::string_view action,
                            std::string object, std::string_view purpose,
                            audit::AuditOutcome outcome,
                            const boost::json::object& details) {
  audit::AuditEntry e;
  e.actor = std::move(actor);
  e.action = std::string(action);
  e.object = std::move(object);
  e.purpose = std::string(purpose);
  e.outcome = outcome;
  e.details = ToJson(details);
  return e;
}

boost::json::object ErrorDetails(const absl::Status& error) {
  boost::json::object o;
  o["error"] = absl::StatusCodeToString(error.code());
  o["message"] = SanitizeText(FromAbsl(error.message()), 500);
  if (std::optional<std::string> field = FieldOf(error))
    o["field"] = SanitizeText(*field, 100);
  return o;
}

absl::Status AppendAlone(db::Database& db, const audit::AuditLog& log,
                         const audit::AuditEntry& entry) {
  absl::Status status = db.Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return log.Append(tx, entry).status();
  });
  if (!status.ok()) {
    spdlog::error("could not write the audit entry for {} {} ({}): {}",
                  entry.actor, entry.action, audit::OutcomeName(entry.outcome),
                  status.ToString());
  }
  return status;
}

absl::Status AuthorizeAudited(db::Database& db, const audit::AuditLog& log,
                              const Principal& who, Action action,
                              std::string_view object,
                              std::string_view purpose) {
  absl::Status status = Authorize(who, action);
  if (status.ok()) return CheckPurpose(purpose);
  boost::json::object details;
  details["role"] = RoleName(who.role);
  details["reason"] = FromAbsl(status.message());
  // A purpose the log would refuse (too long, not UTF-8) is recorded
  // sanitised: the denial is audited whatever the caller sent.
  const std::string recorded =
      CheckPurpose(purpose).ok()
          ? std::string(purpose)
          : SanitizeText(purpose, audit::kMaxPurposeBytes);
  (void)AppendAlone(
      db, log,
      MakeEntry(who.Actor(), ActionName(action), std::string(object), recorded,
                audit::AuditOutcome::kDenied, details));
  return status;
}

absl::Status RecordFailure(db::Database& db, const audit::AuditLog& log,
                           const Principal& who, std::string_view action,
                           std::string_view object, std::string_view purpose,
                           absl::Status error, boost::json::object details) {
  for (auto& [key, value] : ErrorDetails(error)) details[key] = value;
  (void)AppendAlone(db, log,
                    MakeEntry(who.Actor(), action, std::string(object), purpose,
                              audit::AuditOutcome::kFailure, details));
  return error;
}

}  // namespace jisr::security::internal
