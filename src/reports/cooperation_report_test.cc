// The cooperation report: ParsePeriod, the service over the records of
// test_reports.h (two partners with figures and a registered partner with
// none), its permission and audit entries, the CSV form, and two nodes
// (Rabat and Paris through federation/test_bridge.h) agreeing on the
// figures that are symmetric.
#include "reports/cooperation_report.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "alerts/alert_service.h"
#include "alerts/alert_sharing.h"
#include "assistance/assistance_service.h"
#include "assistance/assistance_sharing.h"
#include "assistance/test_assistance.h"
#include "audit/audit_log.h"
#include "db/test_stores.h"
#include "federation/envelope.h"
#include "federation/receiver.h"
#include "federation/test_bridge.h"
#include "reports/test_reports.h"

namespace jisr::reports {
namespace {

using namespace testing;  // NOLINT: the test helpers
using audit::AuditOutcome;

security::Principal User(const std::string& suffix, const std::string& name,
                         security::Role role) {
  return security::Principal::ForUser("0192f1d4-5b6c-7000-8000-" + suffix, name, "Test " + name,
                                      role);
}

std::vector<audit::AuditEntry> EntriesOf(const audit::AuditLog& log, db::Database& db,
                                         std::string_view action) {
  std::vector<audit::AuditEntry> all = alerts::testing::AllEntries(log, db);
  std::erase_if(all, [&](const audit::AuditEntry& e) { return e.action != action; });
  return all;
}

// ---- ParsePeriod ------------------------------------------------------------

// (Instantiated once, under the prefix "reports" as the other tests, so that
// `ctest -R report` selects them.)
class CooperationReportPeriodTest : public ::testing::TestWithParam<int> {};

TEST_P(CooperationReportPeriodTest, DaysIncludeTheLastDayAndInstantsExcludeTheEnd) {
  const absl::Time now = Day(2026, 11, 25, 22);
  absl::StatusOr<Period> p = ParsePeriod("2026-01-01", "2026-12-31", now);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->from, Day(2026, 1, 1));
  EXPECT_EQ(p->to, Day(2027, 1, 1));
  p = ParsePeriod("2026-03-01T12:00:00Z", "2026-03-01T13:30:00+01:00", now);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->from, Day(2026, 3, 1, 12));
  EXPECT_EQ(p->to, Day(2026, 3, 1, 12) + absl::Minutes(30));
  // Defaults: the twelve months up to now.
  p = ParsePeriod(std::nullopt, std::nullopt, now);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->to, now);
  EXPECT_EQ(p->from, Day(2025, 11, 25, 22));
  p = ParsePeriod("", "2026-02-28", now);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->from, Day(2025, 3, 1));
}

TEST_P(CooperationReportPeriodTest, BadValuesNameTheParameter) {
  const absl::Time now = Day(2026, 11, 25);
  for (std::string_view bad : {"2026-13-01", "2026-02-30", "yesterday", "2026-1-1", "20260101",
                               "2026-03-01T25:00:00Z"}) {
    EXPECT_EQ(FieldOf(ParsePeriod(bad, "2026-12-31", now).status()), "from") << bad;
    EXPECT_EQ(FieldOf(ParsePeriod("2026-01-01", bad, now).status()), "to") << bad;
  }
  // from after to, from equal to the (exclusive) end.
  EXPECT_EQ(FieldOf(ParsePeriod("2026-05-01", "2026-04-01", now).status()), "from");
  EXPECT_EQ(FieldOf(ParsePeriod("2026-05-01T00:00:00Z", "2026-05-01T00:00:00Z", now).status()),
            "from");
  // A single day is a period.
  EXPECT_TRUE(ParsePeriod("2026-05-01", "2026-05-01", now).ok());
  // At most 10 years.
  EXPECT_TRUE(ParsePeriod("2016-01-01", "2025-12-31", now).ok());
  EXPECT_EQ(FieldOf(ParsePeriod("2000-01-01", "2026-01-01", now).status()), "to");
}

INSTANTIATE_TEST_SUITE_P(reports, CooperationReportPeriodTest, ::testing::Values(0));

// ---- the service ------------------------------------------------------------

class CooperationReportTest : public ::testing::TestWithParam<std::string> {
 protected:
  CooperationReportTest()
      : store_(GetParam()), audit_(clock_), service_(store_.db(), audit_, clock_, {"MA-DGSN"}) {}

  void TearDown() override {
    absl::StatusOr<audit::VerifyResult> v = audit_.Verify(store_.db());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << v->reason;
  }

  FakeClock clock_{Day(2026, 4, 15)};
  db::testing::TestStore store_;
  audit::AuditLog audit_;
  ReportService service_;
  security::Principal supervisor_ = User("000000000003", "super.one", security::Role::kSupervisor);
  security::Principal officer_ = User("000000000001", "officer.one", security::Role::kOfficer);
  security::Principal auditor_ = User("000000000006", "auditor.one", security::Role::kAuditor);
  security::Principal admin_ = User("000000000007", "admin.one", security::Role::kAdmin);
  security::Principal analyst_ = User("000000000005", "analyst.one", security::Role::kAnalyst);
};

TEST_P(CooperationReportTest, FiguresPerPartnerWithTotals) {
  AddPeer(store_.db(), kFr, "French National Police");
  AddPeer(store_.db(), "IT-PS", "Italian State Police");  // no figure at all
  SeedAll(store_.db());  // ES-PN has figures but is not a registered peer
  absl::StatusOr<CooperationReport> r =
      service_.Cooperation(supervisor_, {PeriodFrom(), PeriodTo()}, "bilateral meeting");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->agency, "MA-DGSN");
  EXPECT_EQ(r->generated_at, clock_.Now());
  ASSERT_EQ(r->partners.size(), 3u);
  const PartnerFigures& es = r->partners[0];
  const PartnerFigures& fr = r->partners[1];
  const PartnerFigures& it = r->partners[2];
  EXPECT_EQ(es.agency, "ES-PN");
  EXPECT_FALSE(es.name.has_value());
  EXPECT_EQ(fr.agency, "FR-DGPN");
  EXPECT_EQ(fr.name, "French National Police");
  EXPECT_EQ(it.agency, "IT-PS");
  EXPECT_EQ(it.name, "Italian State Police");

  EXPECT_EQ(fr.alerts_shared_with, 1);
  EXPECT_EQ(fr.alerts_received_from, 1);
  EXPECT_EQ(fr.alerts_in_force_shared_with, 3);
  EXPECT_EQ(fr.alerts_in_force_received_from, 1);
  EXPECT_EQ(fr.hits_by_partner, 1);
  EXPECT_EQ(fr.hits_by_us, 1);
  EXPECT_EQ(fr.assistance_sent.requests, 1);
  EXPECT_EQ(fr.assistance_sent.answered, 1);
  EXPECT_EQ(fr.assistance_sent.within_deadline_pct, 100.0);
  EXPECT_EQ(fr.assistance_received.requests, 1);
  EXPECT_EQ(fr.assistance_received.refused, 1);
  EXPECT_EQ(fr.assistance_received.within_deadline_pct, 0.0);
  EXPECT_EQ(fr.messages_sent, 1);
  EXPECT_EQ(fr.messages_received, 1);
  EXPECT_EQ(fr.operations, 2);
  EXPECT_EQ(fr.operations_led_by_us, 1);
  EXPECT_EQ(fr.operations_led_by_partner, 1);
  EXPECT_EQ(fr.screening_campaigns, 2);
  EXPECT_EQ(fr.applicants_screened, 110);
  EXPECT_EQ(fr.applicants_matched, 4);
  EXPECT_EQ(fr.applicants_refused, 1);
  EXPECT_EQ(fr.training_sessions_provided, 1);
  EXPECT_EQ(fr.training_sessions_attended, 1);
  EXPECT_EQ(fr.training_participants_trained, 2);

  EXPECT_EQ(es.alerts_in_force_shared_with, 1);
  EXPECT_EQ(es.messages_sent, 1);
  EXPECT_EQ(es.operations, 1);
  EXPECT_EQ(es.applicants_screened, 10);
  EXPECT_EQ(es.assistance_sent.requests, 0);
  EXPECT_FALSE(es.assistance_sent.within_deadline_pct.has_value());

  // The partner without figures is there, all zeros.
  const boost::json::object it_json =
      CooperationToJson(*r).at("partners").as_array()[2].as_object();
  EXPECT_EQ(it_json.at("agency").as_string(), "IT-PS");
  for (std::string_view group : {"alerts", "hits", "messages", "operations", "trainings",
                                 "event_screenings"}) {
    for (const auto& [key, value] : it_json.at(group).as_object()) {
      EXPECT_EQ(value.as_int64(), 0) << group << "." << std::string(key);
    }
  }
  EXPECT_TRUE(it_json.at("assistance").at("sent").at("within_deadline_pct").is_null());

  // Totals: sums, and the percentage of the sums.
  EXPECT_EQ(r->totals.alerts_in_force_shared_with, 4);
  EXPECT_EQ(r->totals.messages_sent, 2);
  EXPECT_EQ(r->totals.operations, 3);
  EXPECT_EQ(r->totals.applicants_screened, 120);
  EXPECT_EQ(r->totals.training_participants_trained, 2);
  EXPECT_EQ(r->totals.assistance_sent.requests, 1);
  EXPECT_EQ(r->totals.assistance_sent.within_deadline_pct, 100.0);

  // One audit entry per read, with the period and no personal data.
  const std::vector<audit::AuditEntry> entries =
      EntriesOf(audit_, store_.db(), "report.cooperation");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].outcome, AuditOutcome::kSuccess);
  EXPECT_EQ(entries[0].purpose, "bilateral meeting");
  EXPECT_EQ(entries[0].object, "report/cooperation");
  EXPECT_NE(entries[0].details.find("2026-03-01T00:00:00"), std::string::npos);
}

TEST_P(CooperationReportTest, OnlySupervisorsAdminsAndAuditorsReadIt) {
  AddPeer(store_.db(), kFr, "French National Police");
  for (const security::Principal* who : {&supervisor_, &admin_, &auditor_}) {
    EXPECT_TRUE(service_.Cooperation(*who, {PeriodFrom(), PeriodTo()}, "").ok()) << who->username;
  }
  for (const security::Principal* who : {&officer_, &analyst_}) {
    EXPECT_EQ(service_.Cooperation(*who, {PeriodFrom(), PeriodTo()}, "").status().code(),
              absl::StatusCode::kPermissionDenied)
        << who->username;
  }
  std::vector<audit::AuditEntry> denied = EntriesOf(audit_, store_.db(), "report.read");
  ASSERT_EQ(denied.size(), 2u);
  EXPECT_EQ(denied[0].outcome, AuditOutcome::kDenied);
  EXPECT_EQ(EntriesOf(audit_, store_.db(), "report.cooperation").size(), 3u);
  // A bad period is refused after authorization, and audited as a failure.
  absl::StatusOr<CooperationReport> bad =
      service_.Cooperation(supervisor_, {PeriodTo(), PeriodFrom()}, "");
  EXPECT_EQ(FieldOf(bad.status()), "from");
}

TEST_P(CooperationReportTest, CsvHasAHeaderARowPerPartnerAndTotals) {
  AddPeer(store_.db(), kFr, "Police nationale, \"DGPN\"");
  AddPeer(store_.db(), kEs, "=Policia Nacional");
  AddMessage(store_.db(), kMa, Inside(), {std::string(kFr)});
  AddRequest(store_.db(), kMa, kFr, Inside(), Inside() + absl::Hours(2), std::nullopt);
  AddRequest(store_.db(), kMa, kFr, Inside(), Inside() + absl::Hours(24 * 9), std::nullopt);
  absl::StatusOr<CooperationReport> r =
      service_.Cooperation(supervisor_, {PeriodFrom(), PeriodTo()}, "");
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string header =
      "agency,name,alerts_shared_with,alerts_received_from,alerts_in_force_shared_with,"
      "alerts_in_force_received_from,hits_by_partner,hits_by_us,assistance_sent,"
      "assistance_sent_answered,assistance_sent_refused,assistance_sent_within_deadline_pct,"
      "assistance_received,assistance_received_answered,assistance_received_refused,"
      "assistance_received_within_deadline_pct,messages_sent,messages_received,operations,"
      "operations_led_by_us,operations_led_by_partner,training_sessions_provided,"
      "training_sessions_attended,training_participants_trained,screening_campaigns,"
      "applicants_screened,applicants_matched,applicants_refused\r\n";
  EXPECT_EQ(CooperationToCsv(*r),
            header +
                "ES-PN,'=Policia Nacional,0,0,0,0,0,0,0,0,0,,0,0,0,,0,0,0,0,0,0,0,0,0,0,0,0\r\n"
                "FR-DGPN,\"Police nationale, \"\"DGPN\"\"\",0,0,0,0,0,0,2,2,0,50.0,0,0,0,,1,0,"
                "0,0,0,0,0,0,0,0,0,0\r\n"
                "TOTAL,,0,0,0,0,0,0,2,2,0,50.0,0,0,0,,1,0,0,0,0,0,0,0,0,0,0,0\r\n");
  EXPECT_EQ(CooperationCsvFilename(*r), "cooperation-MA-DGSN-2026-03-01-2026-03-31.csv");
}

INSTANTIATE_TEST_SUITE_P(reports, CooperationReportTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

// ---- two nodes ----------------------------------------------------------------

// One agency's node: its store, audit log, alert and assistance services,
// receiver (alerts and assistance handlers), signing key and report service.
struct Node {
  Node(const std::string& kind, std::string code, const Clock& clock)
      : agency(std::move(code)),
        store(kind),
        audit(clock),
        alerts(store.db(), audit, clock, &index, AlertOptions(agency)),
        assistance(store.db(), audit, clock, assistance::AssistanceOptions{agency}),
        receiver(store.db(), audit, clock, federation::ReceiverOptions{agency}),
        reports(store.db(), audit, clock, ReportOptions{agency}) {
    EXPECT_TRUE(alerts::RegisterAlertHandlers(receiver, agency, clock).ok());
    EXPECT_TRUE(assistance::RegisterAssistanceHandlers(receiver, agency, audit, clock).ok());
  }
  static alerts::AlertServiceOptions AlertOptions(const std::string& agency) {
    alerts::AlertServiceOptions o;
    o.agency = agency;
    return o;
  }
  std::string Cert() const { return federation::testing::TestCertificate(agency); }
  db::Database& db() { return store.db(); }

  std::string agency;
  db::testing::TestStore store;
  audit::AuditLog audit;
  alerts::AlertIndex index;
  alerts::AlertService alerts;
  assistance::AssistanceService assistance;
  federation::Receiver receiver;
  federation::SigningKey key = federation::GenerateSigningKey();
  ReportService reports;
};

// Delivers everything `from` has due for `to`, lowest version first.
void Deliver(Node& from, Node& to, const Clock& clock) {
  std::vector<federation::PendingEnvelope> batch =
      federation::testing::Claim(from, to.agency, clock);
  std::stable_sort(batch.begin(), batch.end(), [](const auto& x, const auto& y) {
    return x.envelope.version < y.envelope.version;
  });
  for (const std::string& s : federation::testing::DeliverBatch(from, to, batch, clock)) {
    EXPECT_EQ(s, "accepted");
  }
}

class CooperationReportTwoNodeTest : public ::testing::TestWithParam<std::string> {
 protected:
  CooperationReportTwoNodeTest()
      : ma_(GetParam(), "MA-DGSN", clock_), fr_(GetParam(), "FR-DGPN", clock_) {
    federation::testing::Pair(ma_, fr_, clock_);
    federation::testing::Pair(fr_, ma_, clock_);
  }

  const PartnerFigures& Of(const CooperationReport& r, std::string_view agency) {
    static const PartnerFigures kNone;
    for (const PartnerFigures& p : r.partners)
      if (p.agency == agency) return p;
    ADD_FAILURE() << "no row for " << agency;
    return kNone;
  }

  FakeClock clock_{Day(2026, 3, 2)};
  Node ma_;
  Node fr_;
  security::Principal officer_ = User("000000000001", "officer.one", security::Role::kOfficer);
  security::Principal supervisor_ = User("000000000003", "super.one", security::Role::kSupervisor);
};

TEST_P(CooperationReportTwoNodeTest, BothSidesAgreeOnWhatTheyShare) {
  // Rabat shares two alerts with Paris (one drafted only), Paris one with
  // Rabat; Rabat asks Paris for assistance twice, Paris answers one.
  alerts::AlertContent content = alerts::testing::ArrestContent();
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<alerts::Alert> a = ma_.alerts.Create(officer_, content, "case");
    ASSERT_TRUE(a.ok()) << a.status();
    ASSERT_TRUE(ma_.alerts.Activate(supervisor_, a->id, a->version, "case").ok());
  }
  ASSERT_TRUE(ma_.alerts.Create(officer_, content, "case").ok());
  content.share_with = {"MA-DGSN"};
  absl::StatusOr<alerts::Alert> b = fr_.alerts.Create(officer_, content, "case");
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(fr_.alerts.Activate(supervisor_, b->id, b->version, "case").ok());

  absl::StatusOr<assistance::AssistanceRequest> r1 =
      ma_.assistance.Create(officer_, assistance::testing::InfoRequest(), "case");
  ASSERT_TRUE(r1.ok()) << r1.status();
  ASSERT_TRUE(ma_.assistance.Create(officer_, assistance::testing::InfoRequest(), "case").ok());
  Deliver(ma_, fr_, clock_);
  Deliver(fr_, ma_, clock_);
  clock_.Advance(absl::Hours(30));
  ASSERT_TRUE(fr_.assistance.Answer(officer_, r1->id, 2, "Synthetic answer.", "case").ok());
  Deliver(fr_, ma_, clock_);

  const Period period{Day(2026, 3, 1), Day(2026, 4, 1)};
  absl::StatusOr<CooperationReport> at_ma = ma_.reports.Cooperation(supervisor_, period, "");
  absl::StatusOr<CooperationReport> at_fr = fr_.reports.Cooperation(supervisor_, period, "");
  ASSERT_TRUE(at_ma.ok()) << at_ma.status();
  ASSERT_TRUE(at_fr.ok()) << at_fr.status();
  const PartnerFigures& fr_seen_by_ma = Of(*at_ma, "FR-DGPN");
  const PartnerFigures& ma_seen_by_fr = Of(*at_fr, "MA-DGSN");
  EXPECT_EQ(fr_seen_by_ma.alerts_shared_with, 2);
  EXPECT_EQ(fr_seen_by_ma.alerts_shared_with, ma_seen_by_fr.alerts_received_from);
  EXPECT_EQ(fr_seen_by_ma.alerts_in_force_shared_with, ma_seen_by_fr.alerts_in_force_received_from);
  EXPECT_EQ(fr_seen_by_ma.alerts_received_from, 1);
  EXPECT_EQ(fr_seen_by_ma.alerts_received_from, ma_seen_by_fr.alerts_shared_with);
  EXPECT_EQ(fr_seen_by_ma.assistance_sent.requests, 2);
  EXPECT_EQ(fr_seen_by_ma.assistance_sent.requests, ma_seen_by_fr.assistance_received.requests);
  EXPECT_EQ(fr_seen_by_ma.assistance_sent.answered, 1);
  EXPECT_EQ(fr_seen_by_ma.assistance_sent.answered, ma_seen_by_fr.assistance_received.answered);
  EXPECT_EQ(fr_seen_by_ma.assistance_sent.responded_in_time,
            ma_seen_by_fr.assistance_received.responded_in_time);
  EXPECT_EQ(fr_seen_by_ma.assistance_sent.within_deadline_pct,
            ma_seen_by_fr.assistance_received.within_deadline_pct);
  EXPECT_EQ(fr_seen_by_ma.assistance_received.requests, 0);
}

INSTANTIATE_TEST_SUITE_P(reports, CooperationReportTwoNodeTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::reports
