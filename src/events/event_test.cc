// The JSON forms of events/: what users send is checked member by member
// (errors name the member), and what crosses round-trips.
#include "events/event.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "common/status.h"

namespace jisr::events {
namespace {

constexpr std::string_view kEvent = R"({
  "name": "AFCON 2025", "starts_on": "2025-12-21", "ends_on": "2026-01-18",
  "venues": [{"code": "RBT-PMA", "name": "Prince Moulay Abdellah Stadium", "city": "Rabat"}],
  "partners": ["FR-DGPN"]})";

std::string FieldFor(std::string_view json) {
  absl::StatusOr<EventContent> c = EventContentFromJson(*ParseJsonObject(json), "MA-DGSN");
  EXPECT_FALSE(c.ok()) << json;
  return FieldOf(c.status()).value_or("(none)");
}

TEST(EventJsonTest, ReadsAValidEventAndNamesTheMemberAtFault) {
  absl::StatusOr<EventContent> c = EventContentFromJson(*ParseJsonObject(kEvent), "MA-DGSN");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->venues.size(), 1u);
  EXPECT_EQ(c->starts_on, absl::CivilDay(2025, 12, 21));
  EXPECT_EQ(FieldFor(R"({"starts_on": "2025-12-21", "ends_on": "2026-01-18",
      "venues": [{"code": "A", "name": "B"}]})"), "name");
  EXPECT_EQ(FieldFor(R"({"name": "X", "starts_on": "2025-13-21", "ends_on": "2026-01-18",
      "venues": [{"code": "A", "name": "B"}]})"), "starts_on");
  EXPECT_EQ(FieldFor(R"({"name": "X", "starts_on": "2026-01-21", "ends_on": "2026-01-18",
      "venues": [{"code": "A", "name": "B"}]})"), "ends_on");
  EXPECT_EQ(FieldFor(R"({"name": "X", "starts_on": "2026-01-01", "ends_on": "2026-01-18",
      "venues": []})"), "venues");
  EXPECT_EQ(FieldFor(R"({"name": "X", "starts_on": "2026-01-01", "ends_on": "2026-01-18",
      "venues": [{"code": "A B", "name": "B"}]})"), "venues[0].code");
  EXPECT_EQ(FieldFor(R"({"name": "X", "starts_on": "2026-01-01", "ends_on": "2026-01-18",
      "venues": [{"code": "A", "name": "B"}, {"code": "A", "name": "C"}]})"), "venues[1].code");
  EXPECT_EQ(FieldFor(R"({"name": "X", "starts_on": "2026-01-01", "ends_on": "2026-01-18",
      "venues": [{"code": "A", "name": "B"}], "partners": ["fr-dgpn"]})"), "partners[0]");
  EXPECT_EQ(FieldFor(R"({"name": "X", "starts_on": "2026-01-01", "ends_on": "2026-01-18",
      "venues": [{"code": "A", "name": "B"}], "partners": ["MA-DGSN"]})"), "partners[0]");
  EXPECT_EQ(FieldFor(R"({"name": "X", "starts_on": "2026-01-01", "ends_on": "2026-01-18",
      "venues": [{"code": "A", "name": "B"}], "colour": "red"})"), "colour");
}

TEST(EventJsonTest, IncidentsNameTheMemberAtFault) {
  const auto field = [](std::string_view json) {
    absl::StatusOr<IncidentContent> c = IncidentContentFromJson(*ParseJsonObject(json));
    EXPECT_FALSE(c.ok()) << json;
    return FieldOf(c.status()).value_or("(none)");
  };
  constexpr std::string_view kOk = R"({"occurred_at": "2025-12-21T20:15:00Z", "venue": "RBT-PMA",
      "type": "violence", "severity": "high", "description": "Fight at gate 4",
      "alert_ids": ["0192f1d4-5b6c-7000-8000-000000000001"], "persons": ["Person Fictif"]})";
  absl::StatusOr<IncidentContent> ok = IncidentContentFromJson(*ParseJsonObject(kOk));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->severity, Severity::kHigh);
  EXPECT_EQ(field(R"({"occurred_at": "yesterday", "venue": "A", "type": "violence",
      "severity": "high", "description": "d"})"), "occurred_at");
  EXPECT_EQ(field(R"({"occurred_at": "2025-12-21T20:15:00Z", "venue": "A", "type": "riot",
      "severity": "high", "description": "d"})"), "type");
  EXPECT_EQ(field(R"({"occurred_at": "2025-12-21T20:15:00Z", "venue": "A", "type": "violence",
      "severity": "extreme", "description": "d"})"), "severity");
  EXPECT_EQ(field(R"({"occurred_at": "2025-12-21T20:15:00Z", "venue": "A", "type": "violence",
      "severity": "low", "description": "d", "alert_ids": ["nope"]})"), "alert_ids[0]");
}

TEST(EventJsonTest, SharedFormsRoundTrip) {
  Event e;
  e.id = "0192f1d4-5b6c-7000-8000-000000000010";
  e.host = "MA-DGSN";
  e.name = "AFCON 2025";
  e.starts_on = absl::CivilDay(2025, 12, 21);
  e.ends_on = absl::CivilDay(2026, 1, 18);
  e.venues = {{"RBT-PMA", "Stadium", "Rabat"}};
  e.partners = {"FR-DGPN"};
  e.version = 3;
  absl::StatusOr<Event> back = SharedEventFromJson(SharedEventJson(e));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->venues, e.venues);
  EXPECT_EQ(back->version, 3);
  EXPECT_EQ(back->host, "MA-DGSN");

  Incident i;
  i.id = "0192f1d4-5b6c-7000-8000-000000000011";
  i.event_id = e.id;
  i.owner = "FR-DGPN";
  i.occurred_at = absl::FromUnixMillis(1766348100000);
  i.venue = "RBT-PMA";
  i.type = "suspicious_item";
  i.severity = Severity::kCritical;
  i.description = "Unattended bag";
  i.reported_by = "Test officer";
  absl::StatusOr<Incident> ib = SharedIncidentFromJson(SharedIncidentJson(i));
  ASSERT_TRUE(ib.ok()) << ib.status();
  EXPECT_EQ(ib->occurred_at, i.occurred_at);
  EXPECT_EQ(ib->severity, Severity::kCritical);
  EXPECT_EQ(ib->owner, "FR-DGPN");
}

}  // namespace
}  // namespace jisr::events
