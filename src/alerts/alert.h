// The wanted-person alert: what it holds (modelled on Schengen SIS alerts and
// INTERPOL notices), the vocabularies of its coded fields, its validation and
// its JSON form in the API.
//
// An alert is an AlertContent (what an officer writes: category, the
// subject's identity, offence, warrant, action to take, warnings, handling
// code, sharing list) plus the state the service keeps (id, owner agency,
// status, version, review date, who did what and when).
//
// Thread-safety: plain values and pure functions; safe from any thread.
#ifndef JISR_ALERTS_ALERT_H_
#define JISR_ALERTS_ALERT_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "federation/store.h"
#include "screening/person.h"

namespace jisr::alerts {

// ---- vocabularies ----------------------------------------------------------

enum class Category : uint8_t {
  kArrestExtradition,  // arrest for surrender or extradition (needs a warrant)
  kDiscreetCheck,      // discreet check: report, do not alert the person
  kSpecificCheck,      // specific check: search person and belongings
  kInquiryCheck,       // inquiry check: interview the person
  kLocate,             // locate / identify (e.g. for a judicial procedure)
  kMissingPerson,      // missing person (protection)
  kWitness,            // wanted as a witness
};
// "arrest_extradition", "discreet_check", "specific_check", "inquiry_check",
// "locate", "missing_person", "witness".
std::string_view CategoryName(Category c);
std::optional<Category> CategoryFromName(std::string_view name);
std::span<const std::string_view> CategoryNames();

enum class AlertStatus : uint8_t {
  kDraft,
  kActive,
  kSuspended,
  kWithdrawn,
  kExecuted,
  kExpired
};
// "draft", "active", "suspended", "withdrawn", "executed", "expired".
std::string_view StatusName(AlertStatus s);
std::optional<AlertStatus> StatusFromName(std::string_view name);
std::span<const std::string_view> StatusNames();
// True for withdrawn, executed and expired: nothing may change any more.
bool IsTerminal(AlertStatus s);

enum class NameKind : uint8_t { kPrimary, kAlias, kBirth, kPrevious };
// "primary", "alias", "birth", "previous".
std::string_view NameKindName(NameKind k);
std::span<const std::string_view> NameKindNames();

enum class Gender : uint8_t { kUnknown, kMale, kFemale, kOther };
// "unknown", "male", "female", "other".
std::string_view GenderName(Gender g);
std::span<const std::string_view> GenderNames();

enum class DocumentType : uint8_t {
  kPassport,
  kIdCard,
  kResidencePermit,
  kDrivingLicence,
  kVisa,
  kTravelDocument,
  kOther,
};
// "passport", "id_card", "residence_permit", "driving_licence", "visa",
// "travel_document", "other".
std::string_view DocumentTypeName(DocumentType t);
std::span<const std::string_view> DocumentTypeNames();

enum class WarningFlag : uint8_t {
  kArmed,
  kViolent,
  kEscapeRisk,
  kSuicideRisk,
  kPublicHealth,
  kTerrorism,
};
// "armed", "violent", "escape_risk", "suicide_risk", "public_health",
// "terrorism".
std::string_view WarningName(WarningFlag w);
std::span<const std::string_view> WarningNames();

// Handling codes (who may see the information, as in SIENA): H0 no
// restriction ... H3 restricted to the named recipients.
enum class HandlingCode : uint8_t { kH0, kH1, kH2, kH3 };
// "H0", "H1", "H2", "H3".
std::string_view HandlingCodeName(HandlingCode h);
std::span<const std::string_view> HandlingCodeNames();

// ---- the alert -------------------------------------------------------------

// One name of the subject, in any script.
struct AlertName {
  std::string
      full;  // as written, e.g. "Karim Testaoui" or "كريم تستاوي"; required
  std::string given;   // optional
  std::string family;  // optional
  NameKind kind = NameKind::kPrimary;

  bool operator==(const AlertName&) const = default;
};

// An identity or travel document of the subject.
struct Document {
  DocumentType type = DocumentType::kPassport;
  std::string number;   // as written; required
  std::string country;  // ISO 3166-1 alpha-2 of the issuer; "" when unknown
  std::optional<absl::CivilDay> expires_on;  // optional

  bool operator==(const Document&) const = default;
};

// The judicial decision behind an arrest alert.
struct Warrant {
  std::string reference;     // required
  std::string authority;     // the issuing judicial authority; required
  absl::CivilDay issued_on;  // required; not in the future

  bool operator==(const Warrant&) const = default;
};

// What an officer writes. Every field is validated by ValidateContent.
struct AlertContent {
  Category category = Category::kLocate;
  // At least one; exactly one of kind primary (the first one by convention).
  std::vector<AlertName> names;
  std::optional<screening::PartialDate>
      birth_date;  // YYYY, YYYY-MM or YYYY-MM-DD
  std::string birth_place;
  std::vector<std::string>
      nationalities;  // ISO 3166-1 alpha-2, upper case, no repeats
  Gender gender = Gender::kUnknown;
  std::vector<Document> documents;
  std::vector<std::string> distinguishing_marks;
  std::string offence;                // required for arrest_extradition
  std::optional<Warrant> warrant;     // required for arrest_extradition
  std::string action;                 // the action to take on a hit; required
  std::vector<WarningFlag> warnings;  // no repeats, in vocabulary order
  HandlingCode handling_code = HandlingCode::kH1;
  std::vector<std::string> share_with;  // partner agency codes, e.g. "FR-DGPN"

  bool operator==(const AlertContent&) const = default;

  // The primary name's full text ("" when there is none).
  const std::string& PrimaryName() const;
};

// The execution of an arrest alert (or the finding of a located person).
struct Execution {
  absl::CivilDay date;
  std::string place;

  bool operator==(const Execution&) const = default;
};

// An alert as stored.
struct Alert {
  std::string id;     // UUIDv7
  std::string owner;  // the owning agency's code, e.g. "MA-DGSN"
  // Where an imported alert came from, e.g. "interpol:2025/12345"; nullopt
  // for alerts written here. Unique per owner.
  std::optional<std::string> source;
  AlertStatus status = AlertStatus::kDraft;
  int64_t version = 1;  // incremented on every change
  AlertContent content;
  std::optional<absl::Time> review_at;  // set on activation
  std::optional<absl::Time>
      review_warned_at;    // when the review warning was given
  std::string created_by;  // audit actor of the author
  absl::Time created_at;
  std::string updated_by;  // audit actor of the last content change
  absl::Time updated_at;   // last change of any kind
  std::optional<std::string> activated_by;
  std::optional<absl::Time> activated_at;
  std::string status_reason;  // why suspended / withdrawn / expired
  std::optional<Execution> execution;
  // For a partner's copy, the envelope that brought this version (set by
  // AlertService::Get; see alerts/alert_sharing.h).
  std::optional<federation::Provenance> provenance;

  bool operator==(const Alert&) const = default;
};

// ---- validation ------------------------------------------------------------

// Limits (bytes of UTF-8).
inline constexpr size_t kMaxNames = 50;
inline constexpr size_t kMaxNameBytes = 300;
inline constexpr size_t kMaxDocuments = 20;
inline constexpr size_t kMaxDocumentNumberBytes = 64;
inline constexpr size_t kMaxNationalities = 10;
inline constexpr size_t kMaxMarks = 20;
inline constexpr size_t kMaxShortTextBytes =
    500;  // birth_place, marks, warrant fields
inline constexpr size_t kMaxLongTextBytes = 4000;  // offence, action, reasons
inline constexpr size_t kMaxShareWith = 50;

// Returns OK when `content` is a valid alert on day `today` (UTC), or
// InvalidArgument naming the first field at fault (FieldOf gives e.g.
// "names[0].full", "documents[1].country", "warrant"): empty or over-long
// texts, text that is not UTF-8 or holds control characters (newlines are
// allowed in offence and action), a name without letters, not exactly one
// primary name, unknown country codes, repeated nationalities or warnings, a
// warrant issued in the future, a missing warrant or offence on an
// arrest_extradition alert, a bad agency code in share_with.
absl::Status ValidateContent(const AlertContent& content, absl::CivilDay today);

// Returns OK when `code` is an agency code: an ISO 3166-1 alpha-2 country,
// '-', then 2..16 of [A-Z0-9] ("MA-DGSN"); InvalidField(field) otherwise.
absl::Status ValidateAgencyCode(std::string_view code, std::string_view field);

// Returns OK when `text` is a free-text reason, justification or place: not
// blank, at most `max_bytes`, clean UTF-8 (newlines allowed);
// InvalidField(field) otherwise.
absl::Status ValidateFreeText(std::string_view text, std::string_view field,
                              size_t max_bytes);

// Parses "YYYY-MM-DD" (a real calendar day, years 1800..2200).
// InvalidField(field) otherwise.
absl::StatusOr<absl::CivilDay> ParseDay(std::string_view text,
                                        std::string_view field);
// "YYYY-MM-DD".
std::string FormatDay(absl::CivilDay day);
// The UTC calendar day of `t`.
absl::CivilDay UtcDay(absl::Time t);

// Returns true when `text` holds at least one letter (any script).
bool HasLetter(std::string_view text);

// ---- JSON ------------------------------------------------------------------

// Reads a whole alert content from the API's JSON object (the members of
// AlertContentToJson; unknown members are refused unless listed in
// `also_allowed`, e.g. "version"). `kind` of a name defaults to "primary" for
// the first name and "alias" for the others; strings are trimmed of
// surrounding spaces; nationalities and country codes are upper-cased.
// Returns InvalidArgument naming the field for wrong types, unknown members,
// unknown vocabulary and malformed dates. (Rules needing the whole content
// are checked by ValidateContent.)
absl::StatusOr<AlertContent> AlertContentFromJson(
    const boost::json::object& json,
    std::span<const std::string_view> also_allowed = {});

// Applies a partial update (the members present in `patch` replace the
// corresponding fields of `content`; null clears an optional field) and
// returns the names of the fields changed, in AlertContentToJson order.
// Unknown members (other than `also_allowed`) are refused. Errors as
// AlertContentFromJson.
absl::StatusOr<std::vector<std::string>> ApplyPatch(
    const boost::json::object& patch, AlertContent& content,
    std::span<const std::string_view> also_allowed = {});

// The content as JSON: category, names [{full, given, family, kind}],
// birth_date (or null), birth_place, nationalities, gender, documents [{type,
// number, country, expires_on (or null)}], distinguishing_marks, offence,
// warrant ({reference, authority, issued_on} or null), action, warnings,
// handling_code, share_with.
boost::json::object AlertContentToJson(const AlertContent& content);

// The whole alert: id, owner, source, status, version, the content members,
// review_at, review_warned_at, created_by, created_at, updated_by,
// updated_at, activated_by, activated_at, status_reason, execution ({date,
// place} or null), and provenance ({envelope_id, sender, signature, body_hash,
// sent_at, received_at}) when set. Times are RFC 3339; absent values are null.
boost::json::object AlertToJson(const Alert& alert);

// The names of the content fields whose values differ, in
// AlertContentToJson order.
std::vector<std::string> ChangedFields(const AlertContent& before,
                                       const AlertContent& after);

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_ALERT_H_
