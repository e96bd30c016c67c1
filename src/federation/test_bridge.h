// Test support: agencies of one test process exchanging envelopes through the
// real federation::Receiver (signatures, versions, inbox) without TLS. A
// module's test keeps its own "side" type (its store, services and receiver)
// and uses these functions on it; a side needs
//   std::string agency;                      // its code
//   db::Database& db();                      // its store
//   federation::Receiver receiver;           // its receiver
//   federation::SigningKey key;              // its signing key
//   std::string Cert() const;                // its certificate fingerprint
//
// Thread-safety: test-only, single thread.
#ifndef JISR_FEDERATION_TEST_BRIDGE_H_
#define JISR_FEDERATION_TEST_BRIDGE_H_

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "db/database.h"
#include "federation/envelope.h"
#include "federation/receiver.h"
#include "federation/store.h"

namespace jisr::federation::testing {

// A fake certificate fingerprint for agency `code` ("sha256:aaa…" for MA,
// "bbb…" for FR, "ccc…" for any other).
inline std::string TestCertificate(std::string_view code) {
  return "sha256:" + std::string(64, code[0] == 'M' ? 'a' : code[0] == 'F' ? 'b' : 'c');
}

// Registers `peer` at `at` (its card: code, certificate, key).
template <typename Side>
void Pair(Side& at, const Side& peer, const Clock& clock) {
  Peer p;
  p.card.agency = peer.agency;
  p.card.country = peer.agency.substr(0, 2);
  p.card.name_en = p.card.name_fr = p.card.name_ar = peer.agency;
  p.card.federation_url = "https://127.0.0.1:9";
  p.card.tls_fingerprint = peer.Cert();
  p.card.signing_key = peer.key.public_key;
  p.added_by = "cli:test";
  p.added_at = clock.Now();
  ASSERT_TRUE(
      at.db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) { return InsertPeer(tx, p); }).ok());
}

// Claims everything `from` has due for agency `to`, as the sender would.
template <typename Side>
std::vector<PendingEnvelope> Claim(Side& from, const std::string& to, const Clock& clock) {
  std::vector<PendingEnvelope> batch;
  EXPECT_TRUE(from.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) -> absl::Status {
                         JISR_ASSIGN_OR_RETURN(batch,
                                               ClaimBatch(tx, from.db().dialect(), to, clock.Now(),
                                                          absl::Seconds(30), 1000));
                         return absl::OkStatus();
                       })
                  .ok());
  return batch;
}

// Signs `envelopes` as `from` (from, to and sent_at set here) and posts them
// to `to`'s receiver with `from`'s certificate; returns the HTTP status and
// the per-envelope {status, reason} pairs (none unless 200).
template <typename Side>
std::pair<int, std::vector<std::pair<std::string, std::string>>> Post(
    Side& from, Side& to, std::vector<Envelope> envelopes, const Clock& clock) {
  boost::json::array list;
  for (Envelope& e : envelopes) {
    e.from = from.agency;
    e.to = to.agency;
    e.sent_at = TruncateToMillis(clock.Now());
    Sign(from.key, &e);
    list.push_back(EnvelopeToJson(e));
  }
  FederationRequest req;
  req.peer_fingerprint = from.Cert();
  req.method = "POST";
  req.target = std::string(kEnvelopesPath);
  req.body = ToJson(boost::json::object{{"envelopes", std::move(list)}});
  const FederationResponse r = to.receiver.Handle(req);
  std::vector<std::pair<std::string, std::string>> out;
  if (r.status != 200) return {r.status, out};
  const boost::json::object answer = *ParseJsonObject(r.body);
  for (const auto& v : answer.at("results").as_array()) {
    const boost::json::object& o = v.as_object();
    out.emplace_back(std::string(o.at("status").as_string()),
                     o.contains("reason") ? std::string(o.at("reason").as_string()) : "");
  }
  return {r.status, out};
}

// Posts `batch` (claimed from `from`) to `to`, marks it delivered at `from`
// and returns the statuses. Expects the receiver to answer 200.
template <typename Side>
std::vector<std::string> DeliverBatch(Side& from, Side& to,
                                      const std::vector<PendingEnvelope>& batch,
                                      const Clock& clock) {
  std::vector<std::string> statuses;
  if (batch.empty()) return statuses;
  std::vector<Envelope> envelopes;
  std::vector<std::string> ids;
  for (const PendingEnvelope& p : batch) {
    envelopes.push_back(p.envelope);
    ids.push_back(p.envelope.id);
  }
  auto [http, results] = Post(from, to, std::move(envelopes), clock);
  EXPECT_EQ(http, 200);
  for (const auto& [status, reason] : results) statuses.push_back(status);
  EXPECT_TRUE(from.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) { return MarkDelivered(tx, ids, clock.Now()); })
                  .ok());
  return statuses;
}

}  // namespace jisr::federation::testing

#endif  // JISR_FEDERATION_TEST_BRIDGE_H_
