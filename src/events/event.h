// The records of events/ (major events such as AFCON 2025 or the 2030 World
// Cup): the event with its venues, host and partner agencies; a liaison
// officer's deployment; an incident of the event's log; an accreditation
// screening campaign and the review of one applicant with a match. Their
// JSON forms (API and federation bodies) and the checks of what a user (or
// a partner's node) sends. Errors name the JSON member at fault.
//
// Thread-safety: value types and pure functions.
#ifndef JISR_EVENTS_EVENT_H_
#define JISR_EVENTS_EVENT_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace jisr::events {

inline constexpr size_t kMaxVenues = 200;
inline constexpr size_t kMaxPartners = 50;
inline constexpr size_t kMaxLinks = 50;  // linked alerts, persons
inline constexpr int64_t kMaxPageSize = 500;

struct Venue {
  std::string code;  // unique in the event, [A-Za-z0-9_-]{1,32}, e.g. "RBT-STADIUM"
  std::string name;  // e.g. "Prince Moulay Abdellah Stadium"
  std::string city;

  bool operator==(const Venue&) const = default;
};

struct Event {
  std::string id;
  std::string host;  // the owning agency
  std::string name;
  absl::CivilDay starts_on;
  absl::CivilDay ends_on;
  std::vector<Venue> venues;
  std::vector<std::string> partners;  // agency codes, sorted, without host
  std::string description;
  int64_t version = 1;
  std::string created_by;
  absl::Time created_at;
  absl::Time updated_at;
  std::optional<std::string> envelope_id;  // a copy: the envelope that brought it

  // True when `agency` is the host or a partner.
  bool Involves(std::string_view agency) const;
  // True when `code` names one of the venues.
  bool HasVenue(std::string_view code) const;
};

// What a user sends to create an event (the host is this node's agency).
struct EventContent {
  std::string name;
  absl::CivilDay starts_on;
  absl::CivilDay ends_on;
  std::vector<Venue> venues;
  std::vector<std::string> partners;
  std::string description;
};

// Reads {name, starts_on, ends_on, venues: [{code, name, city}], partners,
// description?}. Errors: InvalidArgument naming the member ("venues[1].code",
// "partners[0]", "ends_on" before starts_on, a partner equal to `host`, a
// duplicate venue code or partner, unknown members).
absl::StatusOr<EventContent> EventContentFromJson(const boost::json::object& o,
                                                  std::string_view host);

// {id, host, name, starts_on, ends_on, venues, partners, description,
// version, created_by, created_at, updated_at, copy}.
boost::json::object EventToJson(const Event& e);
// The federation body: the event without created_by/envelope_id.
boost::json::object SharedEventJson(const Event& e);
// Reads a federation body (checks as EventContentFromJson, plus id, host,
// version). Errors: InvalidArgument naming the member.
absl::StatusOr<Event> SharedEventFromJson(const boost::json::object& o);

// ---- incidents --------------------------------------------------------------

enum class Severity : uint8_t { kLow, kMedium, kHigh, kCritical };
std::string_view SeverityName(Severity s);  // low, medium, high, critical
std::optional<Severity> SeverityFromName(std::string_view name);
std::span<const std::string_view> SeverityNames();

// public_order, violence, terrorism_threat, suspicious_item, wanted_person,
// crowd_safety, ticket_fraud, cyber, medical, other.
std::span<const std::string_view> IncidentTypeNames();

struct Incident {
  std::string id;
  std::string event_id;
  std::string owner;  // agency that logged it
  absl::Time occurred_at;
  std::string venue;  // a venue code of the event
  std::string type;   // one of IncidentTypeNames()
  Severity severity = Severity::kLow;
  std::string description;
  std::vector<std::string> alert_ids;  // UUIDs of linked alerts
  std::vector<std::string> persons;    // names or references of persons
  int64_t version = 1;
  std::string reported_by;  // display name of the user at the owner
  absl::Time created_at;    // stored here
  std::optional<std::string> envelope_id;
};

struct IncidentContent {
  absl::Time occurred_at;
  std::string venue;
  std::string type;
  Severity severity = Severity::kLow;
  std::string description;
  std::vector<std::string> alert_ids;
  std::vector<std::string> persons;
};

// Reads {occurred_at (RFC 3339), venue, type, severity, description,
// alert_ids?, persons?}. Errors: InvalidArgument naming the member.
absl::StatusOr<IncidentContent> IncidentContentFromJson(
    const boost::json::object& o);
// {id, event_id, owner, occurred_at, venue, type, severity, description,
// alert_ids, persons, version, reported_by, created_at, copy}.
boost::json::object IncidentToJson(const Incident& i);
boost::json::object SharedIncidentJson(const Incident& i);
absl::StatusOr<Incident> SharedIncidentFromJson(const boost::json::object& o);

// ---- liaison-officer deployments ------------------------------------------

struct Deployment {
  std::string id;
  std::string event_id;
  std::string agency;  // the officer's agency (owner of the record)
  std::string officer_name;
  std::string role;  // e.g. "liaison officer, police cooperation centre"
  std::string venue;
  absl::Time starts_at;
  absl::Time ends_at;
  std::string contact;  // e.g. a radio channel or an office phone
  int64_t version = 1;
  std::string created_by;
  absl::Time created_at;
  std::optional<std::string> envelope_id;
};

struct DeploymentContent {
  std::string agency;  // default this node's agency
  std::string officer_name;
  std::string role;
  std::string venue;
  absl::Time starts_at;
  absl::Time ends_at;
  std::string contact;
};

// Reads {officer_name, agency?, role?, venue, starts_at, ends_at, contact?};
// `agency` defaults to `default_agency`. Errors: InvalidArgument naming the
// member (ends_at before starts_at names "ends_at").
absl::StatusOr<DeploymentContent> DeploymentContentFromJson(
    const boost::json::object& o, std::string_view default_agency);
boost::json::object DeploymentToJson(const Deployment& d);
boost::json::object SharedDeploymentJson(const Deployment& d);
absl::StatusOr<Deployment> SharedDeploymentFromJson(
    const boost::json::object& o);

// ---- accreditation screening campaigns ------------------------------------

enum class Decision : uint8_t { kPending, kCleared, kReferred, kRefused };
std::string_view DecisionName(Decision d);  // pending, cleared, referred, refused
std::optional<Decision> DecisionFromName(std::string_view name);
std::span<const std::string_view> DecisionNames();
// The verbs of a review: "clear", "refer", "refuse" -> the decision.
std::optional<Decision> DecisionFromVerb(std::string_view verb);

struct CampaignCounts {
  int64_t total = 0;     // applicants uploaded
  int64_t screened = 0;  // screened so far
  int64_t matched = 0;   // screened with at least one match
  int64_t pending = 0;   // matched, not yet reviewed
  int64_t cleared = 0;
  int64_t referred = 0;
  int64_t refused = 0;
};

struct Campaign {
  std::string id;
  std::string event_id;
  std::string name;
  std::string job_id;
  std::string purpose;
  std::string created_by;
  absl::Time created_at;
  std::optional<absl::Time> finished_at;
  bool uploading = false;  // applicants being added in parts (not started)
  // While uploading: deleted with its applicants when no part arrives and
  // it is not started before then (ScreeningJobService::ExpireStaged).
  std::optional<absl::Time> upload_expires_at;
  CampaignCounts counts;
};

// {id, event_id, name, job_id, purpose, created_by, created_at, state
// (uploading|screening|reviewing|complete), finished_at, upload_expires_at (null
// unless uploading), progress (0..1), counts: {total, screened, matched, pending,
// cleared, referred, refused}}.
boost::json::object CampaignToJson(const Campaign& c);

struct Applicant {
  std::string campaign_id;
  int64_t item = 0;
  std::string input_id;
  std::string input_name;
  std::string alert_id;
  double score = 0.0;
  int64_t matches = 0;
  Decision decision = Decision::kPending;
  std::string reviewer;
  std::string reason;
  std::optional<absl::Time> decided_at;
};

// {campaign_id, item, input_id, input_name, alert_id, score, matches,
// decision, reviewer, reason, decided_at}.
boost::json::object ApplicantToJson(const Applicant& a);

// ---- shared checks ----------------------------------------------------------

// OK for an agency code such as FR-DGPN; InvalidArgument naming `field`.
absl::Status CheckAgencyCode(std::string_view code, std::string_view field);
// OK for clean UTF-8 text of 1..max_bytes bytes (newlines allowed when
// `multiline`); InvalidArgument naming `field`.
absl::Status CheckText(std::string_view text, std::string_view field,
                       size_t max_bytes, bool multiline = false);

// "YYYY-MM-DD".
std::string FormatDay(absl::CivilDay d);

}  // namespace jisr::events

#endif  // JISR_EVENTS_EVENT_H_
