#include "training/training_routes.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <string>

#include "api/problem.h"
#include "api/request_helpers.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::training {
namespace {

using http::Method;
using http::Request;
using http::Response;
using security::Principal;

boost::json::object CatalogueViewJson(const CatalogueView& v) {
  boost::json::object o = CatalogueItemToJson(v.item);
  o["provenance"] =
      v.provenance
          ? boost::json::value(federation::ProvenanceToJson(*v.provenance))
          : boost::json::value(nullptr);
  return o;
}

// ---- programmes

absl::StatusOr<Response> CreateProgrammeRoute(const TrainingRoutesContext& ctx,
                                              Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Programme in,
                        ProgrammeFromJson(body, JsonForm::kCreate));
  JISR_ASSIGN_OR_RETURN(Programme p,
                        ctx.training->CreateProgramme(c.who, in, c.purpose));
  return api::CreatedResponse(
      ProgrammeToJson(p), fmt::format("/api/v1/training/programmes/{}", p.id));
}

absl::StatusOr<Response> ListProgrammesRoute(const TrainingRoutesContext& ctx,
                                             Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(auto paging, api::PageParams(req, kMaxPageSize));
  JISR_ASSIGN_OR_RETURN(Page<Programme> page,
                        ctx.training->ListProgrammes(c.who, paging.first,
                                                     paging.second, c.purpose));
  boost::json::array items;
  for (const Programme& p : page.items) items.push_back(ProgrammeToJson(p));
  return http::JsonResponse(
      200, boost::json::object{{"programmes", std::move(items)},
                               {"page", paging.first},
                               {"page_size", paging.second},
                               {"total", page.total}});
}

absl::StatusOr<Response> GetProgrammeRoute(const TrainingRoutesContext& ctx,
                                           Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(
      ProgrammeView v,
      ctx.training->GetProgramme(c.who, api::PathParam(req, "id"), c.purpose));
  boost::json::object o = ProgrammeToJson(v.programme);
  boost::json::array sessions;
  for (const Session& s : v.sessions) sessions.push_back(SessionToJson(s));
  o["sessions"] = std::move(sessions);
  return http::JsonResponse(200, o);
}

absl::StatusOr<Response> UpdateProgrammeRoute(const TrainingRoutesContext& ctx,
                                              Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Programme in,
                        ProgrammeFromJson(body, JsonForm::kUpdate));
  JISR_ASSIGN_OR_RETURN(Programme p,
                        ctx.training->UpdateProgramme(
                            c.who, api::PathParam(req, "id"), in, c.purpose));
  return http::JsonResponse(200, ProgrammeToJson(p));
}

// ---- sessions

absl::StatusOr<Response> CreateSessionRoute(const TrainingRoutesContext& ctx,
                                            Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Session in, SessionFromJson(body, JsonForm::kCreate));
  JISR_ASSIGN_OR_RETURN(
      Session s, ctx.training->CreateSession(c.who, api::PathParam(req, "id"),
                                             in, c.purpose));
  return api::CreatedResponse(
      SessionToJson(s), fmt::format("/api/v1/training/sessions/{}", s.id));
}

absl::StatusOr<Response> ListSessionsRoute(const TrainingRoutesContext& ctx,
                                           Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(
      std::vector<Session> sessions,
      ctx.training->ListSessions(c.who, api::PathParam(req, "id"), c.purpose));
  boost::json::array items;
  for (const Session& s : sessions) items.push_back(SessionToJson(s));
  return http::JsonResponse(
      200, boost::json::object{{"sessions", std::move(items)}});
}

absl::StatusOr<Response> GetSessionRoute(const TrainingRoutesContext& ctx,
                                         Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(
      SessionView v,
      ctx.training->GetSession(c.who, api::PathParam(req, "id"), c.purpose));
  boost::json::object o = SessionToJson(v.session);
  o["confirmed"] = v.confirmed;
  return http::JsonResponse(200, o);
}

absl::StatusOr<Response> UpdateSessionRoute(const TrainingRoutesContext& ctx,
                                            Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Session in, SessionFromJson(body, JsonForm::kUpdate));
  JISR_ASSIGN_OR_RETURN(
      Session s, ctx.training->UpdateSession(c.who, api::PathParam(req, "id"),
                                             in, c.purpose));
  return http::JsonResponse(200, SessionToJson(s));
}

// ---- enrolments

absl::StatusOr<Response> EnrolRoute(const TrainingRoutesContext& ctx,
                                    Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Participant in, ParticipantFromJson(body));
  JISR_ASSIGN_OR_RETURN(
      Enrolment e,
      ctx.training->Enrol(c.who, api::PathParam(req, "id"), in, c.purpose));
  return api::CreatedResponse(
      EnrolmentToJson(e), fmt::format("/api/v1/training/enrolments/{}", e.id));
}

absl::StatusOr<Response> ListEnrolmentsRoute(const TrainingRoutesContext& ctx,
                                             Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(EnrolmentList list,
                        ctx.training->ListEnrolments(
                            c.who, api::PathParam(req, "id"), c.purpose));
  boost::json::array items;
  for (const Enrolment& e : list.enrolments)
    items.push_back(EnrolmentToJson(e));
  boost::json::object counts;
  for (const auto& [agency, n] : list.by_agency) {
    counts[agency] = boost::json::object{{"pending", n.pending},
                                         {"confirmed", n.confirmed},
                                         {"refused", n.refused},
                                         {"withdrawn", n.withdrawn}};
  }
  return http::JsonResponse(
      200, boost::json::object{{"session", SessionToJson(list.session)},
                               {"enrolments", std::move(items)},
                               {"by_agency", std::move(counts)}});
}

absl::StatusOr<Response> GetEnrolmentRoute(const TrainingRoutesContext& ctx,
                                           Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(
      Enrolment e,
      ctx.training->GetEnrolment(c.who, api::PathParam(req, "id"), c.purpose));
  return http::JsonResponse(200, EnrolmentToJson(e));
}

absl::StatusOr<Response> WithdrawRoute(const TrainingRoutesContext& ctx,
                                       Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(
      Enrolment e,
      ctx.training->Withdraw(c.who, api::PathParam(req, "id"), c.purpose));
  return http::JsonResponse(200, EnrolmentToJson(e));
}

absl::StatusOr<Response> RecordRoute(const TrainingRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Outcome in, OutcomeFromJson(body));
  JISR_ASSIGN_OR_RETURN(
      Enrolment e, ctx.training->RecordOutcome(c.who, api::PathParam(req, "id"),
                                               in, c.purpose));
  return http::JsonResponse(200, EnrolmentToJson(e));
}

// ---- catalogue

absl::StatusOr<Response> CreateCatalogueRoute(const TrainingRoutesContext& ctx,
                                              Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(CatalogueItem in,
                        CatalogueItemFromJson(body, JsonForm::kCreate));
  JISR_ASSIGN_OR_RETURN(CatalogueItem item, ctx.training->CreateCatalogueItem(
                                                c.who, in, c.purpose));
  return api::CreatedResponse(
      CatalogueItemToJson(item),
      fmt::format("/api/v1/training/catalogue/{}", item.id));
}

absl::StatusOr<Response> ListCatalogueRoute(const TrainingRoutesContext& ctx,
                                            Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(auto paging, api::PageParams(req, kMaxPageSize));
  const std::string domain(req.Query("domain").value_or(""));
  const std::string owner(req.Query("owner").value_or(""));
  JISR_ASSIGN_OR_RETURN(
      Page<CatalogueView> page,
      ctx.training->ListCatalogue(c.who, domain, owner, paging.first,
                                  paging.second, c.purpose));
  boost::json::array items;
  for (const CatalogueView& v : page.items)
    items.push_back(CatalogueViewJson(v));
  return http::JsonResponse(200,
                            boost::json::object{{"items", std::move(items)},
                                                {"page", paging.first},
                                                {"page_size", paging.second},
                                                {"total", page.total}});
}

absl::StatusOr<Response> GetCatalogueRoute(const TrainingRoutesContext& ctx,
                                           Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(CatalogueView v,
                        ctx.training->GetCatalogueItem(
                            c.who, api::PathParam(req, "id"), c.purpose));
  return http::JsonResponse(200, CatalogueViewJson(v));
}

absl::StatusOr<Response> UpdateCatalogueRoute(const TrainingRoutesContext& ctx,
                                              Request& req) {
  JISR_ASSIGN_OR_RETURN(api::Caller c,
                        api::AuthenticateWithPurpose(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(CatalogueItem in,
                        CatalogueItemFromJson(body, JsonForm::kUpdate));
  JISR_ASSIGN_OR_RETURN(CatalogueItem item,
                        ctx.training->UpdateCatalogueItem(
                            c.who, api::PathParam(req, "id"), in, c.purpose));
  return http::JsonResponse(200, CatalogueItemToJson(item));
}

}  // namespace

absl::Status AddTrainingRoutes(http::Router& router,
                               const TrainingRoutesContext& context) {
  const TrainingRoutesContext* ctx = &context;
  struct Entry {
    Method method;
    std::string_view pattern;
    std::string_view name;
    absl::StatusOr<Response> (*fn)(const TrainingRoutesContext&, Request&);
  };
  static constexpr Entry kRoutes[] = {
      {Method::kPost, "/api/v1/training/programmes",
       "training.programme_create", &CreateProgrammeRoute},
      {Method::kGet, "/api/v1/training/programmes", "training.programme_list",
       &ListProgrammesRoute},
      {Method::kGet, "/api/v1/training/programmes/{id}",
       "training.programme_get", &GetProgrammeRoute},
      {Method::kPut, "/api/v1/training/programmes/{id}",
       "training.programme_update", &UpdateProgrammeRoute},
      {Method::kPost, "/api/v1/training/programmes/{id}/sessions",
       "training.session_create", &CreateSessionRoute},
      {Method::kGet, "/api/v1/training/programmes/{id}/sessions",
       "training.session_list", &ListSessionsRoute},
      {Method::kGet, "/api/v1/training/sessions/{id}", "training.session_get",
       &GetSessionRoute},
      {Method::kPut, "/api/v1/training/sessions/{id}",
       "training.session_update", &UpdateSessionRoute},
      {Method::kPost, "/api/v1/training/sessions/{id}/enrolments",
       "training.enrol", &EnrolRoute},
      {Method::kGet, "/api/v1/training/sessions/{id}/enrolments",
       "training.enrolment_list", &ListEnrolmentsRoute},
      {Method::kGet, "/api/v1/training/enrolments/{id}",
       "training.enrolment_get", &GetEnrolmentRoute},
      {Method::kDelete, "/api/v1/training/enrolments/{id}", "training.withdraw",
       &WithdrawRoute},
      {Method::kPost, "/api/v1/training/enrolments/{id}/record",
       "training.record", &RecordRoute},
      {Method::kPost, "/api/v1/training/catalogue", "training.catalogue_create",
       &CreateCatalogueRoute},
      {Method::kGet, "/api/v1/training/catalogue", "training.catalogue_list",
       &ListCatalogueRoute},
      {Method::kGet, "/api/v1/training/catalogue/{id}",
       "training.catalogue_get", &GetCatalogueRoute},
      {Method::kPut, "/api/v1/training/catalogue/{id}",
       "training.catalogue_update", &UpdateCatalogueRoute},
  };
  for (const Entry& e : kRoutes) {
    JISR_RETURN_IF_ERROR(router.Add(
        e.method, e.pattern, e.name,
        api::Wrap([ctx, fn = e.fn](Request& req) { return fn(*ctx, req); })));
  }
  return absl::OkStatus();
}

}  // namespace jisr::training
