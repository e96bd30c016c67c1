// The read-only figures functions of the feature modules that the
// cooperation report composes, each on both stores over the records of
// test_reports.h: what lies inside the period [2026-03-01, 2026-04-01) is
// counted, what lies outside (or on the excluded end) is not.
#include <gtest/gtest.h>

#include "alerts/alerts_report.h"
#include "assistance/assistance_report.h"
#include "db/test_stores.h"
#include "events/events_report.h"
#include "exchange/exchange_report.h"
#include "groups/groups_report.h"
#include "reports/test_reports.h"
#include "training/training_report.h"

namespace jisr::reports {
namespace {

using namespace testing;  // NOLINT: the test helpers

class ReportFiguresTest : public ::testing::TestWithParam<std::string> {
 protected:
  ReportFiguresTest() : store_(GetParam()) { SeedAll(db()); }

  db::Database& db() { return store_.db(); }

  // Runs `fn` in a read transaction and returns what it returns.
  template <typename T, typename F>
  T Read(F fn) {
    T out;
    const absl::Status s = db().Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
      JISR_ASSIGN_OR_RETURN(out, fn(tx));
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  const int64_t from_ = ToUnixMillis(PeriodFrom());
  const int64_t to_ = ToUnixMillis(PeriodTo());
  FakeClock clock_{Day(2026, 4, 15)};
  db::testing::TestStore store_;
};

TEST_P(ReportFiguresTest, Alerts) {
  auto rows = Read<std::vector<alerts::PartnerAlertFigures>>(
      [&](db::Transaction& tx) { return alerts::AlertFiguresByPartner(tx, kMa, from_, to_); });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].agency, "ES-PN");
  EXPECT_EQ(rows[0].shared_with, 0);
  EXPECT_EQ(rows[0].in_force_shared_with, 1);
  EXPECT_EQ(rows[0].received_from, 0);
  EXPECT_EQ(rows[0].hits_by_partner, 0);
  const alerts::PartnerAlertFigures& fr = rows[1];
  EXPECT_EQ(fr.agency, "FR-DGPN");
  EXPECT_EQ(fr.shared_with, 1);           // activated inside; not at `to`, not before
  EXPECT_EQ(fr.in_force_shared_with, 3);  // active or suspended, any activation
  EXPECT_EQ(fr.received_from, 1);         // the copy activated at `from`
  EXPECT_EQ(fr.in_force_received_from, 1);
  EXPECT_EQ(fr.hits_by_partner, 1);
  EXPECT_EQ(fr.hits_by_us, 1);

  // A period holding nothing but what is in force.
  rows = Read<std::vector<alerts::PartnerAlertFigures>>([&](db::Transaction& tx) {
    return alerts::AlertFiguresByPartner(tx, kMa, 0, ToUnixMillis(Day(2026, 1, 1)));
  });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].shared_with, 0);
  EXPECT_EQ(rows[1].in_force_shared_with, 3);
  EXPECT_EQ(rows[1].hits_by_partner + rows[1].hits_by_us, 0);
}

TEST_P(ReportFiguresTest, Assistance) {
  auto rows = Read<std::vector<assistance::PartnerStats>>([&](db::Transaction& tx) {
    return assistance::AssistanceFiguresByPartner(tx, kMa, from_, to_,
                                                  ToUnixMillis(clock_.Now()));
  });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].partner, "FR-DGPN");
  EXPECT_EQ(rows[0].sent.requests, 1);  // not the one submitted before
  EXPECT_EQ(rows[0].sent.answered, 1);
  EXPECT_EQ(rows[0].sent.responded_in_time, 1);
  ASSERT_TRUE(rows[0].sent.in_time_percent.has_value());
  EXPECT_DOUBLE_EQ(*rows[0].sent.in_time_percent, 100.0);
  EXPECT_EQ(rows[0].received.requests, 1);
  EXPECT_EQ(rows[0].received.refused, 1);
  EXPECT_EQ(rows[0].received.responded_in_time, 0);  // refused after the deadline
  ASSERT_TRUE(rows[0].received.in_time_percent.has_value());
  EXPECT_DOUBLE_EQ(*rows[0].received.in_time_percent, 0.0);
}

TEST_P(ReportFiguresTest, Messages) {
  auto rows = Read<std::vector<exchange::PartnerMessageFigures>>([&](db::Transaction& tx) {
    return exchange::MessageFiguresByPartner(tx, kMa, from_, to_);
  });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].agency, "ES-PN");
  EXPECT_EQ(rows[0].sent, 1);
  EXPECT_EQ(rows[0].received, 0);  // sent at `to`: excluded
  EXPECT_EQ(rows[1].agency, "FR-DGPN");
  EXPECT_EQ(rows[1].sent, 1);  // not the one before; not the unit's
  EXPECT_EQ(rows[1].received, 1);
}

TEST_P(ReportFiguresTest, Operations) {
  auto rows = Read<std::vector<groups::PartnerOperationFigures>>([&](db::Transaction& tx) {
    return groups::OperationFiguresByPartner(tx, kMa, from_, to_);
  });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].agency, "ES-PN");
  EXPECT_EQ(rows[0].operations, 1);
  EXPECT_EQ(rows[0].led_by_us, 0);
  EXPECT_EQ(rows[0].led_by_partner, 0);
  EXPECT_EQ(rows[1].agency, "FR-DGPN");
  EXPECT_EQ(rows[1].operations, 2);  // not the one starting at `to`, not the cancelled
  EXPECT_EQ(rows[1].led_by_us, 1);
  EXPECT_EQ(rows[1].led_by_partner, 1);
}

TEST_P(ReportFiguresTest, EventScreenings) {
  auto rows = Read<std::vector<events::PartnerScreeningFigures>>([&](db::Transaction& tx) {
    return events::ScreeningFiguresByPartner(tx, kMa, from_, to_);
  });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].agency, "ES-PN");
  EXPECT_EQ(rows[0].campaigns, 1);
  EXPECT_EQ(rows[0].screened, 10);
  EXPECT_EQ(rows[0].matched, 1);
  EXPECT_EQ(rows[0].refused, 0);
  EXPECT_EQ(rows[1].agency, "FR-DGPN");
  EXPECT_EQ(rows[1].campaigns, 2);  // not the one before
  EXPECT_EQ(rows[1].screened, 110);
  EXPECT_EQ(rows[1].matched, 4);
  EXPECT_EQ(rows[1].refused, 1);
}

// training/'s function (tested in src/training/ too), over the seed.
TEST_P(ReportFiguresTest, Trainings) {
  auto rows = Read<std::vector<training::PartnerTrainingFigures>>([&](db::Transaction& tx) {
    return training::TrainingFiguresByPartner(tx, kMa, from_, to_);
  });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].agency, "FR-DGPN");
  EXPECT_EQ(rows[0].sessions_provided, 1);  // not the session before
  EXPECT_EQ(rows[0].sessions_attended, 1);
  EXPECT_EQ(rows[0].participants_trained, 2);
}

TEST_P(ReportFiguresTest, EmptyPeriodGivesNoRows) {
  const int64_t from = ToUnixMillis(Day(2030, 1, 1));
  const int64_t to = ToUnixMillis(Day(2031, 1, 1));
  EXPECT_TRUE((Read<std::vector<exchange::PartnerMessageFigures>>(
                   [&](db::Transaction& tx) {
                     return exchange::MessageFiguresByPartner(tx, kMa, from, to);
                   }))
                  .empty());
  EXPECT_TRUE((Read<std::vector<groups::PartnerOperationFigures>>(
                   [&](db::Transaction& tx) {
                     return groups::OperationFiguresByPartner(tx, kMa, from, to);
                   }))
                  .empty());
  EXPECT_TRUE((Read<std::vector<events::PartnerScreeningFigures>>(
                   [&](db::Transaction& tx) {
                     return events::ScreeningFiguresByPartner(tx, kMa, from, to);
                   }))
                  .empty());
  EXPECT_TRUE((Read<std::vector<assistance::PartnerStats>>([&](db::Transaction& tx) {
                 return assistance::AssistanceFiguresByPartner(tx, kMa, from, to, to);
               }))
                  .empty());
}

INSTANTIATE_TEST_SUITE_P(reports, ReportFiguresTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::reports
