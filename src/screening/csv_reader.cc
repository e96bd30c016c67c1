#include "screening/csv_reader.h"

#include <fmt/format.h>

#include "names/normalize.h"

namespace jisr::screening {

CsvReader::CsvReader(std::string_view data, std::string source,
                     CsvOptions options, size_t first_line)
    : data_(data),
      source_(std::move(source)),
      options_(options),
      line_(first_line) {
  if (first_line == 1 && data_.size() >= 3 &&
      data_.substr(0, 3) == "\xEF\xBB\xBF")
    pos_ = 3;
}

absl::Status CsvReader::Error(size_t line, size_t column,
                              std::string_view message) const {
  return absl::InvalidArgumentError(
      fmt::format("{}:{}:{}: {} (line {}, column {})", source_, line, column,
                  message, line, column));
}

absl::StatusOr<bool> CsvReader::Next(std::vector<CsvField>* fields) {
  fields->clear();
  // Skip blank lines.
  while (pos_ < data_.size()) {
    if (data_[pos_] == '\n') {
      ++pos_;
      ++line_;
    } else if (data_[pos_] == '\r' && pos_ + 1 < data_.size() &&
               data_[pos_ + 1] == '\n') {
      pos_ += 2;
      ++line_;
    } else {
      break;
    }
  }
  if (pos_ >= data_.size()) return false;

  while (true) {
    CsvField field;
    field.line = line_;
    field.column = fields->size() + 1;
    if (field.column > options_.max_fields) {
      return Error(
          line_, field.column,
          fmt::format("too many fields (more than {})", options_.max_fields));
    }
    bool end_of_record = false;
    if (pos_ < data_.size() && data_[pos_] == '"') {
      ++pos_;
      bool closed = false;
      while (pos_ < data_.size()) {
        const char c = data_[pos_];
        if (c == '"') {
          if (pos_ + 1 < data_.size() && data_[pos_ + 1] == '"') {
            field.value.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          closed = true;
          break;
        }
        if (c == '\n') ++line_;
        field.value.push_back(c);
        ++pos_;
        if (field.value.size() > options_.max_field_bytes) {
          return Error(field.line, field.column,
                       fmt::format("field longer than {} bytes",
                                   options_.max_field_bytes));
        }
      }
      if (!closed) {
        return Error(field.line, field.column, "unterminated quoted field");
      }
      if (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n' &&
          !(data_[pos_] == '\r' && pos_ + 1 < data_.size() &&
            data_[pos_ + 1] == '\n')) {
        return Error(line_, field.column,
                     "unexpected text after a closing quote");
      }
    } else {
      while (pos_ < data_.size()) {
        const char c = data_[pos_];
        if (c == ',' || c == '\n') break;
        if (c == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n')
          break;
        if (c == '"') {
          return Error(
              line_, field.column,
              "quote inside an unquoted field (quote the whole field)");
        }
        field.value.push_back(c);
        ++pos_;
        if (field.value.size() > options_.max_field_bytes) {
          return Error(field.line, field.column,
                       fmt::format("field longer than {} bytes",
                                   options_.max_field_bytes));
        }
      }
    }
    if (options_.require_utf8) {
      size_t bad = 0;
      if (!names::IsValidUtf8(field.value, &bad)) {
        return Error(
            field.line, field.column,
            fmt::format("invalid UTF-8 (byte 0x{:02X} at byte {} of the field)",
                        static_cast<unsigned char>(field.value[bad]), bad + 1));
      }
    }
    fields->push_back(std::move(field));
    if (pos_ >= data_.size()) {
      end_of_record = true;
    } else if (data_[pos_] == ',') {
      ++pos_;
    } else if (data_[pos_] == '\n') {
      ++pos_;
      ++line_;
      end_of_record = true;
    } else {  // CRLF
      pos_ += 2;
      ++line_;
      end_of_record = true;
    }
    if (end_of_record) return true;
  }
}

}  // namespace jisr::screening
