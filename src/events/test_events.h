// Test support for events/: two agencies in one process — Rabat (MA-DGSN,
// host) and Paris (FR-DGPN), plus Madrid (ES-PN) as a second partner — each
// with its own store, audit log, alerts index and screening jobs, event
// service and federation::Receiver; envelopes are carried by Deliver()
// through the real receivers (signatures, versions, inbox) without TLS.
//
// Thread-safety: test-only, single thread.
#ifndef JISR_EVENTS_TEST_EVENTS_H_
#define JISR_EVENTS_TEST_EVENTS_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "alerts/alert_index.h"
#include "alerts/alert_service.h"
#include "alerts/screening_jobs.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "db/test_stores.h"
#include "events/event_service.h"
#include "events/event_sharing.h"
#include "federation/envelope.h"
#include "federation/receiver.h"
#include "federation/store.h"
#include "federation/test_bridge.h"

namespace jisr::events::testing {

inline security::Principal TestUser(const std::string& id_suffix, const std::string& name,
                                    security::Role role) {
  return security::Principal::ForUser("0192f1d4-5b6c-7000-8000-" + id_suffix, name,
                                      "Test " + name, role);
}

struct Side {
  Side(const std::string& kind, std::string code, const Clock& clock,
       alerts::ScreeningJobOptions job_options = {})
      : agency(std::move(code)),
        store(kind),
        audit(clock),
        alerts(store.db(), audit, clock, &index, AlertOptions(agency)),
        jobs(store.db(), audit, clock, index, job_options),
        events(store.db(), audit, clock, EventOptions{agency}, &jobs),
        receiver(store.db(), audit, clock, federation::ReceiverOptions{agency}) {
    jobs.AddBlockObserver([this](db::Transaction& tx, const alerts::ScreeningJob& job,
                                 int64_t end, const std::vector<alerts::BlockMatch>& m) {
      return events.ObserveBlock(tx, job, end, m);
    });
    EXPECT_TRUE(RegisterEventHandlers(receiver, agency, audit, clock).ok());
  }
  static alerts::AlertServiceOptions AlertOptions(const std::string& agency) {
    alerts::AlertServiceOptions o;
    o.agency = agency;
    return o;
  }
  std::string Cert() const { return federation::testing::TestCertificate(agency); }
  db::Database& db() { return store.db(); }
  int64_t Count(std::string_view sql) {
    auto tx = *db().Begin(db::TxMode::kRead);
    return (*tx->Query(sql))[0].GetInt(0);
  }

  std::string agency;
  db::testing::TestStore store;
  audit::AuditLog audit;
  alerts::AlertIndex index;
  alerts::AlertService alerts;
  alerts::ScreeningJobService jobs;
  EventService events;
  federation::Receiver receiver;
  federation::SigningKey key = federation::GenerateSigningKey();
};

using federation::testing::Pair;

// Signs `envelopes` as `from` (whatever their owner) and posts them to `to`;
// returns the per-envelope statuses and the HTTP status.
inline std::pair<int, std::vector<std::string>> Send(Side& from, Side& to,
                                                     std::vector<federation::Envelope> envelopes,
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
  std::vector<std::string> out;
  if (r.status == 200) {
    const boost::json::object answer = *ParseJsonObject(r.body);
    for (const auto& v : answer.at("results").as_array())
      out.emplace_back(v.as_object().at("status").as_string().c_str());
  }
  return {r.status, out};
}

// Claims what `from` has due for `to`, delivers it and, as the sender does,
// marks delivered the envelopes answered accepted, superseded or duplicate
// (rejected and deferred ones stay due). Returns the statuses (empty on a
// failed batch).
inline std::vector<std::string> Deliver(Side& from, Side& to, const Clock& clock) {
  std::vector<federation::PendingEnvelope> batch;
  EXPECT_TRUE(from.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) -> absl::Status {
                         JISR_ASSIGN_OR_RETURN(
                             batch, federation::ClaimBatch(tx, from.db().dialect(), to.agency,
                                                           clock.Now(), absl::Seconds(0), 1000));
                         return absl::OkStatus();
                       })
                  .ok());
  std::vector<federation::Envelope> envelopes;
  std::vector<std::string> ids;
  for (const auto& p : batch) {
    envelopes.push_back(p.envelope);
    ids.push_back(p.envelope.id);
  }
  if (envelopes.empty()) return {};
  auto [status, statuses] = Send(from, to, envelopes, clock);
  if (status == 200) {
    std::vector<std::string> done;
    for (size_t i = 0; i < ids.size() && i < statuses.size(); ++i) {
      if (statuses[i] != "rejected" && statuses[i] != "deferred") done.push_back(ids[i]);
    }
    ids = std::move(done);
    EXPECT_TRUE(from.db()
                    .Run(db::TxMode::kWrite,
                         [&](db::Transaction& tx) {
                           return federation::MarkDelivered(tx, ids, clock.Now());
                         })
                    .ok());
  }
  return statuses;
}

inline EventContent Afcon(std::vector<std::string> partners = {"FR-DGPN"}) {
  EventContent c;
  c.name = "AFCON 2025";
  c.starts_on = absl::CivilDay(2025, 12, 21);
  c.ends_on = absl::CivilDay(2026, 1, 18);
  c.venues = {{"RBT-PMA", "Prince Moulay Abdellah Stadium", "Rabat"},
              {"CAS-MV", "Mohammed V Stadium", "Casablanca"}};
  c.partners = std::move(partners);
  c.description = "Africa Cup of Nations (synthetic test data)";
  return c;
}

inline IncidentContent Fight(const Clock& clock, std::string venue = "RBT-PMA") {
  IncidentContent c;
  c.occurred_at = TruncateToMillis(clock.Now());
  c.venue = std::move(venue);
  c.type = "violence";
  c.severity = Severity::kHigh;
  c.description = "Fight between supporters at gate 4 (fictional).";
  c.persons = {"Person Fictif"};
  return c;
}

}  // namespace jisr::events::testing

#endif  // JISR_EVENTS_TEST_EVENTS_H_
