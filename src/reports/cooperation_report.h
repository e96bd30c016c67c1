// The cooperation report: per partner agency, the figures of the
// cooperation with this agency over a period — alerts shared and received,
// hit reports, mutual-assistance requests and their deadline compliance,
// messages, joint operations, trainings and accreditation screenings for
// shared events
// (issue 8; every figure is defined in docs/reports.md). The figure sheet a
// director brings to a bilateral meeting.
//
// reports/ owns no table: it composes the read-only figures functions of
// the feature modules (alerts/alerts_report.h, assistance/assistance_report.h,
// exchange/exchange_report.h, groups/groups_report.h,
// training/training_report.h, events/events_report.h), all read in one transaction so that the sheet is
// one consistent snapshot, and the registered partners of federation/.
// Aggregate counts only: no personal data leaves the modules. Still, every
// report read is authorized (action report.read) and audited (one entry,
// action report.cooperation, with the period).
//
// Thread-safety: ReportService is safe to share between threads; the free
// functions are pure.
#ifndef JISR_REPORTS_COOPERATION_REPORT_H_
#define JISR_REPORTS_COOPERATION_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "security/policy.h"

namespace jisr::reports {

// The audit action of one read of the cooperation report.
inline constexpr std::string_view kCooperationAuditAction = "report.cooperation";

// The longest period a report may cover (10 years of 366 days).
inline constexpr absl::Duration kMaxPeriod = absl::Hours(24 * 366 * 10);

// A half-open period [from, to) in UTC, at millisecond precision.
struct Period {
  absl::Time from;
  absl::Time to;
};

// Reads the `from` and `to` query parameters (absent or empty: defaults):
//  - a day YYYY-MM-DD: `from` is its start (00:00 UTC) and `to` is
//    INCLUSIVE, i.e. the period ends at the start of the next day
//    (from=2026-01-01&to=2026-12-31 is the calendar year 2026);
//  - an RFC 3339 instant (2026-03-01T12:00:00Z, 2026-03-01T13:00:00+01:00):
//    `from` is included, `to` is EXCLUDED;
//  - `to` absent: now; `from` absent: twelve calendar months before `to`.
// Returns the period, truncated to milliseconds. Errors: InvalidArgument
// naming "from" or "to" for a malformed value, "from" when from >= to, "to"
// when the period is longer than kMaxPeriod.
absl::StatusOr<Period> ParsePeriod(std::optional<std::string_view> from,
                                   std::optional<std::string_view> to, absl::Time now);

// Mutual-assistance requests in one direction (assistance/'s
// DirectionStats, reduced to what the report shows).
struct AssistanceFigures {
  int64_t requests = 0;           // submitted in the period
  int64_t answered = 0;           // of which answered
  int64_t refused = 0;            // of which refused
  int64_t responded_in_time = 0;  // answered or refused before the deadline
  // responded_in_time / (answered + refused) in percent; nullopt without a
  // response.
  std::optional<double> within_deadline_pct;
};

// The figures with one partner (or their totals).
struct PartnerFigures {
  std::string agency;               // the partner's code ("" for totals)
  std::optional<std::string> name;  // its English name, for a registered peer
  // alerts/ (PartnerAlertFigures)
  int64_t alerts_shared_with = 0;
  int64_t alerts_received_from = 0;
  int64_t alerts_in_force_shared_with = 0;
  int64_t alerts_in_force_received_from = 0;
  int64_t hits_by_partner = 0;
  int64_t hits_by_us = 0;
  // assistance/: sent = this agency asked the partner; received = the
  // partner asked this agency.
  AssistanceFigures assistance_sent;
  AssistanceFigures assistance_received;
  // exchange/
  int64_t messages_sent = 0;
  int64_t messages_received = 0;
  // groups/
  int64_t operations = 0;
  int64_t operations_led_by_us = 0;
  int64_t operations_led_by_partner = 0;
  // training/ (PartnerTrainingFigures)
  int64_t training_sessions_provided = 0;
  int64_t training_sessions_attended = 0;
  int64_t training_participants_trained = 0;
  // events/
  int64_t screening_campaigns = 0;
  int64_t applicants_screened = 0;
  int64_t applicants_matched = 0;
  int64_t applicants_refused = 0;
};

struct CooperationReport {
  Period period;
  absl::Time generated_at;
  std::string agency;  // this node's agency
  // Every registered partner (even with all figures zero) and every other
  // agency some figure names, sorted by code.
  std::vector<PartnerFigures> partners;
  // The sums over `partners`; the percentages recomputed from the sums.
  PartnerFigures totals;
};

// The report as JSON: {from, to (exclusive), generated_at (RFC 3339),
// agency, partners: [{agency, name, alerts: {shared_with, received_from,
// in_force_shared_with, in_force_received_from}, hits: {by_partner, by_us},
// assistance: {sent: {requests, answered, refused, responded_in_time,
// within_deadline_pct}, received: {...}}, messages: {sent, received},
// operations: {joint, led_by_us, led_by_partner}, trainings:
// {sessions_provided, sessions_attended, participants_trained}, event_screenings:
// {campaigns, screened, matched, refused}}], totals: {the same without
// agency and name}}.
boost::json::object CooperationToJson(const CooperationReport& report);

// The report as CSV (RFC 4180: CRLF line ends, fields quoted when they hold
// a comma, a quote, CR or LF, quotes doubled; UTF-8 without BOM): the header
// row CooperationCsvHeader(), one row per partner, then the row of totals
// (agency "TOTAL", name empty). Percentages with one decimal, empty when
// undefined. A text field starting with =, +, - or @ is prefixed with ' so
// that a spreadsheet does not run it as a formula.
std::string CooperationToCsv(const CooperationReport& report);
std::vector<std::string_view> CooperationCsvHeader();

// "cooperation-<agency>-<from day>-<last day>.csv" (days UTC; the last day
// is the one holding the last instant of the period).
std::string CooperationCsvFilename(const CooperationReport& report);

struct ReportOptions {
  // This node's agency code ("MA-DGSN"). Required.
  std::string agency;
};

class ReportService {
 public:
  // `db`, `audit` and `clock` must outlive the service.
  ReportService(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
                ReportOptions options);
  ReportService(const ReportService&) = delete;
  ReportService& operator=(const ReportService&) = delete;

  // Returns the cooperation report over `period` (action report.read; one
  // audit entry report.cooperation with the period and the number of
  // partners, in the transaction that reads the figures).
  // Errors: PermissionDenied (audited "denied"); InvalidArgument naming
  // "purpose", "from" (from >= to) or "to" (longer than kMaxPeriod); the
  // store's error (audited "failure").
  absl::StatusOr<CooperationReport> Cooperation(const security::Principal& who,
                                                const Period& period,
                                                std::string_view purpose);

  const ReportOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }

 private:
  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  ReportOptions options_;
};

}  // namespace jisr::reports

#endif  // JISR_REPORTS_COOPERATION_REPORT_H_
