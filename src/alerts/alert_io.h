// Import and export of alerts in the formats partners exchange:
//
//  - INTERPOL public Red Notice detail JSON (`entity_id`, `forename`,
//    `name`, `date_of_birth` "YYYY/MM/DD" (or "YYYY", "YYYY/MM"),
//    `nationalities`, `sex_id` M/F/U, `place_of_birth`,
//    `country_of_birth_id`, `arrest_warrants[{issuing_country_id, charge}]`,
//    `languages_spoken_ids`, `distinguishing_marks`, `height`, `weight`; other
//    members are ignored): one notice per file, a JSON array of notices, or a
//    search result {"_embedded": {"notices": [...]}}. Import only.
//  - FollowTheMoney `Person` entities as JSON Lines ({"id", "schema":
//    "Person", "properties": {"name", "alias", "firstName", "lastName",
//    "fatherName", "birthDate", "birthPlace", "nationality", "gender",
//    "passportNumber", "idNumber"}}, every property a list of strings; other
//    properties are ignored). Import and export.
//  - CSV with the columns of `jisr screen` (screening/persons_csv.h):
//    id,name,aliases,birth_date,nationality,gender,document. Import and
//    export.
//
// Each record becomes the content of a draft alert whose `source` is
// "<format>:<id in the file>", so that importing the same file twice changes
// nothing. The fields the formats lack (category, action to take, handling
// code) come from ImportDefaults; a supervisor reviews each draft before
// activating it (four eyes apply as to any draft).
//
// Parsing never stops at the first bad record: every problem is reported
// with the line where its record starts and the reason.
//
// Thread-safety: pure functions.
#ifndef JISR_ALERTS_ALERT_IO_H_
#define JISR_ALERTS_ALERT_IO_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "alerts/alert.h"

namespace jisr::alerts {

enum class AlertFormat : uint8_t { kInterpol, kFtm, kCsv };
// "interpol", "ftm", "csv".
std::string_view AlertFormatName(AlertFormat f);
std::optional<AlertFormat> AlertFormatFromName(std::string_view name);

// What imported alerts get for the fields the formats do not carry.
struct ImportDefaults {
  // Category of every imported alert. Default locate (an INTERPOL public
  // notice carries no warrant reference or date, which arrest_extradition
  // requires).
  Category category = Category::kLocate;
  // Action to take; "" gives a text naming the source, e.g. "Imported from
  // INTERPOL notice 2025/1234: verify and complete before activation."
  // Default "".
  std::string action;
  // Default H1.
  HandlingCode handling_code = HandlingCode::kH1;
};

// The largest file ParseImport reads. Default 64 MiB.
inline constexpr size_t kMaxImportBytes = 64u << 20;
// The most records one import holds.
inline constexpr size_t kMaxImportRecords = 100000;

struct ImportRecord {
  size_t line = 0;     // 1-based line where the record starts
  std::string source;  // "interpol:2025/1234", "ftm:<id>", "csv:<id>"
  AlertContent content;
};

struct ImportProblem {
  size_t line = 0;     // 1-based line where the record starts (0: the file)
  std::string source;  // the record's source id when known
  std::string reason;  // one sentence, naming the field when one is at fault
};

// {line, source, reason}.
boost::json::object ImportProblemToJson(const ImportProblem& p);
// "LINE: [SOURCE: ]REASON".
std::string FormatImportProblem(const ImportProblem& p);

struct ParsedImport {
  std::vector<ImportRecord> records;    // the good records, in file order
  std::vector<ImportProblem> problems;  // the bad ones, in file order
};

// Parses `data` in `format`; each record is checked with ValidateContent on
// `today`. Records repeating an earlier record's source id are problems.
// Never fails as a whole: an unreadable file is one problem at line 0 (or at
// the line the parser stopped).
ParsedImport ParseImport(AlertFormat format, std::string_view data,
                         const ImportDefaults& defaults, absl::CivilDay today);

// Writes `alerts` as FollowTheMoney JSON Lines or CSV (the `jisr screen`
// columns). The FTM/CSV id is the id in the source file for alerts imported
// from that format, the alert id otherwise. Returns InvalidArgument for
// kInterpol (not an export format).
absl::StatusOr<std::string> ExportAlerts(AlertFormat format,
                                         std::span<const Alert> alerts);

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_ALERT_IO_H_
