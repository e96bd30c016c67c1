#include "alerts/alert_sharing.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <span>
#include <vector>

#include "alerts/alert_repository.h"
#include "alerts/alert_service.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "fmt/format.h"

namespace jisr::alerts {
namespace {

using absl::ToUnixMillis;

bool IsShared(AlertStatus s) { return s == AlertStatus::kActive || s == AlertStatus::kSuspended; }

std::string AlertRecord(std::string_view id) { return fmt::format("alert:{}", id); }
std::string HitRecord(std::string_view id) { return fmt::format("hit:{}", id); }

// The members of SharedAlertJson besides the content's.
constexpr std::array<std::string_view, 11> kSharedMembers = {
    "id",         "owner",        "source",        "status",   "version",  "review_at",
    "created_at", "updated_at",   "activated_at",  "status_reason", "execution"};

absl::StatusOr<std::optional<absl::Time>> OptionalTimeMember(const boost::json::object& json,
                                                             std::string_view key) {
  const boost::json::value* v = json.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<absl::Time>();
  if (!v->is_string()) return InvalidField(key, fmt::format("{} must be an RFC 3339 time", key));
  absl::StatusOr<absl::Time> t = ParseRfc3339(std::string(v->get_string()));
  if (!t.ok()) return InvalidField(key, fmt::format("{} must be an RFC 3339 time", key));
  return std::optional<absl::Time>(*t);
}

// The id of a record "alert:<uuid>" / "hit:<uuid>", checked against the body.
absl::Status CheckRecord(const federation::Envelope& e, std::string_view expected) {
  if (e.record_id != expected) {
    return absl::InvalidArgumentError(
        fmt::format("record_id {} does not match the body ({})", e.record_id, expected));
  }
  return absl::OkStatus();
}

absl::StatusOr<boost::json::object> BodyObject(const federation::Envelope& e) {
  absl::StatusOr<boost::json::object> body = ParseJsonObject(e.body);
  if (!body.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("body is not a JSON object: {}", std::string(body.status().message())));
  }
  return body;
}

absl::Status Refuse(const absl::Status& s, std::string_view what) {
  // Validation errors become refusals with the member named.
  const std::optional<std::string> field = FieldOf(s);
  return absl::InvalidArgumentError(fmt::format("{}: {}{}", what, std::string(s.message()),
                                                field ? fmt::format(" (field {})", *field) : ""));
}

absl::Status ApplyUpsert(db::Transaction& tx, const federation::Envelope& e,
                         const std::string& agency, const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, BodyObject(e));
  absl::StatusOr<Alert> parsed = SharedAlertFromJson(body);
  if (!parsed.ok()) return Refuse(parsed.status(), "invalid alert");
  Alert alert = *std::move(parsed);
  JISR_RETURN_IF_ERROR(CheckRecord(e, AlertRecord(alert.id)));
  if (alert.owner != e.from) {
    return absl::PermissionDeniedError(fmt::format(
        "alert {} is owned by {}: {} may not pass it on", alert.id, alert.owner, e.from));
  }
  if (alert.version != e.version) {
    return absl::InvalidArgumentError("the envelope's version is not the alert's");
  }
  if (std::find(alert.content.share_with.begin(), alert.content.share_with.end(), agency) ==
      alert.content.share_with.end()) {
    return absl::PermissionDeniedError(
        fmt::format("alert {} is not shared with {} (share_with)", alert.id, agency));
  }
  if (!IsShared(alert.status)) {
    return absl::InvalidArgumentError(
        fmt::format("alert {} is {}: only active and suspended alerts are shared", alert.id,
                    StatusName(alert.status)));
  }
  if (absl::Status v = ValidateContent(alert.content, UtcDay(clock.Now() + absl::Hours(24)));
      !v.ok()) {
    return Refuse(v, "invalid alert");
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Alert> stored, GetAlert(tx, alert.id));
  if (stored) {
    if (stored->owner != e.from) {
      return absl::PermissionDeniedError(
          fmt::format("alert {} here is owned by {}, not {}", alert.id, stored->owner, e.from));
    }
    alert.created_at = stored->created_at;
    JISR_RETURN_IF_ERROR(UpdateAlert(tx, alert, stored->version));
  } else {
    JISR_RETURN_IF_ERROR(
        tx.Execute("DELETE FROM alert_tombstones WHERE id = $1", {alert.id}).status());
    absl::Status inserted = InsertAlert(tx, alert);
    if (inserted.code() == absl::StatusCode::kAlreadyExists) {
      return absl::FailedPreconditionError(fmt::format(
          "alert {} collides with an alert here (same owner and source)", alert.id));
    }
    JISR_RETURN_IF_ERROR(inserted);
  }
  JISR_RETURN_IF_ERROR(
      tx.Execute("UPDATE alerts SET envelope_id = $1 WHERE id = $2", {e.id, alert.id}).status());
  return tx.Notify(kAlertsChannel, alert.id);
}

absl::Status ApplyPurge(db::Transaction& tx, const federation::Envelope& e, const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, BodyObject(e));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(const std::string id, r.RequiredString("id", 64));
  if (!IsUuid(id)) return absl::InvalidArgumentError("id is not a UUID");
  JISR_ASSIGN_OR_RETURN(const std::string owner, r.RequiredString("owner", 32));
  JISR_ASSIGN_OR_RETURN(const int64_t version, r.RequiredInt("version"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> reason, r.OptionalString("reason", 64));
  (void)reason;
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_RETURN_IF_ERROR(CheckRecord(e, AlertRecord(id)));
  if (owner != e.from || version != e.version) {
    return absl::PermissionDeniedError(
        fmt::format("alert {} is owned by {}: {} may not purge it", id, owner, e.from));
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Alert> stored, GetAlert(tx, id));
  if (stored && stored->owner != e.from) {
    return absl::PermissionDeniedError(
        fmt::format("alert {} here is owned by {}, not {}", id, stored->owner, e.from));
  }
  if (stored) {
    // Everything here that holds the partner's personal data on this alert.
    for (std::string_view sql : {"DELETE FROM screening_job_results WHERE alert_id = $1",
                                 "DELETE FROM alert_hits WHERE alert_id = $1",
                                 "DELETE FROM alert_history WHERE alert_id = $1",
                                 "DELETE FROM alerts WHERE id = $1"}) {
      JISR_RETURN_IF_ERROR(tx.Execute(sql, {id}).status());
    }
  }
  JISR_RETURN_IF_ERROR(
      tx.Execute("INSERT INTO alert_tombstones (id, owner, version, purged_at) VALUES ($1, $2, $3, "
                 "$4) ON CONFLICT (id) DO UPDATE SET version = excluded.version, purged_at = "
                 "excluded.purged_at",
                 {id, owner, version, ToUnixMillis(clock.Now())})
          .status());
  return tx.Notify(kAlertsChannel, id);
}

// The hit an envelope carries, checked against its record id.
absl::StatusOr<Hit> ReadHit(const federation::Envelope& e) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, BodyObject(e));
  absl::StatusOr<Hit> hit = HitFromJson(body);
  if (!hit.ok()) return Refuse(hit.status(), "invalid hit");
  JISR_RETURN_IF_ERROR(CheckRecord(e, HitRecord(hit->id)));
  return hit;
}

absl::Status ApplyHitReport(db::Transaction& tx, const federation::Envelope& e,
                            const std::string& agency) {
  JISR_ASSIGN_OR_RETURN(const Hit hit, ReadHit(e));
  if (hit.reporting_agency != e.from || hit.alert_owner != agency) {
    return absl::PermissionDeniedError(fmt::format(
        "hit {} is reported by {} on an alert of {}: not {}'s to send here", hit.id,
        hit.reporting_agency, hit.alert_owner, e.from));
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Alert> alert, GetAlert(tx, hit.alert_id));
  if (!alert || alert->owner != agency ||
      std::find(alert->content.share_with.begin(), alert->content.share_with.end(), e.from) ==
          alert->content.share_with.end()) {
    return absl::NotFoundError(
        fmt::format("no alert {} of {} shared with {}", hit.alert_id, agency, e.from));
  }
  absl::StatusOr<int64_t> n = tx.Execute(
      "INSERT INTO alert_hits (id, alert_id, alert_owner, reporting_agency, state, false_match, "
      "place, occurred_at, circumstances, action_taken, contact, reply, reported_by, reported_at, "
      "updated_by, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "$13, $14, $15, $16, $17)",
      {hit.id, hit.alert_id, hit.alert_owner, hit.reporting_agency,
       std::string(HitStateName(hit.state)), int64_t{hit.report.false_match ? 1 : 0},
       hit.report.place, ToUnixMillis(hit.report.occurred_at), hit.report.circumstances,
       hit.report.action_taken, hit.report.contact, hit.reply,
       fmt::format("peer:{}:{}", e.from, hit.reported_by.substr(0, 200)),
       ToUnixMillis(hit.reported_at), fmt::format("peer:{}", e.from), ToUnixMillis(hit.updated_at),
       hit.version});
  if (n.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::FailedPreconditionError(fmt::format("hit {} exists here already", hit.id));
  }
  return n.status();
}

absl::Status ApplyHitUpdate(db::Transaction& tx, const federation::Envelope& e,
                            const std::string& agency) {
  JISR_ASSIGN_OR_RETURN(const Hit hit, ReadHit(e));
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional("SELECT alert_owner, reporting_agency FROM alert_hits WHERE id = $1",
                       {hit.id}));
  if (!row) return absl::NotFoundError(fmt::format("no hit {} here", hit.id));
  if (row->GetText(0) != e.from || row->GetText(1) != agency) {
    return absl::PermissionDeniedError(
        fmt::format("hit {} is not on an alert of {} reported by {}", hit.id, e.from, agency));
  }
  return tx
      .Execute("UPDATE alert_hits SET state = $1, reply = $2, false_match = $3, version = $4, "
               "updated_by = $5, updated_at = $6 WHERE id = $7",
               {std::string(HitStateName(hit.state)), hit.reply,
                int64_t{hit.report.false_match ? 1 : 0}, hit.version,
                fmt::format("peer:{}", e.from), ToUnixMillis(hit.updated_at), hit.id})
      .status();
}

}  // namespace

boost::json::object SharedAlertJson(const Alert& alert) {
  boost::json::object o = AlertToJson(alert);
  o.erase("created_by");
  o.erase("updated_by");
  o.erase("activated_by");
  o.erase("review_warned_at");
  o.erase("provenance");
  return o;
}

absl::StatusOr<Alert> SharedAlertFromJson(const boost::json::object& json) {
  JISR_ASSIGN_OR_RETURN(AlertContent content, AlertContentFromJson(json, kSharedMembers));
  JsonObjectReader r(json);
  Alert a;
  a.content = std::move(content);
  JISR_ASSIGN_OR_RETURN(a.id, r.RequiredString("id", 64));
  if (!IsUuid(a.id)) return InvalidField("id", "id is not a UUID");
  JISR_ASSIGN_OR_RETURN(a.owner, r.RequiredString("owner", 32));
  JISR_RETURN_IF_ERROR(ValidateAgencyCode(a.owner, "owner"));
  JISR_ASSIGN_OR_RETURN(a.source, r.OptionalString("source", 200));
  JISR_ASSIGN_OR_RETURN(const std::string status, r.RequiredEnum("status", StatusNames()));
  a.status = *StatusFromName(status);
  JISR_ASSIGN_OR_RETURN(a.version, r.RequiredInt("version"));
  if (a.version < 1) return InvalidField("version", "version must be at least 1");
  JISR_ASSIGN_OR_RETURN(a.review_at, OptionalTimeMember(json, "review_at"));
  JISR_ASSIGN_OR_RETURN(std::optional<absl::Time> created, OptionalTimeMember(json, "created_at"));
  JISR_ASSIGN_OR_RETURN(std::optional<absl::Time> updated, OptionalTimeMember(json, "updated_at"));
  if (!created || !updated) return InvalidField("created_at", "created_at and updated_at are required");
  a.created_at = *created;
  a.updated_at = *updated;
  JISR_ASSIGN_OR_RETURN(a.activated_at, OptionalTimeMember(json, "activated_at"));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> reason, r.OptionalString("status_reason", kMaxLongTextBytes));
  a.status_reason = reason.value_or("");
  if (const boost::json::value* ex = json.if_contains("execution"); ex != nullptr && !ex->is_null()) {
    if (!ex->is_object()) return InvalidField("execution", "execution must be an object or null");
    JsonObjectReader er(ex->get_object(), "execution.");
    JISR_ASSIGN_OR_RETURN(const std::string day, er.RequiredString("date", 10));
    JISR_ASSIGN_OR_RETURN(absl::CivilDay date, ParseDay(day, "execution.date"));
    JISR_ASSIGN_OR_RETURN(std::string place, er.RequiredString("place", kMaxShortTextBytes));
    JISR_RETURN_IF_ERROR(er.RejectUnknown());
    a.execution = Execution{date, std::move(place)};
  }
  const std::string actor = fmt::format("peer:{}", a.owner);
  a.created_by = a.updated_by = actor;
  if (a.activated_at) a.activated_by = actor;
  return a;
}

absl::Status PublishAlertChange(db::Transaction& tx, const std::optional<Alert>& before,
                                const Alert& after, std::string_view agency, absl::Time now) {
  if (after.owner != agency) return absl::OkStatus();  // a copy is never passed on
  std::vector<std::string> was;
  if (before && IsShared(before->status)) was = before->content.share_with;
  std::vector<std::string> now_shared;
  if (IsShared(after.status)) now_shared = after.content.share_with;
  std::vector<std::string> purge;
  for (const std::string& code : was) {
    if (std::find(now_shared.begin(), now_shared.end(), code) == now_shared.end()) {
      purge.push_back(code);
    }
  }
  std::erase(now_shared, std::string(agency));
  std::erase(purge, std::string(agency));
  const std::string record = AlertRecord(after.id);
  if (!now_shared.empty()) {
    JISR_RETURN_IF_ERROR(federation::Publish(tx, now_shared, kAlertUpsertKind, record,
                                             after.version, ToJson(SharedAlertJson(after)), now));
  }
  if (!purge.empty()) {
    const boost::json::object body{{"id", after.id},
                                   {"owner", after.owner},
                                   {"version", after.version},
                                   {"reason", IsShared(after.status)
                                                  ? std::string("unshared")
                                                  : std::string(StatusName(after.status))}};
    JISR_RETURN_IF_ERROR(federation::Publish(tx, purge, kAlertPurgeKind, record, after.version,
                                             ToJson(body), now));
  }
  return absl::OkStatus();
}

absl::Status PublishHit(db::Transaction& tx, const Hit& hit, std::string_view agency,
                        absl::Time now) {
  if (hit.reporting_agency == agency && hit.alert_owner != agency) {
    const std::string to[] = {hit.alert_owner};
    return federation::Publish(tx, to, kHitReportKind, HitRecord(hit.id), hit.version,
                               ToJson(HitToJson(hit)), now);
  }
  if (hit.alert_owner == agency && hit.reporting_agency != agency) {
    const std::string to[] = {hit.reporting_agency};
    return federation::Publish(tx, to, kHitUpdateKind, HitRecord(hit.id), hit.version,
                               ToJson(HitToJson(hit)), now);
  }
  return absl::OkStatus();
}

absl::Status RegisterAlertHandlers(federation::Receiver& receiver, std::string agency,
                                   const Clock& clock) {
  JISR_RETURN_IF_ERROR(receiver.Register(
      kAlertUpsertKind, [agency, &clock](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyUpsert(tx, e, agency, clock);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kAlertPurgeKind, [&clock](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyPurge(tx, e, clock);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kHitReportKind, [agency](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyHitReport(tx, e, agency);
      }));
  return receiver.Register(kHitUpdateKind,
                           [agency](db::Transaction& tx, const federation::Envelope& e) {
                             return ApplyHitUpdate(tx, e, agency);
                           });
}

absl::StatusOr<std::optional<federation::Provenance>> AlertProvenance(db::Transaction& tx,
                                                                     std::string_view id) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional("SELECT envelope_id FROM alerts WHERE id = $1", {std::string(id)}));
  if (!row || row->IsNull(0)) return std::optional<federation::Provenance>();
  return federation::FindProvenance(tx, row->GetText(0));
}

absl::StatusOr<SharedDigest> SharedAlertsDigest(db::Transaction& tx, std::string_view owner,
                                                std::string_view partner,
                                                std::string_view this_agency) {
  static constexpr AlertStatus kShared[] = {AlertStatus::kActive, AlertStatus::kSuspended};
  JISR_ASSIGN_OR_RETURN(std::vector<Alert> alerts, AlertsWithStatus(tx, kShared));
  std::vector<std::string> lines;
  for (const Alert& a : alerts) {
    if (a.owner != owner) continue;
    if (owner == this_agency &&
        std::find(a.content.share_with.begin(), a.content.share_with.end(), partner) ==
            a.content.share_with.end()) {
      continue;
    }
    lines.push_back(fmt::format("{} {} {} {}", a.id, a.version, StatusName(a.status),
                                federation::BodyHash(ToJson(SharedAlertJson(a)))));
  }
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const std::string& l : lines) all += l + "\n";
  return SharedDigest{static_cast<int64_t>(lines.size()), federation::BodyHash(all)};
}

}  // namespace jisr::alerts
