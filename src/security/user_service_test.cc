#include "security/user_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "security/test_fixture.h"

// Designated initializers that name only some members read best in tests.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace jisr::security {
namespace {

using audit::AuditOutcome;
using ::testing::HasSubstr;

class UserServiceTest : public testing::SecurityTest {};

TEST_P(UserServiceTest, CreateThenGetRecordsBothInTheAuditLog) {
  const absl::Time t0 = clock_.Now();
  absl::StatusOr<User> created =
      users_.Create(cli_,
                    {.username = "Amina.Benali",
                     .display_name = "  Amina Benali ",
                     .role = Role::kAdmin,
                     .password = std::string(testing::kPassword)},
                    "first admin");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(IsUuid(created->id));
  EXPECT_EQ(created->username, "amina.benali");
  EXPECT_EQ(created->display_name, "Amina Benali");
  EXPECT_EQ(created->role, Role::kAdmin);
  EXPECT_FALSE(created->disabled);
  EXPECT_EQ(created->failed_logins, 0);
  EXPECT_EQ(created->locked_until, std::nullopt);
  EXPECT_EQ(created->created_at, t0);
  EXPECT_EQ(created->updated_at, t0);
  EXPECT_EQ(created->password_changed_at, t0);

  const Principal admin = created->AsPrincipal();
  clock_.Advance(absl::Seconds(5));
  absl::StatusOr<User> got = users_.Get(admin, created->id, "check account");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->id, created->id);
  EXPECT_EQ(got->username, "amina.benali");
  EXPECT_EQ(got->created_at, t0);

  const std::vector<audit::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].actor, "cli:root");
  EXPECT_EQ(entries[0].action, "user.create");
  EXPECT_EQ(entries[0].object, "user/" + created->id);
  EXPECT_EQ(entries[0].purpose, "first admin");
  EXPECT_EQ(entries[0].outcome, AuditOutcome::kSuccess);
  EXPECT_EQ(Details(entries[0]).at("role").as_string(), "admin");
  EXPECT_EQ(Details(entries[0]).at("username").as_string(), "amina.benali");
  EXPECT_EQ(entries[1].actor, "user:" + created->id + ":amina.benali");
  EXPECT_EQ(entries[1].action, "user.read");
  EXPECT_EQ(entries[1].object, "user/" + created->id);
  EXPECT_EQ(entries[1].purpose, "check account");
  EXPECT_EQ(entries[1].outcome, AuditOutcome::kSuccess);
  EXPECT_EQ(entries[1].at, t0 + absl::Seconds(5));
  for (const audit::AuditEntry& e : entries) {
    EXPECT_THAT(e.details, ::testing::Not(HasSubstr("argon2")))
        << "no hash in the log";
  }
}

TEST_P(UserServiceTest, JsonViewNeverHoldsTheHash) {
  User u = MakeUser("rachid", Role::kOfficer);
  u.locked_until = absl::FromUnixMillis(1767226500000);
  const boost::json::object o = UserToJson(u);
  EXPECT_EQ(o.at("id").as_string(), u.id);
  EXPECT_EQ(o.at("username").as_string(), "rachid");
  EXPECT_EQ(o.at("display_name").as_string(), "Test rachid");
  EXPECT_EQ(o.at("role").as_string(), "officer");
  EXPECT_EQ(o.at("disabled").as_bool(), false);
  EXPECT_EQ(o.at("locked_until").as_string(), "2026-01-01T00:15:00.000Z");
  EXPECT_EQ(o.at("created_at").as_string(), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(o.at("updated_at").as_string(), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(o.size(), 8u);
  EXPECT_THAT(ToJson(o), ::testing::Not(HasSubstr("argon2")));
  u.locked_until.reset();
  EXPECT_TRUE(UserToJson(u).at("locked_until").is_null());
}

TEST_P(UserServiceTest, InvalidInputNamesTheFieldAndIsAuditedAsFailure) {
  struct Case {
    NewUser user;
    std::string field;
  };
  const std::string pw(testing::kPassword);
  const std::vector<Case> cases = {
      {{.username = "ab",
        .display_name = "X",
        .role = Role::kOfficer,
        .password = pw},
       "username"},
      {{.username = std::string(65, 'a'), .display_name = "X", .password = pw},
       "username"},
      {{.username = "has space", .display_name = "X", .password = pw},
       "username"},
      {{.username = "élan", .display_name = "X", .password = pw}, "username"},
      {{.username = "a:b:c", .display_name = "X", .password = pw}, "username"},
      {{.username = "okname", .display_name = "   ", .password = pw},
       "display_name"},
      {{.username = "okname", .display_name = "bad\nname", .password = pw},
       "display_name"},
      {{.username = "okname",
        .display_name = std::string(201, 'x'),
        .password = pw},
       "display_name"},
      {{.username = "okname", .display_name = "bad \xff", .password = pw},
       "display_name"},
      {{.username = "okname", .display_name = "X", .password = "too short"},
       "password"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<User> u = users_.Create(cli_, c.user, "");
    EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(FieldOf(u.status()), c.field) << u.status();
  }
  const std::vector<audit::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), cases.size());
  for (const audit::AuditEntry& e : entries) {
    EXPECT_EQ(e.action, "user.create");
    EXPECT_EQ(e.outcome, AuditOutcome::kFailure);
    EXPECT_EQ(Details(e).at("error").as_string(), "INVALID_ARGUMENT");
  }
  EXPECT_EQ(Details(entries[6]).at("field").as_string(), "display_name");
}

TEST_P(UserServiceTest, DuplicateUsernameIsAlreadyExistsOnUsername) {
  MakeUser("karim", Role::kOfficer);
  absl::StatusOr<User> dup =
      users_.Create(cli_,
                    {.username = "KARIM",
                     .display_name = "Other",
                     .role = Role::kAnalyst,
                     .password = std::string(testing::kPassword)},
                    "");
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(FieldOf(dup.status()), "username");
  EXPECT_THAT(std::string(dup.status().message()), HasSubstr("karim"));
  const std::vector<audit::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].outcome, AuditOutcome::kFailure);
  EXPECT_EQ(Details(entries[1]).at("error").as_string(), "ALREADY_EXISTS");
}

TEST_P(UserServiceTest, UnknownOrMalformedIds) {
  const Principal admin = MakeUser("boss", Role::kAdmin).AsPrincipal();
  const std::string unknown = NewUuidV7(clock_.Now());
  EXPECT_EQ(users_.Get(admin, unknown, "").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      users_.Update(admin, unknown, {.display_name = "X"}, "").status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(users_.ResetPassword(admin, unknown, "a brand new password", "")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  const absl::Status bad =
      users_.Get(admin, "not-a-uuid'; DROP TABLE users;--", "").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(bad), "id");

  const std::vector<audit::AuditEntry> entries = EntriesAfter(1);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].action, "user.read");
  EXPECT_EQ(entries[0].object, "user/" + unknown);
  EXPECT_EQ(entries[1].action, "user.update");
  EXPECT_EQ(entries[2].action, "user.reset_password");
  EXPECT_EQ(entries[3].action, "user.read");
  for (const audit::AuditEntry& e : entries)
    EXPECT_EQ(e.outcome, AuditOutcome::kFailure);
  EXPECT_EQ(Details(entries[0]).at("error").as_string(), "NOT_FOUND");
}

TEST_P(UserServiceTest, PolicyIsEnforcedAndDenialsAreAudited) {
  const User officer = MakeUser("officer1", Role::kOfficer);
  const User supervisor = MakeUser("super1", Role::kSupervisor);
  const User auditor = MakeUser("auditor1", Role::kAuditor);
  const size_t before = Entries().size();

  absl::StatusOr<User> denied =
      users_.Create(officer.AsPrincipal(),
                    {.username = "newbie",
                     .display_name = "N",
                     .role = Role::kAdmin,
                     .password = std::string(testing::kPassword)},
                    "promote myself");
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(std::string(denied.status().message()),
            "role 'officer' may not perform 'user.create'");

  EXPECT_TRUE(users_.Get(supervisor.AsPrincipal(), officer.id, "review").ok());
  EXPECT_TRUE(users_.List(supervisor.AsPrincipal(), {}, "review").ok());
  EXPECT_EQ(users_
                .Update(supervisor.AsPrincipal(), officer.id,
                        {.role = Role::kAdmin}, "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(users_.List(auditor.AsPrincipal(), {}, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(users_
                .ResetPassword(officer.AsPrincipal(), supervisor.id,
                               "a brand new password", "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  const std::vector<audit::AuditEntry> entries = EntriesAfter(before);
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries[0].action, "user.create");
  EXPECT_EQ(entries[0].outcome, AuditOutcome::kDenied);
  EXPECT_EQ(entries[0].actor, officer.AsPrincipal().Actor());
  EXPECT_EQ(entries[0].purpose, "promote myself");
  EXPECT_EQ(Details(entries[0]).at("role").as_string(), "officer");
  EXPECT_EQ(entries[1].action, "user.read");
  EXPECT_EQ(entries[1].outcome, AuditOutcome::kSuccess);
  EXPECT_EQ(entries[2].action, "user.list");
  EXPECT_EQ(entries[2].outcome, AuditOutcome::kSuccess);
  EXPECT_EQ(entries[3].action, "user.update");
  EXPECT_EQ(entries[3].outcome, AuditOutcome::kDenied);
  EXPECT_EQ(entries[3].object, "user/" + officer.id);
  EXPECT_EQ(entries[4].action, "user.list");
  EXPECT_EQ(entries[4].outcome, AuditOutcome::kDenied);
  EXPECT_EQ(entries[5].action, "user.reset_password");
  EXPECT_EQ(entries[5].outcome, AuditOutcome::kDenied);
}

// Permission comes before the purpose: a caller without it is denied and
// audited whatever purpose it sends (recorded sanitised); an allowed caller
// with a malformed purpose is refused with a field error, nothing audited.
TEST_P(UserServiceTest, DenialsComeBeforeAMalformedPurpose) {
  const User officer = MakeUser("officer2", Role::kOfficer);
  const User admin = MakeUser("admin2", Role::kAdmin);
  const size_t before = Entries().size();
  const std::string bad = "see \xff\x01" + std::string(3000, 'x');
  EXPECT_EQ(users_.List(officer.AsPrincipal(), {}, bad).status().code(),
            absl::StatusCode::kPermissionDenied);
  const std::vector<audit::AuditEntry> entries = EntriesAfter(before);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action, "user.list");
  EXPECT_EQ(entries[0].outcome, AuditOutcome::kDenied);
  EXPECT_LE(entries[0].purpose.size(), audit::kMaxPurposeBytes);
  EXPECT_EQ(entries[0].purpose.rfind("see ", 0), 0u) << entries[0].purpose;
  const absl::Status s = users_.List(admin.AsPrincipal(), {}, bad).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EntriesAfter(before).size(), 1u);
}

TEST_P(UserServiceTest, UpdateChangesFieldsAndAuditsTheDifference) {
  const Principal admin = MakeUser("boss", Role::kAdmin).AsPrincipal();
  const User u = MakeUser("nadia", Role::kOfficer);
  clock_.Advance(absl::Hours(1));
  absl::StatusOr<User> updated = users_.Update(
      admin, u.id, {.display_name = "Nadia E.", .role = Role::kSupervisor},
      "promotion");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name, "Nadia E.");
  EXPECT_EQ(updated->role, Role::kSupervisor);
  EXPECT_EQ(updated->updated_at, u.created_at + absl::Hours(1));
  EXPECT_EQ(updated->created_at, u.created_at);
  absl::StatusOr<User> reread = users_.Get(admin, u.id, "");
  EXPECT_EQ(reread->role, Role::kSupervisor);
  EXPECT_EQ(reread->display_name, "Nadia E.");

  // Same values again: nothing changes, still one audit entry.
  clock_.Advance(absl::Hours(1));
  absl::StatusOr<User> same =
      users_.Update(admin, u.id, {.role = Role::kSupervisor}, "");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->updated_at, u.created_at + absl::Hours(1));

  const absl::Status empty = users_.Update(admin, u.id, {}, "").status();
  EXPECT_EQ(empty.code(), absl::StatusCode::kInvalidArgument);

  const std::vector<audit::AuditEntry> entries = EntriesAfter(2);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].action, "user.update");
  EXPECT_EQ(entries[0].purpose, "promotion");
  const boost::json::object changes =
      Details(entries[0]).at("changes").as_object();
  EXPECT_EQ(changes.at("role").as_object().at("from").as_string(), "officer");
  EXPECT_EQ(changes.at("role").as_object().at("to").as_string(), "supervisor");
  EXPECT_EQ(changes.at("display_name").as_object().at("from").as_string(),
            "Test nadia");
  EXPECT_EQ(changes.at("display_name").as_object().at("to").as_string(),
            "Nadia E.");
  EXPECT_EQ(changes.size(), 2u);
  EXPECT_EQ(entries[1].action, "user.read");
  EXPECT_TRUE(Details(entries[2]).at("changes").as_object().empty());
  EXPECT_EQ(entries[3].outcome, AuditOutcome::kFailure);
}

TEST_P(UserServiceTest, DisableIsItsOwnAction) {
  const Principal admin = MakeUser("boss", Role::kAdmin).AsPrincipal();
  const User u = MakeUser("omar", Role::kAnalyst);
  absl::StatusOr<User> off =
      users_.Update(admin, u.id, {.disabled = true}, "left the unit");
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_TRUE(off->disabled);
  absl::StatusOr<User> on =
      users_.Update(admin, u.id, {.disabled = false}, "came back");
  ASSERT_TRUE(on.ok());
  EXPECT_FALSE(on->disabled);
  const std::vector<audit::AuditEntry> entries = EntriesAfter(2);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "user.disable");
  EXPECT_TRUE(Details(entries[0])
                  .at("changes")
                  .as_object()
                  .at("disabled")
                  .as_object()
                  .at("to")
                  .as_bool());
  EXPECT_EQ(entries[1].action, "user.disable");
}

TEST_P(UserServiceTest, AdminsCannotDisableOrDemoteThemselves) {
  const User boss = MakeUser("boss", Role::kAdmin);
  const Principal me = boss.AsPrincipal();
  const absl::Status disable =
      users_.Update(me, boss.id, {.disabled = true}, "").status();
  EXPECT_EQ(disable.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(disable.message()), HasSubstr("your own account"));
  // Even with a second admin around.
  const User other = MakeUser("other", Role::kAdmin);
  const absl::Status demote =
      users_.Update(me, boss.id, {.role = Role::kOfficer}, "").status();
  EXPECT_EQ(demote.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(demote.message()), HasSubstr("your own admin role"));
  // Renaming oneself is fine.
  EXPECT_TRUE(
      users_.Update(me, boss.id, {.display_name = "The Boss"}, "").ok());
  // Another admin may be demoted while one enabled admin remains.
  EXPECT_TRUE(users_.Update(me, other.id, {.role = Role::kOfficer}, "").ok());
  EXPECT_EQ(users_.Get(me, boss.id, "")->role, Role::kAdmin);
}

TEST_P(UserServiceTest, TheLastEnabledAdminStays) {
  const User boss = MakeUser("boss", Role::kAdmin);
  EXPECT_EQ(
      users_.Update(cli_, boss.id, {.disabled = true}, "").status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(users_.Update(cli_, boss.id, {.role = Role::kAuditor}, "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(*users_.HasEnabledAdmin());
  const User second = MakeUser("second", Role::kAdmin);
  EXPECT_TRUE(users_.Update(cli_, boss.id, {.disabled = true}, "").ok());
  EXPECT_EQ(
      users_.Update(cli_, second.id, {.disabled = true}, "").status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(*users_.HasEnabledAdmin());
}

TEST_P(UserServiceTest, HasEnabledAdminOnAnEmptyNode) {
  EXPECT_FALSE(*users_.HasEnabledAdmin());
  MakeUser("officer1", Role::kOfficer);
  EXPECT_FALSE(*users_.HasEnabledAdmin());
  MakeUser("boss", Role::kAdmin);
  EXPECT_TRUE(*users_.HasEnabledAdmin());
  EXPECT_EQ(Entries().size(), 2u) << "HasEnabledAdmin is not audited";
}

TEST_P(UserServiceTest, ListPagesByUsername) {
  const Principal admin = MakeUser("admin", Role::kAdmin).AsPrincipal();
  for (const char* name : {"zoe", "bilal", "yasmine", "chloe"})
    MakeUser(name, Role::kOfficer);
  auto names = [](const UserPage& p) {
    std::vector<std::string> out;
    for (const User& u : p.users) out.push_back(u.username);
    return out;
  };
  absl::StatusOr<UserPage> p1 = users_.List(admin, {.limit = 2}, "");
  ASSERT_TRUE(p1.ok()) << p1.status();
  EXPECT_THAT(names(*p1), ::testing::ElementsAre("admin", "bilal"));
  ASSERT_EQ(p1->next_after, "bilal");
  absl::StatusOr<UserPage> p2 =
      users_.List(admin, {.limit = 2, .after = p1->next_after}, "");
  EXPECT_THAT(names(*p2), ::testing::ElementsAre("chloe", "yasmine"));
  absl::StatusOr<UserPage> p3 =
      users_.List(admin, {.limit = 2, .after = p2->next_after}, "");
  EXPECT_THAT(names(*p3), ::testing::ElementsAre("zoe"));
  EXPECT_FALSE(p3->next_after.has_value());

  EXPECT_EQ(FieldOf(users_.List(admin, {.limit = 0}, "").status()), "limit");
  EXPECT_EQ(FieldOf(users_.List(admin, {.limit = 501}, "").status()), "limit");
  EXPECT_EQ(
      FieldOf(users_.List(admin, {.after = std::string("\x01")}, "").status()),
      "after");

  const std::vector<audit::AuditEntry> entries = EntriesAfter(5);
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries[0].action, "user.list");
  EXPECT_EQ(Details(entries[0]).at("count").as_int64(), 2);
  EXPECT_EQ(Details(entries[1]).at("after").as_string(), "bilal");
  EXPECT_EQ(entries[3].outcome, AuditOutcome::kFailure);
}

TEST_P(UserServiceTest, BadPurposeIsRejectedBeforeAnythingHappens) {
  const absl::Status s =
      users_
          .Create(cli_,
                  {.username = "someone",
                   .display_name = "S",
                   .password = std::string(testing::kPassword)},
                  "bad\x01purpose")
          .status();
  EXPECT_EQ(FieldOf(s), "purpose");
  EXPECT_EQ(FieldOf(users_.List(cli_, {}, std::string(3000, 'p')).status()),
            "purpose");
  EXPECT_TRUE(users_.List(cli_, {}, "multi\nline purpose").ok());
  EXPECT_EQ(Entries().size(), 1u);
}

TEST_P(UserServiceTest, ResetPasswordSetsANewHashAndClearsLockOut) {
  const Principal admin = MakeUser("boss", Role::kAdmin).AsPrincipal();
  const User u = MakeUser("leila", Role::kOfficer);
  ASSERT_TRUE(
      db().Run(
              db::TxMode::kWrite,
              [&](db::Transaction& tx) {
                return tx
                    .Execute(
                        "UPDATE users SET failed_logins = 3, locked_until = $1 "
                        "WHERE id = $2",
                        {ToUnixMillis(clock_.Now() + absl::Minutes(10)), u.id})
                    .status();
              })
          .ok());
  clock_.Advance(absl::Minutes(1));
  const absl::Status short_pw =
      users_.ResetPassword(admin, u.id, "short", "").status();
  EXPECT_EQ(FieldOf(short_pw), "password");
  absl::StatusOr<User> reset =
      users_.ResetPassword(admin, u.id, "a brand new password", "");
  ASSERT_TRUE(reset.ok()) << reset.status();
  EXPECT_EQ(reset->failed_logins, 0);
  EXPECT_EQ(reset->locked_until, std::nullopt);
  EXPECT_EQ(reset->password_changed_at, clock_.Now());
  std::string hash;
  ASSERT_TRUE(db().Run(db::TxMode::kRead,
                       [&](db::Transaction& tx) -> absl::Status {
                         auto row = tx.QueryOptional(
                             "SELECT password_hash FROM users WHERE id = $1",
                             {u.id});
                         if (!row.ok()) return row.status();
                         hash = (*row)->GetText(0);
                         return absl::OkStatus();
                       })
                  .ok());
  EXPECT_TRUE(VerifyPassword("a brand new password", hash));
  EXPECT_FALSE(VerifyPassword(testing::kPassword, hash));
  const std::vector<audit::AuditEntry> entries = EntriesAfter(2);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].outcome, AuditOutcome::kFailure);
  EXPECT_EQ(entries[1].action, "user.reset_password");
  EXPECT_EQ(entries[1].outcome, AuditOutcome::kSuccess);
  EXPECT_THAT(entries[1].details, ::testing::Not(HasSubstr("brand new")));
}

TEST(UsernameTest, Normalises) {
  EXPECT_EQ(*NormalizeUsername("Jean-Luc.Picard_2"), "jean-luc.picard_2");
  EXPECT_EQ(*NormalizeUsername("abc"), "abc");
  EXPECT_EQ(FieldOf(NormalizeUsername("ab").status()), "username");
  EXPECT_EQ(FieldOf(NormalizeUsername(std::string("ab\0c", 4)).status()),
            "username");
  EXPECT_TRUE(NormalizeUsername(std::string(64, 'a')).ok());
  EXPECT_FALSE(NormalizeUsername(std::string(65, 'a')).ok());
  EXPECT_EQ(*NormalizeDisplayName("  Fatima Zahra  "), "Fatima Zahra");
  EXPECT_EQ(*NormalizeDisplayName("فاطمة الزهراء"), "فاطمة الزهراء");
}

INSTANTIATE_TEST_SUITE_P(Stores, UserServiceTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::security
