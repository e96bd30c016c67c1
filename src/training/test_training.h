// Test support for training/: agencies in one process — Rabat (MA-DGSN),
// Paris (FR-DGPN) and Madrid (ES-PN) — each with its own store, audit log,
// service, federation::Receiver and signing key, whose envelopes are
// carried by Deliver() through the real receiver (signatures, versions,
// inbox) without TLS. Adapted from groups/test_groups.h.
//
// Thread-safety: test-only, single thread.
#ifndef JISR_TRAINING_TEST_TRAINING_H_
#define JISR_TRAINING_TEST_TRAINING_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/json.h"
#include "db/database.h"
#include "db/test_stores.h"
#include "federation/envelope.h"
#include "federation/receiver.h"
#include "federation/store.h"
#include "federation/test_bridge.h"
#include "security/policy.h"
#include "training/training.h"
#include "training/training_service.h"
#include "training/training_sharing.h"

namespace jisr::training::testing {

struct Side {
  Side(const std::string& kind, std::string code, const Clock& clock)
      : agency(std::move(code)),
        store(kind),
        audit(clock),
        service(store.db(), audit, clock, TrainingOptions{agency}),
        receiver(store.db(), audit, clock, federation::ReceiverOptions{agency}) {
    EXPECT_TRUE(RegisterTrainingHandlers(receiver, agency, audit, clock).ok());
  }
  std::string Cert() const { return federation::testing::TestCertificate(agency); }
  db::Database& db() { return store.db(); }

  std::string agency;
  db::testing::TestStore store;
  audit::AuditLog audit;
  TrainingService service;
  federation::Receiver receiver;
  federation::SigningKey key = federation::GenerateSigningKey();
};

using federation::testing::Claim;
using federation::testing::Pair;

inline std::vector<std::pair<std::string, std::string>> Send(
    Side& from, Side& to, std::vector<federation::Envelope> envelopes, const Clock& clock) {
  auto [http, results] = federation::testing::Post(from, to, std::move(envelopes), clock);
  EXPECT_EQ(http, 200);
  return results;
}

// Delivers everything `from` has due for `to`, in claim order.
inline std::vector<std::string> Deliver(Side& from, Side& to, const Clock& clock) {
  std::vector<federation::PendingEnvelope> batch = Claim(from, to.agency, clock);
  return federation::testing::DeliverBatch(from, to, batch, clock);
}

// Every audit entry of `side` with `action` (and `outcome`), oldest first.
inline std::vector<audit::AuditEntry> Entries(Side& side, std::string_view action,
                                              std::optional<audit::AuditOutcome> outcome = {}) {
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
  std::erase_if(out, [&](const audit::AuditEntry& e) {
    return e.action != action || (outcome && e.outcome != *outcome);
  });
  return out;
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
inline security::Principal Supervisor() {
  return TestUser("000000000003", "super.one", security::Role::kSupervisor);
}
inline security::Principal Officer() {
  return TestUser("000000000001", "officer.one", security::Role::kOfficer);
}
inline security::Principal Analyst() {
  return TestUser("000000000005", "analyst.one", security::Role::kAnalyst);
}
inline security::Principal Admin() {
  return TestUser("000000000007", "admin.one", security::Role::kAdmin);
}

// Parses `json` (a test literal) with `parse`; fails the test on error.
template <typename T, typename Parse>
T Parsed(std::string_view json, Parse parse) {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(json);
  EXPECT_TRUE(o.ok()) << o.status();
  if (!o.ok()) return T{};
  absl::StatusOr<T> t = parse(*o);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : T{};
}

inline Programme ProgrammeInput(std::string_view json) {
  return Parsed<Programme>(json, [](const boost::json::object& o) {
    return ProgrammeFromJson(o, JsonForm::kCreate);
  });
}
inline Session SessionInput(std::string_view json) {
  return Parsed<Session>(json, [](const boost::json::object& o) {
    return SessionFromJson(o, JsonForm::kCreate);
  });
}
inline CatalogueItem CatalogueInput(std::string_view json) {
  return Parsed<CatalogueItem>(json, [](const boost::json::object& o) {
    return CatalogueItemFromJson(o, JsonForm::kCreate);
  });
}
inline Participant Person(std::string name) {
  Participant p;
  p.name = std::move(name);
  p.rank = "Inspector";
  p.unit = "Cyber unit [synthetic]";
  p.email = "someone@example.test";
  return p;
}

}  // namespace jisr::training::testing

#endif  // JISR_TRAINING_TEST_TRAINING_H_
