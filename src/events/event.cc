#include "events/event.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <set>
#include <utility>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "security/service_util.h"

namespace jisr::events {
namespace {

constexpr std::array<std::string_view, 4> kSeverityNames = {
    "low", "medium", "high", "critical"};
constexpr std::array<std::string_view, 10> kIncidentTypes = {
    "public_order",  "violence",     "terrorism_threat", "suspicious_item",
    "wanted_person", "crowd_safety", "ticket_fraud",     "cyber",
    "medical",       "other"};
constexpr std::array<std::string_view, 4> kDecisionNames = {
    "pending", "cleared", "referred", "refused"};

boost::json::array StringArray(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const std::string& s : v) a.emplace_back(s);
  return a;
}

std::string Str(const boost::json::string& s) { return {s.data(), s.size()}; }

// Reads member `key` as an array of strings (absent or null: empty) with at
// most `max` items, each checked by `check(value, field)`.
template <typename Check>
absl::StatusOr<std::vector<std::string>> StringList(
    JsonObjectReader& r, const boost::json::object& o, std::string_view key,
    size_t max, Check check) {
  r.MarkRead(key);
  std::vector<std::string> out;
  const boost::json::value* v = o.if_contains(boost::json::string_view(key.data(), key.size()));
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array())
    return InvalidField(key, fmt::format("{} must be an array of strings", key));
  const boost::json::array& a = v->get_array();
  if (a.size() > max)
    return InvalidField(key, fmt::format("{} has more than {} items", key, max));
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string field = fmt::format("{}[{}]", key, i);
    if (!a[i].is_string())
      return InvalidField(field, fmt::format("{} must be a string", field));
    std::string s = Str(a[i].get_string());
    JISR_RETURN_IF_ERROR(check(s, field));
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<absl::CivilDay> DayMember(JsonObjectReader& r,
                                         std::string_view key) {
  JISR_ASSIGN_OR_RETURN(std::string text, r.RequiredString(key, 10));
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(ToAbsl(text), &day) ||
      FormatDay(day) != text) {
    return InvalidField(key, fmt::format("{} must be a day such as 2025-12-21", key));
  }
  return day;
}

absl::StatusOr<absl::Time> TimeMember(JsonObjectReader& r, std::string_view key) {
  JISR_ASSIGN_OR_RETURN(std::string text, r.RequiredString(key, 64));
  absl::StatusOr<absl::Time> t = ParseRfc3339(text);
  if (!t.ok()) {
    return InvalidField(
        key, fmt::format("{} must be an RFC 3339 time such as 2025-12-21T20:00:00Z", key));
  }
  return TruncateToMillis(*t);
}

absl::Status CheckVenueCode(std::string_view code, std::string_view field) {
  bool ok = !code.empty() && code.size() <= 32;
  for (char c : code) {
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                (c >= '0' && c <= '9') || c == '-' || c == '_');
  }
  if (!ok) {
    return InvalidField(field, fmt::format("{} must be 1 to 32 of A-Z a-z 0-9 - _",
                                           field));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Venue>> VenuesMember(JsonObjectReader& r,
                                                const boost::json::object& o) {
  r.MarkRead("venues");
  const boost::json::value* v = o.if_contains("venues");
  if (v == nullptr || !v->is_array() || v->get_array().empty()) {
    return InvalidField("venues", "venues must be a non-empty array of {code, name, city}");
  }
  const boost::json::array& a = v->get_array();
  if (a.size() > kMaxVenues)
    return InvalidField("venues", fmt::format("venues has more than {} items", kMaxVenues));
  std::vector<Venue> out;
  std::set<std::string> codes;
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string prefix = fmt::format("venues[{}]", i);
    if (!a[i].is_object()) return InvalidField(prefix, prefix + " must be an object");
    JsonObjectReader vr(a[i].get_object(), prefix + ".");
    Venue venue;
    JISR_ASSIGN_OR_RETURN(venue.code, vr.RequiredString("code", 32));
    JISR_RETURN_IF_ERROR(CheckVenueCode(venue.code, prefix + ".code"));
    JISR_ASSIGN_OR_RETURN(venue.name, vr.RequiredString("name", 200));
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> city,
                          vr.OptionalString("city", 100));
    venue.city = city.value_or("");
    JISR_RETURN_IF_ERROR(vr.RejectUnknown());
    JISR_RETURN_IF_ERROR(CheckText(venue.name, prefix + ".name", 200));
    if (!venue.city.empty())
      JISR_RETURN_IF_ERROR(CheckText(venue.city, prefix + ".city", 100));
    if (!codes.insert(venue.code).second) {
      return InvalidField(prefix + ".code",
                          fmt::format("venue code {} appears twice", venue.code));
    }
    out.push_back(std::move(venue));
  }
  return out;
}

boost::json::array VenuesJson(const std::vector<Venue>& venues) {
  boost::json::array a;
  for (const Venue& v : venues)
    a.push_back(boost::json::object{{"code", v.code}, {"name", v.name}, {"city", v.city}});
  return a;
}

absl::Status CheckUuid(std::string_view id, std::string_view field) {
  if (!IsUuid(id)) return InvalidField(field, fmt::format("{} must be a lower-case UUID", field));
  return absl::OkStatus();
}

absl::StatusOr<std::string> IdMember(JsonObjectReader& r, std::string_view key) {
  JISR_ASSIGN_OR_RETURN(std::string id, r.RequiredString(key, 36));
  JISR_RETURN_IF_ERROR(CheckUuid(id, key));
  return id;
}

absl::StatusOr<int64_t> VersionMember(JsonObjectReader& r) {
  JISR_ASSIGN_OR_RETURN(int64_t v, r.RequiredInt("version"));
  if (v < 1) return InvalidField("version", "version must be at least 1");
  return v;
}

template <size_t N>
std::optional<size_t> IndexOf(const std::array<std::string_view, N>& names,
                              std::string_view name) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == name) return i;
  return std::nullopt;
}

}  // namespace

std::string FormatDay(absl::CivilDay d) {
  return fmt::format("{:04d}-{:02d}-{:02d}", d.year(), d.month(), d.day());
}

absl::Status CheckAgencyCode(std::string_view code, std::string_view field) {
  bool ok = code.size() >= 5 && code.size() <= 19 && code[2] == '-';
  for (size_t i = 0; ok && i < code.size(); ++i) {
    const char c = code[i];
    if (i == 2) continue;
    ok = (c >= 'A' && c <= 'Z') || (i > 2 && c >= '0' && c <= '9');
  }
  if (!ok) {
    return InvalidField(field, fmt::format("{} must be an agency code such as FR-DGPN "
                                           "(two capital letters, '-', 2 to 16 of A-Z 0-9)",
                                           field));
  }
  return absl::OkStatus();
}

absl::Status CheckText(std::string_view text, std::string_view field, size_t max_bytes,
                       bool multiline) {
  if (text.empty() || text.size() > max_bytes) {
    return InvalidField(field, fmt::format("{} must be 1 to {} bytes", field, max_bytes));
  }
  if (!security::internal::IsCleanText(text, multiline)) {
    return InvalidField(field, fmt::format("{} must be UTF-8 text without control characters",
                                           field));
  }
  return absl::OkStatus();
}

bool Event::Involves(std::string_view agency) const {
  return host == agency || std::find(partners.begin(), partners.end(), agency) != partners.end();
}

bool Event::HasVenue(std::string_view code) const {
  return std::any_of(venues.begin(), venues.end(),
                     [&](const Venue& v) { return v.code == code; });
}

absl::StatusOr<EventContent> EventContentFromJson(const boost::json::object& o,
                                                  std::string_view host) {
  JsonObjectReader r(o);
  EventContent c;
  JISR_ASSIGN_OR_RETURN(c.name, r.RequiredString("name", 200));
  JISR_RETURN_IF_ERROR(CheckText(c.name, "name", 200));
  JISR_ASSIGN_OR_RETURN(c.starts_on, DayMember(r, "starts_on"));
  JISR_ASSIGN_OR_RETURN(c.ends_on, DayMember(r, "ends_on"));
  if (c.ends_on < c.starts_on) return InvalidField("ends_on", "ends_on is before starts_on");
  if (c.ends_on - c.starts_on > 366)
    return InvalidField("ends_on", "an event lasts at most 366 days");
  JISR_ASSIGN_OR_RETURN(c.venues, VenuesMember(r, o));
  JISR_ASSIGN_OR_RETURN(c.partners, StringList(r, o, "partners", kMaxPartners,
                                               [](std::string_view s, std::string_view f) {
                                                 return CheckAgencyCode(s, f);
                                               }));
  std::set<std::string> seen;
  for (size_t i = 0; i < c.partners.size(); ++i) {
    const std::string field = fmt::format("partners[{}]", i);
    if (c.partners[i] == host)
      return InvalidField(field, fmt::format("{} is the host, not a partner", host));
    if (!seen.insert(c.partners[i]).second)
      return InvalidField(field, fmt::format("{} appears twice", c.partners[i]));
  }
  std::sort(c.partners.begin(), c.partners.end());
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> d, r.OptionalString("description", 4000));
  c.description = d.value_or("");
  if (!c.description.empty())
    JISR_RETURN_IF_ERROR(CheckText(c.description, "description", 4000, true));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return c;
}

boost::json::object SharedEventJson(const Event& e) {
  return boost::json::object{{"id", e.id},
                             {"host", e.host},
                             {"name", e.name},
                             {"starts_on", FormatDay(e.starts_on)},
                             {"ends_on", FormatDay(e.ends_on)},
                             {"venues", VenuesJson(e.venues)},
                             {"partners", StringArray(e.partners)},
                             {"description", e.description},
                             {"version", e.version}};
}

boost::json::object EventToJson(const Event& e) {
  boost::json::object o = SharedEventJson(e);
  o["created_by"] = e.created_by;
  o["created_at"] = FormatRfc3339(e.created_at);
  o["updated_at"] = FormatRfc3339(e.updated_at);
  o["copy"] = e.envelope_id.has_value();
  return o;
}

absl::StatusOr<Event> SharedEventFromJson(const boost::json::object& o) {
  boost::json::object content = o;
  Event e;
  {
    JsonObjectReader r(o);
    JISR_ASSIGN_OR_RETURN(e.id, IdMember(r, "id"));
    JISR_ASSIGN_OR_RETURN(e.host, r.RequiredString("host", 19));
    JISR_RETURN_IF_ERROR(CheckAgencyCode(e.host, "host"));
    JISR_ASSIGN_OR_RETURN(e.version, VersionMember(r));
  }
  content.erase("id");
  content.erase("host");
  content.erase("version");
  JISR_ASSIGN_OR_RETURN(EventContent c, EventContentFromJson(content, e.host));
  e.name = std::move(c.name);
  e.starts_on = c.starts_on;
  e.ends_on = c.ends_on;
  e.venues = std::move(c.venues);
  e.partners = std::move(c.partners);
  e.description = std::move(c.description);
  return e;
}

// ---- incidents ----------------------------------------------------------------

std::string_view SeverityName(Severity s) {
  const size_t i = static_cast<size_t>(s);
  return i < kSeverityNames.size() ? kSeverityNames[i] : "unknown";
}
std::optional<Severity> SeverityFromName(std::string_view name) {
  std::optional<size_t> i = IndexOf(kSeverityNames, name);
  if (!i) return std::nullopt;
  return static_cast<Severity>(*i);
}
std::span<const std::string_view> SeverityNames() { return kSeverityNames; }
std::span<const std::string_view> IncidentTypeNames() { return kIncidentTypes; }

absl::StatusOr<IncidentContent> IncidentContentFromJson(const boost::json::object& o) {
  JsonObjectReader r(o);
  IncidentContent c;
  JISR_ASSIGN_OR_RETURN(c.occurred_at, TimeMember(r, "occurred_at"));
  JISR_ASSIGN_OR_RETURN(c.venue, r.RequiredString("venue", 32));
  JISR_RETURN_IF_ERROR(CheckVenueCode(c.venue, "venue"));
  JISR_ASSIGN_OR_RETURN(c.type, r.RequiredEnum("type", kIncidentTypes));
  JISR_ASSIGN_OR_RETURN(std::string severity, r.RequiredEnum("severity", kSeverityNames));
  c.severity = *SeverityFromName(severity);
  JISR_ASSIGN_OR_RETURN(c.description, r.RequiredString("description", 8000));
  JISR_RETURN_IF_ERROR(CheckText(c.description, "description", 8000, true));
  JISR_ASSIGN_OR_RETURN(c.alert_ids, StringList(r, o, "alert_ids", kMaxLinks, &CheckUuid));
  JISR_ASSIGN_OR_RETURN(c.persons,
                        StringList(r, o, "persons", kMaxLinks,
                                   [](std::string_view s, std::string_view f) {
                                     return CheckText(s, f, 300);
                                   }));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return c;
}

boost::json::object SharedIncidentJson(const Incident& i) {
  return boost::json::object{{"id", i.id},
                             {"event_id", i.event_id},
                             {"owner", i.owner},
                             {"occurred_at", FormatRfc3339(i.occurred_at)},
                             {"venue", i.venue},
                             {"type", i.type},
                             {"severity", SeverityName(i.severity)},
                             {"description", i.description},
                             {"alert_ids", StringArray(i.alert_ids)},
                             {"persons", StringArray(i.persons)},
                             {"reported_by", i.reported_by},
                             {"version", i.version}};
}

boost::json::object IncidentToJson(const Incident& i) {
  boost::json::object o = SharedIncidentJson(i);
  o["created_at"] = FormatRfc3339(i.created_at);
  o["copy"] = i.envelope_id.has_value();
  return o;
}

absl::StatusOr<Incident> SharedIncidentFromJson(const boost::json::object& o) {
  Incident i;
  boost::json::object content = o;
  {
    JsonObjectReader r(o);
    JISR_ASSIGN_OR_RETURN(i.id, IdMember(r, "id"));
    JISR_ASSIGN_OR_RETURN(i.event_id, IdMember(r, "event_id"));
    JISR_ASSIGN_OR_RETURN(i.owner, r.RequiredString("owner", 19));
    JISR_RETURN_IF_ERROR(CheckAgencyCode(i.owner, "owner"));
    JISR_ASSIGN_OR_RETURN(i.reported_by, r.RequiredString("reported_by", 200));
    JISR_RETURN_IF_ERROR(CheckText(i.reported_by, "reported_by", 200));
    JISR_ASSIGN_OR_RETURN(i.version, VersionMember(r));
  }
  for (const char* k : {"id", "event_id", "owner", "reported_by", "version"}) content.erase(k);
  JISR_ASSIGN_OR_RETURN(IncidentContent c, IncidentContentFromJson(content));
  i.occurred_at = c.occurred_at;
  i.venue = std::move(c.venue);
  i.type = std::move(c.type);
  i.severity = c.severity;
  i.description = std::move(c.description);
  i.alert_ids = std::move(c.alert_ids);
  i.persons = std::move(c.persons);
  return i;
}

// ---- deployments ----------------------------------------------------------------

absl::StatusOr<DeploymentContent> DeploymentContentFromJson(const boost::json::object& o,
                                                            std::string_view default_agency) {
  JsonObjectReader r(o);
  DeploymentContent c;
  JISR_ASSIGN_OR_RETURN(c.officer_name, r.RequiredString("officer_name", 200));
  JISR_RETURN_IF_ERROR(CheckText(c.officer_name, "officer_name", 200));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> agency, r.OptionalString("agency", 19));
  c.agency = agency.value_or(std::string(default_agency));
  JISR_RETURN_IF_ERROR(CheckAgencyCode(c.agency, "agency"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> role, r.OptionalString("role", 200));
  c.role = role.value_or("");
  if (!c.role.empty()) JISR_RETURN_IF_ERROR(CheckText(c.role, "role", 200));
  JISR_ASSIGN_OR_RETURN(c.venue, r.RequiredString("venue", 32));
  JISR_RETURN_IF_ERROR(CheckVenueCode(c.venue, "venue"));
  JISR_ASSIGN_OR_RETURN(c.starts_at, TimeMember(r, "starts_at"));
  JISR_ASSIGN_OR_RETURN(c.ends_at, TimeMember(r, "ends_at"));
  if (c.ends_at <= c.starts_at) return InvalidField("ends_at", "ends_at must be after starts_at");
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> contact, r.OptionalString("contact", 200));
  c.contact = contact.value_or("");
  if (!c.contact.empty()) JISR_RETURN_IF_ERROR(CheckText(c.contact, "contact", 200));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return c;
}

boost::json::object SharedDeploymentJson(const Deployment& d) {
  return boost::json::object{{"id", d.id},
                             {"event_id", d.event_id},
                             {"agency", d.agency},
                             {"officer_name", d.officer_name},
                             {"role", d.role},
                             {"venue", d.venue},
                             {"starts_at", FormatRfc3339(d.starts_at)},
                             {"ends_at", FormatRfc3339(d.ends_at)},
                             {"contact", d.contact},
                             {"version", d.version}};
}

boost::json::object DeploymentToJson(const Deployment& d) {
  boost::json::object o = SharedDeploymentJson(d);
  o["created_by"] = d.created_by;
  o["created_at"] = FormatRfc3339(d.created_at);
  o["copy"] = d.envelope_id.has_value();
  return o;
}

absl::StatusOr<Deployment> SharedDeploymentFromJson(const boost::json::object& o) {
  Deployment d;
  boost::json::object content = o;
  {
    JsonObjectReader r(o);
    JISR_ASSIGN_OR_RETURN(d.id, IdMember(r, "id"));
    JISR_ASSIGN_OR_RETURN(d.event_id, IdMember(r, "event_id"));
    JISR_ASSIGN_OR_RETURN(d.version, VersionMember(r));
  }
  for (const char* k : {"id", "event_id", "version"}) content.erase(k);
  JISR_ASSIGN_OR_RETURN(DeploymentContent c, DeploymentContentFromJson(content, ""));
  d.agency = std::move(c.agency);
  d.officer_name = std::move(c.officer_name);
  d.role = std::move(c.role);
  d.venue = std::move(c.venue);
  d.starts_at = c.starts_at;
  d.ends_at = c.ends_at;
  d.contact = std::move(c.contact);
  return d;
}

// ---- campaigns ------------------------------------------------------------------

std::string_view DecisionName(Decision d) {
  const size_t i = static_cast<size_t>(d);
  return i < kDecisionNames.size() ? kDecisionNames[i] : "unknown";
}
std::optional<Decision> DecisionFromName(std::string_view name) {
  std::optional<size_t> i = IndexOf(kDecisionNames, name);
  if (!i) return std::nullopt;
  return static_cast<Decision>(*i);
}
std::span<const std::string_view> DecisionNames() { return kDecisionNames; }
std::optional<Decision> DecisionFromVerb(std::string_view verb) {
  if (verb == "clear") return Decision::kCleared;
  if (verb == "refer") return Decision::kReferred;
  if (verb == "refuse") return Decision::kRefused;
  return std::nullopt;
}

boost::json::object CampaignToJson(const Campaign& c) {
  const CampaignCounts& n = c.counts;
  const bool screened = n.screened >= n.total;
  std::string_view state = c.uploading   ? "uploading"
                           : !screened   ? "screening"
                           : n.pending > 0 ? "reviewing"
                                           : "complete";
  return boost::json::object{
      {"id", c.id},
      {"event_id", c.event_id},
      {"name", c.name},
      {"job_id", c.job_id},
      {"purpose", c.purpose},
      {"created_by", c.created_by},
      {"created_at", FormatRfc3339(c.created_at)},
      {"finished_at", c.finished_at ? boost::json::value(FormatRfc3339(*c.finished_at))
                                    : boost::json::value(nullptr)},
      {"state", state},
      {"upload_expires_at", c.uploading && c.upload_expires_at
                                ? boost::json::value(FormatRfc3339(*c.upload_expires_at))
                                : boost::json::value(nullptr)},
      {"progress", c.uploading ? 0.0 : n.total > 0 ? static_cast<double>(n.screened) / static_cast<double>(n.total)
                               : 1.0},
      {"counts", boost::json::object{{"total", n.total},
                                     {"screened", n.screened},
                                     {"matched", n.matched},
                                     {"pending", n.pending},
                                     {"cleared", n.cleared},
                                     {"referred", n.referred},
                                     {"refused", n.refused}}}};
}

boost::json::object ApplicantToJson(const Applicant& a) {
  return boost::json::object{
      {"campaign_id", a.campaign_id},
      {"item", a.item},
      {"input_id", a.input_id},
      {"input_name", a.input_name},
      {"alert_id", a.alert_id},
      {"score", a.score},
      {"matches", a.matches},
      {"decision", DecisionName(a.decision)},
      {"reviewer", a.reviewer},
      {"reason", a.reason},
      {"decided_at", a.decided_at ? boost::json::value(FormatRfc3339(*a.decided_at))
                                  : boost::json::value(nullptr)}};
}

}  // namespace jisr::events
