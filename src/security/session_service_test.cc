#include "security/session_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/ids.h"
#include "common/status.h"
#include "security/test_fixture.h"

// Designated initializers that name only some members read best in tests.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace jisr::security {
namespace {

using audit::AuditOutcome;
using ::testing::HasSubstr;

constexpr std::string_view kLoginError = "invalid username or password";

class SessionServiceTest : public testing::SecurityTest {
 protected:
  // Runs one query and returns its first row (fails the test if none).
  db::Row QueryRow(std::string_view sql,
                   std::initializer_list<db::Value> params) {
    std::vector<db::Value> p(params);
    db::Row out;
    absl::Status s =
        db().Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
          auto rows = tx.Query(sql, db::Params(p));
          if (!rows.ok()) return rows.status();
          if (rows->empty()) return absl::NotFoundError("no row");
          out = rows->front();
          return absl::OkStatus();
        });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  int64_t SessionCount(const std::string& user_id) {
    return QueryRow("SELECT COUNT(*) FROM sessions WHERE user_id = $1",
                    {user_id})
        .GetInt(0);
  }

  void ExpectLoginFails(std::string_view username, std::string_view password) {
    absl::StatusOr<LoginResult> r = sessions_.Login(username, password, "test");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kUnauthenticated)
        << username;
    EXPECT_EQ(std::string(r.status().message()), kLoginError);
  }
};

TEST_P(SessionServiceTest, LoginAuthenticatesAndStoresOnlyTheTokenHash) {
  const User u = MakeUser("yousra", Role::kAnalyst);
  const size_t before = Entries().size();
  const absl::Time t0 = clock_.Now();
  absl::StatusOr<LoginResult> login =
      sessions_.Login("Yousra", testing::kPassword, "127.0.0.1 test-agent");
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_EQ(login->token.size(), 43u);
  EXPECT_EQ(login->expires_at, t0 + absl::Hours(12));
  EXPECT_EQ(login->user.id, u.id);
  EXPECT_EQ(login->user.role, Role::kAnalyst);

  absl::StatusOr<Principal> p = sessions_.Authenticate(login->token);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->kind, Principal::Kind::kUser);
  EXPECT_EQ(p->user_id, u.id);
  EXPECT_EQ(p->username, "yousra");
  EXPECT_EQ(p->display_name, "Test yousra");
  EXPECT_EQ(p->role, Role::kAnalyst);

  const db::Row row = QueryRow(
      "SELECT token_hash, created_at, expires_at, client_info FROM sessions "
      "WHERE user_id = $1",
      {u.id});
  EXPECT_EQ(row.GetText(0), SessionTokenHash(login->token));
  EXPECT_EQ(row.GetText(0).size(), 64u);
  EXPECT_NE(row.GetText(0), login->token);
  EXPECT_EQ(row.GetInt(1), ToUnixMillis(t0));
  EXPECT_EQ(row.GetInt(2), ToUnixMillis(t0 + absl::Hours(12)));
  EXPECT_EQ(row.GetText(3), "127.0.0.1 test-agent");

  const std::vector<audit::AuditEntry> entries = EntriesAfter(before);
  ASSERT_EQ(entries.size(), 1u) << "Authenticate writes no audit entry";
  EXPECT_EQ(entries[0].action, "session.login");
  EXPECT_EQ(entries[0].outcome, AuditOutcome::kSuccess);
  EXPECT_EQ(entries[0].actor, UserActor(u.id, "yousra"));
  EXPECT_EQ(entries[0].object, "user/" + u.id);
  EXPECT_EQ(Details(entries[0]).at("client").as_string(),
            "127.0.0.1 test-agent");
  EXPECT_THAT(entries[0].details, ::testing::Not(HasSubstr(login->token)));
  EXPECT_THAT(entries[0].details,
              ::testing::Not(HasSubstr(testing::kPassword)));

  // Two logins make two independent sessions.
  absl::StatusOr<LoginResult> second =
      sessions_.Login("yousra", testing::kPassword, "");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->token, login->token);
  EXPECT_EQ(SessionCount(u.id), 2);
}

TEST_P(SessionServiceTest, EveryFailureLooksTheSameButTheLogKnowsWhy) {
  const User u = MakeUser("hamza", Role::kOfficer);
  const User off = MakeUser("gone", Role::kOfficer);
  ASSERT_TRUE(users_.Update(cli_, off.id, {.disabled = true}, "").ok());
  const size_t before = Entries().size();

  ExpectLoginFails("hamza", "wrong password!!");
  ExpectLoginFails("nobody", testing::kPassword);
  ExpectLoginFails("gone", testing::kPassword);
  ExpectLoginFails("x\xff\x01 y", testing::kPassword);
  ExpectLoginFails("", "");

  const std::vector<audit::AuditEntry> entries = EntriesAfter(before);
  ASSERT_EQ(entries.size(), 5u);
  for (const audit::AuditEntry& e : entries) {
    EXPECT_EQ(e.action, "session.login");
    EXPECT_EQ(e.outcome, AuditOutcome::kFailure);
    EXPECT_EQ(e.actor, "anonymous");
    EXPECT_THAT(e.details, ::testing::Not(HasSubstr(testing::kPassword)));
  }
  EXPECT_EQ(Details(entries[0]).at("reason").as_string(), "bad_password");
  EXPECT_EQ(Details(entries[0]).at("failed_logins").as_int64(), 1);
  EXPECT_EQ(entries[0].object, "user/" + u.id);
  EXPECT_EQ(Details(entries[1]).at("reason").as_string(), "unknown_user");
  EXPECT_EQ(Details(entries[1]).at("username").as_string(), "nobody");
  EXPECT_EQ(entries[1].object, "");
  EXPECT_EQ(Details(entries[2]).at("reason").as_string(), "disabled");
  EXPECT_EQ(Details(entries[3]).at("reason").as_string(), "unknown_user");
  EXPECT_EQ(Details(entries[3]).at("username").as_string(),
            "x\xEF\xBF\xBD\xEF\xBF\xBD y");
  EXPECT_EQ(QueryRow("SELECT failed_logins FROM users WHERE id = $1", {u.id})
                .GetInt(0),
            1);
  EXPECT_EQ(SessionCount(u.id), 0);
}

TEST_P(SessionServiceTest, LockOutAfterFiveFailuresUntilTimePasses) {
  const User u = MakeUser("samir", Role::kOfficer);
  const size_t before = Entries().size();
  for (int i = 0; i < 5; ++i) ExpectLoginFails("samir", "not the password");
  const absl::Time locked_at = clock_.Now();
  EXPECT_EQ(QueryRow("SELECT locked_until FROM users WHERE id = $1", {u.id})
                .GetInt(0),
            ToUnixMillis(locked_at + absl::Minutes(15)));

  // Locked: even the right password fails, and does not count.
  ExpectLoginFails("samir", testing::kPassword);
  clock_.Advance(absl::Minutes(14));
  ExpectLoginFails("samir", testing::kPassword);
  clock_.Advance(absl::Minutes(1));
  absl::StatusOr<LoginResult> ok =
      sessions_.Login("samir", testing::kPassword, "");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->user.failed_logins, 0);
  const db::Row row = QueryRow(
      "SELECT failed_logins, locked_until FROM users WHERE id = $1", {u.id});
  EXPECT_EQ(row.GetInt(0), 0);
  EXPECT_TRUE(row.IsNull(1));

  const std::vector<audit::AuditEntry> entries = EntriesAfter(before);
  ASSERT_EQ(entries.size(), 8u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Details(entries[i]).at("failed_logins").as_int64(), i + 1);
    EXPECT_FALSE(Details(entries[i]).contains("locked_until"));
  }
  EXPECT_EQ(Details(entries[4]).at("reason").as_string(), "bad_password");
  EXPECT_EQ(Details(entries[4]).at("locked_until").as_string(),
            FormatRfc3339(locked_at + absl::Minutes(15)));
  EXPECT_EQ(Details(entries[5]).at("reason").as_string(), "locked");
  EXPECT_EQ(Details(entries[6]).at("reason").as_string(), "locked");
  EXPECT_EQ(entries[7].outcome, AuditOutcome::kSuccess);
}

TEST_P(SessionServiceTest, SuccessResetsTheFailureCounter) {
  const User u = MakeUser("ines", Role::kOfficer);
  for (int i = 0; i < 4; ++i) ExpectLoginFails("ines", "not the password");
  ASSERT_TRUE(sessions_.Login("ines", testing::kPassword, "").ok());
  for (int i = 0; i < 4; ++i) ExpectLoginFails("ines", "not the password");
  EXPECT_TRUE(sessions_.Login("ines", testing::kPassword, "").ok())
      << "4 + 4 is not 5 in a row";
  EXPECT_EQ(QueryRow("SELECT failed_logins FROM users WHERE id = $1", {u.id})
                .GetInt(0),
            0);
}

TEST_P(SessionServiceTest, SessionsExpire) {
  MakeUser("tariq", Role::kOfficer);
  absl::StatusOr<LoginResult> login =
      sessions_.Login("tariq", testing::kPassword, "");
  ASSERT_TRUE(login.ok());
  clock_.Advance(absl::Hours(12) - absl::Milliseconds(1));
  EXPECT_TRUE(sessions_.Authenticate(login->token).ok());
  clock_.Advance(absl::Milliseconds(1));
  const absl::Status expired = sessions_.Authenticate(login->token).status();
  EXPECT_EQ(expired.code(), absl::StatusCode::kUnauthenticated);

  const size_t before = Entries().size();
  absl::StatusOr<int64_t> purged = sessions_.PurgeExpired();
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(*sessions_.PurgeExpired(), 0);
  const std::vector<audit::AuditEntry> entries = EntriesAfter(before);
  ASSERT_EQ(entries.size(), 1u) << "an empty purge is not audited";
  EXPECT_EQ(entries[0].action, "session.purge");
  EXPECT_EQ(entries[0].actor, "system");
  EXPECT_EQ(Details(entries[0]).at("count").as_int64(), 1);
}

TEST_P(SessionServiceTest, LogoutEndsTheSession) {
  const User u = MakeUser("salma", Role::kSupervisor);
  absl::StatusOr<LoginResult> a =
      sessions_.Login("salma", testing::kPassword, "");
  absl::StatusOr<LoginResult> b =
      sessions_.Login("salma", testing::kPassword, "");
  ASSERT_TRUE(a.ok() && b.ok());
  const size_t before = Entries().size();
  EXPECT_TRUE(sessions_.Logout(a->token).ok());
  EXPECT_EQ(sessions_.Authenticate(a->token).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(sessions_.Authenticate(b->token).ok())
      << "other sessions live on";
  EXPECT_EQ(sessions_.Logout(a->token).code(),
            absl::StatusCode::kUnauthenticated);
  const std::vector<audit::AuditEntry> entries = EntriesAfter(before);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action, "session.logout");
  EXPECT_EQ(entries[0].actor, UserActor(u.id, "salma"));
  EXPECT_EQ(Details(entries[0]).at("session").as_string(),
            SessionTokenHash(a->token).substr(0, 16));
}

TEST_P(SessionServiceTest, MalformedAndUnknownTokensAreUnauthenticated) {
  const std::string unknown = ToBase64Url(RandomBytes(32));
  for (const std::string& token :
       {std::string(), std::string("abc"), std::string(43, '+'),
        std::string(44, 'a'), std::string(43, '\0'), unknown}) {
    EXPECT_EQ(sessions_.Authenticate(token).status().code(),
              absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(sessions_.Logout(token).code(),
              absl::StatusCode::kUnauthenticated);
  }
  EXPECT_TRUE(Entries().empty());
}

TEST_P(SessionServiceTest, DisablingOrResettingEndsSessions) {
  const Principal admin = MakeUser("boss", Role::kAdmin).AsPrincipal();
  const User u = MakeUser("walid", Role::kOfficer);
  absl::StatusOr<LoginResult> s1 =
      sessions_.Login("walid", testing::kPassword, "");
  ASSERT_TRUE(s1.ok());
  ASSERT_TRUE(users_.Update(admin, u.id, {.disabled = true}, "suspended").ok());
  EXPECT_EQ(sessions_.Authenticate(s1->token).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(SessionCount(u.id), 0);
  EXPECT_EQ(Details(Entries().back()).at("sessions_ended").as_int64(), 1);
  ExpectLoginFails("walid", testing::kPassword);

  ASSERT_TRUE(users_.Update(admin, u.id, {.disabled = false}, "").ok());
  absl::StatusOr<LoginResult> s2 =
      sessions_.Login("walid", testing::kPassword, "");
  ASSERT_TRUE(s2.ok());
  ASSERT_TRUE(
      users_.ResetPassword(admin, u.id, "a completely new one", "forgot it")
          .ok());
  EXPECT_EQ(sessions_.Authenticate(s2->token).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Details(Entries().back()).at("sessions_ended").as_int64(), 1);
  ExpectLoginFails("walid", testing::kPassword);
  EXPECT_TRUE(sessions_.Login("walid", "a completely new one", "").ok());
}

TEST_P(SessionServiceTest, ResetPasswordUnlocks) {
  const Principal admin = MakeUser("boss", Role::kAdmin).AsPrincipal();
  const User u = MakeUser("mehdi", Role::kOfficer);
  for (int i = 0; i < 5; ++i) ExpectLoginFails("mehdi", "not the password");
  ExpectLoginFails("mehdi", testing::kPassword);
  ASSERT_TRUE(
      users_.ResetPassword(admin, u.id, "another good password", "").ok());
  EXPECT_TRUE(sessions_.Login("mehdi", "another good password", "").ok());
}

TEST_P(SessionServiceTest, RoleChangesApplyToTheNextRequest) {
  const Principal admin = MakeUser("boss", Role::kAdmin).AsPrincipal();
  const User u = MakeUser("rania", Role::kOfficer);
  absl::StatusOr<LoginResult> s =
      sessions_.Login("rania", testing::kPassword, "");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(sessions_.Authenticate(s->token)->role, Role::kOfficer);
  ASSERT_TRUE(users_.Update(admin, u.id, {.role = Role::kAuditor}, "").ok());
  EXPECT_EQ(sessions_.Authenticate(s->token)->role, Role::kAuditor);
}

TEST_P(SessionServiceTest, LastSeenIsWrittenAtMostOncePerMinute) {
  MakeUser("adam", Role::kOfficer);
  absl::StatusOr<LoginResult> s =
      sessions_.Login("adam", testing::kPassword, "");
  ASSERT_TRUE(s.ok());
  const std::string hash = SessionTokenHash(s->token);
  const int64_t t0 = ToUnixMillis(clock_.Now());
  auto last_seen = [&] {
    return QueryRow("SELECT last_seen_at FROM sessions WHERE token_hash = $1",
                    {hash})
        .GetInt(0);
  };
  clock_.Advance(absl::Seconds(30));
  ASSERT_TRUE(sessions_.Authenticate(s->token).ok());
  EXPECT_EQ(last_seen(), t0);
  clock_.Advance(absl::Seconds(30));
  ASSERT_TRUE(sessions_.Authenticate(s->token).ok());
  EXPECT_EQ(last_seen(), t0 + 60000);
  clock_.Advance(absl::Seconds(59));
  ASSERT_TRUE(sessions_.Authenticate(s->token).ok());
  EXPECT_EQ(last_seen(), t0 + 60000);
}

TEST_P(SessionServiceTest, LoginUpgradesAnOutdatedHash) {
  const User u = MakeUser("nora", Role::kOfficer);  // hashed with Minimum()
  SessionOptions stronger = SessionDefaults();
  stronger.password.ops_limit = 2;
  SessionService upgrading(db(), audit_, clock_, stronger);
  const std::string old_hash =
      QueryRow("SELECT password_hash FROM users WHERE id = $1", {u.id})
          .GetText(0);
  ASSERT_TRUE(upgrading.Login("nora", testing::kPassword, "").ok());
  const std::string new_hash =
      QueryRow("SELECT password_hash FROM users WHERE id = $1", {u.id})
          .GetText(0);
  EXPECT_NE(new_hash, old_hash);
  EXPECT_TRUE(VerifyPassword(testing::kPassword, new_hash));
  EXPECT_FALSE(PasswordNeedsRehash(new_hash, stronger.password));
  EXPECT_TRUE(Details(Entries().back()).at("password_rehashed").as_bool());
  // The next login with the same options leaves it alone.
  ASSERT_TRUE(upgrading.Login("nora", testing::kPassword, "").ok());
  EXPECT_EQ(QueryRow("SELECT password_hash FROM users WHERE id = $1", {u.id})
                .GetText(0),
            new_hash);
}

TEST_P(SessionServiceTest, ClientInfoIsSanitisedAndCut) {
  const User u = MakeUser("lina", Role::kOfficer);
  std::string hostile = "agent\xff\x01";
  hostile += std::string(1000, 'x');
  ASSERT_TRUE(sessions_.Login("lina", testing::kPassword, hostile).ok());
  const std::string stored =
      QueryRow("SELECT client_info FROM sessions WHERE user_id = $1", {u.id})
          .GetText(0);
  EXPECT_LE(stored.size(), 256u);
  EXPECT_TRUE(stored.starts_with("agent\xEF\xBF\xBD\xEF\xBF\xBDxxx"));
}

INSTANTIATE_TEST_SUITE_P(Stores, SessionServiceTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::security
