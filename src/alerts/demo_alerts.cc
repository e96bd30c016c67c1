#include "alerts/demo_alerts.h"

#include <boost/json.hpp>

#include "alerts/alert.h"
#include "alerts/alert_service.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::alerts {
namespace {

// Every person here is invented; names were chosen to read as obviously
// fictional ("Testaoui", "Exemplia", "Sampleman", "Placeholder").
constexpr std::string_view kDemoAlerts[] = {
    R"json({
      "category": "arrest_extradition",
      "names": [{"full": "Karim Testaoui", "given": "Karim", "family": "Testaoui"},
                {"full": "كريم تستاوي", "kind": "alias"},
                {"full": "Karim Test-Aoui", "kind": "alias"}],
      "birth_date": "1984-03-12",
      "birth_place": "Fictionville",
      "nationalities": ["MA"],
      "gender": "male",
      "documents": [{"type": "passport", "number": "DEMO0001", "country": "MA"}],
      "distinguishing_marks": ["Scar on the left hand (demo data)"],
      "offence": "Organised fraud - DEMONSTRATION DATA, NOT A REAL CASE",
      "warrant": {"reference": "DEMO-W-0001", "authority": "Demonstration Court",
                  "issued_on": "2025-01-15"},
      "action": "Arrest with a view to extradition; inform the SIRENE desk at once.",
      "warnings": ["violent"],
      "handling_code": "H2",
      "share_with": ["FR-DGPN"]
    })json",
    R"json({
      "category": "missing_person",
      "names": [{"full": "Nadia Exemplia", "given": "Nadia", "family": "Exemplia"},
                {"full": "نادية إكزمبليا", "kind": "alias"}],
      "birth_date": "2008-07",
      "nationalities": ["MA", "FR"],
      "gender": "female",
      "action": "Missing minor (demo data): protect, place in safety and inform the owner.",
      "handling_code": "H1",
      "share_with": ["FR-DGPN"]
    })json",
    R"json({
      "category": "discreet_check",
      "names": [{"full": "Omar Sampleman", "given": "Omar", "family": "Sampleman"},
                {"full": "Omer Sampelman", "kind": "alias"}],
      "birth_date": "1979",
      "nationalities": ["DZ"],
      "gender": "male",
      "documents": [{"type": "id_card", "number": "DEMO0003", "country": "DZ"}],
      "action": "Discreet check (demo data): report the place, time and companions.",
      "handling_code": "H2"
    })json",
    R"json({
      "category": "witness",
      "names": [{"full": "Lucie Placeholder", "given": "Lucie", "family": "Placeholder"}],
      "birth_date": "1991-11-02",
      "nationalities": ["FR"],
      "gender": "female",
      "action": "Witness (demo data): give the summons to appear.",
      "handling_code": "H1"
    })json",
    R"json({
      "category": "locate",
      "names": [{"full": "Youssef Fictif", "given": "Youssef", "family": "Fictif"},
                {"full": "يوسف فكتيف", "kind": "alias"}],
      "birth_date": "1995",
      "nationalities": ["MA"],
      "gender": "male",
      "action": "Locate (demo data, still a draft awaiting approval).",
      "handling_code": "H1"
    })json",
};

}  // namespace

absl::StatusOr<std::vector<std::string>> CreateDemoAlerts(
    db::Database& db, const audit::AuditLog& audit, const Clock& clock,
    const std::string& agency, const security::Principal& officer,
    const security::Principal& supervisor) {
  AlertServiceOptions options;
  options.agency = agency;
  AlertService service(db, audit, clock, nullptr, options);
  std::vector<std::string> ids;
  const size_t count = std::size(kDemoAlerts);
  for (size_t i = 0; i < count; ++i) {
    JISR_ASSIGN_OR_RETURN(boost::json::object json,
                          ParseJsonObject(kDemoAlerts[i]));
    JISR_ASSIGN_OR_RETURN(AlertContent content, AlertContentFromJson(json));
    // Shared with the other agency of the two-node demo (make demo), so that
    // records cross both ways.
    for (std::string& code : content.share_with) {
      if (code == "FR-DGPN" && agency == "FR-DGPN") code = "MA-DGSN";
    }
    JISR_ASSIGN_OR_RETURN(Alert alert,
                          service.Create(officer, content, "demo data"));
    if (i + 1 < count) {
      JISR_RETURN_IF_ERROR(
          service.Activate(supervisor, alert.id, alert.version, "demo data")
              .status());
    }
    ids.push_back(alert.id);
  }
  return ids;
}

}  // namespace jisr::alerts
