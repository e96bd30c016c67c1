#include "assistance/deadline.h"

#include <cmath>

#include "common/clock.h"

namespace jisr::assistance {

DeadlineRule DeadlineRuleFor(Urgency urgency, bool directly_accessible) {
  if (urgency == Urgency::kUrgent && directly_accessible) {
    return {absl::Hours(8), "urgent_direct",
            "Directive (EU) 2023/977, Art. 5(1)(a)",
            "8 hours (urgent request, directly accessible information)"};
  }
  if (urgency == Urgency::kUrgent) {
    return {
        absl::Hours(3 * 24), "urgent_indirect",
        "Directive (EU) 2023/977, Art. 5(1)(b)",
        "3 calendar days (urgent request, indirectly accessible information)"};
  }
  return {absl::Hours(7 * 24), "normal",
          "Directive (EU) 2023/977, Art. 5(1)(c)",
          "7 calendar days (non-urgent request)"};
}

absl::Time ComputeDeadline(absl::Time received_at, Urgency urgency,
                           bool directly_accessible, absl::Duration suspended) {
  const DeadlineRule rule = DeadlineRuleFor(urgency, directly_accessible);
  return TruncateToMillis(received_at + rule.period + suspended);
}

absl::Time ComputeWarningTime(absl::Time received_at, Urgency urgency,
                              bool directly_accessible,
                              absl::Duration suspended) {
  const DeadlineRule rule = DeadlineRuleFor(urgency, directly_accessible);
  // Exact in milliseconds: every period is a whole number of quarter hours.
  const int64_t ms =
      std::llround(static_cast<double>(absl::ToInt64Milliseconds(rule.period)) *
                   kWarningFraction);
  return TruncateToMillis(received_at + absl::Milliseconds(ms) + suspended);
}

bool IsOverdue(absl::Time deadline, absl::Time now) { return now >= deadline; }

bool RespondedInTime(absl::Time deadline, absl::Time responded_at) {
  return responded_at < deadline;
}

}  // namespace jisr::assistance
