#include "events/event_repository.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <tuple>
#include <utility>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::events {
namespace {

db::Value Opt(const std::optional<std::string>& s) {
  return s ? db::Value(*s) : db::Value(db::Null{});
}

std::string ListJson(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const std::string& s : v) a.emplace_back(s);
  return ToJson(a);
}

std::vector<std::string> ListFrom(const std::string& text) {
  std::vector<std::string> out;
  absl::StatusOr<boost::json::value> v = ParseJson(text);
  if (!v.ok() || !v->is_array()) return out;
  for (const boost::json::value& s : v->get_array())
    if (s.is_string()) out.emplace_back(s.get_string().data(), s.get_string().size());
  return out;
}

absl::CivilDay Day(const std::string& text) {
  absl::CivilDay d;
  (void)absl::ParseCivilTime(ToAbsl(text), &d);
  return d;
}

constexpr std::string_view kEventColumns =
    "id, host, name, starts_on, ends_on, venues, partners, description, version, created_by, "
    "created_at, updated_at, envelope_id";

absl::StatusOr<Event> EventFromRow(const db::Row& row) {
  Event e;
  e.id = row.GetText(0);
  e.host = row.GetText(1);
  e.name = row.GetText(2);
  e.starts_on = Day(row.GetText(3));
  e.ends_on = Day(row.GetText(4));
  absl::StatusOr<boost::json::value> venues = ParseJson(row.GetText(5));
  if (!venues.ok() || !venues->is_array())
    return absl::DataLossError(fmt::format("event {}: unreadable venues", e.id));
  for (const boost::json::value& v : venues->get_array()) {
    if (!v.is_object()) continue;
    const boost::json::object& o = v.get_object();
    Venue venue;
    auto text = [&](const char* k) {
      const boost::json::value* m = o.if_contains(k);
      return m && m->is_string() ? std::string(m->get_string().data(), m->get_string().size())
                                 : std::string();
    };
    venue.code = text("code");
    venue.name = text("name");
    venue.city = text("city");
    e.venues.push_back(std::move(venue));
  }
  e.partners = ListFrom(row.GetText(6));
  e.description = row.GetText(7);
  e.version = row.GetInt(8);
  e.created_by = row.GetText(9);
  e.created_at = FromUnixMillis(row.GetInt(10));
  e.updated_at = FromUnixMillis(row.GetInt(11));
  e.envelope_id = row.GetOptionalText(12);
  return e;
}

std::string VenuesText(const Event& e) {
  boost::json::array a;
  for (const Venue& v : e.venues)
    a.push_back(boost::json::object{{"code", v.code}, {"name", v.name}, {"city", v.city}});
  return ToJson(a);
}

constexpr std::string_view kIncidentColumns =
    "id, event_id, owner, occurred_at, venue, type, severity, description, alert_ids, persons, "
    "version, reported_by, created_at, envelope_id";

Incident IncidentFromRow(const db::Row& row) {
  Incident i;
  i.id = row.GetText(0);
  i.event_id = row.GetText(1);
  i.owner = row.GetText(2);
  i.occurred_at = FromUnixMillis(row.GetInt(3));
  i.venue = row.GetText(4);
  i.type = row.GetText(5);
  i.severity = SeverityFromName(row.GetText(6)).value_or(Severity::kLow);
  i.description = row.GetText(7);
  i.alert_ids = ListFrom(row.GetText(8));
  i.persons = ListFrom(row.GetText(9));
  i.version = row.GetInt(10);
  i.reported_by = row.GetText(11);
  i.created_at = FromUnixMillis(row.GetInt(12));
  i.envelope_id = row.GetOptionalText(13);
  return i;
}

constexpr std::string_view kDeploymentColumns =
    "id, event_id, agency, officer_name, role, venue, starts_at, ends_at, contact, version, "
    "created_by, created_at, envelope_id";

Deployment DeploymentFromRow(const db::Row& row) {
  Deployment d;
  d.id = row.GetText(0);
  d.event_id = row.GetText(1);
  d.agency = row.GetText(2);
  d.officer_name = row.GetText(3);
  d.role = row.GetText(4);
  d.venue = row.GetText(5);
  d.starts_at = FromUnixMillis(row.GetInt(6));
  d.ends_at = FromUnixMillis(row.GetInt(7));
  d.contact = row.GetText(8);
  d.version = row.GetInt(9);
  d.created_by = row.GetText(10);
  d.created_at = FromUnixMillis(row.GetInt(11));
  d.envelope_id = row.GetOptionalText(12);
  return d;
}

constexpr std::string_view kCampaignColumns =
    "id, event_id, name, job_id, purpose, created_by, created_at, total, screened, finished_at, "
    "uploading, upload_expires_at";

absl::StatusOr<Campaign> CampaignWithCounts(db::Transaction& tx, const db::Row& row) {
  Campaign c;
  c.id = row.GetText(0);
  c.event_id = row.GetText(1);
  c.name = row.GetText(2);
  c.job_id = row.GetText(3);
  c.purpose = row.GetText(4);
  c.created_by = row.GetText(5);
  c.created_at = FromUnixMillis(row.GetInt(6));
  c.counts.total = row.GetInt(7);
  c.counts.screened = row.GetInt(8);
  if (std::optional<int64_t> f = row.GetOptionalInt(9)) c.finished_at = FromUnixMillis(*f);
  c.uploading = row.GetInt(10) != 0;
  if (std::optional<int64_t> e = row.GetOptionalInt(11)) c.upload_expires_at = FromUnixMillis(*e);
  JISR_ASSIGN_OR_RETURN(std::vector<db::Row> counts,
                        tx.Query("SELECT decision, COUNT(*) FROM event_campaign_applicants "
                                 "WHERE campaign_id = $1 GROUP BY decision",
                                 {c.id}));
  for (const db::Row& r : counts) {
    const int64_t n = r.GetInt(1);
    c.counts.matched += n;
    switch (DecisionFromName(r.GetText(0)).value_or(Decision::kPending)) {
      case Decision::kPending: c.counts.pending += n; break;
      case Decision::kCleared: c.counts.cleared += n; break;
      case Decision::kReferred: c.counts.referred += n; break;
      case Decision::kRefused: c.counts.refused += n; break;
    }
  }
  return c;
}

constexpr std::string_view kApplicantColumns =
    "campaign_id, item, input_id, input_name, alert_id, score, matches, decision, reviewer, "
    "reason, decided_at";

Applicant ApplicantFromRow(const db::Row& row) {
  Applicant a;
  a.campaign_id = row.GetText(0);
  a.item = row.GetInt(1);
  a.input_id = row.GetText(2);
  a.input_name = row.GetText(3);
  a.alert_id = row.GetText(4);
  a.score = row.GetDouble(5);
  a.matches = row.GetInt(6);
  a.decision = DecisionFromName(row.GetText(7)).value_or(Decision::kPending);
  a.reviewer = row.GetText(8);
  a.reason = row.GetText(9);
  if (std::optional<int64_t> d = row.GetOptionalInt(10)) a.decided_at = FromUnixMillis(*d);
  return a;
}

}  // namespace

absl::Status InsertEvent(db::Transaction& tx, const Event& e) {
  return tx
      .Execute(fmt::format("INSERT INTO events ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                           "$10, $11, $12, $13)",
                           kEventColumns),
               {e.id, e.host, e.name, FormatDay(e.starts_on), FormatDay(e.ends_on), VenuesText(e),
                ListJson(e.partners), e.description, e.version, e.created_by,
                ToUnixMillis(e.created_at), ToUnixMillis(e.updated_at), Opt(e.envelope_id)})
      .status();
}

absl::Status UpdateEvent(db::Transaction& tx, const Event& e) {
  JISR_ASSIGN_OR_RETURN(
      int64_t n,
      tx.Execute("UPDATE events SET host = $2, name = $3, starts_on = $4, ends_on = $5, "
                 "venues = $6, partners = $7, description = $8, version = $9, updated_at = $10, "
                 "envelope_id = $11 WHERE id = $1",
                 {e.id, e.host, e.name, FormatDay(e.starts_on), FormatDay(e.ends_on),
                  VenuesText(e), ListJson(e.partners), e.description, e.version,
                  ToUnixMillis(e.updated_at), Opt(e.envelope_id)}));
  if (n != 1) return absl::NotFoundError(fmt::format("no event {}", e.id));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Event>> GetEvent(db::Transaction& tx, std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(fmt::format("SELECT {} FROM events WHERE id = $1", kEventColumns),
                       {std::string(id)}));
  if (!row) return std::optional<Event>();
  JISR_ASSIGN_OR_RETURN(Event e, EventFromRow(*row));
  return std::optional<Event>(std::move(e));
}

absl::StatusOr<std::vector<Event>> ListEvents(db::Transaction& tx, std::string_view agency,
                                              int64_t limit, int64_t offset) {
  // partners is a JSON array of codes: '"CODE"' appears in it exactly when
  // CODE is a partner (codes hold no quotes).
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM events WHERE host = $1 OR partners LIKE $2 "
                           "ORDER BY starts_on DESC, id DESC LIMIT $3 OFFSET $4",
                           kEventColumns),
               {std::string(agency), fmt::format("%\"{}\"%", agency), limit, offset}));
  std::vector<Event> out;
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(Event e, EventFromRow(row));
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<IncidentLogState> GetIncidentLogState(db::Transaction& tx,
                                                     std::string_view event_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT COUNT(*), MAX(created_at) FROM event_incidents WHERE event_id = $1",
               {std::string(event_id)}));
  IncidentLogState out;
  out.count = rows[0].GetInt(0);
  if (!rows[0].IsNull(1)) out.latest_stored_at = absl::FromUnixMillis(rows[0].GetInt(1));
  return out;
}

absl::StatusOr<int64_t> CountVenueUses(db::Transaction& tx, std::string_view event_id,
                                       std::string_view venue) {
  int64_t n = 0;
  for (const char* table : {"event_incidents", "event_deployments"}) {
    JISR_ASSIGN_OR_RETURN(
        std::vector<db::Row> rows,
        tx.Query(fmt::format("SELECT COUNT(*) FROM {} WHERE event_id = $1 AND venue = $2", table),
                 {std::string(event_id), std::string(venue)}));
    n += rows[0].GetInt(0);
  }
  return n;
}

absl::StatusOr<DeletedRecords> DeleteOthersRecords(db::Transaction& tx, std::string_view event_id,
                                                   std::string_view agency) {
  DeletedRecords out;
  for (auto [table, owner, ids] : {std::tuple{"event_incidents", "owner", &out.incidents},
                                   std::tuple{"event_deployments", "agency", &out.deployments}}) {
    JISR_ASSIGN_OR_RETURN(
        std::vector<db::Row> rows,
        tx.Query(fmt::format("SELECT id FROM {} WHERE event_id = $1 AND {} <> $2", table, owner),
                 {std::string(event_id), std::string(agency)}));
    for (const db::Row& row : rows) ids->push_back(row.GetText(0));
    JISR_RETURN_IF_ERROR(
        tx.Execute(fmt::format("DELETE FROM {} WHERE event_id = $1 AND {} <> $2", table, owner),
                   {std::string(event_id), std::string(agency)})
            .status());
  }
  return out;
}

absl::Status InsertIncident(db::Transaction& tx, const Incident& i) {
  return tx
      .Execute(fmt::format("INSERT INTO event_incidents ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                           "$8, $9, $10, $11, $12, $13, $14)",
                           kIncidentColumns),
               {i.id, i.event_id, i.owner, ToUnixMillis(i.occurred_at), i.venue, i.type,
                std::string(SeverityName(i.severity)), i.description, ListJson(i.alert_ids),
                ListJson(i.persons), i.version, i.reported_by, ToUnixMillis(i.created_at),
                Opt(i.envelope_id)})
      .status();
}

absl::StatusOr<std::optional<Incident>> GetIncident(db::Transaction& tx, std::string_view id) {
  JISR_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                        tx.QueryOptional(fmt::format("SELECT {} FROM event_incidents WHERE id = $1",
                                                     kIncidentColumns),
                                         {std::string(id)}));
  if (!row) return std::optional<Incident>();
  return std::optional<Incident>(IncidentFromRow(*row));
}

absl::StatusOr<std::vector<Incident>> ListIncidents(db::Transaction& tx,
                                                    std::string_view event_id,
                                                    std::optional<Severity> min_severity,
                                                    int64_t limit, int64_t offset) {
  std::string severities;
  for (size_t s = static_cast<size_t>(min_severity.value_or(Severity::kLow));
       s < SeverityNames().size(); ++s) {
    severities += fmt::format("{}'{}'", severities.empty() ? "" : ", ", SeverityNames()[s]);
  }
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM event_incidents WHERE event_id = $1 AND severity IN "
                           "({}) ORDER BY occurred_at DESC, id DESC LIMIT $2 OFFSET $3",
                           kIncidentColumns, severities),
               {std::string(event_id), limit, offset}));
  std::vector<Incident> out;
  for (const db::Row& row : rows) out.push_back(IncidentFromRow(row));
  return out;
}

absl::Status InsertDeployment(db::Transaction& tx, const Deployment& d) {
  return tx
      .Execute(fmt::format("INSERT INTO event_deployments ({}) VALUES ($1, $2, $3, $4, $5, $6, "
                           "$7, $8, $9, $10, $11, $12, $13)",
                           kDeploymentColumns),
               {d.id, d.event_id, d.agency, d.officer_name, d.role, d.venue,
                ToUnixMillis(d.starts_at), ToUnixMillis(d.ends_at), d.contact, d.version,
                d.created_by, ToUnixMillis(d.created_at), Opt(d.envelope_id)})
      .status();
}

absl::StatusOr<std::optional<Deployment>> GetDeployment(db::Transaction& tx,
                                                        std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(
          fmt::format("SELECT {} FROM event_deployments WHERE id = $1", kDeploymentColumns),
          {std::string(id)}));
  if (!row) return std::optional<Deployment>();
  return std::optional<Deployment>(DeploymentFromRow(*row));
}

absl::StatusOr<std::vector<Deployment>> ListDeployments(db::Transaction& tx,
                                                        std::string_view event_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM event_deployments WHERE event_id = $1 ORDER BY "
                           "starts_at, id LIMIT 5000",
                           kDeploymentColumns),
               {std::string(event_id)}));
  std::vector<Deployment> out;
  for (const db::Row& row : rows) out.push_back(DeploymentFromRow(row));
  return out;
}

absl::Status InsertCampaign(db::Transaction& tx, const Campaign& c) {
  return tx
      .Execute(fmt::format("INSERT INTO event_campaigns ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                           "$8, $9, $10, $11, $12)",
                           kCampaignColumns),
               {c.id, c.event_id, c.name, c.job_id, c.purpose, c.created_by,
                ToUnixMillis(c.created_at), c.counts.total, c.counts.screened,
                db::Value(db::Null{}), int64_t{c.uploading ? 1 : 0},
                c.upload_expires_at ? db::Value(ToUnixMillis(*c.upload_expires_at))
                                    : db::Value(db::Null{})})
      .status();
}

absl::Status DeleteCampaign(db::Transaction& tx, std::string_view id) {
  return tx.Execute("DELETE FROM event_campaigns WHERE id = $1", {std::string(id)}).status();
}

absl::Status SetUpload(db::Transaction& tx, std::string_view campaign_id, int64_t total,
                       std::optional<absl::Time> expires_at) {
  return tx
      .Execute(
          "UPDATE event_campaigns SET total = $2, uploading = $3, upload_expires_at = $4 WHERE "
          "id = $1",
          {std::string(campaign_id), total, int64_t{expires_at ? 1 : 0},
           expires_at ? db::Value(ToUnixMillis(*expires_at)) : db::Value(db::Null{})})
      .status();
}

absl::StatusOr<std::optional<Campaign>> GetCampaign(db::Transaction& tx, std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(
          fmt::format("SELECT {} FROM event_campaigns WHERE id = $1", kCampaignColumns),
          {std::string(id)}));
  if (!row) return std::optional<Campaign>();
  JISR_ASSIGN_OR_RETURN(Campaign c, CampaignWithCounts(tx, *row));
  return std::optional<Campaign>(std::move(c));
}

absl::StatusOr<std::optional<std::string>> CampaignOfJob(db::Transaction& tx,
                                                         std::string_view job_id) {
  JISR_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                        tx.QueryOptional("SELECT id FROM event_campaigns WHERE job_id = $1",
                                         {std::string(job_id)}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->GetText(0));
}

absl::StatusOr<std::vector<Campaign>> ListCampaigns(db::Transaction& tx,
                                                    std::string_view event_id) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM event_campaigns WHERE event_id = $1 ORDER BY "
                           "created_at DESC, id DESC LIMIT 1000",
                           kCampaignColumns),
               {std::string(event_id)}));
  std::vector<Campaign> out;
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(Campaign c, CampaignWithCounts(tx, row));
    out.push_back(std::move(c));
  }
  return out;
}

absl::Status SetScreened(db::Transaction& tx, std::string_view campaign_id, int64_t screened,
                         absl::Time now) {
  return tx
      .Execute("UPDATE event_campaigns SET screened = $2, finished_at = CASE WHEN $2 >= total "
               "THEN $3 ELSE NULL END WHERE id = $1",
               {std::string(campaign_id), screened, ToUnixMillis(now)})
      .status();
}

absl::Status InsertApplicant(db::Transaction& tx, const Applicant& a) {
  return tx
      .Execute("INSERT INTO event_campaign_applicants (campaign_id, item, input_id, input_name, "
               "alert_id, score, matches, decision) VALUES ($1, $2, $3, $4, $5, $6, $7, "
               "'pending') ON CONFLICT (campaign_id, item) DO NOTHING",
               {a.campaign_id, a.item, a.input_id, a.input_name, a.alert_id, a.score,
                a.matches})
      .status();
}

absl::StatusOr<std::optional<Applicant>> GetApplicant(db::Transaction& tx,
                                                      std::string_view campaign_id,
                                                      int64_t item) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(fmt::format("SELECT {} FROM event_campaign_applicants WHERE "
                                   "campaign_id = $1 AND item = $2",
                                   kApplicantColumns),
                       {std::string(campaign_id), item}));
  if (!row) return std::optional<Applicant>();
  return std::optional<Applicant>(ApplicantFromRow(*row));
}

absl::StatusOr<std::vector<Applicant>> ListApplicants(db::Transaction& tx,
                                                      std::string_view campaign_id,
                                                      std::optional<Decision> decision,
                                                      int64_t limit, int64_t offset,
                                                      int64_t* total) {
  std::vector<db::Value> params = {std::string(campaign_id)};
  std::string where = "campaign_id = $1";
  if (decision) {
    where += " AND decision = $2";
    params.emplace_back(std::string(DecisionName(*decision)));
  }
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> count,
      tx.Query(fmt::format("SELECT COUNT(*) FROM event_campaign_applicants WHERE {}", where),
               db::Params(params)));
  *total = count.empty() ? 0 : count[0].GetInt(0);
  const size_t n = params.size();
  params.emplace_back(limit);
  params.emplace_back(offset);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query(fmt::format("SELECT {} FROM event_campaign_applicants WHERE {} ORDER BY item "
                           "LIMIT ${} OFFSET ${}",
                           kApplicantColumns, where, n + 1, n + 2),
               db::Params(params)));
  std::vector<Applicant> out;
  for (const db::Row& row : rows) out.push_back(ApplicantFromRow(row));
  return out;
}

absl::StatusOr<bool> DecideApplicant(db::Transaction& tx, std::string_view campaign_id,
                                     int64_t item, Decision decision, std::string_view reviewer,
                                     std::string_view reason, absl::Time now) {
  JISR_ASSIGN_OR_RETURN(
      int64_t n,
      tx.Execute("UPDATE event_campaign_applicants SET decision = $3, reviewer = $4, "
                 "reason = $5, decided_at = $6 WHERE campaign_id = $1 AND item = $2 AND "
                 "decision = 'pending'",
                 {std::string(campaign_id), item, std::string(DecisionName(decision)),
                  std::string(reviewer), std::string(reason), ToUnixMillis(now)}));
  return n == 1;
}

}  // namespace jisr::events
