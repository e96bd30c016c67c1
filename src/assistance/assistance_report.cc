#include "assistance/assistance_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "assistance/assistance.h"
#include "assistance/assistance_repository.h"
#include "assistance/deadline.h"
#include "common/clock.h"
#include "common/status.h"

namespace jisr::assistance {
namespace {

// The nearest-rank percentile `p` (0 < p <= 1) of sorted `values`.
absl::Duration Percentile(const std::vector<absl::Duration>& sorted, double p) {
  const size_t n = sorted.size();
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(n)));
  rank = std::clamp<size_t>(rank, 1, n);
  return sorted[rank - 1];
}

void Finish(DirectionStats& d, std::vector<absl::Duration>& times) {
  const int64_t responded = d.answered + d.refused;
  if (responded > 0) {
    d.in_time_percent = 100.0 * static_cast<double>(d.responded_in_time) /
                        static_cast<double>(responded);
  }
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    d.median_response = Percentile(times, 0.5);
    d.p90_response = Percentile(times, 0.9);
  }
}

}  // namespace

absl::StatusOr<std::vector<PartnerStats>> PartnerStatsBetween(db::Transaction& tx,
                                                              std::string_view self,
                                                              absl::Time from, absl::Time to,
                                                              absl::Time now) {
  JISR_ASSIGN_OR_RETURN(std::vector<AssistanceRequest> requests,
                        RequestsSubmittedBetween(tx, from, to));
  std::map<std::string, PartnerStats> by_partner;
  std::map<std::pair<std::string, bool>, std::vector<absl::Duration>> times;
  for (const AssistanceRequest& r : requests) {
    const bool sent = r.requester == self;
    const std::string& partner = sent ? r.requested : r.requester;
    PartnerStats& p = by_partner[partner];
    p.partner = partner;
    DirectionStats& d = sent ? p.sent : p.received;
    ++d.requests;
    const std::optional<absl::Time> responded = RespondedAt(r);
    if (r.answered_at) ++d.answered;
    if (r.refused_at) {
      ++d.refused;
      if (r.refusal_reason) ++d.refusals_by_reason[static_cast<size_t>(*r.refusal_reason)];
    }
    if (!responded) {
      if (r.state == RequestState::kClosed) {
        ++d.withdrawn;
      } else {
        ++d.pending;
        if (r.deadline_at && DeadlineRuns(r.state) && IsOverdue(*r.deadline_at, now)) {
          ++d.overdue_now;
        }
      }
      continue;
    }
    if (r.deadline_at && RespondedInTime(*r.deadline_at, *responded)) ++d.responded_in_time;
    if (r.received_at) {
      times[{partner, sent}].push_back(
          std::max(absl::ZeroDuration(), *responded - *r.received_at - r.suspended));
    }
  }
  std::vector<PartnerStats> out;
  out.reserve(by_partner.size());
  for (auto& [partner, p] : by_partner) {
    Finish(p.sent, times[{partner, true}]);
    Finish(p.received, times[{partner, false}]);
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<std::vector<PartnerStats>> AssistanceFiguresByPartner(db::Transaction& tx,
                                                                     std::string_view self,
                                                                     int64_t from_ms,
                                                                     int64_t to_ms,
                                                                     int64_t now_ms) {
  return PartnerStatsBetween(tx, self, FromUnixMillis(from_ms), FromUnixMillis(to_ms),
                             FromUnixMillis(now_ms));
}

}  // namespace jisr::assistance
