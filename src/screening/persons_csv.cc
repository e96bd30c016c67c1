#include "screening/persons_csv.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"
#include "names/normalize.h"

namespace jisr::screening {
namespace {

constexpr std::string_view kColumns[] = {
    "id", "name", "aliases", "birth_date", "nationality", "gender", "document"};
constexpr size_t kColumnCount = std::size(kColumns);

std::string_view Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Splits on '|', trims, drops empty values.
std::vector<std::string> SplitValues(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t bar = s.find('|', start);
    const std::string_view part = Trim(
        s.substr(start, bar == std::string_view::npos ? std::string_view::npos
                                                      : bar - start));
    if (!part.empty()) out.emplace_back(part);
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return out;
}

}  // namespace

PersonsCsvStream::PersonsCsvStream(std::string source, PersonFn fn,
                                   PersonsCsvOptions options)
    : source_(std::move(source)), fn_(std::move(fn)), options_(options) {}

absl::Status PersonsCsvStream::Feed(std::string_view chunk) {
  // The longest record the reader could accept: past it the record is
  // refused (by the reader, with the error of the whole-file parse).
  const size_t cap =
      options_.csv.max_fields * (2 * options_.csv.max_field_bytes + 3) + 2;
  size_t start = 0;  // the first byte of chunk not yet part of a record
  for (size_t i = 0; i < chunk.size(); ++i) {
    const char c = chunk[i];
    if (c == '"') {
      in_quotes_ = !in_quotes_;
    } else if (c == '\n') {
      ++line_;
      if (!in_quotes_) {
        const std::string_view part = chunk.substr(start, i + 1 - start);
        absl::Status s;
        if (pending_.empty()) {
          s = Record(part, pending_line_);
        } else {
          pending_.append(part);
          s = Record(pending_, pending_line_);
          pending_.clear();
        }
        JISR_RETURN_IF_ERROR(s);
        pending_line_ = line_;
        start = i + 1;
      }
    }
  }
  pending_.append(chunk.substr(start));
  if (pending_.size() > cap) {
    // An unterminated quote or an over-long record: the reader names it.
    JISR_RETURN_IF_ERROR(Record(pending_, pending_line_));
    return absl::InvalidArgumentError(
        fmt::format("{}:{}:1: record longer than {} bytes (line {}, column 1)",
                    source_, pending_line_, cap, pending_line_));
  }
  return absl::OkStatus();
}

absl::Status PersonsCsvStream::Finish() {
  if (!pending_.empty()) {
    JISR_RETURN_IF_ERROR(Record(pending_, pending_line_));
    pending_.clear();
  }
  if (!header_done_) {
    return CsvReader("", source_, options_.csv)
        .Error(1, 1,
               fmt::format("empty file: expected the header \"{}\"",
                           kPersonsCsvHeader));
  }
  return absl::OkStatus();
}

absl::Status PersonsCsvStream::Record(std::string_view text,
                                      size_t first_line) {
  CsvReader reader(text, source_, options_.csv, first_line);
  std::vector<CsvField> fields;
  absl::StatusOr<bool> got = reader.Next(&fields);
  if (!got.ok()) return got.status();
  if (!*got) return absl::OkStatus();  // a blank line
  if (!header_done_) return Header(fields, reader);
  return Row(fields, reader);
}

absl::Status PersonsCsvStream::Header(const std::vector<CsvField>& fields,
                                      const CsvReader& reader) {
  for (size_t i = 0; i < kColumnCount; ++i) {
    if (i >= fields.size()) {
      return reader.Error(
          fields.back().line, i + 1,
          fmt::format("bad header: column \"{}\" is missing (expected \"{}\")",
                      kColumns[i], kPersonsCsvHeader));
    }
    if (Trim(fields[i].value) != kColumns[i]) {
      return reader.Error(
          fields[i].line, i + 1,
          fmt::format("bad header: expected \"{}\", found \"{}\" (expected "
                      "\"{}\")",
                      kColumns[i], fields[i].value, kPersonsCsvHeader));
    }
  }
  if (fields.size() > kColumnCount) {
    return reader.Error(
        fields[kColumnCount].line, kColumnCount + 1,
        fmt::format("bad header: unexpected column \"{}\" (expected \"{}\")",
                    fields[kColumnCount].value, kPersonsCsvHeader));
  }
  header_done_ = true;
  return absl::OkStatus();
}

absl::Status PersonsCsvStream::Row(const std::vector<CsvField>& fields,
                                   const CsvReader& reader) {
  const size_t line = fields.front().line;
  if (fields.size() != kColumnCount) {
    return reader.Error(
        fields.back().line,
        fields.size() < kColumnCount ? fields.size() + 1 : kColumnCount + 1,
        fmt::format("expected {} fields, found {}", kColumnCount,
                    fields.size()));
  }
  auto error = [&](size_t col, std::string_view message) {
    return reader.Error(fields[col].line, col + 1,
                        fmt::format("{}: {}", kColumns[col], message));
  };
  Person p;
  p.id = std::string(Trim(fields[0].value));
  if (p.id.empty()) return error(0, "id is empty");
  if (auto [it, inserted] = first_line_.emplace(p.id, line); !inserted) {
    return error(0, fmt::format("duplicate id \"{}\" (first on line {})", p.id,
                                it->second));
  }
  const std::string_view name = Trim(fields[1].value);
  if (name.empty()) return error(1, "name is empty");
  if (!names::HasLettersOrDigits(name)) {
    return error(1, fmt::format("name \"{}\" has no letters", name));
  }
  p.names.emplace_back(name);
  std::vector<std::string> aliases = SplitValues(fields[2].value);
  if (aliases.size() > options_.max_values) {
    return error(2, fmt::format("more than {} aliases", options_.max_values));
  }
  for (auto& a : aliases) {
    if (!names::HasLettersOrDigits(a)) {
      return error(2, fmt::format("alias \"{}\" has no letters", a));
    }
    p.names.push_back(std::move(a));
  }
  if (const std::string_view d = Trim(fields[3].value); !d.empty()) {
    absl::StatusOr<PartialDate> date = ParsePartialDate(d);
    if (!date.ok()) return error(3, std::string(date.status().message()));
    p.birth_date = *date;
  }
  std::vector<std::string> nats = SplitValues(fields[4].value);
  if (nats.size() > options_.max_values) {
    return error(
        4, fmt::format("more than {} nationalities", options_.max_values));
  }
  for (const auto& n : nats) {
    absl::StatusOr<std::string> code = ParseCountryCode(n);
    if (!code.ok()) return error(4, std::string(code.status().message()));
    p.nationalities.push_back(*std::move(code));
  }
  absl::StatusOr<Gender> gender = ParseGender(Trim(fields[5].value));
  if (!gender.ok()) return error(5, std::string(gender.status().message()));
  p.gender = *gender;
  p.documents = SplitValues(fields[6].value);
  if (p.documents.size() > options_.max_values) {
    return error(6, fmt::format("more than {} documents", options_.max_values));
  }
  ++persons_;
  return fn_(std::move(p), line);
}

absl::Status ForEachPerson(std::string_view data, std::string source,
                           const PersonFn& fn,
                           const PersonsCsvOptions& options) {
  PersonsCsvStream stream(std::move(source), fn, options);
  JISR_RETURN_IF_ERROR(stream.Feed(data));
  return stream.Finish();
}

absl::Status ForEachPerson(std::istream& in, std::string source,
                           const PersonFn& fn,
                           const PersonsCsvOptions& options) {
  const std::string name = source;
  PersonsCsvStream stream(std::move(source), fn, options);
  std::string buffer(64 * 1024, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize n = in.gcount();
    if (n > 0) {
      JISR_RETURN_IF_ERROR(
          stream.Feed(std::string_view(buffer.data(), static_cast<size_t>(n))));
    }
  }
  if (in.bad()) return absl::DataLossError(fmt::format("{}: read error", name));
  return stream.Finish();
}

absl::StatusOr<std::vector<Person>> ParsePersonsCsv(
    std::string_view data, std::string source,
    const PersonsCsvOptions& options) {
  std::vector<Person> persons;
  JISR_RETURN_IF_ERROR(ForEachPerson(
      data, std::move(source),
      [&](Person&& p, size_t) {
        persons.push_back(std::move(p));
        return absl::OkStatus();
      },
      options));
  return persons;
}

std::string FormatPersonsCsvRecord(const Person& p) {
  auto field = [](std::string_view v) {
    if (v.find_first_of(",\"\r\n") == std::string_view::npos)
      return std::string(v);
    std::string out = "\"";
    for (char ch : v) {
      if (ch == '"') out.push_back('"');
      out.push_back(ch);
    }
    out.push_back('"');
    return out;
  };
  auto joined = [&](const std::vector<std::string>& values, size_t from) {
    std::string out;
    for (size_t i = from; i < values.size(); ++i) {
      if (i > from) out.push_back('|');
      out += values[i];
    }
    return field(out);
  };
  return fmt::format(
      "{},{},{},{},{},{},{}", field(p.id),
      field(p.names.empty() ? std::string_view() : p.names.front()),
      joined(p.names, 1), p.birth_date ? p.birth_date->ToString() : "",
      joined(p.nationalities, 0), GenderName(p.gender), joined(p.documents, 0));
}

absl::StatusOr<std::vector<Person>> ReadPersonsCsvFile(
    const std::string& path, const PersonsCsvOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  std::vector<Person> persons;
  JISR_RETURN_IF_ERROR(ForEachPerson(
      in, path,
      [&](Person&& p, size_t) {
        persons.push_back(std::move(p));
        return absl::OkStatus();
      },
      options));
  return persons;
}

}  // namespace jisr::screening
