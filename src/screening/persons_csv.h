// Reader of person lists in CSV (the watch list and the persons to screen of
// `jisr screen`): UTF-8, header exactly
//   id,name,aliases,birth_date,nationality,gender,document
// `aliases`, `nationality` and `document` hold several values separated by
// '|'; `birth_date` is YYYY, YYYY-MM or YYYY-MM-DD; nationality is ISO 3166-1
// alpha-2; gender is male/female/m/f/unknown; any column but id and name may
// be empty. Values are trimmed of surrounding spaces.
//
// Every error names the source, line and column ("W.csv:12:4: bad date
// ..."): a wrong header, a wrong number of fields, invalid UTF-8, an empty id
// or name, a name without letters, a bad date, nationality or gender, an
// over-long field, a duplicate id.
//
// Thread-safety: pure functions (ReadPersonsCsvFile reads one file).
#ifndef JISR_SCREENING_PERSONS_CSV_H_
#define JISR_SCREENING_PERSONS_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "screening/csv_reader.h"
#include "screening/person.h"

namespace jisr::screening {

struct PersonsCsvOptions {
  // Field limits and UTF-8 checking (max_field_bytes default 1024).
  CsvOptions csv;
  // Most aliases (and nationalities, documents) in one row. Default 32.
  size_t max_values = 32;
};

// The exact header, in order.
inline constexpr std::string_view kPersonsCsvHeader =
    "id,name,aliases,birth_date,nationality,gender,document";

// Parses `data` (the whole file). `source` names it in errors. Returns the
// persons in file order, or InvalidArgument naming source, line and column.
absl::StatusOr<std::vector<Person>> ParsePersonsCsv(
    std::string_view data, std::string source,
    const PersonsCsvOptions& options = {});

// Reads and parses the file at `path` (errors name the path). NotFound when
// the file cannot be opened.
absl::StatusOr<std::vector<Person>> ReadPersonsCsvFile(
    const std::string& path, const PersonsCsvOptions& options = {});

}  // namespace jisr::screening

#endif  // JISR_SCREENING_PERSONS_CSV_H_
