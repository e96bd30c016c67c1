#include "alerts/hit_service.h"

#include "alerts/alert_sharing.h"

#include <fmt/format.h>

#include <array>
#include <boost/json.hpp>
#include <utility>

#include "alerts/alert.h"
#include "alerts/alert_repository.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "security/service_util.h"

namespace jisr::alerts {

using audit::AuditOutcome;
using security::Action;
using security::ActionName;
using security::Principal;
using security::internal::AuthorizeAudited;
using security::internal::MakeEntry;
using security::internal::RecordFailure;
using security::internal::SanitizeText;

namespace {

constexpr std::array<std::string_view, 3> kHitStateNames = {
    "reported", "acknowledged", "closed"};

constexpr std::string_view kHitColumns =
    "id, alert_id, alert_owner, reporting_agency, state, false_match, place, "
    "occurred_at, "
    "circumstances, action_taken, contact, reply, reported_by, reported_at, "
    "updated_by, "
    "updated_at, version";

std::string HitObject(std::string_view id) {
  return fmt::format("hit/{}", SanitizeText(id, 64));
}

absl::StatusOr<Hit> HitFromRow(const db::Row& row) {
  Hit h;
  h.id = row.GetText(0);
  h.alert_id = row.GetText(1);
  h.alert_owner = row.GetText(2);
  h.reporting_agency = row.GetText(3);
  const std::optional<HitState> state = HitStateFromName(row.GetText(4));
  if (!state)
    return absl::DataLossError(
        fmt::format("hit {} has an unknown state", h.id));
  h.state = *state;
  h.report.false_match = row.GetBool(5);
  h.report.place = row.GetText(6);
  h.report.occurred_at = FromUnixMillis(row.GetInt(7));
  h.report.circumstances = row.GetText(8);
  h.report.action_taken = row.GetText(9);
  h.report.contact = row.GetText(10);
  h.reply = row.GetText(11);
  h.reported_by = row.GetText(12);
  h.reported_at = FromUnixMillis(row.GetInt(13));
  h.updated_by = row.GetText(14);
  h.updated_at = FromUnixMillis(row.GetInt(15));
  h.version = row.GetInt(16);
  return h;
}

absl::StatusOr<std::vector<Hit>> HitsFromRows(
    const std::vector<db::Row>& rows) {
  std::vector<Hit> out;
  for (const db::Row& row : rows) {
    JISR_ASSIGN_OR_RETURN(Hit h, HitFromRow(row));
    out.push_back(std::move(h));
  }
  return out;
}

absl::StatusOr<std::optional<Hit>> LoadHit(db::Transaction& tx,
                                           std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(
          fmt::format("SELECT {} FROM alert_hits WHERE id = $1", kHitColumns),
          {std::string(id)}));
  if (!row) return std::optional<Hit>();
  JISR_ASSIGN_OR_RETURN(Hit h, HitFromRow(*row));
  return std::optional<Hit>(std::move(h));
}

absl::Status CheckId(std::string_view id, std::string_view field) {
  if (!IsUuid(id))
    return InvalidField(field,
                        fmt::format("{} must be a lower-case UUID", field));
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateHitReport(const HitReport& r, absl::Time now) {
  JISR_RETURN_IF_ERROR(ValidateFreeText(r.place, "place", kMaxShortTextBytes));
  if (r.occurred_at > now)
    return InvalidField("occurred_at", "occurred_at is in the future");
  if (r.occurred_at < now - absl::Hours(24 * 365 * 5)) {
    return InvalidField("occurred_at",
                        "occurred_at is more than five years ago");
  }
  JISR_RETURN_IF_ERROR(
      ValidateFreeText(r.circumstances, "circumstances", kMaxLongTextBytes));
  if (!r.false_match || !r.action_taken.empty()) {
    JISR_RETURN_IF_ERROR(
        ValidateFreeText(r.action_taken, "action_taken", kMaxLongTextBytes));
  }
  JISR_RETURN_IF_ERROR(
      ValidateFreeText(r.contact, "contact", kMaxShortTextBytes));
  return absl::OkStatus();
}


std::string_view HitStateName(HitState s) {
  const size_t i = static_cast<size_t>(s);
  return i < kHitStateNames.size() ? kHitStateNames[i] : "unknown";
}

std::optional<HitState> HitStateFromName(std::string_view name) {
  for (size_t i = 0; i < kHitStateNames.size(); ++i) {
    if (kHitStateNames[i] == name) return static_cast<HitState>(i);
  }
  return std::nullopt;
}

std::span<const std::string_view> HitStateNames() { return kHitStateNames; }

boost::json::object HitToJson(const Hit& h) {
  boost::json::object o;
  o["id"] = h.id;
  o["alert_id"] = h.alert_id;
  o["alert_owner"] = h.alert_owner;
  o["reporting_agency"] = h.reporting_agency;
  o["state"] = HitStateName(h.state);
  o["false_match"] = h.report.false_match;
  o["place"] = h.report.place;
  o["occurred_at"] = FormatRfc3339(h.report.occurred_at);
  o["circumstances"] = h.report.circumstances;
  o["action_taken"] = h.report.action_taken;
  o["contact"] = h.report.contact;
  o["reply"] = h.reply;
  o["reported_by"] = h.reported_by;
  o["reported_at"] = FormatRfc3339(h.reported_at);
  o["updated_by"] = h.updated_by;
  o["updated_at"] = FormatRfc3339(h.updated_at);
  o["version"] = h.version;
  return o;
}

absl::StatusOr<Hit> HitFromJson(const boost::json::object& json) {
  JsonObjectReader r(json);
  Hit h;
  const auto time = [&](std::string_view key) -> absl::StatusOr<absl::Time> {
    JISR_ASSIGN_OR_RETURN(const std::string text, r.RequiredString(key, 64));
    absl::StatusOr<absl::Time> t = ParseRfc3339(text);
    if (!t.ok()) return InvalidField(key, fmt::format("{} must be an RFC 3339 time", key));
    return *t;
  };
  JISR_ASSIGN_OR_RETURN(h.id, r.RequiredString("id", 64));
  JISR_RETURN_IF_ERROR(CheckId(h.id, "id"));
  JISR_ASSIGN_OR_RETURN(h.alert_id, r.RequiredString("alert_id", 64));
  JISR_RETURN_IF_ERROR(CheckId(h.alert_id, "alert_id"));
  JISR_ASSIGN_OR_RETURN(h.alert_owner, r.RequiredString("alert_owner", 32));
  JISR_RETURN_IF_ERROR(ValidateAgencyCode(h.alert_owner, "alert_owner"));
  JISR_ASSIGN_OR_RETURN(h.reporting_agency, r.RequiredString("reporting_agency", 32));
  JISR_RETURN_IF_ERROR(ValidateAgencyCode(h.reporting_agency, "reporting_agency"));
  JISR_ASSIGN_OR_RETURN(const std::string state, r.RequiredEnum("state", HitStateNames()));
  h.state = *HitStateFromName(state);
  JISR_ASSIGN_OR_RETURN(std::optional<bool> false_match, r.OptionalBool("false_match"));
  h.report.false_match = false_match.value_or(false);
  JISR_ASSIGN_OR_RETURN(h.report.place, r.RequiredString("place", kMaxShortTextBytes));
  JISR_ASSIGN_OR_RETURN(h.report.occurred_at, time("occurred_at"));
  JISR_ASSIGN_OR_RETURN(h.report.circumstances, r.RequiredString("circumstances", kMaxLongTextBytes));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> action,
                        r.OptionalString("action_taken", kMaxLongTextBytes));
  h.report.action_taken = action.value_or("");
  JISR_ASSIGN_OR_RETURN(h.report.contact, r.RequiredString("contact", kMaxShortTextBytes));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> reply, r.OptionalString("reply", kMaxLongTextBytes));
  h.reply = reply.value_or("");
  JISR_ASSIGN_OR_RETURN(h.reported_by, r.RequiredString("reported_by", 256));
  JISR_ASSIGN_OR_RETURN(h.reported_at, time("reported_at"));
  JISR_ASSIGN_OR_RETURN(h.updated_by, r.RequiredString("updated_by", 256));
  JISR_ASSIGN_OR_RETURN(h.updated_at, time("updated_at"));
  JISR_ASSIGN_OR_RETURN(h.version, r.RequiredInt("version"));
  if (h.version < 1) return InvalidField("version", "version must be at least 1");
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  if (!h.reply.empty()) JISR_RETURN_IF_ERROR(ValidateFreeText(h.reply, "reply", kMaxLongTextBytes));
  JISR_RETURN_IF_ERROR(ValidateFreeText(h.report.circumstances, "circumstances", kMaxLongTextBytes));
  return h;
}

HitService::HitService(db::Database& db, const audit::AuditLog& audit,
                       const Clock& clock, std::string agency)
    : db_(db), audit_(audit), clock_(clock), agency_(std::move(agency)) {}

absl::StatusOr<Hit> HitService::Report(const Principal& who,
                                       std::string_view alert_id,
                                       const HitReport& report,
                                       std::string_view purpose) {
  const Action action = Action::kHitReport;
  const std::string alert_object =
      fmt::format("alert/{}", SanitizeText(alert_id, 64));
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, alert_object, purpose));
  Hit hit;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckId(alert_id, "alert_id"));
    const absl::Time now = TruncateToMillis(clock_.Now());
    JISR_RETURN_IF_ERROR(ValidateHitReport(report, now));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(std::optional<Alert> alert,
                                GetAlert(tx, alert_id));
          if (!alert)
            return absl::NotFoundError(
                fmt::format("no alert with id {}", alert_id));
          if (alert->status != AlertStatus::kActive) {
            return absl::FailedPreconditionError(fmt::format(
                "alert {} is {}: hits are reported on active alerts", alert->id,
                StatusName(alert->status)));
          }
          hit = Hit();
          hit.id = NewUuidV7(now);
          hit.alert_id = alert->id;
          hit.alert_owner = alert->owner;
          hit.reporting_agency = agency_;
          hit.state = HitState::kReported;
          hit.report = report;
          hit.report.occurred_at = TruncateToMillis(report.occurred_at);
          hit.reported_by = hit.updated_by = who.Actor();
          hit.reported_at = hit.updated_at = now;
          hit.version = 1;
          JISR_RETURN_IF_ERROR(
              tx.Execute(
                    "INSERT INTO alert_hits (id, alert_id, alert_owner, "
                    "reporting_agency, state, "
                    "false_match, place, occurred_at, circumstances, "
                    "action_taken, contact, "
                    "reply, reported_by, reported_at, updated_by, updated_at, "
                    "version) VALUES "
                    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', $12, "
                    "$13, $12, $13, 1)",
                    {hit.id, hit.alert_id, hit.alert_owner,
                     hit.reporting_agency, std::string(HitStateName(hit.state)),
                     int64_t{hit.report.false_match ? 1 : 0}, hit.report.place,
                     ToUnixMillis(hit.report.occurred_at),
                     hit.report.circumstances, hit.report.action_taken,
                     hit.report.contact, hit.reported_by, ToUnixMillis(now)})
                  .status());
          JISR_RETURN_IF_ERROR(PublishHit(tx, hit, agency_, now));
          boost::json::object details;
          details["hit"] = hit.id;
          details["alert_owner"] = hit.alert_owner;
          details["false_match"] = hit.report.false_match;
          return audit_
              .Append(tx,
                      MakeEntry(who.Actor(), ActionName(action), alert_object,
                                purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), alert_object,
                         purpose, status);
  }
  return hit;
}

absl::StatusOr<std::vector<Hit>> HitService::ForAlert(
    const Principal& who, std::string_view alert_id, std::string_view purpose) {
  const Action action = Action::kHitRead;
  const std::string alert_object =
      fmt::format("alert/{}", SanitizeText(alert_id, 64));
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, alert_object, purpose));
  std::vector<Hit> hits;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckId(alert_id, "alert_id"));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(
              std::optional<db::Row> exists,
              tx.QueryOptional("SELECT id FROM alerts WHERE id = $1",
                               {std::string(alert_id)}));
          if (!exists)
            return absl::NotFoundError(
                fmt::format("no alert with id {}", alert_id));
          JISR_ASSIGN_OR_RETURN(
              std::vector<db::Row> rows,
              tx.Query(
                  fmt::format("SELECT {} FROM alert_hits WHERE alert_id = $1 "
                              "ORDER BY reported_at DESC, id DESC",
                              kHitColumns),
                  {std::string(alert_id)}));
          JISR_ASSIGN_OR_RETURN(hits, HitsFromRows(rows));
          boost::json::object details;
          details["hits"] = static_cast<int64_t>(hits.size());
          return audit_
              .Append(tx,
                      MakeEntry(who.Actor(), ActionName(action), alert_object,
                                purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), alert_object,
                         purpose, status);
  }
  return hits;
}

absl::StatusOr<HitPage> HitService::Inbox(const Principal& who,
                                          std::optional<HitState> state,
                                          int64_t page, int64_t page_size,
                                          std::string_view purpose) {
  const Action action = Action::kHitRead;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "hit", purpose));
  HitPage out;
  absl::Status status = [&]() -> absl::Status {
    if (page < 1 || page > 1000000)
      return InvalidField("page", "page must be from 1 to 1000000");
    if (page_size < 1 || page_size > kMaxPageSize) {
      return InvalidField(
          "page_size",
          fmt::format("page_size must be from 1 to {}", kMaxPageSize));
    }
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          out = HitPage();
          out.page = page;
          out.page_size = page_size;
          std::string where = "WHERE alert_owner = $1";
          std::vector<db::Value> params = {agency_};
          if (state) {
            where += " AND state = $2";
            params.emplace_back(std::string(HitStateName(*state)));
          }
          JISR_ASSIGN_OR_RETURN(
              std::vector<db::Row> count,
              tx.Query(fmt::format("SELECT COUNT(*) FROM alert_hits {}", where),
                       params));
          out.total = count.empty() ? 0 : count[0].GetInt(0);
          std::vector<db::Value> paged = params;
          paged.emplace_back(page_size);
          paged.emplace_back((page - 1) * page_size);
          JISR_ASSIGN_OR_RETURN(
              std::vector<db::Row> rows,
              tx.Query(fmt::format("SELECT {} FROM alert_hits {} ORDER BY "
                                   "reported_at DESC, id DESC "
                                   "LIMIT ${} OFFSET ${}",
                                   kHitColumns, where, params.size() + 1,
                                   params.size() + 2),
                       paged));
          JISR_ASSIGN_OR_RETURN(out.hits, HitsFromRows(rows));
          boost::json::object details;
          if (state) details["state"] = HitStateName(*state);
          details["page"] = page;
          details["total"] = out.total;
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), "hit",
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "hit", purpose,
                         status);
  }
  return out;
}

absl::StatusOr<Hit> HitService::Get(const Principal& who, std::string_view id,
                                    std::string_view purpose) {
  const Action action = Action::kHitRead;
  const std::string object = HitObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  Hit hit;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckId(id, "id"));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(std::optional<Hit> found, LoadHit(tx, id));
          if (!found)
            return absl::NotFoundError(fmt::format("no hit with id {}", id));
          hit = *std::move(found);
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, {}))
              .status();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  }
  return hit;
}

absl::StatusOr<Hit> HitService::Acknowledge(const Principal& who,
                                            std::string_view id,
                                            int64_t version,
                                            std::string_view reply,
                                            std::string_view purpose) {
  return Transition(who, id, version, reply, std::nullopt,
                    HitState::kAcknowledged, purpose);
}

absl::StatusOr<Hit> HitService::Close(const Principal& who, std::string_view id,
                                      int64_t version, std::string_view reply,
                                      std::optional<bool> false_match,
                                      std::string_view purpose) {
  return Transition(who, id, version, reply, false_match, HitState::kClosed,
                    purpose);
}

absl::StatusOr<Hit> HitService::Transition(const Principal& who,
                                           std::string_view id, int64_t version,
                                           std::string_view reply,
                                           std::optional<bool> false_match,
                                           HitState to,
                                           std::string_view purpose) {
  const Action action = Action::kHitUpdate;
  const std::string object = HitObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  Hit hit;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckId(id, "id"));
    if (!reply.empty())
      JISR_RETURN_IF_ERROR(ValidateFreeText(reply, "reply", kMaxLongTextBytes));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(std::optional<Hit> found, LoadHit(tx, id));
          if (!found)
            return absl::NotFoundError(fmt::format("no hit with id {}", id));
          hit = *std::move(found);
          if (hit.alert_owner != agency_) {
            return absl::FailedPreconditionError(
                fmt::format("hit {} is on an alert of {}: only the owning "
                            "agency follows it up",
                            hit.id, hit.alert_owner));
          }
          if (hit.version != version) {
            return absl::FailedPreconditionError(fmt::format(
                "hit {} is at version {}, not {}: reload it and try again",
                hit.id, hit.version, version));
          }
          const HitState from = hit.state;
          const bool allowed =
              (to == HitState::kAcknowledged && from == HitState::kReported) ||
              (to == HitState::kClosed && from != HitState::kClosed);
          if (!allowed) {
            return absl::FailedPreconditionError(
                fmt::format("hit {} is {}: it cannot become {}", hit.id,
                            HitStateName(from), HitStateName(to)));
          }
          hit.state = to;
          if (!reply.empty()) hit.reply = std::string(reply);
          if (false_match.has_value()) hit.report.false_match = *false_match;
          hit.version = version + 1;
          hit.updated_by = who.Actor();
          hit.updated_at = TruncateToMillis(clock_.Now());
          JISR_ASSIGN_OR_RETURN(
              int64_t n,
              tx.Execute("UPDATE alert_hits SET state = $1, reply = $2, "
                         "false_match = $3, "
                         "version = $4, updated_by = $5, updated_at = $6 WHERE "
                         "id = $7 AND "
                         "version = $8",
                         {std::string(HitStateName(hit.state)), hit.reply,
                          int64_t{hit.report.false_match ? 1 : 0}, hit.version,
                          hit.updated_by, ToUnixMillis(hit.updated_at), hit.id,
                          version}));
          if (n != 1)
            return absl::FailedPreconditionError("the hit changed meanwhile");
          JISR_RETURN_IF_ERROR(PublishHit(tx, hit, agency_, hit.updated_at));
          boost::json::object details;
          details["from"] = HitStateName(from);
          details["to"] = HitStateName(to);
          details["version"] = hit.version;
          details["false_match"] = hit.report.false_match;
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
  return hit;
}

}  // namespace jisr::alerts
