#include "events/events_report.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "common/status.h"
#include "events/event.h"
#include "events/event_repository.h"

namespace jisr::events {

absl::StatusOr<std::vector<PartnerScreeningFigures>> ScreeningFiguresByPartner(
    db::Transaction& tx, std::string_view self, int64_t from_ms, int64_t to_ms) {
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> rows,
      tx.Query("SELECT c.event_id, c.screened, "
               "(SELECT COUNT(*) FROM event_campaign_applicants a WHERE a.campaign_id = c.id), "
               "(SELECT COUNT(*) FROM event_campaign_applicants a WHERE a.campaign_id = c.id "
               "AND a.decision = 'refused') "
               "FROM event_campaigns c WHERE c.created_at >= $1 AND c.created_at < $2 "
               "ORDER BY c.event_id, c.id",
               {from_ms, to_ms}));
  std::map<std::string, PartnerScreeningFigures> by_partner;
  std::optional<Event> event;
  for (const db::Row& r : rows) {
    const std::string event_id = r.GetText(0);
    if (!event || event->id != event_id) {
      JISR_ASSIGN_OR_RETURN(std::optional<Event> e, GetEvent(tx, event_id));
      if (!e) continue;  // cannot happen (foreign key)
      event = std::move(e);
    }
    std::vector<std::string> agencies = event->partners;
    agencies.push_back(event->host);
    for (const std::string& partner : agencies) {
      if (partner == self) continue;
      PartnerScreeningFigures& f = by_partner[partner];
      f.agency = partner;
      ++f.campaigns;
      f.screened += r.GetInt(1);
      f.matched += r.GetInt(2);
      f.refused += r.GetInt(3);
    }
  }
  std::vector<PartnerScreeningFigures> out;
  out.reserve(by_partner.size());
  for (auto& [code, f] : by_partner) out.push_back(std::move(f));
  return out;
}

}  // namespace jisr::events
