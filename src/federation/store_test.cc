#include "federation/store.h"

#include <gtest/gtest.h>

#include "common/status.h"
#include "db/test_stores.h"

namespace jisr::federation {
namespace {

class FederationStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  FederationStoreTest() : store_(GetParam()) {}
  db::Database& db() { return store_.db(); }

  void Write(const std::function<absl::Status(db::Transaction&)>& fn) {
    ASSERT_TRUE(db().Run(db::TxMode::kWrite, fn).ok());
  }
  std::vector<PendingEnvelope> Claim(std::string_view to, absl::Time now, int limit = 100) {
    std::vector<PendingEnvelope> out;
    EXPECT_TRUE(db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
                      absl::StatusOr<std::vector<PendingEnvelope>> b =
                          ClaimBatch(tx, db().dialect(), to, now, absl::Seconds(30), limit);
                      if (!b.ok()) return b.status();
                      out = *std::move(b);
                      return absl::OkStatus();
                    }).ok());
    return out;
  }

  db::testing::TestStore store_;
  const absl::Time t0_ = absl::FromUnixSeconds(1767225600);
};

TEST_P(FederationStoreTest, PublishWritesOneRowPerRecipientAndRefusesBadCodes) {
  const std::vector<std::string> to = {"FR-DGPN", "ES-PN"};
  Write([&](db::Transaction& tx) {
    return Publish(tx, to, "alert.upsert", "alert:a", 2, R"({"x":1})", t0_);
  });
  std::vector<PendingEnvelope> fr = Claim("FR-DGPN", t0_);
  ASSERT_EQ(fr.size(), 1u);
  EXPECT_EQ(fr[0].envelope.kind, "alert.upsert");
  EXPECT_EQ(fr[0].envelope.record_id, "alert:a");
  EXPECT_EQ(fr[0].envelope.version, 2);
  EXPECT_EQ(fr[0].envelope.body, R"({"x":1})");
  EXPECT_EQ(fr[0].envelope.to, "FR-DGPN");
  EXPECT_EQ(Claim("ES-PN", t0_).size(), 1u);
  const std::vector<std::string> bad = {"fr"};
  absl::Status s = db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return Publish(tx, bad, "k", "r", 1, "{}", t0_);
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(FederationStoreTest, ClaimLeasesRowsUntilDeliveredOrTheLeaseEnds) {
  const std::vector<std::string> to = {"FR-DGPN"};
  Write([&](db::Transaction& tx) -> absl::Status {
    for (int i = 0; i < 5; ++i) {
      JISR_RETURN_IF_ERROR(
          Publish(tx, to, "k", "r" + std::to_string(i), 1, "{}", t0_ + absl::Milliseconds(i)));
    }
    return absl::OkStatus();
  });
  std::vector<PendingEnvelope> first = Claim("FR-DGPN", t0_ + absl::Seconds(1), 3);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].envelope.record_id, "r0");  // oldest first
  // A second sender gets the other two only.
  std::vector<PendingEnvelope> second = Claim("FR-DGPN", t0_ + absl::Seconds(1), 10);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(Claim("FR-DGPN", t0_ + absl::Seconds(2)).size(), 0u);
  // Delivered rows never come back; failed ones come back when due.
  std::vector<std::string> done = {first[0].envelope.id, first[1].envelope.id};
  std::vector<std::string> failed = {first[2].envelope.id};
  Write([&](db::Transaction& tx) { return MarkDelivered(tx, done, t0_ + absl::Seconds(2)); });
  Write([&](db::Transaction& tx) {
    return MarkFailed(tx, failed, "peer down", t0_ + absl::Seconds(10));
  });
  EXPECT_EQ(Claim("FR-DGPN", t0_ + absl::Seconds(5)).size(), 0u);
  std::vector<PendingEnvelope> retried = Claim("FR-DGPN", t0_ + absl::Seconds(10));
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].envelope.id, failed[0]);
  EXPECT_EQ(retried[0].attempts, 1);
  // The lease of the second claim ran out: its rows come back.
  EXPECT_EQ(Claim("FR-DGPN", t0_ + absl::Seconds(40)).size(), 3u);

  absl::StatusOr<std::vector<OutboxStats>> stats;
  ASSERT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) {
                    stats = OutboxStatistics(tx);
                    return stats.status();
                  }).ok());
  ASSERT_EQ(stats->size(), 1u);
  EXPECT_EQ((*stats)[0].pending, 3);
  EXPECT_EQ((*stats)[0].delivered, 2);
  EXPECT_EQ((*stats)[0].oldest_pending, t0_ + absl::Milliseconds(2));
  EXPECT_EQ((*stats)[0].last_error, "peer down");
  absl::StatusOr<int64_t> purged;
  Write([&](db::Transaction& tx) {
    purged = PurgeDelivered(tx, t0_ + absl::Seconds(3));
    return purged.status();
  });
  EXPECT_EQ(*purged, 2);
}

TEST_P(FederationStoreTest, InboxRecordsEnvelopesOnceAndTheNewestVersionApplied) {
  Envelope e;
  e.id = "0192f1d4-5b6c-7000-8000-000000000001";
  e.from = "MA-DGSN";
  e.to = "FR-DGPN";
  e.kind = "k";
  e.record_id = "alert:a";
  e.version = 3;
  e.sent_at = t0_;
  e.body = "{}";
  e.signature = std::string(64, 's');
  Write([&](db::Transaction& tx) { return RecordReceived(tx, e, InboxOutcome::kApplied, t0_); });
  absl::Status again = db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return RecordReceived(tx, e, InboxOutcome::kApplied, t0_);
  });
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  Envelope older = e;
  older.id = "0192f1d4-5b6c-7000-8000-000000000002";
  older.version = 2;
  Write([&](db::Transaction& tx) {
    return RecordReceived(tx, older, InboxOutcome::kSuperseded, t0_);
  });
  ASSERT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
                    EXPECT_TRUE(*InboxContains(tx, e.id));
                    EXPECT_FALSE(*InboxContains(tx, "0192f1d4-5b6c-7000-8000-000000000009"));
                    EXPECT_EQ(*AppliedVersion(tx, "MA-DGSN", "alert:a"), 3);
                    EXPECT_FALSE(AppliedVersion(tx, "ES-PN", "alert:a")->has_value());
                    absl::StatusOr<std::optional<Provenance>> p = FindProvenance(tx, e.id);
                    EXPECT_TRUE(p.ok() && p->has_value());
                    if (p.ok() && p->has_value()) {
                      EXPECT_EQ((*p)->sender, "MA-DGSN");
                      EXPECT_EQ((*p)->signature, e.signature);
                      EXPECT_EQ((*p)->body_hash, BodyHash("{}"));
                    }
                    absl::StatusOr<std::vector<InboxStats>> stats = InboxStatistics(tx);
                    EXPECT_EQ((*stats)[0].received, 2);
                    return absl::OkStatus();
                  }).ok());
}

TEST_P(FederationStoreTest, PeersAreUniqueByCodeAndCertificate) {
  Peer p;
  p.card.agency = "FR-DGPN";
  p.card.country = "FR";
  p.card.name_en = p.card.name_fr = p.card.name_ar = "FR";
  p.card.federation_url = "https://127.0.0.1:8444";
  p.card.tls_fingerprint = "sha256:" + std::string(64, 'b');
  p.card.signing_key = std::string(32, '\x02');
  p.added_by = "cli:test";
  p.added_at = t0_;
  Write([&](db::Transaction& tx) { return InsertPeer(tx, p); });
  Peer same_cert = p;
  same_cert.card.agency = "ES-PN";
  same_cert.card.country = "ES";
  EXPECT_EQ(db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
                  return InsertPeer(tx, same_cert);
                }).code(),
            absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
                    EXPECT_EQ((*FindPeer(tx, "FR-DGPN"))->card, p.card);
                    EXPECT_EQ((*FindPeerByFingerprint(tx, p.card.tls_fingerprint))->card.agency,
                              "FR-DGPN");
                    EXPECT_FALSE(FindPeer(tx, "ES-PN")->has_value());
                    EXPECT_EQ(ListPeers(tx)->size(), 1u);
                    return absl::OkStatus();
                  }).ok());
  Write([&](db::Transaction& tx) { return DeletePeer(tx, "FR-DGPN"); });
  EXPECT_EQ(db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
                  return DeletePeer(tx, "FR-DGPN");
                }).code(),
            absl::StatusCode::kNotFound);
}

// ---- dead letters

class FederationDeadLetterTest : public FederationStoreTest {
 protected:
  // Publishes one row to `to` at `at` and returns its envelope id.
  std::string PublishOne(const std::string& to, const std::string& record, absl::Time at) {
    const std::vector<std::string> recipients = {to};
    Write([&](db::Transaction& tx) {
      return Publish(tx, recipients, "alert.upsert", record, 1, R"({"x":1})", at);
    });
    std::string id;
    EXPECT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
                      JISR_ASSIGN_OR_RETURN(
                          std::vector<db::Row> rows,
                          tx.Query("SELECT id FROM outbox WHERE record_id = $1", {record}));
                      if (!rows.empty()) id = rows[0].GetText(0);
                      return absl::OkStatus();
                    }).ok());
    return id;
  }
  bool Refuse(const std::string& id, absl::Time now, int64_t max_refusals) {
    absl::StatusOr<bool> dead;
    Write([&](db::Transaction& tx) {
      dead = MarkRefused(tx, id, "rejected by FR-DGPN: unknown kind", now, now, max_refusals);
      return dead.status();
    });
    return dead.ok() && *dead;
  }
  void Fail(const std::string& id, std::string_view why, absl::Time next) {
    const std::vector<std::string> ids = {id};
    Write([&](db::Transaction& tx) { return MarkFailed(tx, ids, why, next); });
  }
  OutboxStats Stats(std::string_view to) {
    absl::StatusOr<std::vector<OutboxStats>> stats;
    EXPECT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) {
                      stats = OutboxStatistics(tx);
                      return stats.status();
                    }).ok());
    for (const OutboxStats& s : *stats) {
      if (s.recipient == to) return s;
    }
    return OutboxStats{};
  }
  std::optional<absl::Time> Due(std::string_view to) {
    absl::StatusOr<std::optional<absl::Time>> due;
    EXPECT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) {
                      due = NextDue(tx, to);
                      return due.status();
                    }).ok());
    return *due;
  }
};

TEST_P(FederationDeadLetterTest, ARowRefusedMaxRefusalsTimesIsDeadAndNoLongerClaimed) {
  const std::string id = PublishOne("FR-DGPN", "alert:a", t0_);
  const std::string live = PublishOne("FR-DGPN", "alert:b", t0_ + absl::Milliseconds(1));
  absl::Time now = t0_;
  for (int i = 1; i <= 3; ++i) {
    now += absl::Seconds(1);
    std::vector<PendingEnvelope> batch = Claim("FR-DGPN", now);
    ASSERT_EQ(batch.size(), 2u) << i;
    EXPECT_EQ(batch[0].envelope.id, id);
    EXPECT_EQ(batch[0].refusals, i - 1);
    EXPECT_EQ(Refuse(id, now, 3), i == 3) << i;
    if (i == 3) continue;  // the live row fails twice: max_attempts 2, not 3
    const std::vector<std::string> ids = {live};
    Write([&](db::Transaction& tx) { return MarkFailed(tx, ids, "peer down", now); });
  }
  // Dead: never claimed again, not due, counted apart from the pending rows.
  std::vector<PendingEnvelope> after = Claim("FR-DGPN", now + absl::Hours(1));
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].envelope.id, live);
  OutboxStats s = Stats("FR-DGPN");
  EXPECT_EQ(s.pending, 1);
  EXPECT_EQ(s.dead, 1);
  EXPECT_EQ(s.oldest_pending, t0_ + absl::Milliseconds(1));  // the dead row is older
  EXPECT_EQ(s.last_dead_error, "rejected by FR-DGPN: unknown kind");
  EXPECT_EQ(s.last_error, "peer down");
  EXPECT_EQ(s.max_attempts, 2);  // of the live rows only

  absl::StatusOr<std::vector<OutboxEntry>> list;
  ASSERT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) {
                    list = ListDeadLetters(tx, "FR-DGPN", 0, 10);
                    return list.status();
                  }).ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, id);
  EXPECT_EQ((*list)[0].refusals, 3);
  EXPECT_EQ((*list)[0].attempts, 3);
  EXPECT_EQ((*list)[0].dead_at, now);
  EXPECT_EQ((*list)[0].record_id, "alert:a");
  boost::json::object json = OutboxEntryToJson((*list)[0]);
  EXPECT_FALSE(json.contains("body"));
  EXPECT_EQ(json.at("refusals").as_int64(), 3);
}

TEST_P(FederationDeadLetterTest, DeferralsAndTransportFailuresNeverDeadLetter) {
  const std::string id = PublishOne("FR-DGPN", "alert:a", t0_);
  absl::Time now = t0_;
  for (int i = 0; i < 20; ++i) {
    now += absl::Seconds(1);
    ASSERT_EQ(Claim("FR-DGPN", now).size(), 1u) << i;
    Fail(id, i % 2 == 0 ? "deferred by FR-DGPN: alert:z not received yet" : "connection refused",
         now);
  }
  // A refusal after them counts as the first refusal only.
  EXPECT_FALSE(Refuse(id, now, 2));
  ASSERT_EQ(Claim("FR-DGPN", now).size(), 1u);
  OutboxStats s = Stats("FR-DGPN");
  EXPECT_EQ(s.dead, 0);
  EXPECT_EQ(s.pending, 1);
  EXPECT_EQ(s.max_attempts, 21);
  EXPECT_TRUE(Due("FR-DGPN").has_value());
}

TEST_P(FederationDeadLetterTest, RetryMakesADeadRowClaimableAgainAndDiscardDeletesIt) {
  const std::string a = PublishOne("FR-DGPN", "alert:a", t0_);
  const std::string b = PublishOne("FR-DGPN", "alert:b", t0_);
  const std::string c = PublishOne("FR-DGPN", "alert:c", t0_);
  const absl::Time t1 = t0_ + absl::Seconds(5);
  ASSERT_EQ(Claim("FR-DGPN", t1).size(), 3u);
  EXPECT_TRUE(Refuse(a, t1, 1));
  EXPECT_TRUE(Refuse(b, t1, 1));
  EXPECT_TRUE(Refuse(c, t1, 1));
  EXPECT_FALSE(Due("FR-DGPN").has_value());  // nothing live: the sender sleeps
  EXPECT_TRUE(Claim("FR-DGPN", t1 + absl::Hours(1)).empty());
  EXPECT_EQ(Stats("FR-DGPN").pending, 0);
  EXPECT_EQ(Stats("FR-DGPN").dead, 3);

  const absl::Time t2 = t1 + absl::Minutes(1);
  absl::StatusOr<OutboxEntry> retried;
  Write([&](db::Transaction& tx) {
    retried = RetryDeadLetter(tx, "FR-DGPN", a, t2);
    return retried.status();
  });
  EXPECT_FALSE(retried->dead_at.has_value());
  EXPECT_EQ(retried->refusals, 0);
  EXPECT_EQ(Due("FR-DGPN"), t2);
  std::vector<PendingEnvelope> back = Claim("FR-DGPN", t2);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].envelope.id, a);
  EXPECT_EQ(back[0].refusals, 0);
  EXPECT_EQ(back[0].attempts, 1);  // every failed attempt, the refusal too

  // A live row is neither retried nor discarded; an unknown one is NotFound.
  EXPECT_EQ(db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
                  return RetryDeadLetter(tx, "FR-DGPN", a, t2).status();
                }).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
                  return DiscardDeadLetter(tx, "FR-DGPN", a).status();
                }).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
                  return DiscardDeadLetter(tx, "ES-PN", b).status();  // another partner's
                }).code(),
            absl::StatusCode::kNotFound);

  Write([&](db::Transaction& tx) { return DiscardDeadLetter(tx, "FR-DGPN", b).status(); });
  EXPECT_EQ(Stats("FR-DGPN").dead, 1);
  ASSERT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
                    EXPECT_FALSE(FindOutboxEntry(tx, "FR-DGPN", b)->has_value());
                    EXPECT_EQ(*CountDeadLetters(tx, "FR-DGPN"), 1);
                    return absl::OkStatus();
                  }).ok());

  absl::StatusOr<int64_t> n;
  Write([&](db::Transaction& tx) {
    n = RetryAllDeadLetters(tx, "FR-DGPN", t2);
    return n.status();
  });
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(Stats("FR-DGPN").dead, 0);
  EXPECT_EQ(Stats("FR-DGPN").pending, 2);
  std::vector<PendingEnvelope> all = Claim("FR-DGPN", t2 + absl::Minutes(1));
  EXPECT_EQ(all.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Stores, FederationDeadLetterTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

INSTANTIATE_TEST_SUITE_P(Stores, FederationStoreTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::federation
