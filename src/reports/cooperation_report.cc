#include "reports/cooperation_report.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "alerts/alerts_report.h"
#include "assistance/assistance_report.h"
#include "common/json.h"
#include "common/status.h"
#include "events/events_report.h"
#include "exchange/exchange_report.h"
#include "federation/store.h"
#include "groups/groups_report.h"
#include "training/training_report.h"
#include "security/service_util.h"

namespace jisr::reports {

using audit::AuditOutcome;
using security::Action;
using security::Principal;
using security::internal::AuthorizeAudited;
using security::internal::MakeEntry;
using security::internal::RecordFailure;

namespace {

// A day YYYY-MM-DD, or nullopt.
std::optional<absl::CivilDay> ParseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  absl::CivilDay day;
  if (!absl::ParseCivilTime(ToAbsl(text), &day)) return std::nullopt;
  // ParseCivilTime normalises 2026-02-30 to 2026-03-02: refuse such days.
  if (absl::FormatCivilTime(day) != text) return std::nullopt;
  return day;
}

// `text` as an instant; a day is its start, or (for an inclusive `to`) the
// start of the next day.
absl::StatusOr<absl::Time> ParseBound(std::string_view text, std::string_view name,
                                      bool end_of_day) {
  if (std::optional<absl::CivilDay> day = ParseDay(text)) {
    return absl::FromCivil(end_of_day ? *day + 1 : *day, absl::UTCTimeZone());
  }
  if (text.size() > 10 && text.size() <= 64) {
    absl::StatusOr<absl::Time> t = ParseRfc3339(text);
    if (t.ok()) return *t;
  }
  return InvalidField(
      name, fmt::format("{} must be a day (2026-01-31) or an RFC 3339 time "
                        "(2026-01-31T08:00:00Z)",
                        name));
}

void Add(AssistanceFigures& total, const AssistanceFigures& a) {
  total.requests += a.requests;
  total.answered += a.answered;
  total.refused += a.refused;
  total.responded_in_time += a.responded_in_time;
}

void FinishPercent(AssistanceFigures& a) {
  const int64_t responded = a.answered + a.refused;
  a.within_deadline_pct =
      responded > 0 ? std::optional<double>(100.0 * static_cast<double>(a.responded_in_time) /
                                            static_cast<double>(responded))
                    : std::nullopt;
}

void Add(PartnerFigures& t, const PartnerFigures& p) {
  t.alerts_shared_with += p.alerts_shared_with;
  t.alerts_received_from += p.alerts_received_from;
  t.alerts_in_force_shared_with += p.alerts_in_force_shared_with;
  t.alerts_in_force_received_from += p.alerts_in_force_received_from;
  t.hits_by_partner += p.hits_by_partner;
  t.hits_by_us += p.hits_by_us;
  Add(t.assistance_sent, p.assistance_sent);
  Add(t.assistance_received, p.assistance_received);
  t.messages_sent += p.messages_sent;
  t.messages_received += p.messages_received;
  t.operations += p.operations;
  t.operations_led_by_us += p.operations_led_by_us;
  t.operations_led_by_partner += p.operations_led_by_partner;
  t.training_sessions_provided += p.training_sessions_provided;
  t.training_sessions_attended += p.training_sessions_attended;
  t.training_participants_trained += p.training_participants_trained;
  t.screening_campaigns += p.screening_campaigns;
  t.applicants_screened += p.applicants_screened;
  t.applicants_matched += p.applicants_matched;
  t.applicants_refused += p.applicants_refused;
}

AssistanceFigures FromStats(const assistance::DirectionStats& d) {
  AssistanceFigures a;
  a.requests = d.requests;
  a.answered = d.answered;
  a.refused = d.refused;
  a.responded_in_time = d.responded_in_time;
  a.within_deadline_pct = d.in_time_percent;
  return a;
}

boost::json::value Percent(const std::optional<double>& pct) {
  if (!pct) return nullptr;
  // One decimal, as shown to people; the counts give the exact ratio.
  return std::round(*pct * 10.0) / 10.0;
}

boost::json::object AssistanceJson(const AssistanceFigures& a) {
  return boost::json::object{{"requests", a.requests},
                             {"answered", a.answered},
                             {"refused", a.refused},
                             {"responded_in_time", a.responded_in_time},
                             {"within_deadline_pct", Percent(a.within_deadline_pct)}};
}

boost::json::object FiguresJson(const PartnerFigures& p) {
  boost::json::object o;
  o["alerts"] = boost::json::object{{"shared_with", p.alerts_shared_with},
                                    {"received_from", p.alerts_received_from},
                                    {"in_force_shared_with", p.alerts_in_force_shared_with},
                                    {"in_force_received_from", p.alerts_in_force_received_from}};
  o["hits"] = boost::json::object{{"by_partner", p.hits_by_partner}, {"by_us", p.hits_by_us}};
  o["assistance"] = boost::json::object{{"sent", AssistanceJson(p.assistance_sent)},
                                        {"received", AssistanceJson(p.assistance_received)}};
  o["messages"] =
      boost::json::object{{"sent", p.messages_sent}, {"received", p.messages_received}};
  o["operations"] = boost::json::object{{"joint", p.operations},
                                        {"led_by_us", p.operations_led_by_us},
                                        {"led_by_partner", p.operations_led_by_partner}};
  o["trainings"] = boost::json::object{{"sessions_provided", p.training_sessions_provided},
                                       {"sessions_attended", p.training_sessions_attended},
                                       {"participants_trained", p.training_participants_trained}};
  o["event_screenings"] = boost::json::object{{"campaigns", p.screening_campaigns},
                                              {"screened", p.applicants_screened},
                                              {"matched", p.applicants_matched},
                                              {"refused", p.applicants_refused}};
  return o;
}

std::string CsvField(std::string_view text) {
  std::string s(text);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) {
    s.insert(s.begin(), '\'');
  }
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string CsvPercent(const std::optional<double>& pct) {
  return pct ? fmt::format("{:.1f}", *pct) : std::string();
}

void CsvRow(std::string& out, std::string_view agency, std::string_view name,
            const PartnerFigures& p) {
  const AssistanceFigures& s = p.assistance_sent;
  const AssistanceFigures& r = p.assistance_received;
  out += fmt::format(
      "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
      CsvField(agency), CsvField(name), p.alerts_shared_with, p.alerts_received_from,
      p.alerts_in_force_shared_with, p.alerts_in_force_received_from, p.hits_by_partner,
      p.hits_by_us, s.requests, s.answered, s.refused, CsvPercent(s.within_deadline_pct),
      r.requests, r.answered, r.refused, CsvPercent(r.within_deadline_pct), p.messages_sent,
      p.messages_received, p.operations, p.operations_led_by_us, p.operations_led_by_partner,
      p.training_sessions_provided, p.training_sessions_attended, p.training_participants_trained,
      p.screening_campaigns, p.applicants_screened, p.applicants_matched,
      p.applicants_refused);
}

}  // namespace

absl::StatusOr<Period> ParsePeriod(std::optional<std::string_view> from,
                                   std::optional<std::string_view> to, absl::Time now) {
  Period p;
  if (to && !to->empty()) {
    JISR_ASSIGN_OR_RETURN(p.to, ParseBound(*to, "to", /*end_of_day=*/true));
  } else {
    p.to = now;
  }
  if (from && !from->empty()) {
    JISR_ASSIGN_OR_RETURN(p.from, ParseBound(*from, "from", /*end_of_day=*/false));
  } else {
    // Twelve calendar months earlier (29 February becomes 1 March).
    const absl::TimeZone utc = absl::UTCTimeZone();
    const absl::CivilSecond end = absl::ToCivilSecond(p.to, utc);
    p.from = absl::FromCivil(absl::CivilSecond(end.year() - 1, end.month(), end.day(),
                                               end.hour(), end.minute(), end.second()),
                             utc) +
             (p.to - absl::FromCivil(end, utc));  // keep the sub-second part
  }
  p.from = TruncateToMillis(p.from);
  p.to = TruncateToMillis(p.to);
  if (p.from >= p.to) return InvalidField("from", "from must be before to");
  if (p.to - p.from > kMaxPeriod)
    return InvalidField("to", "the period may not be longer than 10 years");
  return p;
}

boost::json::object CooperationToJson(const CooperationReport& report) {
  boost::json::array partners;
  for (const PartnerFigures& p : report.partners) {
    boost::json::object o;
    o["agency"] = p.agency;
    o["name"] = p.name ? boost::json::value(*p.name) : boost::json::value(nullptr);
    for (auto& [key, value] : FiguresJson(p)) o[key] = value;
    partners.push_back(std::move(o));
  }
  return boost::json::object{{"from", FormatRfc3339(report.period.from)},
                             {"to", FormatRfc3339(report.period.to)},
                             {"generated_at", FormatRfc3339(report.generated_at)},
                             {"agency", report.agency},
                             {"partners", std::move(partners)},
                             {"totals", FiguresJson(report.totals)}};
}

std::vector<std::string_view> CooperationCsvHeader() {
  return {"agency",
          "name",
          "alerts_shared_with",
          "alerts_received_from",
          "alerts_in_force_shared_with",
          "alerts_in_force_received_from",
          "hits_by_partner",
          "hits_by_us",
          "assistance_sent",
          "assistance_sent_answered",
          "assistance_sent_refused",
          "assistance_sent_within_deadline_pct",
          "assistance_received",
          "assistance_received_answered",
          "assistance_received_refused",
          "assistance_received_within_deadline_pct",
          "messages_sent",
          "messages_received",
          "operations",
          "operations_led_by_us",
          "operations_led_by_partner",
          "training_sessions_provided",
          "training_sessions_attended",
          "training_participants_trained",
          "screening_campaigns",
          "applicants_screened",
          "applicants_matched",
          "applicants_refused"};
}

std::string CooperationToCsv(const CooperationReport& report) {
  std::string out = fmt::format("{}\r\n", fmt::join(CooperationCsvHeader(), ","));
  for (const PartnerFigures& p : report.partners) {
    CsvRow(out, p.agency, p.name.value_or(""), p);
  }
  CsvRow(out, "TOTAL", "", report.totals);
  return out;
}

std::string CooperationCsvFilename(const CooperationReport& report) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay first = absl::ToCivilDay(report.period.from, utc);
  const absl::CivilDay last = absl::ToCivilDay(report.period.to - absl::Milliseconds(1), utc);
  std::string agency;
  for (char c : report.agency) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '_';
    agency += safe ? c : '_';
  }
  return fmt::format("cooperation-{}-{}-{}.csv", agency, absl::FormatCivilTime(first),
                     absl::FormatCivilTime(last));
}

ReportService::ReportService(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
                             ReportOptions options)
    : db_(db), audit_(audit), clock_(clock), options_(std::move(options)) {}

absl::StatusOr<CooperationReport> ReportService::Cooperation(const Principal& who,
                                                             const Period& period,
                                                             std::string_view purpose) {
  JISR_RETURN_IF_ERROR(AuthorizeAudited(db_, audit_, who, Action::kReportRead,
                                        "report/cooperation", purpose));
  CooperationReport report;
  report.agency = options_.agency;
  report.period.from = TruncateToMillis(period.from);
  report.period.to = TruncateToMillis(period.to);
  report.generated_at = TruncateToMillis(clock_.Now());
  absl::Status status = [&]() -> absl::Status {
    if (report.period.from >= report.period.to)
      return InvalidField("from", "from must be before to");
    if (report.period.to - report.period.from > kMaxPeriod)
      return InvalidField("to", "the period may not be longer than 10 years");
    const std::string& self = options_.agency;
    const int64_t from_ms = ToUnixMillis(report.period.from);
    const int64_t to_ms = ToUnixMillis(report.period.to);
    const int64_t now_ms = ToUnixMillis(report.generated_at);
    return db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
      std::map<std::string, PartnerFigures> by_partner;
      auto row = [&](const std::string& agency) -> PartnerFigures& {
        PartnerFigures& p = by_partner[agency];
        p.agency = agency;
        return p;
      };
      JISR_ASSIGN_OR_RETURN(std::vector<federation::Peer> peers, federation::ListPeers(tx));
      for (const federation::Peer& peer : peers) {
        if (peer.card.agency == self) continue;
        row(peer.card.agency).name =
            !peer.card.name_en.empty() ? peer.card.name_en : peer.card.name_fr;
      }
      JISR_ASSIGN_OR_RETURN(std::vector<alerts::PartnerAlertFigures> alert_figures,
                            alerts::AlertFiguresByPartner(tx, self, from_ms, to_ms));
      for (const alerts::PartnerAlertFigures& f : alert_figures) {
        PartnerFigures& p = row(f.agency);
        p.alerts_shared_with = f.shared_with;
        p.alerts_received_from = f.received_from;
        p.alerts_in_force_shared_with = f.in_force_shared_with;
        p.alerts_in_force_received_from = f.in_force_received_from;
        p.hits_by_partner = f.hits_by_partner;
        p.hits_by_us = f.hits_by_us;
      }
      JISR_ASSIGN_OR_RETURN(
          std::vector<assistance::PartnerStats> assistance_figures,
          assistance::AssistanceFiguresByPartner(tx, self, from_ms, to_ms, now_ms));
      for (const assistance::PartnerStats& f : assistance_figures) {
        PartnerFigures& p = row(f.partner);
        p.assistance_sent = FromStats(f.sent);
        p.assistance_received = FromStats(f.received);
      }
      JISR_ASSIGN_OR_RETURN(std::vector<exchange::PartnerMessageFigures> message_figures,
                            exchange::MessageFiguresByPartner(tx, self, from_ms, to_ms));
      for (const exchange::PartnerMessageFigures& f : message_figures) {
        PartnerFigures& p = row(f.agency);
        p.messages_sent = f.sent;
        p.messages_received = f.received;
      }
      JISR_ASSIGN_OR_RETURN(std::vector<groups::PartnerOperationFigures> operation_figures,
                            groups::OperationFiguresByPartner(tx, self, from_ms, to_ms));
      for (const groups::PartnerOperationFigures& f : operation_figures) {
        PartnerFigures& p = row(f.agency);
        p.operations = f.operations;
        p.operations_led_by_us = f.led_by_us;
        p.operations_led_by_partner = f.led_by_partner;
      }
      JISR_ASSIGN_OR_RETURN(std::vector<training::PartnerTrainingFigures> training_figures,
                            training::TrainingFiguresByPartner(tx, self, from_ms, to_ms));
      for (const training::PartnerTrainingFigures& f : training_figures) {
        PartnerFigures& p = row(f.agency);
        p.training_sessions_provided = f.sessions_provided;
        p.training_sessions_attended = f.sessions_attended;
        p.training_participants_trained = f.participants_trained;
      }
      JISR_ASSIGN_OR_RETURN(std::vector<events::PartnerScreeningFigures> screening_figures,
                            events::ScreeningFiguresByPartner(tx, self, from_ms, to_ms));
      for (const events::PartnerScreeningFigures& f : screening_figures) {
        PartnerFigures& p = row(f.agency);
        p.screening_campaigns = f.campaigns;
        p.applicants_screened = f.screened;
        p.applicants_matched = f.matched;
        p.applicants_refused = f.refused;
      }
      // A retried transaction starts again from nothing.
      report.partners.clear();
      report.totals = PartnerFigures{};
      for (auto& [agency, p] : by_partner) {
        Add(report.totals, p);
        report.partners.push_back(std::move(p));
      }
      FinishPercent(report.totals.assistance_sent);
      FinishPercent(report.totals.assistance_received);
      boost::json::object details;
      details["from"] = FormatRfc3339(report.period.from);
      details["to"] = FormatRfc3339(report.period.to);
      details["partners"] = static_cast<int64_t>(report.partners.size());
      return audit_
          .Append(tx, MakeEntry(who.Actor(), kCooperationAuditAction, "report/cooperation",
                                purpose, AuditOutcome::kSuccess, details))
          .status();
    });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, kCooperationAuditAction, "report/cooperation",
                         purpose, status);
  }
  return report;
}

}  // namespace jisr::reports
