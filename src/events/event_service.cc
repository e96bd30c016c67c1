#include "events/event_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "common/ids.h"
#include "common/json.h"
#include "common/record_errors.h"
#include "common/status.h"
#include "events/event_repository.h"
#include "events/event_sharing.h"
#include "security/audited_call.h"
#include "security/service_util.h"

namespace jisr::events {

using audit::AuditOutcome;
using security::Action;
using security::ActionName;
using security::Principal;

namespace {

absl::Status CheckPage(int64_t page, int64_t page_size) {
  if (page < 1 || page > 1000000) return InvalidField("page", "page must be from 1 to 1000000");
  if (page_size < 1 || page_size > kMaxPageSize) {
    return InvalidField("page_size",
                        fmt::format("page_size must be from 1 to {}", kMaxPageSize));
  }
  return absl::OkStatus();
}

// Event `id` as `agency` may see it: a copy whose host removed `agency` from
// its partners (event.purge) is NotFound like an unknown id.
absl::StatusOr<Event> LoadEvent(db::Transaction& tx, std::string_view id,
                                std::string_view agency) {
  JISR_ASSIGN_OR_RETURN(std::optional<Event> e, GetEvent(tx, id));
  if (!e || !e->Involves(agency)) return absl::NotFoundError(fmt::format("no event with id {}", id));
  return *std::move(e);
}

absl::StatusOr<Campaign> LoadCampaign(db::Transaction& tx, std::string_view id) {
  JISR_ASSIGN_OR_RETURN(std::optional<Campaign> c, GetCampaign(tx, id));
  if (!c) return absl::NotFoundError(fmt::format("no campaign with id {}", id));
  return *std::move(c);
}

}  // namespace

EventService::EventService(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
                           EventOptions options, alerts::ScreeningJobService* jobs)
    : db_(db), audit_(audit), clock_(clock), options_(std::move(options)), jobs_(jobs) {}

absl::Status EventService::Guarded(
    const Principal& who, Action action, std::string object, std::string_view purpose,
    absl::FunctionRef<absl::Status(db::Transaction&, boost::json::object&)> fn) {
  return security::AuditedWrite(
      db_, audit_, who, action, std::move(object), purpose,
      [&](db::Transaction& tx, boost::json::object& details, std::string&) {
        return fn(tx, details);
      });
}

absl::StatusOr<Event> EventService::CreateEvent(const Principal& who, const EventContent& content,
                                                std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  Event e;
  e.id = NewUuidV7(now);
  e.host = options_.agency;
  e.name = content.name;
  e.starts_on = content.starts_on;
  e.ends_on = content.ends_on;
  e.venues = content.venues;
  e.partners = content.partners;
  e.description = content.description;
  e.version = 1;
  e.created_by = who.Actor();
  e.created_at = e.updated_at = now;
  const std::string object = fmt::format("event/{}", e.id);
  auto fn = [&](db::Transaction& tx, boost::json::object& details) -> absl::Status {
    JISR_RETURN_IF_ERROR(InsertEvent(tx, e));
    JISR_RETURN_IF_ERROR(PublishEvent(tx, e, options_.agency, now));
    details["name"] = e.name;
    details["partners"] = SharedEventJson(e)["partners"];
    return absl::OkStatus();
  };
  JISR_RETURN_IF_ERROR(Guarded(who, Action::kEventCreate, object, purpose, fn));
  return e;
}

absl::StatusOr<Event> EventService::UpdateEvent(const Principal& who, std::string_view id,
                                                const EventContent& content, int64_t version,
                                                std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(id));
  const absl::Time now = TruncateToMillis(clock_.Now());
  Event e;
  auto fn = [&](db::Transaction& tx, boost::json::object& details) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(Event stored, LoadEvent(tx, id, options_.agency));
    if (stored.host != options_.agency) {
      return NotOwnedHere("event", id, stored.host);
    }
    if (stored.version != version) {
      return StaleVersion("the event", version, stored.version);
    }
    // A venue that incidents or deployments name stays.
    for (const Venue& v : stored.venues) {
      const bool kept = std::any_of(content.venues.begin(), content.venues.end(),
                                    [&](const Venue& n) { return n.code == v.code; });
      if (kept) continue;
      JISR_ASSIGN_OR_RETURN(int64_t uses, CountVenueUses(tx, stored.id, v.code));
      if (uses > 0) {
        return InvalidField("venues", fmt::format("venue {} is named by {} incident(s) or "
                                                  "deployment(s) and stays",
                                                  v.code, uses));
      }
    }
    e = stored;
    e.name = content.name;
    e.starts_on = content.starts_on;
    e.ends_on = content.ends_on;
    e.venues = content.venues;
    e.partners = content.partners;
    e.description = content.description;
    e.version = stored.version + 1;
    e.updated_at = now;
    JISR_RETURN_IF_ERROR(events::UpdateEvent(tx, e));
    std::vector<std::string> removed, added;
    for (const std::string& p : stored.partners) {
      if (std::find(e.partners.begin(), e.partners.end(), p) == e.partners.end()) {
        removed.push_back(p);
      }
    }
    for (const std::string& p : e.partners) {
      if (std::find(stored.partners.begin(), stored.partners.end(), p) ==
          stored.partners.end()) {
        added.push_back(p);
      }
    }
    JISR_RETURN_IF_ERROR(PublishEvent(tx, e, options_.agency, now));
    JISR_RETURN_IF_ERROR(PublishEventPurge(tx, e, removed, options_.agency, now));
    JISR_RETURN_IF_ERROR(PublishOwnRecords(tx, e, added, options_.agency, now));
    details["version"] = e.version;
    details["partners_removed"] = boost::json::value_from(removed);
    details["partners_added"] = boost::json::value_from(added);
    return absl::OkStatus();
  };
  JISR_RETURN_IF_ERROR(
      Guarded(who, Action::kEventUpdate, fmt::format("event/{}", id), purpose, fn));
  return e;
}

absl::StatusOr<Event> EventService::GetEvent(const Principal& who, std::string_view id,
                                             std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(id));
  JISR_RETURN_IF_ERROR(security::Authorize(who, Action::kEventRead));
  (void)purpose;  // events name no person: reads are not audited
  Event out;
  JISR_RETURN_IF_ERROR(db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(out, LoadEvent(tx, id, options_.agency));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Event>> EventService::ListEvents(const Principal& who, int64_t page,
                                                            int64_t page_size,
                                                            std::string_view purpose) {
  JISR_RETURN_IF_ERROR(security::Authorize(who, Action::kEventRead));
  JISR_RETURN_IF_ERROR(CheckPage(page, page_size));
  (void)purpose;
  std::vector<Event> out;
  JISR_RETURN_IF_ERROR(db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(out, events::ListEvents(tx, options_.agency, page_size,
                                                  (page - 1) * page_size));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Incident> EventService::AddIncident(const Principal& who,
                                                   std::string_view event_id,
                                                   const IncidentContent& content,
                                                   std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(event_id));
  const absl::Time now = TruncateToMillis(clock_.Now());
  Incident i;
  i.id = NewUuidV7(now);
  i.event_id = std::string(event_id);
  i.owner = options_.agency;
  i.occurred_at = content.occurred_at;
  i.venue = content.venue;
  i.type = content.type;
  i.severity = content.severity;
  i.description = content.description;
  i.alert_ids = content.alert_ids;
  i.persons = content.persons;
  i.reported_by = who.display_name.empty() ? who.username : who.display_name;
  if (i.reported_by.empty()) i.reported_by = who.Actor();
  i.created_at = now;
  const std::string object = fmt::format("event_incident/{}", i.id);
  auto fn = [&](db::Transaction& tx, boost::json::object& details) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(Event e, LoadEvent(tx, event_id, options_.agency));
    if (!e.HasVenue(i.venue))
      return InvalidField("venue", fmt::format("event {} has no venue {}", e.name, i.venue));
    JISR_RETURN_IF_ERROR(InsertIncident(tx, i));
    JISR_RETURN_IF_ERROR(PublishIncident(tx, e, i, options_.agency, now));
    details["event"] = e.id;
    details["severity"] = SeverityName(i.severity);
    details["type"] = i.type;
    boost::json::array shared;
    for (const std::string& a : OtherAgencies(e, options_.agency)) shared.emplace_back(a);
    details["shared_with"] = std::move(shared);
    return absl::OkStatus();
  };
  JISR_RETURN_IF_ERROR(Guarded(who, Action::kIncidentCreate, object, purpose, fn));
  return i;
}

absl::StatusOr<std::vector<Incident>> EventService::ListIncidents(
    const Principal& who, std::string_view event_id, std::optional<Severity> min_severity,
    int64_t page, int64_t page_size, std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(event_id));
  JISR_RETURN_IF_ERROR(CheckPage(page, page_size));
  std::vector<Incident> out;
  const std::string object = fmt::format("event/{}/incidents", event_id);
  auto fn = [&](db::Transaction& tx, boost::json::object& details) -> absl::Status {
    JISR_RETURN_IF_ERROR(LoadEvent(tx, event_id, options_.agency).status());
    JISR_ASSIGN_OR_RETURN(out, events::ListIncidents(tx, event_id, min_severity, page_size,
                                                     (page - 1) * page_size));
    details["count"] = static_cast<int64_t>(out.size());
    return absl::OkStatus();
  };
  JISR_RETURN_IF_ERROR(Guarded(who, Action::kIncidentRead, object, purpose, fn));
  return out;
}

absl::StatusOr<IncidentLogState> EventService::GetIncidentLogState(const Principal& who,
                                                                  std::string_view event_id) {
  JISR_RETURN_IF_ERROR(CheckUuid(event_id));
  JISR_RETURN_IF_ERROR(security::Authorize(who, Action::kIncidentRead));
  IncidentLogState out;
  JISR_RETURN_IF_ERROR(db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_RETURN_IF_ERROR(LoadEvent(tx, event_id, options_.agency).status());
    JISR_ASSIGN_OR_RETURN(out, events::GetIncidentLogState(tx, event_id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Deployment> EventService::AddDeployment(const Principal& who,
                                                       std::string_view event_id,
                                                       const DeploymentContent& content,
                                                       std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(event_id));
  if (content.agency != options_.agency) {
    return InvalidField("agency", fmt::format("this node records the deployments of {} only; "
                                              "{} records its own",
                                              options_.agency, content.agency));
  }
  const absl::Time now = TruncateToMillis(clock_.Now());
  Deployment d;
  d.id = NewUuidV7(now);
  d.event_id = std::string(event_id);
  d.agency = content.agency;
  d.officer_name = content.officer_name;
  d.role = content.role;
  d.venue = content.venue;
  d.starts_at = content.starts_at;
  d.ends_at = content.ends_at;
  d.contact = content.contact;
  d.created_by = who.Actor();
  d.created_at = now;
  const std::string object = fmt::format("event_deployment/{}", d.id);
  auto fn = [&](db::Transaction& tx, boost::json::object& details) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(Event e, LoadEvent(tx, event_id, options_.agency));
    if (!e.HasVenue(d.venue))
      return InvalidField("venue", fmt::format("event {} has no venue {}", e.name, d.venue));
    JISR_RETURN_IF_ERROR(InsertDeployment(tx, d));
    JISR_RETURN_IF_ERROR(PublishDeployment(tx, e, d, options_.agency, now));
    details["event"] = e.id;
    details["venue"] = d.venue;
    return absl::OkStatus();
  };
  JISR_RETURN_IF_ERROR(Guarded(who, Action::kEventDeploy, object, purpose, fn));
  return d;
}

absl::StatusOr<std::vector<Deployment>> EventService::ListDeployments(const Principal& who,
                                                                      std::string_view event_id,
                                                                      std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(event_id));
  std::vector<Deployment> out;
  const std::string object = fmt::format("event/{}/deployments", event_id);
  auto fn = [&](db::Transaction& tx, boost::json::object& details) -> absl::Status {
    JISR_RETURN_IF_ERROR(LoadEvent(tx, event_id, options_.agency).status());
    JISR_ASSIGN_OR_RETURN(out, events::ListDeployments(tx, event_id));
    details["count"] = static_cast<int64_t>(out.size());
    return absl::OkStatus();
  };
  JISR_RETURN_IF_ERROR(Guarded(who, Action::kEventRead, object, purpose, fn));
  return out;
}

absl::StatusOr<Campaign> EventService::CreateCampaign(const Principal& who,
                                                      std::string_view event_id,
                                                      const CampaignUpload& upload,
                                                      std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(event_id));
  JISR_RETURN_IF_ERROR(CheckText(upload.name, "name", 200));
  if (jobs_ == nullptr)
    return absl::FailedPreconditionError("this node runs no screening jobs");
  const std::string object = fmt::format("event/{}/campaigns", event_id);
  JISR_RETURN_IF_ERROR(
      security::internal::AuthorizeAudited(db_, audit_, who, Action::kCampaignCreate, object,
                                           purpose));
  {
    absl::Status known = db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) {
      return LoadEvent(tx, event_id, options_.agency).status();
    });
    if (!known.ok()) {
      return security::internal::RecordFailure(db_, audit_, who,
                                               ActionName(Action::kCampaignCreate), object,
                                               purpose, known);
    }
  }
  if (upload.parts && !upload.csv.empty())
    return InvalidField("input", "a campaign uploaded in parts starts without applicants");
  Campaign c;
  alerts::SubmitOptions options;
  options.format = alerts::JobFormat::kCsv;
  options.threshold = upload.threshold;
  options.top_k = upload.top_k;
  // The campaign is stored in the job's transaction: the job's first block
  // cannot run before it exists, and neither exists without the other.
  options.in_transaction = [&](db::Transaction& tx, const alerts::ScreeningJob& job) {
    const absl::Time now = TruncateToMillis(clock_.Now());
    c = Campaign();
    c.id = NewUuidV7(now);
    c.event_id = std::string(event_id);
    c.name = upload.name;
    c.job_id = job.id;
    c.purpose = std::string(purpose);
    c.created_by = who.Actor();
    c.created_at = now;
    c.counts.total = job.total;
    c.uploading = upload.parts;
    if (upload.parts) c.upload_expires_at = job.upload_expires_at;
    JISR_RETURN_IF_ERROR(InsertCampaign(tx, c));
    return audit_
        .Append(tx, security::internal::MakeEntry(
                        who.Actor(), ActionName(Action::kCampaignCreate),
                        fmt::format("event_campaign/{}", c.id), purpose, AuditOutcome::kSuccess,
                        boost::json::object{{"event", c.event_id},
                                            {"job", job.id},
                                            {"total", job.total},
                                            {"parts", upload.parts}}))
        .status();
  };
  if (upload.parts) {
    JISR_RETURN_IF_ERROR(jobs_->CreateStaged(who, options, purpose).status());
  } else {
    JISR_RETURN_IF_ERROR(jobs_->Submit(who, upload.csv, options, purpose).status());
  }
  return c;
}

absl::StatusOr<Campaign> EventService::LoadCampaignNow(std::string_view id) {
  Campaign out;
  JISR_RETURN_IF_ERROR(db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(out, LoadCampaign(tx, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<alerts::InputPart> EventService::AddApplicants(const Principal& who,
                                                              std::string_view id,
                                                              std::string_view csv,
                                                              std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(id));
  if (jobs_ == nullptr)
    return absl::FailedPreconditionError("this node runs no screening jobs");
  const std::string object = fmt::format("event_campaign/{}", id);
  JISR_RETURN_IF_ERROR(security::internal::AuthorizeAudited(db_, audit_, who,
                                                            Action::kCampaignCreate, object,
                                                            purpose));
  absl::StatusOr<Campaign> c = LoadCampaignNow(id);
  if (!c.ok()) {
    return security::internal::RecordFailure(db_, audit_, who,
                                             ActionName(Action::kCampaignCreate), object,
                                             purpose, c.status());
  }
  // The job checks who may add (its creator or a supervisor), the state and
  // the rows; the campaign's total and audit entry go in the same transaction.
  return jobs_->AppendInput(
      who, c->job_id, csv, purpose,
      [&](db::Transaction& tx, const alerts::InputPart& part) -> absl::Status {
        JISR_RETURN_IF_ERROR(SetUpload(tx, c->id, part.total, part.expires_at));
        return audit_
            .Append(tx, security::internal::MakeEntry(
                            who.Actor(), ActionName(Action::kCampaignCreate), object, purpose,
                            AuditOutcome::kSuccess,
                            boost::json::object{{"event", "applicants"},
                                                {"part", part.part},
                                                {"added", part.added},
                                                {"total", part.total}}))
            .status();
      });
}

absl::StatusOr<Campaign> EventService::StartCampaign(const Principal& who, std::string_view id,
                                                     std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(id));
  if (jobs_ == nullptr)
    return absl::FailedPreconditionError("this node runs no screening jobs");
  const std::string object = fmt::format("event_campaign/{}", id);
  JISR_RETURN_IF_ERROR(security::internal::AuthorizeAudited(db_, audit_, who,
                                                            Action::kCampaignCreate, object,
                                                            purpose));
  absl::StatusOr<Campaign> c = LoadCampaignNow(id);
  if (!c.ok()) {
    return security::internal::RecordFailure(db_, audit_, who,
                                             ActionName(Action::kCampaignCreate), object,
                                             purpose, c.status());
  }
  if (!c->uploading) {
    return security::internal::RecordFailure(
        db_, audit_, who, ActionName(Action::kCampaignCreate), object, purpose,
        absl::FailedPreconditionError(fmt::format("campaign {} was started already", id)));
  }
  JISR_RETURN_IF_ERROR(
      jobs_
          ->Start(who, c->job_id, purpose,
                  [&](db::Transaction& tx, const alerts::ScreeningJob& job) -> absl::Status {
                    JISR_RETURN_IF_ERROR(SetUpload(tx, c->id, job.total, std::nullopt));
                    return audit_
                        .Append(tx, security::internal::MakeEntry(
                                        who.Actor(), ActionName(Action::kCampaignCreate),
                                        object, purpose, AuditOutcome::kSuccess,
                                        boost::json::object{{"event", "started"},
                                                            {"total", job.total},
                                                            {"parts", job.parts}}))
                        .status();
                  })
          .status());
  c->uploading = false;
  absl::StatusOr<Campaign> now = LoadCampaignNow(id);
  return now.ok() ? *std::move(now) : *std::move(c);
}

absl::Status EventService::DiscardCampaign(const Principal& who, std::string_view id,
                                           std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(id));
  if (jobs_ == nullptr)
    return absl::FailedPreconditionError("this node runs no screening jobs");
  const std::string object = fmt::format("event_campaign/{}", id);
  JISR_RETURN_IF_ERROR(security::internal::AuthorizeAudited(db_, audit_, who,
                                                            Action::kCampaignCreate, object,
                                                            purpose));
  absl::StatusOr<Campaign> c = LoadCampaignNow(id);
  if (c.ok() && !c->uploading)
    c = absl::FailedPreconditionError(fmt::format("campaign {} was started: it is kept", id));
  if (!c.ok()) {
    return security::internal::RecordFailure(db_, audit_, who,
                                             ActionName(Action::kCampaignCreate), object,
                                             purpose, c.status());
  }
  return jobs_->Discard(
      who, c->job_id, purpose,
      [&](db::Transaction& tx, const alerts::ScreeningJob& job) -> absl::Status {
        JISR_RETURN_IF_ERROR(DeleteCampaign(tx, c->id));
        return audit_
            .Append(tx, security::internal::MakeEntry(
                            who.Actor(), ActionName(Action::kCampaignCreate), object, purpose,
                            AuditOutcome::kSuccess,
                            boost::json::object{{"event", "discarded"},
                                                {"applicants", job.total},
                                                {"parts", job.parts}}))
            .status();
      });
}

absl::StatusOr<int64_t> EventService::ExpireUploads(absl::Time now) {
  if (jobs_ == nullptr) return int64_t{0};
  return jobs_->ExpireStaged(
      now, [&](db::Transaction& tx, const alerts::ScreeningJob& job) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(std::optional<std::string> id, CampaignOfJob(tx, job.id));
        if (!id) return absl::OkStatus();  // a staged job of no campaign
        JISR_RETURN_IF_ERROR(DeleteCampaign(tx, *id));
        return audit_
            .Append(tx, security::internal::MakeEntry(
                            security::Principal::System().Actor(),
                            ActionName(Action::kCampaignCreate),
                            fmt::format("event_campaign/{}", *id),
                            alerts::kUploadExpiryPurpose,
                            AuditOutcome::kSuccess,
                            boost::json::object{{"event", "expired"},
                                                {"applicants", job.total},
                                                {"parts", job.parts},
                                                {"created_by", job.created_by}}))
            .status();
      });
}

absl::StatusOr<Campaign> EventService::GetCampaign(const Principal& who, std::string_view id,
                                                   std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(id));
  JISR_RETURN_IF_ERROR(security::Authorize(who, Action::kCampaignRead));
  (void)purpose;  // counts only: no person named
  Campaign out;
  JISR_RETURN_IF_ERROR(db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(out, LoadCampaign(tx, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Campaign>> EventService::ListCampaigns(const Principal& who,
                                                                  std::string_view event_id,
                                                                  std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(event_id));
  JISR_RETURN_IF_ERROR(security::Authorize(who, Action::kCampaignRead));
  (void)purpose;
  std::vector<Campaign> out;
  JISR_RETURN_IF_ERROR(db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_RETURN_IF_ERROR(LoadEvent(tx, event_id, options_.agency).status());
    JISR_ASSIGN_OR_RETURN(out, events::ListCampaigns(tx, event_id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ApplicantPage> EventService::ListApplicants(const Principal& who,
                                                           std::string_view id,
                                                           std::optional<Decision> decision,
                                                           int64_t page, int64_t page_size,
                                                           std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(id));
  JISR_RETURN_IF_ERROR(CheckPage(page, page_size));
  ApplicantPage out;
  out.page = page;
  out.page_size = page_size;
  const std::string object = fmt::format("event_campaign/{}", id);
  auto fn = [&](db::Transaction& tx, boost::json::object& details) -> absl::Status {
    JISR_RETURN_IF_ERROR(LoadCampaign(tx, id).status());
    JISR_ASSIGN_OR_RETURN(out.applicants,
                          events::ListApplicants(tx, id, decision, page_size,
                                                 (page - 1) * page_size, &out.total));
    details["event"] = "applicants";
    details["decision"] = decision ? DecisionName(*decision) : "any";
    details["count"] = static_cast<int64_t>(out.applicants.size());
    return absl::OkStatus();
  };
  JISR_RETURN_IF_ERROR(Guarded(who, Action::kCampaignRead, object, purpose, fn));
  return out;
}

absl::StatusOr<Applicant> EventService::Review(const Principal& who,
                                               std::string_view campaign_id, int64_t item,
                                               Decision decision, std::string_view reason,
                                               std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUuid(campaign_id));
  if (decision == Decision::kPending)
    return InvalidField("decision", "decision must be clear, refer or refuse");
  JISR_RETURN_IF_ERROR(CheckText(reason, "reason", 2000, true));
  Applicant out;
  const std::string object = fmt::format("event_campaign/{}/{}", campaign_id, item);
  auto fn = [&](db::Transaction& tx, boost::json::object& details) -> absl::Status {
    JISR_RETURN_IF_ERROR(LoadCampaign(tx, campaign_id).status());
    JISR_ASSIGN_OR_RETURN(std::optional<Applicant> a, GetApplicant(tx, campaign_id, item));
    if (!a) {
      return absl::NotFoundError(
          fmt::format("campaign {} has no applicant {} with a match", campaign_id, item));
    }
    const absl::Time now = TruncateToMillis(clock_.Now());
    JISR_ASSIGN_OR_RETURN(bool decided, DecideApplicant(tx, campaign_id, item, decision,
                                                        who.Actor(), reason, now));
    if (!decided) {
      return absl::FailedPreconditionError(
          fmt::format("applicant {} was {} already by {}", item, DecisionName(a->decision),
                      a->reviewer));
    }
    out = *a;
    out.decision = decision;
    out.reviewer = who.Actor();
    out.reason = std::string(reason);
    out.decided_at = now;
    details["decision"] = DecisionName(decision);
    details["input_id"] = out.input_id;
    details["alert_id"] = out.alert_id;
    details["reason"] = out.reason;
    return absl::OkStatus();
  };
  JISR_RETURN_IF_ERROR(Guarded(who, Action::kCampaignReview, object, purpose, fn));
  return out;
}

absl::Status EventService::ObserveBlock(db::Transaction& tx, const alerts::ScreeningJob& job,
                                        int64_t end,
                                        const std::vector<alerts::BlockMatch>& matches) {
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> campaign, CampaignOfJob(tx, job.id));
  if (!campaign) return absl::OkStatus();
  for (const alerts::BlockMatch& m : matches) {
    Applicant a;
    a.campaign_id = *campaign;
    a.item = m.item;
    a.input_id = m.input_id;
    a.input_name = m.input_name;
    a.alert_id = m.alert_id;
    a.score = m.score;
    a.matches = m.matches;
    JISR_RETURN_IF_ERROR(InsertApplicant(tx, a));
  }
  return SetScreened(tx, *campaign, end, TruncateToMillis(clock_.Now()));
}

#undef JISR_EVENTS_GUARDED

}  // namespace jisr::events
