// The tables of events/ (migration 0010_events.sql): events, incidents,
// deployments, campaigns and reviewed applicants. Every function works in
// the caller's transaction; no permission checks, no audit.
//
// Thread-safety: stateless functions over the transaction they are given.
#ifndef JISR_EVENTS_EVENT_REPOSITORY_H_
#define JISR_EVENTS_EVENT_REPOSITORY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "db/database.h"
#include "events/event.h"

namespace jisr::events {

// Errors: AlreadyExists for a known id; the store's.
absl::Status InsertEvent(db::Transaction& tx, const Event& e);
// Replaces every column of event e.id. Errors: NotFound; the store's.
absl::Status UpdateEvent(db::Transaction& tx, const Event& e);
absl::StatusOr<std::optional<Event>> GetEvent(db::Transaction& tx, std::string_view id);
// The events that `agency` hosts or partners, by start day (newest first).
absl::StatusOr<std::vector<Event>> ListEvents(db::Transaction& tx, std::string_view agency,
                                              int64_t limit, int64_t offset);

absl::Status InsertIncident(db::Transaction& tx, const Incident& i);
absl::StatusOr<std::optional<Incident>> GetIncident(db::Transaction& tx, std::string_view id);
// Event `event_id`'s incidents by time (optionally of `severity` at least).
absl::StatusOr<std::vector<Incident>> ListIncidents(db::Transaction& tx,
                                                    std::string_view event_id,
                                                    std::optional<Severity> min_severity,
                                                    int64_t limit, int64_t offset);

absl::Status InsertDeployment(db::Transaction& tx, const Deployment& d);
absl::StatusOr<std::optional<Deployment>> GetDeployment(db::Transaction& tx,
                                                        std::string_view id);
absl::StatusOr<std::vector<Deployment>> ListDeployments(db::Transaction& tx,
                                                        std::string_view event_id);

// How many incidents event `event_id` has here and when the newest of them
// was stored here (nullopt without any).
struct IncidentLogState {
  int64_t count = 0;
  std::optional<absl::Time> latest_stored_at;
};
absl::StatusOr<IncidentLogState> GetIncidentLogState(db::Transaction& tx,
                                                     std::string_view event_id);

// Incidents and deployments of event `event_id` that name venue `venue`.
absl::StatusOr<int64_t> CountVenueUses(db::Transaction& tx, std::string_view event_id,
                                       std::string_view venue);
// Deletes the incidents and deployments of event `event_id` NOT owned by
// `agency` (what a partner removed from the event must no longer hold);
// returns the ids deleted.
struct DeletedRecords {
  std::vector<std::string> incidents;
  std::vector<std::string> deployments;
};
absl::StatusOr<DeletedRecords> DeleteOthersRecords(db::Transaction& tx, std::string_view event_id,
                                                   std::string_view agency);

absl::Status InsertCampaign(db::Transaction& tx, const Campaign& c);
// Deletes campaign `id` (one not started: it has no applicant row).
absl::Status DeleteCampaign(db::Transaction& tx, std::string_view id);
// Sets the number of applicants uploaded and whether the upload goes on: until
// `expires_at`, or nullopt once started.
absl::Status SetUpload(db::Transaction& tx, std::string_view campaign_id, int64_t total,
                       std::optional<absl::Time> expires_at);
// The campaign with its counts (computed from the applicants).
absl::StatusOr<std::optional<Campaign>> GetCampaign(db::Transaction& tx, std::string_view id);
absl::StatusOr<std::optional<std::string>> CampaignOfJob(db::Transaction& tx,
                                                         std::string_view job_id);
absl::StatusOr<std::vector<Campaign>> ListCampaigns(db::Transaction& tx,
                                                    std::string_view event_id);
// Sets the number screened (and finished_at when it reaches the total).
absl::Status SetScreened(db::Transaction& tx, std::string_view campaign_id, int64_t screened,
                         absl::Time now);

// Inserts applicant `a` (pending); an applicant already stored (a block
// screened again after a take-over) is left as it is.
absl::Status InsertApplicant(db::Transaction& tx, const Applicant& a);
absl::StatusOr<std::optional<Applicant>> GetApplicant(db::Transaction& tx,
                                                      std::string_view campaign_id,
                                                      int64_t item);
// Applicants by item, optionally of one decision; `total` gets their number.
absl::StatusOr<std::vector<Applicant>> ListApplicants(db::Transaction& tx,
                                                      std::string_view campaign_id,
                                                      std::optional<Decision> decision,
                                                      int64_t limit, int64_t offset,
                                                      int64_t* total);
// Records a decision on a pending applicant. Returns false when the
// applicant was not pending (any more).
absl::StatusOr<bool> DecideApplicant(db::Transaction& tx, std::string_view campaign_id,
                                     int64_t item, Decision decision, std::string_view reviewer,
                                     std::string_view reason, absl::Time now);

}  // namespace jisr::events

#endif  // JISR_EVENTS_EVENT_REPOSITORY_H_
