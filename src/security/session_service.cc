#include "security/session_service.h"

#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <array>
#include <optional>
#include <utility>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "security/service_util.h"

namespace jisr::security {

using audit::AuditOutcome;
using internal::MakeEntry;

namespace {

constexpr size_t kTokenBytes = 32;
constexpr size_t kTokenChars = 43;  // unpadded base64url of 32 bytes
constexpr size_t kMaxClientInfo = 256;
constexpr std::string_view kLoginAction = "session.login";
constexpr std::string_view kLogoutAction = "session.logout";
constexpr std::string_view kPurgeAction = "session.purge";
constexpr std::string_view kAnonymous = "anonymous";

absl::Status LoginFailed() {
  return absl::UnauthenticatedError("invalid username or password");
}

absl::Status BadSession() {
  return absl::UnauthenticatedError("invalid or expired session");
}

bool IsWellFormedToken(std::string_view token) {
  if (token.size() != kTokenChars) return false;
  for (char c : token) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// A short, non-secret reference to a session for the audit log.
std::string SessionRef(std::string_view token_hash) {
  return std::string(token_hash.substr(0, 16));
}

std::string UserObject(std::string_view id) {
  return fmt::format("user/{}", id);
}

// The user row with its password hash, as Login reads it.
struct Account {
  User user;
  std::string password_hash;
};

absl::StatusOr<std::optional<Account>> ReadAccount(db::Transaction& tx,
                                                   std::string_view column,
                                                   const std::string& value) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional(fmt::format("SELECT {}, password_hash FROM users "
                                   "WHERE {} = $1",
                                   internal::kUserColumns, column),
                       {value}));
  if (!row.has_value()) return std::optional<Account>();
  Account account;
  JISR_ASSIGN_OR_RETURN(account.user, internal::UserFromRow(*row));
  account.password_hash = row->GetText(10);
  return std::optional<Account>(std::move(account));
}

bool IsLocked(const User& user, absl::Time now) {
  return user.locked_until.has_value() && *user.locked_until > now;
}

}  // namespace

std::string SessionTokenHash(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  if (sodium_init() < 0) return "";
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return ToHex(std::string_view(reinterpret_cast<const char*>(digest.data()),
                                digest.size()));
}

SessionService::SessionService(db::Database& db, const audit::AuditLog& audit,
                               const Clock& clock, SessionOptions options)
    : db_(db), audit_(audit), clock_(clock), options_(std::move(options)) {}

const std::string& SessionService::DecoyHash() {
  std::call_once(decoy_once_, [this] {
    absl::StatusOr<std::string> hash =
        HashPassword(GeneratePassword(24), options_.password);
    if (hash.ok()) {
      decoy_hash_ = *std::move(hash);
    } else {
      spdlog::error("could not make the decoy password hash: {}",
                    hash.status().ToString());
    }
  });
  return decoy_hash_;
}

absl::StatusOr<LoginResult> SessionService::Login(
    std::string_view username, std::string_view password,
    std::string_view client_info) {
  const std::string client =
      internal::SanitizeText(client_info, kMaxClientInfo);
  absl::StatusOr<std::string> name = NormalizeUsername(username);
  const std::string shown_name =
      name.ok() ? *name : internal::SanitizeText(username, 64);

  std::optional<Account> account;
  if (name.ok()) {
    if (absl::Status run = db_.Run(db::TxMode::kRead,
                                   [&](db::Transaction& tx) -> absl::Status {
                                     JISR_ASSIGN_OR_RETURN(
                                         account,
                                         ReadAccount(tx, "username", *name));
                                     return absl::OkStatus();
                                   });
        !run.ok()) {
      return run;
    }
  }
  // Always pay for one hash check so that timing does not tell whether the
  // user exists.
  const bool password_ok = VerifyPassword(
      password, account.has_value() ? account->password_hash : DecoyHash());
  const absl::Time now = TruncateToMillis(clock_.Now());

  std::string reason;
  if (!account.has_value()) {
    reason = "unknown_user";
  } else if (IsLocked(account->user, now)) {
    reason = "locked";
  } else if (account->user.disabled) {
    reason = "disabled";
  } else if (!password_ok) {
    reason = "bad_password";
  }

  boost::json::object details;
  details["username"] = shown_name;
  details["client"] = client;
  const std::string object =
      account.has_value() ? UserObject(account->user.id) : "";

  if (!reason.empty()) {
    if (absl::Status run = db_.Run(
            db::TxMode::kWrite,
            [&](db::Transaction& tx) -> absl::Status {
              boost::json::object d = details;
              d["reason"] = reason;
              if (reason == "bad_password") {
                JISR_ASSIGN_OR_RETURN(
                    std::optional<db::Row> row,
                    tx.QueryOptional(
                        "UPDATE users SET "
                        "failed_logins = CASE WHEN failed_logins + 1 >= $1 "
                        "THEN 0 "
                        "ELSE failed_logins + 1 END, "
                        "locked_until = CASE WHEN failed_logins + 1 >= $1 THEN "
                        "$2 "
                        "ELSE locked_until END "
                        "WHERE id = $3 RETURNING failed_logins, locked_until",
                        {int64_t{options_.max_failed_logins},
                         ToUnixMillis(now + options_.lockout),
                         account->user.id}));
                if (row.has_value()) {
                  d["failed_logins"] = row->GetInt(0);
                  if (std::optional<int64_t> until = row->GetOptionalInt(1);
                      until.has_value() && FromUnixMillis(*until) > now) {
                    d["locked_until"] = FormatRfc3339(FromUnixMillis(*until));
                  }
                }
              }
              return audit_
                  .Append(tx, MakeEntry(std::string(kAnonymous), kLoginAction,
                                        object, "", AuditOutcome::kFailure, d))
                  .status();
            });
        !run.ok()) {
      return run;
    }
    return LoginFailed();
  }

  // Success so far. Upgrade the hash (outside the transaction: it is slow)
  // when the configured limits changed since it was made.
  std::optional<std::string> new_hash;
  if (PasswordNeedsRehash(account->password_hash, options_.password)) {
    absl::StatusOr<std::string> rehashed =
        HashPassword(password, options_.password);
    if (rehashed.ok()) new_hash = *std::move(rehashed);
  }
  LoginResult result;
  result.token = ToBase64Url(RandomBytes(kTokenBytes));
  result.expires_at = now + options_.ttl;
  const std::string token_hash = SessionTokenHash(result.token);
  bool raced = false;
  if (absl::Status run = db_.Run(
          db::TxMode::kWrite,
          [&](db::Transaction& tx) -> absl::Status {
            raced = false;
            // The account may have changed since it was read (password reset,
            // disabled, locked by concurrent failures): then this login fails.
            JISR_ASSIGN_OR_RETURN(std::optional<Account> current,
                                  ReadAccount(tx, "id", account->user.id));
            if (!current.has_value() ||
                current->password_hash != account->password_hash ||
                current->user.disabled || IsLocked(current->user, now)) {
              raced = true;
              boost::json::object d = details;
              d["reason"] = "account_changed";
              return audit_
                  .Append(tx, MakeEntry(std::string(kAnonymous), kLoginAction,
                                        object, "", AuditOutcome::kFailure, d))
                  .status();
            }
            result.user = current->user;
            const int64_t now_ms = ToUnixMillis(now);
            JISR_RETURN_IF_ERROR(
                tx.Execute("UPDATE users SET failed_logins = 0, locked_until = "
                           "NULL, "
                           "password_hash = $1 WHERE id = $2",
                           {new_hash.value_or(current->password_hash),
                            current->user.id})
                    .status());
            result.user.failed_logins = 0;
            result.user.locked_until.reset();
            JISR_RETURN_IF_ERROR(tx.Execute("DELETE FROM sessions WHERE "
                                            "user_id = $1 AND expires_at <= $2",
                                            {current->user.id, now_ms})
                                     .status());
            JISR_RETURN_IF_ERROR(
                tx.Execute("INSERT INTO sessions (token_hash, user_id, "
                           "created_at, expires_at, "
                           "last_seen_at, client_info) VALUES ($1, $2, $3, $4, "
                           "$3, $5)",
                           {token_hash, current->user.id, now_ms,
                            ToUnixMillis(result.expires_at), client})
                    .status());
            boost::json::object d = details;
            d["session"] = SessionRef(token_hash);
            d["expires_at"] = FormatRfc3339(result.expires_at);
            if (new_hash.has_value()) d["password_rehashed"] = true;
            return audit_
                .Append(tx, MakeEntry(UserActor(current->user.id,
                                                current->user.username),
                                      kLoginAction, object, "",
                                      AuditOutcome::kSuccess, d))
                .status();
          });
      !run.ok()) {
    return run;
  }
  if (raced) return LoginFailed();
  return result;
}

absl::StatusOr<Principal> SessionService::Authenticate(std::string_view token) {
  if (!IsWellFormedToken(token)) return BadSession();
  const std::string token_hash = SessionTokenHash(token);
  const absl::Time now = clock_.Now();
  Principal principal;
  absl::Time last_seen;
  bool found = false;
  if (absl::Status run = db_.Run(
          db::TxMode::kRead,
          [&](db::Transaction& tx) -> absl::Status {
            JISR_ASSIGN_OR_RETURN(
                std::optional<db::Row> row,
                tx.QueryOptional(
                    "SELECT u.id, u.username, u.display_name, u.role, "
                    "s.last_seen_at "
                    "FROM sessions s JOIN users u ON u.id = s.user_id "
                    "WHERE s.token_hash = $1 AND s.expires_at > $2 AND "
                    "u.disabled = 0",
                    {token_hash, ToUnixMillis(now)}));
            found = row.has_value();
            if (!found) return absl::OkStatus();
            std::optional<Role> role = RoleFromName(row->GetText(3));
            if (!role.has_value()) {
              return absl::DataLossError(
                  fmt::format("user {} has an unknown role", row->GetText(0)));
            }
            principal = Principal::ForUser(row->GetText(0), row->GetText(1),
                                           row->GetText(2), *role);
            last_seen = FromUnixMillis(row->GetInt(4));
            return absl::OkStatus();
          });
      !run.ok()) {
    return run;
  }
  if (!found) return BadSession();
  if (now - last_seen >= options_.last_seen_resolution) {
    // Best effort: a busy store must not fail the request.
    absl::Status s = db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return tx
          .Execute(
              "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 "
              "AND last_seen_at < $1",
              {ToUnixMillis(now), token_hash})
          .status();
    });
    if (!s.ok())
      spdlog::warn("could not record session activity: {}", s.ToString());
  }
  return principal;
}

absl::Status SessionService::Logout(std::string_view token) {
  if (!IsWellFormedToken(token)) return BadSession();
  const std::string token_hash = SessionTokenHash(token);
  bool found = false;
  if (absl::Status run = db_.Run(
          db::TxMode::kWrite,
          [&](db::Transaction& tx) -> absl::Status {
            JISR_ASSIGN_OR_RETURN(
                std::optional<db::Row> row,
                tx.QueryOptional(
                    "SELECT u.id, u.username FROM sessions s JOIN users u "
                    "ON u.id = s.user_id WHERE s.token_hash = $1",
                    {token_hash}));
            found = row.has_value();
            if (!found) return absl::OkStatus();
            JISR_RETURN_IF_ERROR(
                tx.Execute("DELETE FROM sessions WHERE token_hash = $1",
                           {token_hash})
                    .status());
            boost::json::object details;
            details["session"] = SessionRef(token_hash);
            return audit_
                .Append(tx,
                        MakeEntry(UserActor(row->GetText(0), row->GetText(1)),
                                  kLogoutAction, UserObject(row->GetText(0)),
                                  "", AuditOutcome::kSuccess, details))
                .status();
          });
      !run.ok()) {
    return run;
  }
  if (!found) return BadSession();
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SessionService::PurgeExpired() {
  int64_t purged = 0;
  if (absl::Status run = db_.Run(
          db::TxMode::kWrite,
          [&](db::Transaction& tx) -> absl::Status {
            JISR_ASSIGN_OR_RETURN(
                purged,
                tx.Execute("DELETE FROM sessions WHERE expires_at <= $1",
                           {ToUnixMillis(clock_.Now())}));
            if (purged == 0) return absl::OkStatus();
            boost::json::object details;
            details["count"] = purged;
            return audit_
                .Append(tx, MakeEntry(Principal::System().Actor(), kPurgeAction,
                                      "session", "", AuditOutcome::kSuccess,
                                      details))
                .status();
          });
      !run.ok()) {
    return run;
  }
  return purged;
}

}  // namespace jisr::security
