#include "alerts/alert_repository.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <utility>

#include "alerts/alert_index.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::alerts {
namespace {

constexpr std::string_view kColumns =
    "id, owner, source, category, status, version, content, review_at, "
    "review_warned_at, "
    "created_by, created_at, updated_by, updated_at, activated_by, "
    "activated_at, "
    "status_reason, executed_on, executed_place";

db::Value OptionalMillis(const std::optional<absl::Time>& t) {
  if (!t.has_value()) return db::Null{};
  return ToUnixMillis(*t);
}

std::optional<absl::Time> TimeOrNull(const db::Row& row, size_t i) {
  std::optional<int64_t> ms = row.GetOptionalInt(i);
  if (!ms.has_value()) return std::nullopt;
  return FromUnixMillis(*ms);
}

// The normalised names of `content`, separated so that a search cannot match
// across two names.
std::string SearchText(const AlertContent& content) {
  std::string out;
  for (const AlertName& n : content.names) {
    if (!out.empty()) out += " | ";
    out += SearchKey(n.full);
  }
  return out;
}

absl::StatusOr<Alert> AlertFromRow(const db::Row& row) {
  Alert a;
  a.id = row.GetText(0);
  const auto corrupt = [&](std::string_view what) {
    return absl::DataLossError(fmt::format("alert {} has {}", a.id, what));
  };
  a.owner = row.GetText(1);
  a.source = row.GetOptionalText(2);
  const std::optional<AlertStatus> status = StatusFromName(row.GetText(4));
  if (!status.has_value()) return corrupt("an unknown status");
  a.status = *status;
  a.version = row.GetInt(5);
  absl::StatusOr<boost::json::object> content = ParseJsonObject(row.GetText(6));
  if (!content.ok()) return corrupt("unreadable content");
  absl::StatusOr<AlertContent> parsed = AlertContentFromJson(*content);
  if (!parsed.ok()) {
    return corrupt(fmt::format("unreadable content ({})",
                               std::string(parsed.status().message())));
  }
  a.content = *std::move(parsed);
  a.review_at = TimeOrNull(row, 7);
  a.review_warned_at = TimeOrNull(row, 8);
  a.created_by = row.GetText(9);
  a.created_at = FromUnixMillis(row.GetInt(10));
  a.updated_by = row.GetText(11);
  a.updated_at = FromUnixMillis(row.GetInt(12));
  a.activated_by = row.GetOptionalText(13);
  a.activated_at = TimeOrNull(row, 14);
  a.status_reason = row.GetText(15);
  if (std::optional<std::string> day = row.GetOptionalText(16)) {
    absl::StatusOr<absl::CivilDay> d = ParseDay(*day, "executed_on");
    if (!d.ok()) return corrupt("an unreadable execution date");
    a.execution = Execution{*d, row.GetText(17)};
  }
  return a;
}

absl::StatusOr<std::vector<Alert>> AlertsFromRows(
    const std::vector<db::Row>& rows) {
  std::vector<Alert> out;
  out.reserve(rows.size());
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(Alert a, AlertFromRow(row));
    out.push_back(std::move(a));
  }
  return out;
}

// Escapes LIKE's wildcards (and the escape character itself) in `text`.
std::string LikeEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string ToJsonArray(const std::vector<std::string>& items) {
  boost::json::array a;
  for (const std::string& s : items) a.emplace_back(s);
  return ToJson(a);
}

}  // namespace

boost::json::object HistoryEntryToJson(const HistoryEntry& e) {
  boost::json::object o;
  o["version"] = e.version;
  o["at"] = FormatRfc3339(e.at);
  o["actor"] = e.actor;
  o["change"] = e.change;
  boost::json::array fields;
  for (const std::string& f : e.fields) fields.emplace_back(f);
  o["fields"] = std::move(fields);
  o["note"] = e.note;
  absl::StatusOr<boost::json::object> snapshot = ParseJsonObject(e.snapshot);
  if (snapshot.ok()) {
    o["snapshot"] = *std::move(snapshot);
  } else {
    o["snapshot"] = e.snapshot;
  }
  return o;
}

absl::Status InsertAlert(db::Transaction& tx, const Alert& a) {
  const std::vector<db::Value> params = {
      a.id,
      a.owner,
      db::Nullable(a.source),
      std::string(CategoryName(a.content.category)),
      std::string(StatusName(a.status)),
      a.version,
      a.content.PrimaryName(),
      SearchText(a.content),
      ToJson(AlertContentToJson(a.content)),
      std::string(HandlingCodeName(a.content.handling_code)),
      OptionalMillis(a.review_at),
      OptionalMillis(a.review_warned_at),
      a.created_by,
      ToUnixMillis(a.created_at),
      a.updated_by,
      ToUnixMillis(a.updated_at),
      db::Nullable(a.activated_by),
      OptionalMillis(a.activated_at),
      a.status_reason,
      a.execution ? db::Value(FormatDay(a.execution->date))
                  : db::Value(db::Null{}),
      a.execution ? db::Value(a.execution->place) : db::Value(db::Null{}),
  };
  absl::StatusOr<int64_t> n = tx.Execute(
      "INSERT INTO alerts (id, owner, source, category, status, version, "
      "primary_name, "
      "search_text, content, handling_code, review_at, review_warned_at, "
      "created_by, "
      "created_at, updated_by, updated_at, activated_by, activated_at, "
      "status_reason, "
      "executed_on, executed_place) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "$9, $10, $11, "
      "$12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
      params);
  if (n.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        a.source
            ? fmt::format("an alert from source {} already exists", *a.source)
            : fmt::format("alert {} already exists", a.id));
  }
  return n.status();
}

absl::Status UpdateAlert(db::Transaction& tx, const Alert& a,
                         int64_t expected_version) {
  const std::vector<db::Value> params = {
      std::string(CategoryName(a.content.category)),
      std::string(StatusName(a.status)),
      a.version,
      a.content.PrimaryName(),
      SearchText(a.content),
      ToJson(AlertContentToJson(a.content)),
      std::string(HandlingCodeName(a.content.handling_code)),
      OptionalMillis(a.review_at),
      OptionalMillis(a.review_warned_at),
      a.updated_by,
      ToUnixMillis(a.updated_at),
      db::Nullable(a.activated_by),
      OptionalMillis(a.activated_at),
      a.status_reason,
      a.execution ? db::Value(FormatDay(a.execution->date))
                  : db::Value(db::Null{}),
      a.execution ? db::Value(a.execution->place) : db::Value(db::Null{}),
      a.id,
      expected_version,
  };
  JISR_ASSIGN_OR_RETURN(
      int64_t n,
      tx.Execute(
          "UPDATE alerts SET category = $1, status = $2, version = $3, "
          "primary_name = $4, "
          "search_text = $5, content = $6, handling_code = $7, review_at = $8, "
          "review_warned_at = $9, updated_by = $10, updated_at = $11, "
          "activated_by = $12, activated_at = $13, status_reason = $14, "
          "executed_on = $15, executed_place = $16 WHERE id = $17 AND version "
          "= $18",
          params));
  if (n == 1) return absl::OkStatus();
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional("SELECT version FROM alerts WHERE id = $1", {a.id}));
  if (!row.has_value())
    return absl::NotFoundError(fmt::format("no alert with id {}", a.id));
  return absl::FailedPreconditionError(
      fmt::format("alert {} is at version {}, not {}: reload it and try again",
                  a.id, row->GetInt(0), expected_version));
}

absl::StatusOr<std::optional<Alert>> GetAlert(db::Transaction& tx,
                                              std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(
          fmt::format("SELECT {} FROM alerts WHERE id = $1", kColumns),
          {std::string(id)}));
  if (!row.has_value()) return std::optional<Alert>();
  JISR_ASSIGN_OR_RETURN(Alert a, AlertFromRow(*row));
  return std::optional<Alert>(std::move(a));
}

absl::StatusOr<std::optional<Alert>> FindAlertBySource(
    db::Transaction& tx, std::string_view owner, std::string_view source) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(
          fmt::format("SELECT {} FROM alerts WHERE owner = $1 AND source = $2",
                      kColumns),
          {std::string(owner), std::string(source)}));
  if (!row.has_value()) return std::optional<Alert>();
  JISR_ASSIGN_OR_RETURN(Alert a, AlertFromRow(*row));
  return std::optional<Alert>(std::move(a));
}

absl::StatusOr<AlertPage> ListAlerts(db::Transaction& tx,
                                     const AlertQuery& query) {
  if (query.page < 1 || query.page > 1000000) {
    return InvalidField("page", "page must be an integer from 1 to 1000000");
  }
  if (query.page_size < 1 || query.page_size > kMaxPageSize) {
    return InvalidField(
        "page_size",
        fmt::format("page_size must be an integer from 1 to {}", kMaxPageSize));
  }
  std::string where;
  std::vector<db::Value> params;
  const auto add = [&](std::string_view condition, db::Value value) {
    params.push_back(std::move(value));
    where += where.empty() ? " WHERE " : " AND ";
    where += fmt::format(fmt::runtime(condition), params.size());
  };
  if (query.status) add("status = ${}", std::string(StatusName(*query.status)));
  if (query.category)
    add("category = ${}", std::string(CategoryName(*query.category)));
  if (query.owner) add("owner = ${}", *query.owner);
  const std::string q = SearchKey(query.q);
  if (!q.empty()) {
    add("search_text LIKE ${} ESCAPE '\\'", "%" + LikeEscape(q) + "%");
  } else if (query.q.find_first_not_of(" \t") != std::string::npos) {
    // A search text without letters or digits matches no name.
    add("id = ${}", std::string());
  }

  AlertPage page;
  page.page = query.page;
  page.page_size = query.page_size;
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> count,
      tx.Query(fmt::format("SELECT COUNT(*) FROM alerts{}", where), params));
  page.total = count.empty() ? 0 : count[0].GetInt(0);
  std::vector<db::Value> paged = params;
  paged.push_back(query.page_size);
  paged.push_back((query.page - 1) * query.page_size);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          fmt::format("SELECT {} FROM alerts{} ORDER BY created_at DESC, id "
                      "DESC LIMIT ${} OFFSET ${}",
                      kColumns, where, params.size() + 1, params.size() + 2),
          paged));
  JISR_ASSIGN_OR_RETURN(page.alerts, AlertsFromRows(rows));
  return page;
}

absl::StatusOr<std::vector<Alert>> AlertsWithStatus(
    db::Transaction& tx, std::span<const AlertStatus> statuses) {
  std::vector<Alert> out;
  for (AlertStatus s : statuses) {
    JISR_ASSIGN_OR_RETURN(
        std::vector<db::Row> rows,
        tx.Query(
            fmt::format("SELECT {} FROM alerts WHERE status = $1 ORDER BY id",
                        kColumns),
            {std::string(StatusName(s))}));
    JISR_ASSIGN_OR_RETURN(std::vector<Alert> alerts, AlertsFromRows(rows));
    for (Alert& a : alerts) out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<std::vector<Alert>> AlertsDueForReview(db::Transaction& tx,
                                                      absl::Time until) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          fmt::format(
              "SELECT {} FROM alerts WHERE status IN ('active', 'suspended') "
              "AND "
              "review_at IS NOT NULL AND review_at < $1 ORDER BY review_at, id",
              kColumns),
          {ToUnixMillis(until)}));
  return AlertsFromRows(rows);
}

absl::Status AppendHistory(db::Transaction& tx, const HistoryEntry& e) {
  absl::StatusOr<int64_t> n = tx.Execute(
      "INSERT INTO alert_history (alert_id, version, at, actor, change, "
      "fields, note, snapshot) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {e.alert_id, e.version, ToUnixMillis(e.at), e.actor, e.change,
       ToJsonArray(e.fields), e.note, e.snapshot});
  return n.status();
}

absl::StatusOr<std::vector<HistoryEntry>> AlertHistory(db::Transaction& tx,
                                                       std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          "SELECT alert_id, version, at, actor, change, fields, note, snapshot "
          "FROM alert_history WHERE alert_id = $1 ORDER BY version",
          {std::string(id)}));
  std::vector<HistoryEntry> out;
  for (const db::Row& row : rows) {
    HistoryEntry e;
    e.alert_id = row.GetText(0);
    e.version = row.GetInt(1);
    e.at = FromUnixMillis(row.GetInt(2));
    e.actor = row.GetText(3);
    e.change = row.GetText(4);
    absl::StatusOr<boost::json::value> fields = ParseJson(row.GetText(5));
    if (fields.ok() && fields->is_array()) {
      for (const boost::json::value& f : fields->get_array()) {
        if (f.is_string())
          e.fields.emplace_back(f.get_string().data(), f.get_string().size());
      }
    }
    e.note = row.GetText(6);
    e.snapshot = row.GetText(7);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace jisr::alerts
