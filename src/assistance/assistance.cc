#include "assistance/assistance.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <set>
#include <utility>

#include "assistance/deadline.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "common/utf8.h"

namespace jisr::assistance {
namespace {

constexpr std::array<std::string_view, 5> kTypeNames = {
    "information", "operational_action", "technical_assistance", "training",
    "hit_follow_up"};
constexpr std::array<std::string_view, 2> kUrgencyNames = {"urgent", "normal"};
constexpr std::array<std::string_view, 8> kStateNames = {
    "submitted", "received", "in_progress", "clarification_requested",
    "clarified", "answered", "refused",     "closed"};
constexpr std::array<std::string_view, 4> kRefusalNames = {
    "legal_grounds", "disproportionate", "not_available", "other"};
constexpr std::array<std::string_view, 8> kTransitionNames = {
    "submit",  "receive", "start", "answer", "refuse", "request_clarification",
    "clarify", "close"};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names, E value) {
  const size_t i = static_cast<size_t>(value);
  return i < N ? names[i] : std::string_view("unknown");
}

template <typename E, size_t N>
std::optional<E> FromName(const std::array<std::string_view, N>& names,
                          std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

boost::json::value TimeOrNull(const std::optional<absl::Time>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatRfc3339(*t));
}

boost::json::value TextOrNull(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return boost::json::value(*s);
}

// Reads an optional RFC 3339 member (absent or null: nullopt).
absl::StatusOr<std::optional<absl::Time>> OptionalTime(
    const boost::json::object& json, std::string_view key,
    std::string_view prefix = "") {
  const std::string field = fmt::format("{}{}", prefix, key);
  const boost::json::value* v = json.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<absl::Time>();
  if (!v->is_string() || v->get_string().size() > 64) {
    return InvalidField(field,
                        fmt::format("{} must be an RFC 3339 time", field));
  }
  absl::StatusOr<absl::Time> t = ParseRfc3339(std::string(v->get_string()));
  if (!t.ok())
    return InvalidField(field,
                        fmt::format("{} must be an RFC 3339 time", field));
  return std::optional<absl::Time>(TruncateToMillis(*t));
}

absl::StatusOr<absl::Time> RequiredTime(const boost::json::object& json,
                                        std::string_view key,
                                        std::string_view prefix = "") {
  JISR_ASSIGN_OR_RETURN(std::optional<absl::Time> t,
                        OptionalTime(json, key, prefix));
  if (!t) {
    const std::string field = fmt::format("{}{}", prefix, key);
    return InvalidField(field, fmt::format("{} is required", field));
  }
  return *t;
}

absl::Status CheckUuid(const std::optional<std::string>& id,
                       std::string_view field) {
  if (id && !IsUuid(*id)) {
    return InvalidField(field,
                        fmt::format("{} must be a lower-case UUID", field));
  }
  return absl::OkStatus();
}

// The members of SharedRequestJson.
constexpr std::string_view kSharedMembers[] = {"id",
                                               "requester",
                                               "requested",
                                               "type",
                                               "urgency",
                                               "directly_accessible",
                                               "subject",
                                               "description",
                                               "grounds",
                                               "urgency_reason",
                                               "case_reference",
                                               "alert_id",
                                               "hit_id",
                                               "catalogue_item_id",
                                               "state",
                                               "version",
                                               "submitted_at",
                                               "received_at",
                                               "clarification_question",
                                               "clarification_requested_at",
                                               "answer",
                                               "answered_at",
                                               "refusal_reason",
                                               "refusal_text",
                                               "refused_at",
                                               "clarification",
                                               "clarified_at",
                                               "suspended_ms",
                                               "close_note",
                                               "closed_at",
                                               "history"};

}  // namespace

// ---- vocabularies
// ------------------------------------------------------------

std::string_view TypeName(RequestType t) { return NameOf(kTypeNames, t); }
std::optional<RequestType> TypeFromName(std::string_view n) {
  return FromName<RequestType>(kTypeNames, n);
}
std::span<const std::string_view> TypeNames() { return kTypeNames; }

std::string_view UrgencyName(Urgency u) { return NameOf(kUrgencyNames, u); }
std::optional<Urgency> UrgencyFromName(std::string_view n) {
  return FromName<Urgency>(kUrgencyNames, n);
}
std::span<const std::string_view> UrgencyNames() { return kUrgencyNames; }

std::string_view StateName(RequestState s) { return NameOf(kStateNames, s); }
std::optional<RequestState> StateFromName(std::string_view n) {
  return FromName<RequestState>(kStateNames, n);
}
std::span<const std::string_view> StateNames() { return kStateNames; }

std::string_view RefusalReasonName(RefusalReason r) {
  return NameOf(kRefusalNames, r);
}
std::optional<RefusalReason> RefusalReasonFromName(std::string_view n) {
  return FromName<RefusalReason>(kRefusalNames, n);
}
std::span<const std::string_view> RefusalReasonNames() { return kRefusalNames; }

std::string_view TransitionName(Transition t) {
  return NameOf(kTransitionNames, t);
}
std::optional<Transition> TransitionFromName(std::string_view n) {
  return FromName<Transition>(kTransitionNames, n);
}
std::span<const std::string_view> TransitionNames() { return kTransitionNames; }

std::string_view PartyName(Party p) {
  return p == Party::kRequester ? "requester" : "requested";
}

bool DeadlineRuns(RequestState s) {
  return s == RequestState::kReceived || s == RequestState::kInProgress ||
         s == RequestState::kClarified;
}

bool IsOpen(RequestState s) {
  return s != RequestState::kAnswered && s != RequestState::kRefused &&
         s != RequestState::kClosed;
}

Party PartyOf(Transition t) {
  switch (t) {
    case Transition::kSubmit:
    case Transition::kClarify:
    case Transition::kClose:
      return Party::kRequester;
    case Transition::kReceive:
    case Transition::kStart:
    case Transition::kAnswer:
    case Transition::kRefuse:
    case Transition::kRequestClarification:
      return Party::kRequested;
  }
  return Party::kRequested;
}

RequestState TargetState(Transition t) {
  switch (t) {
    case Transition::kSubmit:
      return RequestState::kSubmitted;
    case Transition::kReceive:
      return RequestState::kReceived;
    case Transition::kStart:
      return RequestState::kInProgress;
    case Transition::kAnswer:
      return RequestState::kAnswered;
    case Transition::kRefuse:
      return RequestState::kRefused;
    case Transition::kRequestClarification:
      return RequestState::kClarificationRequested;
    case Transition::kClarify:
      return RequestState::kClarified;
    case Transition::kClose:
      return RequestState::kClosed;
  }
  return RequestState::kClosed;
}

bool IsAllowed(Transition t, RequestState from) {
  switch (t) {
    case Transition::kSubmit:
      return false;
    case Transition::kReceive:
      return from == RequestState::kSubmitted;
    case Transition::kStart:
      return from == RequestState::kReceived ||
             from == RequestState::kClarified;
    case Transition::kAnswer:
    case Transition::kRefuse:
    case Transition::kRequestClarification:
      return DeadlineRuns(from);
    case Transition::kClarify:
      return from == RequestState::kClarificationRequested;
    case Transition::kClose:
      return from != RequestState::kClosed;
  }
  return false;
}

// ---- the request
// -------------------------------------------------------------

std::optional<absl::Time> RespondedAt(const AssistanceRequest& r) {
  if (r.answered_at) return r.answered_at;
  return r.refused_at;
}

void RefreshDeadline(AssistanceRequest& r) {
  if (!r.received_at) {
    r.deadline_at.reset();
    r.warning_at.reset();
    return;
  }
  r.deadline_at = ComputeDeadline(*r.received_at, r.content.urgency,
                                  r.content.directly_accessible, r.suspended);
  r.warning_at = ComputeWarningTime(*r.received_at, r.content.urgency,
                                    r.content.directly_accessible, r.suspended);
}

// ---- validation
// ----------------------------------------------------------------

absl::Status ValidateAgencyCode(std::string_view code, std::string_view field) {
  bool ok = code.size() >= 5 && code.size() <= 19 && code[2] == '-';
  for (size_t i = 0; ok && i < code.size(); ++i) {
    const char c = code[i];
    if (i == 2) continue;
    ok = (c >= 'A' && c <= 'Z') || (i > 2 && c >= '0' && c <= '9');
  }
  if (!ok) {
    return InvalidField(
        field, fmt::format("{} must be an agency code such as FR-DGPN (two "
                           "capital letters, '-', 2 to 16 of A-Z 0-9)",
                           field));
  }
  return absl::OkStatus();
}

absl::Status ValidateText(std::string_view text, std::string_view field,
                          size_t max_bytes, bool required, bool multiline) {
  if (text.size() > max_bytes) {
    return InvalidField(
        field, fmt::format("{} is longer than {} bytes", field, max_bytes));
  }
  if (!IsCleanUtf8(text, multiline ? Utf8Rule::kNoControlsButNewlines
                                   : Utf8Rule::kNoControls)) {
    return InvalidField(
        field,
        fmt::format("{} must be UTF-8 text without control characters{}", field,
                    multiline ? " (line breaks are allowed)" : ""));
  }
  if (required && Trim(text).empty()) {
    return InvalidField(field, fmt::format("{} is required", field));
  }
  return absl::OkStatus();
}

absl::Status ValidateContent(const RequestContent& c) {
  JISR_RETURN_IF_ERROR(
      ValidateAgencyCode(c.requested_agency, "requested_agency"));
  if (!TypeFromName(TypeName(c.type)))
    return InvalidField("type", "unknown type");
  if (!UrgencyFromName(UrgencyName(c.urgency)))
    return InvalidField("urgency", "unknown urgency");
  JISR_RETURN_IF_ERROR(
      ValidateText(c.subject, "subject", kMaxSubjectBytes, true, false));
  JISR_RETURN_IF_ERROR(
      ValidateText(c.description, "description", kMaxTextBytes, true, true));
  JISR_RETURN_IF_ERROR(
      ValidateText(c.grounds, "grounds", kMaxTextBytes, true, true));
  JISR_RETURN_IF_ERROR(ValidateText(c.urgency_reason, "urgency_reason",
                                    kMaxReasonBytes,
                                    c.urgency == Urgency::kUrgent, true));
  JISR_RETURN_IF_ERROR(ValidateText(c.case_reference, "case_reference",
                                    kMaxCaseReferenceBytes, false, false));
  JISR_RETURN_IF_ERROR(CheckUuid(c.alert_id, "alert_id"));
  JISR_RETURN_IF_ERROR(CheckUuid(c.hit_id, "hit_id"));
  JISR_RETURN_IF_ERROR(CheckUuid(c.catalogue_item_id, "catalogue_item_id"));
  if (c.catalogue_item_id && c.type != RequestType::kTechnicalAssistance) {
    return InvalidField("catalogue_item_id",
                        "catalogue_item_id is given for a technical_assistance "
                        "request only");
  }
  if (c.type == RequestType::kHitFollowUp && !c.hit_id && !c.alert_id) {
    return InvalidField(
        "hit_id",
        "a hit_follow_up request names the hit (hit_id) or at least its alert "
        "(alert_id)");
  }
  return absl::OkStatus();
}

absl::StatusOr<RequestState> DeriveState(std::span<const HistoryEntry> history,
                                         std::string_view requester,
                                         std::string_view requested) {
  if (history.empty())
    return absl::InvalidArgumentError("the history is empty");
  if (history.size() > kMaxHistory) {
    return absl::InvalidArgumentError(
        fmt::format("the history has more than {} transitions", kMaxHistory));
  }
  std::set<std::pair<int64_t, std::string>> keys;
  std::vector<const HistoryEntry*> chain;
  const HistoryEntry* close = nullptr;
  int submits = 0;
  for (const HistoryEntry& e : history) {
    if (e.version < 1)
      return absl::InvalidArgumentError("a history version is below 1");
    if (!keys.emplace(e.version, e.agency).second) {
      return absl::InvalidArgumentError(
          fmt::format("the history has two transitions of {} at version {}",
                      e.agency, e.version));
    }
    const Party party = PartyOf(e.transition);
    const std::string_view expected =
        party == Party::kRequester ? requester : requested;
    if (e.agency != expected) {
      return absl::PermissionDeniedError(fmt::format(
          "{} may not {} this request: only the {} ({}) may", e.agency,
          TransitionName(e.transition), PartyName(party), expected));
    }
    if (e.transition == Transition::kSubmit) ++submits;
    if (e.transition == Transition::kClose) {
      if (close != nullptr)
        return absl::InvalidArgumentError("the request is closed twice");
      close = &e;
    } else {
      chain.push_back(&e);
    }
  }
  if (submits != 1) {
    return absl::InvalidArgumentError(
        "the history must hold exactly one submit");
  }
  std::sort(chain.begin(), chain.end(),
            [](const HistoryEntry* a, const HistoryEntry* b) {
              return a->version < b->version;
            });
  if (chain.empty() || chain[0]->transition != Transition::kSubmit ||
      chain[0]->version != 1) {
    return absl::InvalidArgumentError(
        "version 1 must be the requester's submit");
  }
  RequestState state = RequestState::kSubmitted;
  for (size_t i = 1; i < chain.size(); ++i) {
    const HistoryEntry& e = *chain[i];
    if (e.version != static_cast<int64_t>(i) + 1) {
      return absl::FailedPreconditionError(
          fmt::format("conflicting history: version {} follows version {}",
                      e.version, chain[i - 1]->version));
    }
    if (!IsAllowed(e.transition, state)) {
      return absl::FailedPreconditionError(fmt::format(
          "conflicting history: version {} would {} a request that is {}",
          e.version, TransitionName(e.transition), StateName(state)));
    }
    state = TargetState(e.transition);
  }
  if (close == nullptr) return state;
  const int64_t c = close->version;
  if (c < 2 || c > static_cast<int64_t>(chain.size()) + 1) {
    return absl::FailedPreconditionError(fmt::format(
        "conflicting history: a close at version {} after {} transitions", c,
        chain.size()));
  }
  for (const HistoryEntry* e : chain) {
    if (e->version >= c && e->agency != requested) {
      return absl::FailedPreconditionError(fmt::format(
          "conflicting history: {} made a change after closing the request",
          e->agency));
    }
  }
  return RequestState::kClosed;
}

// ---- JSON
// ----------------------------------------------------------------------

absl::StatusOr<RequestContent> ContentFromJson(
    const boost::json::object& json) {
  JsonObjectReader r(json);
  RequestContent c;
  JISR_ASSIGN_OR_RETURN(c.requested_agency,
                        r.RequiredString("requested_agency", 32));
  c.requested_agency = std::string(Trim(c.requested_agency));
  JISR_ASSIGN_OR_RETURN(const std::string type,
                        r.RequiredEnum("type", TypeNames()));
  c.type = *TypeFromName(type);
  JISR_ASSIGN_OR_RETURN(const std::string urgency,
                        r.RequiredEnum("urgency", UrgencyNames()));
  c.urgency = *UrgencyFromName(urgency);
  JISR_ASSIGN_OR_RETURN(std::optional<bool> direct,
                        r.OptionalBool("directly_accessible"));
  if (!direct && c.urgency == Urgency::kUrgent) {
    return InvalidField("directly_accessible",
                        "directly_accessible (true or false) is required for "
                        "an urgent request: "
                        "it sets the deadline (8 hours or 3 days)");
  }
  c.directly_accessible = direct.value_or(false);
  JISR_ASSIGN_OR_RETURN(c.subject,
                        r.RequiredString("subject", kMaxSubjectBytes));
  c.subject = std::string(Trim(c.subject));
  JISR_ASSIGN_OR_RETURN(c.description,
                        r.RequiredString("description", kMaxTextBytes));
  JISR_ASSIGN_OR_RETURN(c.grounds, r.RequiredString("grounds", kMaxTextBytes));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> reason,
                        r.OptionalString("urgency_reason", kMaxReasonBytes));
  c.urgency_reason = std::string(Trim(reason.value_or("")));
  JISR_ASSIGN_OR_RETURN(
      std::optional<std::string> ref,
      r.OptionalString("case_reference", kMaxCaseReferenceBytes));
  c.case_reference = std::string(Trim(ref.value_or("")));
  JISR_ASSIGN_OR_RETURN(c.alert_id, r.OptionalString("alert_id", 64));
  JISR_ASSIGN_OR_RETURN(c.hit_id, r.OptionalString("hit_id", 64));
  if (c.alert_id && Trim(*c.alert_id).empty()) c.alert_id.reset();
  if (c.hit_id && Trim(*c.hit_id).empty()) c.hit_id.reset();
  JISR_ASSIGN_OR_RETURN(c.catalogue_item_id,
                        r.OptionalString("catalogue_item_id", 64));
  if (c.catalogue_item_id && Trim(*c.catalogue_item_id).empty()) {
    c.catalogue_item_id.reset();
  }
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return c;
}

boost::json::object HistoryEntryToJson(const HistoryEntry& e, bool with_actor) {
  boost::json::object o;
  o["version"] = e.version;
  o["agency"] = e.agency;
  o["transition"] = TransitionName(e.transition);
  o["at"] = FormatRfc3339(e.at);
  if (with_actor) o["actor"] = e.actor;
  o["reason"] = e.reason;
  o["note"] = e.note;
  return o;
}

boost::json::object SharedRequestJson(const AssistanceRequest& r) {
  boost::json::object o;
  o["id"] = r.id;
  o["requester"] = r.requester;
  o["requested"] = r.requested;
  o["type"] = TypeName(r.content.type);
  o["urgency"] = UrgencyName(r.content.urgency);
  o["directly_accessible"] = r.content.directly_accessible;
  o["subject"] = r.content.subject;
  o["description"] = r.content.description;
  o["grounds"] = r.content.grounds;
  o["urgency_reason"] = r.content.urgency_reason;
  o["case_reference"] = r.content.case_reference;
  o["alert_id"] = TextOrNull(r.content.alert_id);
  o["hit_id"] = TextOrNull(r.content.hit_id);
  o["catalogue_item_id"] = TextOrNull(r.content.catalogue_item_id);
  o["state"] = StateName(r.state);
  o["version"] = r.version;
  o["submitted_at"] = FormatRfc3339(r.submitted_at);
  o["received_at"] = TimeOrNull(r.received_at);
  o["clarification_question"] = r.clarification_question;
  o["clarification_requested_at"] = TimeOrNull(r.clarification_requested_at);
  o["answer"] = r.answer;
  o["answered_at"] = TimeOrNull(r.answered_at);
  o["refusal_reason"] =
      r.refusal_reason
          ? boost::json::value(RefusalReasonName(*r.refusal_reason))
          : boost::json::value(nullptr);
  o["refusal_text"] = r.refusal_text;
  o["refused_at"] = TimeOrNull(r.refused_at);
  o["clarification"] = r.clarification;
  o["clarified_at"] = TimeOrNull(r.clarified_at);
  o["suspended_ms"] = absl::ToInt64Milliseconds(r.suspended);
  o["close_note"] = r.close_note;
  o["closed_at"] = TimeOrNull(r.closed_at);
  boost::json::array history;
  for (const HistoryEntry& e : r.history)
    history.push_back(HistoryEntryToJson(e, false));
  o["history"] = std::move(history);
  return o;
}

absl::StatusOr<AssistanceRequest> SharedRequestFromJson(
    const boost::json::object& json) {
  for (const auto& member : json) {
    if (std::find(std::begin(kSharedMembers), std::end(kSharedMembers),
                  member.key()) == std::end(kSharedMembers)) {
      const std::string key(member.key());
      return InvalidField(key, fmt::format("unknown member \"{}\"", key));
    }
  }
  JsonObjectReader r(json);
  for (std::string_view key : kSharedMembers) r.MarkRead(key);
  AssistanceRequest a;
  JISR_ASSIGN_OR_RETURN(a.id, r.RequiredString("id", 64));
  if (!IsUuid(a.id)) return InvalidField("id", "id must be a lower-case UUID");
  JISR_ASSIGN_OR_RETURN(a.requester, r.RequiredString("requester", 32));
  JISR_RETURN_IF_ERROR(ValidateAgencyCode(a.requester, "requester"));
  JISR_ASSIGN_OR_RETURN(a.requested, r.RequiredString("requested", 32));
  JISR_RETURN_IF_ERROR(ValidateAgencyCode(a.requested, "requested"));
  if (a.requester == a.requested) {
    return InvalidField("requested", "the requested agency is the requester");
  }
  RequestContent& c = a.content;
  c.requested_agency = a.requested;
  JISR_ASSIGN_OR_RETURN(const std::string type,
                        r.RequiredEnum("type", TypeNames()));
  c.type = *TypeFromName(type);
  JISR_ASSIGN_OR_RETURN(const std::string urgency,
                        r.RequiredEnum("urgency", UrgencyNames()));
  c.urgency = *UrgencyFromName(urgency);
  JISR_ASSIGN_OR_RETURN(std::optional<bool> direct,
                        r.OptionalBool("directly_accessible"));
  if (!direct)
    return InvalidField("directly_accessible",
                        "directly_accessible is required");
  c.directly_accessible = *direct;
  const auto text = [&](std::string_view key,
                        size_t max) -> absl::StatusOr<std::string> {
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> s,
                          r.OptionalString(key, max));
    return s.value_or("");
  };
  JISR_ASSIGN_OR_RETURN(c.subject, text("subject", kMaxSubjectBytes));
  JISR_ASSIGN_OR_RETURN(c.description, text("description", kMaxTextBytes));
  JISR_ASSIGN_OR_RETURN(c.grounds, text("grounds", kMaxTextBytes));
  JISR_ASSIGN_OR_RETURN(c.urgency_reason,
                        text("urgency_reason", kMaxReasonBytes));
  JISR_ASSIGN_OR_RETURN(c.case_reference,
                        text("case_reference", kMaxCaseReferenceBytes));
  JISR_ASSIGN_OR_RETURN(c.alert_id, r.OptionalString("alert_id", 64));
  JISR_ASSIGN_OR_RETURN(c.hit_id, r.OptionalString("hit_id", 64));
  JISR_ASSIGN_OR_RETURN(c.catalogue_item_id,
                        r.OptionalString("catalogue_item_id", 64));
  JISR_RETURN_IF_ERROR(ValidateContent(c));

  JISR_ASSIGN_OR_RETURN(const std::string state,
                        r.RequiredEnum("state", StateNames()));
  a.state = *StateFromName(state);
  JISR_ASSIGN_OR_RETURN(a.version, r.RequiredInt("version"));
  if (a.version < 1)
    return InvalidField("version", "version must be at least 1");
  JISR_ASSIGN_OR_RETURN(a.submitted_at, RequiredTime(json, "submitted_at"));
  JISR_ASSIGN_OR_RETURN(a.received_at, OptionalTime(json, "received_at"));
  JISR_ASSIGN_OR_RETURN(a.clarification_question,
                        text("clarification_question", kMaxTextBytes));
  JISR_RETURN_IF_ERROR(ValidateText(a.clarification_question,
                                    "clarification_question", kMaxTextBytes,
                                    false, true));
  JISR_ASSIGN_OR_RETURN(a.clarification_requested_at,
                        OptionalTime(json, "clarification_requested_at"));
  JISR_ASSIGN_OR_RETURN(a.answer, text("answer", kMaxTextBytes));
  JISR_RETURN_IF_ERROR(
      ValidateText(a.answer, "answer", kMaxTextBytes, false, true));
  JISR_ASSIGN_OR_RETURN(a.answered_at, OptionalTime(json, "answered_at"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> refusal,
                        r.OptionalEnum("refusal_reason", RefusalReasonNames()));
  if (refusal) a.refusal_reason = RefusalReasonFromName(*refusal);
  JISR_ASSIGN_OR_RETURN(a.refusal_text, text("refusal_text", kMaxTextBytes));
  JISR_RETURN_IF_ERROR(
      ValidateText(a.refusal_text, "refusal_text", kMaxTextBytes, false, true));
  JISR_ASSIGN_OR_RETURN(a.refused_at, OptionalTime(json, "refused_at"));
  JISR_ASSIGN_OR_RETURN(a.clarification, text("clarification", kMaxTextBytes));
  JISR_RETURN_IF_ERROR(ValidateText(a.clarification, "clarification",
                                    kMaxTextBytes, false, true));
  JISR_ASSIGN_OR_RETURN(a.clarified_at, OptionalTime(json, "clarified_at"));
  JISR_ASSIGN_OR_RETURN(const int64_t suspended_ms,
                        r.RequiredInt("suspended_ms"));
  if (suspended_ms < 0 || suspended_ms > int64_t{10} * 365 * 24 * 3600 * 1000) {
    return InvalidField("suspended_ms",
                        "suspended_ms must be from 0 to ten years");
  }
  a.suspended = absl::Milliseconds(suspended_ms);
  JISR_ASSIGN_OR_RETURN(a.close_note, text("close_note", kMaxReasonBytes));
  JISR_RETURN_IF_ERROR(
      ValidateText(a.close_note, "close_note", kMaxReasonBytes, false, true));
  JISR_ASSIGN_OR_RETURN(a.closed_at, OptionalTime(json, "closed_at"));

  const boost::json::value* history = json.if_contains("history");
  if (history == nullptr || !history->is_array()) {
    return InvalidField("history", "history must be an array");
  }
  if (history->get_array().size() > kMaxHistory) {
    return InvalidField(
        "history",
        fmt::format("history has more than {} entries", kMaxHistory));
  }
  size_t i = 0;
  for (const boost::json::value& v : history->get_array()) {
    const std::string prefix = fmt::format("history[{}].", i++);
    if (!v.is_object()) {
      return InvalidField(prefix.substr(0, prefix.size() - 1),
                          "a history entry is an object");
    }
    const boost::json::object& o = v.get_object();
    JsonObjectReader hr(o, prefix);
    HistoryEntry e;
    JISR_ASSIGN_OR_RETURN(e.version, hr.RequiredInt("version"));
    JISR_ASSIGN_OR_RETURN(e.agency, hr.RequiredString("agency", 32));
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(e.agency, prefix + "agency"));
    JISR_ASSIGN_OR_RETURN(const std::string t,
                          hr.RequiredEnum("transition", TransitionNames()));
    e.transition = *TransitionFromName(t);
    JISR_ASSIGN_OR_RETURN(e.at, RequiredTime(o, "at", prefix));
    hr.MarkRead("at");
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> reason,
                          hr.OptionalString("reason", 64));
    e.reason = reason.value_or("");
    if (!e.reason.empty() && !RefusalReasonFromName(e.reason)) {
      return InvalidField(prefix + "reason", "unknown refusal reason");
    }
    JISR_ASSIGN_OR_RETURN(std::optional<std::string> note,
                          hr.OptionalString("note", kMaxTextBytes));
    e.note = note.value_or("");
    JISR_RETURN_IF_ERROR(
        ValidateText(e.note, prefix + "note", kMaxTextBytes, false, true));
    JISR_RETURN_IF_ERROR(hr.RejectUnknown());
    e.actor = fmt::format("peer:{}", e.agency);
    a.history.push_back(std::move(e));
  }
  std::sort(a.history.begin(), a.history.end(),
            [](const HistoryEntry& x, const HistoryEntry& y) {
              return x.version != y.version ? x.version < y.version
                                            : x.agency < y.agency;
            });
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  RefreshDeadline(a);
  return a;
}

boost::json::object DeadlineStatusJson(const AssistanceRequest& r,
                                       absl::Time now) {
  const DeadlineRule rule =
      DeadlineRuleFor(r.content.urgency, r.content.directly_accessible);
  boost::json::object o;
  o["rule"] = rule.name;
  o["description"] = rule.description;
  o["legal_reference"] = rule.legal_reference;
  o["period_seconds"] = absl::ToInt64Seconds(rule.period);
  o["deadline_at"] = TimeOrNull(r.deadline_at);
  o["warning_at"] = TimeOrNull(r.warning_at);
  const bool running = r.deadline_at.has_value() && DeadlineRuns(r.state);
  const bool paused = r.deadline_at.has_value() &&
                      r.state == RequestState::kClarificationRequested;
  o["running"] = running;
  o["paused"] = paused;
  boost::json::value left = nullptr;
  if (running) {
    left = absl::ToInt64Seconds(*r.deadline_at - now);
  } else if (paused) {
    // Frozen while the clarification is awaited: what was left when the
    // suspension began (at the requester's node: when it received the
    // question; elsewhere: when the question was asked).
    const std::optional<absl::Time> since =
        r.suspended_since ? r.suspended_since : r.clarification_requested_at;
    if (since) left = absl::ToInt64Seconds(*r.deadline_at - *since);
  }
  o["time_left_seconds"] = left;
  const bool overdue = running && IsOverdue(*r.deadline_at, now);
  o["overdue"] = overdue;
  o["warning"] = running && !overdue && r.warning_at && now >= *r.warning_at;
  const std::optional<absl::Time> responded = RespondedAt(r);
  o["responded_at"] = TimeOrNull(responded);
  if (responded && r.deadline_at) {
    o["responded_in_time"] = RespondedInTime(*r.deadline_at, *responded);
  } else {
    o["responded_in_time"] = nullptr;
  }
  return o;
}

boost::json::object RequestToJson(const AssistanceRequest& r,
                                  std::string_view agency, absl::Time now) {
  boost::json::object o = SharedRequestJson(r);
  o.erase("history");
  o["direction"] = r.requester == agency ? "outgoing" : "incoming";
  o["partner"] = r.requester == agency ? r.requested : r.requester;
  o["deadline_at"] = TimeOrNull(r.deadline_at);
  o["deadline"] = DeadlineStatusJson(r, now);
  o["created_by"] = r.created_by;
  o["created_at"] = FormatRfc3339(r.created_at);
  o["updated_at"] = FormatRfc3339(r.updated_at);
  o["warned_at"] = TimeOrNull(r.warned_at);
  o["overdue_at"] = TimeOrNull(r.overdue_at);
  if (!r.history.empty()) {
    boost::json::array history;
    for (const HistoryEntry& e : r.history)
      history.push_back(HistoryEntryToJson(e, true));
    o["history"] = std::move(history);
  }
  if (r.provenance)
    o["provenance"] = federation::ProvenanceToJson(*r.provenance);
  return o;
}

boost::json::object RequestSummaryJson(const AssistanceRequest& r,
                                       std::string_view agency,
                                       absl::Time now) {
  boost::json::object o;
  o["id"] = r.id;
  o["direction"] = r.requester == agency ? "outgoing" : "incoming";
  o["partner"] = r.requester == agency ? r.requested : r.requester;
  o["requester"] = r.requester;
  o["requested"] = r.requested;
  o["type"] = TypeName(r.content.type);
  o["urgency"] = UrgencyName(r.content.urgency);
  o["directly_accessible"] = r.content.directly_accessible;
  o["subject"] = r.content.subject;
  o["case_reference"] = r.content.case_reference;
  o["state"] = StateName(r.state);
  o["version"] = r.version;
  o["submitted_at"] = FormatRfc3339(r.submitted_at);
  o["received_at"] = TimeOrNull(r.received_at);
  o["deadline_at"] = TimeOrNull(r.deadline_at);
  o["deadline"] = DeadlineStatusJson(r, now);
  o["updated_at"] = FormatRfc3339(r.updated_at);
  return o;
}

}  // namespace jisr::assistance
