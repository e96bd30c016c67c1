// HTTP routes of reports/ (JSON; CSV on request):
//
//   GET /api/v1/reports/cooperation?from=&to=
//     The cooperation report (cooperation_report.h, docs/reports.md):
//     application/json by default; text/csv (with Content-Disposition:
//     attachment; filename=...) when the Accept header names text/csv.
//     from/to: a day YYYY-MM-DD (to inclusive) or an RFC 3339 instant (to
//     exclusive); default the last twelve months. 400 naming "from" or "to"
//     for a bad value or period; 403 without report.read.
//
// Thread-safety: the handlers are safe to run concurrently.
#ifndef JISR_REPORTS_REPORTS_ROUTES_H_
#define JISR_REPORTS_REPORTS_ROUTES_H_

#include "absl/status/status.h"
#include "api/router.h"
#include "reports/cooperation_report.h"
#include "security/session_service.h"

namespace jisr::reports {

// What the routes need; owned by the node (the composition root). The
// pointers may be null when the router is only listed (the OpenAPI test).
struct ReportRoutesContext {
  security::SessionService* sessions = nullptr;
  ReportService* reports = nullptr;
};

// Adds the routes above to `router`. Errors: the router's.
absl::Status AddReportRoutes(http::Router& router, const ReportRoutesContext& context);

}  // namespace jisr::reports

#endif  // JISR_REPORTS_REPORTS_ROUTES_H_
