#include "groups/groups_routes.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <string>

#include "api/problem.h"
#include "api/request_helpers.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::groups {
namespace {

using http::Method;
using http::Request;
using http::Response;
using security::Principal;

template <typename T, typename ToJsonFn>
Response PageResponse(std::string_view key, const Page<T>& page, int64_t number,
                      int64_t size, ToJsonFn to_json) {
  boost::json::array items;
  for (const T& t : page.items) items.push_back(to_json(t));
  return http::JsonResponse(
      200, boost::json::object{{std::string(key), std::move(items)},
                               {"page", number},
                               {"page_size", size},
                               {"total", page.total}});
}

boost::json::object PlanViewJson(const PlanView& v) {
  boost::json::object o = PlanToJson(v.plan);
  boost::json::array objectives, actions;
  for (const PlanItem& i : v.objectives) objectives.push_back(ItemToJson(i));
  for (const PlanItem& i : v.actions) actions.push_back(ItemToJson(i));
  o["objectives"] = std::move(objectives);
  o["actions"] = std::move(actions);
  return o;
}

// ---- groups

absl::StatusOr<Response> CreateGroupRoute(const GroupsRoutesContext& ctx,
                                          Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(WorkingGroup in,
                        GroupFromJson(body, JsonForm::kCreate));
  JISR_ASSIGN_OR_RETURN(WorkingGroup g,
                        ctx.groups->CreateGroup(c.who, in, c.purpose));
  return api::CreatedResponse(GroupToJson(g),
                              fmt::format("/api/v1/groups/{}", g.id));
}

absl::StatusOr<Response> ListGroupsRoute(const GroupsRoutesContext& ctx,
                                         Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(auto paging, api::PageParams(req, kMaxPageSize));
  JISR_ASSIGN_OR_RETURN(
      Page<WorkingGroup> page,
      ctx.groups->ListGroups(c.who, paging.first, paging.second, c.purpose,
                             req.Query("domain").value_or("")));
  return PageResponse("groups", page, paging.first, paging.second,
                      &GroupToJson);
}

absl::StatusOr<Response> GetGroupRoute(const GroupsRoutesContext& ctx,
                                       Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(
      WorkingGroup g,
      ctx.groups->GetGroup(c.who, api::PathParam(req, "id"), c.purpose));
  return http::JsonResponse(200, GroupToJson(g));
}

absl::StatusOr<Response> UpdateGroupRoute(const GroupsRoutesContext& ctx,
                                          Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(WorkingGroup in,
                        GroupFromJson(body, JsonForm::kUpdate));
  JISR_ASSIGN_OR_RETURN(
      WorkingGroup g,
      ctx.groups->UpdateGroup(c.who, api::PathParam(req, "id"), in, c.purpose));
  return http::JsonResponse(200, GroupToJson(g));
}

absl::StatusOr<Response> UpdateTaskRoute(const GroupsRoutesContext& ctx,
                                         Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(TaskProgress in,
                        TaskProgressFromJson(body, JsonForm::kUpdate));
  JISR_ASSIGN_OR_RETURN(
      WorkingGroup g,
      ctx.groups->UpdateTask(c.who, api::PathParam(req, "id"),
                             api::PathParam(req, "task"), in, c.purpose));
  return http::JsonResponse(200, GroupToJson(g));
}

// ---- plans

absl::StatusOr<Response> CreatePlanRoute(const GroupsRoutesContext& ctx,
                                         Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Plan in, PlanFromJson(body, JsonForm::kCreate));
  JISR_ASSIGN_OR_RETURN(Plan p, ctx.groups->CreatePlan(c.who, in, c.purpose));
  return api::CreatedResponse(PlanToJson(p),
                              fmt::format("/api/v1/plans/{}", p.id));
}

absl::StatusOr<Response> ListPlansRoute(const GroupsRoutesContext& ctx,
                                        Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(auto paging, api::PageParams(req, kMaxPageSize));
  JISR_ASSIGN_OR_RETURN(
      Page<Plan> page,
      ctx.groups->ListPlans(c.who, paging.first, paging.second, c.purpose));
  return PageResponse("plans", page, paging.first, paging.second, &PlanToJson);
}

absl::StatusOr<Response> GetPlanRoute(const GroupsRoutesContext& ctx,
                                      Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(
      PlanView v,
      ctx.groups->GetPlan(c.who, api::PathParam(req, "id"), c.purpose));
  return http::JsonResponse(200, PlanViewJson(v));
}

absl::StatusOr<Response> UpdatePlanRoute(const GroupsRoutesContext& ctx,
                                         Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Plan in, PlanFromJson(body, JsonForm::kUpdate));
  JISR_ASSIGN_OR_RETURN(
      Plan p,
      ctx.groups->UpdatePlan(c.who, api::PathParam(req, "id"), in, c.purpose));
  return http::JsonResponse(200, PlanToJson(p));
}

template <ItemKind kKind>
absl::StatusOr<Response> CreateItemRoute(const GroupsRoutesContext& ctx,
                                         Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(PlanItem in,
                        ItemFromJson(body, kKind, JsonForm::kCreate));
  const std::string plan_id = api::PathParam(req, "id");
  JISR_ASSIGN_OR_RETURN(PlanItem it,
                        ctx.groups->CreateItem(c.who, plan_id, in, c.purpose));
  return api::CreatedResponse(
      ItemToJson(it),
      fmt::format("/api/v1/plans/{}/{}/{}", plan_id,
                  kKind == ItemKind::kObjective ? "objectives" : "actions",
                  it.id));
}

template <ItemKind kKind>
absl::StatusOr<Response> UpdateItemRoute(const GroupsRoutesContext& ctx,
                                         Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(PlanItem in,
                        ItemFromJson(body, kKind, JsonForm::kUpdate));
  JISR_ASSIGN_OR_RETURN(
      PlanItem it,
      ctx.groups->UpdateItem(c.who, api::PathParam(req, "id"),
                             api::PathParam(req, "item"), in, c.purpose));
  return http::JsonResponse(200, ItemToJson(it));
}

absl::StatusOr<Response> RoadmapRoute(const GroupsRoutesContext& ctx,
                                      Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(
      Roadmap r,
      ctx.groups->GetRoadmap(c.who, api::PathParam(req, "id"), c.purpose));
  return http::JsonResponse(200, r.json);
}

// ---- operations

absl::StatusOr<Response> CreateOperationRoute(const GroupsRoutesContext& ctx,
                                              Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Operation in,
                        OperationFromJson(body, JsonForm::kCreate));
  JISR_ASSIGN_OR_RETURN(Operation op,
                        ctx.groups->CreateOperation(c.who, in, c.purpose));
  return api::CreatedResponse(OperationToJson(op),
                              fmt::format("/api/v1/operations/{}", op.id));
}

absl::StatusOr<Response> ListOperationsRoute(const GroupsRoutesContext& ctx,
                                             Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(auto paging, api::PageParams(req, kMaxPageSize));
  JISR_ASSIGN_OR_RETURN(Page<Operation> page,
                        ctx.groups->ListOperations(c.who, paging.first,
                                                   paging.second, c.purpose));
  return PageResponse("operations", page, paging.first, paging.second,
                      &OperationToJson);
}

absl::StatusOr<Response> GetOperationRoute(const GroupsRoutesContext& ctx,
                                           Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(
      Operation op,
      ctx.groups->GetOperation(c.who, api::PathParam(req, "id"), c.purpose));
  return http::JsonResponse(200, OperationToJson(op));
}

absl::StatusOr<Response> UpdateOperationRoute(const GroupsRoutesContext& ctx,
                                              Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Operation in,
                        OperationFromJson(body, JsonForm::kUpdate));
  JISR_ASSIGN_OR_RETURN(Operation op,
                        ctx.groups->UpdateOperation(
                            c.who, api::PathParam(req, "id"), in, c.purpose));
  return http::JsonResponse(200, OperationToJson(op));
}

}  // namespace

absl::Status AddGroupsRoutes(http::Router& router,
                             const GroupsRoutesContext& context) {
  const GroupsRoutesContext* ctx = &context;
  struct Entry {
    Method method;
    std::string_view pattern;
    std::string_view name;
    absl::StatusOr<Response> (*fn)(const GroupsRoutesContext&, Request&);
  };
  static constexpr Entry kRoutes[] = {
      {Method::kPost, "/api/v1/groups", "groups.create", &CreateGroupRoute},
      {Method::kGet, "/api/v1/groups", "groups.list", &ListGroupsRoute},
      {Method::kGet, "/api/v1/groups/{id}", "groups.get", &GetGroupRoute},
      {Method::kPut, "/api/v1/groups/{id}", "groups.update", &UpdateGroupRoute},
      {Method::kPut, "/api/v1/groups/{id}/tasks/{task}", "groups.task_update",
       &UpdateTaskRoute},
      {Method::kPost, "/api/v1/plans", "plans.create", &CreatePlanRoute},
      {Method::kGet, "/api/v1/plans", "plans.list", &ListPlansRoute},
      {Method::kGet, "/api/v1/plans/{id}", "plans.get", &GetPlanRoute},
      {Method::kPut, "/api/v1/plans/{id}", "plans.update", &UpdatePlanRoute},
      {Method::kPost, "/api/v1/plans/{id}/objectives", "plans.objective_create",
       &CreateItemRoute<ItemKind::kObjective>},
      {Method::kPut, "/api/v1/plans/{id}/objectives/{item}",
       "plans.objective_update", &UpdateItemRoute<ItemKind::kObjective>},
      {Method::kPost, "/api/v1/plans/{id}/actions", "plans.action_create",
       &CreateItemRoute<ItemKind::kAction>},
      {Method::kPut, "/api/v1/plans/{id}/actions/{item}", "plans.action_update",
       &UpdateItemRoute<ItemKind::kAction>},
      {Method::kGet, "/api/v1/plans/{id}/roadmap", "plans.roadmap",
       &RoadmapRoute},
      {Method::kPost, "/api/v1/operations", "operations.create",
       &CreateOperationRoute},
      {Method::kGet, "/api/v1/operations", "operations.list",
       &ListOperationsRoute},
      {Method::kGet, "/api/v1/operations/{id}", "operations.get",
       &GetOperationRoute},
      {Method::kPut, "/api/v1/operations/{id}", "operations.update",
       &UpdateOperationRoute},
  };
  for (const Entry& e : kRoutes) {
    JISR_RETURN_IF_ERROR(router.Add(
        e.method, e.pattern, e.name,
        api::Wrap([ctx, fn = e.fn](Request& req) { return fn(*ctx, req); })));
  }
  return absl::OkStatus();
}

}  // namespace jisr::groups
