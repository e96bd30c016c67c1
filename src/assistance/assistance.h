// Mutual-assistance requests between agencies: the model, its vocabularies,
// the state machine, validation and JSON.
//
// A request is written by an officer of the REQUESTER agency and addressed
// to one REQUESTED agency (a registered partner). Both nodes keep a copy and
// both see the same states:
//
//   submitted --receive (automatic, at the requested node)--> received
//   received | clarified --start--> in_progress
//   received | in_progress | clarified --answer--> answered
//   received | in_progress | clarified --refuse (reason)--> refused
//   received | in_progress | clarified --request_clarification-->
//       clarification_requested
//   clarification_requested --clarify--> clarified
//   any state but closed --close--> closed  (the requester only)
//
// Each step is a "transition" made by one party: the requester submits,
// clarifies and closes; the requested agency receives, starts, answers,
// refuses and asks for clarification. In every state but `closed` only one
// party may move (the requested agency until it answers, refuses or asks a
// question; then the requester), except `close`, which the requester may do
// at any time (a withdrawal when the request is still open). Every transition
// adds one entry to the request's history (version, agency, transition,
// time, note) and raises the version by one; closed is absorbing, so a
// transition of the requested agency that crossed the requester's close is
// kept in the history but does not reopen the request (see
// DeriveState and docs/assistance.md).
//
// Thread-safety: values and pure functions.
#ifndef JISR_ASSISTANCE_ASSISTANCE_H_
#define JISR_ASSISTANCE_ASSISTANCE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "federation/store.h"

namespace jisr::assistance {

// ---- vocabularies
// ------------------------------------------------------------

enum class RequestType : uint8_t {
  kInformation,
  kOperationalAction,
  kTechnicalAssistance,
  kTraining,
  kHitFollowUp,
};
// "information", "operational_action", "technical_assistance", "training",
// "hit_follow_up".
std::string_view TypeName(RequestType t);
std::optional<RequestType> TypeFromName(std::string_view name);
std::span<const std::string_view> TypeNames();

enum class Urgency : uint8_t { kUrgent, kNormal };
// "urgent", "normal".
std::string_view UrgencyName(Urgency u);
std::optional<Urgency> UrgencyFromName(std::string_view name);
std::span<const std::string_view> UrgencyNames();

enum class RequestState : uint8_t {
  kSubmitted,
  kReceived,
  kInProgress,
  kClarificationRequested,
  kClarified,
  kAnswered,
  kRefused,
  kClosed,
};
// "submitted", "received", "in_progress", "clarification_requested",
// "clarified", "answered", "refused", "closed".
std::string_view StateName(RequestState s);
std::optional<RequestState> StateFromName(std::string_view name);
std::span<const std::string_view> StateNames();

// True in the states where the deadline runs (received, in_progress,
// clarified): the requested agency owes a response.
bool DeadlineRuns(RequestState s);
// True in the states where the request is not finished from the
// requester's point of view (every state but answered, refused, closed).
bool IsOpen(RequestState s);

enum class RefusalReason : uint8_t {
  kLegalGrounds,
  kDisproportionate,
  kNotAvailable,
  kOther
};
// "legal_grounds", "disproportionate", "not_available", "other".
std::string_view RefusalReasonName(RefusalReason r);
std::optional<RefusalReason> RefusalReasonFromName(std::string_view name);
std::span<const std::string_view> RefusalReasonNames();

enum class Transition : uint8_t {
  kSubmit,
  kReceive,
  kStart,
  kAnswer,
  kRefuse,
  kRequestClarification,
  kClarify,
  kClose,
};
// "submit", "receive", "start", "answer", "refuse", "request_clarification",
// "clarify", "close".
std::string_view TransitionName(Transition t);
std::optional<Transition> TransitionFromName(std::string_view name);
std::span<const std::string_view> TransitionNames();

enum class Party : uint8_t { kRequester, kRequested };
std::string_view PartyName(Party p);  // "requester", "requested"

// The party that may make transition `t`.
Party PartyOf(Transition t);
// The state a transition leads to.
RequestState TargetState(Transition t);
// True when `t` may be made in state `from` (close: in every state but
// closed; submit: never, it creates the request).
bool IsAllowed(Transition t, RequestState from);

// ---- the request
// -------------------------------------------------------------

// What the requester writes; fixed once submitted (the requester adds to it
// by clarifying).
struct RequestContent {
  std::string requested_agency;  // a registered partner's code, e.g. FR-DGPN
  RequestType type = RequestType::kInformation;
  Urgency urgency = Urgency::kNormal;
  // Whether the information is held in databases the requested agency's
  // single point of contact can consult directly (Directive (EU) 2023/977,
  // Art. 2(6)); sets the deadline of urgent requests.
  bool directly_accessible = false;
  std::string subject;      // required, one line, at most kMaxSubjectBytes
  std::string description;  // required: what is asked
  std::string
      grounds;  // required: why it is needed, why it should be held there
  std::string urgency_reason;  // required when urgent
  std::string case_reference;  // the requester's own file number, optional
  std::optional<std::string> alert_id;  // a linked alert (UUID), optional
  std::optional<std::string> hit_id;    // a linked hit report (UUID), optional
  // technical_assistance only: an item of the requested agency's
  // technical-assistance catalogue (training/), held here as its copy.
  std::optional<std::string> catalogue_item_id;

  bool operator==(const RequestContent&) const = default;
};

// One transition in a request's history.
struct HistoryEntry {
  int64_t version = 0;  // the request's version it produced
  std::string agency;   // the party's agency code
  Transition transition = Transition::kSubmit;
  absl::Time at;  // when it was made, at that agency's node
  // Who made it: the local audit actor ("user:<id>:<name>", "system") for a
  // transition made at this node, "peer:<agency>" for the partner's.
  std::string actor;
  std::string reason;  // refusal reason name (refuse only)
  std::string
      note;  // answer, refusal text, question, clarification, closing note

  bool operator==(const HistoryEntry&) const = default;
};

struct AssistanceRequest {
  std::string id;         // UUIDv7, made by the requester's node
  std::string requester;  // agency codes
  std::string requested;
  RequestContent content;  // content.requested_agency == requested
  RequestState state = RequestState::kSubmitted;
  int64_t version = 1;
  absl::Time submitted_at;  // at the requester's node

  // Set by the requested agency.
  std::optional<absl::Time> received_at;  // starts the deadline
  std::string clarification_question;     // the latest question
  std::optional<absl::Time> clarification_requested_at;
  std::string answer;
  std::optional<absl::Time> answered_at;
  std::optional<RefusalReason> refusal_reason;
  std::string refusal_text;
  std::optional<absl::Time> refused_at;

  // Set by the requester.
  std::string clarification;  // the latest clarification
  std::optional<absl::Time> clarified_at;
  // Time the deadline was suspended while a clarification was awaited
  // (Directive (EU) 2023/977, Art. 6(3)), counted from when the requester's
  // node received the question until it clarified.
  absl::Duration suspended = absl::ZeroDuration();
  std::string close_note;
  std::optional<absl::Time> closed_at;

  // Derived from received_at, the content and `suspended`
  // (RefreshDeadline); null before receipt.
  std::optional<absl::Time> deadline_at;
  std::optional<absl::Time> warning_at;  // 75 % of the period elapsed

  // Kept by this node only (never crosses).
  std::optional<absl::Time> suspended_since;  // requester: question received
  std::string created_by;                     // local actor, or "peer:<agency>"
  absl::Time created_at;                      // when the row was made here
  absl::Time updated_at;
  std::optional<absl::Time> warned_at;   // the 75 % reminder was given
  std::optional<absl::Time> overdue_at;  // flagged overdue
  std::string envelope_id;  // the envelope of the partner's latest change

  std::vector<HistoryEntry> history;  // by version (filled by reads that ask)
  std::optional<federation::Provenance>
      provenance;  // Get only, when envelope_id is set

  bool operator==(const AssistanceRequest&) const = default;
};

// When a response came (answered_at or refused_at), or nullopt.
std::optional<absl::Time> RespondedAt(const AssistanceRequest& r);

// Sets deadline_at and warning_at from received_at, the urgency, the
// accessibility and `suspended` (deadline.h); clears them before receipt.
void RefreshDeadline(AssistanceRequest& r);

// ---- validation
// ----------------------------------------------------------------

inline constexpr size_t kMaxSubjectBytes = 300;
inline constexpr size_t kMaxTextBytes =
    16000;  // description, grounds, answer, ...
inline constexpr size_t kMaxReasonBytes = 2000;  // urgency_reason, close note
inline constexpr size_t kMaxCaseReferenceBytes = 100;
// Questions the requested agency may ask on one request. The only cycle of
// the state machine goes through a question, so this bounds the history:
// submit, receive, start, a response and close, and per round a question,
// its clarification and a start: at most 5 + 3 * 30 = 95 transitions.
inline constexpr size_t kMaxClarificationRounds = 30;
// Transitions per request accepted from a partner; bounds what crosses (the
// whole history goes with every change) well under
// federation::kMaxBodyBytes.
inline constexpr size_t kMaxHistory = 100;
static_assert(5 + 3 * kMaxClarificationRounds <= kMaxHistory);

// Returns OK when `code` is an agency code: two capital letters, '-', then
// 2..16 of [A-Z0-9] ("MA-DGSN"); InvalidField(field) otherwise.
absl::Status ValidateAgencyCode(std::string_view code, std::string_view field);

// Returns OK when `text` is clean UTF-8 (no control characters; line breaks
// allowed when `multiline`) of at most `max_bytes`, and not blank when
// `required`; InvalidField(field) otherwise.
absl::Status ValidateText(std::string_view text, std::string_view field,
                          size_t max_bytes, bool required, bool multiline);

// Returns OK for content the requester may submit, else InvalidArgument
// naming the member: requested_agency (format), subject, description,
// grounds, urgency_reason (required when urgent), case_reference, alert_id /
// hit_id (UUIDs; a hit_follow_up names at least one, "hit_id").
absl::Status ValidateContent(const RequestContent& content);

// Checks a history as a whole and returns the state it leads to: entries
// unique by (version, agency), at most kMaxHistory; version 1 is the
// requester's submit and the only submit; each transition made by its party
// (PartyOf); at most one close; the other transitions form one chain of
// versions 1, 2, 3, ... each allowed in the state before it; a close at
// version c follows the chain up to c - 1 at least, and only the requested
// agency's transitions (made before it learned of the close) come after it.
// The state is closed when a close is present, else the chain's last state.
// Errors: InvalidArgument (malformed), PermissionDenied (a transition made by
// the wrong party) with the reason.
absl::StatusOr<RequestState> DeriveState(std::span<const HistoryEntry> history,
                                         std::string_view requester,
                                         std::string_view requested);

// ---- JSON
// ----------------------------------------------------------------------

// Reads the body of POST /api/v1/assistance-requests: requested_agency,
// type, urgency, directly_accessible (required when urgent), subject,
// description, grounds, urgency_reason, case_reference, alert_id, hit_id.
// Unknown members are refused. Errors: InvalidArgument naming the member
// (types and vocabularies; ValidateContent checks the rest).
absl::StatusOr<RequestContent> ContentFromJson(const boost::json::object& json);

// {version, agency, transition, at, actor, reason, note} (actor omitted when
// `with_actor` is false: what crosses to the partner).
boost::json::object HistoryEntryToJson(const HistoryEntry& e,
                                       bool with_actor = true);

// The request as the API shows it at node `agency`: every member above,
// times in RFC 3339 (null when unset), `direction` (outgoing when `agency` is
// the requester, else incoming), `deadline` (DeadlineStatusJson at `now`),
// `history` when loaded and `provenance` when set.
boost::json::object RequestToJson(const AssistanceRequest& r,
                                  std::string_view agency, absl::Time now);

// A short form for lists (no texts but the subject; no history).
boost::json::object RequestSummaryJson(const AssistanceRequest& r,
                                       std::string_view agency, absl::Time now);

// {rule, legal_reference, period_seconds, deadline_at, warning_at,
// time_left_seconds, running, paused, warning, overdue, responded_at,
// responded_in_time}: where the request stands against its deadline at
// `now` (deadline.h).
boost::json::object DeadlineStatusJson(const AssistanceRequest& r,
                                       absl::Time now);

// What crosses to the partner: the request without this node's local
// members (created_by, created_at, updated_at, suspended_since, warned_at,
// overdue_at, envelope_id, derived deadline) and with the whole history
// (without local actors).
boost::json::object SharedRequestJson(const AssistanceRequest& r);

// Reads SharedRequestJson's form (from a partner), validates every member
// (texts, vocabularies, agency codes, UUIDs, ValidateContent) and derives the
// deadline. Each history entry's actor becomes "peer:<its agency>"; the
// history is sorted by version. Errors: InvalidArgument naming the member.
absl::StatusOr<AssistanceRequest> SharedRequestFromJson(
    const boost::json::object& json);

}  // namespace jisr::assistance

#endif  // JISR_ASSISTANCE_ASSISTANCE_H_
