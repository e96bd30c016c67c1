#include "training/training.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::training {
namespace {

constexpr std::string_view kTopics[] = {
    "organised_crime", "terrorism",      "drug_trafficking", "human_trafficking",
    "cybercrime",      "forensics",      "wanted_persons",   "major_events",
    "border_security", "other"};
constexpr std::string_view kLanguages[] = {"ar", "fr", "en", "es", "pt"};
constexpr std::string_view kSessionStates[] = {"planned", "open", "closed", "held",
                                               "cancelled"};
constexpr std::string_view kDomains[] = {
    "forensics", "cybercrime",        "explosives",   "dog_units",    "ballistics",
    "dna",       "digital_forensics", "surveillance", "training",     "other"};
constexpr std::string_view kEnrolmentStatuses[] = {"pending", "confirmed", "refused",
                                                   "withdrawn"};
constexpr std::string_view kCompletions[] = {"completed", "not_completed"};

// Reads id/owner/version for `form`.
absl::Status ReadMeta(JsonObjectReader& r, JsonForm form, std::string* id,
                      std::string* owner, int64_t* version) {
  if (form == JsonForm::kShared) {
    JISR_ASSIGN_OR_RETURN(*id, r.RequiredString("id", 64));
    if (!IsUuid(*id)) return InvalidField("id", "id must be a UUID");
    JISR_ASSIGN_OR_RETURN(*owner, r.RequiredString("owner", 32));
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(*owner, "owner"));
    r.MarkRead("created_at");
    r.MarkRead("updated_at");
  }
  if (form != JsonForm::kCreate) {
    JISR_ASSIGN_OR_RETURN(*version, r.RequiredInt("version"));
    if (*version < 1) return InvalidField("version", "version must be >= 1");
  }
  return absl::OkStatus();
}

absl::StatusOr<const boost::json::array*> OptionalArray(JsonObjectReader& r,
                                                        const boost::json::object& o,
                                                        std::string_view key) {
  r.MarkRead(key);
  static const boost::json::array kEmpty;
  const auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return &kEmpty;
  if (!it->value().is_array()) {
    return InvalidField(r.FieldName(key), r.FieldName(key) + " must be an array");
  }
  if (it->value().as_array().size() > kMaxAgencies) {
    return InvalidField(r.FieldName(key), fmt::format("{} holds more than {} items",
                                                      r.FieldName(key), kMaxAgencies));
  }
  return &it->value().as_array();
}

// A list of distinct strings, each checked by `check(value, field)`.
template <typename Check>
absl::StatusOr<std::vector<std::string>> StringList(JsonObjectReader& r,
                                                    const boost::json::object& o,
                                                    std::string_view key, Check check) {
  JISR_ASSIGN_OR_RETURN(const boost::json::array* a, OptionalArray(r, o, key));
  std::vector<std::string> out;
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string field = fmt::format("{}[{}]", r.FieldName(key), i);
    if (!(*a)[i].is_string()) return InvalidField(field, field + " must be a string");
    std::string s((*a)[i].as_string());
    JISR_RETURN_IF_ERROR(check(s, field));
    if (std::find(out.begin(), out.end(), s) != out.end()) {
      return InvalidField(field, fmt::format("{} names {} twice", r.FieldName(key), s));
    }
    out.push_back(std::move(s));
  }
  return out;
}

absl::Status CheckLanguage(const std::string& s, const std::string& field) {
  if (std::find(std::begin(kLanguages), std::end(kLanguages), s) == std::end(kLanguages)) {
    return InvalidField(field, fmt::format("{} must be one of ar, fr, en, es, pt", field));
  }
  return absl::OkStatus();
}

absl::Status CheckAgency(const std::string& s, const std::string& field) {
  return ValidateAgencyCode(s, field);
}

absl::StatusOr<absl::Time> RequiredTime(JsonObjectReader& r, std::string_view key) {
  JISR_ASSIGN_OR_RETURN(std::string text, r.RequiredString(key, 64));
  absl::StatusOr<absl::Time> t = ParseRfc3339(text);
  if (!t.ok()) {
    return InvalidField(r.FieldName(key),
                        fmt::format("{} must be an RFC 3339 time", r.FieldName(key)));
  }
  return TruncateToMillis(*t);
}

boost::json::array StringsJson(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const std::string& s : v) a.push_back(boost::json::value(s));
  return a;
}

absl::Status CheckShareWith(const std::vector<std::string>& share_with,
                            std::string_view owner) {
  for (size_t i = 0; i < share_with.size(); ++i) {
    if (share_with[i] == owner) {
      return InvalidField(fmt::format("share_with[{}]", i),
                          "share_with names the partners, not the owner");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckEmail(std::string_view email, const std::string& field) {
  if (email.empty()) return absl::OkStatus();
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string_view::npos ||
      email.find(' ') != std::string_view::npos) {
    return InvalidField(field, fmt::format("{} must be an e-mail address", field));
  }
  return absl::OkStatus();
}

}  // namespace

std::span<const std::string_view> TopicNames() { return kTopics; }
std::span<const std::string_view> LanguageNames() { return kLanguages; }
std::span<const std::string_view> SessionStateNames() { return kSessionStates; }
std::span<const std::string_view> DomainNames() { return kDomains; }
std::span<const std::string_view> EnrolmentStatusNames() { return kEnrolmentStatuses; }
std::span<const std::string_view> CompletionNames() { return kCompletions; }

absl::Status ValidateAgencyCode(std::string_view code, std::string_view field) {
  bool ok = code.size() >= 5 && code.size() <= 19 && code[2] == '-';
  for (size_t i = 0; ok && i < code.size(); ++i) {
    const char c = code[i];
    if (i == 2) continue;
    ok = (c >= 'A' && c <= 'Z') || (i > 2 && c >= '0' && c <= '9');
  }
  if (!ok) {
    return InvalidField(field,
                        fmt::format("{} must be an agency code such as FR-DGPN", field));
  }
  return absl::OkStatus();
}

// ---- programmes -------------------------------------------------------------

absl::StatusOr<Programme> ProgrammeFromJson(const boost::json::object& o, JsonForm form) {
  JsonObjectReader r(o);
  Programme p;
  JISR_RETURN_IF_ERROR(ReadMeta(r, form, &p.id, &p.owner, &p.version));
  JISR_ASSIGN_OR_RETURN(p.title, r.RequiredString("title", kMaxTitleBytes));
  JISR_ASSIGN_OR_RETURN(p.topic, r.RequiredEnum("topic", kTopics));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> d,
                        r.OptionalString("description", kMaxTextBytes));
  p.description = d.value_or("");
  JISR_ASSIGN_OR_RETURN(p.languages, StringList(r, o, "languages", &CheckLanguage));
  JISR_ASSIGN_OR_RETURN(p.share_with, StringList(r, o, "share_with", &CheckAgency));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  if (p.languages.empty()) return InvalidField("languages", "languages needs at least one");
  if (form == JsonForm::kShared) JISR_RETURN_IF_ERROR(ValidateProgramme(p));
  return p;
}

absl::Status ValidateProgramme(const Programme& p) {
  if (p.languages.empty()) return InvalidField("languages", "languages needs at least one");
  return CheckShareWith(p.share_with, p.owner);
}

boost::json::object ProgrammeToJson(const Programme& p) {
  return boost::json::object{{"id", p.id},
                             {"owner", p.owner},
                             {"version", p.version},
                             {"title", p.title},
                             {"topic", p.topic},
                             {"description", p.description},
                             {"languages", StringsJson(p.languages)},
                             {"share_with", StringsJson(p.share_with)},
                             {"created_at", FormatRfc3339(p.created_at)},
                             {"updated_at", FormatRfc3339(p.updated_at)}};
}

// ---- sessions ---------------------------------------------------------------

absl::StatusOr<Session> SessionFromJson(const boost::json::object& o, JsonForm form) {
  JsonObjectReader r(o);
  Session s;
  JISR_RETURN_IF_ERROR(ReadMeta(r, form, &s.id, &s.owner, &s.version));
  if (form == JsonForm::kShared) {
    JISR_ASSIGN_OR_RETURN(s.programme_id, r.RequiredString("programme_id", 64));
    if (!IsUuid(s.programme_id)) return InvalidField("programme_id", "must be a UUID");
  }
  JISR_ASSIGN_OR_RETURN(s.starts_at, RequiredTime(r, "starts_at"));
  JISR_ASSIGN_OR_RETURN(s.ends_at, RequiredTime(r, "ends_at"));
  JISR_ASSIGN_OR_RETURN(s.place, r.RequiredString("place", kMaxShortBytes));
  JISR_ASSIGN_OR_RETURN(s.capacity, r.RequiredInt("capacity"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> state,
                        r.OptionalEnum("state", kSessionStates));
  s.state = state.value_or("planned");
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_RETURN_IF_ERROR(ValidateSession(s));
  return s;
}

absl::Status ValidateSession(const Session& s) {
  if (s.capacity < 1 || s.capacity > kMaxCapacity) {
    return InvalidField("capacity", fmt::format("capacity must be 1 to {}", kMaxCapacity));
  }
  if (s.ends_at < s.starts_at) {
    return InvalidField("ends_at", "ends_at must not be before starts_at");
  }
  return absl::OkStatus();
}

boost::json::object SessionToJson(const Session& s) {
  return boost::json::object{{"id", s.id},
                             {"programme_id", s.programme_id},
                             {"owner", s.owner},
                             {"version", s.version},
                             {"starts_at", FormatRfc3339(s.starts_at)},
                             {"ends_at", FormatRfc3339(s.ends_at)},
                             {"place", s.place},
                             {"capacity", s.capacity},
                             {"state", s.state},
                             {"created_at", FormatRfc3339(s.created_at)},
                             {"updated_at", FormatRfc3339(s.updated_at)}};
}

// ---- catalogue --------------------------------------------------------------

absl::StatusOr<CatalogueItem> CatalogueItemFromJson(const boost::json::object& o,
                                                    JsonForm form) {
  JsonObjectReader r(o);
  CatalogueItem c;
  JISR_RETURN_IF_ERROR(ReadMeta(r, form, &c.id, &c.owner, &c.version));
  JISR_ASSIGN_OR_RETURN(c.domain, r.RequiredEnum("domain", kDomains));
  JISR_ASSIGN_OR_RETURN(c.title, r.RequiredString("title", kMaxTitleBytes));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> d,
                        r.OptionalString("description", kMaxTextBytes));
  c.description = d.value_or("");
  JISR_ASSIGN_OR_RETURN(c.contact_unit, r.RequiredString("contact_unit", kMaxShortBytes));
  JISR_ASSIGN_OR_RETURN(c.languages, StringList(r, o, "languages", &CheckLanguage));
  JISR_ASSIGN_OR_RETURN(c.share_with, StringList(r, o, "share_with", &CheckAgency));
  JISR_ASSIGN_OR_RETURN(std::optional<bool> active, r.OptionalBool("active"));
  c.active = active.value_or(true);
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  if (c.languages.empty()) return InvalidField("languages", "languages needs at least one");
  if (form == JsonForm::kShared) JISR_RETURN_IF_ERROR(ValidateCatalogueItem(c));
  return c;
}

absl::Status ValidateCatalogueItem(const CatalogueItem& c) {
  if (c.languages.empty()) return InvalidField("languages", "languages needs at least one");
  return CheckShareWith(c.share_with, c.owner);
}

boost::json::object CatalogueItemToJson(const CatalogueItem& c) {
  return boost::json::object{{"id", c.id},
                             {"owner", c.owner},
                             {"version", c.version},
                             {"domain", c.domain},
                             {"title", c.title},
                             {"description", c.description},
                             {"contact_unit", c.contact_unit},
                             {"languages", StringsJson(c.languages)},
                             {"share_with", StringsJson(c.share_with)},
                             {"active", c.active},
                             {"created_at", FormatRfc3339(c.created_at)},
                             {"updated_at", FormatRfc3339(c.updated_at)}};
}

// ---- enrolments -------------------------------------------------------------

absl::StatusOr<Participant> ParticipantFromJson(const boost::json::object& o,
                                                std::string_view prefix) {
  JsonObjectReader r(o, std::string(prefix));
  Participant p;
  JISR_ASSIGN_OR_RETURN(p.name, r.RequiredString("name", kMaxTitleBytes));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> rank, r.OptionalString("rank", 100));
  p.rank = rank.value_or("");
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> unit,
                        r.OptionalString("unit", kMaxShortBytes));
  p.unit = unit.value_or("");
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> email, r.OptionalString("email", 254));
  p.email = email.value_or("");
  JISR_RETURN_IF_ERROR(CheckEmail(p.email, r.FieldName("email")));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return p;
}

absl::StatusOr<Outcome> OutcomeFromJson(const boost::json::object& o) {
  JsonObjectReader r(o);
  Outcome out;
  JISR_ASSIGN_OR_RETURN(out.attended, r.OptionalBool("attended"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> c,
                        r.OptionalEnum("completion", kCompletions));
  out.completion = c.value_or("");
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> cert,
                        r.OptionalString("certificate_number", 64));
  out.certificate_number = cert.value_or("");
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_RETURN_IF_ERROR(ValidateOutcome(out));
  return out;
}

absl::Status ValidateOutcome(const Outcome& o) {
  if (o.completion == "completed" && o.attended != true) {
    return InvalidField("completion", "only a participant who attended completes");
  }
  if (!o.certificate_number.empty() && o.completion != "completed") {
    return InvalidField("certificate_number",
                        "a certificate number is given for a completed training only");
  }
  return absl::OkStatus();
}

namespace {

boost::json::object ParticipantJson(const Participant& p) {
  return boost::json::object{
      {"name", p.name}, {"rank", p.rank}, {"unit", p.unit}, {"email", p.email}};
}

boost::json::value AttendedJson(const std::optional<bool>& a) {
  return a ? boost::json::value(*a) : boost::json::value(nullptr);
}

// Reads the keys both crossing forms have.
absl::Status ReadEnrolmentKeys(JsonObjectReader& r, Enrolment* e) {
  JISR_ASSIGN_OR_RETURN(e->id, r.RequiredString("id", 64));
  if (!IsUuid(e->id)) return InvalidField("id", "id must be a UUID");
  JISR_ASSIGN_OR_RETURN(e->session_id, r.RequiredString("session_id", 64));
  if (!IsUuid(e->session_id)) return InvalidField("session_id", "must be a UUID");
  JISR_ASSIGN_OR_RETURN(e->provider, r.RequiredString("provider", 32));
  JISR_RETURN_IF_ERROR(ValidateAgencyCode(e->provider, "provider"));
  JISR_ASSIGN_OR_RETURN(e->agency, r.RequiredString("agency", 32));
  JISR_RETURN_IF_ERROR(ValidateAgencyCode(e->agency, "agency"));
  if (e->agency == e->provider) {
    return InvalidField("agency", "a crossing enrolment is of another agency than the provider");
  }
  return absl::OkStatus();
}

}  // namespace

boost::json::object EnrolmentToJson(const Enrolment& e) {
  return boost::json::object{{"id", e.id},
                             {"session_id", e.session_id},
                             {"programme_id", e.programme_id},
                             {"provider", e.provider},
                             {"agency", e.agency},
                             {"session_starts_at", FormatRfc3339(e.session_starts_at)},
                             {"participant", ParticipantJson(e.participant)},
                             {"withdrawn", e.withdrawn},
                             {"version", e.version},
                             {"status", e.status},
                             {"status_reason", e.status_reason},
                             {"attended", AttendedJson(e.attended)},
                             {"completion", e.completion.empty()
                                                ? boost::json::value(nullptr)
                                                : boost::json::value(e.completion)},
                             {"certificate_number", e.certificate_number},
                             {"record_version", e.record_version},
                             {"created_at", FormatRfc3339(e.created_at)},
                             {"updated_at", FormatRfc3339(e.updated_at)}};
}

boost::json::object EnrolmentRequestToJson(const Enrolment& e) {
  return boost::json::object{{"id", e.id},
                             {"session_id", e.session_id},
                             {"programme_id", e.programme_id},
                             {"provider", e.provider},
                             {"agency", e.agency},
                             {"session_starts_at", FormatRfc3339(e.session_starts_at)},
                             {"participant", ParticipantJson(e.participant)},
                             {"withdrawn", e.withdrawn}};
}

boost::json::object EnrolmentRecordToJson(const Enrolment& e) {
  return boost::json::object{{"id", e.id},
                             {"session_id", e.session_id},
                             {"provider", e.provider},
                             {"agency", e.agency},
                             {"status", e.status},
                             {"status_reason", e.status_reason},
                             {"attended", AttendedJson(e.attended)},
                             {"completion", e.completion.empty()
                                                ? boost::json::value(nullptr)
                                                : boost::json::value(e.completion)},
                             {"certificate_number", e.certificate_number}};
}

absl::StatusOr<Enrolment> EnrolmentRequestFromJson(const boost::json::object& o) {
  JsonObjectReader r(o);
  Enrolment e;
  JISR_RETURN_IF_ERROR(ReadEnrolmentKeys(r, &e));
  JISR_ASSIGN_OR_RETURN(e.programme_id, r.RequiredString("programme_id", 64));
  if (!IsUuid(e.programme_id)) return InvalidField("programme_id", "must be a UUID");
  JISR_ASSIGN_OR_RETURN(e.session_starts_at, RequiredTime(r, "session_starts_at"));
  r.MarkRead("participant");
  const auto it = o.find("participant");
  if (it == o.end() || !it->value().is_object()) {
    return InvalidField("participant", "participant must be an object");
  }
  JISR_ASSIGN_OR_RETURN(e.participant, ParticipantFromJson(it->value().as_object(),
                                                           "participant."));
  JISR_ASSIGN_OR_RETURN(std::optional<bool> w, r.OptionalBool("withdrawn"));
  e.withdrawn = w.value_or(false);
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return e;
}

absl::StatusOr<Enrolment> EnrolmentRecordFromJson(const boost::json::object& o) {
  JsonObjectReader r(o);
  Enrolment e;
  JISR_RETURN_IF_ERROR(ReadEnrolmentKeys(r, &e));
  JISR_ASSIGN_OR_RETURN(e.status, r.RequiredEnum("status", kEnrolmentStatuses));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> reason,
                        r.OptionalString("status_reason", kMaxShortBytes));
  e.status_reason = reason.value_or("");
  JISR_ASSIGN_OR_RETURN(e.attended, r.OptionalBool("attended"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> c,
                        r.OptionalEnum("completion", kCompletions));
  e.completion = c.value_or("");
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> cert,
                        r.OptionalString("certificate_number", 64));
  e.certificate_number = cert.value_or("");
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_RETURN_IF_ERROR(ValidateOutcome(Outcome{e.attended, e.completion, e.certificate_number}));
  return e;
}

}  // namespace jisr::training
