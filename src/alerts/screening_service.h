// The screening service: checks one person against the active alerts (the
// AlertIndex) and answers the matches with their score, the alert's
// category, owner, action to take and warnings, and an explanation of the
// score. A purpose is required; the query, who asked, why and what came back
// are recorded in the audit log ("screen.person") in the same transaction
// that reads the matched alerts. Only alerts that are active when the store
// is read are returned (the index may lag a change by a moment).
//
// Thread-safety: ScreeningService is safe to share between threads.
#ifndef JISR_ALERTS_SCREENING_SERVICE_H_
#define JISR_ALERTS_SCREENING_SERVICE_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "alerts/alert.h"
#include "alerts/alert_index.h"
#include "audit/audit_log.h"
#include "db/database.h"
#include "security/policy.h"

namespace jisr::alerts {

// Limits on a person to screen.
inline constexpr size_t kMaxScreenNames = 20;
inline constexpr size_t kMaxScreenDocuments = 20;
inline constexpr size_t kMaxTopK = 50;

struct ScreenOptions {
  // Matches below this score are not returned, in [0, 1]. Default: the
  // engine's default threshold.
  std::optional<double> threshold;
  // At most this many matches, 1..kMaxTopK. Default 10.
  size_t top_k = 10;
};

// One alert that matched, as the API answers it.
struct ScreenMatch {
  std::string alert_id;
  double score = 0.0;
  std::string matched_name;  // the alert's name that matched
  std::string query_name;    // the screened name that matched it
  Category category = Category::kLocate;
  std::string owner;
  std::string action;
  std::vector<WarningFlag> warnings;
  HandlingCode handling_code = HandlingCode::kH1;
  boost::json::object explanation;
};

// {alert_id, score, matched_name, query_name, category, owner, action,
// warnings, handling_code, explanation}.
boost::json::object ScreenMatchToJson(const ScreenMatch& match);

// Reads the person of POST /api/v1/screen: {"name", "aliases": [...],
// "birth_date", "nationality": [...], "gender", "documents": [number or
// {type, number, country}]}. Errors name the member with the prefix
// `prefix` (e.g. "person.aliases[2]").
absl::StatusOr<ScreeningSubject> SubjectFromJson(
    const boost::json::object& json, std::string_view prefix = "person.");

// The subject as recorded in the audit log (same members as the input).
boost::json::object SubjectToJson(const ScreeningSubject& subject);

class ScreeningService {
 public:
  // `db`, `audit` and `index` must outlive the service.
  ScreeningService(db::Database& db, const audit::AuditLog& audit,
                   const AlertIndex& index);
  ScreeningService(const ScreeningService&) = delete;
  ScreeningService& operator=(const ScreeningService&) = delete;

  // Screens `subject` (action screen.person) and returns the matches, best
  // first. Errors: InvalidArgument naming "purpose" (required, non-blank),
  // "person.name" (no name with letters), "threshold" or "top_k";
  // PermissionDenied; the store's error.
  absl::StatusOr<std::vector<ScreenMatch>> Screen(
      const security::Principal& who, const ScreeningSubject& subject,
      std::string_view purpose, const ScreenOptions& options = {});

 private:
  db::Database& db_;
  const audit::AuditLog& audit_;
  const AlertIndex& index_;
};

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_SCREENING_SERVICE_H_
