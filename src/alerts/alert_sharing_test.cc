// Alerts and hits between two agencies in one process: Rabat (MA-DGSN, the
// fixture's services) and Paris (FR-DGPN, a second store), their envelopes
// carried by Deliver() through the real federation::Receiver (signatures,
// versions, inbox) without TLS.
#include "alerts/alert_sharing.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <thread>

#include "alerts/test_alerts.h"
#include "common/status.h"
#include "federation/receiver.h"
#include "federation/store.h"
#include "federation/test_bridge.h"

namespace jisr::alerts {
namespace {

using federation::Envelope;
using federation::SigningKey;
using testing::ArrestContent;

// One agency's side: its store, services, receiver and signing key.
struct Side {
  Side(const std::string& kind, std::string code, const Clock& clock)
      : agency(std::move(code)),
        store(kind),
        audit(clock),
        service(store.db(), audit, clock, &index, Options(agency)),
        hits(store.db(), audit, clock, agency),
        receiver(store.db(), audit, clock, federation::ReceiverOptions{agency}),
        screening(store.db(), audit, index) {
    EXPECT_TRUE(RegisterAlertHandlers(receiver, agency, clock).ok());
    EXPECT_TRUE(service.FollowChanges().ok());
  }
  static AlertServiceOptions Options(const std::string& agency) {
    AlertServiceOptions o;
    o.agency = agency;
    return o;
  }
  std::string Cert() const { return federation::testing::TestCertificate(agency); }
  db::Database& db() { return store.db(); }

  std::string agency;
  db::testing::TestStore store;
  audit::AuditLog audit;
  AlertIndex index;
  AlertService service;
  HitService hits;
  federation::Receiver receiver;
  ScreeningService screening;
  SigningKey key = federation::GenerateSigningKey();
};

using federation::testing::Pair;

// Sends everything `from` has due for `to`, as the sender would; returns the
// receiver's per-envelope statuses.
std::vector<std::string> Deliver(Side& from, Side& to, const Clock& clock) {
  return federation::testing::DeliverBatch(
      from, to, federation::testing::Claim(from, to.agency, clock), clock);
}

// Waits (bounded) until `side`'s index agrees on whether `id` is listed.
bool IndexSays(const Side& side, const std::string& id, bool listed) {
  for (int i = 0; i < 200; ++i) {
    if (side.index.Contains(id) == listed) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

class AlertSharingTest : public testing::AlertsServiceTest {
 protected:
  AlertSharingTest()
      : ma_(GetParam(), "MA-DGSN", clock_), fr_(GetParam(), "FR-DGPN", clock_),
        es_(GetParam(), "ES-PN", clock_) {
    Pair(ma_, fr_, clock_);
    Pair(fr_, ma_, clock_);
    Pair(es_, ma_, clock_);
    Pair(es_, fr_, clock_);
    Pair(fr_, es_, clock_);
  }

  // Drafted by an officer at Rabat, activated by a supervisor there.
  Alert ActiveAtRabat(const AlertContent& content) {
    absl::StatusOr<Alert> a = ma_.service.Create(officer_, content, "test");
    EXPECT_TRUE(a.ok()) << a.status();
    absl::StatusOr<Alert> active = ma_.service.Activate(supervisor_, a->id, a->version, "test");
    EXPECT_TRUE(active.ok()) << active.status();
    return *active;
  }

  std::optional<Alert> At(Side& side, const std::string& id) {
    std::optional<Alert> out;
    EXPECT_TRUE(side.store.db()
                    .Run(db::TxMode::kRead,
                         [&](db::Transaction& tx) -> absl::Status {
                           JISR_ASSIGN_OR_RETURN(out, GetAlert(tx, id));
                           return absl::OkStatus();
                         })
                    .ok());
    return out;
  }

  int64_t CountAt(Side& side, std::string_view sql) {
    auto tx = *side.store.db().Begin(db::TxMode::kRead);
    return (*tx->Query(sql))[0].GetInt(0);
  }

  Side ma_, fr_, es_;
};

TEST_P(AlertSharingTest, OnlyActiveSharedAlertsArePublishedToTheirRecipients) {
  AlertContent local = ArrestContent("Yassine Exemplor");
  local.share_with.clear();
  absl::StatusOr<Alert> draft = ma_.service.Create(officer_, ArrestContent(), "test");
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(CountAt(ma_, "SELECT COUNT(*) FROM outbox"), 0);  // drafts stay home
  ActiveAtRabat(local);
  EXPECT_EQ(CountAt(ma_, "SELECT COUNT(*) FROM outbox"), 0);  // shared with nobody
  ActiveAtRabat(ArrestContent("Karim Testaoui"));
  EXPECT_EQ(CountAt(ma_, "SELECT COUNT(*) FROM outbox WHERE recipient = 'FR-DGPN' AND kind = "
                         "'alert.upsert'"),
            1);
}

TEST_P(AlertSharingTest, ACopyArrivesIsScreenedReadOnlyAndPurgedOnWithdrawal) {
  const Alert a = ActiveAtRabat(ArrestContent("Karim Testaoui"));
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  std::optional<Alert> copy = At(fr_, a.id);
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->owner, "MA-DGSN");
  EXPECT_EQ(copy->version, a.version);
  EXPECT_EQ(copy->content, a.content);
  EXPECT_EQ(copy->created_by, "peer:MA-DGSN");
  ASSERT_TRUE(IndexSays(fr_, a.id, true));
  // Screened at Paris with the name in Arabic script.
  ScreeningSubject subject;
  subject.names = {"كريم تستاوي"};
  absl::StatusOr<std::vector<ScreenMatch>> found =
      fr_.screening.Screen(officer_, subject, "border check");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_FALSE(found->empty());
  EXPECT_EQ((*found)[0].alert_id, a.id);
  EXPECT_EQ((*found)[0].owner, "MA-DGSN");
  // Read-only at Paris, with its provenance.
  absl::StatusOr<Alert> read = fr_.service.Get(officer_, a.id, "test");
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->provenance.has_value());
  EXPECT_EQ(read->provenance->sender, "MA-DGSN");
  EXPECT_EQ(fr_.service.Suspend(supervisor_, a.id, a.version, "no", "test").status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The same shared state on both sides.
  absl::StatusOr<SharedDigest> at_ma, at_fr;
  ASSERT_TRUE(ma_.store.db().Run(db::TxMode::kRead, [&](db::Transaction& tx) {
    at_ma = SharedAlertsDigest(tx, "MA-DGSN", "FR-DGPN", "MA-DGSN");
    return at_ma.status();
  }).ok());
  ASSERT_TRUE(fr_.store.db().Run(db::TxMode::kRead, [&](db::Transaction& tx) {
    at_fr = SharedAlertsDigest(tx, "MA-DGSN", "FR-DGPN", "FR-DGPN");
    return at_fr.status();
  }).ok());
  EXPECT_EQ(at_ma->alerts, 1);
  EXPECT_EQ(at_ma->digest, at_fr->digest);
  // A hit filed at Paris on the copy, then Rabat withdraws the alert.
  HitReport report;
  report.place = "Paris-Charles de Gaulle";
  report.occurred_at = clock_.Now() - absl::Hours(1);
  report.circumstances = "Identified at passport control (synthetic test).";
  report.action_taken = "Held for verification.";
  report.contact = "Duty officer";
  ASSERT_TRUE(fr_.hits.Report(officer_, a.id, report, "hit").ok());
  ASSERT_TRUE(ma_.service.Withdraw(supervisor_, a.id, a.version, "warrant cancelled", "test").ok());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  EXPECT_FALSE(At(fr_, a.id).has_value());
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM alert_hits"), 0);
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM alert_tombstones"), 1);
  EXPECT_TRUE(IndexSays(fr_, a.id, false));
  // An old version arriving late does not bring it back.
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM alerts"), 0);
}

TEST_P(AlertSharingTest, UpdatesArriveInAnyOrderAndTheNewestWins) {
  const Alert a = ActiveAtRabat(ArrestContent("Karim Testaoui"));
  ASSERT_TRUE(ma_.service.Update(officer_, a.id, a.version,
                                 Patch(R"({"birth_place":"Oujda"})"), "test").ok());
  ASSERT_TRUE(ma_.service.Suspend(supervisor_, a.id, a.version + 1, "check", "test").ok());
  // Three envelopes in flight; deliver them newest first by hand.
  std::vector<federation::PendingEnvelope> rows;
  ASSERT_TRUE(ma_.store.db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(rows, federation::ClaimBatch(tx, ma_.store.db().dialect(), "FR-DGPN",
                                                       clock_.Now(), absl::Seconds(1), 10));
    return absl::OkStatus();
  }).ok());
  ASSERT_EQ(rows.size(), 3u);
  std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
    return x.envelope.version > y.envelope.version;
  });
  boost::json::array list;
  for (auto& p : rows) {
    p.envelope.from = "MA-DGSN";
    p.envelope.sent_at = TruncateToMillis(clock_.Now());
    federation::Sign(ma_.key, &p.envelope);
    list.push_back(federation::EnvelopeToJson(p.envelope));
  }
  federation::FederationRequest req{ma_.Cert(), "", "POST", std::string(federation::kEnvelopesPath),
                                    "application/json",
                                    ToJson(boost::json::object{{"envelopes", list}})};
  federation::FederationResponse r = fr_.receiver.Handle(req);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("superseded"), std::string::npos) << r.body;
  std::optional<Alert> copy = At(fr_, a.id);
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->status, AlertStatus::kSuspended);
  EXPECT_EQ(copy->version, a.version + 2);
  EXPECT_EQ(copy->content.birth_place, "Oujda");
  EXPECT_TRUE(IndexSays(fr_, a.id, false));  // suspended: not screened
}

TEST_P(AlertSharingTest, AShareWithRemovalPurgesThatPartnerOnly) {
  AlertContent content = ArrestContent("Karim Testaoui");
  content.share_with = {"FR-DGPN", "ES-PN"};
  const Alert a = ActiveAtRabat(content);
  ASSERT_TRUE(ma_.service.Update(officer_, a.id, a.version,
                                 Patch(R"({"share_with":["ES-PN"]})"), "test").ok());
  EXPECT_EQ(CountAt(ma_, "SELECT COUNT(*) FROM outbox WHERE recipient = 'FR-DGPN' AND kind = "
                         "'alert.purge'"),
            1);
  EXPECT_EQ(CountAt(ma_, "SELECT COUNT(*) FROM outbox WHERE recipient = 'ES-PN' AND kind = "
                         "'alert.upsert'"),
            2);
  Deliver(ma_, fr_, clock_);
  EXPECT_FALSE(At(fr_, a.id).has_value());
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM alert_tombstones"), 1);
}

TEST_P(AlertSharingTest, APartnersAlertIsNeverPassedOn) {
  AlertContent content = ArrestContent("Karim Testaoui");
  content.share_with = {"FR-DGPN"};
  const Alert a = ActiveAtRabat(content);
  Deliver(ma_, fr_, clock_);
  ASSERT_TRUE(At(fr_, a.id).has_value());
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM outbox"), 0);
  // Paris crafts an envelope re-sending Rabat's alert to Madrid.
  std::optional<Alert> copy = At(fr_, a.id);
  copy->content.share_with = {"FR-DGPN", "ES-PN"};
  Envelope e;
  e.id = NewUuidV7(clock_.Now());
  e.from = "FR-DGPN";
  e.to = "ES-PN";
  e.kind = std::string(kAlertUpsertKind);
  e.record_id = "alert:" + a.id;
  e.version = copy->version;
  e.sent_at = TruncateToMillis(clock_.Now());
  e.body = ToJson(SharedAlertJson(*copy));
  federation::Sign(fr_.key, &e);
  federation::FederationRequest req{
      fr_.Cert(), "", "POST", std::string(federation::kEnvelopesPath), "application/json",
      ToJson(boost::json::object{{"envelopes", boost::json::array{federation::EnvelopeToJson(e)}}})};
  federation::FederationResponse r = es_.receiver.Handle(req);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"rejected\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("may not pass it on"), std::string::npos) << r.body;
  EXPECT_FALSE(At(es_, a.id).has_value());
}

TEST_P(AlertSharingTest, HitReportsGoToTheOwnerAndRepliesComeBack) {
  const Alert a = ActiveAtRabat(ArrestContent("Karim Testaoui"));
  Deliver(ma_, fr_, clock_);
  HitReport report;
  report.place = "Marseille port";
  report.occurred_at = clock_.Now() - absl::Hours(1);
  report.circumstances = "Seen boarding a ferry (synthetic test).";
  report.action_taken = "Discreet check.";
  report.contact = "Duty officer";
  absl::StatusOr<Hit> hit = fr_.hits.Report(officer_, a.id, report, "hit");
  ASSERT_TRUE(hit.ok()) << hit.status();
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  absl::StatusOr<HitPage> inbox = ma_.hits.Inbox(supervisor_, std::nullopt, 1, 50, "");
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->total, 1);
  EXPECT_EQ(inbox->hits[0].id, hit->id);
  EXPECT_EQ(inbox->hits[0].reporting_agency, "FR-DGPN");
  ASSERT_TRUE(ma_.hits.Acknowledge(supervisor_, hit->id, 1, "Thank you, team on its way", "").ok());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  absl::StatusOr<Hit> back = fr_.hits.Get(officer_, hit->id, "");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->state, HitState::kAcknowledged);
  EXPECT_EQ(back->reply, "Thank you, team on its way");
  EXPECT_EQ(back->version, 2);
}

TEST_P(AlertSharingTest, CopiesAreNotExpiredByThePartner) {
  const Alert a = ActiveAtRabat(ArrestContent("Karim Testaoui"));
  Deliver(ma_, fr_, clock_);
  ASSERT_TRUE(fr_.service.RunReviews(clock_.Now() + absl::Hours(24 * 365 * 6)).ok());
  std::optional<Alert> copy = At(fr_, a.id);
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->status, AlertStatus::kActive);
  // The owner's expiry purges it.
  clock_.Advance(absl::Hours(24 * 365 * 6));
  absl::StatusOr<ReviewReport> reviewed = ma_.service.RunReviews(clock_.Now());
  ASSERT_TRUE(reviewed.ok()) << reviewed.status();
  EXPECT_EQ(reviewed->expired.size(), 1u);
  const std::vector<std::string> statuses = Deliver(ma_, fr_, clock_);
  ASSERT_FALSE(statuses.empty());
  for (const std::string& s : statuses) EXPECT_EQ(s, "accepted");
  EXPECT_FALSE(At(fr_, a.id).has_value());
}

INSTANTIATE_TEST_SUITE_P(Stores, AlertSharingTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::alerts
