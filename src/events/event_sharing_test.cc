// events/ across nodes, in-process through the real receivers: the host's
// event reaches its partners, incidents (the host's and a partner's) reach
// the event's other agencies live, nobody may pass on a record it does not
// own, and an incident that arrives before its event is retried, not lost.
#include "events/event_sharing.h"

#include <gtest/gtest.h>

#include "common/ids.h"
#include "common/json.h"
#include "events/event_repository.h"
#include "federation/store.h"
#include "events/test_events.h"

namespace jisr::events {
namespace {

using testing::Afcon;
using testing::Deliver;
using testing::Fight;
using testing::Send;
using testing::Side;
using testing::TestUser;

class EventSharingTest : public ::testing::TestWithParam<std::string> {
 protected:
  EventSharingTest()
      : ma_(GetParam(), "MA-DGSN", clock_),
        fr_(GetParam(), "FR-DGPN", clock_),
        es_(GetParam(), "ES-PN", clock_) {
    for (Side* a : {&ma_, &fr_, &es_})
      for (Side* b : {&ma_, &fr_, &es_})
        if (a != b) testing::Pair(*a, *b, clock_);
  }

  void TearDown() override {
    for (Side* side : {&ma_, &fr_, &es_}) {
      absl::StatusOr<audit::VerifyResult> v = side->audit.Verify(side->db());
      ASSERT_TRUE(v.ok()) << v.status();
      EXPECT_TRUE(v->ok()) << side->agency << ": " << v->reason;
    }
  }

  std::vector<Incident> IncidentsAt(Side& side, const std::string& event_id) {
    absl::StatusOr<std::vector<Incident>> list =
        side.events.ListIncidents(officer_, event_id, std::nullopt, 1, 100, "event security");
    EXPECT_TRUE(list.ok()) << list.status();
    return list.value_or(std::vector<Incident>{});
  }

  FakeClock clock_;
  Side ma_;
  Side fr_;
  Side es_;
  security::Principal officer_ = TestUser("000000000001", "officer.one", security::Role::kOfficer);
  security::Principal supervisor_ =
      TestUser("000000000003", "super.one", security::Role::kSupervisor);
};

TEST_P(EventSharingTest, IncidentsCrossLiveBetweenTheHostAndItsPartner) {
  absl::StatusOr<Event> e = ma_.events.CreateEvent(supervisor_, Afcon(), "test");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  EXPECT_TRUE(Deliver(ma_, es_, clock_).empty());  // not a partner: nothing sent
  absl::StatusOr<Event> copy = fr_.events.GetEvent(officer_, e->id, "");
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(copy->host, "MA-DGSN");
  EXPECT_TRUE(copy->envelope_id.has_value());
  EXPECT_EQ(copy->venues, e->venues);

  absl::StatusOr<Incident> at_ma = ma_.events.AddIncident(officer_, e->id, Fight(clock_), "t");
  ASSERT_TRUE(at_ma.ok()) << at_ma.status();
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  std::vector<Incident> fr_log = IncidentsAt(fr_, e->id);
  ASSERT_EQ(fr_log.size(), 1u);
  EXPECT_EQ(fr_log[0].id, at_ma->id);
  EXPECT_EQ(fr_log[0].owner, "MA-DGSN");
  EXPECT_EQ(fr_log[0].description, at_ma->description);
  EXPECT_EQ(fr_log[0].severity, Severity::kHigh);

  // The partner logs its own incident on its copy: it reaches the host.
  clock_.Advance(absl::Minutes(5));
  IncidentContent theirs = Fight(clock_, "CAS-MV");
  theirs.type = "ticket_fraud";
  theirs.severity = Severity::kMedium;
  absl::StatusOr<Incident> at_fr = fr_.events.AddIncident(officer_, e->id, theirs, "t");
  ASSERT_TRUE(at_fr.ok()) << at_fr.status();
  EXPECT_EQ(at_fr->owner, "FR-DGPN");
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  std::vector<Incident> ma_log = IncidentsAt(ma_, e->id);
  ASSERT_EQ(ma_log.size(), 2u);
  EXPECT_EQ(ma_log[0].id, at_fr->id);  // newest first
  EXPECT_EQ(ma_log[0].owner, "FR-DGPN");
  EXPECT_EQ(ma_.Count("SELECT COUNT(*) FROM audit_log WHERE action = 'event.apply'"), 1);
  // Nothing went back or sideways.
  EXPECT_TRUE(Deliver(ma_, fr_, clock_).empty());
  EXPECT_TRUE(Deliver(fr_, es_, clock_).empty());
  EXPECT_EQ(es_.Count("SELECT COUNT(*) FROM events"), 0);
}

TEST_P(EventSharingTest, NobodyPassesOnARecordItDoesNotOwn) {
  absl::StatusOr<Event> e =
      ma_.events.CreateEvent(supervisor_, Afcon({"ES-PN", "FR-DGPN"}), "test");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  EXPECT_EQ(Deliver(ma_, es_, clock_), std::vector<std::string>{"accepted"});
  absl::StatusOr<Incident> at_ma = ma_.events.AddIncident(officer_, e->id, Fight(clock_), "t");
  ASSERT_TRUE(at_ma.ok());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});

  // Paris relays Rabat's incident to Madrid: refused.
  federation::Envelope relay;
  relay.id = NewUuidV7(clock_.Now());
  relay.kind = std::string(kIncidentKind);
  relay.record_id = "event-incident:" + at_ma->id;
  relay.version = 1;
  relay.body = ToJson(SharedIncidentJson(*at_ma));
  auto [status, results] = Send(fr_, es_, {relay}, clock_);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(results, std::vector<std::string>{"rejected"});
  EXPECT_EQ(es_.Count("SELECT COUNT(*) FROM event_incidents"), 0);
  // Paris forges an event of Rabat's: refused.
  federation::Envelope forged;
  forged.id = NewUuidV7(clock_.Now());
  forged.kind = std::string(kEventKind);
  forged.record_id = "event:" + e->id;
  Event changed = *e;
  changed.version = 2;
  changed.name = "Renamed by a partner";
  forged.version = 2;
  forged.body = ToJson(SharedEventJson(changed));
  auto [status2, results2] = Send(fr_, es_, {forged}, clock_);
  EXPECT_EQ(results2, std::vector<std::string>{"rejected"});
  EXPECT_EQ(es_.events.GetEvent(officer_, e->id, "")->name, "AFCON 2025");

  // Paris's own incident goes to both the host and the other partner.
  absl::StatusOr<Incident> at_fr = fr_.events.AddIncident(officer_, e->id, Fight(clock_), "t");
  ASSERT_TRUE(at_fr.ok());
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  EXPECT_EQ(Deliver(fr_, es_, clock_), std::vector<std::string>{"accepted"});
  EXPECT_EQ(IncidentsAt(es_, e->id).size(), 1u);  // Paris's; Rabat's not yet delivered
  EXPECT_EQ(Deliver(ma_, es_, clock_), std::vector<std::string>{"accepted"});
  EXPECT_EQ(IncidentsAt(es_, e->id).size(), 2u);
}

TEST_P(EventSharingTest, AnIncidentBeforeItsEventIsRetriedNotLost) {
  absl::StatusOr<Event> e =
      ma_.events.CreateEvent(supervisor_, Afcon({"ES-PN", "FR-DGPN"}), "test");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  absl::StatusOr<Incident> at_fr = fr_.events.AddIncident(officer_, e->id, Fight(clock_), "t");
  ASSERT_TRUE(at_fr.ok());
  // Madrid has not received the event yet: the incident is deferred (not
  // applied, not refused) and stays due at Paris.
  EXPECT_EQ(Deliver(fr_, es_, clock_), std::vector<std::string>{"deferred"});
  EXPECT_EQ(es_.Count("SELECT COUNT(*) FROM event_incidents"), 0);
  EXPECT_EQ(es_.Count("SELECT COUNT(*) FROM audit_log WHERE action = 'federation.reject'"), 0);
  EXPECT_EQ(Deliver(ma_, es_, clock_), std::vector<std::string>{"accepted"});
  EXPECT_EQ(Deliver(fr_, es_, clock_), std::vector<std::string>{"accepted"});
  EXPECT_EQ(IncidentsAt(es_, e->id).size(), 1u);
}

// Delivers everything due between every pair, `rounds` times.
void SettleAll(std::initializer_list<Side*> sides, FakeClock& clock, int rounds = 3) {
  for (int i = 0; i < rounds; ++i) {
    clock.Advance(absl::Milliseconds(2));
    for (Side* a : sides)
      for (Side* b : sides)
        if (a != b) Deliver(*a, *b, clock);
  }
}

TEST_P(EventSharingTest, TheHostChangesTheEventAndItsPartnersFollow) {
  absl::StatusOr<Event> e =
      ma_.events.CreateEvent(supervisor_, Afcon({"ES-PN", "FR-DGPN"}), "test");
  ASSERT_TRUE(e.ok()) << e.status();
  SettleAll({&ma_, &fr_, &es_}, clock_);
  ASSERT_TRUE(fr_.events.AddIncident(officer_, e->id, Fight(clock_), "t").ok());
  ASSERT_TRUE(es_.events.AddIncident(officer_, e->id, Fight(clock_), "t").ok());
  ASSERT_TRUE(ma_.events.AddIncident(officer_, e->id, Fight(clock_), "t").ok());
  SettleAll({&ma_, &fr_, &es_}, clock_);
  ASSERT_EQ(IncidentsAt(es_, e->id).size(), 3u);

  // Only the host changes it, at the version it saw.
  EventContent c = Afcon({"FR-DGPN"});  // Madrid removed
  c.name = "AFCON 2025 (final phase)";
  EXPECT_EQ(fr_.events.UpdateEvent(supervisor_, e->id, c, 1, "t").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ma_.events.UpdateEvent(supervisor_, e->id, c, 7, "t").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ma_.events.UpdateEvent(officer_, e->id, c, 1, "t").status().code(),
            absl::StatusCode::kPermissionDenied);
  EventContent no_venue = c;
  no_venue.venues = {Venue{"CAS-1", "Stade Mohammed V", "Casablanca"}};
  absl::Status venue_used = ma_.events.UpdateEvent(supervisor_, e->id, no_venue, 1, "t").status();
  EXPECT_EQ(FieldOf(venue_used).value_or(""), "venues") << venue_used;
  absl::StatusOr<Event> v2 = ma_.events.UpdateEvent(supervisor_, e->id, c, 1, "t");
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version, 2);
  SettleAll({&ma_, &fr_, &es_}, clock_);

  // Paris holds the new version; Madrid no longer sees the event, and holds
  // none of the others' incidents — only its own.
  absl::StatusOr<Event> at_fr = fr_.events.GetEvent(officer_, e->id, "t");
  ASSERT_TRUE(at_fr.ok());
  EXPECT_EQ(at_fr->name, "AFCON 2025 (final phase)");
  EXPECT_EQ(es_.events.GetEvent(officer_, e->id, "t").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(es_.events.AddIncident(officer_, e->id, Fight(clock_), "t").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(es_.Count("SELECT COUNT(*) FROM event_incidents WHERE owner <> 'ES-PN'"), 0);
  EXPECT_EQ(es_.Count("SELECT COUNT(*) FROM event_incidents WHERE owner = 'ES-PN'"), 1);
  EXPECT_EQ(es_.Count("SELECT COUNT(*) FROM audit_log WHERE action = 'event.purge'"), 1);
  // A record of Paris already on its way to Madrid is dropped there, not
  // refused (so Paris stops sending it).
  {
    Incident late;
    late.id = NewUuidV7(clock_.Now());
    late.event_id = e->id;
    late.owner = "FR-DGPN";
    late.occurred_at = TruncateToMillis(clock_.Now());
    late.venue = "RBT-PMA";
    late.type = "violence";
    late.severity = Severity::kLow;
    late.description = "Sent before Paris heard of the change (fictional).";
    late.version = 1;
    late.reported_by = "Officer One";
    ASSERT_TRUE(fr_.db()
                    .Run(db::TxMode::kWrite,
                         [&](db::Transaction& tx) {
                           const std::vector<std::string> to{"ES-PN"};
                           return federation::Publish(tx, to, kIncidentKind,
                                                      "event-incident:" + late.id, 1,
                                                      ToJson(SharedIncidentJson(late)),
                                                      clock_.Now());
                         })
                    .ok());
    EXPECT_EQ(Deliver(fr_, es_, clock_), std::vector<std::string>{"accepted"});
    EXPECT_EQ(es_.Count("SELECT COUNT(*) FROM event_incidents WHERE owner = 'FR-DGPN'"), 0);
  }
  // Paris's incidents go to Rabat only now.
  ASSERT_TRUE(fr_.events.AddIncident(officer_, e->id, Fight(clock_), "t").ok());
  EXPECT_EQ(fr_.Count("SELECT COUNT(*) FROM outbox WHERE recipient = 'ES-PN' "
                      "AND delivered_at IS NULL"),
            0);

  // Madrid is added again: it gets the event, and each agency's incidents
  // from that agency.
  absl::StatusOr<Event> v3 =
      ma_.events.UpdateEvent(supervisor_, e->id, Afcon({"ES-PN", "FR-DGPN"}), 2, "t");
  ASSERT_TRUE(v3.ok()) << v3.status();
  SettleAll({&ma_, &fr_, &es_}, clock_);
  ASSERT_TRUE(es_.events.GetEvent(officer_, e->id, "t").ok());
  EXPECT_EQ(IncidentsAt(es_, e->id).size(), 4u);  // Rabat 1, Paris 2, its own 1
}

TEST_P(EventSharingTest, DeploymentsReachTheEventsAgencies) {
  absl::StatusOr<Event> e = ma_.events.CreateEvent(supervisor_, Afcon(), "test");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  DeploymentContent d;
  d.agency = "FR-DGPN";
  d.officer_name = "Commandant Fictif";
  d.role = "liaison officer, police cooperation centre";
  d.venue = "RBT-PMA";
  d.starts_at = clock_.Now();
  d.ends_at = clock_.Now() + absl::Hours(24 * 28);
  ASSERT_TRUE(fr_.events.AddDeployment(officer_, e->id, d, "t").ok());
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  absl::StatusOr<std::vector<Deployment>> at_ma = ma_.events.ListDeployments(officer_, e->id, "");
  ASSERT_TRUE(at_ma.ok());
  ASSERT_EQ(at_ma->size(), 1u);
  EXPECT_EQ((*at_ma)[0].agency, "FR-DGPN");
  EXPECT_EQ((*at_ma)[0].officer_name, "Commandant Fictif");
}

INSTANTIATE_TEST_SUITE_P(Stores, EventSharingTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::events
