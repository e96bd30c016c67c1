#include "alerts/alerts_report.h"

#include <algorithm>
#include <map>
#include <string>

#include "alerts/alert.h"
#include "alerts/alert_repository.h"
#include "common/clock.h"
#include "common/status.h"

namespace jisr::alerts {

absl::StatusOr<std::vector<PartnerAlertFigures>> AlertFiguresByPartner(db::Transaction& tx,
                                                                      std::string_view self,
                                                                      int64_t from_ms,
                                                                      int64_t to_ms) {
  std::map<std::string, PartnerAlertFigures, std::less<>> by_partner;
  auto row = [&](const std::string& agency) -> PartnerAlertFigures& {
    PartnerAlertFigures& f = by_partner[agency];
    f.agency = agency;
    return f;
  };
  static constexpr AlertStatus kInForce[] = {AlertStatus::kActive, AlertStatus::kSuspended};
  JISR_ASSIGN_OR_RETURN(std::vector<Alert> in_force, AlertsWithStatus(tx, kInForce));
  for (const Alert& a : in_force) {
    const bool in_period = a.activated_at && ToUnixMillis(*a.activated_at) >= from_ms &&
                           ToUnixMillis(*a.activated_at) < to_ms;
    if (a.owner == self) {
      for (const std::string& partner : a.content.share_with) {
        if (partner == self) continue;
        PartnerAlertFigures& f = row(partner);
        ++f.in_force_shared_with;
        if (in_period) ++f.shared_with;
      }
    } else {
      // A copy: held here only while its owner shares it with this agency.
      PartnerAlertFigures& f = row(a.owner);
      ++f.in_force_received_from;
      if (in_period) ++f.received_from;
    }
  }
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> hits,
      tx.Query("SELECT alert_owner, reporting_agency, COUNT(*) FROM alert_hits "
               "WHERE reported_at >= $1 AND reported_at < $2 AND alert_owner <> reporting_agency "
               "GROUP BY alert_owner, reporting_agency",
               {from_ms, to_ms}));
  for (const db::Row& r : hits) {
    const std::string owner = r.GetText(0);
    const std::string reporter = r.GetText(1);
    if (owner == self) {
      row(reporter).hits_by_partner += r.GetInt(2);
    } else if (reporter == self) {
      row(owner).hits_by_us += r.GetInt(2);
    }
  }
  std::vector<PartnerAlertFigures> out;
  out.reserve(by_partner.size());
  for (auto& [agency, f] : by_partner) out.push_back(std::move(f));
  return out;
}

}  // namespace jisr::alerts
