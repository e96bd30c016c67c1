// The alerts service: drafting, reading, listing and changing wanted-person
// alerts through their lifecycle
//
//   draft --activate--> active --suspend--> suspended --activate--> active
//   draft | active | suspended --withdraw (reason)--> withdrawn
//   active --execute (date, place)--> executed
//   active | suspended --(review date passed, RunReviews)--> expired
//
// with four eyes (the supervisor who activates is neither the author nor the
// last editor of the content), optimistic concurrency (every change names the
// version it was made on; a stale version fails with FailedPrecondition, HTTP
// 409), a full history (alert_history: every version with its snapshot), and
// review dates by category that a supervisor extends with a written
// justification. Alerts owned by a partner agency are read-only here.
//
// Every call takes the acting Principal and a stated purpose, asks
// security::Authorize() first and leaves exactly one audit entry: "success"
// in the same transaction as the change or read, "denied" when the policy
// refuses, "failure" when the call fails after authorization (in their own
// small transaction). Audit details name the fields changed, never their
// values (those are in the alert's history).
//
// The screening index (AlertIndex, optional) is kept equal to the set of
// active alerts: every change is applied to it right after its commit, and
// FollowChanges() also applies the changes other processes on the same store
// commit (store notifications on channel kAlertsChannel).
//
// Thread-safety: AlertService is safe to share between threads.
#ifndef JISR_ALERTS_ALERT_SERVICE_H_
#define JISR_ALERTS_ALERT_SERVICE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "alerts/alert.h"
#include "alerts/alert_index.h"
#include "alerts/alert_io.h"
#include "alerts/alert_repository.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "security/policy.h"

namespace jisr::alerts {

// The store notification channel on which every committed alert change is
// announced (payload: the alert id).
inline constexpr std::string_view kAlertsChannel = "alerts_changed";

// How long an alert stays in force before it must be reviewed, by category,
// and when the review is announced.
struct ReviewOptions {
  // arrest_extradition. Default 5 years.
  int arrest_years = 5;
  // locate, missing_person and witness. Default 3 years.
  int locate_years = 3;
  // discreet_check, specific_check and inquiry_check. Default 1 year.
  int check_years = 1;
  // How long before its review date an alert is flagged for review (history
  // entry "review_warning", audit "alert.review_warning"). Default 30 days.
  absl::Duration warn_before = absl::Hours(24 * 30);
};

struct AlertServiceOptions {
  // This node's agency code ("MA-DGSN"): the owner of the alerts drafted
  // here. Alerts of any other owner are read-only. Required.
  std::string agency;
  ReviewOptions review;
};

// What one RunReviews step did.
struct ReviewReport {
  std::vector<std::string> warned;   // ids flagged for review
  std::vector<std::string> expired;  // ids expired
};

struct ImportOptions {
  // Import the good records even when some are bad (the bad ones are
  // reported). Default false: nothing is imported when any record is bad.
  bool skip_invalid = false;
  ImportDefaults defaults;
};

struct ImportResult {
  std::vector<ImportProblem> problems;  // the bad records, with line and reason
  // False when nothing was imported because of problems (and not
  // skip_invalid).
  bool imported = false;
  std::vector<std::string> created;    // ids of the drafts created
  std::vector<std::string> unchanged;  // sources already imported before
};

class AlertService {
 public:
  // `db`, `audit`, `clock` and `index` (which may be null: no screening
  // index to feed) must outlive the service.
  AlertService(db::Database& db, const audit::AuditLog& audit,
               const Clock& clock, AlertIndex* index,
               AlertServiceOptions options);
  ~AlertService();
  AlertService(const AlertService&) = delete;
  AlertService& operator=(const AlertService&) = delete;

  // Drafts an alert owned by this node's agency (action alert.create) and
  // returns it (status draft, version 1, created_by = who).
  // Errors: PermissionDenied; InvalidArgument naming the field (see
  // ValidateContent) or "purpose"; the store's error.
  absl::StatusOr<Alert> Create(const security::Principal& who,
                               const AlertContent& content,
                               std::string_view purpose);

  // Returns alert `id` (action alert.read; the read is audited).
  // Errors: PermissionDenied; InvalidArgument naming "id" when it is not a
  // UUID; NotFound; the store's error.
  absl::StatusOr<Alert> Get(const security::Principal& who, std::string_view id,
                            std::string_view purpose);

  // Returns one page of alerts (action alert.list; audited with the filter
  // and the ids returned). Errors: PermissionDenied; InvalidArgument naming
  // "page", "page_size" or "q" (over 300 bytes or not clean text); the
  // store's error.
  absl::StatusOr<AlertPage> List(const security::Principal& who,
                                 const AlertQuery& query,
                                 std::string_view purpose);

  // Returns every version of alert `id`, oldest first (action alert.read).
  // Errors as Get.
  absl::StatusOr<std::vector<HistoryEntry>> History(
      const security::Principal& who, std::string_view id,
      std::string_view purpose);

  // Applies `patch` (members of AlertContentToJson; see ApplyPatch) to alert
  // `id` at `version` and returns the alert as updated (version + 1; the same
  // alert, not re-versioned, when nothing changed). Drafts, active and
  // suspended alerts may be updated; an active alert stays active and is
  // re-indexed. Action alert.update.
  // Errors: PermissionDenied; InvalidArgument naming the field; NotFound;
  // FailedPrecondition when the version is stale, the alert is closed
  // (withdrawn, executed, expired) or owned by a partner; the store's error.
  absl::StatusOr<Alert> Update(const security::Principal& who,
                               std::string_view id, int64_t version,
                               const boost::json::object& patch,
                               std::string_view purpose);

  // Activates a draft or resumes a suspended alert (action alert.activate):
  // the content must be valid and screenable, and `who` must be neither its
  // author nor its last editor. The first activation sets review_at by the
  // category (ReviewOptions).
  // Errors: PermissionDenied (also for the author or last editor: four eyes);
  // InvalidArgument naming the field of content that is not valid (any
  // more); NotFound; FailedPrecondition for a stale version, a partner's
  // alert or another status; the store's error.
  absl::StatusOr<Alert> Activate(const security::Principal& who,
                                 std::string_view id, int64_t version,
                                 std::string_view purpose);

  // Suspends an active alert; `reason` is required (action alert.suspend).
  // Errors as Activate; InvalidArgument naming "reason".
  absl::StatusOr<Alert> Suspend(const security::Principal& who,
                                std::string_view id, int64_t version,
                                std::string_view reason,
                                std::string_view purpose);

  // Withdraws a draft, active or suspended alert for good; `reason` is
  // required (action alert.withdraw). Errors as Suspend.
  absl::StatusOr<Alert> Withdraw(const security::Principal& who,
                                 std::string_view id, int64_t version,
                                 std::string_view reason,
                                 std::string_view purpose);

  // Records the execution of an active alert (the arrest, or the person
  // found) on `execution.date` (not in the future nor before the alert was
  // created) at `execution.place` (action alert.execute).
  // Errors as Activate; InvalidArgument naming "date" or "place".
  absl::StatusOr<Alert> Execute(const security::Principal& who,
                                std::string_view id, int64_t version,
                                const Execution& execution,
                                std::string_view purpose);

  // Extends the review date of an active or suspended alert (action
  // alert.extend) to `until`, or by the category's period from now when
  // nullopt; `justification` is required. `until` must be in the future and
  // at most one period from now.
  // Errors as Activate; InvalidArgument naming "justification" or
  // "review_at".
  absl::StatusOr<Alert> Extend(const security::Principal& who,
                               std::string_view id, int64_t version,
                               std::string_view justification,
                               std::optional<absl::Time> until,
                               std::string_view purpose);

  // Parses `data` in `format` (alert_io.h) and drafts one alert per good
  // record whose source was not imported before, all in one transaction
  // (action alert.import; each draft also gets its "create" history entry).
  // Re-importing a file changes nothing. When a record is bad and
  // !options.skip_invalid, nothing is imported (result.imported is false,
  // audited as a failure). Errors: PermissionDenied; InvalidArgument naming
  // "purpose"; the store's error.
  absl::StatusOr<ImportResult> Import(const security::Principal& who,
                                      AlertFormat format, std::string_view data,
                                      const ImportOptions& options,
                                      std::string_view purpose);

  // Returns every alert of this node (of `status` when given), oldest first,
  // for export (action alert.export; audited with the count).
  // Errors: PermissionDenied; the store's error.
  absl::StatusOr<std::vector<Alert>> Export(const security::Principal& who,
                                            std::optional<AlertStatus> status,
                                            std::string_view purpose);

  // The scheduler's step (run by the node, not by a user; audited as
  // "system"): flags for review the active and suspended alerts whose review
  // date is within warn_before of `now` and were not flagged yet, and expires
  // those whose review date is at or before `now`. Each alert is handled in
  // its own transaction; running it twice changes nothing more. Returns what
  // it did. Errors: the store's (alerts handled before the error stay done).
  absl::StatusOr<ReviewReport> RunReviews(absl::Time now);

  // Loads the active alerts into the index (when there is one) and returns
  // how many are listed. Errors: the store's.
  absl::StatusOr<size_t> LoadIndex();

  // Loads the index, then keeps it current with the changes committed by any
  // process on the store (Database::Listen on kAlertsChannel) until the
  // service is destroyed. Calling it again does nothing. Errors: the store's.
  absl::Status FollowChanges();

  // The period an alert of `category` stays in force before review.
  absl::Time ReviewDate(Category category, absl::Time from) const;

  const AlertServiceOptions& options() const { return options_; }

 private:
  // One change of one alert: applies `change` to the stored alert in a write
  // transaction, checks ownership, version and permission, bumps the
  // version, writes history and audit, commits, then syncs the index.
  // `change` returns the history note and may set `*skip` to leave the alert
  // unchanged (no new version).
  struct ChangeContext {
    std::string history_change;       // e.g. "activate"
    std::vector<std::string> fields;  // content fields changed
    std::string note;                 // reason, justification, place
    boost::json::object details;      // audit details
    bool unchanged = false;           // nothing to write (no new version)
  };
  using ChangeFn = absl::FunctionRef<absl::Status(Alert&, ChangeContext&)>;
  absl::StatusOr<Alert> Change(const security::Principal& who,
                               security::Action action, std::string_view id,
                               int64_t version, std::string_view purpose,
                               ChangeFn change);
  absl::StatusOr<Alert> DoChange(const security::Principal& who,
                                 security::Action action, std::string_view id,
                                 int64_t version, std::string_view purpose,
                                 ChangeFn change);

  // Applies one scheduled change (warning or expiry) to alert `id`. Returns
  // true when it changed the alert.
  absl::StatusOr<bool> ReviewOne(const std::string& id, absl::Time now,
                                 bool expire);

  // Applies a committed alert to the index (logs when the engine refuses it).
  void SyncIndex(const Alert& alert);
  // Re-reads alert `id` from the store and syncs it (notifications).
  void SyncFromStore(const std::string& id);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  AlertIndex* index_;
  AlertServiceOptions options_;
  absl::Mutex follow_mu_;
  std::unique_ptr<db::Subscription> subscription_ ABSL_GUARDED_BY(follow_mu_);
};

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_ALERT_SERVICE_H_
