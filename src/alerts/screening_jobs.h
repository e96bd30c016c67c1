// Batch screening: a list of persons (CSV with the columns of `jisr screen`,
// e.g. an event's accreditations) or a flight's passengers and crew (a
// UN/EDIFACT PAXLST message) screened against the active alerts in the
// background, with progress and paged results.
//
// A CSV list is stored row by row (table screening_job_inputs), never as
// one value, and read back block by block by the runner: Submit checks and
// stores a small list in one transaction (a bad file is refused with the
// line at fault and nothing is stored); a long one (a million applicants of
// an accreditation campaign, ~100 MB, over the HTTP body limit) is uploaded
// in parts — CreateStaged (state staging), AppendInput per part (checked
// row by row, all or nothing per part, ids unique across parts), Start
// (state queued). The staged rows are deleted when the job ends. A PAXLST
// message (a flight) is stored whole and parsed when the job runs. RunPending —
// called by the worker thread that StartWorker starts, or directly by tests —
// claims a queued job (or one whose process stopped reporting progress for
// `stale_after`), screens its persons in blocks, and writes each block's
// results and the progress in one transaction, so a job interrupted by a crash
// resumes where it stopped. A job's results are read page by page, or as CSV.
//
// A job, its results and its input hold personal data: they are readable by
// the user who submitted the job and by supervisors (action screen.batch).
// Submitting is audited with the purpose and the number of persons; the end
// of a job with the matches found (input id, alert id, score); every read of
// a job or its results with the caller's purpose.
//
// Thread-safety: ScreeningJobService is safe to share between threads.
#ifndef JISR_ALERTS_SCREENING_JOBS_H_
#define JISR_ALERTS_SCREENING_JOBS_H_

#include <boost/json/object.hpp>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "alerts/alert.h"
#include "alerts/alert_index.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "security/policy.h"

namespace jisr::alerts {

enum class JobFormat : uint8_t { kCsv, kPaxlst };
// "csv", "paxlst".
std::string_view JobFormatName(JobFormat f);
std::optional<JobFormat> JobFormatFromName(std::string_view name);

enum class JobState : uint8_t { kQueued, kRunning, kDone, kFailed, kStaging };
// "queued", "running", "done", "failed", "staging" (parts being uploaded).
std::string_view JobStateName(JobState s);

struct ScreeningJob {
  std::string id;
  std::string created_by;
  absl::Time created_at;
  std::string purpose;
  JobFormat format = JobFormat::kCsv;
  std::string
      description;  // e.g. "flight DA1234 CDG-RAK, 3 passengers, 0 crew"
  double threshold = 0.0;
  int64_t top_k = 10;
  JobState state = JobState::kQueued;
  int64_t total = 0;
  int64_t processed = 0;
  int64_t matched = 0;  // persons with at least one match
  std::string error;
  std::optional<absl::Time> finished_at;
  int64_t parts = 0;  // parts of a staged CSV input (0: the input is one value)
  // A staging job not given a part or started by then is deleted with its
  // staged persons (ExpireStaged); unset once started.
  std::optional<absl::Time> upload_expires_at;
};

// {id, state, format, description, purpose, created_by, created_at,
// finished_at, total, processed, matched, threshold, top_k, error, parts,
// upload_expires_at (null unless staging)}.
boost::json::object ScreeningJobToJson(const ScreeningJob& job);

// One match of one screened person.
struct JobResult {
  int64_t item = 0;  // 0-based position of the person in the input
  int64_t rank = 0;  // 0-based rank of the match
  std::string input_id;
  std::string input_name;
  std::string alert_id;
  double score = 0.0;
  std::string matched_name;
  std::string category;
  std::string owner;
  std::string action;
  std::vector<std::string> warnings;
  std::string explanation;  // JSON object text
};

// {item, rank, input_id, input_name, alert_id, score, matched_name,
// category, owner, action, warnings, explanation}.
boost::json::object JobResultToJson(const JobResult& r);

struct JobResultPage {
  std::vector<JobResult> results;  // by item, then rank
  int64_t total = 0;
  int64_t page = 1;
  int64_t page_size = 100;
};

struct SubmitOptions {
  JobFormat format = JobFormat::kCsv;
  // In [0, 1]; default the engine's threshold.
  std::optional<double> threshold;
  // Matches kept per person, 1..kMaxTopK (screening_service.h). Default 5.
  int64_t top_k = 5;
  // Called in the transaction that stores the job (after its row), e.g. to
  // store a record that owns the job (an event's screening campaign). Its
  // error rolls the submission back. Default none.
  std::function<absl::Status(db::Transaction&, const ScreeningJob&)>
      in_transaction;
};

// One part appended to a staged job.
struct InputPart {
  int64_t part = 0;   // 1-based number of the part
  int64_t added = 0;  // persons of this part
  int64_t first_item =
      0;              // item of the part's first person in the whole upload
  int64_t total = 0;  // persons of the job with this part
  absl::Time expires_at;  // the upload's new expiry (ExpireStaged)
};

// One screened person of a block with at least one match, as a block
// observer sees it: its best match.
struct BlockMatch {
  int64_t item = 0;  // 0-based position of the person in the input
  std::string input_id;
  std::string input_name;
  std::string alert_id;  // the best match's alert
  double score = 0.0;    // the best match's score
  int64_t matches = 0;   // matches kept for this person
};

// Called in the transaction of each block of a job, after its results are
// written: `job` as claimed, `end` the number of persons processed with this
// block, `matches` the persons of the block with a match (by item). Its
// error rolls the block back (the job fails with the store's error and is
// retried by the next run).
using JobBlockObserver = std::function<absl::Status(
    db::Transaction&, const ScreeningJob& job, int64_t end,
    const std::vector<BlockMatch>& matches)>;

// The purpose of the audit entries of an upload deleted by ExpireStaged.
inline constexpr std::string_view kUploadExpiryPurpose =
    "retention: an upload in parts neither started nor discarded expires";

struct ScreeningJobOptions {
  // Persons screened per transaction. Default 100.
  int64_t block = 100;
  // A running job whose process has not reported progress for this long is
  // taken over by another worker. Default 5 minutes.
  absl::Duration stale_after = absl::Minutes(5);
  // How often an idle worker looks for jobs submitted through other
  // processes. Default 5 seconds.
  absl::Duration poll = absl::Seconds(5);
  // The most persons in one job. Default 1,000,000.
  int64_t max_persons = 1000000;
  // A job uploaded in parts that is neither given a part nor started for
  // this long is deleted with its staged persons (ExpireStaged). Default 24
  // hours.
  absl::Duration upload_expiry = absl::Hours(24);
};

class ScreeningJobService {
 public:
  // `db`, `audit`, `clock` and `index` must outlive the service.
  ScreeningJobService(db::Database& db, const audit::AuditLog& audit,
                      const Clock& clock, const AlertIndex& index,
                      ScreeningJobOptions options = {});
  // Stops the worker (if started) after its current block.
  ~ScreeningJobService();
  ScreeningJobService(const ScreeningJobService&) = delete;
  ScreeningJobService& operator=(const ScreeningJobService&) = delete;

  // Checks `input` and queues a job (action screen.batch). Returns the job.
  // Errors: InvalidArgument naming "purpose" (required), "threshold",
  // "top_k", or the input's line ("input: W.csv:12:4: bad date ..." /
  // "PAXLST segment 14 (DTM) at line 15: ..."); PermissionDenied; the
  // store's error.
  absl::StatusOr<ScreeningJob> Submit(const security::Principal& who,
                                      std::string_view input,
                                      const SubmitOptions& options,
                                      std::string_view purpose);

  // Creates a job (state staging, no person yet) whose CSV input is uploaded
  // with AppendInput and queued by Start (action screen.batch).
  // `options.format` must be kCsv; `options.in_transaction` runs in the
  // transaction that stores it. Returns the job. Errors: as Submit (but no
  // "input").
  absl::StatusOr<ScreeningJob> CreateStaged(const security::Principal& who,
                                            const SubmitOptions& options,
                                            std::string_view purpose);

  // Appends one part of staged job `id` (its submitter or a supervisor):
  // `csv` is a persons CSV with its own header; it is checked row by row and
  // stored in one transaction with `in_transaction` (e.g. the campaign's
  // count), so a bad part stores nothing. Errors name field "input" and
  // the part, line and column, the line counted in the part ("input: part
  // 3:12:4: birth_date: ..."); an id already uploaded by an earlier part
  // names that part and line. Returns the part. Errors: InvalidArgument
  // naming "purpose", "input" (also: the part lists no person, or the job
  // would exceed max_persons); FailedPrecondition when the job is not
  // staging (started already) or its upload expired (upload_expires_at);
  // PermissionDenied; NotFound; the store's.
  absl::StatusOr<InputPart> AppendInput(
      const security::Principal& who, std::string_view id, std::string_view csv,
      std::string_view purpose,
      const std::function<absl::Status(db::Transaction&, const InputPart&)>&
          in_transaction = {});

  // Queues staged job `id` (its submitter or a supervisor) with
  // `in_transaction` in the same transaction. Returns the job (queued).
  // Errors: FailedPrecondition when it is not staging, has no person or its
  // upload expired; PermissionDenied; NotFound; the store's.
  absl::StatusOr<ScreeningJob> Start(
      const security::Principal& who, std::string_view id,
      std::string_view purpose,
      const std::function<absl::Status(db::Transaction&, const ScreeningJob&)>&
          in_transaction = {});

  // Deletes staged job `id` and its staged persons (its submitter or a
  // supervisor), with `in_transaction` in the same transaction (audited
  // with the number of persons deleted). Errors: FailedPrecondition when it
  // is not staging (started: its staged persons go when it ends);
  // PermissionDenied; NotFound; the store's.
  absl::Status Discard(
      const security::Principal& who, std::string_view id,
      std::string_view purpose,
      const std::function<absl::Status(db::Transaction&, const ScreeningJob&)>&
          in_transaction = {});

  // Deletes every staging job whose upload expired at `now` (no part and no
  // start for ScreeningJobOptions::upload_expiry), each in a transaction of
  // its own with its staged persons, `in_transaction` (run before the
  // deletion) and an audit entry of actor "system" (screen.batch, event
  // "expired", the persons deleted). A job given a part or started
  // meanwhile is kept. Returns the number of jobs deleted. Errors: the
  // store's, for the first job that could not be deleted (the others are
  // deleted all the same).
  absl::StatusOr<int64_t> ExpireStaged(
      absl::Time now,
      const std::function<absl::Status(db::Transaction&, const ScreeningJob&)>&
          in_transaction = {});

  // Returns job `id` (action screen.batch; its submitter or a supervisor).
  // Errors: PermissionDenied; InvalidArgument naming "id"; NotFound; the
  // store's error.
  absl::StatusOr<ScreeningJob> Get(const security::Principal& who,
                                   std::string_view id,
                                   std::string_view purpose);

  // Returns one page of job `id`'s results (as Get). Errors as Get, and
  // InvalidArgument naming "page" or "page_size" (1..1000).
  absl::StatusOr<JobResultPage> Results(const security::Principal& who,
                                        std::string_view id, int64_t page,
                                        int64_t page_size,
                                        std::string_view purpose);

  // Returns all of job `id`'s results as CSV: job_id,item,input_id,
  // input_name,alert_id,score,matched_name,category,owner,action,warnings.
  // Errors as Get.
  absl::StatusOr<std::string> ResultsCsv(const security::Principal& who,
                                         std::string_view id,
                                         std::string_view purpose);

  // Runs queued (or stale) jobs to the end, at most `max_jobs`, in this
  // thread. Returns how many jobs it finished. Errors: the store's.
  absl::StatusOr<int> RunPending(int max_jobs = 1000);

  // Starts a worker thread that runs jobs as they are submitted (and polls
  // for jobs of other processes). Calling it again does nothing.
  void StartWorker();

  // Adds an observer of every block of every job (see JobBlockObserver).
  // Call before StartWorker and RunPending (not synchronised with them).
  void AddBlockObserver(JobBlockObserver observer);

 private:
  // Claims one runnable job; nullopt when there is none.
  absl::StatusOr<std::optional<ScreeningJob>> Claim();
  // Screens the rest of `job` and marks it done (or failed). `input` is the
  // job's stored input (empty for a staged job, read block by block).
  absl::Status RunJob(ScreeningJob job, const std::string& input);
  // Inserts the row of `job` (in its state) with `input`, in `tx`.
  absl::Status InsertJob(db::Transaction& tx, const ScreeningJob& job,
                         std::string_view input);
  // Checks `csv` row by row and stores its persons as part job.parts + 1
  // of `job` (updating job.parts and job.total), in `tx`.
  // An id already stored fails the insert with AlreadyExists, the batch
  // written being left in *conflict for DuplicateError.
  absl::StatusOr<InputPart> StoreInputPart(
      db::Transaction& tx, ScreeningJob& job, std::string_view csv,
      std::string source,
      std::vector<std::pair<std::string, int64_t>>* conflict);
  // After the transaction of a part failed on a duplicate id: InvalidArgument
  // naming "input", the part (`label`), the line, and where the id was first.
  absl::Status DuplicateError(
      std::string_view job_id, std::string_view label,
      const std::vector<std::pair<std::string, int64_t>>& batch);
  // FailedPrecondition when staging `job`'s upload has expired (no part or
  // start after upload_expires_at, even before ExpireStaged deletes it).
  absl::Status CheckNotExpired(const ScreeningJob& job) const;
  // Runs `in_transaction` (if any), then deletes staging `job` and its
  // staged persons in `tx`. Returns the details of its audit entry:
  // {event, deleted (persons), parts}.
  static absl::StatusOr<boost::json::object> DeleteStaged(
      db::Transaction& tx, const ScreeningJob& job, std::string_view event,
      const std::function<absl::Status(db::Transaction&, const ScreeningJob&)>&
          in_transaction);
  // Job `id` for a change by `who` (its submitter or a supervisor), unaudited.
  absl::StatusOr<ScreeningJob> LoadOwned(const security::Principal& who,
                                         std::string_view id,
                                         db::Transaction& tx);
  absl::StatusOr<ScreeningJob> Load(const security::Principal& who,
                                    std::string_view id,
                                    std::string_view purpose,
                                    std::string_view what, db::Transaction& tx);
  void WorkerLoop();

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  const AlertIndex& index_;
  ScreeningJobOptions options_;
  std::vector<JobBlockObserver> observers_;  // set before the worker starts

  std::mutex worker_mu_;
  std::condition_variable worker_cv_;
  bool stopping_ = false;  // guarded by worker_mu_
  bool wake_ = false;      // guarded by worker_mu_
  std::thread worker_;
};

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_SCREENING_JOBS_H_
