// Test support for security/: a fresh migrated store, a fake clock, the audit
// log and both services (with the cheapest password hashing), plus helpers to
// read back the audit entries a test produced.
//
// Thread-safety: test-only, single thread.
#ifndef JISR_SECURITY_TEST_FIXTURE_H_
#define JISR_SECURITY_TEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/json.h"
#include "db/test_stores.h"
#include "security/password.h"
#include "security/policy.h"
#include "security/session_service.h"
#include "security/user_service.h"

namespace jisr::security::testing {

inline constexpr std::string_view kPassword = "correct horse battery staple";

class SecurityTest : public ::testing::TestWithParam<std::string> {
 protected:
  SecurityTest()
      : store_(GetParam()),
        audit_(clock_),
        users_(store_.db(), audit_, clock_,
               {.password = PasswordOptions::Minimum()}),
        sessions_(store_.db(), audit_, clock_, SessionDefaults()) {}

  static SessionOptions SessionDefaults() {
    SessionOptions o;
    o.password = PasswordOptions::Minimum();
    return o;
  }

  void TearDown() override {
    absl::StatusOr<audit::VerifyResult> v = audit_.Verify(db());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << v->reason;
  }

  db::Database& db() { return store_.db(); }

  // Creates a user as the CLI operator; fails the test on error.
  User MakeUser(const std::string& username, Role role,
                std::string_view password = kPassword) {
    absl::StatusOr<User> u = users_.Create(cli_,
                                           {.username = username,
                                            .display_name = "Test " + username,
                                            .role = role,
                                            .password = std::string(password)},
                                           "setup");
    EXPECT_TRUE(u.ok()) << u.status();
    return u.ok() ? *u : User{};
  }

  // All audit entries, oldest first.
  std::vector<audit::AuditEntry> Entries() {
    audit::AuditFilter filter;
    filter.limit = audit::kMaxListLimit;
    absl::StatusOr<audit::AuditPage> page = audit_.List(db(), filter);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) return {};
    std::vector<audit::AuditEntry> out = page->entries;
    std::reverse(out.begin(), out.end());
    return out;
  }

  // The entries appended after the first `skip`.
  std::vector<audit::AuditEntry> EntriesAfter(size_t skip) {
    std::vector<audit::AuditEntry> all = Entries();
    if (skip >= all.size()) return {};
    return std::vector<audit::AuditEntry>(
        all.begin() + static_cast<ptrdiff_t>(skip), all.end());
  }

  static boost::json::object Details(const audit::AuditEntry& e) {
    absl::StatusOr<boost::json::object> o = ParseJsonObject(e.details);
    EXPECT_TRUE(o.ok()) << e.details;
    return o.ok() ? *o : boost::json::object{};
  }

  db::testing::TestStore store_;
  FakeClock clock_;
  audit::AuditLog audit_;
  UserService users_;
  SessionService sessions_;
  Principal cli_ = Principal::CliOperator("root");
};

}  // namespace jisr::security::testing

#endif  // JISR_SECURITY_TEST_FIXTURE_H_
