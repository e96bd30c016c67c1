// The sender against a fake partner on loopback (a real mutual-TLS
// FederationServer whose handler answers by record): an envelope the partner
// refuses is sent exactly max_refusals times and then dead-lettered, while
// deferred envelopes and a partner that cannot be reached are retried
// without limit; an administrator's retry sends a dead letter again.
#include "federation/sender.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "db/test_stores.h"
#include "federation/envelope.h"
#include "federation/receiver.h"
#include "federation/store.h"
#include "federation/transport.h"

namespace jisr::federation {
namespace {

// The fake partner: "alert:refused*" is rejected, "alert:deferred*" deferred,
// anything else accepted; counts the envelopes it saw by record id.
class FakePartner {
 public:
  FakePartner() {
    identity_ = *CreateSelfSignedIdentity("FR-DGPN", absl::Now() - absl::Hours(1), absl::Hours(24));
    fingerprint_ = *CertificateFingerprint(identity_.certificate_pem);
    FederationServerOptions options;
    server_ = std::make_unique<FederationServer>(
        options, identity_, [](std::string_view) { return true; }, nullptr,
        [this](const FederationRequest& req) { return Answer(req); });
    EXPECT_TRUE(server_->Start().ok());
  }
  ~FakePartner() { server_->Stop(); }

  std::string url() const { return "https://127.0.0.1:" + std::to_string(server_->port()); }
  const std::string& fingerprint() const { return fingerprint_; }
  int Seen(const std::string& record_id) {
    std::lock_guard lock(mu_);
    return seen_[record_id];
  }

 private:
  FederationResponse Answer(const FederationRequest& req) {
    boost::json::array results;
    absl::StatusOr<boost::json::object> body = ParseJsonObject(req.body);
    if (body.ok() && body->contains("envelopes")) {
      for (const boost::json::value& v : body->at("envelopes").as_array()) {
        const std::string id(v.at("id").as_string());
        const std::string record(v.at("record_id").as_string());
        {
          std::lock_guard lock(mu_);
          ++seen_[record];
        }
        std::string status = "accepted";
        if (record.rfind("alert:refused", 0) == 0) status = "rejected";
        if (record.rfind("alert:deferred", 0) == 0) status = "deferred";
        results.push_back(boost::json::object{{"id", id}, {"status", status}, {"reason", "test"}});
      }
    }
    FederationResponse r;
    r.body = ToJson(boost::json::object{{"results", std::move(results)}});
    return r;
  }

  TlsIdentity identity_;
  std::string fingerprint_;
  std::unique_ptr<FederationServer> server_;
  std::mutex mu_;
  std::map<std::string, int> seen_;
};

class SenderDeadLetterTest : public ::testing::TestWithParam<std::string> {
 protected:
  SenderDeadLetterTest() : store_(GetParam()) {
    identity_.signing = GenerateSigningKey();
    identity_.tls = *CreateSelfSignedIdentity("MA-DGSN", absl::Now() - absl::Hours(1),
                                              absl::Hours(24));
    identity_.tls_fingerprint = *CertificateFingerprint(identity_.tls.certificate_pem);
  }
  db::Database& db() { return store_.db(); }

  void AddPeer(const std::string& code, const std::string& url, const std::string& fingerprint) {
    Peer p;
    p.card.agency = code;
    p.card.country = code.substr(0, 2);
    p.card.name_en = p.card.name_fr = p.card.name_ar = code;
    p.card.federation_url = url;
    p.card.tls_fingerprint = fingerprint;
    p.card.signing_key = GenerateSigningKey().public_key;
    p.added_by = "cli:test";
    p.added_at = absl::Now();
    ASSERT_TRUE(
        db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) { return InsertPeer(tx, p); }).ok());
  }
  void PublishTo(const std::string& to, const std::string& record) {
    const std::vector<std::string> recipients = {to};
    ASSERT_TRUE(db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
                      return Publish(tx, recipients, "alert.upsert", record, 1, "{}", absl::Now());
                    }).ok());
  }
  // {id, attempts, refusals, dead} of the row of `record`.
  struct Row {
    std::string id;
    int64_t attempts = 0;
    int64_t refusals = 0;
    bool dead = false;
    bool delivered = false;
  };
  Row Get(const std::string& record) {
    Row out;
    EXPECT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
                      JISR_ASSIGN_OR_RETURN(
                          std::optional<db::Row> r,
                          tx.QueryOptional("SELECT id, attempts, refusals, dead_at, delivered_at "
                                           "FROM outbox WHERE record_id = $1",
                                           {record}));
                      if (!r) return absl::OkStatus();
                      out.id = r->GetText(0);
                      out.attempts = r->GetInt(1);
                      out.refusals = r->GetInt(2);
                      out.dead = !r->IsNull(3);
                      out.delivered = !r->IsNull(4);
                      return absl::OkStatus();
                    }).ok());
    return out;
  }
  // Polls `pred` every 20 ms for up to `limit`; returns its last value.
  template <typename Pred>
  bool WaitFor(Pred pred, absl::Duration limit = absl::Seconds(20)) {
    const absl::Time end = absl::Now() + limit;
    while (absl::Now() < end) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pred();
  }

  db::testing::TestStore store_;
  NodeIdentity identity_;
};

TEST_P(SenderDeadLetterTest, RefusedEnvelopesAreDeadLetteredOthersRetriedWithoutLimit) {
  FakePartner partner;
  AddPeer("FR-DGPN", partner.url(), partner.fingerprint());
  // Nothing listens on port 9 of loopback: every attempt is a transport failure.
  AddPeer("ES-PN", "https://127.0.0.1:9", "sha256:" + std::string(64, 'c'));
  PublishTo("FR-DGPN", "alert:refused");
  PublishTo("FR-DGPN", "alert:deferred");
  PublishTo("FR-DGPN", "alert:ok");
  PublishTo("ES-PN", "alert:away");

  SenderOptions options;
  options.agency = "MA-DGSN";
  options.retry_initial = absl::Milliseconds(1);
  options.retry_max = absl::Milliseconds(1);  // every back-off is the 50 ms floor
  options.poll = absl::Milliseconds(50);
  options.max_refusals = 3;
  options.client.connect_timeout = absl::Seconds(2);
  metrics::Registry registry;
  Sender sender(db(), SystemClock::Instance(), identity_, options, &registry);
  ASSERT_TRUE(sender.Start().ok());

  ASSERT_TRUE(WaitFor([&] { return Get("alert:refused").dead; })) << Get("alert:refused").refusals;
  ASSERT_TRUE(WaitFor([&] { return partner.Seen("alert:deferred") > 6; }));
  ASSERT_TRUE(WaitFor([&] { return Get("alert:away").attempts > 6; }));
  EXPECT_TRUE(WaitFor([&] { return Get("alert:ok").delivered; }));
  // No further attempt at the dead letter.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(partner.Seen("alert:refused"), 3);
  Row refused = Get("alert:refused");
  EXPECT_EQ(refused.refusals, 3);
  EXPECT_EQ(refused.attempts, 3);
  Row deferred = Get("alert:deferred");
  EXPECT_FALSE(deferred.dead);
  EXPECT_EQ(deferred.refusals, 0);
  EXPECT_GT(deferred.attempts, 3);
  Row away = Get("alert:away");
  EXPECT_FALSE(away.dead);
  EXPECT_EQ(away.refusals, 0);
  EXPECT_GT(away.attempts, 3);
  EXPECT_TRUE(WaitFor([&] {
    return registry.Render().find("jisr_federation_outbox_dead{peer=\"FR-DGPN\"} 1") !=
           std::string::npos;
  }, absl::Seconds(5))) << registry.Render();

  // An administrator's retry: sent again, refused max_refusals more times.
  ASSERT_TRUE(db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
                    return RetryDeadLetter(tx, "FR-DGPN", refused.id, absl::Now()).status();
                  }).ok());
  ASSERT_TRUE(WaitFor([&] { return partner.Seen("alert:refused") >= 6; }));
  ASSERT_TRUE(WaitFor([&] { return Get("alert:refused").dead; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(partner.Seen("alert:refused"), 6);
  sender.Stop();
}

INSTANTIATE_TEST_SUITE_P(Stores, SenderDeadLetterTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::federation
