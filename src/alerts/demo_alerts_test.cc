#include "alerts/demo_alerts.h"

#include <gtest/gtest.h>

#include "alerts/test_alerts.h"

namespace jisr::alerts {
namespace {

class DemoAlertsTest : public testing::AlertsServiceTest {};

TEST_P(DemoAlertsTest, CreatesScreenableFictionalAlerts) {
  absl::StatusOr<std::vector<std::string>> ids =
      CreateDemoAlerts(db(), audit_, clock_, "MA-DGSN", officer_, supervisor_);
  ASSERT_TRUE(ids.ok()) << ids.status();
  ASSERT_EQ(ids->size(), 5u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts WHERE status = 'active'"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts WHERE status = 'draft'"), 1);
  // The active ones shared with the other demo agency are on their way to it.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE recipient = 'FR-DGPN'"), 2);
  ASSERT_TRUE(service_.LoadIndex().ok());
  ScreeningSubject subject;
  subject.names = {"Karim Testaoui"};
  absl::StatusOr<std::vector<ScreenMatch>> m =
      screening_.Screen(analyst_, subject, "demo");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_FALSE(m->empty());
  EXPECT_EQ((*m)[0].alert_id, (*ids)[0]);
  // The officer may not activate: the demo needs a real supervisor.
  EXPECT_EQ(
      CreateDemoAlerts(db(), audit_, clock_, "MA-DGSN", officer_, officer2_)
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_P(DemoAlertsTest, AtParisTheyAreSharedWithRabat) {
  ASSERT_TRUE(CreateDemoAlerts(db(), audit_, clock_, "FR-DGPN", officer_, supervisor_).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE recipient = 'MA-DGSN'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE recipient = 'FR-DGPN'"), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, DemoAlertsTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::alerts
