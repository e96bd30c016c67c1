// Test support for groups/: agencies in one process — Rabat (MA-DGSN),
// Paris (FR-DGPN) and, when a test needs a third, Madrid (ES-PN) — each
// with its own store, audit log, service, federation::Receiver and signing
// key, whose envelopes are carried by Deliver() through the real receiver
// (signatures, versions, inbox) without TLS. Adapted from
// assistance/test_assistance.h.
//
// Thread-safety: test-only, single thread.
#ifndef JISR_GROUPS_TEST_GROUPS_H_
#define JISR_GROUPS_TEST_GROUPS_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "db/database.h"
#include "db/test_stores.h"
#include "federation/envelope.h"
#include "federation/receiver.h"
#include "federation/store.h"
#include "groups/groups.h"
#include "groups/groups_service.h"
#include "groups/groups_sharing.h"
#include "security/policy.h"

namespace jisr::groups::testing {

// One agency's side: its store, audit log, service, receiver and key.
struct Side {
  Side(const std::string& kind, std::string code, const Clock& clock)
      : agency(std::move(code)),
        store(kind),
        audit(clock),
        service(store.db(), audit, clock, GroupsOptions{agency}),
        receiver(store.db(), audit, clock,
                 federation::ReceiverOptions{agency}) {
    EXPECT_TRUE(
        RegisterGroupsHandlers(receiver, agency, audit, clock).ok());
  }
  std::string Cert() const {
    return "sha256:" + std::string(64, agency[0] == 'M'   ? 'a'
                                       : agency[0] == 'F' ? 'b'
                                                          : 'c');
  }
  db::Database& db() { return store.db(); }

  std::string agency;
  db::testing::TestStore store;
  audit::AuditLog audit;
  GroupsService service;
  federation::Receiver receiver;
  federation::SigningKey key = federation::GenerateSigningKey();
};

// Registers `peer` at `at` (its card: code, certificate, key).
inline void Pair(Side& at, const Side& peer, const Clock& clock) {
  federation::Peer p;
  p.card.agency = peer.agency;
  p.card.country = peer.agency.substr(0, 2);
  p.card.name_en = p.card.name_fr = p.card.name_ar = peer.agency;
  p.card.federation_url = "https://127.0.0.1:9";
  p.card.tls_fingerprint = peer.Cert();
  p.card.signing_key = peer.key.public_key;
  p.added_by = "cli:test";
  p.added_at = clock.Now();
  ASSERT_TRUE(at.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) {
                         return federation::InsertPeer(tx, p);
                       })
                  .ok());
}

// Claims everything `from` has due for agency `to` (as the sender would).
inline std::vector<federation::PendingEnvelope> Claim(Side& from,
                                                      const std::string& to,
                                                      const Clock& clock) {
  std::vector<federation::PendingEnvelope> batch;
  EXPECT_TRUE(from.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) -> absl::Status {
                         JISR_ASSIGN_OR_RETURN(
                             batch, federation::ClaimBatch(
                                        tx, from.db().dialect(), to,
                                        clock.Now(), absl::Seconds(30), 1000));
                         return absl::OkStatus();
                       })
                  .ok());
  return batch;
}

// Signs `envelopes` as `from` and posts them to `to`'s receiver; returns the
// per-envelope {status, reason} pairs.
inline std::vector<std::pair<std::string, std::string>> Send(
    Side& from, Side& to, std::vector<federation::Envelope> envelopes,
    const Clock& clock) {
  boost::json::array list;
  for (federation::Envelope& e : envelopes) {
    e.from = from.agency;
    e.to = to.agency;
    e.sent_at = TruncateToMillis(clock.Now());
    federation::Sign(from.key, &e);
    list.push_back(federation::EnvelopeToJson(e));
  }
  federation::FederationRequest req;
  req.peer_fingerprint = from.Cert();
  req.method = "POST";
  req.target = std::string(federation::kEnvelopesPath);
  req.body = ToJson(boost::json::object{{"envelopes", std::move(list)}});
  federation::FederationResponse r = to.receiver.Handle(req);
  EXPECT_EQ(r.status, 200) << r.body;
  std::vector<std::pair<std::string, std::string>> out;
  if (r.status != 200) return out;
  const boost::json::object answer = *ParseJsonObject(r.body);
  for (const auto& v : answer.at("results").as_array()) {
    const boost::json::object& o = v.as_object();
    out.emplace_back(
        std::string(o.at("status").as_string()),
        o.contains("reason") ? std::string(o.at("reason").as_string()) : "");
  }
  return out;
}

// Delivers everything `from` has due for `to`, in claim order (reversed
// when `reverse`), marks it delivered, and returns the statuses.
inline std::vector<std::string> Deliver(Side& from, Side& to,
                                        const Clock& clock,
                                        bool reverse = false) {
  std::vector<federation::PendingEnvelope> batch =
      Claim(from, to.agency, clock);
  // In claim order (the outbox's id order), as the sender sends them: a
  // plan reaches a partner before the items written after it.
  if (reverse) std::reverse(batch.begin(), batch.end());
  std::vector<federation::Envelope> envelopes;
  std::vector<std::string> ids;
  for (const federation::PendingEnvelope& p : batch) {
    envelopes.push_back(p.envelope);
    ids.push_back(p.envelope.id);
  }
  std::vector<std::string> statuses;
  if (envelopes.empty()) return statuses;
  for (const auto& [status, reason] : Send(from, to, envelopes, clock)) {
    statuses.push_back(status);
  }
  EXPECT_TRUE(from.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) {
                         return federation::MarkDelivered(tx, ids, clock.Now());
                       })
                  .ok());
  return statuses;
}

// Every audit entry of `side`, oldest first.
inline std::vector<audit::AuditEntry> AllEntries(Side& side) {
  std::vector<audit::AuditEntry> out;
  audit::AuditFilter filter;
  filter.limit = audit::kMaxListLimit;
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<audit::AuditPage> page = side.audit.List(side.db(), filter);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    out.insert(out.end(), page->entries.begin(), page->entries.end());
    if (!page->next_before_seq) break;
    filter.before_seq = page->next_before_seq;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// The entries of `side` with `action` (and `outcome`).
inline std::vector<audit::AuditEntry> Entries(
    Side& side, std::string_view action,
    std::optional<audit::AuditOutcome> outcome = {}) {
  std::vector<audit::AuditEntry> all = AllEntries(side);
  std::erase_if(all, [&](const audit::AuditEntry& e) {
    return e.action != action || (outcome && e.outcome != *outcome);
  });
  return all;
}

inline int64_t CountAt(Side& side, std::string_view sql) {
  auto tx = *side.db().Begin(db::TxMode::kRead);
  return (*tx->Query(sql))[0].GetInt(0);
}

inline security::Principal TestUser(const std::string& id_suffix, const std::string& name,
                                    security::Role role) {
  return security::Principal::ForUser("0192f1d4-5b6c-7000-8000-" + id_suffix, name,
                                      "Test " + name, role);
}

inline const security::Principal& Supervisor() {
  static const auto* p = new security::Principal(
      TestUser("000000000003", "super.one", security::Role::kSupervisor));
  return *p;
}
inline const security::Principal& Officer() {
  static const auto* p = new security::Principal(
      TestUser("000000000001", "officer.one", security::Role::kOfficer));
  return *p;
}
inline const security::Principal& Analyst() {
  static const auto* p = new security::Principal(
      TestUser("000000000005", "analyst.one", security::Role::kAnalyst));
  return *p;
}

// Parses `json` (a test literal) as `form`; fails the test on error.
template <typename T, typename Parse>
T Parsed(std::string_view json, Parse parse) {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(json);
  EXPECT_TRUE(o.ok()) << o.status();
  absl::StatusOr<T> t = parse(*o);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : T{};
}

}  // namespace jisr::groups::testing

#endif  // JISR_GROUPS_TEST_GROUPS_H_
