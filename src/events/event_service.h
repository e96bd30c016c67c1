// The service of events/: major events, liaison-officer deployments, the
// incident log shared live with the event's agencies, and accreditation
// screening campaigns with the review of every applicant with a match.
//
// Every call asks the policy table (security::Authorize) for its action
// (event.*, incident.*, campaign.*), audits a denial, and writes the change
// with its audit entry — and the outbox rows of what crosses (event_sharing.h)
// — in ONE write transaction. Reads of records naming persons (incidents,
// deployments, campaigns and applicants) are audited with the caller's
// purpose.
//
// Campaigns reuse alerts/ScreeningJobService: CreateCampaign submits the
// uploaded CSV (the columns of `jisr screen`) as one screening job and
// stores the campaign in the job's own transaction — or, for a list too
// long for one request (a million applicants), creates the campaign with a
// staged job, AddApplicants appends each part (checked row by row, all or
// nothing per part) and StartCampaign queues the job; the block observer
// (ObserveBlock, added to the job service by the composition root) records,
// in each block's transaction, the screened count and every applicant with a
// match (pending review). Nothing keeps a job's results in memory: they are
// written block by block and read page by page.
//
// Thread-safety: EventService is safe to share between threads.
#ifndef JISR_EVENTS_EVENT_SERVICE_H_
#define JISR_EVENTS_EVENT_SERVICE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "alerts/screening_jobs.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "events/event.h"
#include "events/event_repository.h"
#include "security/policy.h"

namespace jisr::events {

struct EventOptions {
  std::string agency;  // this node's agency code (required)
};

struct CampaignUpload {
  std::string name;                  // 1..200 bytes
  std::string csv;                   // the applicants (jisr screen columns)
  // The applicants come later in parts (AddApplicants, then StartCampaign);
  // `csv` must then be empty.
  bool parts = false;
  std::optional<double> threshold;   // as alerts::SubmitOptions
  int64_t top_k = 3;
};

struct ApplicantPage {
  std::vector<Applicant> applicants;
  int64_t total = 0;
  int64_t page = 1;
  int64_t page_size = 100;
};

class EventService {
 public:
  // `db`, `audit`, `clock` and `jobs` must outlive the service; `jobs` may be
  // null (campaigns then answer FailedPrecondition).
  EventService(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
               EventOptions options, alerts::ScreeningJobService* jobs);
  EventService(const EventService&) = delete;
  EventService& operator=(const EventService&) = delete;

  const EventOptions& options() const { return options_; }

  // Creates an event hosted by this agency (event.create) and sends it to the
  // partners. Returns it. Errors: PermissionDenied; the store's.
  absl::StatusOr<Event> CreateEvent(const security::Principal& who, const EventContent& content,
                                    std::string_view purpose);
  // Replaces the content of event `id`, hosted by this agency, seen at
  // `version` (event.update), and sends the new version to its partners.
  // A partner removed gets "event.purge" (its copy no longer lists it and
  // loses the other agencies' incidents and deployments); a partner added
  // gets the event and this agency's incidents and deployments of it (the
  // other agencies send theirs when the new version reaches them). Returns
  // the new version. Errors: PermissionDenied; InvalidArgument naming the
  // member, "venues" when a venue still used by an incident or deployment is
  // removed; NotFound; FailedPrecondition for a partner's event or a stale
  // version.
  absl::StatusOr<Event> UpdateEvent(const security::Principal& who, std::string_view id,
                                    const EventContent& content, int64_t version,
                                    std::string_view purpose);
  // Returns event `id` (event.read). Errors: InvalidArgument naming "id";
  // NotFound; PermissionDenied.
  absl::StatusOr<Event> GetEvent(const security::Principal& who, std::string_view id,
                                 std::string_view purpose);
  // The events this agency hosts or partners, newest first (event.read).
  absl::StatusOr<std::vector<Event>> ListEvents(const security::Principal& who, int64_t page,
                                                int64_t page_size, std::string_view purpose);

  // Logs an incident of event `event_id` owned by this agency
  // (incident.create) and sends it to the event's other agencies. Errors:
  // InvalidArgument naming "venue" (not a venue of the event), "alert_ids";
  // NotFound; PermissionDenied.
  absl::StatusOr<Incident> AddIncident(const security::Principal& who, std::string_view event_id,
                                       const IncidentContent& content, std::string_view purpose);
  // The event's incidents, newest first (incident.read; audited).
  absl::StatusOr<std::vector<Incident>> ListIncidents(const security::Principal& who,
                                                      std::string_view event_id,
                                                      std::optional<Severity> min_severity,
                                                      int64_t page, int64_t page_size,
                                                      std::string_view purpose);

  // How many incidents event `id` has here and when the newest was stored
  // (incident.read): what a live screen polls to know when to read the log
  // again. Names no person, so not audited (the reads of the log are).
  // Errors: InvalidArgument "id"; NotFound; PermissionDenied.
  absl::StatusOr<IncidentLogState> GetIncidentLogState(const security::Principal& who,
                                                       std::string_view event_id);

  // Records a deployment of one of this agency's liaison officers
  // (event.deploy) and sends it to the event's other agencies. Errors:
  // InvalidArgument naming "agency" (not this agency), "venue"; NotFound.
  absl::StatusOr<Deployment> AddDeployment(const security::Principal& who,
                                           std::string_view event_id,
                                           const DeploymentContent& content,
                                           std::string_view purpose);
  // The event's deployments by start (event.read; audited).
  absl::StatusOr<std::vector<Deployment>> ListDeployments(const security::Principal& who,
                                                          std::string_view event_id,
                                                          std::string_view purpose);

  // Starts an accreditation campaign of event `event_id` (campaign.create
  // and screen.batch): the upload is checked whole and queued as one
  // screening job. Errors: InvalidArgument naming "name", "purpose"
  // (required), "threshold", "top_k" or "input" (with the CSV line);
  // NotFound; PermissionDenied; FailedPrecondition without a job service.
  absl::StatusOr<Campaign> CreateCampaign(const security::Principal& who,
                                          std::string_view event_id,
                                          const CampaignUpload& upload,
                                          std::string_view purpose);
  // Appends one part of the applicants of campaign `id` created with
  // `parts` (campaign.create and screen.batch, by its creator or a
  // supervisor): a CSV with its own header, checked row by row and stored
  // with the campaign's new total in one transaction (audited with the
  // purpose). Returns the part. Errors: InvalidArgument naming "purpose" or
  // "input" ("part 3:12:4: ..." — the line counted in the part);
  // FailedPrecondition when the campaign was started; NotFound;
  // PermissionDenied.
  absl::StatusOr<alerts::InputPart> AddApplicants(const security::Principal& who,
                                                  std::string_view id, std::string_view csv,
                                                  std::string_view purpose);
  // Starts screening the applicants uploaded in parts (as AddApplicants).
  // Returns the campaign (screening). Errors: FailedPrecondition when it
  // was started already or has no applicant; NotFound; PermissionDenied.
  absl::StatusOr<Campaign> StartCampaign(const security::Principal& who, std::string_view id,
                                         std::string_view purpose);
  // Discards a campaign still uploading (as AddApplicants): the campaign,
  // its job and the applicants uploaded are deleted in one transaction
  // (audited with the count). Errors: FailedPrecondition when it was
  // started; NotFound; PermissionDenied.
  absl::Status DiscardCampaign(const security::Principal& who, std::string_view id,
                               std::string_view purpose);
  // Housekeeping (actor "system"): deletes every campaign whose upload in
  // parts expired at `now` — no part and no start for the screening jobs'
  // upload_expiry — with its job and the applicants uploaded, one
  // transaction each, audited campaign.create event "expired" (and the
  // job's screen.batch entry). Returns the number of uploads deleted.
  // Errors: the store's.
  absl::StatusOr<int64_t> ExpireUploads(absl::Time now);
  // Returns campaign `id` with its counts (campaign.read).
  absl::StatusOr<Campaign> GetCampaign(const security::Principal& who, std::string_view id,
                                       std::string_view purpose);
  absl::StatusOr<std::vector<Campaign>> ListCampaigns(const security::Principal& who,
                                                      std::string_view event_id,
                                                      std::string_view purpose);
  // The applicants of campaign `id` with a match, by item, optionally of
  // one decision (campaign.read; audited). Errors: InvalidArgument naming
  // "page", "page_size" (1..kMaxPageSize); NotFound.
  absl::StatusOr<ApplicantPage> ListApplicants(const security::Principal& who,
                                               std::string_view id,
                                               std::optional<Decision> decision, int64_t page,
                                               int64_t page_size, std::string_view purpose);
  // Decides on a pending applicant (campaign.review): `decision` cleared,
  // referred or refused, with a reason (1..2000 bytes). Returns the
  // applicant. Errors: InvalidArgument naming "decision" or "reason";
  // NotFound (campaign or applicant); FailedPrecondition (409) when it was
  // decided already.
  absl::StatusOr<Applicant> Review(const security::Principal& who, std::string_view campaign_id,
                                   int64_t item, Decision decision, std::string_view reason,
                                   std::string_view purpose);

  // The block observer of the screening jobs (see the file comment):
  // records the progress and matches of a campaign's job; OK and nothing for
  // other jobs. Errors: the store's.
  absl::Status ObserveBlock(db::Transaction& tx, const alerts::ScreeningJob& job, int64_t end,
                            const std::vector<alerts::BlockMatch>& matches);

 private:
  // Runs `fn` for `who` doing `action` on `object` through
  // security::AuditedWrite (purpose, policy, one transaction with the
  // success entry, failure audited).
  absl::Status Guarded(const security::Principal& who, security::Action action,
                       std::string object, std::string_view purpose,
                       absl::FunctionRef<absl::Status(db::Transaction&, boost::json::object&)> fn);

  // Campaign `id` with its counts, read in its own transaction (NotFound).
  absl::StatusOr<Campaign> LoadCampaignNow(std::string_view id);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  EventOptions options_;
  alerts::ScreeningJobService* jobs_;
};

}  // namespace jisr::events

#endif  // JISR_EVENTS_EVENT_SERVICE_H_
