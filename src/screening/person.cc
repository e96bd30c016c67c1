#include "screening/person.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "names/normalize.h"

namespace jisr::screening {
namespace {

// ISO 3166-1 alpha-2 officially assigned codes (sorted), plus XK (Kosovo).
constexpr std::array<std::string_view, 250> kCountryCodes = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT",
    "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI",
    "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY",
    "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
    "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK",
    "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL",
    "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR",
    "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
    "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS",
    "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW",
    "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP",
    "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
    "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM",
    "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF",
    "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW",
    "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW", "XK",
};

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool ParseDigits(std::string_view s, int* out) {
  if (s.empty()) return false;
  int v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string PartialDate::ToString() const {
  if (month == 0) return fmt::format("{:04d}", year);
  if (day == 0) return fmt::format("{:04d}-{:02d}", year, month);
  return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
}

absl::StatusOr<PartialDate> ParsePartialDate(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(fmt::format(
        "bad date \"{}\": {} (expected YYYY, YYYY-MM or YYYY-MM-DD)", text,
        why));
  };
  PartialDate d;
  if (text.size() != 4 && text.size() != 7 && text.size() != 10)
    return bad("wrong length");
  if (!ParseDigits(text.substr(0, 4), &d.year))
    return bad("year is not 4 digits");
  if (d.year < 1800 || d.year > 2200) return bad("year out of range 1800-2200");
  if (text.size() >= 7) {
    if (text[4] != '-' || text.size() < 7 ||
        !ParseDigits(text.substr(5, 2), &d.month)) {
      return bad("month is not 2 digits after '-'");
    }
    if (d.month < 1 || d.month > 12) return bad("month out of range 01-12");
  }
  if (text.size() == 10) {
    if (text[7] != '-' || !ParseDigits(text.substr(8, 2), &d.day)) {
      return bad("day is not 2 digits after '-'");
    }
    if (d.day < 1 || d.day > DaysInMonth(d.year, d.month))
      return bad("no such day");
  }
  return d;
}

absl::StatusOr<Gender> ParseGender(std::string_view text) {
  const std::string g = Lower(text);
  if (g.empty() || g == "unknown" || g == "u") return Gender::kUnknown;
  if (g == "male" || g == "m") return Gender::kMale;
  if (g == "female" || g == "f") return Gender::kFemale;
  if (g == "other" || g == "x") return Gender::kOther;
  return absl::InvalidArgumentError(
      fmt::format("bad gender \"{}\" (expected male, female, other, m, f, x, "
                  "unknown or empty)",
                  text));
}

std::string_view GenderName(Gender g) {
  switch (g) {
    case Gender::kMale:
      return "male";
    case Gender::kFemale:
      return "female";
    case Gender::kOther:
      return "other";
    default:
      return "unknown";
  }
}

absl::StatusOr<std::string> ParseCountryCode(std::string_view text) {
  std::string code(text);
  for (auto& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (code.size() == 2 && std::binary_search(kCountryCodes.begin(),
                                             kCountryCodes.end() - 1, code)) {
    return code;
  }
  if (code == "XK") return code;
  return absl::InvalidArgumentError(
      fmt::format("bad nationality \"{}\" (expected an ISO 3166-1 alpha-2 code "
                  "such as MA or FR)",
                  text));
}

std::string NormalizeDocumentNumber(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    }
  }
  return out;
}

absl::Status ValidatePerson(const Person& person) {
  if (person.id.empty()) return absl::InvalidArgumentError("id is empty");
  if (person.names.empty())
    return absl::InvalidArgumentError("the person has no name");
  for (size_t i = 0; i < person.names.size(); ++i) {
    if (!names::HasLettersOrDigits(person.names[i])) {
      return absl::InvalidArgumentError(
          i == 0 ? std::string("name has no letters")
                 : fmt::format("alias {} has no letters", i));
    }
  }
  return absl::OkStatus();
}

}  // namespace jisr::screening
