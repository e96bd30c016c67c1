// docs/openapi.yaml must describe exactly the routes the node serves: every
// (method, path) of the router is in the document and every operation of the
// document is routed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>

#include "alerts/alerts_routes.h"
#include "assistance/assistance_routes.h"
#include "events/events_routes.h"  // events
#include "exchange/exchange_routes.h"  // exchange (src/exchange)
#include "groups/groups_routes.h"  // groups (src/groups)
#include "training/training_routes.h"  // training (src/training)
#include "reports/reports_routes.h"  // reports (src/reports)
#include "federation/federation_routes.h"
#include "api/openapi_operations.h"
#include "api/operational_routes.h"
#include "api/router.h"
#include "api/routes.h"

namespace jisr::api {
namespace {

using testing::Operation;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(OpenApiTest, DocumentAndRouterAgree) {
  http::Router router;
  metrics::Registry registry;
  ASSERT_TRUE(http::AddOperationalRoutes(&router, &registry, [] {
                return absl::OkStatus();
              }).ok());
  ApiContext context;  // handlers are not called
  ASSERT_TRUE(AddApiRoutes(router, context).ok());
  alerts::AlertRoutesContext alerts_context;  // handlers are not called
  ASSERT_TRUE(alerts::AddAlertRoutes(router, alerts_context).ok());
  assistance::AssistanceRoutesContext assistance_context;  // handlers are not called
  ASSERT_TRUE(assistance::AddAssistanceRoutes(router, assistance_context).ok());
  events::EventRoutesContext events_context;  // events; handlers are not called
  ASSERT_TRUE(events::AddEventRoutes(router, events_context).ok());
  exchange::ExchangeRoutesContext exchange_context;  // exchange; handlers are not called
  ASSERT_TRUE(exchange::AddExchangeRoutes(router, exchange_context).ok());
  groups::GroupsRoutesContext groups_context;  // groups; handlers are not called
  ASSERT_TRUE(groups::AddGroupsRoutes(router, groups_context).ok());
  training::TrainingRoutesContext training_context;  // training; handlers are not called
  ASSERT_TRUE(training::AddTrainingRoutes(router, training_context).ok());
  reports::ReportRoutesContext reports_context;  // reports; handlers are not called
  ASSERT_TRUE(reports::AddReportRoutes(router, reports_context).ok());
  federation::FederationRoutesContext federation_context;  // handlers are not called
  ASSERT_TRUE(federation::AddFederationRoutes(router, federation_context).ok());
  std::set<Operation> routed;
  for (const auto& r : router.Routes()) routed.emplace(Lower(http::MethodName(r.method)), r.pattern);

  const char* src = std::getenv("JISR_SOURCE_DIR");
  ASSERT_NE(src, nullptr);
  const std::set<Operation> documented =
      testing::OpenApiOperations(std::string(src) + "/docs/openapi.yaml");
  ASSERT_FALSE(documented.empty());
  for (const Operation& op : routed) {
    EXPECT_TRUE(documented.count(op)) << "routed but not in docs/openapi.yaml: " << op.first
                                      << " " << op.second;
  }
  for (const Operation& op : documented) {
    EXPECT_TRUE(routed.count(op)) << "in docs/openapi.yaml but not routed: " << op.first << " "
                                  << op.second;
  }
}

}  // namespace
}  // namespace jisr::api
