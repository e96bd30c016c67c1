#include "security/policy.h"

#include <fmt/format.h>

#include <array>

namespace jisr::security {
namespace {

constexpr std::array<Role, 5> kRoles = {Role::kAdmin, Role::kSupervisor,
                                        Role::kOfficer, Role::kAnalyst,
                                        Role::kAuditor};
static_assert(static_cast<size_t>(kLastRole) + 1 == kRoles.size());

struct PolicyRow {
  Action action;
  std::string_view name;
  RoleSet roles;
};

constexpr PolicyRow kPolicy[] = {
#define JISR_SECURITY_POLICY_ROW_(id, name, roles) \
  {Action::id, name, RoleSet(roles)},
    JISR_SECURITY_POLICY(JISR_SECURITY_POLICY_ROW_)
#undef JISR_SECURITY_POLICY_ROW_
};

constexpr size_t kActionCount = std::size(kPolicy);

constexpr std::array<Action, kActionCount> MakeActions() {
  std::array<Action, kActionCount> out{};
  for (size_t i = 0; i < kActionCount; ++i) out[i] = kPolicy[i].action;
  return out;
}
constexpr std::array<Action, kActionCount> kActions = MakeActions();

// The table is indexed by the enumerator's value.
constexpr bool RowsMatchEnum() {
  for (size_t i = 0; i < kActionCount; ++i) {
    if (static_cast<size_t>(kPolicy[i].action) != i) return false;
  }
  return true;
}
static_assert(RowsMatchEnum());

const PolicyRow& RowOf(Action action) {
  return kPolicy[static_cast<size_t>(action)];
}

char SafeOsUserChar(char c) {
  const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  return ok ? c : '_';
}

}  // namespace

std::span<const Role> AllRoles() { return kRoles; }

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kOfficer:
      return "officer";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAuditor:
      return "auditor";
  }
  return "unknown";
}

std::optional<Role> RoleFromName(std::string_view name) {
  for (Role r : kRoles) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

std::span<const Action> AllActions() { return kActions; }

std::string_view ActionName(Action action) { return RowOf(action).name; }

std::optional<Action> ActionFromName(std::string_view name) {
  for (const PolicyRow& row : kPolicy) {
    if (row.name == name) return row.action;
  }
  return std::nullopt;
}

RoleSet AllowedRoles(Action action) { return RowOf(action).roles; }

absl::Status Authorize(const Principal& principal, Action action) {
  if (principal.kind == Principal::Kind::kUser && principal.user_id.empty()) {
    return absl::PermissionDeniedError(
        fmt::format("'{}' requires a signed-in user", ActionName(action)));
  }
  if (AllowedRoles(action).contains(principal.role)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      fmt::format("role '{}' may not perform '{}'", RoleName(principal.role),
                  ActionName(action)));
}

std::string UserActor(std::string_view user_id, std::string_view username) {
  return fmt::format("user:{}:{}", user_id, username);
}

std::string Principal::Actor() const {
  switch (kind) {
    case Kind::kUser:
      return UserActor(user_id, username);
    case Kind::kOperator:
      return fmt::format("cli:{}", username);
    case Kind::kSystem:
      return "system";
  }
  return "system";
}

Principal Principal::ForUser(std::string user_id, std::string username,
                             std::string display_name, Role role) {
  Principal p;
  p.kind = Kind::kUser;
  p.user_id = std::move(user_id);
  p.username = std::move(username);
  p.display_name = std::move(display_name);
  p.role = role;
  return p;
}

Principal Principal::CliOperator(std::string_view os_user, Role role) {
  Principal p;
  p.kind = Kind::kOperator;
  for (char c : os_user.substr(0, 64)) p.username.push_back(SafeOsUserChar(c));
  if (p.username.empty()) p.username = "unknown";
  p.display_name = fmt::format("operator {}", p.username);
  p.role = role;
  return p;
}

Principal Principal::System() {
  Principal p;
  p.kind = Kind::kSystem;
  p.username = "system";
  p.display_name = "system";
  p.role = Role::kAdmin;
  return p;
}

}  // namespace jisr::security
