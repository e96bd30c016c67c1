// Test support for assistance/: two agencies in one process — Rabat
// (MA-DGSN) and Paris (FR-DGPN), each with its own store, audit log,
// service, federation::Receiver and signing key — whose envelopes are
// carried by Deliver() through the real receiver (signatures, versions,
// inbox) without TLS; synthetic request contents; audit helpers.
//
// Thread-safety: test-only, single thread.
#ifndef JISR_ASSISTANCE_TEST_ASSISTANCE_H_
#define JISR_ASSISTANCE_TEST_ASSISTANCE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "assistance/assistance.h"
#include "assistance/assistance_repository.h"
#include "assistance/assistance_service.h"
#include "assistance/assistance_sharing.h"
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
#include "security/policy.h"

namespace jisr::assistance::testing {

// One agency's side: its store, audit log, service, receiver and key.
struct Side {
  Side(const std::string& kind, std::string code, const Clock& clock)
      : agency(std::move(code)),
        store(kind),
        audit(clock),
        service(store.db(), audit, clock, AssistanceOptions{agency}),
        receiver(store.db(), audit, clock,
                 federation::ReceiverOptions{agency}) {
    EXPECT_TRUE(
        RegisterAssistanceHandlers(receiver, agency, audit, clock).ok());
  }
  std::string Cert() const { return federation::testing::TestCertificate(agency); }
  db::Database& db() { return store.db(); }

  std::string agency;
  db::testing::TestStore store;
  audit::AuditLog audit;
  AssistanceService service;
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

// Delivers everything `from` has due for `to`, lowest version first (or
// highest first when `reverse`), marks it delivered, and returns the
// statuses.
inline std::vector<std::string> Deliver(Side& from, Side& to,
                                        const Clock& clock,
                                        bool reverse = false) {
  std::vector<federation::PendingEnvelope> batch =
      Claim(from, to.agency, clock);
  // Rows made in the same millisecond (the fake clock stands still) have
  // UUIDv7 ids in no particular order: send a record's versions in order.
  std::stable_sort(batch.begin(), batch.end(),
                   [](const auto& x, const auto& y) {
                     return x.envelope.version < y.envelope.version;
                   });
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

// The request `id` as stored at `side`, with its history (no audit).
inline std::optional<AssistanceRequest> At(Side& side, const std::string& id) {
  std::optional<AssistanceRequest> out;
  EXPECT_TRUE(side.db()
                  .Run(db::TxMode::kRead,
                       [&](db::Transaction& tx) -> absl::Status {
                         JISR_ASSIGN_OR_RETURN(out, GetRequest(tx, id));
                         if (out) {
                           JISR_ASSIGN_OR_RETURN(out->history,
                                                 LoadHistory(tx, id));
                         }
                         return absl::OkStatus();
                       })
                  .ok());
  return out;
}

inline security::Principal TestUser(const std::string& id_suffix,
                                    const std::string& name,
                                    security::Role role) {
  return security::Principal::ForUser("0192f1d4-5b6c-7000-8000-" + id_suffix,
                                      name, "Test " + name, role);
}

// A synthetic information request from Rabat to Paris.
inline RequestContent InfoRequest(Urgency urgency = Urgency::kNormal,
                                  bool direct = false) {
  RequestContent c;
  c.requested_agency = "FR-DGPN";
  c.type = RequestType::kInformation;
  c.urgency = urgency;
  c.directly_accessible = direct;
  c.subject = "Vehicle registration check (synthetic test)";
  c.description = "Who holds the registration AB-123-CD? (fictional plate)";
  c.grounds =
      "Seen at a fictional burglary scene in Tanger; the plate is French.";
  if (urgency == Urgency::kUrgent)
    c.urgency_reason = "The suspects may leave tonight.";
  c.case_reference = "MA/2026/0042";
  return c;
}

// Rabat and Paris, paired both ways, on a fresh store of the parameter's
// kind each, a fake clock at 2026-01-01 and one principal per role. Both
// audit chains are verified after each test.
class TwoNodeTest : public ::testing::TestWithParam<std::string> {
 protected:
  TwoNodeTest()
      : ma_(GetParam(), "MA-DGSN", clock_), fr_(GetParam(), "FR-DGPN", clock_) {
    Pair(ma_, fr_, clock_);
    Pair(fr_, ma_, clock_);
  }

  void TearDown() override {
    for (Side* side : {&ma_, &fr_}) {
      absl::StatusOr<audit::VerifyResult> v = side->audit.Verify(side->db());
      ASSERT_TRUE(v.ok()) << v.status();
      EXPECT_TRUE(v->ok()) << side->agency << ": " << v->reason;
    }
  }

  // Submitted at Rabat by officer_ and received at Paris (the
  // acknowledgement delivered back); returns the request as Rabat holds it.
  AssistanceRequest Exchanged(const RequestContent& content = InfoRequest()) {
    absl::StatusOr<AssistanceRequest> r =
        ma_.service.Create(officer_, content, "test");
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return {};
    EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
    EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
    std::optional<AssistanceRequest> at = At(ma_, r->id);
    EXPECT_TRUE(at.has_value());
    return at.value_or(AssistanceRequest{});
  }

  FakeClock clock_;  // 2026-01-01T00:00:00Z
  Side ma_;
  Side fr_;
  security::Principal officer_ =
      TestUser("000000000001", "officer.one", security::Role::kOfficer);
  security::Principal officer2_ =
      TestUser("000000000002", "officer.two", security::Role::kOfficer);
  security::Principal supervisor_ =
      TestUser("000000000003", "super.one", security::Role::kSupervisor);
  security::Principal analyst_ =
      TestUser("000000000005", "analyst.one", security::Role::kAnalyst);
  security::Principal auditor_ =
      TestUser("000000000006", "auditor.one", security::Role::kAuditor);
  security::Principal admin_ =
      TestUser("000000000007", "admin.one", security::Role::kAdmin);
};

}  // namespace jisr::assistance::testing

#endif  // JISR_ASSISTANCE_TEST_ASSISTANCE_H_
