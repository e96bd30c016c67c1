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
// The reader works row by row: PersonsCsvStream takes the data in chunks of
// any size (an HTTP body, blocks of a file) and hands each person to a
// callback as soon as its record is complete, holding only the partial
// record and the set of ids seen (for the duplicate check); ForEachPerson
// wraps it for a buffer or an istream; ParsePersonsCsv (the whole file as a
// vector) is built on it. All give the same errors.
//
// Thread-safety: pure functions (ReadPersonsCsvFile reads one file); a
// PersonsCsvStream is a single-thread object.
#ifndef JISR_SCREENING_PERSONS_CSV_H_
#define JISR_SCREENING_PERSONS_CSV_H_

#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
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

// Called with each person in file order and the line its record starts on.
// A non-OK status stops the reading and is returned as it is.
using PersonFn = std::function<absl::Status(Person&& person, size_t line)>;

// Incremental reader: Feed the data in chunks (split anywhere, even inside
// a UTF-8 sequence or a quoted field), then Finish. Memory: the current
// partial record (at most max_fields * (2 * max_field_bytes + 3) bytes, past
// which the record is refused with the error the whole-file reader gives)
// and the ids seen so far.
class PersonsCsvStream {
 public:
  // `source` names the data in errors; `fn` receives the persons.
  PersonsCsvStream(std::string source, PersonFn fn,
                   PersonsCsvOptions options = {});

  // Reads the complete records of `chunk` (with what was left of the
  // previous one). Returns OK, InvalidArgument naming source, line and
  // column, or fn's error. After an error the stream must not be fed again.
  absl::Status Feed(std::string_view chunk);
  // The end of the data: reads the last record (without a final newline)
  // and checks that there was a header. Returns as Feed.
  absl::Status Finish();

  // Persons handed to fn so far.
  size_t persons() const { return persons_; }

 private:
  absl::Status Record(std::string_view text, size_t first_line);
  absl::Status Header(const std::vector<CsvField>& fields,
                      const CsvReader& reader);
  absl::Status Row(const std::vector<CsvField>& fields,
                   const CsvReader& reader);

  std::string source_;
  PersonFn fn_;
  PersonsCsvOptions options_;
  std::string pending_;      // a partial record
  size_t pending_line_ = 1;  // the line pending_ (or the next record) starts on
  size_t line_ = 1;          // the line of the next byte
  bool in_quotes_ = false;   // the scanned part of the record has an odd
                             // number of quotes
  bool header_done_ = false;
  size_t persons_ = 0;
  absl::flat_hash_map<std::string, size_t> first_line_;  // id -> line
};

// Reads `data` (a whole file in memory) row by row. Returns OK, or the
// first error as PersonsCsvStream.
absl::Status ForEachPerson(std::string_view data, std::string source,
                           const PersonFn& fn,
                           const PersonsCsvOptions& options = {});
// Reads `in` to its end in chunks of 64 KiB. Errors as above, and DataLoss
// "<source>: read error" when the stream fails.
absl::Status ForEachPerson(std::istream& in, std::string source,
                           const PersonFn& fn,
                           const PersonsCsvOptions& options = {});

// Parses `data` (the whole file). `source` names it in errors. Returns the
// persons in file order, or InvalidArgument naming source, line and column.
absl::StatusOr<std::vector<Person>> ParsePersonsCsv(
    std::string_view data, std::string source,
    const PersonsCsvOptions& options = {});

// `p` as one record of the persons CSV (no newline), which the readers
// above parse back to `p`.
std::string FormatPersonsCsvRecord(const Person& p);

// Reads and parses the file at `path` (errors name the path). NotFound when
// the file cannot be opened.
absl::StatusOr<std::vector<Person>> ReadPersonsCsvFile(
    const std::string& path, const PersonsCsvOptions& options = {});

}  // namespace jisr::screening

#endif  // JISR_SCREENING_PERSONS_CSV_H_
