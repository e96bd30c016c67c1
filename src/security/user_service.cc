#include "security/user_service.h"

#include <fmt/format.h>

#include <utility>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "security/service_util.h"

namespace jisr::security {

using audit::AuditOutcome;
using internal::AuthorizeAudited;
using internal::MakeEntry;
using internal::RecordFailure;

namespace {

constexpr size_t kMinUsername = 3;
constexpr size_t kMaxUsername = 64;
constexpr size_t kMaxDisplayName = 200;

std::string UserObject(std::string_view id) {
  return fmt::format("user/{}", id);
}

absl::Status CheckUserId(std::string_view id) {
  if (!IsUuid(id))
    return InvalidField("id", "the user id must be a lower-case UUID");
  return absl::OkStatus();
}

boost::json::object Change(const boost::json::value& from,
                           const boost::json::value& to) {
  boost::json::object o;
  o["from"] = from;
  o["to"] = to;
  return o;
}

}  // namespace

Principal User::AsPrincipal() const {
  return Principal::ForUser(id, username, display_name, role);
}

boost::json::object UserToJson(const User& user) {
  boost::json::object o;
  o["id"] = user.id;
  o["username"] = user.username;
  o["display_name"] = user.display_name;
  o["role"] = RoleName(user.role);
  o["disabled"] = user.disabled;
  if (user.locked_until.has_value()) {
    o["locked_until"] = FormatRfc3339(*user.locked_until);
  } else {
    o["locked_until"] = nullptr;
  }
  o["created_at"] = FormatRfc3339(user.created_at);
  o["updated_at"] = FormatRfc3339(user.updated_at);
  return o;
}

absl::StatusOr<std::string> NormalizeUsername(std::string_view username) {
  if (username.size() < kMinUsername || username.size() > kMaxUsername) {
    return InvalidField("username",
                        fmt::format("the username must be {} to {} characters",
                                    kMinUsername, kMaxUsername));
  }
  std::string out;
  out.reserve(username.size());
  for (char c : username) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      return InvalidField(
          "username",
          "the username may hold only letters a-z, digits and . _ -");
    }
    out.push_back(c);
  }
  return out;
}

absl::StatusOr<std::string> NormalizeDisplayName(std::string_view name) {
  const size_t first = name.find_first_not_of(' ');
  const size_t last = name.find_last_not_of(' ');
  name = first == std::string_view::npos ? std::string_view()
                                         : name.substr(first, last - first + 1);
  if (name.empty())
    return InvalidField("display_name", "the display name must not be empty");
  if (name.size() > kMaxDisplayName) {
    return InvalidField("display_name",
                        fmt::format("the display name must be at most {} bytes",
                                    kMaxDisplayName));
  }
  if (!internal::IsCleanText(name, /*allow_newlines=*/false)) {
    return InvalidField(
        "display_name",
        "the display name must be valid UTF-8 without control characters");
  }
  return std::string(name);
}

UserService::UserService(db::Database& db, const audit::AuditLog& audit,
                         const Clock& clock, UserServiceOptions options)
    : db_(db), audit_(audit), clock_(clock), options_(std::move(options)) {}

absl::StatusOr<User> UserService::Create(const Principal& who,
                                         const NewUser& user,
                                         std::string_view purpose) {
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, Action::kUserCreate, "user", purpose));
  absl::StatusOr<User> created = DoCreate(who, user, purpose);
  if (!created.ok()) {
    boost::json::object details;
    details["username"] = internal::SanitizeText(user.username, kMaxUsername);
    return RecordFailure(db_, audit_, who, ActionName(Action::kUserCreate),
                         "user", purpose, created.status(), std::move(details));
  }
  return created;
}

absl::StatusOr<User> UserService::DoCreate(const Principal& who,
                                           const NewUser& input,
                                           std::string_view purpose) {
  User user;
  JISR_ASSIGN_OR_RETURN(user.username, NormalizeUsername(input.username));
  JISR_ASSIGN_OR_RETURN(user.display_name,
                        NormalizeDisplayName(input.display_name));
  JISR_ASSIGN_OR_RETURN(std::string hash,
                        HashPassword(input.password, options_.password));
  const absl::Time now = TruncateToMillis(clock_.Now());
  user.id = NewUuidV7(now);
  user.role = input.role;
  user.created_at = user.updated_at = user.password_changed_at = now;

  if (absl::Status run = db_.Run(
          db::TxMode::kWrite,
          [&](db::Transaction& tx) -> absl::Status {
            const int64_t ms = ToUnixMillis(now);
            absl::StatusOr<int64_t> inserted = tx.Execute(
                "INSERT INTO users (id, username, display_name, role, "
                "password_hash, disabled, "
                "failed_logins, locked_until, created_at, updated_at, "
                "password_changed_at) "
                "VALUES ($1, $2, $3, $4, $5, 0, 0, NULL, $6, $6, $6)",
                {user.id, user.username, user.display_name,
                 std::string(RoleName(user.role)), hash, ms});
            if (inserted.status().code() == absl::StatusCode::kAlreadyExists) {
              return WithField(
                  absl::AlreadyExistsError(fmt::format(
                      "the username '{}' is already taken", user.username)),
                  "username");
            }
            JISR_RETURN_IF_ERROR(inserted.status());
            boost::json::object details;
            details["username"] = user.username;
            details["display_name"] = user.display_name;
            details["role"] = RoleName(user.role);
            return audit_
                .Append(tx,
                        MakeEntry(who.Actor(), ActionName(Action::kUserCreate),
                                  UserObject(user.id), purpose,
                                  AuditOutcome::kSuccess, details))
                .status();
          });
      !run.ok()) {
    return run;
  }
  return user;
}

absl::StatusOr<User> UserService::Get(const Principal& who, std::string_view id,
                                      std::string_view purpose) {
  const std::string object = UserObject(internal::SanitizeText(id, 64));
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, Action::kUserRead, object, purpose));
  User user;
  absl::Status status = CheckUserId(id);
  if (status.ok()) {
    status =
        db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(
              std::optional<db::Row> row,
              tx.QueryOptional(fmt::format("SELECT {} FROM users WHERE id = $1",
                                           internal::kUserColumns),
                               {std::string(id)}));
          if (!row.has_value())
            return absl::NotFoundError(fmt::format("no user with id {}", id));
          JISR_ASSIGN_OR_RETURN(user, internal::UserFromRow(*row));
          return audit_
              .Append(tx,
                      MakeEntry(who.Actor(), ActionName(Action::kUserRead),
                                object, purpose, AuditOutcome::kSuccess, {}))
              .status();
        });
  }
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(Action::kUserRead),
                         object, purpose, status);
  }
  return user;
}

absl::StatusOr<UserPage> UserService::List(const Principal& who,
                                           const UserListOptions& options,
                                           std::string_view purpose) {
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, Action::kUserList, "user", purpose));
  UserPage page;
  absl::Status status;
  if (options.limit < 1 || options.limit > 500) {
    status = InvalidField("limit", "limit must be between 1 and 500");
  } else if (options.after.has_value() &&
             (options.after->size() > kMaxUsername ||
              !internal::IsCleanText(*options.after, false))) {
    status = InvalidField("after", "after must be a username");
  }
  if (status.ok()) {
    status =
        db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          page = UserPage();
          JISR_ASSIGN_OR_RETURN(
              std::vector<db::Row> rows,
              tx.Query(
                  fmt::format("SELECT {} FROM users WHERE username > $1 ORDER "
                              "BY username "
                              "LIMIT $2",
                              internal::kUserColumns),
                  {options.after.value_or(""), int64_t{options.limit} + 1}));
          for (const db::Row& row : rows) {
            if (page.users.size() == static_cast<size_t>(options.limit)) {
              page.next_after = page.users.back().username;
              break;
            }
            JISR_ASSIGN_OR_RETURN(User user, internal::UserFromRow(row));
            page.users.push_back(std::move(user));
          }
          boost::json::object details;
          details["count"] = static_cast<int64_t>(page.users.size());
          if (options.after.has_value()) details["after"] = *options.after;
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(Action::kUserList),
                                    "user", purpose, AuditOutcome::kSuccess,
                                    details))
              .status();
        });
  }
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(Action::kUserList),
                         "user", purpose, status);
  }
  return page;
}

absl::StatusOr<User> UserService::Update(const Principal& who,
                                         std::string_view id,
                                         const UserUpdate& update,
                                         std::string_view purpose) {
  const std::string object = UserObject(internal::SanitizeText(id, 64));
  const bool changes_profile =
      update.display_name.has_value() || update.role.has_value();
  const bool changes_disabled = update.disabled.has_value();
  const Action action = changes_disabled && !changes_profile
                            ? Action::kUserDisable
                            : Action::kUserUpdate;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  if (changes_disabled && changes_profile) {
    JISR_RETURN_IF_ERROR(AuthorizeAudited(
        db_, audit_, who, Action::kUserDisable, object, purpose));
  }
  absl::StatusOr<User> updated =
      DoUpdate(who, id, update, ActionName(action), purpose);
  if (!updated.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         updated.status());
  }
  return updated;
}

absl::StatusOr<User> UserService::DoUpdate(const Principal& who,
                                           std::string_view id,
                                           const UserUpdate& update,
                                           std::string_view action,
                                           std::string_view purpose) {
  JISR_RETURN_IF_ERROR(CheckUserId(id));
  if (!update.display_name.has_value() && !update.role.has_value() &&
      !update.disabled.has_value()) {
    return absl::InvalidArgumentError("the update names no field to change");
  }
  std::optional<std::string> display_name;
  if (update.display_name.has_value()) {
    JISR_ASSIGN_OR_RETURN(display_name,
                          NormalizeDisplayName(*update.display_name));
  }
  const bool self = who.kind == Principal::Kind::kUser && who.user_id == id;
  if (self && update.disabled == true) {
    return absl::FailedPreconditionError("you cannot disable your own account");
  }

  User user;
  if (absl::Status run = db_.Run(
          db::TxMode::kWrite,
          [&](db::Transaction& tx) -> absl::Status {
            JISR_ASSIGN_OR_RETURN(
                std::optional<db::Row> row,
                tx.QueryOptional(
                    fmt::format("SELECT {} FROM users WHERE id = $1",
                                internal::kUserColumns),
                    {std::string(id)}));
            if (!row.has_value())
              return absl::NotFoundError(fmt::format("no user with id {}", id));
            JISR_ASSIGN_OR_RETURN(user, internal::UserFromRow(*row));
            const User before = user;
            if (display_name.has_value()) user.display_name = *display_name;
            if (update.role.has_value()) user.role = *update.role;
            if (update.disabled.has_value()) user.disabled = *update.disabled;

            const bool was_admin =
                before.role == Role::kAdmin && !before.disabled;
            const bool is_admin = user.role == Role::kAdmin && !user.disabled;
            if (self && before.role == Role::kAdmin &&
                user.role != Role::kAdmin) {
              return absl::FailedPreconditionError(
                  "you cannot remove your own admin role");
            }
            if (was_admin && !is_admin) {
              JISR_ASSIGN_OR_RETURN(
                  std::optional<db::Row> count,
                  tx.QueryOptional("SELECT COUNT(*) FROM users WHERE role = "
                                   "'admin' AND disabled = 0"));
              if (!count.has_value() || count->GetInt(0) <= 1) {
                return absl::FailedPreconditionError(
                    "this is the last enabled admin: the node must keep at "
                    "least one");
              }
            }

            boost::json::object changes;
            if (user.display_name != before.display_name) {
              changes["display_name"] =
                  Change(boost::json::value(before.display_name),
                         boost::json::value(user.display_name));
            }
            if (user.role != before.role) {
              changes["role"] =
                  Change(boost::json::value(RoleName(before.role)),
                         boost::json::value(RoleName(user.role)));
            }
            if (user.disabled != before.disabled) {
              changes["disabled"] = Change(boost::json::value(before.disabled),
                                           boost::json::value(user.disabled));
            }
            int64_t sessions_ended = 0;
            if (!changes.empty()) {
              user.updated_at = TruncateToMillis(clock_.Now());
              JISR_RETURN_IF_ERROR(
                  tx.Execute(
                        "UPDATE users SET display_name = $1, role = $2, "
                        "disabled = $3, "
                        "updated_at = $4 WHERE id = $5",
                        {user.display_name, std::string(RoleName(user.role)),
                         int64_t{user.disabled ? 1 : 0},
                         ToUnixMillis(user.updated_at), user.id})
                      .status());
              if (user.disabled && !before.disabled) {
                JISR_ASSIGN_OR_RETURN(
                    sessions_ended,
                    tx.Execute("DELETE FROM sessions WHERE user_id = $1",
                               {user.id}));
              }
            }
            boost::json::object details;
            details["changes"] = std::move(changes);
            if (sessions_ended > 0) details["sessions_ended"] = sessions_ended;
            return audit_
                .Append(tx, MakeEntry(who.Actor(), action, UserObject(user.id),
                                      purpose, AuditOutcome::kSuccess, details))
                .status();
          });
      !run.ok()) {
    return run;
  }
  return user;
}

absl::StatusOr<User> UserService::ResetPassword(const Principal& who,
                                                std::string_view id,
                                                std::string_view new_password,
                                                std::string_view purpose) {
  const std::string object = UserObject(internal::SanitizeText(id, 64));
  const Action action = Action::kUserResetPassword;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, object, purpose));
  User user;
  absl::Status status = [&]() -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUserId(id));
    JISR_ASSIGN_OR_RETURN(std::string hash,
                          HashPassword(new_password, options_.password));
    return db_.Run(
        db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          const int64_t now = ToUnixMillis(clock_.Now());
          JISR_ASSIGN_OR_RETURN(
              std::optional<db::Row> row,
              tx.QueryOptional(
                  fmt::format(
                      "UPDATE users SET password_hash = $1, "
                      "password_changed_at = $2, updated_at = $2, "
                      "failed_logins = 0, locked_until = NULL WHERE id = $3 "
                      "RETURNING {}",
                      internal::kUserColumns),
                  {hash, now, std::string(id)}));
          if (!row.has_value())
            return absl::NotFoundError(fmt::format("no user with id {}", id));
          JISR_ASSIGN_OR_RETURN(user, internal::UserFromRow(*row));
          JISR_ASSIGN_OR_RETURN(
              int64_t ended,
              tx.Execute("DELETE FROM sessions WHERE user_id = $1", {user.id}));
          boost::json::object details;
          if (ended > 0) details["sessions_ended"] = ended;
          return audit_
              .Append(tx, MakeEntry(who.Actor(), ActionName(action), object,
                                    purpose, AuditOutcome::kSuccess, details))
              .status();
        });
  }();
  if (!status.ok()) {
    return RecordFailure(db_, audit_, who, ActionName(action), object, purpose,
                         status);
  }
  return user;
}

absl::StatusOr<bool> UserService::HasEnabledAdmin() {
  bool found = false;
  if (absl::Status run =
          db_.Run(db::TxMode::kRead,
                  [&](db::Transaction& tx) -> absl::Status {
                    JISR_ASSIGN_OR_RETURN(
                        std::optional<db::Row> row,
                        tx.QueryOptional("SELECT id FROM users WHERE role = "
                                         "'admin' AND disabled = 0 LIMIT 1"));
                    found = row.has_value();
                    return absl::OkStatus();
                  });
      !run.ok()) {
    return run;
  }
  return found;
}

}  // namespace jisr::security
