#include "alerts/alert_service.h"

#include "alerts/alert_sharing.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "common/utf8.h"
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

constexpr size_t kMaxQueryBytes = 300;

std::string AlertObject(std::string_view id) {
  return fmt::format("alert/{}", SanitizeText(id, 64));
}

absl::Status CheckAlertId(std::string_view id) {
  if (!IsUuid(id))
    return InvalidField("id", "the alert id must be a lower-case UUID");
  return absl::OkStatus();
}

// Times are stored with millisecond precision; keep the values we return
// equal to what a later read gives.
absl::Time AddYears(absl::Time t, int years) {
  const absl::CivilSecond c = absl::ToCivilSecond(t, absl::UTCTimeZone());
  const absl::CivilSecond later(c.year() + years, c.month(), c.day(), c.hour(),
                                c.minute(), c.second());
  return absl::FromCivil(later, absl::UTCTimeZone()) +
         (t - absl::FromCivil(c, absl::UTCTimeZone()));
}

boost::json::array StringArray(const std::vector<std::string>& items) {
  boost::json::array a;
  for (const std::string& s : items) a.emplace_back(s);
  return a;
}

HistoryEntry MakeHistory(const Alert& a, const std::string& actor,
                         std::string change, std::vector<std::string> fields,
                         std::string note) {
  HistoryEntry h;
  h.alert_id = a.id;
  h.version = a.version;
  h.at = a.updated_at;
  h.actor = actor;
  h.change = std::move(change);
  h.fields = std::move(fields);
  h.note = std::move(note);
  h.snapshot = ToJson(AlertToJson(a));
  return h;
}

absl::Status WrongStatus(const Alert& a, std::string_view what) {
  return absl::FailedPreconditionError(
      fmt::format("alert {} is {}: {}", a.id, StatusName(a.status), what));
}

}  // namespace

AlertService::AlertService(db::Database& db, const audit::AuditLog& audit,
                           const Clock& clock, AlertIndex* index,
                           AlertServiceOptions options)
    : db_(db),
      audit_(audit),
      clock_(clock),
      index_(index),
      options_(std::move(options)) {}

AlertService::~AlertService() {
  std::unique_ptr<db::Subscription> subscription;
  {
    absl::MutexLock lock(&follow_mu_);
    subscription = std::move(subscription_);
  }
  subscription.reset();  // waits for a running handler
}

absl::Time AlertService::ReviewDate(Category category, absl::Time from) const {
  int years = options_.review.check_years;
  switch (category) {
    case Category::kArrestExtradition:
      years = options_.review.arrest_years;
      break;
    case Category::kLocate:
    case Category::kMissingPerson:
    case Category::kWitness:
      years = options_.review.locate_years;
      break;
    case Category::kDiscreetCheck:
    case Category::kSpecificCheck:
    case Category::kInquiryCheck:
      years = options_.review.check_years;
      break;
  }
  return TruncateToMillis(AddYears(from, years));
}

// ---- create and read
// ----------------------------------------------------------

absl::StatusOr<Alert> AlertService::Create(const Principal& who,
                                           const AlertContent& content,
                                           std::string_view purpose) {
  const Action action = Action::kAlertCreate;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "alert", purpose));
  const absl::Time now = TruncateToMillis(clock_.Now());
  Alert alert;
  absl::Status status = ValidateContent(content, UtcDay(now));
  if (status.ok()) {
    alert.id = NewUuidV7(now);
    alert.owner = options_.agency;
    alert.status = AlertStatus::kDraft;
    alert.version = 1;
    alert.content = content;
    alert.created_by = alert.updated_by = who.Actor();
    alert.created_at = alert.updated_at = now;
    status =
        db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_RETURN_IF_ERROR(InsertAlert(tx, alert));
          std::vector<std::string> fields =
              ChangedFields(AlertContent{}, alert.content);
          JISR_RETURN_IF_ERROR(AppendHistory(
              tx, MakeHistory(alert, alert.created_by, "create", fields, "")));
          boost::json::object details;
          details["category"] = CategoryName(alert.content.category);
          details["version"] = alert.version;
          JISR_RETURN_IF_ERROR(tx.Notify(kAlertsChannel, alert.id));
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                    AlertObject(alert.id), purpose,
                                    AuditOutcome::kSuccess, details))
              .status();
        });
  }
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "alert", purpose,
                         status);
  }
  return alert;
}

absl::StatusOr<Alert> AlertService::Get(const Principal& who,
                                        std::string_view id,
                                        std::string_view purpose) {
  const Action action = Action::kAlertRead;
  const std::string object = AlertObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  Alert alert;
  absl::Status status = CheckAlertId(id);
  if (status.ok()) {
    status =
        db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(std::optional<Alert> found, GetAlert(tx, id));
          if (!found)
            return absl::NotFoundError(fmt::format("no alert with id {}", id));
          alert = *std::move(found);
          if (alert.owner != options_.agency) {
            JISR_ASSIGN_OR_RETURN(alert.provenance, AlertProvenance(tx, alert.id));
          }
          boost::json::object details;
          details["version"] = alert.version;
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  }
  return alert;
}

absl::StatusOr<std::vector<HistoryEntry>> AlertService::History(
    const Principal& who, std::string_view id, std::string_view purpose) {
  const Action action = Action::kAlertRead;
  const std::string object = AlertObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  std::vector<HistoryEntry> history;
  absl::Status status = CheckAlertId(id);
  if (status.ok()) {
    status =
        db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(history, AlertHistory(tx, id));
          if (history.empty())
            return absl::NotFoundError(fmt::format("no alert with id {}", id));
          boost::json::object details;
          details["history"] = true;
          details["versions"] = static_cast<int64_t>(history.size());
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  }
  return history;
}

absl::StatusOr<AlertPage> AlertService::List(const Principal& who,
                                             const AlertQuery& query,
                                             std::string_view purpose) {
  const Action action = Action::kAlertList;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "alert", purpose));
  AlertPage page;
  absl::Status status;
  if (query.q.size() > kMaxQueryBytes ||
      !IsCleanUtf8(query.q, Utf8Rule::kNoControls)) {
    status = InvalidField(
        "q", fmt::format("q must be at most {} bytes of text", kMaxQueryBytes));
  }
  if (status.ok()) {
    status =
        db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(page, ListAlerts(tx, query));
          boost::json::object filter;
          if (query.status) filter["status"] = StatusName(*query.status);
          if (query.category)
            filter["category"] = CategoryName(*query.category);
          if (query.owner) filter["owner"] = *query.owner;
          if (!query.q.empty()) filter["q"] = query.q;
          filter["page"] = query.page;
          filter["page_size"] = query.page_size;
          boost::json::array ids;
          for (const Alert& a : page.alerts) ids.emplace_back(a.id);
          boost::json::object details;
          details["filter"] = std::move(filter);
          details["total"] = page.total;
          details["ids"] = std::move(ids);
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), "alert",
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "alert", purpose,
                         status);
  }
  return page;
}

// ---- changes
// ---------------------------------------------------------------------

absl::StatusOr<Alert> AlertService::Change(const Principal& who, Action action,
                                           std::string_view id, int64_t version,
                                           std::string_view purpose,
                                           ChangeFn change) {
  const std::string object = AlertObject(id);
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  absl::StatusOr<Alert> changed =
      DoChange(who, action, id, version, purpose, change);
  if (!changed.ok()) {
    boost::json::object details;
    details["version"] = version;
    if (changed.status().code() == absl::StatusCode::kPermissionDenied) {
      // Refused by a rule of the alert itself (four eyes): a denial.
      details["role"] = security::RoleName(who.role);
      details["reason"] = FromAbsl(changed.status().message());
      (void)security::internal::AppendAlone(
          db_, audit_,
          MakeEntry(who.Actor(), ActionName(action), object, purpose,
                    AuditOutcome::kDenied, details));
      return changed.status();
    }
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         changed.status(), std::move(details));
  }
  SyncIndex(*changed);
  return changed;
}

absl::StatusOr<Alert> AlertService::DoChange(const Principal& who,
                                             Action action, std::string_view id,
                                             int64_t version,
                                             std::string_view purpose,
                                             ChangeFn change) {
  JISR_RETURN_IF_ERROR(CheckAlertId(id));
  if (version < 1)
    return InvalidField("version", "version must be a positive integer");
  Alert alert;
  absl::Status status =
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(std::optional<Alert> found, GetAlert(tx, id));
        if (!found)
          return absl::NotFoundError(fmt::format("no alert with id {}", id));
        alert = *std::move(found);
        if (alert.owner != options_.agency) {
          return absl::FailedPreconditionError(fmt::format(
              "alert {} is owned by {}: a partner's alert is read-only here",
              alert.id, alert.owner));
        }
        if (alert.version != version) {
          return absl::FailedPreconditionError(fmt::format(
              "alert {} is at version {}, not {}: reload it and try again",
              alert.id, alert.version, version));
        }
        ChangeContext ctx;
        const Alert previous = alert;
        const AlertStatus before = alert.status;
        JISR_RETURN_IF_ERROR(change(alert, ctx));
        boost::json::object details = std::move(ctx.details);
        details["from_version"] = version;
        if (alert.status != before) {
          details["from"] = StatusName(before);
          details["to"] = StatusName(alert.status);
        }
        if (!ctx.fields.empty() || ctx.history_change == "update") {
          details["fields"] = StringArray(ctx.fields);
        }
        if (!ctx.unchanged) {
          alert.version = version + 1;
          alert.updated_at = TruncateToMillis(clock_.Now());
          details["version"] = alert.version;
          JISR_RETURN_IF_ERROR(UpdateAlert(tx, alert, version));
          JISR_RETURN_IF_ERROR(AppendHistory(
              tx, MakeHistory(alert, who.Actor(), ctx.history_change,
                              ctx.fields, ctx.note)));
          JISR_RETURN_IF_ERROR(tx.Notify(kAlertsChannel, alert.id));
          // Partners named in share_with get the change (or a purge).
          JISR_RETURN_IF_ERROR(PublishAlertChange(tx, previous, alert,
                                                  options_.agency,
                                                  alert.updated_at));
        }
        return audit_
            .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                  AlertObject(alert.id), purpose,
                                  AuditOutcome::kSuccess, details))
            .status();
      });
  if (!status.ok()) return status;
  return alert;
}

absl::StatusOr<Alert> AlertService::Update(const Principal& who,
                                           std::string_view id, int64_t version,
                                           const boost::json::object& patch,
                                           std::string_view purpose) {
  return Change(
      who, Action::kAlertUpdate, id, version, purpose,
      [&](Alert& a, ChangeContext& ctx) -> absl::Status {
        if (IsTerminal(a.status))
          return WrongStatus(a, "it can no longer be changed");
        static constexpr std::string_view kVersion[] = {"version"};
        JISR_ASSIGN_OR_RETURN(ctx.fields,
                              ApplyPatch(patch, a.content, kVersion));
        ctx.history_change = "update";
        if (ctx.fields.empty()) {
          ctx.unchanged = true;
          return absl::OkStatus();
        }
        JISR_RETURN_IF_ERROR(ValidateContent(a.content, UtcDay(clock_.Now())));
        if (a.status == AlertStatus::kActive) {
          JISR_RETURN_IF_ERROR(AlertIndex::CheckIndexable(a.content));
        }
        a.updated_by = who.Actor();
        return absl::OkStatus();
      });
}

absl::StatusOr<Alert> AlertService::Activate(const Principal& who,
                                             std::string_view id,
                                             int64_t version,
                                             std::string_view purpose) {
  return Change(
      who, Action::kAlertActivate, id, version, purpose,
      [&](Alert& a, ChangeContext& ctx) -> absl::Status {
        if (a.status != AlertStatus::kDraft &&
            a.status != AlertStatus::kSuspended) {
          return WrongStatus(
              a, "only a draft or a suspended alert can be activated");
        }
        const std::string actor = who.Actor();
        if (actor == a.created_by || actor == a.updated_by) {
          return absl::PermissionDeniedError(
              "four eyes: an alert must be activated by a supervisor other "
              "than its "
              "author and its last editor");
        }
        const absl::Time now = TruncateToMillis(clock_.Now());
        JISR_RETURN_IF_ERROR(ValidateContent(a.content, UtcDay(now)));
        JISR_RETURN_IF_ERROR(AlertIndex::CheckIndexable(a.content));
        if (a.status == AlertStatus::kDraft) {
          a.activated_by = actor;
          a.activated_at = now;
          a.review_at = ReviewDate(a.content.category, now);
          a.review_warned_at.reset();
        } else if (a.review_at.has_value() && *a.review_at <= now) {
          return absl::FailedPreconditionError(fmt::format(
              "alert {} is past its review date: extend it before resuming it",
              a.id));
        }
        ctx.history_change = "activate";
        a.status = AlertStatus::kActive;
        a.status_reason.clear();
        if (a.review_at) ctx.details["review_at"] = FormatRfc3339(*a.review_at);
        return absl::OkStatus();
      });
}

absl::StatusOr<Alert> AlertService::Suspend(const Principal& who,
                                            std::string_view id,
                                            int64_t version,
                                            std::string_view reason,
                                            std::string_view purpose) {
  return Change(who, Action::kAlertSuspend, id, version, purpose,
                [&](Alert& a, ChangeContext& ctx) -> absl::Status {
                  JISR_RETURN_IF_ERROR(
                      ValidateFreeText(reason, "reason", kMaxLongTextBytes));
                  if (a.status != AlertStatus::kActive) {
                    return WrongStatus(a,
                                       "only an active alert can be suspended");
                  }
                  a.status = AlertStatus::kSuspended;
                  a.status_reason = std::string(reason);
                  ctx.history_change = "suspend";
                  ctx.note = a.status_reason;
                  return absl::OkStatus();
                });
}

absl::StatusOr<Alert> AlertService::Withdraw(const Principal& who,
                                             std::string_view id,
                                             int64_t version,
                                             std::string_view reason,
                                             std::string_view purpose) {
  return Change(who, Action::kAlertWithdraw, id, version, purpose,
                [&](Alert& a, ChangeContext& ctx) -> absl::Status {
                  JISR_RETURN_IF_ERROR(
                      ValidateFreeText(reason, "reason", kMaxLongTextBytes));
                  if (IsTerminal(a.status)) {
                    return WrongStatus(a, "it can no longer be withdrawn");
                  }
                  a.status = AlertStatus::kWithdrawn;
                  a.status_reason = std::string(reason);
                  ctx.history_change = "withdraw";
                  ctx.note = a.status_reason;
                  return absl::OkStatus();
                });
}

absl::StatusOr<Alert> AlertService::Execute(const Principal& who,
                                            std::string_view id,
                                            int64_t version,
                                            const Execution& execution,
                                            std::string_view purpose) {
  return Change(
      who, Action::kAlertExecute, id, version, purpose,
      [&](Alert& a, ChangeContext& ctx) -> absl::Status {
        JISR_RETURN_IF_ERROR(
            ValidateFreeText(execution.place, "place", kMaxShortTextBytes));
        if (execution.date > UtcDay(clock_.Now())) {
          return InvalidField("date", "date is in the future");
        }
        if (execution.date < UtcDay(a.created_at)) {
          return InvalidField("date", "date is before the alert was created");
        }
        if (a.status != AlertStatus::kActive) {
          return WrongStatus(a, "only an active alert can be executed");
        }
        a.status = AlertStatus::kExecuted;
        a.execution = execution;
        ctx.history_change = "execute";
        ctx.note =
            fmt::format("{} {}", FormatDay(execution.date), execution.place);
        ctx.details["date"] = FormatDay(execution.date);
        return absl::OkStatus();
      });
}

absl::StatusOr<Alert> AlertService::Extend(const Principal& who,
                                           std::string_view id, int64_t version,
                                           std::string_view justification,
                                           std::optional<absl::Time> until,
                                           std::string_view purpose) {
  return Change(
      who, Action::kAlertExtend, id, version, purpose,
      [&](Alert& a, ChangeContext& ctx) -> absl::Status {
        JISR_RETURN_IF_ERROR(ValidateFreeText(justification, "justification",
                                              kMaxLongTextBytes));
        if (a.status != AlertStatus::kActive &&
            a.status != AlertStatus::kSuspended) {
          return WrongStatus(
              a, "only an active or suspended alert can be extended");
        }
        const absl::Time now = TruncateToMillis(clock_.Now());
        const absl::Time longest = ReviewDate(a.content.category, now);
        absl::Time next = longest;
        if (until.has_value()) {
          next = TruncateToMillis(*until);
          if (next <= now)
            return InvalidField("review_at", "review_at is not in the future");
          if (next > longest) {
            return InvalidField(
                "review_at",
                fmt::format(
                    "review_at may be at most {} (one review period from now)",
                    FormatRfc3339(longest)));
          }
        }
        if (a.review_at.has_value()) {
          ctx.details["previous_review_at"] = FormatRfc3339(*a.review_at);
        }
        a.review_at = next;
        a.review_warned_at.reset();
        ctx.details["review_at"] = FormatRfc3339(next);
        ctx.history_change = "extend";
        ctx.note = std::string(justification);
        return absl::OkStatus();
      });
}

// ---- import and export
// -------------------------------------------------------------

absl::StatusOr<ImportResult> AlertService::Import(const Principal& who,
                                                  AlertFormat format,
                                                  std::string_view data,
                                                  const ImportOptions& options,
                                                  std::string_view purpose) {
  const Action action = Action::kAlertImport;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "alert", purpose));
  const absl::Time now = TruncateToMillis(clock_.Now());
  ParsedImport parsed =
      ParseImport(format, data, options.defaults, UtcDay(now));
  ImportResult result;
  result.problems = std::move(parsed.problems);
  boost::json::object details;
  details["format"] = AlertFormatName(format);
  details["records"] = static_cast<int64_t>(parsed.records.size());
  details["problems"] = static_cast<int64_t>(result.problems.size());
  if (!result.problems.empty() && !options.skip_invalid) {
    details["imported"] = false;
    (void)security::internal::AppendAlone(
        db_, audit_,
        MakeEntry(who.Actor(), ActionName(action), "alert", purpose,
                  AuditOutcome::kFailure, details));
    return result;
  }
  absl::Status status =
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        result.created.clear();
        result.unchanged.clear();
        for (const ImportRecord& record : parsed.records) {
          JISR_ASSIGN_OR_RETURN(
              std::optional<Alert> existing,
              FindAlertBySource(tx, options_.agency, record.source));
          if (existing) {
            result.unchanged.push_back(record.source);
            continue;
          }
          Alert alert;
          alert.id = NewUuidV7(now);
          alert.owner = options_.agency;
          alert.source = record.source;
          alert.status = AlertStatus::kDraft;
          alert.version = 1;
          alert.content = record.content;
          alert.created_by = alert.updated_by = who.Actor();
          alert.created_at = alert.updated_at = now;
          JISR_RETURN_IF_ERROR(InsertAlert(tx, alert));
          JISR_RETURN_IF_ERROR(AppendHistory(
              tx, MakeHistory(alert, alert.created_by, "create",
                              ChangedFields(AlertContent{}, alert.content),
                              fmt::format("imported from {}", record.source))));
          result.created.push_back(alert.id);
        }
        boost::json::object d = details;
        d["imported"] = true;
        d["created"] = static_cast<int64_t>(result.created.size());
        d["unchanged"] = static_cast<int64_t>(result.unchanged.size());
        if (result.created.size() <= 500) {
          d["ids"] = StringArray(result.created);
        }
        return audit_
            .Append(tx, MakeEntry(who.Actor(), ActionName(action), "alert",
                                  purpose, AuditOutcome::kSuccess, d))
            .status();
      });
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "alert", purpose,
                         status, std::move(details));
  }
  result.imported = true;
  return result;
}

absl::StatusOr<std::vector<Alert>> AlertService::Export(
    const Principal& who, std::optional<AlertStatus> status,
    std::string_view purpose) {
  const Action action = Action::kAlertExport;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, "alert", purpose));
  std::vector<Alert> alerts;
  absl::Status run =
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        std::vector<AlertStatus> statuses;
        if (status) {
          statuses.push_back(*status);
        } else {
          for (std::string_view name : StatusNames())
            statuses.push_back(*StatusFromName(name));
        }
        JISR_ASSIGN_OR_RETURN(alerts, AlertsWithStatus(tx, statuses));
        std::erase_if(
            alerts, [&](const Alert& a) { return a.owner != options_.agency; });
        std::sort(
            alerts.begin(), alerts.end(), [](const Alert& a, const Alert& b) {
              return a.created_at != b.created_at ? a.created_at < b.created_at
                                                  : a.id < b.id;
            });
        boost::json::object details;
        if (status) details["status"] = StatusName(*status);
        details["count"] = static_cast<int64_t>(alerts.size());
        return audit_
            .Append(tx, MakeEntry(who.Actor(), ActionName(action), "alert",
                                  purpose, AuditOutcome::kSuccess, details))
            .status();
      });
  if (!run.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), "alert", purpose,
                         run);
  }
  return alerts;
}

// ---- reviews
// ---------------------------------------------------------------------

absl::StatusOr<ReviewReport> AlertService::RunReviews(absl::Time now) {
  now = TruncateToMillis(now);
  std::vector<Alert> due;
  JISR_RETURN_IF_ERROR(
      db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(
            due, AlertsDueForReview(tx, now + options_.review.warn_before));
        return absl::OkStatus();
      }));
  ReviewReport report;
  for (const Alert& a : due) {
    const bool expire = *a.review_at <= now;
    if (!expire && a.review_warned_at.has_value()) continue;
    JISR_ASSIGN_OR_RETURN(bool changed, ReviewOne(a.id, now, expire));
    if (changed) (expire ? report.expired : report.warned).push_back(a.id);
  }
  return report;
}

absl::StatusOr<bool> AlertService::ReviewOne(const std::string& id,
                                             absl::Time now, bool expire) {
  const Principal system = Principal::System();
  Alert alert;
  bool changed = false;
  JISR_RETURN_IF_ERROR(
      db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        changed = false;
        JISR_ASSIGN_OR_RETURN(std::optional<Alert> found, GetAlert(tx, id));
        // Re-check under the write transaction: another process may have been
        // first.
        if (!found || found->owner != options_.agency || !found->review_at ||
            (found->status != AlertStatus::kActive &&
             found->status != AlertStatus::kSuspended)) {
          return absl::OkStatus();
        }
        // A partner's copy is reviewed (and expired) by its owner, who
        // then purges it here.
        if (found->owner != options_.agency) return absl::OkStatus();
        const Alert previous = *found;
        alert = *std::move(found);
        const int64_t before = alert.version;
        boost::json::object details;
        details["review_at"] = FormatRfc3339(*alert.review_at);
        details["from_version"] = before;
        std::string change;
        std::string action;
        if (expire) {
          if (*alert.review_at > now) return absl::OkStatus();
          details["from"] = StatusName(alert.status);
          details["to"] = StatusName(AlertStatus::kExpired);
          alert.status = AlertStatus::kExpired;
          alert.status_reason = "the review date passed without an extension";
          change = "expire";
          action = "alert.expire";
        } else {
          if (alert.review_warned_at.has_value() ||
              *alert.review_at > now + options_.review.warn_before) {
            return absl::OkStatus();
          }
          alert.review_warned_at = now;
          change = "review_warning";
          action = "alert.review_warning";
        }
        alert.version = before + 1;
        alert.updated_at = now;
        details["version"] = alert.version;
        JISR_RETURN_IF_ERROR(UpdateAlert(tx, alert, before));
        JISR_RETURN_IF_ERROR(
            AppendHistory(tx, MakeHistory(alert, system.Actor(), change, {},
                                          expire ? alert.status_reason : "")));
        JISR_RETURN_IF_ERROR(tx.Notify(kAlertsChannel, alert.id));
        JISR_RETURN_IF_ERROR(
            PublishAlertChange(tx, previous, alert, options_.agency, now));
        JISR_RETURN_IF_ERROR(
            audit_
                .Append(tx, MakeEntry(system.Actor(), action,
                                      AlertObject(alert.id), "scheduled review",
                                      AuditOutcome::kSuccess, details))
                .status());
        changed = true;
        return absl::OkStatus();
      }));
  if (changed) SyncIndex(alert);
  return changed;
}

// ---- index
// -----------------------------------------------------------------------

void AlertService::SyncIndex(const Alert& alert) {
  if (index_ == nullptr) return;
  if (absl::Status s = index_->Sync(alert); !s.ok()) {
    spdlog::warn("alert {} cannot be screened: {}", alert.id,
                 std::string(s.message()));
  }
}

void AlertService::SyncFromStore(const std::string& id) {
  if (index_ == nullptr) return;
  std::optional<Alert> alert;
  absl::Status s =
      db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(alert, GetAlert(tx, id));
        return absl::OkStatus();
      });
  if (!s.ok()) {
    spdlog::warn("cannot reload alert {} for screening: {}",
                 SanitizeText(id, 64), std::string(s.message()));
    return;
  }
  if (alert.has_value()) {
    SyncIndex(*alert);
    return;
  }
  // A partner's copy purged here: unlist it at the tombstone's version.
  std::optional<int64_t> purged;
  s = db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                          tx.QueryOptional("SELECT version FROM alert_tombstones WHERE id = $1",
                                           {id}));
    if (row) purged = row->GetInt(0);
    return absl::OkStatus();
  });
  if (s.ok() && purged) {
    Alert gone;
    gone.id = id;
    gone.version = *purged;
    gone.status = AlertStatus::kWithdrawn;
    SyncIndex(gone);
  }
}

absl::StatusOr<size_t> AlertService::LoadIndex() {
  if (index_ == nullptr) return size_t{0};
  std::vector<Alert> active;
  JISR_RETURN_IF_ERROR(
      db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        static constexpr AlertStatus kActive[] = {AlertStatus::kActive};
        JISR_ASSIGN_OR_RETURN(active, AlertsWithStatus(tx, kActive));
        return absl::OkStatus();
      }));
  return index_->Reload(active);
}

absl::Status AlertService::FollowChanges() {
  absl::MutexLock lock(&follow_mu_);
  if (subscription_ != nullptr || index_ == nullptr) return absl::OkStatus();
  // Listen first, then load: a change committed in between is applied twice
  // (harmless: the index ignores older versions), never missed.
  JISR_ASSIGN_OR_RETURN(
      subscription_,
      db_.Listen(kAlertsChannel, [this](const db::Notification& n) {
        if (n.missed) {
          if (absl::StatusOr<size_t> loaded = LoadIndex(); !loaded.ok()) {
            spdlog::warn("cannot reload the screening index: {}",
                         std::string(loaded.status().message()));
          }
          return;
        }
        SyncFromStore(n.payload);
      }));
  JISR_ASSIGN_OR_RETURN(size_t listed, LoadIndex());
  spdlog::info("screening index: {} active alerts", listed);
  return absl::OkStatus();
}

}  // namespace jisr::alerts
