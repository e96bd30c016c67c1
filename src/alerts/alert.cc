#include "alerts/alert.h"

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "alerts/json_util.h"
#include "common/json.h"
#include "common/status.h"
#include "common/utf8.h"
#include "security/service_util.h"

namespace jisr::alerts {
namespace {

constexpr std::array<std::string_view, 7> kCategoryNames = {
    "arrest_extradition",
    "discreet_check",
    "specific_check",
    "inquiry_check",
    "locate",
    "missing_person",
    "witness"};
constexpr std::array<std::string_view, 6> kStatusNames = {
    "draft", "active", "suspended", "withdrawn", "executed", "expired"};
constexpr std::array<std::string_view, 4> kNameKindNames = {
    "primary", "alias", "birth", "previous"};
constexpr std::array<std::string_view, 4> kGenderNames = {"unknown", "male",
                                                          "female", "other"};
constexpr std::array<std::string_view, 7> kDocumentTypeNames = {
    "passport",        "id_card", "residence_permit", "driving_licence", "visa",
    "travel_document", "other"};
constexpr std::array<std::string_view, 6> kWarningNames = {
    "armed",        "violent",       "escape_risk",
    "suicide_risk", "public_health", "terrorism"};
constexpr std::array<std::string_view, 4> kHandlingCodeNames = {"H0", "H1",
                                                                "H2", "H3"};

// The content members, in their JSON order.
constexpr std::array<std::string_view, 14> kContentFields = {
    "category",      "names",     "birth_date", "birth_place",
    "nationalities", "gender",    "documents",  "distinguishing_marks",
    "offence",       "warrant",   "action",     "warnings",
    "handling_code", "share_with"};

template <typename E, size_t N>
std::optional<E> FromName(const std::array<std::string_view, N>& names,
                          std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view ToName(const std::array<std::string_view, N>& names, E e) {
  const size_t i = static_cast<size_t>(e);
  return i < N ? names[i] : std::string_view("unknown");
}

using internal::ArrayValue;
using internal::CheckKnown;
using internal::EnumValue;
using internal::OptionalText;
using internal::StringList;
using internal::StringValue;
using internal::Trim;
using internal::Upper;

std::string Index(std::string_view field, size_t i) {
  return internal::Indexed(field, i);
}

absl::StatusOr<AlertName> NameFromJson(const boost::json::value& v, size_t i) {
  const std::string field = Index("names", i);
  if (!v.is_object())
    return InvalidField(field, fmt::format("{} must be an object", field));
  const boost::json::object& o = v.get_object();
  const std::string prefix = field + ".";
  static constexpr std::string_view kKeys[] = {"full", "given", "family",
                                               "kind"};
  JISR_RETURN_IF_ERROR(CheckKnown(o, prefix, kKeys));
  AlertName name;
  JISR_ASSIGN_OR_RETURN(name.full,
                        OptionalText(o, "full", prefix, kMaxNameBytes));
  if (name.full.empty())
    return InvalidField(prefix + "full", prefix + "full is required");
  JISR_ASSIGN_OR_RETURN(name.given,
                        OptionalText(o, "given", prefix, kMaxNameBytes));
  JISR_ASSIGN_OR_RETURN(name.family,
                        OptionalText(o, "family", prefix, kMaxNameBytes));
  name.kind = i == 0 ? NameKind::kPrimary : NameKind::kAlias;
  if (const auto it = o.find("kind"); it != o.end() && !it->value().is_null()) {
    JISR_ASSIGN_OR_RETURN(
        size_t k, EnumValue(it->value(), prefix + "kind", kNameKindNames));
    name.kind = static_cast<NameKind>(k);
  }
  return name;
}

absl::StatusOr<Document> DocumentFromJson(const boost::json::value& v,
                                          size_t i) {
  const std::string field = Index("documents", i);
  if (!v.is_object())
    return InvalidField(field, fmt::format("{} must be an object", field));
  const boost::json::object& o = v.get_object();
  const std::string prefix = field + ".";
  static constexpr std::string_view kKeys[] = {"type", "number", "country",
                                               "expires_on"};
  JISR_RETURN_IF_ERROR(CheckKnown(o, prefix, kKeys));
  Document d;
  const auto type = o.find("type");
  if (type == o.end() || type->value().is_null()) {
    return InvalidField(prefix + "type", prefix + "type is required");
  }
  JISR_ASSIGN_OR_RETURN(
      size_t t, EnumValue(type->value(), prefix + "type", kDocumentTypeNames));
  d.type = static_cast<DocumentType>(t);
  JISR_ASSIGN_OR_RETURN(
      d.number, OptionalText(o, "number", prefix, kMaxDocumentNumberBytes));
  JISR_ASSIGN_OR_RETURN(std::string country,
                        OptionalText(o, "country", prefix, 16));
  d.country = Upper(country);
  JISR_ASSIGN_OR_RETURN(std::string expires,
                        OptionalText(o, "expires_on", prefix, 32));
  if (!expires.empty()) {
    JISR_ASSIGN_OR_RETURN(d.expires_on,
                          ParseDay(expires, prefix + "expires_on"));
  }
  return d;
}

absl::StatusOr<Warrant> WarrantFromJson(const boost::json::value& v) {
  if (!v.is_object())
    return InvalidField("warrant", "warrant must be an object");
  const boost::json::object& o = v.get_object();
  static constexpr std::string_view kKeys[] = {"reference", "authority",
                                               "issued_on"};
  JISR_RETURN_IF_ERROR(CheckKnown(o, "warrant.", kKeys));
  Warrant w;
  JISR_ASSIGN_OR_RETURN(w.reference, OptionalText(o, "reference", "warrant.",
                                                  kMaxShortTextBytes));
  JISR_ASSIGN_OR_RETURN(w.authority, OptionalText(o, "authority", "warrant.",
                                                  kMaxShortTextBytes));
  JISR_ASSIGN_OR_RETURN(std::string issued,
                        OptionalText(o, "issued_on", "warrant.", 32));
  if (issued.empty())
    return InvalidField("warrant.issued_on", "warrant.issued_on is required");
  JISR_ASSIGN_OR_RETURN(w.issued_on, ParseDay(issued, "warrant.issued_on"));
  return w;
}

// Sets the content field `key` from `v` (null resets it to its default).
absl::Status ReadMember(std::string_view key, const boost::json::value& v,
                        AlertContent& c) {
  const bool null = v.is_null();
  const std::string field(key);
  if (key == "category") {
    if (null) return InvalidField(field, "category is required");
    JISR_ASSIGN_OR_RETURN(size_t i, EnumValue(v, field, kCategoryNames));
    c.category = static_cast<Category>(i);
  } else if (key == "names") {
    c.names.clear();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(const boost::json::array* a,
                          ArrayValue(v, field, kMaxNames));
    for (size_t i = 0; i < a->size(); ++i) {
      JISR_ASSIGN_OR_RETURN(AlertName name, NameFromJson((*a)[i], i));
      c.names.push_back(std::move(name));
    }
  } else if (key == "birth_date") {
    c.birth_date.reset();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(std::string text, StringValue(v, field, 32));
    if (text.empty()) return absl::OkStatus();
    absl::StatusOr<screening::PartialDate> d =
        screening::ParsePartialDate(text);
    if (!d.ok()) return WithField(d.status(), field);
    c.birth_date = *d;
  } else if (key == "birth_place") {
    c.birth_place.clear();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(c.birth_place,
                          StringValue(v, field, kMaxShortTextBytes));
  } else if (key == "nationalities") {
    c.nationalities.clear();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(c.nationalities,
                          StringList(v, field, kMaxNationalities, 16));
    for (std::string& n : c.nationalities) n = Upper(n);
  } else if (key == "gender") {
    c.gender = Gender::kUnknown;
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(size_t i, EnumValue(v, field, kGenderNames));
    c.gender = static_cast<Gender>(i);
  } else if (key == "documents") {
    c.documents.clear();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(const boost::json::array* a,
                          ArrayValue(v, field, kMaxDocuments));
    for (size_t i = 0; i < a->size(); ++i) {
      JISR_ASSIGN_OR_RETURN(Document d, DocumentFromJson((*a)[i], i));
      c.documents.push_back(std::move(d));
    }
  } else if (key == "distinguishing_marks") {
    c.distinguishing_marks.clear();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(c.distinguishing_marks,
                          StringList(v, field, kMaxMarks, kMaxShortTextBytes));
  } else if (key == "offence") {
    c.offence.clear();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(c.offence, StringValue(v, field, kMaxLongTextBytes));
  } else if (key == "warrant") {
    c.warrant.reset();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(c.warrant, WarrantFromJson(v));
  } else if (key == "action") {
    c.action.clear();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(c.action, StringValue(v, field, kMaxLongTextBytes));
  } else if (key == "warnings") {
    c.warnings.clear();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(const boost::json::array* a,
                          ArrayValue(v, field, kWarningNames.size() * 2));
    for (size_t i = 0; i < a->size(); ++i) {
      JISR_ASSIGN_OR_RETURN(size_t w,
                            EnumValue((*a)[i], Index(field, i), kWarningNames));
      const WarningFlag flag = static_cast<WarningFlag>(w);
      if (std::find(c.warnings.begin(), c.warnings.end(), flag) !=
          c.warnings.end()) {
        return InvalidField(Index(field, i),
                            fmt::format("{} repeats \"{}\"", Index(field, i),
                                        kWarningNames[w]));
      }
      c.warnings.push_back(flag);
    }
    std::sort(c.warnings.begin(), c.warnings.end());
  } else if (key == "handling_code") {
    c.handling_code = HandlingCode::kH1;
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(size_t h, EnumValue(v, field, kHandlingCodeNames));
    c.handling_code = static_cast<HandlingCode>(h);
  } else if (key == "share_with") {
    c.share_with.clear();
    if (null) return absl::OkStatus();
    JISR_ASSIGN_OR_RETURN(c.share_with,
                          StringList(v, field, kMaxShareWith, 32));
    for (std::string& s : c.share_with) s = Upper(s);
  }
  return absl::OkStatus();
}

// ---- JSON writing -----------------------------------------------------------

boost::json::value OptionalTime(const std::optional<absl::Time>& t) {
  if (!t.has_value()) return nullptr;
  return boost::json::value(FormatRfc3339(*t));
}

boost::json::value OptionalString(const std::optional<std::string>& s) {
  if (!s.has_value()) return nullptr;
  return boost::json::value(*s);
}

boost::json::value ContentMember(std::string_view key, const AlertContent& c) {
  if (key == "category") return boost::json::value(CategoryName(c.category));
  if (key == "names") {
    boost::json::array a;
    for (const AlertName& n : c.names) {
      boost::json::object o;
      o["full"] = n.full;
      o["given"] = n.given;
      o["family"] = n.family;
      o["kind"] = NameKindName(n.kind);
      a.push_back(std::move(o));
    }
    return a;
  }
  if (key == "birth_date") {
    if (!c.birth_date.has_value()) return nullptr;
    return boost::json::value(c.birth_date->ToString());
  }
  if (key == "birth_place") return boost::json::value(c.birth_place);
  if (key == "nationalities") {
    boost::json::array a;
    for (const std::string& n : c.nationalities) a.emplace_back(n);
    return a;
  }
  if (key == "gender") return boost::json::value(GenderName(c.gender));
  if (key == "documents") {
    boost::json::array a;
    for (const Document& d : c.documents) {
      boost::json::object o;
      o["type"] = DocumentTypeName(d.type);
      o["number"] = d.number;
      o["country"] = d.country;
      if (d.expires_on.has_value()) {
        o["expires_on"] = FormatDay(*d.expires_on);
      } else {
        o["expires_on"] = nullptr;
      }
      a.push_back(std::move(o));
    }
    return a;
  }
  if (key == "distinguishing_marks") {
    boost::json::array a;
    for (const std::string& m : c.distinguishing_marks) a.emplace_back(m);
    return a;
  }
  if (key == "offence") return boost::json::value(c.offence);
  if (key == "warrant") {
    if (!c.warrant.has_value()) return nullptr;
    boost::json::object o;
    o["reference"] = c.warrant->reference;
    o["authority"] = c.warrant->authority;
    o["issued_on"] = FormatDay(c.warrant->issued_on);
    return o;
  }
  if (key == "action") return boost::json::value(c.action);
  if (key == "warnings") {
    boost::json::array a;
    for (WarningFlag w : c.warnings) a.emplace_back(WarningName(w));
    return a;
  }
  if (key == "handling_code")
    return boost::json::value(HandlingCodeName(c.handling_code));
  if (key == "share_with") {
    boost::json::array a;
    for (const std::string& s : c.share_with) a.emplace_back(s);
    return a;
  }
  return nullptr;
}

// ---- validation helpers -----------------------------------------------------

absl::Status CheckText(std::string_view text, std::string_view field,
                       size_t max_bytes, bool required, bool allow_newlines) {
  if (required && Trim(text).empty()) {
    return InvalidField(field, fmt::format("{} is required", field));
  }
  if (text.size() > max_bytes) {
    return InvalidField(
        field, fmt::format("{} is longer than {} bytes", field, max_bytes));
  }
  if (!IsCleanUtf8(text, allow_newlines ? Utf8Rule::kNoControlsButNewlines
                                        : Utf8Rule::kNoControls)) {
    return InvalidField(
        field, fmt::format("{} must be valid UTF-8 without control characters",
                           field));
  }
  return absl::OkStatus();
}

absl::Status CheckCountry(std::string_view code, std::string_view field) {
  if (!screening::ParseCountryCode(code).ok() || code.size() != 2 ||
      Upper(code) != code) {
    return InvalidField(
        field,
        fmt::format(
            "{} must be an ISO 3166-1 alpha-2 country code such as MA or FR "
            "(got \"{}\")",
            field, security::internal::SanitizeText(code, 16)));
  }
  return absl::OkStatus();
}

}  // namespace

// ---- vocabularies
// -------------------------------------------------------------

std::string_view CategoryName(Category c) { return ToName(kCategoryNames, c); }
std::optional<Category> CategoryFromName(std::string_view name) {
  return FromName<Category>(kCategoryNames, name);
}
std::span<const std::string_view> CategoryNames() { return kCategoryNames; }

std::string_view StatusName(AlertStatus s) { return ToName(kStatusNames, s); }
std::optional<AlertStatus> StatusFromName(std::string_view name) {
  return FromName<AlertStatus>(kStatusNames, name);
}
std::span<const std::string_view> StatusNames() { return kStatusNames; }
bool IsTerminal(AlertStatus s) {
  return s == AlertStatus::kWithdrawn || s == AlertStatus::kExecuted ||
         s == AlertStatus::kExpired;
}

std::string_view NameKindName(NameKind k) { return ToName(kNameKindNames, k); }
std::span<const std::string_view> NameKindNames() { return kNameKindNames; }
std::string_view GenderName(Gender g) { return ToName(kGenderNames, g); }
std::span<const std::string_view> GenderNames() { return kGenderNames; }
std::string_view DocumentTypeName(DocumentType t) {
  return ToName(kDocumentTypeNames, t);
}
std::span<const std::string_view> DocumentTypeNames() {
  return kDocumentTypeNames;
}
std::string_view WarningName(WarningFlag w) { return ToName(kWarningNames, w); }
std::span<const std::string_view> WarningNames() { return kWarningNames; }
std::string_view HandlingCodeName(HandlingCode h) {
  return ToName(kHandlingCodeNames, h);
}
std::span<const std::string_view> HandlingCodeNames() {
  return kHandlingCodeNames;
}

const std::string& AlertContent::PrimaryName() const {
  static const std::string kEmpty;
  for (const AlertName& n : names) {
    if (n.kind == NameKind::kPrimary) return n.full;
  }
  return names.empty() ? kEmpty : names.front().full;
}

// ---- dates
// ----------------------------------------------------------------------

absl::StatusOr<absl::CivilDay> ParseDay(std::string_view text,
                                        std::string_view field) {
  const auto bad = [&] {
    return InvalidField(
        field, fmt::format("{} must be a date YYYY-MM-DD (got \"{}\")", field,
                           security::internal::SanitizeText(text, 32)));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return bad();
  }
  const auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1) return bad();
  const absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d)
    return bad();  // e.g. 02-30
  return day;
}

std::string FormatDay(absl::CivilDay day) {
  return fmt::format("{:04d}-{:02d}-{:02d}", day.year(), day.month(),
                     day.day());
}

absl::CivilDay UtcDay(absl::Time t) {
  return absl::ToCivilDay(t, absl::UTCTimeZone());
}

bool HasLetter(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length =
      static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(p, i, length, c);
    if (c >= 0 && u_hasBinaryProperty(c, UCHAR_ALPHABETIC)) return true;
  }
  return false;
}

// ---- validation
// ---------------------------------------------------------------

absl::Status ValidateAgencyCode(std::string_view code, std::string_view field) {
  bool ok = code.size() >= 5 && code.size() <= 19 && code[2] == '-' &&
            screening::ParseCountryCode(code.substr(0, 2)).ok();
  for (size_t i = 0; ok && i < code.size(); ++i) {
    const char c = code[i];
    if (i == 2) continue;
    ok = (c >= 'A' && c <= 'Z') || (i > 2 && c >= '0' && c <= '9');
  }
  if (!ok) {
    return InvalidField(
        field, fmt::format("{} must be an agency code such as FR-DGPN (a "
                           "country code, '-', 2 to 16 of A-Z 0-9; got \"{}\")",
                           field, security::internal::SanitizeText(code, 32)));
  }
  return absl::OkStatus();
}

absl::Status ValidateFreeText(std::string_view text, std::string_view field,
                              size_t max_bytes) {
  return CheckText(text, field, max_bytes, /*required=*/true,
                   /*allow_newlines=*/true);
}

absl::Status ValidateContent(const AlertContent& c, absl::CivilDay today) {
  // names
  if (c.names.empty())
    return InvalidField("names", "names must hold at least one name");
  if (c.names.size() > kMaxNames) {
    return InvalidField(
        "names", fmt::format("names holds more than {} names", kMaxNames));
  }
  size_t primaries = 0;
  for (size_t i = 0; i < c.names.size(); ++i) {
    const AlertName& n = c.names[i];
    const std::string prefix = Index("names", i) + ".";
    JISR_RETURN_IF_ERROR(
        CheckText(n.full, prefix + "full", kMaxNameBytes, true, false));
    if (!HasLetter(n.full)) {
      return InvalidField(prefix + "full",
                          prefix + "full must hold at least one letter");
    }
    JISR_RETURN_IF_ERROR(
        CheckText(n.given, prefix + "given", kMaxNameBytes, false, false));
    JISR_RETURN_IF_ERROR(
        CheckText(n.family, prefix + "family", kMaxNameBytes, false, false));
    if (n.kind == NameKind::kPrimary && ++primaries > 1) {
      return InvalidField(prefix + "kind",
                          "only one name may be of kind \"primary\"");
    }
  }
  if (primaries == 0) {
    return InvalidField("names", "one name must be of kind \"primary\"");
  }
  // birth
  if (c.birth_date.has_value()) {
    const screening::PartialDate& d = *c.birth_date;
    const absl::CivilDay earliest(d.year, d.month == 0 ? 1 : d.month,
                                  d.day == 0 ? 1 : d.day);
    if (earliest > today)
      return InvalidField("birth_date", "birth_date is in the future");
  }
  JISR_RETURN_IF_ERROR(CheckText(c.birth_place, "birth_place",
                                 kMaxShortTextBytes, false, false));
  // nationalities
  if (c.nationalities.size() > kMaxNationalities) {
    return InvalidField("nationalities",
                        fmt::format("nationalities holds more than {} codes",
                                    kMaxNationalities));
  }
  for (size_t i = 0; i < c.nationalities.size(); ++i) {
    JISR_RETURN_IF_ERROR(
        CheckCountry(c.nationalities[i], Index("nationalities", i)));
    for (size_t j = 0; j < i; ++j) {
      if (c.nationalities[j] == c.nationalities[i]) {
        return InvalidField(
            Index("nationalities", i),
            fmt::format("{} repeats {}", Index("nationalities", i),
                        c.nationalities[i]));
      }
    }
  }
  // documents
  if (c.documents.size() > kMaxDocuments) {
    return InvalidField(
        "documents",
        fmt::format("documents holds more than {} documents", kMaxDocuments));
  }
  for (size_t i = 0; i < c.documents.size(); ++i) {
    const Document& d = c.documents[i];
    const std::string prefix = Index("documents", i) + ".";
    JISR_RETURN_IF_ERROR(CheckText(d.number, prefix + "number",
                                   kMaxDocumentNumberBytes, true, false));
    if (screening::NormalizeDocumentNumber(d.number).empty()) {
      return InvalidField(prefix + "number",
                          prefix + "number must hold letters or digits");
    }
    if (!d.country.empty())
      JISR_RETURN_IF_ERROR(CheckCountry(d.country, prefix + "country"));
  }
  // marks
  if (c.distinguishing_marks.size() > kMaxMarks) {
    return InvalidField(
        "distinguishing_marks",
        fmt::format("distinguishing_marks holds more than {} items",
                    kMaxMarks));
  }
  for (size_t i = 0; i < c.distinguishing_marks.size(); ++i) {
    JISR_RETURN_IF_ERROR(CheckText(c.distinguishing_marks[i],
                                   Index("distinguishing_marks", i),
                                   kMaxShortTextBytes, true, false));
  }
  // offence, warrant, action
  const bool arrest = c.category == Category::kArrestExtradition;
  JISR_RETURN_IF_ERROR(
      CheckText(c.offence, "offence", kMaxLongTextBytes, arrest, true));
  if (c.warrant.has_value()) {
    const Warrant& w = *c.warrant;
    JISR_RETURN_IF_ERROR(CheckText(w.reference, "warrant.reference",
                                   kMaxShortTextBytes, true, false));
    JISR_RETURN_IF_ERROR(CheckText(w.authority, "warrant.authority",
                                   kMaxShortTextBytes, true, false));
    if (w.issued_on > today) {
      return InvalidField("warrant.issued_on",
                          "warrant.issued_on is in the future");
    }
  } else if (arrest) {
    return InvalidField("warrant",
                        "an arrest_extradition alert requires a warrant");
  }
  JISR_RETURN_IF_ERROR(
      CheckText(c.action, "action", kMaxLongTextBytes, true, true));
  // warnings
  for (size_t i = 0; i < c.warnings.size(); ++i) {
    if (static_cast<size_t>(c.warnings[i]) >= kWarningNames.size()) {
      return InvalidField(Index("warnings", i), "unknown warning flag");
    }
    for (size_t j = 0; j < i; ++j) {
      if (c.warnings[j] == c.warnings[i]) {
        return InvalidField(
            Index("warnings", i),
            fmt::format("{} repeats a warning flag", Index("warnings", i)));
      }
    }
  }
  // sharing
  if (c.share_with.size() > kMaxShareWith) {
    return InvalidField(
        "share_with",
        fmt::format("share_with holds more than {} agencies", kMaxShareWith));
  }
  for (size_t i = 0; i < c.share_with.size(); ++i) {
    JISR_RETURN_IF_ERROR(
        ValidateAgencyCode(c.share_with[i], Index("share_with", i)));
    for (size_t j = 0; j < i; ++j) {
      if (c.share_with[j] == c.share_with[i]) {
        return InvalidField(Index("share_with", i),
                            fmt::format("{} repeats {}", Index("share_with", i),
                                        c.share_with[i]));
      }
    }
  }
  return absl::OkStatus();
}

// ---- JSON
// --------------------------------------------------------------------------

absl::StatusOr<AlertContent> AlertContentFromJson(
    const boost::json::object& json,
    std::span<const std::string_view> also_allowed) {
  JISR_RETURN_IF_ERROR(CheckKnown(json, "", kContentFields, also_allowed));
  if (!json.contains("category"))
    return InvalidField("category", "category is required");
  AlertContent c;
  for (std::string_view key : kContentFields) {
    const auto it = json.find(key);
    if (it == json.end()) continue;
    JISR_RETURN_IF_ERROR(ReadMember(key, it->value(), c));
  }
  return c;
}

absl::StatusOr<std::vector<std::string>> ApplyPatch(
    const boost::json::object& patch, AlertContent& content,
    std::span<const std::string_view> also_allowed) {
  JISR_RETURN_IF_ERROR(CheckKnown(patch, "", kContentFields, also_allowed));
  AlertContent updated = content;
  for (std::string_view key : kContentFields) {
    const auto it = patch.find(key);
    if (it == patch.end()) continue;
    JISR_RETURN_IF_ERROR(ReadMember(key, it->value(), updated));
  }
  std::vector<std::string> changed = ChangedFields(content, updated);
  content = std::move(updated);
  return changed;
}

boost::json::object AlertContentToJson(const AlertContent& content) {
  boost::json::object o;
  for (std::string_view key : kContentFields)
    o[key] = ContentMember(key, content);
  return o;
}

boost::json::object AlertToJson(const Alert& a) {
  boost::json::object o;
  o["id"] = a.id;
  o["owner"] = a.owner;
  o["source"] = OptionalString(a.source);
  o["status"] = StatusName(a.status);
  o["version"] = a.version;
  for (std::string_view key : kContentFields)
    o[key] = ContentMember(key, a.content);
  o["review_at"] = OptionalTime(a.review_at);
  o["review_warned_at"] = OptionalTime(a.review_warned_at);
  o["created_by"] = a.created_by;
  o["created_at"] = FormatRfc3339(a.created_at);
  o["updated_by"] = a.updated_by;
  o["updated_at"] = FormatRfc3339(a.updated_at);
  o["activated_by"] = OptionalString(a.activated_by);
  o["activated_at"] = OptionalTime(a.activated_at);
  o["status_reason"] = a.status_reason;
  if (a.execution.has_value()) {
    boost::json::object e;
    e["date"] = FormatDay(a.execution->date);
    e["place"] = a.execution->place;
    o["execution"] = std::move(e);
  } else {
    o["execution"] = nullptr;
  }
  if (a.provenance.has_value()) o["provenance"] = federation::ProvenanceToJson(*a.provenance);
  return o;
}

std::vector<std::string> ChangedFields(const AlertContent& before,
                                       const AlertContent& after) {
  std::vector<std::string> out;
  for (std::string_view key : kContentFields) {
    if (ContentMember(key, before) != ContentMember(key, after))
      out.emplace_back(key);
  }
  return out;
}

}  // namespace jisr::alerts
