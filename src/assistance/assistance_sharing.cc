#include "assistance/assistance_sharing.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "assistance/assistance_repository.h"
#include "assistance/deadline.h"
#include "common/json.h"
#include "common/status.h"
#include "federation/store.h"

namespace jisr::assistance {
namespace {

using Key = std::pair<int64_t, std::string>;  // (version, agency)

absl::Status Refuse(const absl::Status& s, std::string_view what) {
  const std::optional<std::string> field = FieldOf(s);
  return absl::InvalidArgumentError(
      fmt::format("{}: {}{}", what, std::string(s.message()),
                  field ? fmt::format(" (field {})", *field) : ""));
}

// The texts a transition must bring in the sender's members.
absl::Status CheckTransitionData(const AssistanceRequest& s,
                                 const HistoryEntry& e) {
  const auto missing = [&](std::string_view what) {
    return absl::InvalidArgumentError(
        fmt::format("version {} ({}) comes without {}", e.version,
                    TransitionName(e.transition), what));
  };
  switch (e.transition) {
    case Transition::kReceive:
      if (!s.received_at) return missing("received_at");
      break;
    case Transition::kAnswer:
      if (s.answer.empty() || !s.answered_at) return missing("the answer");
      break;
    case Transition::kRefuse:
      if (!s.refusal_reason || !s.refused_at)
        return missing("the refusal reason");
      if (*s.refusal_reason == RefusalReason::kOther &&
          s.refusal_text.empty()) {
        return missing("the refusal text (reason other)");
      }
      break;
    case Transition::kRequestClarification:
      if (s.clarification_question.empty()) return missing("the question");
      break;
    case Transition::kClarify:
      if (s.clarification.empty()) return missing("the clarification");
      break;
    case Transition::kSubmit:
    case Transition::kStart:
    case Transition::kClose:
      break;
  }
  return absl::OkStatus();
}

int64_t MaxVersion(const std::vector<HistoryEntry>& history) {
  int64_t v = 0;
  for (const HistoryEntry& e : history) v = std::max(v, e.version);
  return v;
}

void SortHistory(std::vector<HistoryEntry>& history) {
  std::sort(history.begin(), history.end(),
            [](const HistoryEntry& x, const HistoryEntry& y) {
              return x.version != y.version ? x.version < y.version
                                            : x.agency < y.agency;
            });
}

absl::Status Apply(db::Transaction& tx, const federation::Envelope& e,
                   std::string_view kind, const std::string& agency,
                   const audit::AuditLog& audit, const Clock& clock) {
  absl::StatusOr<boost::json::object> body = ParseJsonObject(e.body);
  if (!body.ok()) {
    return absl::InvalidArgumentError(fmt::format(
        "body is not a JSON object: {}", std::string(body.status().message())));
  }
  absl::StatusOr<AssistanceRequest> parsed = SharedRequestFromJson(*body);
  if (!parsed.ok()) return Refuse(parsed.status(), "invalid request");
  const AssistanceRequest s = *std::move(parsed);
  if (e.record_id != RequestRecord(s.id)) {
    return absl::InvalidArgumentError(
        fmt::format("record_id {} does not match the body ({})", e.record_id,
                    RequestRecord(s.id)));
  }
  // The two parties: the sender and this agency.
  Party sender_party;
  if (e.from == s.requester && agency == s.requested) {
    sender_party = Party::kRequester;
  } else if (e.from == s.requested && agency == s.requester) {
    sender_party = Party::kRequested;
  } else {
    return absl::PermissionDeniedError(
        fmt::format("request {} is between {} and {}: {} may not send it to {}",
                    s.id, s.requester, s.requested, e.from, agency));
  }
  if (kind == kRequestKind && sender_party != Party::kRequester) {
    return absl::PermissionDeniedError(fmt::format(
        "only the requester ({}) submits request {}", s.requester, s.id));
  }
  if (e.version != s.version) {
    return absl::InvalidArgumentError(
        "the envelope's version is not the request's");
  }
  // The sender's own snapshot must be consistent.
  JISR_ASSIGN_OR_RETURN(const RequestState sender_state,
                        DeriveState(s.history, s.requester, s.requested));
  if (sender_state != s.state || MaxVersion(s.history) != s.version) {
    return absl::InvalidArgumentError(
        fmt::format("request {} says {} at version {} but its history leads to "
                    "{} at version {}",
                    s.id, StateName(s.state), s.version,
                    StateName(sender_state), MaxVersion(s.history)));
  }

  JISR_ASSIGN_OR_RETURN(std::optional<AssistanceRequest> stored,
                        GetRequest(tx, s.id));
  std::vector<HistoryEntry> history;
  if (stored) {
    if (stored->requester != s.requester || stored->requested != s.requested) {
      return absl::PermissionDeniedError(
          fmt::format("request {} here is between {} and {}", s.id,
                      stored->requester, stored->requested));
    }
    if (stored->content != s.content ||
        stored->submitted_at != s.submitted_at) {
      return absl::PermissionDeniedError(fmt::format(
          "request {}: a submitted request's content cannot change", s.id));
    }
    JISR_ASSIGN_OR_RETURN(history, LoadHistory(tx, s.id));
  } else if (sender_party != Party::kRequester) {
    return absl::NotFoundError(fmt::format("no request {} here", s.id));
  }

  // What the envelope brings that is not known here.
  std::map<Key, const HistoryEntry*> known;
  for (const HistoryEntry& h : history)
    known.emplace(Key(h.version, h.agency), &h);
  std::vector<HistoryEntry> fresh;
  for (const HistoryEntry& h : s.history) {
    const auto it = known.find(Key(h.version, h.agency));
    if (it != known.end()) {
      const HistoryEntry& mine = *it->second;
      if (mine.transition != h.transition || mine.at != h.at ||
          mine.note != h.note || mine.reason != h.reason) {
        return absl::FailedPreconditionError(fmt::format(
            "request {}: version {} of {} differs from the one held here", s.id,
            h.version, h.agency));
      }
      continue;
    }
    if (h.agency != e.from) {
      return absl::PermissionDeniedError(
          h.agency == agency
              ? fmt::format("request {}: version {} is a transition of {} that "
                            "this node never "
                            "made",
                            s.id, h.version, h.agency)
              : fmt::format("request {}: version {} is a transition of {}, not "
                            "of the sender {}",
                            s.id, h.version, h.agency, e.from));
    }
    const Party party = PartyOf(h.transition);
    if (party != sender_party) {
      return absl::PermissionDeniedError(
          fmt::format("{} may not {} request {}: only the {} ({}) may", e.from,
                      TransitionName(h.transition), s.id, PartyName(party),
                      party == Party::kRequester ? s.requester : s.requested));
    }
    JISR_RETURN_IF_ERROR(CheckTransitionData(s, h));
    fresh.push_back(h);
  }
  if (fresh.empty())
    return absl::OkStatus();  // nothing newer than what is held here

  std::vector<HistoryEntry> merged = history;
  merged.insert(merged.end(), fresh.begin(), fresh.end());
  SortHistory(merged);
  JISR_ASSIGN_OR_RETURN(const RequestState state,
                        DeriveState(merged, s.requester, s.requested));

  const absl::Time now = TruncateToMillis(clock.Now());
  AssistanceRequest r;
  const int64_t before = stored ? stored->version : 0;
  const RequestState from_state =
      stored ? stored->state : RequestState::kSubmitted;
  if (stored) {
    r = *stored;
  } else {
    r = s;
    r.history.clear();
    r.created_by = fmt::format("peer:{}", e.from);
    r.created_at = now;
    // The requested agency's members start empty here: taken below.
    r.received_at.reset();
  }
  const std::optional<absl::Time> old_deadline = r.deadline_at;
  if (sender_party == Party::kRequested) {
    r.received_at = s.received_at;
    r.clarification_question = s.clarification_question;
    r.clarification_requested_at = s.clarification_requested_at;
    r.answer = s.answer;
    r.answered_at = s.answered_at;
    r.refusal_reason = s.refusal_reason;
    r.refusal_text = s.refusal_text;
    r.refused_at = s.refused_at;
    // The question reached the requester: the deadline is suspended from now
    // (Directive (EU) 2023/977, Art. 6(3)).
    const bool asked =
        std::any_of(fresh.begin(), fresh.end(), [](const HistoryEntry& h) {
          return h.transition == Transition::kRequestClarification;
        });
    if (asked && state == RequestState::kClarificationRequested &&
        !r.suspended_since) {
      r.suspended_since = now;
    }
  } else {
    r.clarification = s.clarification;
    r.clarified_at = s.clarified_at;
    r.suspended = s.suspended;
    r.close_note = s.close_note;
    r.closed_at = s.closed_at;
  }
  r.state = state;
  r.version = std::max(before, MaxVersion(merged));
  r.updated_at = now;
  r.envelope_id = e.id;
  RefreshDeadline(r);
  if (old_deadline && r.deadline_at != old_deadline) {
    r.warned_at.reset();
    r.overdue_at.reset();
  }

  // The automatic receipt, with its acknowledgement to the requester.
  std::optional<HistoryEntry> receipt;
  if (agency == r.requested && r.state == RequestState::kSubmitted) {
    HistoryEntry h;
    h.version = r.version + 1;
    h.agency = agency;
    h.transition = Transition::kReceive;
    h.at = now;
    h.actor = "system";
    r.version = h.version;
    r.state = RequestState::kReceived;
    r.received_at = now;
    RefreshDeadline(r);
    receipt = h;
  }

  if (stored) {
    JISR_RETURN_IF_ERROR(UpdateRequest(tx, r, before));
  } else {
    JISR_RETURN_IF_ERROR(InsertRequest(tx, r));
  }
  boost::json::array transitions;
  for (const HistoryEntry& h : fresh) {
    JISR_RETURN_IF_ERROR(AppendHistory(tx, r.id, h));
    transitions.push_back(boost::json::object{
        {"version", h.version}, {"transition", TransitionName(h.transition)}});
  }
  const std::string object = fmt::format("assistance/{}", r.id);
  audit::AuditEntry applied;
  applied.actor = fmt::format("peer:{}", e.from);
  applied.action = "assistance.apply";
  applied.object = object;
  applied.purpose = "federation";
  applied.details = ToJson(
      boost::json::object{{"envelope", e.id},
                          {"transitions", std::move(transitions)},
                          {"from", StateName(from_state)},
                          {"to", StateName(state)},
                          {"from_version", before},
                          {"version", std::max(before, MaxVersion(merged))}});
  JISR_RETURN_IF_ERROR(audit.Append(tx, applied).status());
  if (receipt) {
    JISR_RETURN_IF_ERROR(AppendHistory(tx, r.id, *receipt));
    const DeadlineRule rule =
        DeadlineRuleFor(r.content.urgency, r.content.directly_accessible);
    audit::AuditEntry received;
    received.actor = "system";
    received.action = "assistance.receive";
    received.object = object;
    received.purpose = "acknowledgement";
    received.details = ToJson(
        boost::json::object{{"from", StateName(RequestState::kSubmitted)},
                            {"to", StateName(RequestState::kReceived)},
                            {"version", r.version},
                            {"rule", rule.name},
                            {"deadline_at", FormatRfc3339(*r.deadline_at)}});
    JISR_RETURN_IF_ERROR(audit.Append(tx, received).status());
    // Publish the whole request as it is now.
    JISR_ASSIGN_OR_RETURN(r.history, LoadHistory(tx, r.id));
    JISR_RETURN_IF_ERROR(PublishRequest(tx, r, agency, now));
  }
  return absl::OkStatus();
}

}  // namespace

std::string RequestRecord(std::string_view id) {
  return fmt::format("assistance:{}", id);
}

absl::Status PublishRequest(db::Transaction& tx, const AssistanceRequest& r,
                            std::string_view agency, absl::Time now) {
  std::string to;
  if (agency == r.requester) {
    to = r.requested;
  } else if (agency == r.requested) {
    to = r.requester;
  } else {
    return absl::InvalidArgumentError(
        fmt::format("{} is not a party to request {}", agency, r.id));
  }
  const std::string recipients[] = {to};
  const std::string_view kind =
      r.version == 1 && r.state == RequestState::kSubmitted ? kRequestKind
                                                            : kUpdateKind;
  return federation::Publish(tx, recipients, kind, RequestRecord(r.id),
                             r.version, ToJson(SharedRequestJson(r)), now);
}

absl::Status RegisterAssistanceHandlers(federation::Receiver& receiver,
                                        std::string agency,
                                        const audit::AuditLog& audit,
                                        const Clock& clock) {
  for (std::string_view kind : {kRequestKind, kUpdateKind}) {
    JISR_RETURN_IF_ERROR(receiver.Register(
        kind, [kind, agency, &audit, &clock](db::Transaction& tx,
                                             const federation::Envelope& e) {
          return Apply(tx, e, kind, agency, audit, clock);
        }));
  }
  return absl::OkStatus();
}

}  // namespace jisr::assistance
