#include "assistance/assistance_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <utility>

#include "assistance/assistance_report.h"
#include "assistance/assistance_sharing.h"
#include "assistance/deadline.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "federation/store.h"
#include "security/service_util.h"
#include "training/training_repository.h"  // catalogue_item_id (training/)

namespace jisr::assistance {

using audit::AuditOutcome;
using security::Action;
using security::ActionName;
using security::Principal;
using security::internal::AuthorizeAudited;
using security::internal::MakeEntry;
using security::internal::RecordFailure;
using security::internal::SanitizeText;

namespace {

std::string RequestObject(std::string_view id) {
  return fmt::format("assistance/{}", SanitizeText(id, 64));
}

absl::Status CheckRequestId(std::string_view id) {
  if (!IsUuid(id))
    return InvalidField("id", "the request id must be a lower-case UUID");
  return absl::OkStatus();
}

boost::json::object DirectionJson(const DirectionStats& d) {
  boost::json::object o;
  o["requests"] = d.requests;
  o["answered"] = d.answered;
  o["refused"] = d.refused;
  o["pending"] = d.pending;
  o["withdrawn"] = d.withdrawn;
  o["responded_in_time"] = d.responded_in_time;
  o["in_time_percent"] = d.in_time_percent
                             ? boost::json::value(*d.in_time_percent)
                             : boost::json::value(nullptr);
  o["median_response_seconds"] =
      d.median_response
          ? boost::json::value(absl::ToInt64Seconds(*d.median_response))
          : boost::json::value(nullptr);
  o["p90_response_seconds"] =
      d.p90_response ? boost::json::value(absl::ToInt64Seconds(*d.p90_response))
                     : boost::json::value(nullptr);
  o["overdue_now"] = d.overdue_now;
  boost::json::object reasons;
  for (size_t i = 0; i < d.refusals_by_reason.size(); ++i) {
    reasons[RefusalReasonNames()[i]] = d.refusals_by_reason[i];
  }
  o["refusals_by_reason"] = std::move(reasons);
  return o;
}

}  // namespace

boost::json::object StatsToJson(const StatsReport& report) {
  boost::json::array partners;
  for (const PartnerStats& p : report.partners) {
    partners.push_back(
        boost::json::object{{"partner", p.partner},
                            {"sent", DirectionJson(p.sent)},
                            {"received", DirectionJson(p.received)}});
  }
  return boost::json::object{{"from", FormatRfc3339(report.from)},
                             {"to", FormatRfc3339(report.to)},
                             {"partners", std::move(partners)}};
}

AssistanceService::AssistanceService(db::Database& db,
                                     const audit::AuditLog& audit,
                                     const Clock& clock,
                                     AssistanceOptions options)
    : db_(db), audit_(audit), clock_(clock), options_(std::move(options)) {}

// ---- create and read
// ------------------------------------------------------------

absl::StatusOr<AssistanceRequest> AssistanceService::Create(
    const Principal& who, const RequestContent& content,
    std::string_view purpose) {
  const Action action = Action::kAssistanceCreate;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "assistance", purpose));
  const absl::Time now = TruncateToMillis(clock_.Now());
  AssistanceRequest r;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(ValidateContent(content));
    if (content.requested_agency == options_.agency) {
      return InvalidField(
          "requested_agency",
          fmt::format("{} is this agency: a request goes to a partner",
                      content.requested_agency));
    }
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(
              std::optional<federation::Peer> peer,
              federation::FindPeer(tx, content.requested_agency));
          if (!peer) {
            return InvalidField(
                "requested_agency",
                fmt::format("{} is not a registered partner of this node",
                            content.requested_agency));
          }
          if (content.catalogue_item_id) {
            // Must be an item of the requested agency's catalogue held
            // here (training/).
            JISR_ASSIGN_OR_RETURN(
                std::optional<training::CatalogueItem> item,
                training::FindCatalogueItem(tx, *content.catalogue_item_id));
            if (!item) {
              return InvalidField(
                  "catalogue_item_id",
                  fmt::format("no catalogue item {} is held here",
                              *content.catalogue_item_id));
            }
            if (item->owner != content.requested_agency) {
              return InvalidField(
                  "catalogue_item_id",
                  fmt::format("catalogue item {} is offered by {}, not by {}",
                              item->id, item->owner,
                              content.requested_agency));
            }
          }
          r = AssistanceRequest();
          r.id = NewUuidV7(now);
          r.requester = options_.agency;
          r.requested = content.requested_agency;
          r.content = content;
          r.state = RequestState::kSubmitted;
          r.version = 1;
          r.submitted_at = r.created_at = r.updated_at = now;
          r.created_by = who.Actor();
          HistoryEntry h;
          h.version = 1;
          h.agency = options_.agency;
          h.transition = Transition::kSubmit;
          h.at = now;
          h.actor = who.Actor();
          r.history = {h};
          JISR_RETURN_IF_ERROR(InsertRequest(tx, r));
          JISR_RETURN_IF_ERROR(AppendHistory(tx, r.id, h));
          JISR_RETURN_IF_ERROR(PublishRequest(tx, r, options_.agency, now));
          boost::json::object details;
          details["requested"] = r.requested;
          details["type"] = TypeName(r.content.type);
          details["urgency"] = UrgencyName(r.content.urgency);
          details["directly_accessible"] = r.content.directly_accessible;
          details["version"] = r.version;
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                    RequestObject(r.id), purpose,
                                    AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "assistance",
                         purpose, status);
  }
  return r;
}

absl::StatusOr<AssistanceRequest> AssistanceService::Get(
    const Principal& who, std::string_view id, std::string_view purpose) {
  const Action action = Action::kAssistanceRead;
  const std::string object = RequestObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  AssistanceRequest r;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckRequestId(id));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(std::optional<AssistanceRequest> found,
                                GetRequest(tx, id));
          if (!found)
            return absl::NotFoundError(
                fmt::format("no assistance request with id {}", id));
          r = *std::move(found);
          JISR_ASSIGN_OR_RETURN(r.history, LoadHistory(tx, r.id));
          if (!r.envelope_id.empty()) {
            JISR_ASSIGN_OR_RETURN(
                r.provenance, federation::FindProvenance(tx, r.envelope_id));
          }
          boost::json::object details;
          details["version"] = r.version;
          details["direction"] =
              r.requester == options_.agency ? "outgoing" : "incoming";
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  }
  return r;
}

absl::StatusOr<RequestPage> AssistanceService::List(const Principal& who,
                                                    const RequestQuery& query,
                                                    std::string_view purpose) {
  const Action action = Action::kAssistanceList;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "assistance", purpose));
  RequestPage page;
  absl::Status status = [&]() -> absl::Status {
    if (query.page < 1 || query.page > 1000000) {
      return InvalidField("page", "page must be from 1 to 1000000");
    }
    if (query.page_size < 1 || query.page_size > kMaxPageSize) {
      return InvalidField(
          "page_size",
          fmt::format("page_size must be from 1 to {}", kMaxPageSize));
    }
    if (query.partner)
      JISR_RETURN_IF_ERROR(ValidateAgencyCode(*query.partner, "partner"));
    const absl::Time now = TruncateToMillis(clock_.Now());
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(page,
                                ListRequests(tx, query, options_.agency, now));
          boost::json::object filter;
          if (query.state) filter["state"] = StateName(*query.state);
          if (query.direction)
            filter["direction"] = DirectionName(*query.direction);
          if (query.overdue) filter["overdue"] = *query.overdue;
          if (query.open) filter["open"] = *query.open;
          if (query.partner) filter["partner"] = *query.partner;
          filter["sort"] = SortOrderName(query.sort);
          filter["page"] = query.page;
          filter["page_size"] = query.page_size;
          boost::json::array ids;
          for (const AssistanceRequest& r : page.requests)
            ids.emplace_back(r.id);
          boost::json::object details;
          details["filter"] = std::move(filter);
          details["total"] = page.total;
          details["ids"] = std::move(ids);
          return audit_
              .Append(tx,
                      MakeEntry(who.Actor(), ActionName(action), "assistance",
                                purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "assistance",
                         purpose, status);
  }
  return page;
}

// ---- transitions
// ------------------------------------------------------------------

absl::StatusOr<AssistanceRequest> AssistanceService::Start(
    const Principal& who, std::string_view id, int64_t version,
    std::string_view purpose) {
  return DoTransition(who, id, version, Transition::kStart, {}, purpose);
}

absl::StatusOr<AssistanceRequest> AssistanceService::Answer(
    const Principal& who, std::string_view id, int64_t version,
    std::string_view answer, std::string_view purpose) {
  return DoTransition(who, id, version, Transition::kAnswer,
                      {std::string(answer), std::nullopt}, purpose);
}

absl::StatusOr<AssistanceRequest> AssistanceService::Refuse(
    const Principal& who, std::string_view id, int64_t version,
    RefusalReason reason, std::string_view text, std::string_view purpose) {
  return DoTransition(who, id, version, Transition::kRefuse,
                      {std::string(text), reason}, purpose);
}

absl::StatusOr<AssistanceRequest> AssistanceService::RequestClarification(
    const Principal& who, std::string_view id, int64_t version,
    std::string_view question, std::string_view purpose) {
  return DoTransition(who, id, version, Transition::kRequestClarification,
                      {std::string(question), std::nullopt}, purpose);
}

absl::StatusOr<AssistanceRequest> AssistanceService::Clarify(
    const Principal& who, std::string_view id, int64_t version,
    std::string_view clarification, std::string_view purpose) {
  return DoTransition(who, id, version, Transition::kClarify,
                      {std::string(clarification), std::nullopt}, purpose);
}

absl::StatusOr<AssistanceRequest> AssistanceService::Close(
    const Principal& who, std::string_view id, int64_t version,
    std::string_view note, std::string_view purpose) {
  return DoTransition(who, id, version, Transition::kClose,
                      {std::string(note), std::nullopt}, purpose);
}

absl::StatusOr<AssistanceRequest> AssistanceService::DoTransition(
    const Principal& who, std::string_view id, int64_t version,
    Transition transition, const Input& input, std::string_view purpose) {
  const Action action = Action::kAssistanceUpdate;
  const std::string object = RequestObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  AssistanceRequest r;
  RequestState from = RequestState::kSubmitted;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckRequestId(id));
    if (version < 1)
      return InvalidField("version", "version must be a positive integer");
    switch (transition) {
      case Transition::kAnswer:
        JISR_RETURN_IF_ERROR(
            ValidateText(input.text, "answer", kMaxTextBytes, true, true));
        break;
      case Transition::kRefuse:
        if (!input.reason) return InvalidField("reason", "reason is required");
        JISR_RETURN_IF_ERROR(
            ValidateText(input.text, "text", kMaxTextBytes,
                         *input.reason == RefusalReason::kOther, true));
        break;
      case Transition::kRequestClarification:
        JISR_RETURN_IF_ERROR(
            ValidateText(input.text, "question", kMaxTextBytes, true, true));
        break;
      case Transition::kClarify:
        JISR_RETURN_IF_ERROR(ValidateText(input.text, "clarification",
                                          kMaxTextBytes, true, true));
        break;
      case Transition::kClose:
        JISR_RETURN_IF_ERROR(
            ValidateText(input.text, "note", kMaxReasonBytes, false, true));
        break;
      case Transition::kStart:
        break;
      case Transition::kSubmit:
      case Transition::kReceive:
        return absl::InvalidArgumentError(fmt::format(
            "{} is not made by a user", TransitionName(transition)));
    }
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(std::optional<AssistanceRequest> found,
                                GetRequest(tx, id));
          if (!found)
            return absl::NotFoundError(
                fmt::format("no assistance request with id {}", id));
          r = *std::move(found);
          from = r.state;
          const Party party = PartyOf(transition);
          const std::string& allowed =
              party == Party::kRequester ? r.requester : r.requested;
          if (allowed != options_.agency) {
            return absl::FailedPreconditionError(fmt::format(
                "request {} is {}: only the {} ({}) may {} it", r.id,
                r.requester == options_.agency ? "outgoing" : "incoming",
                PartyName(party), allowed, TransitionName(transition)));
          }
          if (r.version != version) {
            return absl::FailedPreconditionError(fmt::format(
                "request {} is at version {}, not {}: reload it and try again",
                r.id, r.version, version));
          }
          if (!IsAllowed(transition, r.state)) {
            return absl::FailedPreconditionError(
                fmt::format("request {} is {}: it cannot {}", r.id,
                            StateName(r.state), TransitionName(transition)));
          }
          JISR_ASSIGN_OR_RETURN(r.history, LoadHistory(tx, r.id));
          if (transition == Transition::kRequestClarification) {
            const auto rounds = std::count_if(
                r.history.begin(), r.history.end(), [](const auto& e) {
                  return e.transition == Transition::kRequestClarification;
                });
            if (static_cast<size_t>(rounds) >= kMaxClarificationRounds) {
              return absl::FailedPreconditionError(
                  fmt::format("request {} has had {} questions already: answer "
                              "or refuse it (the requester "
                              "may open a new request)",
                              r.id, rounds));
            }
          }
          if (r.history.size() >=
              kMaxHistory) {  // unreachable by the state machine
            return absl::FailedPreconditionError(
                fmt::format("request {} has {} transitions already", r.id,
                            r.history.size()));
          }
          const absl::Time now = TruncateToMillis(clock_.Now());
          const std::optional<absl::Time> old_deadline = r.deadline_at;
          // The suspension of the deadline ends with the clarification (or the
          // close) at the requester.
          const auto end_suspension = [&] {
            if (r.suspended_since) {
              r.suspended +=
                  std::max(absl::ZeroDuration(), now - *r.suspended_since);
              r.suspended_since.reset();
            }
          };
          HistoryEntry h;
          h.version = r.version + 1;
          h.agency = options_.agency;
          h.transition = transition;
          h.at = now;
          h.actor = who.Actor();
          switch (transition) {
            case Transition::kStart:
              break;
            case Transition::kAnswer:
              r.answer = input.text;
              r.answered_at = now;
              h.note = input.text;
              break;
            case Transition::kRefuse:
              r.refusal_reason = input.reason;
              r.refusal_text = input.text;
              r.refused_at = now;
              h.reason = std::string(RefusalReasonName(*input.reason));
              h.note = input.text;
              break;
            case Transition::kRequestClarification:
              r.clarification_question = input.text;
              r.clarification_requested_at = now;
              h.note = input.text;
              break;
            case Transition::kClarify:
              end_suspension();
              r.clarification = input.text;
              r.clarified_at = now;
              h.note = input.text;
              break;
            case Transition::kClose:
              end_suspension();
              r.close_note = input.text;
              r.closed_at = now;
              h.note = input.text;
              break;
            case Transition::kSubmit:
            case Transition::kReceive:
              break;
          }
          r.state = TargetState(transition);
          r.version = h.version;
          r.updated_at = now;
          RefreshDeadline(r);
          if (old_deadline && r.deadline_at != old_deadline) {
            r.warned_at.reset();
            r.overdue_at.reset();
          }
          JISR_RETURN_IF_ERROR(UpdateRequest(tx, r, version));
          JISR_RETURN_IF_ERROR(AppendHistory(tx, r.id, h));
          r.history.push_back(h);
          JISR_RETURN_IF_ERROR(PublishRequest(tx, r, options_.agency, now));
          boost::json::object details;
          details["transition"] = TransitionName(transition);
          details["from"] = StateName(from);
          details["to"] = StateName(r.state);
          details["from_version"] = version;
          details["version"] = r.version;
          if (input.reason)
            details["reason"] = RefusalReasonName(*input.reason);
          if (r.deadline_at) {
            details["deadline_at"] = FormatRfc3339(*r.deadline_at);
            const std::optional<absl::Time> responded = RespondedAt(r);
            if (responded && (transition == Transition::kAnswer ||
                              transition == Transition::kRefuse)) {
              details["in_time"] = RespondedInTime(*r.deadline_at, *responded);
            }
          }
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    boost::json::object details;
    details["transition"] = TransitionName(transition);
    details["version"] = version;
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status, std::move(details));
  }
  return r;
}

// ---- statistics
// ---------------------------------------------------------------------

absl::StatusOr<StatsReport> AssistanceService::Stats(const Principal& who,
                                                     absl::Time from,
                                                     absl::Time to,
                                                     std::string_view purpose) {
  const Action action = Action::kAssistanceStats;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "assistance", purpose));
  StatsReport report;
  report.from = TruncateToMillis(from);
  report.to = TruncateToMillis(to);
  absl::Status status = [&]() -> absl::Status {
    if (report.from >= report.to)
      return InvalidField("from", "from must be before to");
    const absl::Time now = TruncateToMillis(clock_.Now());
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(
              report.partners,
              PartnerStatsBetween(tx, options_.agency, report.from, report.to, now));
          int64_t requests = 0;
          for (const PartnerStats& p : report.partners)
            requests += p.sent.requests + p.received.requests;
          boost::json::object details;
          details["from"] = FormatRfc3339(report.from);
          details["to"] = FormatRfc3339(report.to);
          details["requests"] = requests;
          return audit_
              .Append(tx,
                      MakeEntry(who.Actor(), ActionName(action), "assistance",
                                purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "assistance",
                         purpose, status);
  }
  return report;
}

// ---- reminders
// ------------------------------------------------------------------------

absl::StatusOr<ReminderReport> AssistanceService::RunReminders(absl::Time now) {
  now = TruncateToMillis(now);
  std::vector<std::string> due;
  JISR_RETURN_IF_ERROR(
      db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(due, DueForReminder(tx, now, 1000));
        return absl::OkStatus();
      }));
  ReminderReport report;
  const Principal system = Principal::System();
  for (const std::string& id : due) {
    bool warned = false;
    bool overdue = false;
    AssistanceRequest r;
    JISR_RETURN_IF_ERROR(
        db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          warned = overdue = false;
          JISR_ASSIGN_OR_RETURN(std::optional<AssistanceRequest> found,
                                GetRequest(tx, id));
          // Re-check under the write transaction: another process may have been
          // first, or the request moved on.
          if (!found || !DeadlineRuns(found->state) || !found->deadline_at)
            return absl::OkStatus();
          r = *std::move(found);
          if (!r.overdue_at && IsOverdue(*r.deadline_at, now)) {
            r.overdue_at = now;
            if (!r.warned_at)
              r.warned_at = now;  // no warning after the deadline
            overdue = true;
          } else if (!r.warned_at && r.warning_at && now >= *r.warning_at) {
            r.warned_at = now;
            warned = true;
          }
          if (!warned && !overdue) return absl::OkStatus();
          JISR_RETURN_IF_ERROR(UpdateRequest(tx, r, r.version));
          const bool outgoing = r.requester == options_.agency;
          boost::json::object details;
          details["direction"] = outgoing ? "outgoing" : "incoming";
          details["partner"] = outgoing ? r.requested : r.requester;
          details["state"] = StateName(r.state);
          details["deadline_at"] = FormatRfc3339(*r.deadline_at);
          details["version"] = r.version;
          return audit_
              .Append(tx, MakeEntry(system.Actor(),
                                    overdue ? "assistance.overdue"
                                            : "assistance.deadline_warning",
                                    RequestObject(r.id), "deadline reminder",
                                    AuditOutcome::kSuccess, details))
              .status();
        }));
    if (overdue) {
      report.overdue.push_back(id);
      spdlog::warn(
          "assistance request {} ({} {}) is overdue: its deadline was {}", id,
          r.requester == options_.agency ? "to" : "from",
          r.requester == options_.agency ? r.requested : r.requester,
          FormatRfc3339(*r.deadline_at));
    } else if (warned) {
      report.warned.push_back(id);
      spdlog::info(
          "assistance request {}: 75 % of its time has elapsed (deadline {})",
          id, FormatRfc3339(*r.deadline_at));
    }
  }
  return report;
}

}  // namespace jisr::assistance
