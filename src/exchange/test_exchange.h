// Test support for exchange/: one agency's side (store, audit log, attachment
// store, exchange service, federation receiver and signing key), pairing of
// two sides, in-process delivery of one side's outbox to another through the
// real federation::Receiver (signatures, versions, inbox; no TLS), and
// synthetic principals. No real persons.
//
// Thread-safety: test-only, single thread.
#ifndef JISR_EXCHANGE_TEST_EXCHANGE_H_
#define JISR_EXCHANGE_TEST_EXCHANGE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "db/test_stores.h"
#include "exchange/attachment_store.h"
#include "exchange/exchange_service.h"
#include "exchange/exchange_sharing.h"
#include "federation/envelope.h"
#include "federation/receiver.h"
#include "federation/store.h"
#include "federation/test_bridge.h"
#include "security/policy.h"

namespace jisr::exchange::testing {

inline security::Principal User(const std::string& id_suffix,
                                const std::string& name, security::Role role) {
  return security::Principal::ForUser("0192f1d4-5b6c-7000-8000-" + id_suffix,
                                      name, "Test " + name, role);
}

// One agency's node, in-process.
struct Side {
  Side(const std::string& kind, std::string code, const Clock& clock,
       int64_t max_attachment_bytes = 1024 * 1024)
      : agency(std::move(code)),
        store(kind),
        audit(clock),
        attachments(store.dir() / "attachments"),
        service(store.db(), audit, clock, attachments,
                Options(agency, max_attachment_bytes)),
        receiver(store.db(), audit, clock,
                 federation::ReceiverOptions{agency}) {
    EXPECT_TRUE(service.Init().ok());
    EXPECT_TRUE(
        RegisterExchangeHandlers(receiver, service.sharing_options(), clock)
            .ok());
  }
  static ExchangeOptions Options(const std::string& agency, int64_t max) {
    ExchangeOptions o;
    o.agency = agency;
    o.max_attachment_bytes = max;
    return o;
  }
  // A fake certificate fingerprint per agency.
  std::string Cert() const { return federation::testing::TestCertificate(agency); }
  db::Database& db() { return store.db(); }
  int64_t Count(std::string_view sql) {
    auto tx = *store.db().Begin(db::TxMode::kRead);
    auto rows = tx->Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? (*rows)[0].GetInt(0) : -1;
  }
  // Creates unit `code` with `members` (as the CLI operator would).
  void AddUnit(const std::string& code,
               const std::vector<std::string>& members) {
    const security::Principal admin =
        User("0000000000aa", "unit.admin", security::Role::kAdmin);
    absl::StatusOr<exchange::Unit> u =
        service.PutUnit(admin, code, "Unit " + code, members, "setup");
    EXPECT_TRUE(u.ok()) << u.status();
  }

  std::string agency;
  db::testing::TestStore store;
  audit::AuditLog audit;
  AttachmentStore attachments;
  ExchangeService service;
  federation::Receiver receiver;
  federation::SigningKey key = federation::GenerateSigningKey();
};

using federation::testing::Pair;

// The receiver's answer to one batch: per envelope (kind, status, reason).
struct Delivered {
  std::string kind;
  std::string record_id;
  std::string status;
  std::string reason;
};

// Signs `envelopes` as `from` and hands them to `to`'s receiver.
inline std::vector<Delivered> Hand(Side& from, Side& to,
                                   std::vector<federation::Envelope> envelopes,
                                   const Clock& clock) {
  boost::json::array list;
  for (federation::Envelope& e : envelopes) {
    e.from = from.agency;
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
  std::vector<Delivered> out;
  if (r.status != 200) return out;
  const boost::json::object answer = *ParseJsonObject(r.body);
  const boost::json::array& results = answer.at("results").as_array();
  for (size_t i = 0; i < results.size(); ++i) {
    const boost::json::object& o = results[i].as_object();
    Delivered d;
    d.kind = i < envelopes.size() ? envelopes[i].kind : "";
    d.record_id = i < envelopes.size() ? envelopes[i].record_id : "";
    d.status = std::string(o.at("status").as_string());
    if (o.contains("reason"))
      d.reason = std::string(o.at("reason").as_string());
    out.push_back(std::move(d));
  }
  return out;
}

// Claims what `from` has due for `to` (as the sender would), optionally
// lets `edit` change the envelopes (to corrupt them in transit), delivers
// them and marks the delivered ones delivered.
template <typename Edit>
std::vector<Delivered> DeliverEdited(Side& from, Side& to, const Clock& clock,
                                     Edit edit) {
  std::vector<federation::PendingEnvelope> batch;
  EXPECT_TRUE(from.store.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) -> absl::Status {
                         JISR_ASSIGN_OR_RETURN(
                             batch,
                             federation::ClaimBatch(
                                 tx, from.store.db().dialect(), to.agency,
                                 clock.Now(), absl::Seconds(30), 1000));
                         return absl::OkStatus();
                       })
                  .ok());
  std::vector<federation::Envelope> envelopes;
  std::vector<std::string> ids;
  for (federation::PendingEnvelope& p : batch) {
    ids.push_back(p.envelope.id);
    envelopes.push_back(p.envelope);
  }
  edit(envelopes);
  std::vector<Delivered> out = Hand(from, to, envelopes, clock);
  // As the sender does: accepted ones are done; rejected ones are retried
  // (here at once, the back-off left out).
  std::vector<std::string> done, failed;
  for (size_t i = 0; i < out.size() && i < ids.size(); ++i) {
    (out[i].status == "rejected" ? failed : done).push_back(ids[i]);
  }
  EXPECT_TRUE(from.store.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) -> absl::Status {
                         JISR_RETURN_IF_ERROR(
                             federation::MarkDelivered(tx, done, clock.Now()));
                         return federation::MarkFailed(tx, failed, "rejected",
                                                       clock.Now());
                       })
                  .ok());
  return out;
}

inline std::vector<Delivered> Deliver(Side& from, Side& to,
                                      const Clock& clock) {
  return DeliverEdited(from, to, clock,
                       [](std::vector<federation::Envelope>&) {});
}

// The statuses of a delivery, by kind, sorted (the outbox hands envelopes
// written in one transaction in any order): "message.send:accepted" ...
inline std::vector<std::string> Statuses(
    const std::vector<Delivered>& delivered) {
  std::vector<std::string> out;
  for (const Delivered& d : delivered) out.push_back(d.kind + ":" + d.status);
  std::sort(out.begin(), out.end());
  return out;
}

// The outcome of the envelope of record `record_id` (nullptr when absent).
inline const Delivered* Outcome(const std::vector<Delivered>& delivered,
                                std::string_view record_id) {
  for (const Delivered& d : delivered) {
    if (d.record_id == record_id) return &d;
  }
  return nullptr;
}

// A valid draft of a new thread to `recipients`.
inline Draft NewThread(
    std::vector<Recipient> recipients, std::string subject = "Synthetic case",
    std::string text = "Synthetic operational information for a test.",
    HandlingCode code = HandlingCode::kH0) {
  Draft d;
  d.subject = std::move(subject);
  d.text = std::move(text);
  d.handling.code = code;
  if (code == HandlingCode::kH3)
    d.handling.text = "Only for the liaison officers.";
  d.evaluation = Evaluation{SourceReliability::kB, 2};
  d.recipients = std::move(recipients);
  return d;
}

inline Recipient Agency(std::string code) {
  return Recipient{RecipientType::kAgency, std::move(code)};
}
inline Recipient UnitRecipient(std::string code) {
  return Recipient{RecipientType::kUnit, std::move(code)};
}

// Every audit entry, oldest first.
inline std::vector<audit::AuditEntry> AllEntries(const audit::AuditLog& log,
                                                 db::Database& db) {
  std::vector<audit::AuditEntry> out;
  audit::AuditFilter filter;
  filter.limit = audit::kMaxListLimit;
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<audit::AuditPage> page = log.List(db, filter);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    out.insert(out.end(), page->entries.begin(), page->entries.end());
    if (!page->next_before_seq) break;
    filter.before_seq = page->next_before_seq;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace jisr::exchange::testing

#endif  // JISR_EXCHANGE_TEST_EXCHANGE_H_
