// The deadline of Directive (EU) 2023/977, Art. 5(1), at its boundaries.
#include "assistance/deadline.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/json.h"

namespace jisr::assistance {
namespace {

absl::Time At(std::string_view rfc3339) {
  absl::StatusOr<absl::Time> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.value_or(absl::UnixEpoch());
}

TEST(DeadlineTest, TheThreeRulesOfArticle5) {
  const DeadlineRule direct = DeadlineRuleFor(Urgency::kUrgent, true);
  EXPECT_EQ(direct.period, absl::Hours(8));
  EXPECT_EQ(direct.name, "urgent_direct");
  EXPECT_EQ(direct.legal_reference, "Directive (EU) 2023/977, Art. 5(1)(a)");
  const DeadlineRule indirect = DeadlineRuleFor(Urgency::kUrgent, false);
  EXPECT_EQ(indirect.period, absl::Hours(72));
  EXPECT_EQ(indirect.legal_reference, "Directive (EU) 2023/977, Art. 5(1)(b)");
  // Non-urgent: seven days whether or not the data is directly accessible.
  for (bool accessible : {true, false}) {
    const DeadlineRule normal = DeadlineRuleFor(Urgency::kNormal, accessible);
    EXPECT_EQ(normal.period, absl::Hours(7 * 24));
    EXPECT_EQ(normal.name, "normal");
    EXPECT_EQ(normal.legal_reference, "Directive (EU) 2023/977, Art. 5(1)(c)");
  }
}

TEST(DeadlineTest, EightHoursEndAtTheInstant) {
  const absl::Time received = At("2026-05-04T09:15:00Z");
  const absl::Time deadline = ComputeDeadline(received, Urgency::kUrgent, true);
  EXPECT_EQ(deadline, At("2026-05-04T17:15:00Z"));
  // 7:59:59.999 after receipt: in time; 8:00:00.000: the period has elapsed.
  const absl::Time just_before =
      received + absl::Hours(8) - absl::Milliseconds(1);
  EXPECT_FALSE(IsOverdue(deadline, just_before));
  EXPECT_TRUE(RespondedInTime(deadline, just_before));
  EXPECT_FALSE(IsOverdue(deadline, received + absl::Hours(7) +
                                       absl::Minutes(59) + absl::Seconds(59)));
  EXPECT_TRUE(IsOverdue(deadline, received + absl::Hours(8)));
  EXPECT_FALSE(RespondedInTime(deadline, received + absl::Hours(8)));
  EXPECT_TRUE(
      IsOverdue(deadline, received + absl::Hours(8) + absl::Milliseconds(1)));
  // Across midnight.
  EXPECT_EQ(ComputeDeadline(At("2026-05-04T20:30:00Z"), Urgency::kUrgent, true),
            At("2026-05-05T04:30:00Z"));
}

TEST(DeadlineTest, CalendarDaysAcrossMonthAndYearEnds) {
  // Three days from the last day of January; seven days across February of
  // a common year (2026) and of a leap year (2028); across the year's end.
  EXPECT_EQ(
      ComputeDeadline(At("2026-01-31T22:00:00Z"), Urgency::kUrgent, false),
      At("2026-02-03T22:00:00Z"));
  EXPECT_EQ(
      ComputeDeadline(At("2026-02-25T10:00:00Z"), Urgency::kNormal, false),
      At("2026-03-04T10:00:00Z"));
  EXPECT_EQ(ComputeDeadline(At("2028-02-25T10:00:00Z"), Urgency::kNormal, true),
            At("2028-03-03T10:00:00Z"));
  EXPECT_EQ(
      ComputeDeadline(At("2026-12-30T12:00:00Z"), Urgency::kNormal, false),
      At("2027-01-06T12:00:00Z"));
  const absl::Time received = At("2026-04-30T23:59:59.999Z");
  const absl::Time deadline =
      ComputeDeadline(received, Urgency::kUrgent, false);
  EXPECT_EQ(deadline, At("2026-05-03T23:59:59.999Z"));
  EXPECT_FALSE(IsOverdue(deadline, At("2026-05-03T23:59:59.998Z")));
  EXPECT_TRUE(IsOverdue(deadline, At("2026-05-03T23:59:59.999Z")));
}

TEST(DeadlineTest, DaylightSavingTimeDoesNotMoveAUtcDeadline) {
  // Europe/Paris moves to summer time at 2026-03-29T01:00Z and back at
  // 2026-10-25T01:00Z: the periods stay exactly 72 and 168 hours of UTC.
  const absl::Time spring = At("2026-03-28T23:30:00Z");
  const absl::Time spring_deadline =
      ComputeDeadline(spring, Urgency::kUrgent, false);
  EXPECT_EQ(spring_deadline, At("2026-03-31T23:30:00Z"));
  EXPECT_EQ(spring_deadline - spring, absl::Hours(72));
  const absl::Time autumn = At("2026-10-24T12:00:00Z");
  EXPECT_EQ(ComputeDeadline(autumn, Urgency::kNormal, false) - autumn,
            absl::Hours(168));
  // What a Paris wall clock shows moves by the hour changed, when the zone
  // database is installed.
  absl::TimeZone paris;
  if (absl::LoadTimeZone("Europe/Paris", &paris)) {
    const absl::CivilSecond before = absl::ToCivilSecond(spring, paris);
    const absl::CivilSecond after = absl::ToCivilSecond(spring_deadline, paris);
    EXPECT_EQ(before, absl::CivilSecond(2026, 3, 29, 0, 30, 0));  // CET
    EXPECT_EQ(after, absl::CivilSecond(2026, 4, 1, 1, 30, 0));    // CEST
  }
}

TEST(DeadlineTest, SuspensionForClarificationIsAdded) {
  const absl::Time received = At("2026-06-01T08:00:00Z");
  const absl::Duration suspended = absl::Hours(2) + absl::Minutes(15);
  EXPECT_EQ(ComputeDeadline(received, Urgency::kUrgent, true, suspended),
            At("2026-06-01T18:15:00Z"));
  EXPECT_EQ(ComputeDeadline(received, Urgency::kNormal, false, suspended),
            At("2026-06-08T10:15:00Z"));
}

TEST(DeadlineTest, TheReminderComesAt75Percent) {
  const absl::Time received = At("2026-06-01T08:00:00Z");
  EXPECT_EQ(ComputeWarningTime(received, Urgency::kUrgent, true),
            At("2026-06-01T14:00:00Z"));
  EXPECT_EQ(ComputeWarningTime(received, Urgency::kUrgent, false),
            At("2026-06-03T14:00:00Z"));
  EXPECT_EQ(ComputeWarningTime(received, Urgency::kNormal, false),
            At("2026-06-06T14:00:00Z"));
  EXPECT_EQ(
      ComputeWarningTime(received, Urgency::kUrgent, true, absl::Minutes(30)),
      At("2026-06-01T14:30:00Z"));
}

TEST(DeadlineTest, TimesAreKeptToTheMillisecond) {
  const absl::Time received =
      At("2026-06-01T08:00:00.123Z") + absl::Microseconds(456);
  const absl::Time deadline = ComputeDeadline(received, Urgency::kUrgent, true);
  EXPECT_EQ(deadline, At("2026-06-01T16:00:00.123Z"));
  EXPECT_EQ(deadline, TruncateToMillis(deadline));
}

}  // namespace
}  // namespace jisr::assistance
