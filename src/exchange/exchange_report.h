// The figures of exchange/ for the cooperation report (reports/): per
// partner agency, the messages sent to it and received from it. Aggregate
// counts only (no personal data); the definitions are those of
// docs/reports.md.
//
// Thread-safety: a stateless function over the caller's transaction.
#ifndef JISR_EXCHANGE_EXCHANGE_REPORT_H_
#define JISR_EXCHANGE_EXCHANGE_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "db/database.h"

namespace jisr::exchange {

struct PartnerMessageFigures {
  std::string agency;  // the partner's code
  // Messages sent by this agency (origin) in [from, to) addressed to the
  // partner agency (one per message, whatever the other recipients).
  int64_t sent = 0;
  // Messages held here whose origin is the partner, sent in [from, to).
  int64_t received = 0;
};

// Returns one row per partner with at least one message, sorted by code,
// for the half-open period [from_ms, to_ms) of sent_at (Unix ms). `self`
// is this node's agency. Errors: the store's.
absl::StatusOr<std::vector<PartnerMessageFigures>> MessageFiguresByPartner(
    db::Transaction& tx, std::string_view self, int64_t from_ms, int64_t to_ms);

}  // namespace jisr::exchange

#endif  // JISR_EXCHANGE_EXCHANGE_REPORT_H_
