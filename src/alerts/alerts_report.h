// The figures of alerts/ for the cooperation report (reports/): per partner
// agency, the alerts shared with it and received from it, and the hit
// reports filed across. Aggregate counts only (no personal data). The
// definitions are those of docs/reports.md.
//
// Thread-safety: a stateless function over the caller's transaction.
#ifndef JISR_ALERTS_ALERTS_REPORT_H_
#define JISR_ALERTS_ALERTS_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "db/database.h"

namespace jisr::alerts {

struct PartnerAlertFigures {
  std::string agency;  // the partner's code
  // This agency's alerts in force (active or suspended) now whose share_with
  // names the partner and whose activated_at is in [from, to).
  int64_t shared_with = 0;
  // The partner's alerts held here as copies (they are in force and name
  // this agency) whose activated_at is in [from, to).
  int64_t received_from = 0;
  // As shared_with / received_from, whatever their activation time: what is
  // in force between the two agencies when the report is made.
  int64_t in_force_shared_with = 0;
  int64_t in_force_received_from = 0;
  // Hit reports with reported_at in [from, to): filed by the partner on this
  // agency's alerts, and filed here on the partner's alerts.
  int64_t hits_by_partner = 0;
  int64_t hits_by_us = 0;
};

// Returns one row per partner agency that appears in any figure (sorted by
// code; a partner with no alert and no hit has no row), for the half-open
// period [from_ms, to_ms) in Unix milliseconds. `self` is this node's agency.
// Errors: DataLoss for a stored alert that cannot be read; the store's.
absl::StatusOr<std::vector<PartnerAlertFigures>> AlertFiguresByPartner(db::Transaction& tx,
                                                                      std::string_view self,
                                                                      int64_t from_ms,
                                                                      int64_t to_ms);

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_ALERTS_REPORT_H_
