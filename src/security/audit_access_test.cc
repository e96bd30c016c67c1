#include "security/audit_access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "common/status.h"
#include "security/test_fixture.h"

// Designated initializers that name only some members read best in tests.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace jisr::security {
namespace {

using audit::AuditOutcome;

class AuditAccessTest : public testing::SecurityTest {
 protected:
  AuditAccessTest() : access_(db(), audit_) {}
  AuditAccess access_;
};

TEST_P(AuditAccessTest, AuditorsReadAndTheReadingIsRecorded) {
  const User auditor = MakeUser("auditor1", Role::kAuditor);
  MakeUser("officer1", Role::kOfficer);
  absl::StatusOr<audit::AuditPage> page =
      access_.List(auditor.AsPrincipal(),
                   {.action = "user.create", .limit = 10}, "quarterly review");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].seq, 2);

  const std::vector<audit::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].action, "audit.read");
  EXPECT_EQ(entries[2].actor, auditor.AsPrincipal().Actor());
  EXPECT_EQ(entries[2].purpose, "quarterly review");
  EXPECT_EQ(entries[2].outcome, AuditOutcome::kSuccess);
  const boost::json::object d = Details(entries[2]);
  EXPECT_EQ(d.at("count").as_int64(), 2);
  EXPECT_EQ(d.at("filter").as_object().at("action").as_string(), "user.create");
  EXPECT_EQ(d.at("filter").as_object().at("limit").as_int64(), 10);
}

TEST_P(AuditAccessTest, AdminsMayVerifyButNotRead) {
  const User admin = MakeUser("boss", Role::kAdmin);
  EXPECT_EQ(access_.List(admin.AsPrincipal(), {}, "curious").status().code(),
            absl::StatusCode::kPermissionDenied);
  std::ostringstream out;
  EXPECT_EQ(access_.Export(admin.AsPrincipal(), out, {}, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(out.str().empty());
  absl::StatusOr<audit::VerifyResult> v =
      access_.Verify(admin.AsPrincipal(), "daily check");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok());
  EXPECT_EQ(v->head_seq, 3);

  const std::vector<audit::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[1].action, "audit.read");
  EXPECT_EQ(entries[1].outcome, AuditOutcome::kDenied);
  EXPECT_EQ(entries[2].action, "audit.export");
  EXPECT_EQ(entries[2].outcome, AuditOutcome::kDenied);
  EXPECT_EQ(entries[3].action, "audit.verify");
  EXPECT_EQ(entries[3].outcome, AuditOutcome::kSuccess);
  EXPECT_TRUE(Details(entries[3]).at("ok").as_bool());
}

TEST_P(AuditAccessTest, BadFiltersAreAuditedFailures) {
  const User auditor = MakeUser("auditor1", Role::kAuditor);
  const absl::Status s =
      access_.List(auditor.AsPrincipal(), {.limit = 0}, "").status();
  EXPECT_EQ(FieldOf(s), "limit");
  EXPECT_EQ(Entries().back().outcome, AuditOutcome::kFailure);
  EXPECT_EQ(Entries().back().action, "audit.read");
}

TEST_P(AuditAccessTest, CliOperatorExportsAsAuditor) {
  MakeUser("officer1", Role::kOfficer);
  const Principal op = Principal::CliOperator("root", Role::kAuditor);
  std::ostringstream out;
  absl::StatusOr<int64_t> n = access_.Export(op, out, {}, "archive");
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1);
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  const audit::AuditEntry last = Entries().back();
  EXPECT_EQ(last.action, "audit.export");
  EXPECT_EQ(last.actor, "cli:root");
  EXPECT_EQ(Details(last).at("count").as_int64(), 1);
}

TEST_P(AuditAccessTest, VerifyReportsABrokenChainAndRecordsIt) {
  const User auditor = MakeUser("auditor1", Role::kAuditor);
  MakeUser("officer1", Role::kOfficer);
  ASSERT_TRUE(db().Run(db::TxMode::kWrite,
                       [](db::Transaction& tx) {
                         return tx
                             .Execute(
                                 "UPDATE audit_log SET actor = 'cli:someone' "
                                 "WHERE seq = 2")
                             .status();
                       })
                  .ok());
  absl::StatusOr<audit::VerifyResult> v =
      access_.Verify(auditor.AsPrincipal(), "");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->problem, audit::AuditProblem::kHashMismatch);
  EXPECT_EQ(v->first_broken_seq, 2);
  const audit::AuditEntry last = Entries().back();
  EXPECT_EQ(last.action, "audit.verify");
  EXPECT_FALSE(Details(last).at("ok").as_bool());
  EXPECT_EQ(Details(last).at("first_broken_seq").as_int64(), 2);
  // Repair for the fixture's final check: restore the original actor.
  ASSERT_TRUE(
      db().Run(
              db::TxMode::kWrite,
              [](db::Transaction& tx) {
                return tx
                    .Execute(
                        "UPDATE audit_log SET actor = 'cli:root' WHERE seq = 2")
                    .status();
              })
          .ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditAccessTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::security
