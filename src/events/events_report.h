// The figures of events/ for the cooperation report (reports/): per partner
// agency, the accreditation screening campaigns this agency ran for events
// shared with that partner (the partner hosts the event or is one of its
// partner agencies). Aggregate counts only (no personal data); the
// definitions are those of docs/reports.md.
//
// Thread-safety: a stateless function over the caller's transaction.
#ifndef JISR_EVENTS_EVENTS_REPORT_H_
#define JISR_EVENTS_EVENTS_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "db/database.h"

namespace jisr::events {

struct PartnerScreeningFigures {
  std::string agency;  // the partner's code
  // Campaigns created here in [from, to) for events whose host or partner
  // agencies include the partner (campaigns are local: this agency's own).
  int64_t campaigns = 0;
  int64_t screened = 0;  // applicants screened so far in those campaigns
  int64_t matched = 0;   // of which with at least one match (to review)
  int64_t refused = 0;   // of which refused accreditation after review
};

// Returns one row per partner with at least one campaign, sorted by code,
// for the half-open period [from_ms, to_ms) of the campaigns' created_at
// (Unix ms). `self` is this node's agency. Errors: the store's.
absl::StatusOr<std::vector<PartnerScreeningFigures>> ScreeningFiguresByPartner(
    db::Transaction& tx, std::string_view self, int64_t from_ms, int64_t to_ms);

}  // namespace jisr::events

#endif  // JISR_EVENTS_EVENTS_REPORT_H_
