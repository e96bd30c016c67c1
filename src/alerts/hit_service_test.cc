#include "alerts/hit_service.h"

#include <gtest/gtest.h>

#include "alerts/test_alerts.h"
#include "common/status.h"

namespace jisr::alerts {
namespace {

using testing::ArrestContent;
using testing::LocateContent;

class HitServiceTest : public testing::AlertsServiceTest {
 protected:
  HitReport Report() {
    HitReport r;
    r.place = "Tanger Med, passenger terminal";
    r.occurred_at = clock_.Now() - absl::Hours(2);
    r.circumstances = "Identified at passport control (synthetic test).";
    r.action_taken = "Held for verification.";
    r.contact = "Border post duty officer, +212 000 000 000";
    return r;
  }
};

TEST_P(HitServiceTest, ReportAcknowledgeClose) {
  const Alert a = Active(ArrestContent());
  absl::StatusOr<Hit> hit =
      hits_.Report(officer_, a.id, Report(), "hit at border");
  ASSERT_TRUE(hit.ok()) << hit.status();
  EXPECT_EQ(hit->state, HitState::kReported);
  EXPECT_EQ(hit->alert_owner, "MA-DGSN");
  EXPECT_EQ(hit->reporting_agency, "MA-DGSN");
  EXPECT_EQ(hit->version, 1);

  absl::StatusOr<HitPage> inbox =
      hits_.Inbox(supervisor_, HitState::kReported, 1, 50, "");
  ASSERT_TRUE(inbox.ok()) << inbox.status();
  ASSERT_EQ(inbox->total, 1);
  EXPECT_EQ(inbox->hits[0], *hit);

  EXPECT_EQ(hits_.Close(supervisor_, hit->id, 2, "", std::nullopt, "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);  // stale version
  absl::StatusOr<Hit> ack =
      hits_.Acknowledge(supervisor_, hit->id, 1, "Team on its way", "");
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->state, HitState::kAcknowledged);
  EXPECT_EQ(ack->reply, "Team on its way");
  EXPECT_EQ(hits_.Acknowledge(supervisor_, hit->id, 2, "", "").status().code(),
            absl::StatusCode::kFailedPrecondition);  // already acknowledged
  absl::StatusOr<Hit> closed =
      hits_.Close(officer2_, hit->id, 2, "Arrested", false, "");
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->state, HitState::kClosed);
  EXPECT_EQ(closed->version, 3);
  absl::StatusOr<Hit> read = hits_.Get(analyst_, hit->id, "");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, *closed);
  absl::StatusOr<std::vector<Hit>> for_alert =
      hits_.ForAlert(analyst_, a.id, "");
  ASSERT_TRUE(for_alert.ok());
  ASSERT_EQ(for_alert->size(), 1u);
  inbox = hits_.Inbox(supervisor_, HitState::kReported, 1, 50, "");
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->total, 0);
}

TEST_P(HitServiceTest, FalseMatchesAreRecorded) {
  const Alert a = Active(LocateContent());
  HitReport r = Report();
  r.false_match = true;
  r.action_taken = "";
  r.circumstances = "Same name, different birth date and parents.";
  absl::StatusOr<Hit> hit = hits_.Report(officer_, a.id, r, "");
  ASSERT_TRUE(hit.ok()) << hit.status();
  EXPECT_TRUE(hit->report.false_match);
  // And the owner may judge a reported hit false when closing it.
  absl::StatusOr<Hit> other = hits_.Report(officer_, a.id, Report(), "");
  ASSERT_TRUE(other.ok());
  absl::StatusOr<Hit> closed =
      hits_.Close(supervisor_, other->id, 1, "Not our subject", true, "");
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_TRUE(closed->report.false_match);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alert_hits WHERE false_match = 1"), 2);
}

TEST_P(HitServiceTest, BadReportsNameTheField) {
  const Alert a = Active(LocateContent());
  const auto field = [&](HitReport r) {
    return FieldOf(hits_.Report(officer_, a.id, r, "").status())
        .value_or("<none>");
  };
  HitReport r = Report();
  r.place = " ";
  EXPECT_EQ(field(r), "place");
  r = Report();
  r.occurred_at = clock_.Now() + absl::Hours(1);
  EXPECT_EQ(field(r), "occurred_at");
  r = Report();
  r.circumstances = "";
  EXPECT_EQ(field(r), "circumstances");
  r = Report();
  r.action_taken = "";
  EXPECT_EQ(field(r), "action_taken");
  r = Report();
  r.contact = "a\x01";
  EXPECT_EQ(field(r), "contact");
  EXPECT_EQ(FieldOf(hits_.Report(officer_, "nope", Report(), "").status()),
            "alert_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alert_hits"), 0);
}

TEST_P(HitServiceTest, OnlyActiveAlertsAndPermittedRoles) {
  const Alert draft = Draft(LocateContent(), officer_);
  EXPECT_EQ(hits_.Report(officer_, draft.id, Report(), "").status().code(),
            absl::StatusCode::kFailedPrecondition);
  const Alert a = Active(LocateContent("Omar Sampleman"));
  EXPECT_EQ(hits_.Report(analyst_, a.id, Report(), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(hits_.Report(auditor_, a.id, Report(), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<Hit> hit = hits_.Report(supervisor_, a.id, Report(), "");
  ASSERT_TRUE(hit.ok());
  EXPECT_EQ(hits_.Acknowledge(analyst_, hit->id, 1, "", "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(hits_.Get(auditor_, hit->id, "").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(HitServiceTest, HitsOnPartnerAlertsAreFollowedUpByTheirOwner) {
  Alert partner;
  partner.id = "0192f1d4-5b6c-7000-8000-0000000000bb";
  partner.owner = "FR-DGPN";
  partner.status = AlertStatus::kActive;
  partner.content = LocateContent("Lucie Exemplaire");
  partner.created_by = partner.updated_by = "peer:FR-DGPN";
  partner.created_at = partner.updated_at = clock_.Now();
  ASSERT_TRUE(
      db().Run(db::TxMode::kWrite,
               [&](db::Transaction& tx) { return InsertAlert(tx, partner); })
          .ok());
  absl::StatusOr<Hit> hit = hits_.Report(officer_, partner.id, Report(), "");
  ASSERT_TRUE(hit.ok()) << hit.status();
  EXPECT_EQ(hit->alert_owner, "FR-DGPN");
  absl::StatusOr<HitPage> inbox =
      hits_.Inbox(supervisor_, std::nullopt, 1, 50, "");
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->total, 0);  // not our alert: not in our inbox
  absl::Status s = hits_.Acknowledge(supervisor_, hit->id, 1, "", "").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(Stores, HitServiceTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::alerts
