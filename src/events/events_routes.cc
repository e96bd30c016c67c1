#include "events/events_routes.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>
#include <optional>
#include <string>

#include "api/problem.h"
#include "api/request_helpers.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::events {
namespace {

using api::Body;
using api::IntParam;
using api::Purpose;
using api::Wrap;
using http::Method;
using http::Request;
using http::Response;
using security::Principal;

using Ctx = EventRoutesContext;

std::string PathId(const Request& req) { return std::string(req.PathParam("id").value_or("")); }

absl::StatusOr<std::pair<int64_t, int64_t>> Paging(const Request& req) {
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> page, IntParam(req, "page", 1, 1000000));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size, IntParam(req, "page_size", 1, kMaxPageSize));
  return std::pair<int64_t, int64_t>(page.value_or(1), size.value_or(100));
}

Response Created(boost::json::object body, std::string location, int status = 201) {
  Response r = http::JsonResponse(status, body);
  r.AddHeader("Location", location);
  return r;
}

absl::StatusOr<Response> CreateEventRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JISR_ASSIGN_OR_RETURN(EventContent content,
                        EventContentFromJson(body, ctx.events->options().agency));
  JISR_ASSIGN_OR_RETURN(Event e, ctx.events->CreateEvent(who, content, purpose));
  return Created(EventToJson(e), fmt::format("/api/v1/events/{}", e.id));
}

absl::StatusOr<Response> UpdateEventRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  // {version, ...the content of a new event}.
  const boost::json::value* v = body.if_contains("version");
  if (v == nullptr || !v->is_int64() || v->get_int64() < 1) {
    return InvalidField("version", "version (the version you saw, an integer >= 1) is required");
  }
  const int64_t version = v->get_int64();
  body.erase("version");
  JISR_ASSIGN_OR_RETURN(EventContent content,
                        EventContentFromJson(body, ctx.events->options().agency));
  JISR_ASSIGN_OR_RETURN(
      Event e, ctx.events->UpdateEvent(who, api::PathParam(req, "id"), content, version, purpose));
  return http::JsonResponse(200, EventToJson(e));
}

absl::StatusOr<Response> ListEventsRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(auto paging, Paging(req));
  JISR_ASSIGN_OR_RETURN(std::vector<Event> list,
                        ctx.events->ListEvents(who, paging.first, paging.second, purpose));
  boost::json::array items;
  for (const Event& e : list) items.push_back(EventToJson(e));
  return http::JsonResponse(200, boost::json::object{{"events", std::move(items)},
                                                     {"page", paging.first},
                                                     {"page_size", paging.second}});
}

absl::StatusOr<Response> GetEventRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(Event e, ctx.events->GetEvent(who, PathId(req), purpose));
  return http::JsonResponse(200, EventToJson(e));
}

absl::StatusOr<Response> AddIncidentRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JISR_ASSIGN_OR_RETURN(IncidentContent content, IncidentContentFromJson(body));
  JISR_ASSIGN_OR_RETURN(Incident i, ctx.events->AddIncident(who, PathId(req), content, purpose));
  return Created(IncidentToJson(i), fmt::format("/api/v1/events/{}/incidents", i.event_id));
}

absl::StatusOr<Response> ListIncidentsRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(auto paging, Paging(req));
  std::optional<Severity> severity;
  if (std::optional<std::string_view> s = req.Query("severity"); s && !s->empty()) {
    severity = SeverityFromName(*s);
    if (!severity) {
      return InvalidField("severity", fmt::format("severity must be one of: {}",
                                                  fmt::join(SeverityNames(), ", ")));
    }
  }
  JISR_ASSIGN_OR_RETURN(std::vector<Incident> list,
                        ctx.events->ListIncidents(who, PathId(req), severity, paging.first,
                                                  paging.second, purpose));
  boost::json::array items;
  for (const Incident& i : list) items.push_back(IncidentToJson(i));
  return http::JsonResponse(200, boost::json::object{{"incidents", std::move(items)},
                                                     {"page", paging.first},
                                                     {"page_size", paging.second}});
}

absl::StatusOr<Response> IncidentLogStateRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(IncidentLogState state, ctx.events->GetIncidentLogState(who, PathId(req)));
  return http::JsonResponse(
      200, boost::json::object{{"count", state.count},
                               {"latest_stored_at",
                                state.latest_stored_at
                                    ? boost::json::value(FormatRfc3339(*state.latest_stored_at))
                                    : boost::json::value(nullptr)}});
}

absl::StatusOr<Response> AddDeploymentRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JISR_ASSIGN_OR_RETURN(DeploymentContent content,
                        DeploymentContentFromJson(body, ctx.events->options().agency));
  JISR_ASSIGN_OR_RETURN(Deployment d,
                        ctx.events->AddDeployment(who, PathId(req), content, purpose));
  return Created(DeploymentToJson(d), fmt::format("/api/v1/events/{}/deployments", d.event_id));
}

absl::StatusOr<Response> ListDeploymentsRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(std::vector<Deployment> list,
                        ctx.events->ListDeployments(who, PathId(req), purpose));
  boost::json::array items;
  for (const Deployment& d : list) items.push_back(DeploymentToJson(d));
  return http::JsonResponse(200, boost::json::object{{"deployments", std::move(items)}});
}

absl::StatusOr<Response> CreateCampaignRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  CampaignUpload upload;
  upload.name = std::string(req.Query("name").value_or(""));
  if (std::optional<std::string_view> t = req.Query("threshold")) {
    double v = -1;
    const auto [ptr, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
    if (ec != std::errc() || ptr != t->data() + t->size())
      return InvalidField("threshold", "threshold must be a number from 0 to 1");
    upload.threshold = v;
  }
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> top_k, IntParam(req, "top_k", 1, 100));
  if (top_k) upload.top_k = *top_k;
  if (std::optional<std::string_view> parts = req.Query("parts")) {
    if (*parts != "true" && *parts != "false")
      return InvalidField("parts", "parts must be true or false");
    upload.parts = *parts == "true";
  }
  if (!upload.parts && req.body().empty())
    return InvalidField("input", "the request body (the CSV) is empty");
  upload.csv = req.body();
  JISR_ASSIGN_OR_RETURN(Campaign c, ctx.events->CreateCampaign(who, PathId(req), upload, purpose));
  return Created(CampaignToJson(c), fmt::format("/api/v1/campaigns/{}", c.id),
                 upload.parts ? 201 : 202);
}

absl::StatusOr<Response> AddApplicantsRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  if (req.body().empty()) return InvalidField("input", "the request body (the CSV) is empty");
  JISR_ASSIGN_OR_RETURN(alerts::InputPart part,
                        ctx.events->AddApplicants(who, PathId(req), req.body(), purpose));
  return http::JsonResponse(200, boost::json::object{{"campaign_id", PathId(req)},
                                                     {"part", part.part},
                                                     {"added", part.added},
                                                     {"first_item", part.first_item},
                                                     {"total", part.total},
                                                     {"upload_expires_at",
                                                      FormatRfc3339(part.expires_at)}});
}

absl::StatusOr<Response> DiscardCampaignRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_RETURN_IF_ERROR(ctx.events->DiscardCampaign(who, PathId(req), purpose));
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

absl::StatusOr<Response> StartCampaignRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(Campaign c, ctx.events->StartCampaign(who, PathId(req), purpose));
  return http::JsonResponse(202, CampaignToJson(c));
}

absl::StatusOr<Response> ListCampaignsRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(std::vector<Campaign> list,
                        ctx.events->ListCampaigns(who, PathId(req), purpose));
  boost::json::array items;
  for (const Campaign& c : list) items.push_back(CampaignToJson(c));
  return http::JsonResponse(200, boost::json::object{{"campaigns", std::move(items)}});
}

absl::StatusOr<Response> GetCampaignRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(Campaign c, ctx.events->GetCampaign(who, PathId(req), purpose));
  return http::JsonResponse(200, CampaignToJson(c));
}

absl::StatusOr<Response> ListApplicantsRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(auto paging, Paging(req));
  std::optional<Decision> decision;
  if (std::optional<std::string_view> d = req.Query("decision"); d && !d->empty()) {
    decision = DecisionFromName(*d);
    if (!decision) {
      return InvalidField("decision", fmt::format("decision must be one of: {}",
                                                  fmt::join(DecisionNames(), ", ")));
    }
  }
  JISR_ASSIGN_OR_RETURN(ApplicantPage page,
                        ctx.events->ListApplicants(who, PathId(req), decision, paging.first,
                                                   paging.second, purpose));
  boost::json::array items;
  for (const Applicant& a : page.applicants) items.push_back(ApplicantToJson(a));
  return http::JsonResponse(200, boost::json::object{{"applicants", std::move(items)},
                                                     {"total", page.total},
                                                     {"page", page.page},
                                                     {"page_size", page.page_size}});
}

absl::StatusOr<Response> ReviewRoute(const Ctx& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  const std::string item_text(req.PathParam("item").value_or(""));
  int64_t item = -1;
  const auto [ptr, ec] =
      std::from_chars(item_text.data(), item_text.data() + item_text.size(), item);
  if (ec != std::errc() || ptr != item_text.data() + item_text.size() || item < 0)
    return InvalidField("item", "item must be a non-negative integer");
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  static constexpr std::string_view kVerbs[] = {"clear", "refer", "refuse"};
  JISR_ASSIGN_OR_RETURN(std::string verb, r.RequiredEnum("decision", kVerbs));
  JISR_ASSIGN_OR_RETURN(std::string reason, r.RequiredString("reason", 2000));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_ASSIGN_OR_RETURN(Applicant a, ctx.events->Review(who, PathId(req), item,
                                                        *DecisionFromVerb(verb), reason, purpose));
  return http::JsonResponse(200, ApplicantToJson(a));
}

}  // namespace

absl::Status AddEventRoutes(http::Router& router, const EventRoutesContext& context) {
  const Ctx* ctx = &context;
  struct Entry {
    Method method;
    std::string_view pattern;
    std::string_view name;
    absl::StatusOr<Response> (*fn)(const Ctx&, Request&);
  };
  static constexpr Entry kRoutes[] = {
      {Method::kPost, "/api/v1/events", "events.create", &CreateEventRoute},
      {Method::kGet, "/api/v1/events", "events.list", &ListEventsRoute},
      {Method::kGet, "/api/v1/events/{id}", "events.get", &GetEventRoute},
      {Method::kPut, "/api/v1/events/{id}", "events.update", &UpdateEventRoute},
      {Method::kPost, "/api/v1/events/{id}/incidents", "events.incident_add", &AddIncidentRoute},
      {Method::kGet, "/api/v1/events/{id}/incidents", "events.incident_list",
       &ListIncidentsRoute},
      {Method::kGet, "/api/v1/events/{id}/incidents/state", "events.incident_state",
       &IncidentLogStateRoute},
      {Method::kPost, "/api/v1/events/{id}/deployments", "events.deployment_add",
       &AddDeploymentRoute},
      {Method::kGet, "/api/v1/events/{id}/deployments", "events.deployment_list",
       &ListDeploymentsRoute},
      {Method::kPost, "/api/v1/events/{id}/campaigns", "events.campaign_create",
       &CreateCampaignRoute},
      {Method::kGet, "/api/v1/events/{id}/campaigns", "events.campaign_list",
       &ListCampaignsRoute},
      {Method::kGet, "/api/v1/campaigns/{id}", "campaigns.get", &GetCampaignRoute},
      {Method::kGet, "/api/v1/campaigns/{id}/applicants", "campaigns.applicants",
       &ListApplicantsRoute},
      {Method::kPost, "/api/v1/campaigns/{id}/applicants/{item}/review", "campaigns.review",
       &ReviewRoute},
      {Method::kPost, "/api/v1/campaigns/{id}/applicants", "campaigns.applicants_add",
       &AddApplicantsRoute},
      {Method::kPost, "/api/v1/campaigns/{id}/start", "campaigns.start", &StartCampaignRoute},
      {Method::kDelete, "/api/v1/campaigns/{id}", "campaigns.discard", &DiscardCampaignRoute},
  };
  for (const Entry& e : kRoutes) {
    JISR_RETURN_IF_ERROR(router.Add(e.method, e.pattern, e.name,
                                    Wrap([ctx, fn = e.fn](Request& req) { return fn(*ctx, req); })));
  }
  return absl::OkStatus();
}

}  // namespace jisr::events
