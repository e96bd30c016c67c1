#include "exchange/exchange_report.h"

#include <map>
#include <string>
#include <utility>

#include "common/status.h"

namespace jisr::exchange {

absl::StatusOr<std::vector<PartnerMessageFigures>> MessageFiguresByPartner(
    db::Transaction& tx, std::string_view self, int64_t from_ms, int64_t to_ms) {
  std::map<std::string, PartnerMessageFigures> by_partner;
  const std::string agency(self);
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> sent,
      tx.Query("SELECT d.code, COUNT(DISTINCT m.id) FROM exchange_messages m "
               "JOIN exchange_deliveries d ON d.message_id = m.id "
               "WHERE m.origin = $1 AND d.kind = 'agency' AND d.code <> $1 "
               "AND m.sent_at >= $2 AND m.sent_at < $3 GROUP BY d.code",
               {agency, from_ms, to_ms}));
  for (const db::Row& r : sent) {
    PartnerMessageFigures& f = by_partner[r.GetText(0)];
    f.agency = r.GetText(0);
    f.sent = r.GetInt(1);
  }
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> received,
      tx.Query("SELECT origin, COUNT(*) FROM exchange_messages "
               "WHERE origin <> $1 AND sent_at >= $2 AND sent_at < $3 GROUP BY origin",
               {agency, from_ms, to_ms}));
  for (const db::Row& r : received) {
    PartnerMessageFigures& f = by_partner[r.GetText(0)];
    f.agency = r.GetText(0);
    f.received = r.GetInt(1);
  }
  std::vector<PartnerMessageFigures> out;
  out.reserve(by_partner.size());
  for (auto& [code, f] : by_partner) out.push_back(std::move(f));
  return out;
}

}  // namespace jisr::exchange
