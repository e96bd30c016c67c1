#include "training/training_repository.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "db/versioned_records.h"

namespace jisr::training {
namespace {

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }
absl::Time FromMs(int64_t ms) { return absl::FromUnixMillis(ms); }
db::Value Text(std::string_view s) { return db::Value(std::string(s)); }

boost::json::object Body(boost::json::object o) {
  o.erase("created_at");
  o.erase("updated_at");
  o["version"] = 1;  // the column holds the truth; parse needs one
  return o;
}

absl::StatusOr<Programme> ParseProgramme(const boost::json::object& o) {
  return ProgrammeFromJson(o, JsonForm::kShared);
}
absl::StatusOr<Session> ParseSession(const boost::json::object& o) {
  return SessionFromJson(o, JsonForm::kShared);
}
absl::StatusOr<CatalogueItem> ParseCatalogueItem(const boost::json::object& o) {
  return CatalogueItemFromJson(o, JsonForm::kShared);
}

constexpr std::string_view kEnrolmentColumns =
    "id, session_id, programme_id, provider, agency, session_starts_at, name, "
    "participant_rank, unit, email, withdrawn, version, status, status_reason, attended, "
    "completion, certificate_number, record_version, created_at, updated_at, envelope_id";

Enrolment EnrolmentFromRow(const db::Row& row) {
  Enrolment e;
  e.id = row.GetText(0);
  e.session_id = row.GetText(1);
  e.programme_id = row.GetText(2);
  e.provider = row.GetText(3);
  e.agency = row.GetText(4);
  e.session_starts_at = FromMs(row.GetInt(5));
  e.participant.name = row.GetText(6);
  e.participant.rank = row.GetText(7);
  e.participant.unit = row.GetText(8);
  e.participant.email = row.GetText(9);
  e.withdrawn = row.GetBool(10);
  e.version = row.GetInt(11);
  e.status = row.GetText(12);
  e.status_reason = row.GetText(13);
  if (const std::optional<int64_t> a = row.GetOptionalInt(14)) e.attended = *a != 0;
  e.completion = row.GetText(15);
  e.certificate_number = row.GetText(16);
  e.record_version = row.GetInt(17);
  e.created_at = FromMs(row.GetInt(18));
  e.updated_at = FromMs(row.GetInt(19));
  e.envelope_id = row.GetOptionalText(20).value_or("");
  return e;
}

}  // namespace

absl::Status SaveProgramme(db::Transaction& tx, const Programme& p,
                           std::string_view created_by) {
  return db::UpsertRecord(tx, "training_programmes", p.id, {"owner", "title", "topic"},
                {Text(p.owner), Text(p.title), Text(p.topic)}, p.version,
                Body(ProgrammeToJson(p)), created_by, p.created_at, p.updated_at,
                p.envelope_id);
}

absl::Status SaveSession(db::Transaction& tx, const Session& s, std::string_view created_by) {
  return db::UpsertRecord(tx, "training_sessions", s.id,
                {"programme_id", "owner", "starts_at", "ends_at", "capacity", "state"},
                {Text(s.programme_id), Text(s.owner), Ms(s.starts_at), Ms(s.ends_at),
                 s.capacity, Text(s.state)},
                s.version, Body(SessionToJson(s)), created_by, s.created_at, s.updated_at,
                s.envelope_id);
}

absl::Status SaveCatalogueItem(db::Transaction& tx, const CatalogueItem& c,
                               std::string_view created_by) {
  return db::UpsertRecord(tx, "training_catalogue", c.id, {"owner", "domain", "title", "active"},
                {Text(c.owner), Text(c.domain), Text(c.title), int64_t{c.active ? 1 : 0}},
                c.version, Body(CatalogueItemToJson(c)), created_by, c.created_at,
                c.updated_at, c.envelope_id);
}

absl::Status SaveEnrolment(db::Transaction& tx, const Enrolment& e,
                           std::string_view created_by) {
  const db::Value params[] = {
      Text(e.id),
      Text(e.session_id),
      Text(e.programme_id),
      Text(e.provider),
      Text(e.agency),
      Ms(e.session_starts_at),
      Text(e.participant.name),
      Text(e.participant.rank),
      Text(e.participant.unit),
      Text(e.participant.email),
      int64_t{e.withdrawn ? 1 : 0},
      e.version,
      Text(e.status),
      Text(e.status_reason),
      e.attended ? db::Value(int64_t{*e.attended ? 1 : 0}) : db::Value(db::Null{}),
      Text(e.completion),
      Text(e.certificate_number),
      e.record_version,
      Text(created_by),
      Ms(e.created_at),
      Ms(e.updated_at),
      e.envelope_id.empty() ? db::Value(db::Null{}) : Text(e.envelope_id)};
  return tx
      .Execute(
          "INSERT INTO training_enrolments (id, session_id, programme_id, provider, agency, "
          "session_starts_at, name, participant_rank, unit, email, withdrawn, version, "
          "status, status_reason, attended, completion, certificate_number, record_version, "
          "created_by, created_at, updated_at, envelope_id) VALUES ($1, $2, $3, $4, $5, $6, "
          "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) "
          "ON CONFLICT (id) DO UPDATE SET session_starts_at = excluded.session_starts_at, "
          "name = excluded.name, participant_rank = excluded.participant_rank, "
          "unit = excluded.unit, email = excluded.email, withdrawn = excluded.withdrawn, "
          "version = excluded.version, status = excluded.status, "
          "status_reason = excluded.status_reason, attended = excluded.attended, "
          "completion = excluded.completion, "
          "certificate_number = excluded.certificate_number, "
          "record_version = excluded.record_version, updated_at = excluded.updated_at, "
          "envelope_id = excluded.envelope_id",
          db::Params(params, std::size(params)))
      .status();
}

absl::StatusOr<std::optional<Programme>> FindProgramme(db::Transaction& tx,
                                                       std::string_view id) {
  return db::FindRecord<Programme>(tx, "training_programmes", id, &ParseProgramme);
}
absl::StatusOr<std::optional<Session>> FindSession(db::Transaction& tx, std::string_view id) {
  return db::FindRecord<Session>(tx, "training_sessions", id, &ParseSession);
}
absl::StatusOr<std::optional<CatalogueItem>> FindCatalogueItem(db::Transaction& tx,
                                                               std::string_view id) {
  return db::FindRecord<CatalogueItem>(tx, "training_catalogue", id, &ParseCatalogueItem);
}

absl::StatusOr<std::optional<Enrolment>> FindEnrolment(db::Transaction& tx,
                                                       std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(
          fmt::format("SELECT {} FROM training_enrolments WHERE id = $1", kEnrolmentColumns),
          {Text(id)}));
  if (!row) return std::optional<Enrolment>();
  return std::optional<Enrolment>(EnrolmentFromRow(*row));
}

absl::StatusOr<Page<Programme>> ListProgrammes(db::Transaction& tx, int64_t offset,
                                               int64_t limit) {
  Page<Programme> page;
  JISR_ASSIGN_OR_RETURN(std::vector<db::Row> n,
                        tx.Query("SELECT COUNT(*) FROM training_programmes"));
  page.total = n[0].GetInt(0);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM training_programmes ORDER BY updated_at DESC, "
                           "id DESC LIMIT $1 OFFSET $2",
                           db::kRecordColumns),
               {limit, offset}));
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(Programme p,
                          db::RecordFromRow<Programme>(row, "training_programmes", &ParseProgramme));
    page.items.push_back(std::move(p));
  }
  return page;
}

absl::StatusOr<std::vector<Session>> ListSessions(db::Transaction& tx,
                                                  std::string_view programme_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM training_sessions WHERE programme_id = $1 "
                           "ORDER BY starts_at, id",
                           db::kRecordColumns),
               {Text(programme_id)}));
  std::vector<Session> out;
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(Session s, db::RecordFromRow<Session>(row, "training_sessions", &ParseSession));
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<Page<CatalogueItem>> ListCatalogue(db::Transaction& tx, std::string_view domain,
                                                  std::string_view owner, int64_t offset,
                                                  int64_t limit) {
  const std::string where =
      "WHERE ($1 = '' OR domain = $1) AND ($2 = '' OR owner = $2)";
  Page<CatalogueItem> page;
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> n,
      tx.Query("SELECT COUNT(*) FROM training_catalogue " + where, {Text(domain), Text(owner)}));
  page.total = n[0].GetInt(0);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM training_catalogue {} ORDER BY domain, title, id "
                           "LIMIT $3 OFFSET $4",
                           db::kRecordColumns, where),
               {Text(domain), Text(owner), limit, offset}));
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(
        CatalogueItem c, db::RecordFromRow<CatalogueItem>(row, "training_catalogue", &ParseCatalogueItem));
    page.items.push_back(std::move(c));
  }
  return page;
}

absl::StatusOr<std::vector<Enrolment>> ListEnrolments(db::Transaction& tx,
                                                      std::string_view session_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM training_enrolments WHERE session_id = $1 "
                           "ORDER BY agency, created_at, id",
                           kEnrolmentColumns),
               {Text(session_id)}));
  std::vector<Enrolment> out;
  for (const db::Row& row : rows) out.push_back(EnrolmentFromRow(row));
  return out;
}

absl::StatusOr<int64_t> CountConfirmed(db::Transaction& tx, std::string_view session_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT COUNT(*) FROM training_enrolments WHERE session_id = $1 AND "
               "status = 'confirmed'",
               {Text(session_id)}));
  return rows[0].GetInt(0);
}

absl::StatusOr<bool> DeleteProgramme(db::Transaction& tx, std::string_view id) {
  JISR_RETURN_IF_ERROR(
      tx.Execute("DELETE FROM training_sessions WHERE programme_id = $1", {Text(id)}).status());
  JISR_ASSIGN_OR_RETURN(int64_t n,
                        tx.Execute("DELETE FROM training_programmes WHERE id = $1", {Text(id)}));
  return n > 0;
}

absl::StatusOr<bool> DeleteCatalogueItem(db::Transaction& tx, std::string_view id) {
  JISR_ASSIGN_OR_RETURN(int64_t n,
                        tx.Execute("DELETE FROM training_catalogue WHERE id = $1", {Text(id)}));
  return n > 0;
}

}  // namespace jisr::training
