// The figures of assistance/ per partner agency: the computation behind
// AssistanceService::Stats (GET /api/v1/assistance/stats), callable inside
// another transaction by the cooperation report (reports/). Aggregate counts
// only (no personal data); the definitions are those of docs/assistance.md
// and docs/reports.md.
//
// Thread-safety: stateless functions over the caller's transaction.
#ifndef JISR_ASSISTANCE_ASSISTANCE_REPORT_H_
#define JISR_ASSISTANCE_ASSISTANCE_REPORT_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "assistance/assistance_service.h"
#include "db/database.h"

namespace jisr::assistance {

// The per-partner figures (DirectionStats, both directions) of every request
// submitted in [from, to) between `self` (this node's agency) and a partner,
// one row per partner with at least one request, sorted by code;
// overdue_now is judged at `now`. Errors: the store's.
absl::StatusOr<std::vector<PartnerStats>> PartnerStatsBetween(db::Transaction& tx,
                                                              std::string_view self,
                                                              absl::Time from, absl::Time to,
                                                              absl::Time now);

// The same over Unix milliseconds [from_ms, to_ms), judged at now_ms.
absl::StatusOr<std::vector<PartnerStats>> AssistanceFiguresByPartner(db::Transaction& tx,
                                                                     std::string_view self,
                                                                     int64_t from_ms,
                                                                     int64_t to_ms,
                                                                     int64_t now_ms);

}  // namespace jisr::assistance

#endif  // JISR_ASSISTANCE_ASSISTANCE_REPORT_H_
