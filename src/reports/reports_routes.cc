#include "reports/reports_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "api/problem.h"
#include "api/request_helpers.h"
#include "common/status.h"

namespace jisr::reports {
namespace {

using http::Method;
using http::Request;
using http::Response;

// True when the Accept header asks for text/csv.
bool WantsCsv(const Request& req) {
  const std::optional<std::string_view> accept = req.Header("Accept");
  if (!accept) return false;
  std::string lower(*accept);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("text/csv") != std::string::npos;
}

absl::StatusOr<Response> CooperationRoute(const ReportRoutesContext& ctx, Request& req) {
  JISR_ASSIGN_OR_RETURN(security::Principal who, api::Authenticate(*ctx.sessions, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  JISR_ASSIGN_OR_RETURN(Period period,
                        ParsePeriod(req.Query("from"), req.Query("to"),
                                    ctx.reports->clock().Now()));
  JISR_ASSIGN_OR_RETURN(CooperationReport report,
                        ctx.reports->Cooperation(who, period, purpose));
  if (!WantsCsv(req)) return http::JsonResponse(200, CooperationToJson(report));
  Response resp;
  resp.status = 200;
  resp.content_type = "text/csv; charset=utf-8; header=present";
  resp.body = CooperationToCsv(report);
  resp.AddHeader("Content-Disposition",
                 fmt::format("attachment; filename=\"{}\"", CooperationCsvFilename(report)));
  return resp;
}

}  // namespace

absl::Status AddReportRoutes(http::Router& router, const ReportRoutesContext& context) {
  const ReportRoutesContext* ctx = &context;
  return router.Add(Method::kGet, "/api/v1/reports/cooperation", "report.cooperation",
                    api::Wrap([ctx](Request& req) { return CooperationRoute(*ctx, req); }));
}

}  // namespace jisr::reports
