#include "api/routes.h"

#include <charconv>
#include <limits>
#include <optional>
#include <string>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "api/problem.h"
#include "api/request_helpers.h"
#include "common/json.h"
#include "common/status.h"
#include "security/password.h"
#include "security/policy.h"

namespace jisr::api {
namespace {

using http::Method;
using http::Request;
using http::Response;
using security::Principal;

constexpr std::string_view kRoleNames[] = {"admin", "supervisor", "officer", "analyst",
                                           "auditor"};

absl::StatusOr<std::optional<absl::Time>> TimeParam(const Request& req, std::string_view name) {
  const std::optional<std::string_view> text = req.Query(name);
  if (!text) return std::nullopt;
  absl::StatusOr<absl::Time> t = ParseRfc3339(*text);
  if (!t.ok()) {
    return InvalidField(name, fmt::format("{} must be an RFC 3339 time such as "
                                          "2026-01-31T08:00:00Z",
                                          name));
  }
  return *t;
}

std::optional<std::string> StringParam(const Request& req, std::string_view name) {
  const std::optional<std::string_view> v = req.Query(name);
  if (!v) return std::nullopt;
  return std::string(*v);
}

absl::StatusOr<Principal> Authenticate(const ApiContext& ctx, Request& req) {
  return api::Authenticate(*ctx.sessions, req);
}

boost::json::object MeToJson(const Principal& p, const ApiContext& ctx) {
  boost::json::object o;
  o["id"] = p.user_id;
  o["username"] = p.username;
  o["display_name"] = p.display_name;
  o["role"] = security::RoleName(p.role);
  if (const auto* code = ctx.agency.if_contains("code")) o["agency"] = *code;
  // What the policy table lets this role do, so that the web interface shows
  // only what the node will allow (the node still decides every request).
  boost::json::array permissions;
  for (security::Action action : security::AllActions()) {
    if (security::AllowedRoles(action).contains(p.role)) {
      permissions.emplace_back(security::ActionName(action));
    }
  }
  o["permissions"] = std::move(permissions);
  return o;
}

absl::StatusOr<security::Role> ParseRole(std::string_view name) {
  std::optional<security::Role> role = security::RoleFromName(name);
  if (!role) return InvalidField("role", "unknown role");
  return *role;
}

// ---- sessions -------------------------------------------------------------

absl::StatusOr<Response> Login(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(std::string username, r.RequiredString("username", 64));
  JISR_ASSIGN_OR_RETURN(std::string password, r.RequiredString("password", 256));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  std::string client = req.remote_address();
  if (auto ua = req.Header("User-Agent")) client += fmt::format(" {}", ua->substr(0, 200));
  JISR_ASSIGN_OR_RETURN(security::LoginResult login,
                        ctx.sessions->Login(username, password, client));
  req.set_user(login.user.username);
  boost::json::object out;
  out["token"] = login.token;
  out["expires_at"] = FormatRfc3339(login.expires_at);
  out["user"] = security::UserToJson(login.user);
  return http::JsonResponse(201, out);
}

absl::StatusOr<Response> Logout(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  (void)who;
  const std::string_view token = req.Header("Authorization")->substr(7);
  JISR_RETURN_IF_ERROR(ctx.sessions->Logout(token));
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

absl::StatusOr<Response> Me(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_RETURN_IF_ERROR(security::Authorize(who, security::Action::kSessionMe));
  return http::JsonResponse(200, MeToJson(who, ctx));
}

absl::StatusOr<Response> GetAgency(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_RETURN_IF_ERROR(security::Authorize(who, security::Action::kAgencyRead));
  return http::JsonResponse(200, ctx.agency);
}

// ---- users ----------------------------------------------------------------

absl::StatusOr<Response> ListUsers(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  security::UserListOptions options;
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> limit, IntParam(req, "limit", 1, 500));
  if (limit) options.limit = static_cast<int>(*limit);
  options.after = StringParam(req, "after");
  JISR_ASSIGN_OR_RETURN(security::UserPage page, ctx.users->List(who, options, purpose));
  boost::json::array users;
  for (const security::User& u : page.users) users.push_back(security::UserToJson(u));
  boost::json::object out;
  out["users"] = std::move(users);
  out["next_after"] = page.next_after ? boost::json::value(*page.next_after) : nullptr;
  return http::JsonResponse(200, out);
}

absl::StatusOr<Response> CreateUser(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  security::NewUser user;
  JISR_ASSIGN_OR_RETURN(user.username, r.RequiredString("username", 64));
  JISR_ASSIGN_OR_RETURN(user.display_name, r.RequiredString("display_name", 200));
  JISR_ASSIGN_OR_RETURN(std::string role, r.RequiredEnum("role", kRoleNames));
  JISR_ASSIGN_OR_RETURN(user.role, ParseRole(role));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> password, r.OptionalString("password", 256));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  user.password = password ? *password : security::GeneratePassword();
  JISR_ASSIGN_OR_RETURN(security::User created, ctx.users->Create(who, user, purpose));
  boost::json::object out;
  out["user"] = security::UserToJson(created);
  if (!password) out["initial_password"] = user.password;
  return http::JsonResponse(201, out);
}

absl::StatusOr<Response> GetUser(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(security::User user,
                        ctx.users->Get(who, *req.PathParam("id"), purpose));
  return http::JsonResponse(200, security::UserToJson(user));
}

absl::StatusOr<Response> UpdateUser(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  security::UserUpdate update;
  JISR_ASSIGN_OR_RETURN(update.display_name, r.OptionalString("display_name", 200));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> role, r.OptionalEnum("role", kRoleNames));
  if (role) {
    JISR_ASSIGN_OR_RETURN(update.role, ParseRole(*role));
  }
  JISR_ASSIGN_OR_RETURN(update.disabled, r.OptionalBool("disabled"));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_ASSIGN_OR_RETURN(security::User user,
                        ctx.users->Update(who, *req.PathParam("id"), update, purpose));
  return http::JsonResponse(200, security::UserToJson(user));
}

absl::StatusOr<Response> ResetPassword(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  std::optional<std::string> password;
  if (!req.body().empty()) {
    JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
    JsonObjectReader r(body);
    JISR_ASSIGN_OR_RETURN(password, r.OptionalString("password", 256));
    JISR_RETURN_IF_ERROR(r.RejectUnknown());
  }
  const std::string chosen = password ? *password : security::GeneratePassword();
  JISR_ASSIGN_OR_RETURN(security::User user,
                        ctx.users->ResetPassword(who, *req.PathParam("id"), chosen, purpose));
  boost::json::object out;
  out["user"] = security::UserToJson(user);
  if (!password) out["password"] = chosen;
  return http::JsonResponse(200, out);
}

// ---- audit ----------------------------------------------------------------

absl::StatusOr<Response> ListAudit(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  audit::AuditFilter filter;
  filter.actor = StringParam(req, "actor");
  filter.action = StringParam(req, "action");
  filter.object = StringParam(req, "object");
  JISR_ASSIGN_OR_RETURN(filter.from, TimeParam(req, "from"));
  JISR_ASSIGN_OR_RETURN(filter.to, TimeParam(req, "to"));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> limit,
                        IntParam(req, "limit", 1, audit::kMaxListLimit));
  if (limit) filter.limit = static_cast<int>(*limit);
  JISR_ASSIGN_OR_RETURN(filter.before_seq,
                        IntParam(req, "before_seq", 1, std::numeric_limits<int64_t>::max()));
  JISR_ASSIGN_OR_RETURN(audit::AuditPage page, ctx.audit_access->List(who, filter, purpose));
  boost::json::array entries;
  for (const audit::AuditEntry& e : page.entries) entries.push_back(audit::AuditEntryToJson(e));
  boost::json::object out;
  out["entries"] = std::move(entries);
  out["next_before_seq"] =
      page.next_before_seq ? boost::json::value(*page.next_before_seq) : nullptr;
  return http::JsonResponse(200, out);
}

absl::StatusOr<Response> VerifyAudit(const ApiContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(audit::VerifyResult result, ctx.audit_access->Verify(who, purpose));
  return http::JsonResponse(200, audit::VerifyResultToJson(result));
}

}  // namespace

absl::Status AddApiRoutes(http::Router& router, const ApiContext& context) {
  const ApiContext* ctx = &context;
  struct Entry {
    Method method;
    std::string_view pattern;
    std::string_view name;
    absl::StatusOr<Response> (*fn)(const ApiContext&, Request&);
  };
  static constexpr Entry kRoutes[] = {
      {Method::kPost, "/api/v1/session", "session.create", &Login},
      {Method::kDelete, "/api/v1/session", "session.delete", &Logout},
      {Method::kGet, "/api/v1/me", "me.get", &Me},
      {Method::kGet, "/api/v1/agency", "agency.get", &GetAgency},
      {Method::kGet, "/api/v1/users", "users.list", &ListUsers},
      {Method::kPost, "/api/v1/users", "users.create", &CreateUser},
      {Method::kGet, "/api/v1/users/{id}", "users.get", &GetUser},
      {Method::kPatch, "/api/v1/users/{id}", "users.update", &UpdateUser},
      {Method::kPost, "/api/v1/users/{id}/reset-password", "users.reset_password",
       &ResetPassword},
      {Method::kGet, "/api/v1/audit", "audit.list", &ListAudit},
      {Method::kGet, "/api/v1/audit/verify", "audit.verify", &VerifyAudit},
  };
  for (const Entry& e : kRoutes) {
    JISR_RETURN_IF_ERROR(router.Add(e.method, e.pattern, e.name,
                                    Wrap([ctx, fn = e.fn](Request& req) { return fn(*ctx, req); })));
  }
  return absl::OkStatus();
}

}  // namespace jisr::api
