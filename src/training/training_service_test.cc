// The training service on one node (both stores): permissions (denied and
// audited), optimistic versions, the provider's capacity for its own staff,
// sessions not open, the purpose required for participants.
#include "training/training_service.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "training/test_training.h"

namespace jisr::training {
namespace {

using testing::Entries;
using testing::Person;
using testing::Side;

class TrainingServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  TrainingServiceTest() : ma_(GetParam(), "MA-DGSN", clock_), fr_(GetParam(), "FR-DGPN", clock_) {
    testing::Pair(ma_, fr_, clock_);
  }
  void TearDown() override {
    absl::StatusOr<audit::VerifyResult> v = ma_.audit.Verify(ma_.db());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << v->reason;
  }
  Programme MakeProgramme() {
    absl::StatusOr<Programme> p = ma_.service.CreateProgramme(
        testing::Supervisor(),
        testing::ProgrammeInput(R"({"title":"Crime scene [synthetic]","topic":"forensics",
            "languages":["ar"],"share_with":["FR-DGPN"]})"),
        "x");
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *p : Programme{};
  }
  Session MakeSession(const Programme& p, int capacity, std::string_view state = "open") {
    absl::StatusOr<Session> s = ma_.service.CreateSession(
        testing::Supervisor(), p.id,
        testing::SessionInput(fmt::format(
            R"({{"starts_at":"2026-05-04T08:00:00Z","ends_at":"2026-05-05T16:00:00Z",
                "place":"Rabat","capacity":{},"state":"{}"}})",
            capacity, state)),
        "x");
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : Session{};
  }

  FakeClock clock_;
  Side ma_;
  Side fr_;
};

TEST_P(TrainingServiceTest, PermissionsFollowThePolicyAndDenialsAreAudited) {
  Programme in = testing::ProgrammeInput(R"({"title":"T","topic":"other","languages":["en"]})");
  EXPECT_EQ(ma_.service.CreateProgramme(testing::Officer(), in, "x").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Entries(ma_, "training.manage", audit::AuditOutcome::kDenied).size(), 1u);
  EXPECT_TRUE(ma_.service.CreateProgramme(testing::Admin(), in, "x").ok());
  EXPECT_TRUE(ma_.service.ListProgrammes(testing::Analyst(), 1, 10, "x").ok());
  Programme p = MakeProgramme();
  Session s = MakeSession(p, 3);
  EXPECT_EQ(ma_.service.Enrol(testing::Analyst(), s.id, Person("A"), "x").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ma_.service.Enrol(testing::Admin(), s.id, Person("A"), "x").status().code(),
            absl::StatusCode::kPermissionDenied);
  // Unknown partners and bad ids name the member.
  Programme bad = in;
  bad.share_with = {"ES-PN"};
  absl::Status st = ma_.service.CreateProgramme(testing::Supervisor(), bad, "x").status();
  EXPECT_EQ(FieldOf(st).value_or(""), "share_with[0]");
  EXPECT_EQ(FieldOf(ma_.service.GetSession(testing::Analyst(), "nope", "x").status())
                .value_or(""),
            "id");
  EXPECT_EQ(ma_.service.GetSession(testing::Analyst(), "0192f1d4-5b6c-7000-8000-0000000000ff",
                                   "x")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(TrainingServiceTest, VersionsAreCheckedAndRaised) {
  Programme p = MakeProgramme();
  Programme edit = p;
  edit.title = "Crime scene, advanced";
  absl::StatusOr<Programme> v2 = ma_.service.UpdateProgramme(testing::Supervisor(), p.id, edit, "x");
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(ma_.service.UpdateProgramme(testing::Supervisor(), p.id, edit, "x").status().code(),
            absl::StatusCode::kFailedPrecondition);  // stale: version 1
  Session s = MakeSession(p, 1);
  Session sedit = s;
  sedit.state = "held";
  absl::StatusOr<Session> s2 = ma_.service.UpdateSession(testing::Supervisor(), s.id, sedit, "x");
  ASSERT_TRUE(s2.ok()) << s2.status();
  EXPECT_EQ(s2->version, 2);
  EXPECT_EQ(s2->state, "held");
}

TEST_P(TrainingServiceTest, TheProviderEnforcesCapacityForItsOwnStaff) {
  Programme p = MakeProgramme();
  Session s = MakeSession(p, 1);
  absl::StatusOr<Enrolment> one = ma_.service.Enrol(testing::Officer(), s.id, Person("One"), "c");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->status, "confirmed");
  absl::StatusOr<Enrolment> two = ma_.service.Enrol(testing::Officer(), s.id, Person("Two"), "c");
  EXPECT_EQ(two.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(two.status().message()).find("session_full"), std::string::npos);
  EXPECT_EQ(testing::CountAt(ma_, "SELECT COUNT(*) FROM training_enrolments"), 1);
  // Withdrawing frees the place.
  absl::StatusOr<Enrolment> w = ma_.service.Withdraw(testing::Officer(), one->id, "c");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->status, "withdrawn");
  EXPECT_TRUE(ma_.service.Enrol(testing::Officer(), s.id, Person("Two"), "c").ok());
  // Nothing of our own staff crossed.
  EXPECT_EQ(testing::CountAt(ma_, "SELECT COUNT(*) FROM outbox WHERE kind LIKE 'training.e%' "
                                  "OR kind = 'training.record'"),
            0);
  // A closed session takes nobody; participants need a purpose.
  Session closed = MakeSession(p, 5, "closed");
  EXPECT_EQ(ma_.service.Enrol(testing::Officer(), closed.id, Person("Three"), "c").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(ma_.service.Enrol(testing::Officer(), s.id, Person("Four"), "").status())
                .value_or(""),
            "purpose");
  // Reads of participants are audited with their purpose.
  ASSERT_TRUE(ma_.service.ListEnrolments(testing::Supervisor(), s.id, "course planning").ok());
  std::vector<audit::AuditEntry> reads = Entries(ma_, "training.enrol", audit::AuditOutcome::kSuccess);
  ASSERT_FALSE(reads.empty());
  EXPECT_EQ(reads.back().purpose, "course planning");
}

INSTANTIATE_TEST_SUITE_P(Stores, TrainingServiceTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::training
