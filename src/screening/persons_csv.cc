#include "screening/persons_csv.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
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

absl::StatusOr<std::vector<Person>> ParsePersonsCsv(
    std::string_view data, std::string source,
    const PersonsCsvOptions& options) {
  CsvReader reader(data, std::move(source), options.csv);
  std::vector<CsvField> fields;
  absl::StatusOr<bool> got = reader.Next(&fields);
  if (!got.ok()) return got.status();
  if (!*got) {
    return reader.Error(1, 1,
                        fmt::format("empty file: expected the header \"{}\"",
                                    kPersonsCsvHeader));
  }
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

  std::vector<Person> persons;
  absl::flat_hash_map<std::string, size_t> first_line;
  while (true) {
    got = reader.Next(&fields);
    if (!got.ok()) return got.status();
    if (!*got) break;
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
    if (auto [it, inserted] = first_line.emplace(p.id, line); !inserted) {
      return error(0, fmt::format("duplicate id \"{}\" (first on line {})",
                                  p.id, it->second));
    }
    const std::string_view name = Trim(fields[1].value);
    if (name.empty()) return error(1, "name is empty");
    if (!names::HasLettersOrDigits(name)) {
      return error(1, fmt::format("name \"{}\" has no letters", name));
    }
    p.names.emplace_back(name);
    std::vector<std::string> aliases = SplitValues(fields[2].value);
    if (aliases.size() > options.max_values) {
      return error(2, fmt::format("more than {} aliases", options.max_values));
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
    if (nats.size() > options.max_values) {
      return error(
          4, fmt::format("more than {} nationalities", options.max_values));
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
    if (p.documents.size() > options.max_values) {
      return error(6,
                   fmt::format("more than {} documents", options.max_values));
    }
    persons.push_back(std::move(p));
  }
  return persons;
}

absl::StatusOr<std::vector<Person>> ReadPersonsCsvFile(
    const std::string& path, const PersonsCsvOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return absl::DataLossError(fmt::format("{}: read error", path));
  }
  return ParsePersonsCsv(buffer.str(), path, options);
}

}  // namespace jisr::screening
