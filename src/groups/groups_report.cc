#include "groups/groups_report.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "common/clock.h"
#include "common/status.h"
#include "groups/groups.h"
#include "groups/groups_repository.h"

namespace jisr::groups {

absl::StatusOr<std::vector<PartnerOperationFigures>> OperationFiguresByPartner(
    db::Transaction& tx, std::string_view self, int64_t from_ms, int64_t to_ms) {
  constexpr int64_t kPage = 500;
  std::map<std::string, PartnerOperationFigures> by_partner;
  int64_t total = 1;
  for (int64_t offset = 0; offset < total; offset += kPage) {
    JISR_ASSIGN_OR_RETURN(Page<Operation> page, ListOperations(tx, offset, kPage));
    total = page.total;
    if (page.items.empty()) break;
    for (const Operation& op : page.items) {
      if (op.state == "cancelled") continue;
      if (ToUnixMillis(op.starts_at) >= to_ms || ToUnixMillis(op.ends_at) < from_ms) continue;
      const auto& agencies = op.agencies;
      if (std::find(agencies.begin(), agencies.end(), self) == agencies.end()) continue;
      for (const std::string& partner : agencies) {
        if (partner == self) continue;
        PartnerOperationFigures& f = by_partner[partner];
        f.agency = partner;
        ++f.operations;
        if (op.owner == self) ++f.led_by_us;
        if (op.owner == partner) ++f.led_by_partner;
      }
    }
  }
  std::vector<PartnerOperationFigures> out;
  out.reserve(by_partner.size());
  for (auto& [code, f] : by_partner) out.push_back(std::move(f));
  return out;
}

}  // namespace jisr::groups
