#include "assistance/assistance_repository.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "common/clock.h"
#include "common/status.h"

namespace jisr::assistance {
namespace {

// The columns RequestFromRow reads, in its order.
constexpr std::string_view kColumns =
    "id, requester, requested, type, urgency, directly_accessible, subject, "
    "description, "
    "grounds, urgency_reason, case_reference, alert_id, hit_id, state, "
    "version, submitted_at, "
    "received_at, deadline_at, warning_at, suspended_ms, suspended_since, "
    "clarification_question, clarification_requested_at, clarification, "
    "clarified_at, answer, "
    "answered_at, refusal_reason, refusal_text, refused_at, close_note, "
    "closed_at, created_by, "
    "created_at, updated_at, warned_at, overdue_at, envelope_id, "
    "catalogue_item_id";

constexpr std::array<std::string_view, 2> kDirectionNames = {"outgoing",
                                                             "incoming"};
constexpr std::array<std::string_view, 2> kSortNames = {"newest", "deadline"};

// The states whose deadline runs, as SQL.
constexpr std::string_view kRunning =
    "state IN ('received', 'in_progress', 'clarified')";
constexpr std::string_view kFinished =
    "state IN ('answered', 'refused', 'closed')";

db::Value OptTime(const std::optional<absl::Time>& t) {
  if (!t) return db::Null{};
  return db::Value(ToUnixMillis(*t));
}

db::Value OptText(const std::optional<std::string>& s) {
  if (!s) return db::Null{};
  return db::Value(*s);
}

std::optional<absl::Time> TimeAt(const db::Row& row, size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return FromUnixMillis(row.GetInt(i));
}

absl::StatusOr<AssistanceRequest> RequestFromRow(const db::Row& row) {
  AssistanceRequest r;
  size_t i = 0;
  r.id = row.GetText(i++);
  r.requester = row.GetText(i++);
  r.requested = row.GetText(i++);
  r.content.requested_agency = r.requested;
  const std::optional<RequestType> type = TypeFromName(row.GetText(i++));
  const std::optional<Urgency> urgency = UrgencyFromName(row.GetText(i++));
  if (!type || !urgency) {
    return absl::DataLossError(
        fmt::format("request {} has an unknown type or urgency", r.id));
  }
  r.content.type = *type;
  r.content.urgency = *urgency;
  r.content.directly_accessible = row.GetBool(i++);
  r.content.subject = row.GetText(i++);
  r.content.description = row.GetText(i++);
  r.content.grounds = row.GetText(i++);
  r.content.urgency_reason = row.GetText(i++);
  r.content.case_reference = row.GetText(i++);
  r.content.alert_id = row.GetOptionalText(i++);
  r.content.hit_id = row.GetOptionalText(i++);
  const std::optional<RequestState> state = StateFromName(row.GetText(i++));
  if (!state)
    return absl::DataLossError(
        fmt::format("request {} has an unknown state", r.id));
  r.state = *state;
  r.version = row.GetInt(i++);
  r.submitted_at = FromUnixMillis(row.GetInt(i++));
  r.received_at = TimeAt(row, i++);
  r.deadline_at = TimeAt(row, i++);
  r.warning_at = TimeAt(row, i++);
  r.suspended = absl::Milliseconds(row.GetInt(i++));
  r.suspended_since = TimeAt(row, i++);
  r.clarification_question = row.GetText(i++);
  r.clarification_requested_at = TimeAt(row, i++);
  r.clarification = row.GetText(i++);
  r.clarified_at = TimeAt(row, i++);
  r.answer = row.GetText(i++);
  r.answered_at = TimeAt(row, i++);
  if (!row.IsNull(i)) {
    r.refusal_reason = RefusalReasonFromName(row.GetText(i));
    if (!r.refusal_reason) {
      return absl::DataLossError(
          fmt::format("request {} has an unknown refusal reason", r.id));
    }
  }
  ++i;
  r.refusal_text = row.GetText(i++);
  r.refused_at = TimeAt(row, i++);
  r.close_note = row.GetText(i++);
  r.closed_at = TimeAt(row, i++);
  r.created_by = row.GetText(i++);
  r.created_at = FromUnixMillis(row.GetInt(i++));
  r.updated_at = FromUnixMillis(row.GetInt(i++));
  r.warned_at = TimeAt(row, i++);
  r.overdue_at = TimeAt(row, i++);
  r.envelope_id = row.GetOptionalText(i++).value_or("");
  r.content.catalogue_item_id = row.GetOptionalText(i++);
  return r;
}

absl::StatusOr<std::vector<AssistanceRequest>> RequestsFromRows(
    const std::vector<db::Row>& rows) {
  std::vector<AssistanceRequest> out;
  out.reserve(rows.size());
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(AssistanceRequest r, RequestFromRow(row));
    out.push_back(std::move(r));
  }
  return out;
}

// The values of every column but id, in kColumns order (after id).
std::vector<db::Value> Values(const AssistanceRequest& r) {
  return {
      r.requester,
      r.requested,
      std::string(TypeName(r.content.type)),
      std::string(UrgencyName(r.content.urgency)),
      int64_t{r.content.directly_accessible ? 1 : 0},
      r.content.subject,
      r.content.description,
      r.content.grounds,
      r.content.urgency_reason,
      r.content.case_reference,
      OptText(r.content.alert_id),
      OptText(r.content.hit_id),
      std::string(StateName(r.state)),
      r.version,
      ToUnixMillis(r.submitted_at),
      OptTime(r.received_at),
      OptTime(r.deadline_at),
      OptTime(r.warning_at),
      absl::ToInt64Milliseconds(r.suspended),
      OptTime(r.suspended_since),
      r.clarification_question,
      OptTime(r.clarification_requested_at),
      r.clarification,
      OptTime(r.clarified_at),
      r.answer,
      OptTime(r.answered_at),
      r.refusal_reason
          ? db::Value(std::string(RefusalReasonName(*r.refusal_reason)))
          : db::Value(db::Null{}),
      r.refusal_text,
      OptTime(r.refused_at),
      r.close_note,
      OptTime(r.closed_at),
      r.created_by,
      ToUnixMillis(r.created_at),
      ToUnixMillis(r.updated_at),
      OptTime(r.warned_at),
      OptTime(r.overdue_at),
      r.envelope_id.empty() ? db::Value(db::Null{}) : db::Value(r.envelope_id),
      OptText(r.content.catalogue_item_id)};
}

constexpr size_t kValueCount = 38;  // columns after id

}  // namespace

std::string_view DirectionName(Direction d) {
  return kDirectionNames[static_cast<size_t>(d)];
}
std::optional<Direction> DirectionFromName(std::string_view name) {
  for (size_t i = 0; i < kDirectionNames.size(); ++i) {
    if (kDirectionNames[i] == name) return static_cast<Direction>(i);
  }
  return std::nullopt;
}

std::string_view SortOrderName(SortOrder s) {
  return kSortNames[static_cast<size_t>(s)];
}
std::optional<SortOrder> SortOrderFromName(std::string_view name) {
  for (size_t i = 0; i < kSortNames.size(); ++i) {
    if (kSortNames[i] == name) return static_cast<SortOrder>(i);
  }
  return std::nullopt;
}

absl::Status InsertRequest(db::Transaction& tx, const AssistanceRequest& r) {
  std::vector<db::Value> params = {r.id};
  std::vector<db::Value> rest = Values(r);
  params.insert(params.end(), rest.begin(), rest.end());
  std::string placeholders;
  for (size_t i = 1; i <= params.size(); ++i) {
    placeholders += fmt::format("{}${}", i == 1 ? "" : ", ", i);
  }
  return tx
      .Execute(fmt::format("INSERT INTO assistance_requests ({}) VALUES ({})",
                           kColumns, placeholders),
               params)
      .status();
}

absl::Status UpdateRequest(db::Transaction& tx, const AssistanceRequest& r,
                           int64_t expected_version) {
  static_assert(kValueCount == 38);
  std::vector<db::Value> params = Values(r);
  // "col = $n" for every column after id.
  std::string sets;
  std::string_view columns = kColumns.substr(kColumns.find(',') + 2);
  size_t n = 1;
  while (!columns.empty()) {
    const size_t comma = columns.find(',');
    const std::string_view column = columns.substr(0, comma);
    sets += fmt::format("{}{} = ${}", n == 1 ? "" : ", ", column, n);
    ++n;
    columns = comma == std::string_view::npos ? std::string_view()
                                              : columns.substr(comma + 2);
  }
  params.emplace_back(r.id);
  params.emplace_back(expected_version);
  JISR_ASSIGN_OR_RETURN(
      const int64_t changed,
      tx.Execute(fmt::format("UPDATE assistance_requests SET {} WHERE id = ${} "
                             "AND version = ${}",
                             sets, n, n + 1),
                 params));
  if (changed != 1) {
    return absl::FailedPreconditionError(fmt::format(
        "request {} changed meanwhile: reload it and try again", r.id));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<AssistanceRequest>> GetRequest(
    db::Transaction& tx, std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(
          fmt::format("SELECT {} FROM assistance_requests WHERE id = $1",
                      kColumns),
          {std::string(id)}));
  if (!row) return std::optional<AssistanceRequest>();
  JISR_ASSIGN_OR_RETURN(AssistanceRequest r, RequestFromRow(*row));
  return std::optional<AssistanceRequest>(std::move(r));
}

absl::StatusOr<std::vector<HistoryEntry>> LoadHistory(db::Transaction& tx,
                                                      std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          "SELECT version, agency, transition, at, actor, reason, note FROM "
          "assistance_history WHERE request_id = $1 ORDER BY version, agency",
          {std::string(id)}));
  std::vector<HistoryEntry> out;
  out.reserve(rows.size());
  for (const db::Row& row : rows) {
    HistoryEntry e;
    e.version = row.GetInt(0);
    e.agency = row.GetText(1);
    const std::optional<Transition> t = TransitionFromName(row.GetText(2));
    if (!t) {
      return absl::DataLossError(
          fmt::format("request {} has an unknown transition", id));
    }
    e.transition = *t;
    e.at = FromUnixMillis(row.GetInt(3));
    e.actor = row.GetText(4);
    e.reason = row.GetText(5);
    e.note = row.GetText(6);
    out.push_back(std::move(e));
  }
  return out;
}

absl::Status AppendHistory(db::Transaction& tx, std::string_view id,
                           const HistoryEntry& e) {
  return tx
      .Execute(
          "INSERT INTO assistance_history (request_id, version, agency, "
          "transition, at, "
          "actor, reason, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          {std::string(id), e.version, e.agency,
           std::string(TransitionName(e.transition)), ToUnixMillis(e.at),
           e.actor, e.reason, e.note})
      .status();
}

absl::StatusOr<RequestPage> ListRequests(db::Transaction& tx,
                                         const RequestQuery& query,
                                         std::string_view agency,
                                         absl::Time now) {
  RequestPage out;
  out.page = query.page;
  out.page_size = query.page_size;
  const int64_t now_ms = ToUnixMillis(now);
  std::vector<db::Value> params;
  std::vector<std::string> where;
  const auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return fmt::format("${}", params.size());
  };
  if (query.state)
    where.push_back(
        fmt::format("state = {}", param(std::string(StateName(*query.state)))));
  if (query.direction) {
    where.push_back(fmt::format(
        "{} = {}",
        *query.direction == Direction::kOutgoing ? "requester" : "requested",
        param(std::string(agency))));
  }
  if (query.partner) {
    const std::string p = param(*query.partner);
    where.push_back(fmt::format("(requester = {} OR requested = {})", p, p));
  }
  if (query.overdue) {
    const std::string due =
        fmt::format("({} AND deadline_at IS NOT NULL AND deadline_at <= {})",
                    kRunning, param(now_ms));
    where.push_back(*query.overdue ? due : fmt::format("NOT {}", due));
  }
  if (query.open)
    where.push_back(fmt::format("{}{}", *query.open ? "NOT " : "", kFinished));
  std::string clause;
  for (size_t i = 0; i < where.size(); ++i) {
    clause += fmt::format("{} {}", i == 0 ? "WHERE" : " AND", where[i]);
  }
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> count,
      tx.Query(
          fmt::format("SELECT COUNT(*) FROM assistance_requests {}", clause),
          params));
  out.total = count.empty() ? 0 : count[0].GetInt(0);
  const std::string order = query.sort == SortOrder::kDeadline
                                ? "CASE WHEN deadline_at IS NULL THEN 1 ELSE 0 "
                                  "END, deadline_at, submitted_at, id"
                                : "submitted_at DESC, id DESC";
  std::vector<db::Value> paged = params;
  paged.emplace_back(query.page_size);
  paged.emplace_back((query.page - 1) * query.page_size);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM assistance_requests {} ORDER BY {} "
                           "LIMIT ${} OFFSET ${}",
                           kColumns, clause, order, params.size() + 1,
                           params.size() + 2),
               paged));
  JISR_ASSIGN_OR_RETURN(out.requests, RequestsFromRows(rows));

  // At a glance.
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> glance,
      tx.Query(fmt::format("SELECT CASE WHEN requester = $1 THEN 1 ELSE 0 END, "
                           "SUM(CASE WHEN {} THEN 0 ELSE 1 END), "
                           "SUM(CASE WHEN {} AND deadline_at IS NOT NULL AND "
                           "deadline_at <= $2 THEN 1 "
                           "ELSE 0 END), "
                           "SUM(CASE WHEN {} AND warning_at IS NOT NULL AND "
                           "warning_at <= $2 AND "
                           "deadline_at > $2 THEN 1 ELSE 0 END) "
                           "FROM assistance_requests GROUP BY 1",
                           kFinished, kRunning, kRunning),
               {std::string(agency), now_ms}));
  for (const db::Row& row : glance) {
    const bool outgoing = row.GetInt(0) == 1;
    (outgoing ? out.counts.open_outgoing : out.counts.open_incoming) =
        row.GetInt(1);
    (outgoing ? out.counts.overdue_outgoing : out.counts.overdue_incoming) =
        row.GetInt(2);
    (outgoing ? out.counts.warning_outgoing : out.counts.warning_incoming) =
        row.GetInt(3);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> DueForReminder(db::Transaction& tx,
                                                        absl::Time now,
                                                        int limit) {
  const int64_t now_ms = ToUnixMillis(now);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT id FROM assistance_requests WHERE {} AND ("
                           "(warning_at IS NOT NULL AND warning_at <= $1 AND "
                           "warned_at IS NULL) OR "
                           "(deadline_at IS NOT NULL AND deadline_at <= $1 AND "
                           "overdue_at IS NULL)) "
                           "ORDER BY deadline_at, id LIMIT $2",
                           kRunning),
               {now_ms, int64_t{limit}}));
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const db::Row& row : rows) ids.push_back(row.GetText(0));
  return ids;
}

absl::StatusOr<std::vector<AssistanceRequest>> RequestsSubmittedBetween(
    db::Transaction& tx, absl::Time from, absl::Time to) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          fmt::format(
              "SELECT {} FROM assistance_requests WHERE submitted_at >= $1 AND "
              "submitted_at < $2 ORDER BY submitted_at, id",
              kColumns),
          {ToUnixMillis(from), ToUnixMillis(to)}));
  return RequestsFromRows(rows);
}

}  // namespace jisr::assistance
