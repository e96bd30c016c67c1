// A strict RFC 4180 CSV reader over an in-memory UTF-8 buffer: fields
// separated by commas, records by LF or CRLF, fields optionally quoted with
// '"' (a doubled quote inside a quoted field is a literal quote; quoted
// fields may span lines). A UTF-8 byte-order mark at the very start is
// skipped. Every error names the source, the line and the column:
// "<source>:<line>:<column>: <what>", where line is 1-based and column is the
// 1-based position of the field in its record.
//
// Thread-safety: a CsvReader is a single-thread object; it borrows `data`,
// which must outlive it.
#ifndef JISR_SCREENING_CSV_READER_H_
#define JISR_SCREENING_CSV_READER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace jisr::screening {

struct CsvOptions {
  // Longest field accepted, in bytes (after unquoting). Default 1024.
  size_t max_field_bytes = 1024;
  // Most fields accepted in one record. Default 64.
  size_t max_fields = 64;
  // Reject bytes that are not well-formed UTF-8. Default true.
  bool require_utf8 = true;
};

// One field with the place it starts at.
struct CsvField {
  std::string value;
  size_t line = 0;    // 1-based line of the field's first byte
  size_t column = 0;  // 1-based index of the field in its record
};

class CsvReader {
 public:
  // `source` names the data in error messages (usually a file path).
  // `first_line` is the line number of data's first byte (a reader over one
  // record of a longer stream, persons_csv.h); the byte-order mark is skipped
  // only on line 1.
  CsvReader(std::string_view data, std::string source, CsvOptions options = {},
            size_t first_line = 1);

  // Reads the next record into `fields`. Returns true when a record was read,
  // false at the end of the data, or InvalidArgument (with source, line and
  // column) on malformed input: an unterminated quoted field, a quote inside
  // an unquoted field, text after a closing quote, invalid UTF-8, a field
  // longer than max_field_bytes or too many fields. Blank lines are skipped.
  absl::StatusOr<bool> Next(std::vector<CsvField>* fields);

  // Formats "<source>:<line>:<column>: <message>" as InvalidArgument.
  absl::Status Error(size_t line, size_t column,
                     std::string_view message) const;

  const std::string& source() const { return source_; }

 private:
  std::string_view data_;
  std::string source_;
  CsvOptions options_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

}  // namespace jisr::screening

#endif  // JISR_SCREENING_CSV_READER_H_
