// The records of training/: training programmes and their sessions (owned
// by the provider agency, shared read-only with the programme's partners),
// enrolments of participants per agency (two writers: the participant's
// agency writes the participant, the provider the outcome: confirmed or
// refused, attendance, completion) and the technical-assistance catalogue
// each agency offers its partners. Their validation and JSON form (the same
// form is answered by the API, stored in `body` and sent to partners).
//
// Thread-safety: value types and pure functions; safe from any thread.
#ifndef JISR_TRAINING_TRAINING_H_
#define JISR_TRAINING_TRAINING_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jisr::training {

inline constexpr size_t kMaxTitleBytes = 200;
inline constexpr size_t kMaxTextBytes = 20000;
inline constexpr size_t kMaxShortBytes = 500;
inline constexpr size_t kMaxAgencies = 100;
inline constexpr int64_t kMaxCapacity = 10000;
inline constexpr int64_t kMaxPageSize = 200;

// The names each enumerated member accepts.
std::span<const std::string_view> TopicNames();         // organised_crime, ..., other
std::span<const std::string_view> LanguageNames();      // ar|fr|en|es|pt
std::span<const std::string_view> SessionStateNames();  // planned|open|closed|held|cancelled
std::span<const std::string_view> DomainNames();        // forensics, ..., other
// pending (not yet answered by the provider)|confirmed|refused|withdrawn
std::span<const std::string_view> EnrolmentStatusNames();
std::span<const std::string_view> CompletionNames();    // completed|not_completed

// How a JSON object is read: a creation (no id, owner or version), an
// update (the editable members and the `version` the caller saw), or a copy
// that crossed from a partner (everything, with id, owner and version).
enum class JsonForm { kCreate, kUpdate, kShared };

struct Programme {
  std::string id;
  std::string owner;  // the provider agency
  std::string title;
  std::string topic;  // TopicNames()
  std::string description;
  std::vector<std::string> languages;   // LanguageNames(), at least one
  std::vector<std::string> share_with;  // partner agencies (never the owner)
  int64_t version = 0;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time updated_at = absl::UnixEpoch();
  std::string envelope_id;  // local: the partner's latest envelope
};

struct Session {
  std::string id;
  std::string programme_id;
  std::string owner;  // the programme's owner
  absl::Time starts_at = absl::UnixEpoch();
  absl::Time ends_at = absl::UnixEpoch();
  std::string place;
  int64_t capacity = 0;  // > 0, participants of every agency together
  std::string state = "planned";  // SessionStateNames()
  int64_t version = 0;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time updated_at = absl::UnixEpoch();
  std::string envelope_id;
};

// Personal data: read only with a purpose, audited.
struct Participant {
  std::string name;
  std::string rank;
  std::string unit;
  std::string email;
  bool operator==(const Participant&) const = default;
};

struct Enrolment {
  std::string id;
  std::string session_id;
  std::string programme_id;
  std::string provider;  // the session's owner
  std::string agency;    // the participant's agency: owns the participant part
  absl::Time session_starts_at = absl::UnixEpoch();
  Participant participant;
  bool withdrawn = false;
  int64_t version = 0;  // the agency's part
  // The provider's part.
  std::string status = "pending";  // EnrolmentStatusNames()
  std::string status_reason;       // "session_full", "session_not_open", ...
  std::optional<bool> attended;
  std::string completion;          // "" | completed | not_completed
  std::string certificate_number;
  int64_t record_version = 0;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time updated_at = absl::UnixEpoch();
  std::string envelope_id;
};

struct CatalogueItem {
  std::string id;
  std::string owner;  // the agency offering it
  std::string domain;  // DomainNames()
  std::string title;
  std::string description;
  std::string contact_unit;
  std::vector<std::string> languages;
  std::vector<std::string> share_with;
  bool active = true;
  int64_t version = 0;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time updated_at = absl::UnixEpoch();
  std::string envelope_id;
};

// What the provider records for one participant.
struct Outcome {
  std::optional<bool> attended;
  std::string completion;  // "" | completed | not_completed
  std::string certificate_number;
};

// Returns OK for an agency code such as FR-DGPN; InvalidField(`field`) else.
absl::Status ValidateAgencyCode(std::string_view code, std::string_view field);

// Parse `o` in `form`. Every error is InvalidArgument naming the member at
// fault ("languages[1]"); unknown members are refused. Shared forms are
// also checked with Validate* below.
absl::StatusOr<Programme> ProgrammeFromJson(const boost::json::object& o, JsonForm form);
absl::StatusOr<Session> SessionFromJson(const boost::json::object& o, JsonForm form);
absl::StatusOr<CatalogueItem> CatalogueItemFromJson(const boost::json::object& o,
                                                    JsonForm form);
// The body of POST .../enrolments: {name, rank?, unit?, email?}.
absl::StatusOr<Participant> ParticipantFromJson(const boost::json::object& o,
                                                std::string_view prefix = "");
// The body of POST .../record: {attended?, completion?, certificate_number?}.
absl::StatusOr<Outcome> OutcomeFromJson(const boost::json::object& o);

// Cross-member checks. InvalidField naming the member at fault.
absl::Status ValidateProgramme(const Programme& p);
absl::Status ValidateSession(const Session& s);
absl::Status ValidateCatalogueItem(const CatalogueItem& c);
absl::Status ValidateOutcome(const Outcome& o);

// The JSON form of each record (local columns left out).
boost::json::object ProgrammeToJson(const Programme& p);
boost::json::object SessionToJson(const Session& s);
boost::json::object CatalogueItemToJson(const CatalogueItem& c);
// The whole enrolment (both parts), as the API answers it.
boost::json::object EnrolmentToJson(const Enrolment& e);
// What crosses from the agency to the provider: {id, session_id,
// programme_id, provider, agency, session_starts_at, participant, withdrawn}.
boost::json::object EnrolmentRequestToJson(const Enrolment& e);
// What crosses back from the provider: {id, session_id, provider, agency,
// status, status_reason, attended, completion, certificate_number}.
boost::json::object EnrolmentRecordToJson(const Enrolment& e);

// The parsed forms of the two crossing bodies (every member checked).
absl::StatusOr<Enrolment> EnrolmentRequestFromJson(const boost::json::object& o);
absl::StatusOr<Enrolment> EnrolmentRecordFromJson(const boost::json::object& o);

}  // namespace jisr::training

#endif  // JISR_TRAINING_TRAINING_H_
