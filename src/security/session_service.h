// Sessions: login with username and password, bearer-token authentication of
// every request, logout, and lock-out after repeated failures.
//
// A token is 32 random bytes in unpadded base64url (43 characters); the store
// keeps only the hex BLAKE2b-256 of the token text, so a copy of the database
// does not let anyone sign in. Sessions expire a fixed time after login.
//
// Every failed login gets the same Unauthenticated error, whatever the cause
// (unknown user, wrong password, disabled, locked out), and takes about as
// long (a password hash is always checked); the audit log records the real
// reason. Authenticate() runs on every request: one read transaction with one
// indexed query, and at most one small write per session per
// last_seen_resolution.
//
// Thread-safety: SessionService is safe to share between threads.
#ifndef JISR_SECURITY_SESSION_SERVICE_H_
#define JISR_SECURITY_SESSION_SERVICE_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "security/password.h"
#include "security/policy.h"
#include "security/user_service.h"

namespace jisr::security {

struct SessionOptions {
  // How long a session lasts after login. Default 12 hours.
  absl::Duration ttl = absl::Hours(12);
  // Consecutive failed logins that lock an account. Default 5.
  int max_failed_logins = 5;
  // How long a lock-out lasts. Default 15 minutes.
  absl::Duration lockout = absl::Minutes(15);
  // Authenticate() updates a session's last_seen_at only when it is older than
  // this. Default 1 minute.
  absl::Duration last_seen_resolution = absl::Minutes(1);
  // Cost of password hashes made here (rehash on login when the stored hash
  // used other limits; the decoy hash for unknown users). Default
  // Interactive().
  PasswordOptions password;
};

struct LoginResult {
  std::string token;  // the bearer token; shown once, never stored
  absl::Time expires_at;
  User user;
};

class SessionService {
 public:
  // `db`, `audit` and `clock` must outlive the service.
  SessionService(db::Database& db, const audit::AuditLog& audit,
                 const Clock& clock, SessionOptions options = {});
  SessionService(const SessionService&) = delete;
  SessionService& operator=(const SessionService&) = delete;

  // Checks `username` (case-insensitive) and `password`; on success starts a
  // session, resets the failure counter and returns the token. `client_info`
  // (e.g. address and user agent; cut to 256 bytes) is kept with the session
  // and in the audit log. Audited as session.login (success or failure, with
  // the real reason in the details).
  // Errors: Unauthenticated "invalid username or password" for an unknown
  // user, a wrong password, a disabled or a locked-out account; the store's
  // error otherwise.
  absl::StatusOr<LoginResult> Login(std::string_view username,
                                    std::string_view password,
                                    std::string_view client_info);

  // Returns the principal owning `token`.
  // Errors: Unauthenticated for a malformed, unknown or expired token or a
  // disabled user; DataLoss for an unreadable user row; the store's error.
  absl::StatusOr<Principal> Authenticate(std::string_view token);

  // Ends the session of `token` (audited as session.logout).
  // Errors: Unauthenticated when the token names no session; the store's error.
  absl::Status Logout(std::string_view token);

  // Deletes expired sessions and returns how many (audited as session.purge by
  // "system" when there were any). Errors: the store's.
  absl::StatusOr<int64_t> PurgeExpired();

 private:
  // The decoy hash checked for unknown users, made once on first use.
  const std::string& DecoyHash();

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  SessionOptions options_;
  std::once_flag decoy_once_;
  std::string decoy_hash_;  // written once under decoy_once_
};

// Returns the hex BLAKE2b-256 of `token` (how sessions.token_hash is keyed).
std::string SessionTokenHash(std::string_view token);

}  // namespace jisr::security

#endif  // JISR_SECURITY_SESSION_SERVICE_H_
