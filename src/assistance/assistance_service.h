// The assistance service: submitting mutual-assistance requests to a
// partner agency, reading and listing them, moving them through their states
// (assistance.h), the reminders of the deadlines (deadline.h) and the
// per-partner statistics.
//
// Every transition made here is one write transaction that checks the
// version the caller saw (optimistic concurrency: a stale version is
// FailedPrecondition, HTTP 409), checks that this node's agency is the party
// allowed to make it (the requested agency starts, answers, refuses and asks
// for clarification; the requester clarifies and closes), raises the
// version, appends the history entry, publishes the whole request to the
// other agency through federation::Publish (the transactional outbox) and
// writes the audit entry. The partner's transitions arrive through the
// handlers of assistance_sharing.h.
//
// Every call takes the acting Principal and a stated purpose, asks
// security::Authorize() first (actions assistance.create, .read, .list,
// .update, .stats) and leaves one audit entry: "success" in the same
// transaction as the change or read, "denied" when the policy refuses,
// "failure" when the call fails after authorization (in their own small
// transaction). Reads of requests (their texts may hold personal data) are
// audited with the purpose given.
//
// Thread-safety: AssistanceService is safe to share between threads.
#ifndef JISR_ASSISTANCE_ASSISTANCE_SERVICE_H_
#define JISR_ASSISTANCE_ASSISTANCE_SERVICE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "assistance/assistance.h"
#include "assistance/assistance_repository.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "security/policy.h"

namespace jisr::assistance {

struct AssistanceOptions {
  // This node's agency code ("MA-DGSN"): the requester of the requests
  // submitted here. Required.
  std::string agency;
};

// What one RunReminders step did.
struct ReminderReport {
  std::vector<std::string> warned;   // ids past 75 % of their period
  std::vector<std::string> overdue;  // ids past their deadline
};

// Figures of the requests in one direction with one partner.
struct DirectionStats {
  int64_t requests = 0;  // submitted in the period
  int64_t answered = 0;
  int64_t refused = 0;
  int64_t pending = 0;            // no response yet and not closed
  int64_t withdrawn = 0;          // closed by the requester without a response
  int64_t responded_in_time = 0;  // answered or refused before the deadline
  // responded_in_time / (answered + refused), in percent; nullopt without
  // responses.
  std::optional<double> in_time_percent;
  // Response time (received to answered or refused, clarification time not
  // counted), nearest-rank median and 90th percentile; nullopt without
  // responses.
  std::optional<absl::Duration> median_response;
  std::optional<absl::Duration> p90_response;
  int64_t overdue_now = 0;  // pending whose deadline has passed
  // Refusals by reason, in RefusalReasonNames() order.
  std::array<int64_t, 4> refusals_by_reason = {0, 0, 0, 0};
};

struct PartnerStats {
  std::string partner;
  DirectionStats sent;      // this node asked, the partner responded
  DirectionStats received;  // the partner asked, this node responded
};

struct StatsReport {
  absl::Time from;
  absl::Time to;
  std::vector<PartnerStats> partners;  // by agency code
};

// {from, to, partners: [{partner, sent: {...}, received: {...}}]} with
// durations in seconds and refusals_by_reason as an object.
boost::json::object StatsToJson(const StatsReport& report);

class AssistanceService {
 public:
  // `db`, `audit` and `clock` must outlive the service.
  AssistanceService(db::Database& db, const audit::AuditLog& audit,
                    const Clock& clock, AssistanceOptions options);
  AssistanceService(const AssistanceService&) = delete;
  AssistanceService& operator=(const AssistanceService&) = delete;

  // Submits a request from this agency to content.requested_agency (action
  // assistance.create) and returns it (state submitted, version 1, with its
  // history). The request crosses to the requested agency, whose node
  // acknowledges it automatically.
  // Errors: PermissionDenied; InvalidArgument naming the member
  // (ValidateContent; "requested_agency" also when it is this agency or not
  // a registered partner); the store's error.
  absl::StatusOr<AssistanceRequest> Create(const security::Principal& who,
                                           const RequestContent& content,
                                           std::string_view purpose);

  // Returns request `id` with its history, and its provenance when the
  // partner changed it last (action assistance.read; the read is audited).
  // Errors: PermissionDenied; InvalidArgument naming "id" when it is not a
  // UUID; NotFound; the store's error.
  absl::StatusOr<AssistanceRequest> Get(const security::Principal& who,
                                        std::string_view id,
                                        std::string_view purpose);

  // Returns one page of requests and the node's DueCounts (action
  // assistance.list; audited with the filter and the ids returned).
  // Errors: PermissionDenied; InvalidArgument naming "page", "page_size" or
  // "partner"; the store's error.
  absl::StatusOr<RequestPage> List(const security::Principal& who,
                                   const RequestQuery& query,
                                   std::string_view purpose);

  // The requested agency's transitions (action assistance.update), each on
  // request `id` at `version`, returning the request as changed (with its
  // history):
  //  Start: received | clarified -> in_progress.
  //  Answer: -> answered with `answer` (required, "answer").
  //  Refuse: -> refused with `reason`; `text` is required for kOther
  //    ("text").
  //  RequestClarification: -> clarification_requested with `question`
  //    (required, "question"); the deadline is suspended once the requester
  //    receives it. At most kMaxClarificationRounds questions per request
  //    (FailedPrecondition after that).
  // The requester's transitions:
  //  Clarify: clarification_requested -> clarified with `clarification`
  //    (required, "clarification"); the deadline resumes.
  //  Close: any state but closed -> closed, with an optional `note` ("note").
  // Errors: PermissionDenied; InvalidArgument naming "id", "version" or the
  // text; NotFound; FailedPrecondition when the version is stale, the
  // transition is the other agency's to make, or not allowed in the
  // request's state; the store's error.
  absl::StatusOr<AssistanceRequest> Start(const security::Principal& who,
                                          std::string_view id, int64_t version,
                                          std::string_view purpose);
  absl::StatusOr<AssistanceRequest> Answer(const security::Principal& who,
                                           std::string_view id, int64_t version,
                                           std::string_view answer,
                                           std::string_view purpose);
  absl::StatusOr<AssistanceRequest> Refuse(const security::Principal& who,
                                           std::string_view id, int64_t version,
                                           RefusalReason reason,
                                           std::string_view text,
                                           std::string_view purpose);
  absl::StatusOr<AssistanceRequest> RequestClarification(
      const security::Principal& who, std::string_view id, int64_t version,
      std::string_view question, std::string_view purpose);
  absl::StatusOr<AssistanceRequest> Clarify(const security::Principal& who,
                                            std::string_view id,
                                            int64_t version,
                                            std::string_view clarification,
                                            std::string_view purpose);
  absl::StatusOr<AssistanceRequest> Close(const security::Principal& who,
                                          std::string_view id, int64_t version,
                                          std::string_view note,
                                          std::string_view purpose);

  // Per-partner figures of the requests submitted in [from, to) (action
  // assistance.stats; no personal data). Errors: PermissionDenied;
  // InvalidArgument naming "from" when from >= to; the store's error.
  absl::StatusOr<StatsReport> Stats(const security::Principal& who,
                                    absl::Time from, absl::Time to,
                                    std::string_view purpose);

  // The scheduler's step (run by the node, not by a user; audited as
  // "system"): for every request whose deadline runs, gives the reminder
  // once 75 % of its period has elapsed (audit assistance.deadline_warning)
  // and flags it once the deadline has passed (audit assistance.overdue,
  // and a log warning), on both sides of a request. Local bookkeeping: no
  // new version, nothing crosses. Each request is handled in its own
  // transaction; running it twice changes nothing more. Returns what it did.
  // Errors: the store's (requests handled before the error stay done).
  absl::StatusOr<ReminderReport> RunReminders(absl::Time now);

  const AssistanceOptions& options() const { return options_; }
  // The clock the service reads "now" from (deadlines shown by the routes).
  const Clock& clock() const { return clock_; }

 private:
  struct Input {
    std::string text;
    std::optional<RefusalReason> reason;
  };
  absl::StatusOr<AssistanceRequest> DoTransition(
      const security::Principal& who, std::string_view id, int64_t version,
      Transition transition, const Input& input, std::string_view purpose);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  AssistanceOptions options_;
};

}  // namespace jisr::assistance

#endif  // JISR_ASSISTANCE_ASSISTANCE_SERVICE_H_
