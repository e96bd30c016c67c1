#include "federation/store.h"

#include <algorithm>

#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "fmt/format.h"

namespace jisr::federation {
namespace {

using absl::ToUnixMillis;

constexpr std::string_view kPeerColumns = "code, card, added_by, added_at";

absl::StatusOr<Peer> PeerFromRow(const db::Row& row) {
  absl::StatusOr<PeerCard> card = PeerCardFromJson(row.GetText(1));
  if (!card.ok()) {
    return absl::DataLossError(fmt::format("peer {}: stored card unreadable: {}", row.GetText(0),
                                           std::string(card.status().message())));
  }
  Peer p;
  p.card = *std::move(card);
  p.added_by = row.GetText(2);
  p.added_at = absl::FromUnixMillis(row.GetInt(3));
  return p;
}

absl::StatusOr<std::optional<Peer>> FindPeerWhere(db::Transaction& tx, std::string_view where,
                                                  std::string_view value) {
  JISR_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                        tx.QueryOptional(fmt::format("SELECT {} FROM peers WHERE {} = $1",
                                                     kPeerColumns, where),
                                         {std::string(value)}));
  if (!row) return std::optional<Peer>();
  JISR_ASSIGN_OR_RETURN(Peer p, PeerFromRow(*row));
  return std::optional<Peer>(std::move(p));
}

// "$1, $2, ..." for n parameters starting at `first`.
std::string Placeholders(size_t n, size_t first) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    out += fmt::format("${}", first + i);
  }
  return out;
}

}  // namespace

boost::json::object PeerToJson(const Peer& peer) {
  boost::json::object o = PeerCardToJson(peer.card);
  o.erase("card");
  o["added_by"] = peer.added_by;
  o["added_at"] = FormatRfc3339(peer.added_at);
  return o;
}

absl::Status InsertPeer(db::Transaction& tx, const Peer& peer) {
  absl::StatusOr<int64_t> n = tx.Execute(
      "INSERT INTO peers (code, card, url, tls_fingerprint, signing_key, added_by, added_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {peer.card.agency, ToJson(PeerCardToJson(peer.card)), peer.card.federation_url,
       peer.card.tls_fingerprint, ToBase64(peer.card.signing_key), peer.added_by,
       ToUnixMillis(peer.added_at)});
  if (n.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(fmt::format(
        "a peer with agency {} or certificate {} is registered already (remove it first)",
        peer.card.agency, peer.card.tls_fingerprint));
  }
  return n.status();
}

absl::Status DeletePeer(db::Transaction& tx, std::string_view code) {
  JISR_ASSIGN_OR_RETURN(int64_t n, tx.Execute("DELETE FROM peers WHERE code = $1", {std::string(code)}));
  if (n == 0) return absl::NotFoundError(fmt::format("no peer {}", code));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Peer>> ListPeers(db::Transaction& tx) {
  JISR_ASSIGN_OR_RETURN(std::vector<db::Row> rows,
                        tx.Query(fmt::format("SELECT {} FROM peers ORDER BY code", kPeerColumns)));
  std::vector<Peer> out;
  out.reserve(rows.size());
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(Peer p, PeerFromRow(row));
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<std::optional<Peer>> FindPeer(db::Transaction& tx, std::string_view code) {
  return FindPeerWhere(tx, "code", code);
}

absl::StatusOr<std::optional<Peer>> FindPeerByFingerprint(db::Transaction& tx,
                                                          std::string_view fingerprint) {
  return FindPeerWhere(tx, "tls_fingerprint", fingerprint);
}

absl::Status Publish(db::Transaction& tx, std::span<const std::string> recipients,
                     std::string_view kind, std::string_view record_id, int64_t version,
                     std::string_view body, absl::Time now) {
  if (body.size() > kMaxBodyBytes) {
    return InvalidField("body", fmt::format("body is over {} bytes", kMaxBodyBytes));
  }
  for (const std::string& to : recipients) {
    JISR_RETURN_IF_ERROR(CheckAgencyCode(to, "recipients"));
  }
  const int64_t ms = ToUnixMillis(now);
  for (const std::string& to : recipients) {
    JISR_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO outbox (id, recipient, kind, record_id, version, body, created_at, "
                   "next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                   {NewUuidV7(now), to, std::string(kind), std::string(record_id), version,
                    std::string(body), ms})
            .status());
    JISR_RETURN_IF_ERROR(tx.Notify(kOutboxChannel, to));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<PendingEnvelope>> ClaimBatch(db::Transaction& tx, db::Dialect dialect,
                                                        std::string_view recipient, absl::Time now,
                                                        absl::Duration lease, int limit) {
  const int64_t ms = ToUnixMillis(now);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT id, recipient, kind, record_id, version, body, created_at, "
                           "attempts, refusals FROM outbox WHERE recipient = $1 AND delivered_at "
                           "IS NULL AND dead_at IS NULL "
                           "AND next_attempt_at <= $2 AND (claimed_until IS NULL OR "
                           "claimed_until <= $2) ORDER BY id LIMIT $3{}",
                           dialect == db::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : ""),
               {std::string(recipient), ms, static_cast<int64_t>(limit)}));
  std::vector<PendingEnvelope> out;
  out.reserve(rows.size());
  std::vector<db::Value> ids;
  ids.reserve(rows.size() + 1);
  ids.emplace_back(ToUnixMillis(now + lease));
  for (const db::Row& row : rows) {
    PendingEnvelope p;
    p.envelope.id = row.GetText(0);
    p.envelope.to = row.GetText(1);
    p.envelope.kind = row.GetText(2);
    p.envelope.record_id = row.GetText(3);
    p.envelope.version = row.GetInt(4);
    p.envelope.body = row.GetText(5);
    p.created_at = absl::FromUnixMillis(row.GetInt(6));
    p.attempts = row.GetInt(7);
    p.refusals = row.GetInt(8);
    ids.emplace_back(p.envelope.id);
    out.push_back(std::move(p));
  }
  if (!out.empty()) {
    JISR_RETURN_IF_ERROR(
        tx.Execute(fmt::format("UPDATE outbox SET claimed_until = $1 WHERE id IN ({})",
                               Placeholders(out.size(), 2)),
                   db::Params(ids))
            .status());
  }
  return out;
}

absl::Status MarkDelivered(db::Transaction& tx, std::span<const std::string> ids, absl::Time now) {
  if (ids.empty()) return absl::OkStatus();
  std::vector<db::Value> params;
  params.reserve(ids.size() + 1);
  params.emplace_back(ToUnixMillis(now));
  for (const std::string& id : ids) params.emplace_back(id);
  return tx.Execute(fmt::format("UPDATE outbox SET delivered_at = $1, claimed_until = NULL, "
                                "last_error = '' WHERE id IN ({})",
                                Placeholders(ids.size(), 2)),
                    db::Params(params))
      .status();
}

absl::Status MarkFailed(db::Transaction& tx, std::span<const std::string> ids,
                        std::string_view error, absl::Time next_attempt) {
  if (ids.empty()) return absl::OkStatus();
  std::vector<db::Value> params;
  params.reserve(ids.size() + 2);
  params.emplace_back(ToUnixMillis(next_attempt));
  params.emplace_back(std::string(error.substr(0, 1000)));
  for (const std::string& id : ids) params.emplace_back(id);
  return tx.Execute(fmt::format("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, "
                                "last_error = $2, claimed_until = NULL WHERE id IN ({})",
                                Placeholders(ids.size(), 3)),
                    db::Params(params))
      .status();
}

absl::StatusOr<bool> MarkRefused(db::Transaction& tx, std::string_view id, std::string_view error,
                                 absl::Time next_attempt, absl::Time now, int64_t max_refusals) {
  // SET expressions read the row as it was: refusals + 1 is the new count.
  JISR_ASSIGN_OR_RETURN(
      int64_t n,
      tx.Execute("UPDATE outbox SET attempts = attempts + 1, refusals = refusals + 1, "
                 "next_attempt_at = $1, last_error = $2, claimed_until = NULL, "
                 "dead_at = CASE WHEN refusals + 1 >= $3 THEN $4 ELSE NULL END "
                 "WHERE id = $5 AND delivered_at IS NULL",
                 {ToUnixMillis(next_attempt), std::string(error.substr(0, 1000)),
                  std::max<int64_t>(1, max_refusals), ToUnixMillis(now), std::string(id)}));
  if (n == 0) return false;
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional("SELECT dead_at FROM outbox WHERE id = $1", {std::string(id)}));
  return row.has_value() && !row->IsNull(0);
}

absl::StatusOr<std::optional<absl::Time>> NextDue(db::Transaction& tx, std::string_view recipient) {
  JISR_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                        tx.QueryOptional("SELECT MIN(next_attempt_at) FROM outbox WHERE "
                                         "recipient = $1 AND delivered_at IS NULL AND "
                                         "dead_at IS NULL",
                                         {std::string(recipient)}));
  if (!row || row->IsNull(0)) return std::optional<absl::Time>();
  return std::optional<absl::Time>(absl::FromUnixMillis(row->GetInt(0)));
}

absl::StatusOr<std::vector<OutboxStats>> OutboxStatistics(db::Transaction& tx) {
  // Live: undelivered and not dead-lettered.
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT recipient, "
               "SUM(CASE WHEN delivered_at IS NULL AND dead_at IS NULL THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN delivered_at IS NULL THEN 0 ELSE 1 END), "
               "MIN(CASE WHEN delivered_at IS NULL AND dead_at IS NULL THEN created_at END), "
               "MAX(delivered_at), "
               "MAX(CASE WHEN delivered_at IS NULL AND dead_at IS NULL THEN attempts ELSE 0 END), "
               "SUM(CASE WHEN delivered_at IS NULL AND dead_at IS NOT NULL THEN 1 ELSE 0 END) "
               "FROM outbox GROUP BY recipient ORDER BY recipient"));
  std::vector<OutboxStats> out;
  for (const db::Row& row : rows) {
    OutboxStats s;
    s.recipient = row.GetText(0);
    s.pending = row.GetInt(1);
    s.delivered = row.GetInt(2);
    if (!row.IsNull(3)) s.oldest_pending = absl::FromUnixMillis(row.GetInt(3));
    if (!row.IsNull(4)) s.last_delivered = absl::FromUnixMillis(row.GetInt(4));
    s.max_attempts = row.GetInt(5);
    s.dead = row.GetInt(6);
    JISR_ASSIGN_OR_RETURN(
        std::optional<db::Row> err,
        tx.QueryOptional("SELECT last_error FROM outbox WHERE recipient = $1 AND delivered_at IS "
                         "NULL AND dead_at IS NULL AND last_error <> '' ORDER BY "
                         "next_attempt_at DESC LIMIT 1",
                         {s.recipient}));
    if (err) s.last_error = err->GetText(0);
    if (s.dead > 0) {
      JISR_ASSIGN_OR_RETURN(
          std::optional<db::Row> dead,
          tx.QueryOptional("SELECT last_error FROM outbox WHERE recipient = $1 AND dead_at IS NOT "
                           "NULL AND delivered_at IS NULL ORDER BY dead_at DESC, id DESC LIMIT 1",
                           {s.recipient}));
      if (dead) s.last_dead_error = dead->GetText(0);
    }
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

constexpr std::string_view kEntryColumns =
    "id, recipient, kind, record_id, version, created_at, dead_at, delivered_at, attempts, "
    "refusals, last_error";

OutboxEntry EntryFromRow(const db::Row& row) {
  OutboxEntry e;
  e.id = row.GetText(0);
  e.recipient = row.GetText(1);
  e.kind = row.GetText(2);
  e.record_id = row.GetText(3);
  e.version = row.GetInt(4);
  e.created_at = absl::FromUnixMillis(row.GetInt(5));
  if (!row.IsNull(6)) e.dead_at = absl::FromUnixMillis(row.GetInt(6));
  if (!row.IsNull(7)) e.delivered_at = absl::FromUnixMillis(row.GetInt(7));
  e.attempts = row.GetInt(8);
  e.refusals = row.GetInt(9);
  e.last_error = row.GetText(10);
  return e;
}

// The row, NotFound, or FailedPrecondition when it is not dead-lettered.
absl::StatusOr<OutboxEntry> FindDead(db::Transaction& tx, std::string_view recipient,
                                     std::string_view id) {
  JISR_ASSIGN_OR_RETURN(std::optional<OutboxEntry> e, FindOutboxEntry(tx, recipient, id));
  if (!e) return absl::NotFoundError(fmt::format("no outbox envelope {} for {}", id, recipient));
  if (!e->dead_at || e->delivered_at) {
    return absl::FailedPreconditionError(
        fmt::format("envelope {} for {} is not dead-lettered", id, recipient));
  }
  return *std::move(e);
}

}  // namespace

boost::json::object OutboxEntryToJson(const OutboxEntry& e) {
  return {{"id", e.id},
          {"recipient", e.recipient},
          {"kind", e.kind},
          {"record_id", e.record_id},
          {"version", e.version},
          {"created_at", FormatRfc3339(e.created_at)},
          {"dead_at", e.dead_at ? boost::json::value(FormatRfc3339(*e.dead_at))
                                : boost::json::value(nullptr)},
          {"refusals", e.refusals},
          {"attempts", e.attempts},
          {"last_error", e.last_error}};
}

absl::StatusOr<std::optional<OutboxEntry>> FindOutboxEntry(db::Transaction& tx,
                                                           std::string_view recipient,
                                                           std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(fmt::format("SELECT {} FROM outbox WHERE id = $1 AND recipient = $2",
                                   kEntryColumns),
                       {std::string(id), std::string(recipient)}));
  if (!row) return std::optional<OutboxEntry>();
  return std::optional<OutboxEntry>(EntryFromRow(*row));
}

absl::StatusOr<std::vector<OutboxEntry>> ListDeadLetters(db::Transaction& tx,
                                                         std::string_view recipient,
                                                         int64_t offset, int64_t limit) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM outbox WHERE recipient = $1 AND dead_at IS NOT NULL "
                           "AND delivered_at IS NULL ORDER BY dead_at DESC, id DESC "
                           "LIMIT $2 OFFSET $3",
                           kEntryColumns),
               {std::string(recipient), limit, offset}));
  std::vector<OutboxEntry> out;
  out.reserve(rows.size());
  for (const db::Row& row : rows) out.push_back(EntryFromRow(row));
  return out;
}

absl::StatusOr<int64_t> CountDeadLetters(db::Transaction& tx, std::string_view recipient) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND dead_at IS NOT NULL AND "
               "delivered_at IS NULL",
               {std::string(recipient)}));
  return rows.empty() ? 0 : rows[0].GetInt(0);
}

absl::StatusOr<bool> HasOutboxRows(db::Transaction& tx, std::string_view recipient) {
  JISR_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                        tx.QueryOptional("SELECT 1 FROM outbox WHERE recipient = $1 LIMIT 1",
                                         {std::string(recipient)}));
  return row.has_value();
}

absl::StatusOr<OutboxEntry> RetryDeadLetter(db::Transaction& tx, std::string_view recipient,
                                            std::string_view id, absl::Time now) {
  JISR_ASSIGN_OR_RETURN(OutboxEntry e, FindDead(tx, recipient, id));
  const int64_t ms = ToUnixMillis(now);
  // The row must still be dead (another administrator may have retried or
  // discarded it since FindDead, on PostgreSQL's READ COMMITTED).
  JISR_ASSIGN_OR_RETURN(
      int64_t n, tx.Execute("UPDATE outbox SET dead_at = NULL, refusals = 0, "
                            "next_attempt_at = $1, claimed_until = NULL WHERE id = $2 AND "
                            "recipient = $3 AND dead_at IS NOT NULL AND delivered_at IS NULL",
                            {ms, std::string(id), std::string(recipient)}));
  if (n == 0) {
    return absl::FailedPreconditionError(
        fmt::format("envelope {} for {} is not dead-lettered", id, recipient));
  }
  JISR_RETURN_IF_ERROR(tx.Notify(kOutboxChannel, recipient));
  e.dead_at.reset();
  e.refusals = 0;
  return e;
}

absl::StatusOr<OutboxEntry> DiscardDeadLetter(db::Transaction& tx, std::string_view recipient,
                                              std::string_view id) {
  JISR_ASSIGN_OR_RETURN(OutboxEntry e, FindDead(tx, recipient, id));
  JISR_ASSIGN_OR_RETURN(
      int64_t n, tx.Execute("DELETE FROM outbox WHERE id = $1 AND recipient = $2 AND dead_at IS "
                            "NOT NULL AND delivered_at IS NULL",
                            {std::string(id), std::string(recipient)}));
  if (n == 0) {
    return absl::FailedPreconditionError(
        fmt::format("envelope {} for {} is not dead-lettered", id, recipient));
  }
  return e;
}

absl::StatusOr<int64_t> RetryAllDeadLetters(db::Transaction& tx, std::string_view recipient,
                                            absl::Time now) {
  JISR_ASSIGN_OR_RETURN(
      int64_t n, tx.Execute("UPDATE outbox SET dead_at = NULL, refusals = 0, next_attempt_at = $1, "
                            "claimed_until = NULL WHERE recipient = $2 AND dead_at IS NOT NULL "
                            "AND delivered_at IS NULL",
                            {ToUnixMillis(now), std::string(recipient)}));
  if (n > 0) JISR_RETURN_IF_ERROR(tx.Notify(kOutboxChannel, recipient));
  return n;
}

absl::StatusOr<int64_t> PurgeDelivered(db::Transaction& tx, absl::Time before) {
  return tx.Execute("DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < $1",
                    {ToUnixMillis(before)});
}

absl::StatusOr<bool> InboxContains(db::Transaction& tx, std::string_view id) {
  JISR_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                        tx.QueryOptional("SELECT 1 FROM inbox WHERE id = $1", {std::string(id)}));
  return row.has_value();
}

absl::StatusOr<std::optional<int64_t>> LastPublishedVersion(db::Transaction& tx,
                                                            std::string_view record_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT MAX(version) FROM outbox WHERE record_id = $1", {std::string(record_id)}));
  if (rows.empty() || rows[0].IsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].GetInt(0));
}

absl::Status ForgetRecord(db::Transaction& tx, std::string_view record_id) {
  return tx.Execute("DELETE FROM inbox_records WHERE record_id = $1", {std::string(record_id)})
      .status();
}

absl::StatusOr<std::optional<int64_t>> AppliedVersion(db::Transaction& tx, std::string_view sender,
                                                      std::string_view record_id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional("SELECT version FROM inbox_records WHERE sender = $1 AND record_id = $2",
                       {std::string(sender), std::string(record_id)}));
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(row->GetInt(0));
}

absl::Status RecordReceived(db::Transaction& tx, const Envelope& e, InboxOutcome outcome,
                            absl::Time now) {
  JISR_RETURN_IF_ERROR(
      tx.Execute("INSERT INTO inbox (id, sender, kind, record_id, version, sent_at, received_at, "
                 "body_hash, signature, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                 {e.id, e.from, e.kind, e.record_id, e.version, ToUnixMillis(e.sent_at),
                  ToUnixMillis(now), BodyHash(e.body), ToBase64(e.signature),
                  std::string(outcome == InboxOutcome::kApplied ? "applied" : "superseded")})
          .status());
  if (outcome == InboxOutcome::kApplied) {
    JISR_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO inbox_records (sender, record_id, version, envelope_id) VALUES "
                   "($1, $2, $3, $4) ON CONFLICT (sender, record_id) DO UPDATE SET version = "
                   "excluded.version, envelope_id = excluded.envelope_id",
                   {e.from, e.record_id, e.version, e.id})
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<InboxStats>> InboxStatistics(db::Transaction& tx) {
  JISR_ASSIGN_OR_RETURN(std::vector<db::Row> rows,
                        tx.Query("SELECT sender, COUNT(*), MAX(received_at) FROM inbox GROUP BY "
                                 "sender ORDER BY sender"));
  std::vector<InboxStats> out;
  for (const db::Row& row : rows) {
    InboxStats s;
    s.sender = row.GetText(0);
    s.received = row.GetInt(1);
    if (!row.IsNull(2)) s.last_received = absl::FromUnixMillis(row.GetInt(2));
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<std::optional<Provenance>> FindProvenance(db::Transaction& tx,
                                                         std::string_view envelope_id) {
  JISR_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                        tx.QueryOptional("SELECT id, sender, signature, body_hash, sent_at, "
                                         "received_at FROM inbox WHERE id = $1",
                                         {std::string(envelope_id)}));
  if (!row) return std::optional<Provenance>();
  Provenance p;
  p.envelope_id = row->GetText(0);
  p.sender = row->GetText(1);
  JISR_ASSIGN_OR_RETURN(p.signature, FromBase64(row->GetText(2), "signature"));
  p.body_hash = row->GetText(3);
  p.sent_at = absl::FromUnixMillis(row->GetInt(4));
  p.received_at = absl::FromUnixMillis(row->GetInt(5));
  return std::optional<Provenance>(std::move(p));
}

boost::json::object ProvenanceToJson(const Provenance& p) {
  return boost::json::object{{"envelope_id", p.envelope_id},
                             {"sender", p.sender},
                             {"signature", ToBase64(p.signature)},
                             {"body_hash", p.body_hash},
                             {"sent_at", FormatRfc3339(p.sent_at)},
                             {"received_at", FormatRfc3339(p.received_at)}};
}

}  // namespace jisr::federation
