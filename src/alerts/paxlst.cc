#include "alerts/paxlst.h"

#include <fmt/format.h>
#include <unicode/uloc.h>

#include <array>
#include <charconv>
#include <map>
#include <utility>

#include "common/status.h"
#include "common/utf8.h"

namespace jisr::alerts {
namespace {

constexpr size_t kMaxSegments = 200000;
constexpr size_t kMaxElements = 99;
constexpr size_t kMaxComponentBytes = 512;

struct Segment {
  std::string tag;
  // elements[0] is the tag; each element is its list of components.
  std::vector<std::vector<std::string>> elements;
  size_t index = 0;  // 1-based position in the interchange
  size_t line = 0;   // 1-based line of its first character

  // Component `c` of element `e` (1-based element after the tag), or "".
  const std::string& Get(size_t e, size_t c = 0) const {
    static const std::string kEmpty;
    if (e >= elements.size() || c >= elements[e].size()) return kEmpty;
    return elements[e][c];
  }
};

absl::Status SegmentError(const Segment& s, std::string_view message) {
  return absl::InvalidArgumentError(
      fmt::format("PAXLST segment {} ({}) at line {}: {}", s.index, s.tag,
                  s.line, message));
}

absl::Status SyntaxError(size_t line, std::string_view message) {
  return absl::InvalidArgumentError(
      fmt::format("PAXLST line {}: {}", line, message));
}

// Splits the interchange into segments (EDIFACT syntax level A/B).
absl::StatusOr<std::vector<Segment>> Tokenise(std::string_view data) {
  char component = ':', element = '+', release = '?', terminator = '\'';
  size_t pos = 0;
  size_t line = 1;
  // Skip a UTF-8 byte-order mark and leading white space.
  if (data.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  const auto skip_space = [&] {
    while (pos < data.size() && (data[pos] == ' ' || data[pos] == '\t' ||
                                 data[pos] == '\r' || data[pos] == '\n')) {
      if (data[pos] == '\n') ++line;
      ++pos;
    }
  };
  skip_space();
  if (data.substr(pos, 3) == "UNA") {
    if (data.size() < pos + 9)
      return SyntaxError(line, "UNA must be followed by six characters");
    component = data[pos + 3];
    element = data[pos + 4];
    release = data[pos + 6];
    terminator = data[pos + 8];
    const std::array<char, 4> service = {component, element, release,
                                         terminator};
    for (size_t i = 0; i < service.size(); ++i) {
      const unsigned char ch = static_cast<unsigned char>(service[i]);
      if (ch < 0x20 || ch > 0x7e || (ch >= 'A' && ch <= 'Z') ||
          (ch >= '0' && ch <= '9')) {
        return SyntaxError(
            line, "UNA service characters must be printable punctuation");
      }
      for (size_t j = 0; j < i; ++j) {
        if (service[i] == service[j]) {
          return SyntaxError(
              line, "UNA service characters must differ from each other");
        }
      }
    }
    pos += 9;
  }
  std::vector<Segment> segments;
  Segment current;
  std::vector<std::string> components(1);
  bool started = false;
  const auto finish_element = [&]() -> absl::Status {
    if (current.elements.size() >= kMaxElements) {
      return SyntaxError(current.line, "a segment has too many data elements");
    }
    current.elements.push_back(std::move(components));
    components.assign(1, std::string());
    return absl::OkStatus();
  };
  for (;;) {
    if (!started) {
      skip_space();
      if (pos >= data.size()) break;
      started = true;
      current = Segment();
      current.line = line;
      current.index = segments.size() + 1;
    }
    if (pos >= data.size())
      return SyntaxError(current.line, "the last segment is not terminated");
    const char ch = data[pos++];
    if (ch == '\n') {
      ++line;
      continue;  // line breaks are not part of EDIFACT data
    }
    if (ch == '\r') continue;
    if (ch == release) {
      if (pos >= data.size())
        return SyntaxError(line, "the release character ends the data");
      const char next = data[pos++];
      if (next == '\n' || next == '\r')
        return SyntaxError(line, "a line break cannot be released");
      components.back().push_back(next);
    } else if (ch == component) {
      components.emplace_back();
    } else if (ch == element) {
      JISR_RETURN_IF_ERROR(finish_element());
    } else if (ch == terminator) {
      JISR_RETURN_IF_ERROR(finish_element());
      current.tag = current.elements[0][0];
      bool tag_ok = current.tag.size() == 3 && current.elements[0].size() == 1;
      for (char t : current.tag) tag_ok = tag_ok && t >= 'A' && t <= 'Z';
      if (!tag_ok)
        return SyntaxError(current.line,
                           "a segment must start with a three-letter tag");
      if (segments.size() >= kMaxSegments)
        return SyntaxError(current.line, "too many segments");
      segments.push_back(std::move(current));
      started = false;
    } else {
      components.back().push_back(ch);
    }
    if (components.back().size() > kMaxComponentBytes) {
      return SyntaxError(line, "a data element is longer than 512 bytes");
    }
  }
  return segments;
}

// alpha-3 -> alpha-2 from ICU's ISO 3166 table.
const std::map<std::string, std::string>& Alpha3Table() {
  static const auto* table = [] {
    auto* m = new std::map<std::string, std::string>();
    for (const char* const* c = uloc_getISOCountries(); *c != nullptr; ++c) {
      const std::string alpha2(*c);
      if (!screening::ParseCountryCode(alpha2).ok()) continue;
      const std::string locale = "und_" + alpha2;
      const std::string alpha3 = uloc_getISO3Country(locale.c_str());
      if (alpha3.size() == 3) (*m)[alpha3] = alpha2;
    }
    (*m)["XKX"] = "XK";  // Kosovo as ICAO writes it (ICU: XKK)
    return m;
  }();
  return *table;
}

// ICAO 9303 codes that name no country (stateless, refugee, UN, ...).
bool IsNoCountryCode(std::string_view code) {
  static constexpr std::string_view kCodes[] = {
      "XXA", "XXB", "XXC", "XXX", "UNO", "UNA", "UNK", "XOM", "XPO",
      "XCC", "XES", "XBC", "XIM", "XDC", "EUE", "XCE", "XAA"};
  for (std::string_view c : kCodes) {
    if (c == code) return true;
  }
  return false;
}

// The alpha-2 code of an ICAO/ISO nationality or issuing-state code; "" for
// codes of no country.
absl::StatusOr<std::string> CountryCode(const Segment& s,
                                        std::string_view code) {
  if (code == "D") return std::string("DE");  // Germany in ICAO 9303
  if (code.size() == 3 && code.substr(0, 2) == "GB")
    return std::string("GB");  // GBD, GBN, ...
  if (IsNoCountryCode(code)) return std::string();
  if (std::optional<std::string> a2 = CountryFromAlpha3(code)) return *a2;
  return SegmentError(
      s, fmt::format("\"{}\" is not an ISO 3166-1 alpha-3 country code",
                     code.substr(0, 8)));
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// YYMMDD or CCYYMMDD. Two-digit years: the latest century not after
// `today` (birth dates) or the 2000s (expiry dates).
absl::StatusOr<screening::PartialDate> ParseEdiDate(
    const Segment& s, std::string_view text,
    std::optional<absl::CivilDay> today) {
  if (!AllDigits(text) || (text.size() != 6 && text.size() != 8)) {
    return SegmentError(s,
                        fmt::format("\"{}\" is not a date YYMMDD or CCYYMMDD",
                                    text.substr(0, 16)));
  }
  int year = 0;
  std::from_chars(text.data(), text.data() + text.size() - 4, year);
  if (text.size() == 6) {
    year += 2000;
    if (today && year > today->year()) year -= 100;
  }
  const std::string iso =
      fmt::format("{:04d}-{}-{}", year, text.substr(text.size() - 4, 2),
                  text.substr(text.size() - 2));
  absl::StatusOr<screening::PartialDate> d = screening::ParsePartialDate(iso);
  if (!d.ok()) return SegmentError(s, fmt::format("{} is not a date", text));
  return *d;
}

absl::StatusOr<int64_t> ParseCount(const Segment& s, std::string_view text) {
  int64_t v = 0;
  const auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < 0 ||
      v > 1000000) {
    return SegmentError(
        s, fmt::format("\"{}\" is not a count", text.substr(0, 16)));
  }
  return v;
}

enum class Context { kHeader, kFlight, kPerson, kDocument, kOther };

}  // namespace

std::string PaxlstPerson::FullName() const {
  std::string out;
  for (const std::string& g : given_names) {
    if (g.empty()) continue;
    if (!out.empty()) out += ' ';
    out += g;
  }
  if (!out.empty()) out += ' ';
  out += family_name;
  return out;
}

std::optional<std::string> CountryFromAlpha3(std::string_view alpha3) {
  const auto& table = Alpha3Table();
  const auto it = table.find(std::string(alpha3));
  if (it == table.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<PaxlstMessage> ParsePaxlst(std::string_view data,
                                          absl::CivilDay today) {
  if (data.size() > kMaxPaxlstBytes) {
    return absl::InvalidArgumentError(fmt::format(
        "PAXLST: the message is larger than {} bytes", kMaxPaxlstBytes));
  }
  if (!IsCleanUtf8(data, Utf8Rule::kNoControlsButNewlines)) {
    return absl::InvalidArgumentError(
        "PAXLST: the message is not text (UTF-8 or ASCII)");
  }
  JISR_ASSIGN_OR_RETURN(std::vector<Segment> segments, Tokenise(data));
  PaxlstMessage m;
  Context context = Context::kHeader;
  std::optional<size_t> unh_index;
  bool unt_seen = false;
  bool tdt_seen = false;
  std::optional<int64_t> declared_passengers, declared_crew;
  const Segment* cnt42 = nullptr;
  const Segment* cnt41 = nullptr;
  for (const Segment& s : segments) {
    const std::string& tag = s.tag;
    if (tag == "UNB") {
      m.interchange_ref = s.Get(5);
      continue;
    }
    if (tag == "UNZ" || tag == "UNG" || tag == "UNE") continue;
    if (tag == "UNH") {
      if (unh_index)
        return SegmentError(s, "only one message per interchange is read");
      if (s.Get(2, 0) != "PAXLST") {
        return SegmentError(
            s, fmt::format("the message type is \"{}\", not PAXLST",
                           s.Get(2, 0).substr(0, 16)));
      }
      unh_index = s.index;
      m.message_ref = s.Get(1);
      continue;
    }
    if (!unh_index || unt_seen) {
      return SegmentError(s, "segment outside the UNH ... UNT message");
    }
    if (tag == "UNT") {
      JISR_ASSIGN_OR_RETURN(int64_t count, ParseCount(s, s.Get(1)));
      const int64_t actual = static_cast<int64_t>(s.index - *unh_index + 1);
      if (count != actual) {
        return SegmentError(
            s, fmt::format("UNT counts {} segments, the message has {}", count,
                           actual));
      }
      unt_seen = true;
    } else if (tag == "BGM") {
      m.list_type = s.Get(1);
    } else if (tag == "TDT") {
      if (s.Get(1) == "20") {
        m.flight = s.Get(2);
        tdt_seen = true;
        context = Context::kFlight;
      } else {
        context = Context::kOther;
      }
    } else if (tag == "NAD") {
      const std::string& q = s.Get(1);
      if (q == "FL" || q == "DDT" || q == "FM" || q == "DDU") {
        PaxlstPerson p;
        p.crew = q == "FM" || q == "DDU";
        p.line = s.line;
        if (s.elements.size() > 4) {
          const std::vector<std::string>& name = s.elements[4];
          p.family_name = name[0];
          for (size_t i = 1; i < name.size(); ++i) {
            if (!name[i].empty()) p.given_names.push_back(name[i]);
          }
        }
        if (p.family_name.empty())
          return SegmentError(s, "the person has no family name");
        m.persons.push_back(std::move(p));
        context = Context::kPerson;
      } else {
        context = Context::kOther;
      }
    } else if (tag == "ATT") {
      if (context == Context::kPerson && s.Get(1) == "2") {
        const std::string& g = s.Get(3);
        if (g != "M" && g != "F" && g != "U" && g != "X") {
          return SegmentError(s, "the gender must be M, F, U or X");
        }
        m.persons.back().gender = g;
      }
    } else if (tag == "DTM") {
      const std::string& q = s.Get(1, 0);
      const std::string& v = s.Get(1, 1);
      if (context == Context::kFlight && q == "189") {
        m.departure_time = v;
      } else if (context == Context::kFlight && q == "232") {
        m.arrival_time = v;
      } else if ((context == Context::kPerson ||
                  context == Context::kDocument) &&
                 q == "329") {
        JISR_ASSIGN_OR_RETURN(m.persons.back().birth_date,
                              ParseEdiDate(s, v, today));
      } else if (context == Context::kDocument && q == "36") {
        JISR_ASSIGN_OR_RETURN(screening::PartialDate d,
                              ParseEdiDate(s, v, std::nullopt));
        m.persons.back().documents.back().expires_on =
            absl::CivilDay(d.year, d.month, d.day);
      }
    } else if (tag == "LOC") {
      const std::string& q = s.Get(1);
      if (context == Context::kFlight && q == "125") {
        m.departure = s.Get(2);
      } else if (context == Context::kFlight && q == "87") {
        m.arrival = s.Get(2);
      } else if (context == Context::kDocument && q == "91") {
        JISR_ASSIGN_OR_RETURN(m.persons.back().documents.back().country,
                              CountryCode(s, s.Get(2)));
      }
    } else if (tag == "NAT") {
      if ((context == Context::kPerson || context == Context::kDocument) &&
          s.Get(1) == "2") {
        JISR_ASSIGN_OR_RETURN(std::string code, CountryCode(s, s.Get(2)));
        std::vector<std::string>& n = m.persons.back().nationalities;
        if (!code.empty() && std::find(n.begin(), n.end(), code) == n.end())
          n.push_back(code);
      }
    } else if (tag == "DOC") {
      if (context != Context::kPerson && context != Context::kDocument) {
        return SegmentError(s, "DOC before the person it belongs to (NAD)");
      }
      PaxlstDocument d;
      d.type = s.Get(1);
      d.number = s.Get(2);
      if (d.number.empty())
        return SegmentError(s, "the document has no number");
      if (m.persons.back().documents.size() >= 20) {
        return SegmentError(s, "a person has more than 20 documents");
      }
      m.persons.back().documents.push_back(std::move(d));
      context = Context::kDocument;
    } else if (tag == "CNT") {
      const std::string& q = s.Get(1, 0);
      if (q == "42") {
        JISR_ASSIGN_OR_RETURN(declared_passengers, ParseCount(s, s.Get(1, 1)));
        cnt42 = &s;
      } else if (q == "41") {
        JISR_ASSIGN_OR_RETURN(declared_crew, ParseCount(s, s.Get(1, 1)));
        cnt41 = &s;
      }
      context = Context::kOther;
    }
  }
  if (!unh_index)
    return absl::InvalidArgumentError("PAXLST: no UNH message header");
  if (!unt_seen)
    return absl::InvalidArgumentError("PAXLST: the message has no UNT trailer");
  if (!tdt_seen)
    return absl::InvalidArgumentError(
        "PAXLST: the message names no flight (TDT+20)");
  int64_t passengers = 0, crew = 0;
  for (const PaxlstPerson& p : m.persons) (p.crew ? crew : passengers) += 1;
  if (declared_passengers && *declared_passengers != passengers) {
    return SegmentError(
        *cnt42,
        fmt::format("CNT+42 declares {} passengers, the message lists {}",
                    *declared_passengers, passengers));
  }
  if (declared_crew && *declared_crew != crew) {
    return SegmentError(
        *cnt41,
        fmt::format("CNT+41 declares {} crew members, the message lists {}",
                    *declared_crew, crew));
  }
  return m;
}

std::vector<screening::Person> PaxlstPersons(const PaxlstMessage& message) {
  std::vector<screening::Person> out;
  for (size_t i = 0; i < message.persons.size(); ++i) {
    const PaxlstPerson& p = message.persons[i];
    screening::Person s;
    s.id = fmt::format(
        "{}-{}", message.message_ref.empty() ? "paxlst" : message.message_ref,
        i + 1);
    s.names.push_back(p.FullName());
    s.birth_date = p.birth_date;
    s.nationalities = p.nationalities;
    s.gender = p.gender == "M"   ? screening::Gender::kMale
               : p.gender == "F" ? screening::Gender::kFemale
               : p.gender == "X" ? screening::Gender::kOther
                                 : screening::Gender::kUnknown;
    for (const PaxlstDocument& d : p.documents) s.documents.push_back(d.number);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace jisr::alerts
