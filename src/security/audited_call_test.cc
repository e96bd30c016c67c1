// AuditedWrite: the change and its success entry commit together; a denial
// is audited without running the change; a failure rolls the change back and
// is audited on its own; a bad purpose of an allowed caller is refused
// before anything; a caller without the permission is denied (and audited)
// whatever purpose it states.
#include "security/audited_call.h"

#include <gtest/gtest.h>

#include <string>

#include "common/status.h"
#include "security/service_util.h"
#include "security/test_fixture.h"

namespace jisr::security {
namespace {

class AuditedCallTest : public testing::SecurityTest {
 protected:
  // A change that writes a marker entry in the caller's transaction, then
  // answers `result`.
  absl::Status Write(const Principal& who, Action action, std::string_view purpose,
                     absl::Status result, int* calls) {
    return AuditedWrite(db(), audit_, who, action, "thing/1", purpose,
                        [&](db::Transaction& tx, boost::json::object& details,
                            std::string& object) -> absl::Status {
                          ++*calls;
                          audit::AuditEntry marker;
                          marker.actor = "test";
                          marker.action = "test.marker";
                          marker.object = "thing/marker";
                          JISR_RETURN_IF_ERROR(audit_.Append(tx, marker).status());
                          details["n"] = 7;
                          object = "thing/renamed";
                          return result;
                        });
  }
  // Entries of `action` (with `outcome` when given) on the thing.
  int Count(std::string_view action, std::string_view outcome = "") {
    int n = 0;
    for (const audit::AuditEntry& e : Entries()) {
      if (e.action == action && e.object.rfind("thing/", 0) == 0 &&
          (outcome.empty() || audit::OutcomeName(e.outcome) == outcome)) {
        ++n;
      }
    }
    return n;
  }
};

TEST_P(AuditedCallTest, TheChangeAndItsEntryCommitTogether) {
  User admin = MakeUser("admin9", Role::kAdmin);
  int calls = 0;
  ASSERT_TRUE(Write(admin.AsPrincipal(), Action::kUserCreate, "hiring", absl::OkStatus(), &calls)
                  .ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Count("test.marker"), 1);
  std::vector<audit::AuditEntry> all = Entries();
  const audit::AuditEntry& last = all.back();
  EXPECT_EQ(last.action, "user.create");
  EXPECT_EQ(last.object, "thing/renamed");
  EXPECT_EQ(last.purpose, "hiring");
  EXPECT_EQ(last.outcome, audit::AuditOutcome::kSuccess);
  EXPECT_NE(last.details.find("\"n\":7"), std::string::npos) << last.details;
}

TEST_P(AuditedCallTest, ADenialIsAuditedAndTheChangeNeverRuns) {
  User officer = MakeUser("officer9", Role::kOfficer);
  int calls = 0;
  absl::Status s =
      Write(officer.AsPrincipal(), Action::kUserCreate, "hiring", absl::OkStatus(), &calls);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(Count("user.create", "denied"), 1);
  EXPECT_EQ(Count("test.marker"), 0);
}

TEST_P(AuditedCallTest, AFailureRollsTheChangeBackAndIsAuditedAlone) {
  User admin = MakeUser("admin9", Role::kAdmin);
  int calls = 0;
  absl::Status s = Write(admin.AsPrincipal(), Action::kUserCreate, "hiring",
                         absl::FailedPreconditionError("stale"), &calls);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Count("test.marker"), 0);  // rolled back with the change
  EXPECT_EQ(Count("user.create", "failure"), 1);
  EXPECT_EQ(Count("user.create", "success"), 0);
}

TEST_P(AuditedCallTest, ABadPurposeIsRefusedBeforeAnything) {
  User admin = MakeUser("admin9", Role::kAdmin);
  int calls = 0;
  const size_t before = Entries().size();
  absl::Status s = Write(admin.AsPrincipal(), Action::kUserCreate, std::string(5000, 'x'),
                         absl::OkStatus(), &calls);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(Entries().size(), before);
}

TEST_P(AuditedCallTest, ACallerWithoutPermissionIsDeniedWhateverItsPurpose) {
  User officer = MakeUser("officer9", Role::kOfficer);
  int calls = 0;
  for (const std::string& purpose :
       {std::string(5000, 'x'), std::string("bad \xff\x01 purpose")}) {
    absl::Status s = Write(officer.AsPrincipal(), Action::kUserCreate, purpose,
                           absl::OkStatus(), &calls);
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  }
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(Count("user.create", "denied"), 2);
  for (const audit::AuditEntry& e : Entries()) {
    if (e.action != "user.create") continue;
    EXPECT_LE(e.purpose.size(), audit::kMaxPurposeBytes);
    EXPECT_TRUE(internal::IsCleanText(e.purpose, /*allow_newlines=*/true))
        << e.purpose;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditedCallTest, ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::security
