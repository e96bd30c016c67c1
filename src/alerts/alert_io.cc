#include "alerts/alert_io.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <set>
#include <utility>

#include "alerts/json_util.h"
#include "common/json.h"
#include "common/status.h"
#include "common/utf8.h"
#include "screening/csv_reader.h"
#include "screening/persons_csv.h"
#include "security/service_util.h"

namespace jisr::alerts {
namespace {

using internal::Trim;
using internal::Upper;
using security::internal::SanitizeText;

constexpr std::array<std::string_view, 3> kFormatNames = {"interpol", "ftm",
                                                          "csv"};

// The text of a problem: the status message, led by the field at fault when
// the message does not name it.
std::string Reason(const absl::Status& s) {
  std::string message(FromAbsl(s.message()));
  if (std::optional<std::string> field = FieldOf(s);
      field && message.find(*field) == std::string::npos) {
    message = fmt::format("{}: {}", *field, message);
  }
  return SanitizeText(message, 500);
}

std::string DefaultAction(std::string_view what, std::string_view id) {
  return fmt::format(
      "Imported from {} {}: verify and complete before activation.", what,
      SanitizeText(id, 100));
}

AlertName MakeName(std::string full, NameKind kind, std::string given = "",
                   std::string family = "") {
  AlertName n;
  n.full = std::move(full);
  n.given = std::move(given);
  n.family = std::move(family);
  n.kind = kind;
  return n;
}

// Collects `records`/`problems`, checking content and repeated sources.
class Collector {
 public:
  Collector(ParsedImport& out, absl::CivilDay today)
      : out_(out), today_(today) {}

  void Add(size_t line, std::string source, AlertContent content) {
    if (!seen_.insert(source).second) {
      Problem(line, source, "the same id appears earlier in the file");
      return;
    }
    if (out_.records.size() >= kMaxImportRecords) {
      Problem(line, source,
              fmt::format("more than {} records", kMaxImportRecords));
      return;
    }
    if (absl::Status s = ValidateContent(content, today_); !s.ok()) {
      Problem(line, source, Reason(s));
      return;
    }
    out_.records.push_back(
        ImportRecord{line, std::move(source), std::move(content)});
  }

  void Problem(size_t line, std::string_view source, std::string reason) {
    out_.problems.push_back(
        ImportProblem{line, SanitizeText(source, 200), std::move(reason)});
  }

 private:
  ParsedImport& out_;
  absl::CivilDay today_;
  std::set<std::string> seen_;
};

// ---- INTERPOL
// -------------------------------------------------------------------

// The line of every JSON object that starts at nesting depth `depth` inside
// an array, in text order (a small scanner: strings and escapes are skipped).
std::vector<size_t> ObjectLinesAt(std::string_view text, size_t depth) {
  std::vector<size_t> lines;
  std::vector<char> stack;
  size_t line = 1;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
        if (stack.size() == depth && !stack.empty() && stack.back() == '[')
          lines.push_back(line);
        stack.push_back('{');
        break;
      case '[':
        stack.push_back('[');
        break;
      case '}':
      case ']':
        if (!stack.empty()) stack.pop_back();
        break;
      default:
        break;
    }
  }
  return lines;
}

size_t FirstLineOf(std::string_view text, char c) {
  const size_t at = text.find(c);
  if (at == std::string_view::npos) return 1;
  return static_cast<size_t>(std::count(
             text.begin(), text.begin() + static_cast<ptrdiff_t>(at), '\n')) +
         1;
}

absl::StatusOr<std::string> JsonString(const boost::json::object& o,
                                       std::string_view key, size_t max_bytes) {
  return internal::OptionalText(o, key, "", max_bytes);
}

absl::StatusOr<std::vector<std::string>> JsonStrings(
    const boost::json::object& o, std::string_view key, size_t max_items,
    size_t max_bytes) {
  const auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::vector<std::string>();
  return internal::StringList(it->value(), key, max_items, max_bytes);
}

// "1984/03/12" -> "1984-03-12" (also "1984" and "1984/03").
absl::StatusOr<std::optional<screening::PartialDate>> InterpolDate(
    std::string text) {
  if (text.empty()) return std::optional<screening::PartialDate>();
  std::replace(text.begin(), text.end(), '/', '-');
  absl::StatusOr<screening::PartialDate> d = screening::ParsePartialDate(text);
  if (!d.ok()) return WithField(d.status(), "date_of_birth");
  return std::optional<screening::PartialDate>(*d);
}

std::string FormatMeasure(double v, std::string_view unit) {
  std::string s = fmt::format("{:.2f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return fmt::format("{} {}", s, unit);
}

absl::StatusOr<std::optional<double>> JsonNumber(const boost::json::object& o,
                                                 std::string_view key) {
  const auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<double>();
  if (!it->value().is_number())
    return InvalidField(key, fmt::format("{} must be a number", key));
  const double v = it->value().to_number<double>();
  if (!std::isfinite(v) || v <= 0 || v > 1000) {
    return InvalidField(key, fmt::format("{} is out of range", key));
  }
  return std::optional<double>(v);
}

absl::StatusOr<AlertContent> InterpolNotice(const boost::json::object& n,
                                            const std::string& id,
                                            const ImportDefaults& defaults) {
  AlertContent c;
  c.category = defaults.category;
  c.handling_code = defaults.handling_code;
  JISR_ASSIGN_OR_RETURN(std::string forename,
                        JsonString(n, "forename", kMaxNameBytes));
  JISR_ASSIGN_OR_RETURN(std::string family,
                        JsonString(n, "name", kMaxNameBytes));
  std::string full = forename.empty() ? family
                     : family.empty() ? forename
                                      : fmt::format("{} {}", forename, family);
  if (full.empty())
    return InvalidField("name", "the notice has neither name nor forename");
  c.names.push_back(
      MakeName(std::move(full), NameKind::kPrimary, forename, family));
  JISR_ASSIGN_OR_RETURN(std::string birth, JsonString(n, "date_of_birth", 32));
  JISR_ASSIGN_OR_RETURN(c.birth_date, InterpolDate(std::move(birth)));
  JISR_ASSIGN_OR_RETURN(std::string place,
                        JsonString(n, "place_of_birth", kMaxShortTextBytes));
  JISR_ASSIGN_OR_RETURN(std::string birth_country,
                        JsonString(n, "country_of_birth_id", 16));
  c.birth_place = place;
  if (!birth_country.empty()) {
    c.birth_place = place.empty()
                        ? Upper(birth_country)
                        : fmt::format("{}, {}", place, Upper(birth_country));
  }
  JISR_ASSIGN_OR_RETURN(c.nationalities,
                        JsonStrings(n, "nationalities", kMaxNationalities, 16));
  for (std::string& code : c.nationalities) code = Upper(code);
  JISR_ASSIGN_OR_RETURN(std::string sex, JsonString(n, "sex_id", 8));
  sex = Upper(sex);
  if (sex == "M") {
    c.gender = Gender::kMale;
  } else if (sex == "F") {
    c.gender = Gender::kFemale;
  } else if (!sex.empty() && sex != "U") {
    return InvalidField("sex_id", "sex_id must be M, F or U");
  }
  // Charges.
  std::vector<std::string> charges;
  if (const auto it = n.find("arrest_warrants");
      it != n.end() && !it->value().is_null()) {
    JISR_ASSIGN_OR_RETURN(
        const boost::json::array* warrants,
        internal::ArrayValue(it->value(), "arrest_warrants", 50));
    for (size_t i = 0; i < warrants->size(); ++i) {
      const std::string field = internal::Indexed("arrest_warrants", i);
      if (!(*warrants)[i].is_object())
        return InvalidField(field, field + " must be an object");
      const boost::json::object& w = (*warrants)[i].get_object();
      JISR_ASSIGN_OR_RETURN(
          std::string charge,
          internal::OptionalText(w, "charge", field + ".", kMaxLongTextBytes));
      JISR_ASSIGN_OR_RETURN(
          std::string country,
          internal::OptionalText(w, "issuing_country_id", field + ".", 16));
      if (charge.empty()) continue;
      charges.push_back(country.empty() ? charge
                                        : fmt::format("{} (warrant of {})",
                                                      charge, Upper(country)));
    }
  }
  c.offence = fmt::format("{}", fmt::join(charges, "; "));
  if (c.offence.size() > kMaxLongTextBytes) {
    return InvalidField("arrest_warrants",
                        "the charges are longer than 4000 bytes together");
  }
  // Description.
  JISR_ASSIGN_OR_RETURN(std::string marks, JsonString(n, "distinguishing_marks",
                                                      kMaxShortTextBytes));
  if (!marks.empty()) c.distinguishing_marks.push_back(marks);
  JISR_ASSIGN_OR_RETURN(std::optional<double> height, JsonNumber(n, "height"));
  if (height)
    c.distinguishing_marks.push_back("Height " + FormatMeasure(*height, "m"));
  JISR_ASSIGN_OR_RETURN(std::optional<double> weight, JsonNumber(n, "weight"));
  if (weight)
    c.distinguishing_marks.push_back("Weight " + FormatMeasure(*weight, "kg"));
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> languages,
                        JsonStrings(n, "languages_spoken_ids", 20, 16));
  if (!languages.empty()) {
    c.distinguishing_marks.push_back(
        fmt::format("Languages spoken: {}", fmt::join(languages, ", ")));
  }
  c.action = defaults.action.empty() ? DefaultAction("INTERPOL notice", id)
                                     : defaults.action;
  return c;
}

void ParseInterpol(std::string_view data, const ImportDefaults& defaults,
                   Collector& out) {
  absl::StatusOr<boost::json::value> root = ParseJson(data);
  if (!root.ok()) {
    out.Problem(0, "", Reason(root.status()));
    return;
  }
  const boost::json::array* list = nullptr;
  std::vector<size_t> lines;
  if (root->is_array()) {
    list = &root->get_array();
    lines = ObjectLinesAt(data, 1);
  } else if (root->is_object()) {
    const boost::json::object& o = root->get_object();
    const auto embedded = o.find("_embedded");
    if (!o.contains("entity_id") && embedded != o.end() &&
        embedded->value().is_object()) {
      const auto notices = embedded->value().get_object().find("notices");
      if (notices != embedded->value().get_object().end() &&
          notices->value().is_array()) {
        list = &notices->value().get_array();
        lines = ObjectLinesAt(data, 3);
      }
    }
  }
  const auto handle = [&](const boost::json::value& v, size_t line,
                          size_t index) {
    if (!v.is_object()) {
      out.Problem(line, "",
                  fmt::format("notice [{}] is not a JSON object", index));
      return;
    }
    const boost::json::object& n = v.get_object();
    absl::StatusOr<std::string> id = JsonString(n, "entity_id", 64);
    if (!id.ok() || id->empty() || !IsCleanUtf8(*id, Utf8Rule::kNoControls)) {
      out.Problem(line, "", "entity_id is required (a string)");
      return;
    }
    const std::string source = "interpol:" + *id;
    absl::StatusOr<AlertContent> content = InterpolNotice(n, *id, defaults);
    if (!content.ok()) {
      out.Problem(line, source, Reason(content.status()));
      return;
    }
    out.Add(line, source, *std::move(content));
  };
  if (list == nullptr) {
    if (!root->is_object()) {
      out.Problem(1, "",
                  "expected a notice, a list of notices or {\"_embedded\": "
                  "{\"notices\": "
                  "[...]}}");
      return;
    }
    handle(*root, FirstLineOf(data, '{'), 0);
    return;
  }
  size_t object_index = 0;
  const size_t list_line = FirstLineOf(data, '[');
  for (size_t i = 0; i < list->size(); ++i) {
    size_t line = list_line;
    if ((*list)[i].is_object()) {
      if (object_index < lines.size()) line = lines[object_index];
      ++object_index;
    }
    handle((*list)[i], line, i);
  }
}

// ---- FollowTheMoney
// ---------------------------------------------------------------

absl::StatusOr<std::vector<std::string>> FtmValues(
    const boost::json::object& props, std::string_view key) {
  const auto it = props.find(key);
  if (it == props.end() || it->value().is_null())
    return std::vector<std::string>();
  const std::string field = fmt::format("properties.{}", key);
  JISR_ASSIGN_OR_RETURN(
      std::vector<std::string> values,
      internal::StringList(it->value(), field, 100, kMaxNameBytes));
  values.erase(std::remove(values.begin(), values.end(), std::string()),
               values.end());
  return values;
}

absl::StatusOr<AlertContent> FtmPerson(const boost::json::object& props,
                                       const std::string& id,
                                       const ImportDefaults& defaults) {
  AlertContent c;
  c.category = defaults.category;
  c.handling_code = defaults.handling_code;
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> names,
                        FtmValues(props, "name"));
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> aliases,
                        FtmValues(props, "alias"));
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> first,
                        FtmValues(props, "firstName"));
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> last,
                        FtmValues(props, "lastName"));
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> father,
                        FtmValues(props, "fatherName"));
  const std::string given = first.empty() ? "" : first[0];
  const std::string family = last.empty() ? "" : last[0];
  std::string composed = fmt::format(
      "{}", fmt::join(std::vector<std::string>{given, family}, " "));
  composed = std::string(Trim(composed));
  if (names.empty() && !composed.empty()) names.push_back(composed);
  if (names.empty()) {
    return InvalidField("properties.name",
                        "the person has no name, firstName or lastName");
  }
  c.names.push_back(MakeName(names[0], NameKind::kPrimary, given, family));
  const auto add_alias = [&](const std::string& n) {
    for (const AlertName& existing : c.names) {
      if (existing.full == n) return;
    }
    c.names.push_back(MakeName(n, NameKind::kAlias));
  };
  for (size_t i = 1; i < names.size(); ++i) add_alias(names[i]);
  for (const std::string& a : aliases) add_alias(a);
  if (!father.empty() && (!given.empty() || !family.empty())) {
    add_alias(
        std::string(Trim(fmt::format("{} {} {}", given, father[0], family))));
  }
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> birth,
                        FtmValues(props, "birthDate"));
  if (!birth.empty()) {
    // FTM dates are ISO 8601 prefixes ("1984", "1984-03", "1984-03-12", or
    // with a time): keep the date part.
    const std::string date =
        birth[0].substr(0, std::min<size_t>(birth[0].size(), 10));
    absl::StatusOr<screening::PartialDate> d =
        screening::ParsePartialDate(date);
    if (!d.ok()) return WithField(d.status(), "properties.birthDate");
    c.birth_date = *d;
  }
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> place,
                        FtmValues(props, "birthPlace"));
  if (!place.empty()) c.birth_place = place[0];
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> nationality,
                        FtmValues(props, "nationality"));
  for (const std::string& n : nationality) {
    const std::string code = Upper(n);
    if (std::find(c.nationalities.begin(), c.nationalities.end(), code) ==
        c.nationalities.end()) {
      c.nationalities.push_back(code);
    }
  }
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> gender,
                        FtmValues(props, "gender"));
  if (!gender.empty()) {
    if (gender[0] == "male") {
      c.gender = Gender::kMale;
    } else if (gender[0] == "female") {
      c.gender = Gender::kFemale;
    } else if (gender[0] == "other") {
      c.gender = Gender::kOther;
    } else {
      return InvalidField("properties.gender",
                          "properties.gender must be male, female or other");
    }
  }
  const std::string issuer =
      c.nationalities.size() == 1 ? c.nationalities[0] : "";
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> passports,
                        FtmValues(props, "passportNumber"));
  for (const std::string& p : passports) {
    c.documents.push_back(
        Document{DocumentType::kPassport, p, issuer, std::nullopt});
  }
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                        FtmValues(props, "idNumber"));
  for (const std::string& p : ids) {
    c.documents.push_back(
        Document{DocumentType::kIdCard, p, issuer, std::nullopt});
  }
  c.action = defaults.action.empty()
                 ? DefaultAction("FollowTheMoney entity", id)
                 : defaults.action;
  return c;
}

void ParseFtm(std::string_view data, const ImportDefaults& defaults,
              Collector& out) {
  size_t line = 0;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    std::string_view text = data.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (Trim(text).empty()) continue;
    absl::StatusOr<boost::json::object> o = ParseJsonObject(text);
    if (!o.ok()) {
      out.Problem(line, "", Reason(o.status()));
      continue;
    }
    absl::StatusOr<std::string> id = JsonString(*o, "id", 200);
    if (!id.ok() || id->empty() || !IsCleanUtf8(*id, Utf8Rule::kNoControls)) {
      out.Problem(line, "", "id is required (a string)");
      continue;
    }
    const std::string source = "ftm:" + *id;
    const auto schema = o->find("schema");
    if (schema == o->end() || !schema->value().is_string() ||
        schema->value().get_string() != "Person") {
      out.Problem(line, source, "schema must be \"Person\"");
      continue;
    }
    const auto props = o->find("properties");
    if (props == o->end() || !props->value().is_object()) {
      out.Problem(line, source, "properties must be an object");
      continue;
    }
    absl::StatusOr<AlertContent> content =
        FtmPerson(props->value().get_object(), *id, defaults);
    if (!content.ok()) {
      out.Problem(line, source, Reason(content.status()));
      continue;
    }
    out.Add(line, source, *std::move(content));
  }
}

// ---- CSV
// -------------------------------------------------------------------------

std::vector<std::string> SplitBar(std::string_view s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find('|', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view part = Trim(s.substr(pos, end - pos));
    if (!part.empty()) out.emplace_back(part);
    pos = end + 1;
  }
  return out;
}

void ParseCsv(std::string_view data, const ImportDefaults& defaults,
              Collector& out) {
  screening::CsvReader reader(data, "import");
  std::vector<screening::CsvField> fields;
  absl::StatusOr<bool> header = reader.Next(&fields);
  if (!header.ok()) {
    out.Problem(1, "", Reason(header.status()));
    return;
  }
  std::vector<std::string> names;
  for (const screening::CsvField& f : fields) names.push_back(f.value);
  if (!*header || fmt::format("{}", fmt::join(names, ",")) !=
                      screening::kPersonsCsvHeader) {
    out.Problem(1, "",
                fmt::format("the header must be exactly {}",
                            screening::kPersonsCsvHeader));
    return;
  }
  for (;;) {
    absl::StatusOr<bool> more = reader.Next(&fields);
    if (!more.ok()) {
      // The reader cannot resynchronise after malformed CSV: stop here.
      out.Problem(0, "", Reason(more.status()));
      return;
    }
    if (!*more) return;
    const size_t line = fields.empty() ? 0 : fields[0].line;
    if (fields.size() != 7) {
      out.Problem(line, "",
                  fmt::format("expected 7 fields, found {}", fields.size()));
      continue;
    }
    const std::string id(Trim(fields[0].value));
    if (id.empty()) {
      out.Problem(line, "", "id is required");
      continue;
    }
    const std::string source = "csv:" + id;
    AlertContent c;
    c.category = defaults.category;
    c.handling_code = defaults.handling_code;
    const std::string name(Trim(fields[1].value));
    c.names.push_back(MakeName(name, NameKind::kPrimary));
    for (std::string& alias : SplitBar(fields[2].value)) {
      c.names.push_back(MakeName(std::move(alias), NameKind::kAlias));
    }
    const std::string birth(Trim(fields[3].value));
    if (!birth.empty()) {
      absl::StatusOr<screening::PartialDate> d =
          screening::ParsePartialDate(birth);
      if (!d.ok()) {
        out.Problem(line, source, "birth_date: " + Reason(d.status()));
        continue;
      }
      c.birth_date = *d;
    }
    for (const std::string& n : SplitBar(fields[4].value))
      c.nationalities.push_back(Upper(n));
    const std::string gender(Trim(fields[5].value));
    if (!gender.empty()) {
      absl::StatusOr<screening::Gender> g = screening::ParseGender(gender);
      if (!g.ok()) {
        out.Problem(line, source, "gender: " + Reason(g.status()));
        continue;
      }
      c.gender = *g == screening::Gender::kMale     ? Gender::kMale
                 : *g == screening::Gender::kFemale ? Gender::kFemale
                 : *g == screening::Gender::kOther  ? Gender::kOther
                                                    : Gender::kUnknown;
    }
    for (std::string& number : SplitBar(fields[6].value)) {
      c.documents.push_back(
          Document{DocumentType::kOther, std::move(number), "", std::nullopt});
    }
    c.action = defaults.action.empty() ? DefaultAction("CSV row", id)
                                       : defaults.action;
    out.Add(line, source, std::move(c));
  }
}

// ---- export
// ----------------------------------------------------------------------

// The id an exported record carries: the source file's id for alerts
// imported from `prefix`, the alert id otherwise.
std::string ExportId(const Alert& a, std::string_view prefix) {
  if (a.source && a.source->starts_with(prefix))
    return a.source->substr(prefix.size());
  return a.id;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(s);
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
  return out;
}

// A value for a '|'-separated CSV list (a '|' inside a value would split it).
std::string BarSafe(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '|', '/');
  return out;
}

std::string ExportFtm(std::span<const Alert> alerts) {
  std::string out;
  for (const Alert& a : alerts) {
    boost::json::object props;
    const auto put = [&](std::string_view key,
                         const std::vector<std::string>& values) {
      if (values.empty()) return;
      boost::json::array arr;
      for (const std::string& v : values) arr.emplace_back(v);
      props[key] = std::move(arr);
    };
    std::vector<std::string> name, alias;
    std::string given, family;
    for (const AlertName& n : a.content.names) {
      if (n.kind == NameKind::kPrimary) {
        name.push_back(n.full);
        given = n.given;
        family = n.family;
      } else {
        alias.push_back(n.full);
      }
    }
    put("name", name);
    put("alias", alias);
    if (!given.empty()) put("firstName", {given});
    if (!family.empty()) put("lastName", {family});
    if (a.content.birth_date)
      put("birthDate", {a.content.birth_date->ToString()});
    if (!a.content.birth_place.empty())
      put("birthPlace", {a.content.birth_place});
    std::vector<std::string> nationality;
    for (const std::string& n : a.content.nationalities) {
      std::string lower = n;
      for (char& ch : lower)
        ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
      nationality.push_back(lower);
    }
    put("nationality", nationality);
    if (a.content.gender != Gender::kUnknown) {
      put("gender", {std::string(GenderName(a.content.gender))});
    }
    std::vector<std::string> passports, ids;
    for (const Document& d : a.content.documents) {
      (d.type == DocumentType::kPassport ? passports : ids).push_back(d.number);
    }
    put("passportNumber", passports);
    put("idNumber", ids);
    boost::json::object entity;
    entity["id"] = ExportId(a, "ftm:");
    entity["schema"] = "Person";
    entity["properties"] = std::move(props);
    out += ToJson(entity);
    out += '\n';
  }
  return out;
}

std::string ExportCsv(std::span<const Alert> alerts) {
  std::string out(screening::kPersonsCsvHeader);
  out += '\n';
  for (const Alert& a : alerts) {
    std::vector<std::string> aliases, nationalities, documents;
    for (const AlertName& n : a.content.names) {
      if (n.kind != NameKind::kPrimary) aliases.push_back(BarSafe(n.full));
    }
    for (const std::string& n : a.content.nationalities)
      nationalities.push_back(n);
    for (const Document& d : a.content.documents)
      documents.push_back(BarSafe(d.number));
    const std::string gender = a.content.gender == Gender::kUnknown
                                   ? ""
                                   : std::string(GenderName(a.content.gender));
    out += fmt::format(
        "{},{},{},{},{},{},{}\n", CsvField(ExportId(a, "csv:")),
        CsvField(a.content.PrimaryName()),
        CsvField(fmt::format("{}", fmt::join(aliases, "|"))),
        a.content.birth_date ? a.content.birth_date->ToString() : "",
        fmt::join(nationalities, "|"), gender,
        CsvField(fmt::format("{}", fmt::join(documents, "|"))));
  }
  return out;
}

}  // namespace

std::string_view AlertFormatName(AlertFormat f) {
  const size_t i = static_cast<size_t>(f);
  return i < kFormatNames.size() ? kFormatNames[i] : "unknown";
}

std::optional<AlertFormat> AlertFormatFromName(std::string_view name) {
  for (size_t i = 0; i < kFormatNames.size(); ++i) {
    if (kFormatNames[i] == name) return static_cast<AlertFormat>(i);
  }
  return std::nullopt;
}

boost::json::object ImportProblemToJson(const ImportProblem& p) {
  boost::json::object o;
  o["line"] = static_cast<int64_t>(p.line);
  o["source"] = p.source;
  o["reason"] = p.reason;
  return o;
}

std::string FormatImportProblem(const ImportProblem& p) {
  if (p.source.empty()) return fmt::format("{}: {}", p.line, p.reason);
  return fmt::format("{}: {}: {}", p.line, p.source, p.reason);
}

ParsedImport ParseImport(AlertFormat format, std::string_view data,
                         const ImportDefaults& defaults, absl::CivilDay today) {
  ParsedImport out;
  Collector collector(out, today);
  if (data.size() > kMaxImportBytes) {
    collector.Problem(
        0, "",
        fmt::format("the file is larger than {} bytes", kMaxImportBytes));
    return out;
  }
  if (!IsCleanUtf8(data, Utf8Rule::kNoNul)) {
    collector.Problem(0, "", "the file is not valid UTF-8 text");
    return out;
  }
  switch (format) {
    case AlertFormat::kInterpol:
      ParseInterpol(data, defaults, collector);
      break;
    case AlertFormat::kFtm:
      ParseFtm(data, defaults, collector);
      break;
    case AlertFormat::kCsv:
      ParseCsv(data, defaults, collector);
      break;
  }
  return out;
}

absl::StatusOr<std::string> ExportAlerts(AlertFormat format,
                                         std::span<const Alert> alerts) {
  switch (format) {
    case AlertFormat::kFtm:
      return ExportFtm(alerts);
    case AlertFormat::kCsv:
      return ExportCsv(alerts);
    case AlertFormat::kInterpol:
      break;
  }
  return InvalidField("format", "alerts can be exported as ftm or csv");
}

}  // namespace jisr::alerts
