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
#include "federation/test_bridge.h"
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
  std::string Cert() const { return federation::testing::TestCertificate(agency); }
  db::Database& db() { return store.db(); }

  std::string agency;
  db::testing::TestStore store;
  audit::AuditLog audit;
  GroupsService service;
  federation::Receiver receiver;
  federation::SigningKey key = federation::GenerateSigningKey();
};

using federation::testing::Claim;
using federation::testing::Pair;

// Signs `envelopes` as `from` and posts them to `to`'s receiver; returns the
// per-envelope {status, reason} pairs.
inline std::vector<std::pair<std::string, std::string>> Send(
    Side& from, Side& to, std::vector<federation::Envelope> envelopes,
    const Clock& clock) {
  auto [http, results] = federation::testing::Post(from, to, std::move(envelopes), clock);
  EXPECT_EQ(http, 200);
  return results;
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
  return federation::testing::DeliverBatch(from, to, batch, clock);
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
