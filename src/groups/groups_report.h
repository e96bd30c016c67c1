// The figures of groups/ for the cooperation report (reports/): per partner
// agency, the joint operations this agency and the partner both take part
// in that were under way during the period. Aggregate counts only (no
// personal data); the definitions are those of docs/reports.md.
//
// Thread-safety: a stateless function over the caller's transaction.
#ifndef JISR_GROUPS_GROUPS_REPORT_H_
#define JISR_GROUPS_GROUPS_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "db/database.h"

namespace jisr::groups {

struct PartnerOperationFigures {
  std::string agency;  // the partner's code
  // Joint operations held here (this agency's and the partners' copies),
  // not cancelled, whose agencies include both `self` and the partner and
  // whose span [starts_at, ends_at] meets [from, to): starts_at < to and
  // ends_at >= from.
  int64_t operations = 0;
  int64_t led_by_us = 0;       // of which owned by this agency
  int64_t led_by_partner = 0;  // of which owned by the partner
};

// Returns one row per partner with at least one such operation, sorted by
// code, for the half-open period [from_ms, to_ms) (Unix ms). `self` is this
// node's agency. Errors: DataLoss for a stored operation that cannot be
// read; the store's.
absl::StatusOr<std::vector<PartnerOperationFigures>> OperationFiguresByPartner(
    db::Transaction& tx, std::string_view self, int64_t from_ms, int64_t to_ms);

}  // namespace jisr::groups

#endif  // JISR_GROUPS_GROUPS_REPORT_H_
