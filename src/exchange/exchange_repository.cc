#include "exchange/exchange_repository.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <map>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::exchange {
namespace {

using absl::FromUnixMillis;
using absl::ToUnixMillis;

constexpr std::string_view kThreadColumns =
    "t.id, t.subject, t.origin, t.link_type, t.link_id, t.created_at, "
    "t.last_message_at, "
    "t.message_count";

constexpr std::string_view kMessageColumns =
    "m.id, m.thread_id, m.in_reply_to, m.origin, m.content_origin, "
    "m.sender_user_id, "
    "m.sender_username, m.sender_name, m.body, m.handling_code, "
    "m.handling_text, "
    "m.source_reliability, m.information_accuracy, m.ack_requested, "
    "m.forwarded_from, "
    "m.recipients, m.sent_at, m.received_at, m.envelope_id";
constexpr size_t kMessageColumnCount = 19;

constexpr std::string_view kDeliveryColumns =
    "kind, code, state, delivered_at, read_at, read_by, acknowledged_at, "
    "acknowledged_by, note";

std::optional<absl::Time> OptionalTime(const db::Row& row, size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return FromUnixMillis(row.GetInt(i));
}

db::Value TimeValue(const std::optional<absl::Time>& t) {
  if (!t) return db::Null{};
  return db::Value(ToUnixMillis(*t));
}

absl::StatusOr<Thread> ThreadFromRow(const db::Row& row) {
  Thread t;
  t.id = row.GetText(0);
  t.subject = row.GetText(1);
  t.origin = row.GetText(2);
  if (!row.IsNull(3)) {
    std::optional<LinkType> type = LinkTypeFromName(row.GetText(3));
    if (!type)
      return absl::DataLossError(
          fmt::format("thread {} has an unknown link type", t.id));
    t.link = Link{*type, row.GetText(4)};
  }
  t.created_at = FromUnixMillis(row.GetInt(5));
  t.last_message_at = FromUnixMillis(row.GetInt(6));
  t.message_count = row.GetInt(7);
  return t;
}

std::string RecipientsJson(const std::vector<Recipient>& recipients) {
  boost::json::array a;
  for (const Recipient& r : recipients) a.push_back(RecipientToJson(r));
  return ToJson(a);
}

absl::StatusOr<std::vector<Recipient>> RecipientsFromText(
    std::string_view id, std::string_view text) {
  absl::StatusOr<boost::json::value> v = ParseJson(text);
  if (!v.ok() || !v->is_array()) {
    return absl::DataLossError(
        fmt::format("message {}: stored recipients unreadable", id));
  }
  std::vector<Recipient> out;
  for (const boost::json::value& item : v->get_array()) {
    const boost::json::object* o = item.if_object();
    if (o == nullptr || !o->contains("type") || !o->contains("code") ||
        !o->at("type").is_string() || !o->at("code").is_string()) {
      return absl::DataLossError(
          fmt::format("message {}: stored recipients unreadable", id));
    }
    std::optional<RecipientType> type =
        RecipientTypeFromName(std::string(o->at("type").get_string()));
    if (!type)
      return absl::DataLossError(
          fmt::format("message {}: unknown recipient type", id));
    out.push_back(Recipient{*type, std::string(o->at("code").get_string())});
  }
  return out;
}

std::string ForwardedJson(const ForwardedFrom& f) {
  return ToJson(boost::json::object{{"message_id", f.message_id},
                                    {"thread_id", f.thread_id},
                                    {"origin", f.origin},
                                    {"sender_name", f.sender_name},
                                    {"sent_at", ToUnixMillis(f.sent_at)},
                                    {"note", f.note}});
}

absl::StatusOr<ForwardedFrom> ForwardedFromText(std::string_view id,
                                                std::string_view text) {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(text);
  const auto bad = [&] {
    return absl::DataLossError(
        fmt::format("message {}: stored forwarded_from unreadable", id));
  };
  if (!o.ok()) return bad();
  ForwardedFrom f;
  try {
    f.message_id = std::string(o->at("message_id").as_string());
    f.thread_id = std::string(o->at("thread_id").as_string());
    f.origin = std::string(o->at("origin").as_string());
    f.sender_name = std::string(o->at("sender_name").as_string());
    f.sent_at = FromUnixMillis(o->at("sent_at").as_int64());
    f.note = std::string(o->at("note").as_string());
  } catch (const std::exception&) {
    return bad();
  }
  return f;
}

absl::StatusOr<Message> MessageFromRow(const db::Row& row) {
  Message m;
  m.id = row.GetText(0);
  m.thread_id = row.GetText(1);
  m.in_reply_to = row.GetOptionalText(2);
  m.origin = row.GetText(3);
  m.content_origin = row.GetText(4);
  m.sender.agency = m.origin;
  m.sender.user_id = row.GetOptionalText(5).value_or("");
  m.sender.username = row.GetText(6);
  m.sender.display_name = row.GetText(7);
  m.text = row.GetText(8);
  std::optional<HandlingCode> code = HandlingCodeFromName(row.GetText(9));
  std::optional<SourceReliability> source =
      SourceReliabilityFromName(row.GetText(11));
  if (!code || !source) {
    return absl::DataLossError(fmt::format(
        "message {} has an unknown handling or evaluation code", m.id));
  }
  m.handling = Handling{*code, row.GetText(10)};
  m.evaluation = Evaluation{*source, static_cast<int>(row.GetInt(12))};
  m.ack_requested = row.GetBool(13);
  if (!row.IsNull(14)) {
    JISR_ASSIGN_OR_RETURN(ForwardedFrom f,
                          ForwardedFromText(m.id, row.GetText(14)));
    m.forwarded_from = std::move(f);
  }
  JISR_ASSIGN_OR_RETURN(m.recipients,
                        RecipientsFromText(m.id, row.GetText(15)));
  m.sent_at = FromUnixMillis(row.GetInt(16));
  m.received_at = OptionalTime(row, 17);
  m.envelope_id = row.GetOptionalText(18);
  return m;
}

absl::StatusOr<Delivery> DeliveryFromRow(const db::Row& row) {
  Delivery d;
  std::optional<RecipientType> type = RecipientTypeFromName(row.GetText(0));
  std::optional<DeliveryState> state = DeliveryStateFromName(row.GetText(2));
  if (!type || !state)
    return absl::DataLossError("a delivery row has an unknown kind or state");
  d.type = *type;
  d.code = row.GetText(1);
  d.state = *state;
  d.delivered_at = OptionalTime(row, 3);
  d.read_at = OptionalTime(row, 4);
  d.read_by = row.GetText(5);
  d.acknowledged_at = OptionalTime(row, 6);
  d.acknowledged_by = row.GetText(7);
  d.note = row.GetText(8);
  return d;
}

// Fills the attachments of `messages` (by id) from the rows selected.
absl::Status FillAttachments(db::Transaction& tx, std::string_view where,
                             const db::Value& param,
                             std::vector<Message>* messages) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          fmt::format("SELECT message_id, hash, name, media_type, size FROM "
                      "exchange_message_attachments WHERE {} ORDER BY "
                      "message_id, position",
                      where),
          {param}));
  std::map<std::string, std::vector<AttachmentRef>> by_message;
  for (const db::Row& row : rows) {
    by_message[row.GetText(0)].push_back(AttachmentRef{
        row.GetText(1), row.GetText(2), row.GetText(3), row.GetInt(4)});
  }
  for (Message& m : *messages) {
    auto it = by_message.find(m.id);
    if (it != by_message.end()) m.attachments = it->second;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Message>> MessagesFromRows(
    const std::vector<db::Row>& rows) {
  std::vector<Message> out;
  out.reserve(rows.size());
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(Message m, MessageFromRow(row));
    out.push_back(std::move(m));
  }
  return out;
}

std::string Param(std::vector<db::Value>* params, db::Value v) {
  params->push_back(std::move(v));
  return fmt::format("${}", params->size());
}

}  // namespace

// ---- full-text index
// -----------------------------------------------------------

absl::Status EnsureSearchIndex(db::Database& db) {
  if (db.dialect() == db::Dialect::kPostgres) {
    // One process at a time creates it; the others go on (a search without
    // the index is only slower).
    absl::StatusOr<bool> ran = db.RunExclusive("exchange.search_index", [&] {
      return db.Run(db::TxMode::kWrite, [](db::Transaction& tx) {
        return tx
            .Execute(
                "CREATE INDEX IF NOT EXISTS exchange_messages_search_idx ON "
                "exchange_messages USING gin (to_tsvector('simple', "
                "search_text))")
            .status();
      });
    });
    return ran.status();
  }
  return db.Run(db::TxMode::kWrite, [](db::Transaction& tx) -> absl::Status {
    JISR_RETURN_IF_ERROR(
        tx.Execute(
              "CREATE VIRTUAL TABLE IF NOT EXISTS exchange_search USING "
              "fts5(message_id "
              "UNINDEXED, content, tokenize = 'unicode61 remove_diacritics 2')")
            .status());
    JISR_ASSIGN_OR_RETURN(
        std::vector<db::Row> counts,
        tx.Query("SELECT (SELECT COUNT(*) FROM exchange_search), (SELECT "
                 "COUNT(*) FROM exchange_messages)"));
    if (counts[0].GetInt(0) == counts[0].GetInt(1)) return absl::OkStatus();
    JISR_RETURN_IF_ERROR(tx.Execute("DELETE FROM exchange_search").status());
    return tx
        .Execute(
            "INSERT INTO exchange_search (message_id, content) SELECT id, "
            "search_text FROM "
            "exchange_messages")
        .status();
  });
}

// ---- who sees what
// -------------------------------------------------------------

std::string VisibleThreadSql(const Viewer& viewer,
                             std::vector<db::Value>* params) {
  if (viewer.all) return "1 = 1";
  const std::string user = Param(params, viewer.user_id);
  return fmt::format(
      "EXISTS (SELECT 1 FROM exchange_thread_access a WHERE a.thread_id = t.id "
      "AND "
      "(a.kind = 'agency' OR (a.kind = 'user' AND a.value = {0}) OR (a.kind = "
      "'unit' AND "
      "a.value IN (SELECT um.unit FROM exchange_unit_members um WHERE "
      "um.user_id = {0}))))",
      user);
}

absl::StatusOr<bool> CanSeeThread(db::Transaction& tx, const Viewer& viewer,
                                  std::string_view thread_id) {
  std::vector<db::Value> params;
  const std::string id = Param(&params, std::string(thread_id));
  const std::string visible = VisibleThreadSql(viewer, &params);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          fmt::format("SELECT 1 FROM exchange_threads t WHERE t.id = {} AND {}",
                      id, visible),
          db::Params(params)));
  return !rows.empty();
}

absl::Status GrantAccess(db::Transaction& tx, std::string_view thread_id,
                         std::string_view kind, std::string_view value) {
  return tx
      .Execute(
          "INSERT INTO exchange_thread_access (thread_id, kind, value) VALUES "
          "($1, $2, $3) "
          "ON CONFLICT DO NOTHING",
          {std::string(thread_id), std::string(kind), std::string(value)})
      .status();
}

// ---- threads
// -------------------------------------------------------------------

absl::Status InsertThread(db::Transaction& tx, const Thread& t) {
  return tx
      .Execute(
          "INSERT INTO exchange_threads (id, subject, origin, link_type, "
          "link_id, "
          "created_at, last_message_at, message_count) VALUES ($1, $2, $3, $4, "
          "$5, $6, $7, "
          "$8)",
          {t.id, t.subject, t.origin,
           t.link ? db::Value(std::string(LinkTypeName(t.link->type)))
                  : db::Value(db::Null{}),
           t.link ? db::Value(t.link->id) : db::Value(db::Null{}),
           ToUnixMillis(t.created_at), ToUnixMillis(t.last_message_at),
           t.message_count})
      .status();
}

absl::StatusOr<std::optional<Thread>> GetThread(db::Transaction& tx,
                                                std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(
          fmt::format("SELECT {} FROM exchange_threads t WHERE t.id = $1",
                      kThreadColumns),
          {std::string(id)}));
  if (!row) return std::optional<Thread>();
  JISR_ASSIGN_OR_RETURN(Thread t, ThreadFromRow(*row));
  return std::optional<Thread>(std::move(t));
}

absl::Status NoteMessage(db::Transaction& tx, std::string_view thread_id,
                         absl::Time at) {
  return tx
      .Execute(
          "UPDATE exchange_threads SET message_count = message_count + 1, "
          "last_message_at = "
          "CASE WHEN last_message_at < $1 THEN $1 ELSE last_message_at END "
          "WHERE id = $2",
          {ToUnixMillis(at), std::string(thread_id)})
      .status();
}

absl::Status AddThreadAgencies(db::Transaction& tx, std::string_view thread_id,
                               std::span<const std::string> agencies) {
  for (const std::string& a : agencies) {
    JISR_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO exchange_thread_agencies (thread_id, agency) "
                   "VALUES ($1, $2) ON CONFLICT DO NOTHING",
                   {std::string(thread_id), a})
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ThreadAgencies(
    db::Transaction& tx, std::string_view thread_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT agency FROM exchange_thread_agencies WHERE thread_id = "
               "$1 ORDER BY agency",
               {std::string(thread_id)}));
  std::vector<std::string> out;
  for (const db::Row& row : rows) out.push_back(row.GetText(0));
  return out;
}

// ---- messages
// ------------------------------------------------------------------

absl::Status InsertMessage(db::Transaction& tx, db::Dialect dialect,
                           const Message& m, std::string_view subject) {
  std::string searchable = std::string(subject) + "\n" + m.text;
  for (const AttachmentRef& a : m.attachments) searchable += "\n" + a.name;
  const std::string search_text = SearchText(searchable);
  JISR_RETURN_IF_ERROR(
      tx.Execute("INSERT INTO exchange_messages (id, thread_id, in_reply_to, "
                 "origin, content_origin, "
                 "sender_user_id, sender_username, sender_name, body, "
                 "handling_code, handling_text, "
                 "source_reliability, information_accuracy, ack_requested, "
                 "forwarded_from, "
                 "recipients, sent_at, received_at, envelope_id, search_text) "
                 "VALUES ($1, $2, $3, $4, "
                 "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
                 "$18, $19, $20)",
                 {m.id,
                  m.thread_id,
                  db::Nullable(m.in_reply_to),
                  m.origin,
                  m.content_origin,
                  m.sender.user_id.empty() ? db::Value(db::Null{})
                                           : db::Value(m.sender.user_id),
                  m.sender.username,
                  m.sender.display_name,
                  m.text,
                  std::string(HandlingCodeName(m.handling.code)),
                  m.handling.text,
                  std::string(SourceReliabilityName(m.evaluation.source)),
                  int64_t{m.evaluation.accuracy},
                  int64_t{m.ack_requested ? 1 : 0},
                  m.forwarded_from ? db::Value(ForwardedJson(*m.forwarded_from))
                                   : db::Value(db::Null{}),
                  RecipientsJson(m.recipients),
                  ToUnixMillis(m.sent_at),
                  TimeValue(m.received_at),
                  db::Nullable(m.envelope_id),
                  search_text})
          .status());
  for (size_t i = 0; i < m.attachments.size(); ++i) {
    const AttachmentRef& a = m.attachments[i];
    JISR_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO exchange_message_attachments (message_id, "
                   "position, hash, name, "
                   "media_type, size) VALUES ($1, $2, $3, $4, $5, $6)",
                   {m.id, static_cast<int64_t>(i), a.hash, a.name, a.media_type,
                    a.size})
            .status());
  }
  // The one place the stores differ on writing: SQLite keeps its own FTS5
  // table; PostgreSQL indexes search_text itself.
  if (dialect == db::Dialect::kSqlite) {
    JISR_RETURN_IF_ERROR(tx.Execute("INSERT INTO exchange_search (message_id, "
                                    "content) VALUES ($1, $2)",
                                    {m.id, search_text})
                             .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Message>> GetMessage(db::Transaction& tx,
                                                  std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM exchange_messages m WHERE m.id = $1",
                           kMessageColumns),
               {std::string(id)}));
  if (rows.empty()) return std::optional<Message>();
  JISR_ASSIGN_OR_RETURN(std::vector<Message> messages, MessagesFromRows(rows));
  JISR_RETURN_IF_ERROR(
      FillAttachments(tx, "message_id = $1", std::string(id), &messages));
  return std::optional<Message>(std::move(messages[0]));
}

absl::StatusOr<std::vector<Message>> ThreadMessages(
    db::Transaction& tx, std::string_view thread_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM exchange_messages m WHERE "
                           "m.thread_id = $1 ORDER BY "
                           "m.sent_at, m.id",
                           kMessageColumns),
               {std::string(thread_id)}));
  JISR_ASSIGN_OR_RETURN(std::vector<Message> messages, MessagesFromRows(rows));
  JISR_RETURN_IF_ERROR(FillAttachments(
      tx,
      "message_id IN (SELECT id FROM exchange_messages WHERE thread_id = $1)",
      std::string(thread_id), &messages));
  return messages;
}

// ---- deliveries and reads
// ------------------------------------------------------

absl::Status InsertDelivery(db::Transaction& tx, std::string_view message_id,
                            const Delivery& d) {
  return tx
      .Execute(
          "INSERT INTO exchange_deliveries (message_id, kind, code, state, "
          "delivered_at, "
          "read_at, read_by, acknowledged_at, acknowledged_by, note) VALUES "
          "($1, $2, $3, $4, "
          "$5, $6, $7, $8, $9, $10)",
          {std::string(message_id), std::string(RecipientTypeName(d.type)),
           d.code, std::string(DeliveryStateName(d.state)),
           TimeValue(d.delivered_at), TimeValue(d.read_at), d.read_by,
           TimeValue(d.acknowledged_at), d.acknowledged_by, d.note})
      .status();
}

absl::Status UpdateDelivery(db::Transaction& tx, std::string_view message_id,
                            const Delivery& d) {
  JISR_ASSIGN_OR_RETURN(
      int64_t n, tx.Execute("UPDATE exchange_deliveries SET state = $1, "
                            "delivered_at = $2, read_at = $3, "
                            "read_by = $4, acknowledged_at = $5, "
                            "acknowledged_by = $6, note = $7 WHERE "
                            "message_id = $8 AND kind = $9 AND code = $10",
                            {std::string(DeliveryStateName(d.state)),
                             TimeValue(d.delivered_at), TimeValue(d.read_at),
                             d.read_by, TimeValue(d.acknowledged_at),
                             d.acknowledged_by, d.note, std::string(message_id),
                             std::string(RecipientTypeName(d.type)), d.code}));
  if (n == 0) {
    return absl::NotFoundError(fmt::format("message {} has no recipient {} {}",
                                           message_id,
                                           RecipientTypeName(d.type), d.code));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Delivery>> Deliveries(db::Transaction& tx,
                                                 std::string_view message_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM exchange_deliveries WHERE "
                           "message_id = $1 ORDER BY "
                           "kind, code",
                           kDeliveryColumns),
               {std::string(message_id)}));
  std::vector<Delivery> out;
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(Delivery d, DeliveryFromRow(row));
    out.push_back(std::move(d));
  }
  return out;
}

absl::StatusOr<bool> RecordRead(db::Transaction& tx,
                                std::string_view message_id,
                                std::string_view user_id, absl::Time at) {
  JISR_ASSIGN_OR_RETURN(
      int64_t n,
      tx.Execute(
          "INSERT INTO exchange_reads (message_id, user_id, read_at) "
          "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
          {std::string(message_id), std::string(user_id), ToUnixMillis(at)}));
  return n > 0;
}

absl::StatusOr<bool> HasRead(db::Transaction& tx, std::string_view message_id,
                             std::string_view user_id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional("SELECT 1 FROM exchange_reads WHERE message_id = $1 AND "
                       "user_id = $2",
                       {std::string(message_id), std::string(user_id)}));
  return row.has_value();
}

absl::StatusOr<std::set<std::string>> ReadInThread(db::Transaction& tx,
                                                   std::string_view thread_id,
                                                   std::string_view user_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT r.message_id FROM exchange_reads r JOIN "
               "exchange_messages m ON m.id = "
               "r.message_id WHERE m.thread_id = $1 AND r.user_id = $2",
               {std::string(thread_id), std::string(user_id)}));
  std::set<std::string> out;
  for (const db::Row& row : rows) out.insert(row.GetText(0));
  return out;
}

// ---- listings
// ------------------------------------------------------------------

absl::StatusOr<ThreadPage> ListThreads(db::Transaction& tx,
                                       const Viewer& viewer,
                                       const ThreadFilter& f) {
  std::vector<db::Value> params;
  std::string where = VisibleThreadSql(viewer, &params);
  if (f.link_type) {
    where +=
        fmt::format(" AND t.link_type = {}",
                    Param(&params, std::string(LinkTypeName(*f.link_type))));
  }
  if (f.link_id)
    where += fmt::format(" AND t.link_id = {}", Param(&params, *f.link_id));
  if (f.agency) {
    where += fmt::format(
        " AND EXISTS (SELECT 1 FROM exchange_thread_agencies ta WHERE "
        "ta.thread_id = t.id AND "
        "ta.agency = {})",
        Param(&params, *f.agency));
  }
  if (f.handling_code) {
    where += fmt::format(
        " AND EXISTS (SELECT 1 FROM exchange_messages hm WHERE hm.thread_id = "
        "t.id AND "
        "hm.handling_code = {})",
        Param(&params, std::string(HandlingCodeName(*f.handling_code))));
  }
  const std::string unread_condition =
      "NOT EXISTS (SELECT 1 FROM exchange_reads r WHERE r.message_id = xm.id "
      "AND r.user_id = "
      "{0}) AND (xm.sender_user_id IS NULL OR xm.sender_user_id <> {0})";
  if (f.unread_only) {
    const std::string user = Param(&params, viewer.user_id);
    where += fmt::format(
        " AND EXISTS (SELECT 1 FROM exchange_messages xm WHERE xm.thread_id = "
        "t.id AND {})",
        fmt::format(fmt::runtime(unread_condition), user));
  }
  ThreadPage page;
  page.page = f.page;
  page.page_size = f.page_size;
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> count,
      tx.Query(fmt::format("SELECT COUNT(*) FROM exchange_threads t WHERE {}",
                           where),
               db::Params(params)));
  page.total = count.empty() ? 0 : count[0].GetInt(0);
  std::vector<db::Value> page_params = params;
  const std::string limit = Param(&page_params, f.page_size);
  const std::string offset = Param(&page_params, (f.page - 1) * f.page_size);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          fmt::format("SELECT {} FROM exchange_threads t WHERE {} ORDER BY "
                      "t.last_message_at DESC, t.id DESC LIMIT {} OFFSET {}",
                      kThreadColumns, where, limit, offset),
          db::Params(page_params)));
  for (const db::Row& row : rows) {
    ThreadSummary s;
    JISR_ASSIGN_OR_RETURN(s.thread, ThreadFromRow(row));
    JISR_ASSIGN_OR_RETURN(s.agencies, ThreadAgencies(tx, s.thread.id));
    JISR_ASSIGN_OR_RETURN(
        std::vector<db::Row> codes,
        tx.Query("SELECT DISTINCT handling_code FROM exchange_messages WHERE "
                 "thread_id = $1 ORDER BY handling_code",
                 {s.thread.id}));
    for (const db::Row& c : codes) {
      if (std::optional<HandlingCode> code =
              HandlingCodeFromName(c.GetText(0))) {
        s.handling_codes.push_back(*code);
      }
    }
    JISR_ASSIGN_OR_RETURN(
        std::vector<db::Row> unread,
        tx.Query(fmt::format("SELECT COUNT(*) FROM exchange_messages xm WHERE "
                             "xm.thread_id = $1 "
                             "AND {}",
                             fmt::format(fmt::runtime(unread_condition), "$2")),
                 {s.thread.id, viewer.user_id}));
    s.unread = unread.empty() ? 0 : unread[0].GetInt(0);
    page.threads.push_back(std::move(s));
  }
  return page;
}

absl::StatusOr<SearchPage> SearchMessages(db::Transaction& tx,
                                          db::Dialect dialect,
                                          const Viewer& viewer,
                                          std::span<const std::string> terms,
                                          int64_t page, int64_t page_size) {
  SearchPage out;
  out.page = page;
  out.page_size = page_size;
  if (terms.empty()) return out;
  std::vector<db::Value> params;
  // The one place the stores differ on reading (see the header).
  std::string from;
  if (dialect == db::Dialect::kSqlite) {
    std::string query;
    for (const std::string& term : terms) {
      std::string quoted = "\"";
      for (char c : term) {
        if (c == '"') quoted += '"';
        quoted += c;
      }
      quoted += '"';
      if (!query.empty()) query += ' ';
      query += quoted;
    }
    from = fmt::format(
        "exchange_search JOIN exchange_messages m ON m.id = "
        "exchange_search.message_id JOIN "
        "exchange_threads t ON t.id = m.thread_id WHERE exchange_search MATCH "
        "{}",
        Param(&params, query));
  } else {
    std::string query;
    for (const std::string& term : terms)
      query += (query.empty() ? "" : " ") + term;
    from = fmt::format(
        "exchange_messages m JOIN exchange_threads t ON t.id = m.thread_id "
        "WHERE "
        "to_tsvector('simple', m.search_text) @@ plainto_tsquery('simple', {})",
        Param(&params, query));
  }
  const std::string where =
      fmt::format("{} AND {}", from, VisibleThreadSql(viewer, &params));
  JISR_ASSIGN_OR_RETURN(std::vector<db::Row> count,
                        tx.Query(fmt::format("SELECT COUNT(*) FROM {}", where),
                                 db::Params(params)));
  out.total = count.empty() ? 0 : count[0].GetInt(0);
  const std::string limit = Param(&params, page_size);
  const std::string offset = Param(&params, (page - 1) * page_size);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          fmt::format(
              "SELECT {}, t.subject FROM {} ORDER BY m.sent_at DESC, m.id DESC "
              "LIMIT {} OFFSET {}",
              kMessageColumns, where, limit, offset),
          db::Params(params)));
  for (const db::Row& row : rows) {
    SearchHit hit;
    JISR_ASSIGN_OR_RETURN(hit.message, MessageFromRow(row));
    hit.subject = row.GetText(kMessageColumnCount);
    std::vector<Message> one = {std::move(hit.message)};
    JISR_RETURN_IF_ERROR(
        FillAttachments(tx, "message_id = $1", one[0].id, &one));
    hit.message = std::move(one[0]);
    out.hits.push_back(std::move(hit));
  }
  return out;
}

// ---- units
// ---------------------------------------------------------------------

absl::StatusOr<std::vector<Unit>> ListUnits(db::Transaction& tx) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT code, name, updated_by, updated_at FROM exchange_units "
               "ORDER BY code"));
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> members,
      tx.Query("SELECT unit, user_id FROM exchange_unit_members ORDER BY unit, "
               "user_id"));
  std::map<std::string, std::vector<std::string>> by_unit;
  for (const db::Row& m : members)
    by_unit[m.GetText(0)].push_back(m.GetText(1));
  std::vector<Unit> out;
  for (const db::Row& row : rows) {
    Unit u;
    u.code = row.GetText(0);
    u.name = row.GetText(1);
    u.updated_by = row.GetText(2);
    u.updated_at = FromUnixMillis(row.GetInt(3));
    u.members = by_unit[u.code];
    out.push_back(std::move(u));
  }
  return out;
}

absl::StatusOr<std::optional<Unit>> GetUnit(db::Transaction& tx,
                                            std::string_view code) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional("SELECT code, name, updated_by, updated_at FROM "
                       "exchange_units WHERE code = $1",
                       {std::string(code)}));
  if (!row) return std::optional<Unit>();
  Unit u;
  u.code = row->GetText(0);
  u.name = row->GetText(1);
  u.updated_by = row->GetText(2);
  u.updated_at = FromUnixMillis(row->GetInt(3));
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> members,
      tx.Query(
          "SELECT user_id FROM exchange_unit_members WHERE unit = $1 ORDER "
          "BY user_id",
          {u.code}));
  for (const db::Row& m : members) u.members.push_back(m.GetText(0));
  return std::optional<Unit>(std::move(u));
}

absl::Status PutUnit(db::Transaction& tx, const Unit& u) {
  JISR_RETURN_IF_ERROR(
      tx.Execute("INSERT INTO exchange_units (code, name, updated_by, "
                 "updated_at) VALUES ($1, $2, "
                 "$3, $4) ON CONFLICT (code) DO UPDATE SET name = "
                 "excluded.name, updated_by = "
                 "excluded.updated_by, updated_at = excluded.updated_at",
                 {u.code, u.name, u.updated_by, ToUnixMillis(u.updated_at)})
          .status());
  JISR_RETURN_IF_ERROR(
      tx.Execute("DELETE FROM exchange_unit_members WHERE unit = $1", {u.code})
          .status());
  for (const std::string& member : u.members) {
    JISR_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO exchange_unit_members (unit, user_id) VALUES "
                   "($1, $2) ON CONFLICT DO NOTHING",
                   {u.code, member})
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> UserUnits(db::Transaction& tx,
                                                   std::string_view user_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT unit FROM exchange_unit_members WHERE user_id = $1 "
               "ORDER BY unit",
               {std::string(user_id)}));
  std::vector<std::string> out;
  for (const db::Row& row : rows) out.push_back(row.GetText(0));
  return out;
}

// ---- attachments
// ---------------------------------------------------------------

absl::StatusOr<std::optional<int64_t>> StoredAttachmentSize(
    db::Transaction& tx, std::string_view hash) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional("SELECT size FROM exchange_attachments WHERE hash = $1",
                       {std::string(hash)}));
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(row->GetInt(0));
}

absl::Status RecordAttachment(db::Transaction& tx, std::string_view hash,
                              int64_t size, absl::Time at) {
  return tx
      .Execute(
          "INSERT INTO exchange_attachments (hash, size, stored_at) VALUES "
          "($1, $2, $3) ON "
          "CONFLICT DO NOTHING",
          {std::string(hash), size, ToUnixMillis(at)})
      .status();
}

absl::Status RecordUpload(db::Transaction& tx, std::string_view hash,
                          std::string_view user_id, absl::Time at) {
  return tx
      .Execute(
          "INSERT INTO exchange_attachment_uploads (hash, user_id, "
          "uploaded_at) VALUES ($1, "
          "$2, $3) ON CONFLICT DO NOTHING",
          {std::string(hash), std::string(user_id), ToUnixMillis(at)})
      .status();
}

absl::StatusOr<bool> HasUploaded(db::Transaction& tx, std::string_view hash,
                                 std::string_view user_id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional("SELECT 1 FROM exchange_attachment_uploads WHERE hash = "
                       "$1 AND user_id = $2",
                       {std::string(hash), std::string(user_id)}));
  return row.has_value();
}

absl::StatusOr<std::vector<Message>> VisibleMessagesWithAttachment(
    db::Transaction& tx, const Viewer& viewer, std::string_view hash) {
  std::vector<db::Value> params;
  const std::string h = Param(&params, std::string(hash));
  const std::string visible = VisibleThreadSql(viewer, &params);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          fmt::format(
              "SELECT {} FROM exchange_messages m JOIN exchange_threads t ON "
              "t.id = "
              "m.thread_id WHERE m.id IN (SELECT message_id FROM "
              "exchange_message_attachments WHERE hash = {}) AND {} ORDER BY "
              "m.sent_at, m.id",
              kMessageColumns, h, visible),
          db::Params(params)));
  JISR_ASSIGN_OR_RETURN(std::vector<Message> messages, MessagesFromRows(rows));
  for (Message& m : messages) {
    std::vector<Message> one = {std::move(m)};
    JISR_RETURN_IF_ERROR(
        FillAttachments(tx, "message_id = $1", one[0].id, &one));
    m = std::move(one[0]);
  }
  return messages;
}

absl::StatusOr<bool> TransferOnce(db::Transaction& tx, std::string_view hash,
                                  std::string_view agency, absl::Time at) {
  JISR_ASSIGN_OR_RETURN(
      int64_t n,
      tx.Execute("INSERT INTO exchange_attachment_transfers (hash, agency, "
                 "queued_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                 {std::string(hash), std::string(agency), ToUnixMillis(at)}));
  return n == 0;
}

absl::Status InsertChunk(db::Transaction& tx, std::string_view hash,
                         std::string_view sender, const Chunk& c,
                         absl::Time at) {
  return tx
      .Execute(
          "INSERT INTO exchange_attachment_chunks (hash, sender, idx, "
          "chunk_count, "
          "total_size, chunk_offset, data, received_at) VALUES ($1, $2, $3, "
          "$4, $5, $6, $7, "
          "$8) ON CONFLICT DO NOTHING",
          {std::string(hash), std::string(sender), c.index, c.count,
           c.total_size, c.offset, db::Bytes{c.data}, ToUnixMillis(at)})
      .status();
}

absl::StatusOr<int64_t> ChunkCount(db::Transaction& tx, std::string_view hash,
                                   std::string_view sender) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(
          "SELECT COUNT(*) FROM exchange_attachment_chunks WHERE hash = $1 "
          "AND sender = $2",
          {std::string(hash), std::string(sender)}));
  return rows.empty() ? 0 : rows[0].GetInt(0);
}

absl::StatusOr<std::vector<Chunk>> ReadChunks(db::Transaction& tx,
                                              std::string_view hash,
                                              std::string_view sender) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT idx, chunk_count, total_size, chunk_offset, data FROM "
               "exchange_attachment_chunks WHERE hash = $1 AND sender = $2 "
               "ORDER BY idx",
               {std::string(hash), std::string(sender)}));
  std::vector<Chunk> out;
  out.reserve(rows.size());
  for (const db::Row& row : rows) {
    out.push_back(Chunk{row.GetInt(0), row.GetInt(1), row.GetInt(2),
                        row.GetInt(3), row.GetBytes(4)});
  }
  return out;
}

absl::Status DeleteChunks(db::Transaction& tx, std::string_view hash,
                          std::string_view sender) {
  return tx
      .Execute(
          "DELETE FROM exchange_attachment_chunks WHERE hash = $1 AND sender = "
          "$2",
          {std::string(hash), std::string(sender)})
      .status();
}

absl::StatusOr<int64_t> PurgeStaleChunks(db::Transaction& tx,
                                         absl::Time before) {
  // A transfer still receiving chunks is kept whole.
  return tx.Execute(
      "DELETE FROM exchange_attachment_chunks WHERE (hash, sender) IN (SELECT "
      "hash, sender FROM "
      "exchange_attachment_chunks GROUP BY hash, sender HAVING "
      "MAX(received_at) < $1)",
      {ToUnixMillis(before)});
}

}  // namespace jisr::exchange
