// THE deadline of a mutual-assistance request: the one place where the time
// limit is computed, from the moment the REQUESTED agency received the
// request.
//
// Legal reference: Directive (EU) 2023/977 of 10 May 2023 on the exchange of
// information between the law enforcement authorities of Member States,
// Article 5(1): the requested Single Point of Contact provides the
// information requested
//   (a) within 8 hours for urgent requests relating to directly accessible
//       information,
//   (b) within 3 calendar days for urgent requests relating to indirectly
//       accessible information,
//   (c) within 7 calendar days for all other requests;
// the periods start when the request is received (Art. 5(1), second
// subparagraph); and Article 6(3): while clarifications are awaited the
// period is suspended, from the moment the requesting Single Point of
// Contact receives the request for clarification until they are provided.
// jisr applies the same limits to every type of request (operational action,
// technical assistance, training and hit follow-ups included).
//
// Time is UTC throughout. A calendar day is 24 hours of UTC, so the limit
// does not move with daylight saving time in either country, and "3 calendar
// days" from 2026-03-28T23:30Z ends at 2026-03-31T23:30Z across the month's
// end (Europe/Paris changes to summer time on 2026-03-29; the UTC instant is
// what counts). The deadline is an instant: the period has elapsed AT it, so
// a request is overdue from its deadline on (7:59:59.999 after receipt is in
// time for an 8-hour limit, 8:00:00.000 is not), and a response is in time
// when it comes strictly before the deadline. Times are kept to the
// millisecond, as the stores keep them.
//
// Thread-safety: pure functions.
#ifndef JISR_ASSISTANCE_DEADLINE_H_
#define JISR_ASSISTANCE_DEADLINE_H_

#include <string_view>

#include "absl/time/time.h"
#include "assistance/assistance.h"

namespace jisr::assistance {

// One of the three limits of Article 5(1).
struct DeadlineRule {
  absl::Duration period;
  std::string_view name;  // "urgent_direct", "urgent_indirect", "normal"
  std::string_view
      legal_reference;  // e.g. "Directive (EU) 2023/977, Art. 5(1)(a)"
  std::string_view
      description;  // e.g. "8 hours (urgent, directly accessible information)"
};

// The rule for a request of `urgency` on information that is (or is not)
// directly accessible to the requested agency.
DeadlineRule DeadlineRuleFor(Urgency urgency, bool directly_accessible);

// The deadline of a request received at `received_at`: received_at + the
// rule's period + `suspended` (the time spent waiting for clarifications),
// to the millisecond.
absl::Time ComputeDeadline(absl::Time received_at, Urgency urgency,
                           bool directly_accessible,
                           absl::Duration suspended = absl::ZeroDuration());

// The share of the period after which the reminder is given.
inline constexpr double kWarningFraction = 0.75;

// When 75 % of the period has elapsed (suspension added), to the millisecond.
absl::Time ComputeWarningTime(absl::Time received_at, Urgency urgency,
                              bool directly_accessible,
                              absl::Duration suspended = absl::ZeroDuration());

// True when `now` is at or after `deadline` (the period has elapsed).
bool IsOverdue(absl::Time deadline, absl::Time now);

// True when a response at `responded_at` met `deadline` (strictly before).
bool RespondedInTime(absl::Time deadline, absl::Time responded_at);

}  // namespace jisr::assistance

#endif  // JISR_ASSISTANCE_DEADLINE_H_
