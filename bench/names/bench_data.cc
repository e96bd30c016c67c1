#include "names/bench_data.h"

#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "screening/csv_reader.h"

namespace jisr::bench {

std::string DataDir(const std::string& fallback) {
  const char* env = std::getenv("JISR_DATA_DIR");
  return env != nullptr && *env != '\0' ? std::string(env) : fallback;
}

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<CsvTable> ReadCsvTable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": cannot open");
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string data = buf.str();
  screening::CsvOptions options;
  options.max_field_bytes = 64 * 1024;
  screening::CsvReader reader(data, path, options);
  CsvTable table;
  std::vector<screening::CsvField> fields;
  bool first = true;
  while (true) {
    absl::StatusOr<bool> got = reader.Next(&fields);
    if (!got.ok()) return got.status();
    if (!*got) break;
    std::vector<std::string> row;
    for (auto& f : fields) row.push_back(std::move(f.value));
    if (first) {
      table.header = std::move(row);
      first = false;
    } else {
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

std::string CountryCode(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"Afghanistan", "AF"},
      {"Algeria", "DZ"},
      {"Argentina", "AR"},
      {"Australia", "AU"},
      {"Austria", "AT"},
      {"Azerbaijan", "AZ"},
      {"Bangladesh", "BD"},
      {"Belarus", "BY"},
      {"Belgium", "BE"},
      {"Bhutan", "BT"},
      {"Bolivia", "BO"},
      {"Bosnia and Herzegovina", "BA"},
      {"Botswana", "BW"},
      {"Brazil", "BR"},
      {"Brunei", "BN"},
      {"Bulgaria", "BG"},
      {"Burkina Faso", "BF"},
      {"Cambodia", "KH"},
      {"Cameroon", "CM"},
      {"Canada", "CA"},
      {"Chile", "CL"},
      {"China", "CN"},
      {"Colombia", "CO"},
      {"Costa Rica", "CR"},
      {"Croatia", "HR"},
      {"Cuba", "CU"},
      {"Czech Republic", "CZ"},
      {"Democratic Republic of the Congo", "CD"},
      {"Denmark", "DK"},
      {"Dominican Republic", "DO"},
      {"East Timor", "TL"},
      {"Ecuador", "EC"},
      {"Egypt", "EG"},
      {"El Salvador", "SV"},
      {"Ethiopia", "ET"},
      {"Finland", "FI"},
      {"France", "FR"},
      {"Germany", "DE"},
      {"Ghana", "GH"},
      {"Guatemala", "GT"},
      {"Honduras", "HN"},
      {"Hong Kong", "HK"},
      {"India", "IN"},
      {"Indonesia", "ID"},
      {"Iran", "IR"},
      {"Iraq", "IQ"},
      {"Ireland", "IE"},
      {"Israel", "IL"},
      {"Italy", "IT"},
      {"Ivory Coast", "CI"},
      {"Japan", "JP"},
      {"Jordan", "JO"},
      {"Kazakhstan", "KZ"},
      {"Kenya", "KE"},
      {"Kuwait", "KW"},
      {"Kyrgyzstan", "KG"},
      {"Laos", "LA"},
      {"Lebanon", "LB"},
      {"Malaysia", "MY"},
      {"Mali", "ML"},
      {"Mexico", "MX"},
      {"Mongolia", "MN"},
      {"Montenegro", "ME"},
      {"Morocco", "MA"},
      {"Myanmar", "MM"},
      {"Nepal", "NP"},
      {"Netherlands", "NL"},
      {"New Zealand", "NZ"},
      {"Nicaragua", "NI"},
      {"Nigeria", "NG"},
      {"North Macedonia", "MK"},
      {"Norway", "NO"},
      {"Pakistan", "PK"},
      {"Panama", "PA"},
      {"Paraguay", "PY"},
      {"Peru", "PE"},
      {"Philippines", "PH"},
      {"Poland", "PL"},
      {"Portugal", "PT"},
      {"Puerto Rico", "PR"},
      {"Qatar", "QA"},
      {"Russia", "RU"},
      {"Rwanda", "RW"},
      {"Saudi Arabia", "SA"},
      {"Senegal", "SN"},
      {"Serbia", "RS"},
      {"Singapore", "SG"},
      {"Slovakia", "SK"},
      {"Slovenia", "SI"},
      {"South Africa", "ZA"},
      {"South Korea", "KR"},
      {"Spain", "ES"},
      {"Sri Lanka", "LK"},
      {"Sweden", "SE"},
      {"Switzerland", "CH"},
      {"Syria", "SY"},
      {"Taiwan", "TW"},
      {"Tajikistan", "TJ"},
      {"Tanzania", "TZ"},
      {"Thailand", "TH"},
      {"Tunisia", "TN"},
      {"Turkey", "TR"},
      {"Turkmenistan", "TM"},
      {"Uganda", "UG"},
      {"Ukraine", "UA"},
      {"United Arab Emirates", "AE"},
      {"United Kingdom", "GB"},
      {"United States", "US"},
      {"Uruguay", "UY"},
      {"Uzbekistan", "UZ"},
      {"Venezuela", "VE"},
      {"Vietnam", "VN"},
      {"Zimbabwe", "ZW"}};
  for (const auto& [n, c] : kNames) {
    if (n == name) return std::string(c);
  }
  return "";
}

std::vector<screening::Person> FixturePersons(const CsvTable& table,
                                              std::string_view prefix,
                                              const FixtureOptions& options) {
  const int c_name = table.Column("full_name");
  const int c_dob = table.Column("date_of_birth");
  const int c_nat = table.Column("nationality");
  const int c_gender = table.Column("gender");
  std::vector<screening::Person> out;
  out.reserve(table.rows.size());
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const auto& row = table.rows[i];
    screening::Person p;
    p.id = std::string(prefix) + std::to_string(i);
    p.names.push_back(c_name >= 0 ? row[c_name] : "");
    if (options.birth_date && c_dob >= 0 && !row[c_dob].empty()) {
      auto d = screening::ParsePartialDate(row[c_dob]);
      if (!d.ok() && row[c_dob].size() >= 4)
        d = screening::ParsePartialDate(row[c_dob].substr(0, 4));
      if (d.ok()) p.birth_date = *d;
    }
    if (options.nationality && c_nat >= 0 && !row[c_nat].empty()) {
      auto code = screening::ParseCountryCode(row[c_nat]);
      std::string c = code.ok() ? *code : CountryCode(row[c_nat]);
      if (!c.empty()) p.nationalities.push_back(c);
    }
    if (options.gender && c_gender >= 0) {
      auto g = screening::ParseGender(row[c_gender]);
      if (g.ok()) p.gender = *g;
    }
    out.push_back(std::move(p));
  }
  return out;
}

uint64_t StableHash(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (const unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

double PeakRssMiB() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
}

double Percentile(std::vector<double>* values, double p) {
  if (values->empty()) return 0.0;
  std::sort(values->begin(), values->end());
  const double rank = p / 100.0 * static_cast<double>(values->size() - 1);
  const size_t lo = static_cast<size_t>(rank);
  const size_t hi = std::min(lo + 1, values->size() - 1);
  return (*values)[lo] +
         (rank - static_cast<double>(lo)) * ((*values)[hi] - (*values)[lo]);
}

absl::StatusOr<std::vector<TranslitRow>> ReadTranslitPart(
    const std::string& dir, TranslitPart part) {
  const std::string path = dir + "/translit-coling2018/wd_arabic.tokens.tsv";
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::vector<TranslitRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    const size_t t1 = line.find('\t');
    const size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) continue;
    TranslitRow row;
    for (const char c : line.substr(t1 + 1, t2 - t1 - 1)) {
      if (c != ' ') row.arabic.push_back(c);
    }
    const bool test = StableHash(row.arabic) % 5 == 0;
    if (test != (part == TranslitPart::kTest)) continue;
    row.latin = line.substr(0, t1);
    const char* first = line.data() + t2 + 1;
    const char* last = line.data() + line.size();
    if (std::from_chars(first, last, row.count).ec != std::errc()) continue;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace jisr::bench
