#include "security/policy.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "common/status.h"

namespace jisr::security {
namespace {

// THE EXPECTED POLICY, written out independently of the table in policy.h:
// action name -> roles allowed. Any change to the policy must change this too.
const std::map<std::string, std::set<std::string>>& ExpectedMatrix() {
  static const auto* matrix = new std::map<std::string, std::set<std::string>>{
      {"user.list", {"admin", "supervisor"}},
      {"user.read", {"admin", "supervisor"}},
      {"user.create", {"admin"}},
      {"user.update", {"admin"}},
      {"user.disable", {"admin"}},
      {"user.reset_password", {"admin"}},
      {"audit.read", {"auditor"}},
      {"audit.verify", {"admin", "auditor"}},
      {"audit.export", {"auditor"}},
      {"agency.read", {"admin", "supervisor", "officer", "analyst", "auditor"}},
      {"session.me", {"admin", "supervisor", "officer", "analyst", "auditor"}},
      {"alert.create", {"supervisor", "officer"}},
      {"alert.read", {"supervisor", "officer", "analyst"}},
      {"alert.list", {"supervisor", "officer", "analyst"}},
      {"alert.update", {"supervisor", "officer"}},
      {"alert.activate", {"supervisor"}},
      {"alert.suspend", {"supervisor"}},
      {"alert.withdraw", {"supervisor"}},
      {"alert.execute", {"supervisor", "officer"}},
      {"alert.extend", {"supervisor"}},
      {"alert.import", {"supervisor", "officer"}},
      {"alert.export", {"supervisor"}},
      {"screen.person", {"supervisor", "officer", "analyst"}},
      {"screen.batch", {"supervisor", "officer", "analyst"}},
      {"hit.report", {"supervisor", "officer"}},
      {"hit.read", {"supervisor", "officer", "analyst"}},
      {"hit.update", {"supervisor", "officer"}},
      {"assistance.create", {"supervisor", "officer"}},
      {"assistance.read", {"supervisor", "officer", "analyst"}},
      {"assistance.list", {"supervisor", "officer", "analyst"}},
      {"assistance.update", {"supervisor", "officer"}},
      {"assistance.stats", {"supervisor", "officer", "analyst"}},
      // --- exchange (src/exchange)
      {"message.send", {"supervisor", "officer", "analyst"}},
      {"message.forward", {"supervisor", "officer"}},
      {"message.list", {"supervisor", "officer", "analyst"}},
      {"message.read", {"supervisor", "officer", "analyst"}},
      {"message.search", {"supervisor", "officer", "analyst"}},
      {"message.ack", {"supervisor", "officer", "analyst"}},
      {"message.export", {"supervisor", "officer", "analyst"}},
      {"message.attachment_upload", {"supervisor", "officer", "analyst"}},
      {"message.attachment_read", {"supervisor", "officer", "analyst"}},
      {"message.unit_list", {"admin", "supervisor", "officer", "analyst"}},
      {"message.unit_manage", {"admin", "supervisor"}},
      // --- end exchange
      // --- groups (src/groups)
      {"group.create", {"supervisor", "officer"}},
      {"group.read", {"supervisor", "officer", "analyst"}},
      {"group.update", {"supervisor", "officer"}},
      {"plan.create", {"supervisor"}},
      {"plan.read", {"supervisor", "officer", "analyst"}},
      {"plan.update", {"supervisor", "officer"}},
      {"operation.create", {"supervisor"}},
      {"operation.read", {"supervisor", "officer", "analyst"}},
      {"operation.update", {"supervisor", "officer"}},
      // --- end groups
      // --- events (src/events)
      {"event.create", {"supervisor"}},
      {"event.update", {"supervisor"}},
      {"event.read", {"supervisor", "officer", "analyst"}},
      {"event.deploy", {"supervisor", "officer"}},
      {"campaign.create", {"supervisor", "officer"}},
      {"campaign.read", {"supervisor", "officer", "analyst"}},
      {"campaign.review", {"supervisor", "officer"}},
      {"incident.create", {"supervisor", "officer"}},
      {"incident.read", {"supervisor", "officer", "analyst"}},
      // --- end events
      // --- training (src/training)
      {"training.read", {"admin", "supervisor", "officer", "analyst", "auditor"}},
      {"training.manage", {"admin", "supervisor"}},
      {"training.enrol", {"supervisor", "officer"}},
      // --- end training
      {"federation.read", {"admin", "supervisor", "auditor"}},
      {"partner.list", {"admin", "supervisor", "officer", "analyst", "auditor"}},
      {"peer.manage", {"admin"}},
      {"federation.outbox.manage", {"admin"}},
      {"report.read", {"admin", "supervisor", "auditor"}},
  };
  return *matrix;
}

TEST(PolicyTest, EveryActionTimesEveryRoleMatchesTheExpectedMatrix) {
  ASSERT_EQ(AllActions().size(), ExpectedMatrix().size())
      << "an action was added or removed: update ExpectedMatrix()";
  ASSERT_EQ(AllRoles().size(), 5u);
  int checked = 0;
  for (Action action : AllActions()) {
    const std::string name(ActionName(action));
    auto expected = ExpectedMatrix().find(name);
    ASSERT_NE(expected, ExpectedMatrix().end()) << "unexpected action " << name;
    for (Role role : AllRoles()) {
      Principal p = Principal::ForUser("0192f1d4-5b6c-7000-8000-000000000001",
                                       "someone", "Someone", role);
      const bool allowed =
          expected->second.count(std::string(RoleName(role))) > 0;
      const absl::Status s = Authorize(p, action);
      EXPECT_EQ(s.ok(), allowed) << RoleName(role) << " " << name;
      EXPECT_EQ(AllowedRoles(action).contains(role), allowed)
          << RoleName(role) << " " << name;
      if (!allowed) {
        EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
        EXPECT_EQ(std::string(s.message()),
                  "role '" + std::string(RoleName(role)) +
                      "' may not perform '" + name + "'");
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(ExpectedMatrix().size() * AllRoles().size()));
}

TEST(PolicyTest, AdminCannotReadTheAuditLog) {
  const Principal admin = Principal::ForUser("x", "root", "Root", Role::kAdmin);
  EXPECT_EQ(Authorize(admin, Action::kAuditRead).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Authorize(admin, Action::kAuditExport).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(admin, Action::kAuditVerify).ok());
}

TEST(PolicyTest, AnEmptyPrincipalMayDoNothing) {
  Principal nobody;
  nobody.role = Role::kAdmin;
  for (Action action : AllActions()) {
    EXPECT_EQ(Authorize(nobody, action).code(),
              absl::StatusCode::kPermissionDenied)
        << ActionName(action);
  }
}

TEST(PolicyTest, NamesRoundTrip) {
  std::set<std::string> names;
  for (Action a : AllActions()) {
    EXPECT_EQ(ActionFromName(ActionName(a)), a);
    EXPECT_TRUE(names.insert(std::string(ActionName(a))).second)
        << "duplicate name";
  }
  EXPECT_EQ(ActionFromName("user.delete"), std::nullopt);
  EXPECT_EQ(ActionFromName(""), std::nullopt);
  for (Role r : AllRoles()) EXPECT_EQ(RoleFromName(RoleName(r)), r);
  EXPECT_EQ(RoleFromName("Admin"), std::nullopt);
  EXPECT_EQ(RoleFromName("root"), std::nullopt);
}

TEST(PolicyTest, PrincipalsNameTheirActor) {
  const Principal u = Principal::ForUser("0192f1d4-5b6c-7000-8000-000000000001",
                                         "amina.b", "Amina B.", Role::kOfficer);
  EXPECT_EQ(u.Actor(), "user:0192f1d4-5b6c-7000-8000-000000000001:amina.b");
  EXPECT_EQ(u.Actor(), UserActor(u.user_id, u.username));

  const Principal cli = Principal::CliOperator("root");
  EXPECT_EQ(cli.Actor(), "cli:root");
  EXPECT_EQ(cli.role, Role::kAdmin);
  EXPECT_EQ(cli.kind, Principal::Kind::kOperator);
  EXPECT_TRUE(cli.user_id.empty());
  EXPECT_EQ(Principal::CliOperator("we ird:\xff").Actor(), "cli:we_ird__");
  EXPECT_EQ(Principal::CliOperator("").Actor(), "cli:unknown");
  EXPECT_EQ(Principal::CliOperator(std::string(100, 'a')).username.size(), 64u);

  const Principal sys = Principal::System();
  EXPECT_EQ(sys.Actor(), "system");
  EXPECT_EQ(sys.kind, Principal::Kind::kSystem);
}

}  // namespace
}  // namespace jisr::security
