#include "assistance/assistance_routes.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "api/problem.h"
#include "api/request_helpers.h"
#include "assistance/assistance.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::assistance {
namespace {

using http::Method;
using http::Request;
using http::Response;
using security::Principal;

using api::Body;
using api::IntParam;
using api::Purpose;
using api::Wrap;

absl::StatusOr<Principal> Authenticate(const AssistanceRoutesContext& ctx,
                                       Request& req) {
  return api::Authenticate(*ctx.sessions, req);
}

std::string PathId(const Request& req) {
  return std::string(req.PathParam("id").value_or(""));
}

std::string_view Agency(const AssistanceRoutesContext& ctx) {
  return ctx.assistance->options().agency;
}

absl::Time Now(const AssistanceRoutesContext& ctx) {
  return ctx.assistance->clock().Now();
}

template <typename E>
absl::StatusOr<std::optional<E>> EnumParam(
    const Request& req, std::string_view name,
    std::optional<E> (*parse)(std::string_view),
    std::span<const std::string_view> allowed) {
  const std::optional<std::string_view> text = req.Query(name);
  if (!text || text->empty()) return std::optional<E>();
  std::optional<E> v = parse(*text);
  if (!v) {
    return InvalidField(name, fmt::format("{} must be one of: {}", name,
                                          fmt::join(allowed, ", ")));
  }
  return v;
}

absl::StatusOr<std::optional<bool>> BoolParam(const Request& req,
                                              std::string_view name) {
  const std::optional<std::string_view> text = req.Query(name);
  if (!text || text->empty()) return std::optional<bool>();
  if (*text == "true" || *text == "1") return std::optional<bool>(true);
  if (*text == "false" || *text == "0") return std::optional<bool>(false);
  return InvalidField(name, fmt::format("{} must be true or false", name));
}

// An RFC 3339 time or a day YYYY-MM-DD (its start, UTC).
absl::StatusOr<std::optional<absl::Time>> TimeParam(const Request& req,
                                                    std::string_view name) {
  const std::optional<std::string_view> text = req.Query(name);
  if (!text || text->empty()) return std::optional<absl::Time>();
  if (text->size() == 10) {
    absl::CivilDay day;
    if (absl::ParseCivilTime(ToAbsl(*text), &day)) {
      return std::optional<absl::Time>(
          absl::FromCivil(day, absl::UTCTimeZone()));
    }
  } else if (text->size() <= 64) {
    absl::StatusOr<absl::Time> t = ParseRfc3339(*text);
    if (t.ok()) return std::optional<absl::Time>(*t);
  }
  return InvalidField(
      name,
      fmt::format("{} must be a day (2026-01-31) or an RFC 3339 time", name));
}

Response RequestResponse(const AssistanceRoutesContext& ctx, int status,
                         const AssistanceRequest& r) {
  return http::JsonResponse(status, RequestToJson(r, Agency(ctx), Now(ctx)));
}

absl::StatusOr<Response> CreateRoute(const AssistanceRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JISR_ASSIGN_OR_RETURN(RequestContent content, ContentFromJson(body));
  JISR_ASSIGN_OR_RETURN(AssistanceRequest r,
                        ctx.assistance->Create(who, content, purpose));
  Response resp = RequestResponse(ctx, 201, r);
  resp.AddHeader("Location",
                 fmt::format("/api/v1/assistance-requests/{}", r.id));
  return resp;
}

absl::StatusOr<Response> ListRoute(const AssistanceRoutesContext& ctx,
                                   Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  RequestQuery query;
  JISR_ASSIGN_OR_RETURN(
      query.state,
      EnumParam<RequestState>(req, "state", &StateFromName, StateNames()));
  static constexpr std::string_view kDirections[] = {"outgoing", "incoming"};
  JISR_ASSIGN_OR_RETURN(
      query.direction,
      EnumParam<Direction>(req, "direction", &DirectionFromName, kDirections));
  JISR_ASSIGN_OR_RETURN(query.overdue, BoolParam(req, "overdue"));
  JISR_ASSIGN_OR_RETURN(query.open, BoolParam(req, "open"));
  if (std::optional<std::string_view> partner = req.Query("partner");
      partner && !partner->empty()) {
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(*partner, "partner"));
    query.partner = std::string(*partner);
  }
  static constexpr std::string_view kSorts[] = {"newest", "deadline"};
  JISR_ASSIGN_OR_RETURN(
      std::optional<SortOrder> sort,
      EnumParam<SortOrder>(req, "sort", &SortOrderFromName, kSorts));
  query.sort = sort.value_or(SortOrder::kNewest);
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> page,
                        IntParam(req, "page", 1, 1000000));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size,
                        IntParam(req, "page_size", 1, kMaxPageSize));
  query.page = page.value_or(1);
  query.page_size = size.value_or(50);
  JISR_ASSIGN_OR_RETURN(RequestPage result,
                        ctx.assistance->List(who, query, purpose));
  const absl::Time now = Now(ctx);
  boost::json::array requests;
  for (const AssistanceRequest& r : result.requests) {
    requests.push_back(RequestSummaryJson(r, Agency(ctx), now));
  }
  const DueCounts& c = result.counts;
  boost::json::object out;
  out["requests"] = std::move(requests);
  out["page"] = result.page;
  out["page_size"] = result.page_size;
  out["total"] = result.total;
  out["counts"] = boost::json::object{
      {"incoming", boost::json::object{{"open", c.open_incoming},
                                       {"overdue", c.overdue_incoming},
                                       {"warning", c.warning_incoming}}},
      {"outgoing", boost::json::object{{"open", c.open_outgoing},
                                       {"overdue", c.overdue_outgoing},
                                       {"warning", c.warning_outgoing}}}};
  return http::JsonResponse(200, out);
}

absl::StatusOr<Response> GetRoute(const AssistanceRoutesContext& ctx,
                                  Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(AssistanceRequest r,
                        ctx.assistance->Get(who, PathId(req), purpose));
  return RequestResponse(ctx, 200, r);
}

// Every transition: {version, <its members>}.
template <Transition kTransition>
absl::StatusOr<Response> TransitionRoute(const AssistanceRoutesContext& ctx,
                                         Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(const int64_t version, r.RequiredInt("version"));
  std::string text;
  std::optional<RefusalReason> reason;
  switch (kTransition) {
    case Transition::kAnswer: {
      JISR_ASSIGN_OR_RETURN(text, r.RequiredString("answer", kMaxTextBytes));
      break;
    }
    case Transition::kRefuse: {
      JISR_ASSIGN_OR_RETURN(const std::string name,
                            r.RequiredEnum("reason", RefusalReasonNames()));
      reason = RefusalReasonFromName(name);
      JISR_ASSIGN_OR_RETURN(std::optional<std::string> t,
                            r.OptionalString("text", kMaxTextBytes));
      text = t.value_or("");
      break;
    }
    case Transition::kRequestClarification: {
      JISR_ASSIGN_OR_RETURN(text, r.RequiredString("question", kMaxTextBytes));
      break;
    }
    case Transition::kClarify: {
      JISR_ASSIGN_OR_RETURN(text,
                            r.RequiredString("clarification", kMaxTextBytes));
      break;
    }
    case Transition::kClose: {
      JISR_ASSIGN_OR_RETURN(std::optional<std::string> t,
                            r.OptionalString("note", kMaxReasonBytes));
      text = t.value_or("");
      break;
    }
    default:
      break;
  }
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  AssistanceService& s = *ctx.assistance;
  const std::string id = PathId(req);
  absl::StatusOr<AssistanceRequest> result;
  switch (kTransition) {
    case Transition::kStart:
      result = s.Start(who, id, version, purpose);
      break;
    case Transition::kAnswer:
      result = s.Answer(who, id, version, text, purpose);
      break;
    case Transition::kRefuse:
      result = s.Refuse(who, id, version, *reason, text, purpose);
      break;
    case Transition::kRequestClarification:
      result = s.RequestClarification(who, id, version, text, purpose);
      break;
    case Transition::kClarify:
      result = s.Clarify(who, id, version, text, purpose);
      break;
    case Transition::kClose:
      result = s.Close(who, id, version, text, purpose);
      break;
    default:
      return absl::InternalError("no such transition route");
  }
  if (!result.ok()) return result.status();
  return RequestResponse(ctx, 200, *result);
}

absl::StatusOr<Response> StatsRoute(const AssistanceRoutesContext& ctx,
                                    Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(std::optional<absl::Time> from, TimeParam(req, "from"));
  JISR_ASSIGN_OR_RETURN(std::optional<absl::Time> to, TimeParam(req, "to"));
  const absl::Time end = to.value_or(Now(ctx));
  const absl::Time start = from.value_or(end - absl::Hours(24 * 365));
  JISR_ASSIGN_OR_RETURN(StatsReport report,
                        ctx.assistance->Stats(who, start, end, purpose));
  return http::JsonResponse(200, StatsToJson(report));
}

}  // namespace

absl::Status AddAssistanceRoutes(http::Router& router,
                                 const AssistanceRoutesContext& context) {
  const AssistanceRoutesContext* ctx = &context;
  struct Entry {
    Method method;
    std::string_view pattern;
    std::string_view name;
    absl::StatusOr<Response> (*fn)(const AssistanceRoutesContext&, Request&);
  };
  static constexpr Entry kRoutes[] = {
      {Method::kPost, "/api/v1/assistance-requests", "assistance.create",
       &CreateRoute},
      {Method::kGet, "/api/v1/assistance-requests", "assistance.list",
       &ListRoute},
      {Method::kGet, "/api/v1/assistance-requests/{id}", "assistance.get",
       &GetRoute},
      {Method::kPost, "/api/v1/assistance-requests/{id}/accept",
       "assistance.accept", &TransitionRoute<Transition::kStart>},
      {Method::kPost, "/api/v1/assistance-requests/{id}/answer",
       "assistance.answer", &TransitionRoute<Transition::kAnswer>},
      {Method::kPost, "/api/v1/assistance-requests/{id}/refuse",
       "assistance.refuse", &TransitionRoute<Transition::kRefuse>},
      {Method::kPost, "/api/v1/assistance-requests/{id}/request-clarification",
       "assistance.request_clarification",
       &TransitionRoute<Transition::kRequestClarification>},
      {Method::kPost, "/api/v1/assistance-requests/{id}/clarify",
       "assistance.clarify", &TransitionRoute<Transition::kClarify>},
      {Method::kPost, "/api/v1/assistance-requests/{id}/close",
       "assistance.close", &TransitionRoute<Transition::kClose>},
      {Method::kGet, "/api/v1/assistance/stats", "assistance.stats",
       &StatsRoute},
  };
  for (const Entry& e : kRoutes) {
    JISR_RETURN_IF_ERROR(router.Add(
        e.method, e.pattern, e.name,
        Wrap([ctx, fn = e.fn](Request& req) { return fn(*ctx, req); })));
  }
  return absl::OkStatus();
}

}  // namespace jisr::assistance
