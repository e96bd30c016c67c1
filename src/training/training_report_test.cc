// TrainingFiguresByPartner over enrolment rows written directly: the
// period is [from, to) by the session's start, only attended participants
// make a session count, completions count in both directions.
#include "training/training_report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/clock.h"
#include "db/test_stores.h"
#include "training/training_repository.h"

namespace jisr::training {
namespace {

class TrainingReportTest : public ::testing::TestWithParam<std::string> {
 protected:
  TrainingReportTest() : store_(GetParam()) {}
  void Add(std::string provider, std::string agency, std::string session, int64_t starts_ms,
           std::optional<bool> attended, std::string completion) {
    Enrolment e;
    e.id = fmt::format("0192f1d4-5b6c-7000-8000-{:012}", ++n_);
    e.session_id = std::move(session);
    e.programme_id = "0192f1d4-5b6c-7000-8000-0000000009ff";
    e.provider = std::move(provider);
    e.agency = std::move(agency);
    e.session_starts_at = absl::FromUnixMillis(starts_ms);
    e.participant.name = "Synthetic";
    e.version = 1;
    e.status = "confirmed";
    e.attended = attended;
    e.completion = std::move(completion);
    ASSERT_TRUE(store_.db()
                    .Run(db::TxMode::kWrite,
                         [&](db::Transaction& tx) { return SaveEnrolment(tx, e, "test"); })
                    .ok());
  }
  db::testing::TestStore store_;
  int n_ = 0;
};

TEST_P(TrainingReportTest, FiguresPerPartner) {
  // Ours (MA) to FR: two sessions in the period, one out of it.
  Add("MA-DGSN", "FR-DGPN", "s1", 1000, true, "completed");
  Add("MA-DGSN", "FR-DGPN", "s1", 1000, true, "completed");
  Add("MA-DGSN", "FR-DGPN", "s2", 1500, true, "not_completed");
  Add("MA-DGSN", "FR-DGPN", "s3", 1600, false, "");       // did not attend
  Add("MA-DGSN", "FR-DGPN", "s4", 2000, true, "completed");  // at `to`: outside
  Add("MA-DGSN", "MA-DGSN", "s1", 1000, true, "completed");  // our own staff
  // FR's to us, and ES's to us.
  Add("FR-DGPN", "MA-DGSN", "f1", 1200, true, "completed");
  Add("ES-PN", "MA-DGSN", "e1", 999, true, "completed");      // before `from`
  Add("ES-PN", "MA-DGSN", "e2", 1999, true, "not_completed");
  auto tx = *store_.db().Begin(db::TxMode::kRead);
  absl::StatusOr<std::vector<PartnerTrainingFigures>> f =
      TrainingFiguresByPartner(*tx, "MA-DGSN", 1000, 2000);
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->size(), 2u);
  EXPECT_EQ((*f)[0].agency, "ES-PN");
  EXPECT_EQ((*f)[0].sessions_provided, 0);
  EXPECT_EQ((*f)[0].sessions_attended, 1);
  EXPECT_EQ((*f)[0].participants_trained, 0);
  EXPECT_EQ((*f)[1].agency, "FR-DGPN");
  EXPECT_EQ((*f)[1].sessions_provided, 2);
  EXPECT_EQ((*f)[1].sessions_attended, 1);
  EXPECT_EQ((*f)[1].participants_trained, 3);
  // An empty period gives no rows.
  f = TrainingFiguresByPartner(*tx, "MA-DGSN", 5000, 6000);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, TrainingReportTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::training
