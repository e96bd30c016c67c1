// Training figures per partner agency for the cooperation report
// (reports/): what this agency provided to each partner and received from
// it, computed from the enrolments held here (at the provider: every
// agency's participants; at a partner: its own, with the provider's
// attendance and completion received back).
//
// Thread-safety: a free function over the caller's transaction.
#ifndef JISR_TRAINING_TRAINING_REPORT_H_
#define JISR_TRAINING_TRAINING_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "db/database.h"

namespace jisr::training {

struct PartnerTrainingFigures {
  std::string agency;
  // Sessions we provided that had participants of `agency` (attended),
  // starting within [from, to).
  int64_t sessions_provided = 0;
  // Sessions provided by `agency` that our participants attended, starting
  // within [from, to).
  int64_t sessions_attended = 0;
  // Completions in either direction between us and `agency` (sessions
  // starting within [from, to)).
  int64_t participants_trained = 0;
};

// One row per partner agency with any figure, sorted by agency. A session
// counts by its start (session_starts_at); cancelled sessions never count
// (nobody attends them). Errors: the store's.
absl::StatusOr<std::vector<PartnerTrainingFigures>> TrainingFiguresByPartner(
    db::Transaction& tx, std::string_view self_agency, int64_t from_ms, int64_t to_ms);

}  // namespace jisr::training

#endif  // JISR_TRAINING_TRAINING_REPORT_H_
