// Users of the node and the service that manages them. Every call takes the
// acting Principal and a stated purpose, asks Authorize() first, and leaves
// exactly one audit entry: "success" written in the same transaction as the
// change (or read), "denied" when the policy refuses, "failure" when the call
// fails after authorization (both in their own small transaction).
//
// Thread-safety: UserService is safe to share between threads (it holds no
// mutable state; each call runs its own transactions).
#ifndef JISR_SECURITY_USER_SERVICE_H_
#define JISR_SECURITY_USER_SERVICE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "security/password.h"
#include "security/policy.h"

namespace jisr::security {

// One user account as stored (without its password hash).
struct User {
  std::string id;            // UUIDv7
  std::string username;      // lower case, [a-z0-9._-], 3..64 characters
  std::string display_name;  // 1..200 bytes of UTF-8
  Role role = Role::kOfficer;
  bool disabled = false;
  int64_t failed_logins = 0;               // consecutive failed logins
  std::optional<absl::Time> locked_until;  // set while (or since) locked out
  absl::Time created_at;
  absl::Time updated_at;
  absl::Time password_changed_at;

  // The Principal acting as this user.
  Principal AsPrincipal() const;
};

// The API view: id, username, display_name, role, disabled, locked_until (RFC
// 3339 or null), created_at, updated_at. Never the password hash.
boost::json::object UserToJson(const User& user);

// Returns `username` in lower case (ASCII) when it is 3..64 characters of
// [a-z0-9._-] after lower-casing; InvalidField("username", ...) otherwise.
absl::StatusOr<std::string> NormalizeUsername(std::string_view username);

// Returns `name` trimmed of surrounding spaces when it is 1..200 bytes of
// UTF-8 without control characters; InvalidField("display_name", ...) else.
absl::StatusOr<std::string> NormalizeDisplayName(std::string_view name);

struct NewUser {
  std::string username;      // normalised by NormalizeUsername
  std::string display_name;  // normalised by NormalizeDisplayName
  Role role = Role::kOfficer;
  std::string password;  // must pass ValidatePassword
};

// Fields to change; nullopt leaves a field as it is.
struct UserUpdate {
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<bool> disabled;  // needs user.disable (the rest: user.update)
};

struct UserListOptions {
  // Page size, 1..500. Default 50.
  int limit = 50;
  // Paging cursor: only users whose username sorts after this one (the
  // next_after of the previous page). Default: from the first.
  std::optional<std::string> after;
};

struct UserPage {
  std::vector<User> users;                // by username
  std::optional<std::string> next_after;  // set when more users follow
};

struct UserServiceOptions {
  // Cost of the password hashes this service makes. Default Interactive().
  PasswordOptions password;
};

class UserService {
 public:
  // `db`, `audit` and `clock` must outlive the service.
  UserService(db::Database& db, const audit::AuditLog& audit,
              const Clock& clock, UserServiceOptions options = {});
  UserService(const UserService&) = delete;
  UserService& operator=(const UserService&) = delete;

  // Creates a user (action user.create) and returns it.
  // Errors: PermissionDenied; InvalidArgument naming "username",
  // "display_name", "password" or "purpose"; AlreadyExists with field
  // "username" when the name is taken; the store's error otherwise.
  absl::StatusOr<User> Create(const Principal& who, const NewUser& user,
                              std::string_view purpose);

  // Returns user `id` (action user.read).
  // Errors: PermissionDenied; InvalidArgument naming "id" when it is not a
  // UUID; NotFound; the store's error.
  absl::StatusOr<User> Get(const Principal& who, std::string_view id,
                           std::string_view purpose);

  // Returns one page of users ordered by username (action user.list).
  // Errors: PermissionDenied; InvalidArgument naming "limit" (outside 1..500)
  // or "after"; the store's error.
  absl::StatusOr<UserPage> List(const Principal& who,
                                const UserListOptions& options,
                                std::string_view purpose);

  // Changes display_name, role and/or disabled of user `id` and returns the
  // user as updated. Disabling ends the user's sessions. Audited as
  // "user.disable" when only `disabled` is given, "user.update" otherwise.
  // Errors: PermissionDenied (user.update for display_name/role, user.disable
  // for disabled); InvalidArgument naming "id" or "display_name", or when the
  // update names no field; NotFound; FailedPrecondition when an admin would
  // disable or demote themself, or when the change would leave the node
  // without an enabled admin; the store's error.
  absl::StatusOr<User> Update(const Principal& who, std::string_view id,
                              const UserUpdate& update,
                              std::string_view purpose);

  // Sets a new password for user `id`, clears any lock-out and ends the user's
  // sessions (action user.reset_password). Returns the user.
  // Errors: PermissionDenied; InvalidArgument naming "id" or "password";
  // NotFound; the store's error.
  absl::StatusOr<User> ResetPassword(const Principal& who, std::string_view id,
                                     std::string_view new_password,
                                     std::string_view purpose);

  // Returns true when at least one enabled admin exists (for bootstrapping
  // the first account). Not audited: it reveals no personal data.
  absl::StatusOr<bool> HasEnabledAdmin();

 private:
  absl::StatusOr<User> DoCreate(const Principal& who, const NewUser& user,
                                std::string_view purpose);
  absl::StatusOr<User> DoUpdate(const Principal& who, std::string_view id,
                                const UserUpdate& update,
                                std::string_view action,
                                std::string_view purpose);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  UserServiceOptions options_;
};

}  // namespace jisr::security

#endif  // JISR_SECURITY_USER_SERVICE_H_
