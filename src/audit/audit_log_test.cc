#include "audit/audit_log.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/json/serialize.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "db/test_stores.h"

// Designated initializers that name only some members read best in tests.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace jisr::audit {
namespace {

using ::testing::ElementsAre;

constexpr std::string_view kZeros =
    "0000000000000000000000000000000000000000000000000000000000000000";

class AuditLogTest : public ::testing::TestWithParam<std::string> {
 protected:
  AuditLogTest() : store_(GetParam()), log_(clock_) {}

  db::Database& db() { return store_.db(); }

  static AuditEntry Event(std::string actor, std::string action,
                          std::string object, std::string details = "{}") {
    AuditEntry e;
    e.actor = std::move(actor);
    e.action = std::move(action);
    e.object = std::move(object);
    e.purpose = "test";
    e.details = std::move(details);
    return e;
  }

  // Appends `e` in its own write transaction and returns the stored entry.
  AuditEntry Append(const AuditEntry& e) {
    AuditEntry stored;
    absl::Status s =
        db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(stored, log_.Append(tx, e));
          return absl::OkStatus();
        });
    EXPECT_TRUE(s.ok()) << s;
    return stored;
  }

  // Appends `n` entries, one millisecond apart, with details {"i": k}.
  std::vector<AuditEntry> AppendMany(int n) {
    std::vector<AuditEntry> out;
    for (int k = 1; k <= n; ++k) {
      out.push_back(
          Append(Event("user:u1:alice", "user.read", fmt::format("user/{}", k),
                       fmt::format("{{\"i\":{}}}", k))));
      clock_.Advance(absl::Milliseconds(1));
    }
    return out;
  }

  absl::Status Sql(std::string_view sql,
                   std::initializer_list<db::Value> params = {}) {
    // Copy the params: the lambda outlives nothing, but keep it simple.
    std::vector<db::Value> p(params);
    return db().Run(db::TxMode::kWrite,
                    [&](db::Transaction& tx) -> absl::Status {
                      return tx.Execute(sql, db::Params(p)).status();
                    });
  }

  VerifyResult Verify(int page_size = 1000) {
    absl::StatusOr<VerifyResult> r =
        log_.Verify(db(), {.page_size = page_size});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : VerifyResult{};
  }

  db::testing::TestStore store_;
  FakeClock clock_;
  AuditLog log_;
};

TEST_P(AuditLogTest, AppendNumbersAndChainsEntries) {
  const AuditEntry a = Append(Event("cli:root", "user.create", "user/1"));
  clock_.Advance(absl::Seconds(2));
  const AuditEntry b = Append(Event("system", "session.purge", ""));
  EXPECT_EQ(a.seq, 1);
  EXPECT_EQ(b.seq, 2);
  EXPECT_EQ(a.prev_hash, kZeros);
  EXPECT_EQ(b.prev_hash, a.hash);
  EXPECT_EQ(a.at, clock_.Now() - absl::Seconds(2));
  EXPECT_EQ(b.at, clock_.Now());
  EXPECT_EQ(a.hash.size(), 64u);
  EXPECT_NE(a.hash, b.hash);
  EXPECT_EQ(ComputeEntryHash(a.prev_hash, a), a.hash);
  EXPECT_EQ(ComputeEntryHash(b.prev_hash, b), b.hash);
}

// Pins the documented encoding: recompute the hash by hand.
TEST_P(AuditLogTest, HashFollowsTheDocumentedEncoding) {
  AuditEntry e =
      Event("cli:root", "user.create", "user/1", R"({"role":"admin"})");
  e.purpose = "bootstrap";
  e.outcome = AuditOutcome::kDenied;
  const AuditEntry stored = Append(e);

  std::string message(32, '\0');
  auto field = [&](std::string_view s) {
    for (int i = 7; i >= 0; --i)
      message.push_back(static_cast<char>((s.size() >> (8 * i)) & 0xff));
    message.append(s);
  };
  field("jisr.audit.v1");
  field("1");
  field(std::to_string(ToUnixMillis(clock_.Now())));
  field("cli:root");
  field("user.create");
  field("user/1");
  field("bootstrap");
  field("denied");
  field(R"({"role":"admin"})");
  std::array<unsigned char, 32> digest{};
  ASSERT_EQ(
      crypto_generichash(digest.data(), digest.size(),
                         reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), nullptr, 0),
      0);
  EXPECT_EQ(stored.hash,
            ToHex(std::string_view(reinterpret_cast<const char*>(digest.data()),
                                   digest.size())));
}

TEST_P(AuditLogTest, DetailsAreCanonicalised) {
  const AuditEntry e =
      Append(Event("system", "x.y", "", R"(  { "b" : [1, 2],  "a": "é" } )"));
  EXPECT_EQ(e.details, R"({"b":[1,2],"a":"é"})");
  AuditPage page = *log_.List(db(), {});
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].details, e.details);
}

TEST_P(AuditLogTest, AppendRejectsBadFieldsNamingThem) {
  struct Case {
    AuditEntry entry;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back({Event("", "a.b", ""), "actor"});
  cases.push_back({Event("system", "", ""), "action"});
  cases.push_back(
      {Event("system", "a.b", std::string(kMaxObjectBytes + 1, 'x')),
       "object"});
  cases.push_back({Event("system", "a.b", "", "[1,2]"), "details"});
  cases.push_back({Event("system", "a.b", "", "{\"a\":"), "details"});
  cases.push_back({Event("system", "a.b", "", ""), "details"});
  cases.push_back({Event("system\xff", "a.b", ""), "actor"});
  cases.push_back({Event("system", std::string("a\0b", 3), ""), "action"});
  AuditEntry bad_purpose = Event("system", "a.b", "");
  bad_purpose.purpose = "\xc0\x80";  // overlong NUL
  cases.push_back({bad_purpose, "purpose"});
  AuditEntry long_purpose = Event("system", "a.b", "");
  long_purpose.purpose = std::string(kMaxPurposeBytes + 1, 'p');
  cases.push_back({long_purpose, "purpose"});

  for (const Case& c : cases) {
    absl::Status s = db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return log_.Append(tx, c.entry).status();
    });
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(FieldOf(s), c.field) << s;
  }
  EXPECT_TRUE(Verify().ok());
  EXPECT_EQ(Verify().head_seq, 0);
}

TEST_P(AuditLogTest, RolledBackAppendLeavesNoTrace) {
  absl::Status s =
      db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        JISR_RETURN_IF_ERROR(
            log_.Append(tx, Event("system", "a.b", "")).status());
        return absl::InternalError("the recorded work failed");
      });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(log_.List(db(), {})->entries.empty());
  EXPECT_EQ(Append(Event("system", "a.c", "")).seq, 1);
  const VerifyResult v = Verify();
  EXPECT_TRUE(v.ok()) << v.reason;
  EXPECT_EQ(v.head_seq, 1);
}

TEST_P(AuditLogTest, ListFiltersNewestFirstAndPages) {
  const absl::Time t0 = clock_.Now();
  Append(Event("user:u1:alice", "user.read", "user/9"));  // 1 @ t0
  clock_.Advance(absl::Minutes(1));
  Append(Event("user:u2:bob", "user.update", "user/9"));  // 2 @ t0+1m
  clock_.Advance(absl::Minutes(1));
  Append(Event("user:u1:alice", "user.update", "user/8"));  // 3 @ t0+2m
  clock_.Advance(absl::Minutes(1));
  Append(Event("user:u1:alice", "audit.read", ""));  // 4 @ t0+3m

  auto seqs = [](const AuditPage& p) {
    std::vector<int64_t> out;
    for (const AuditEntry& e : p.entries) out.push_back(e.seq);
    return out;
  };
  EXPECT_THAT(seqs(*log_.List(db(), {})), ElementsAre(4, 3, 2, 1));
  EXPECT_THAT(seqs(*log_.List(db(), {.actor = "user:u1:alice"})),
              ElementsAre(4, 3, 1));
  EXPECT_THAT(seqs(*log_.List(db(), {.action = "user.update"})),
              ElementsAre(3, 2));
  EXPECT_THAT(seqs(*log_.List(db(), {.object = "user/9"})), ElementsAre(2, 1));
  EXPECT_THAT(
      seqs(*log_.List(db(), {.actor = "user:u1:alice", .object = "user/9"})),
      ElementsAre(1));
  EXPECT_THAT(seqs(*log_.List(db(), {.from = t0 + absl::Minutes(1),
                                     .to = t0 + absl::Minutes(3)})),
              ElementsAre(3, 2));

  AuditPage p1 = *log_.List(db(), {.limit = 3});
  EXPECT_THAT(seqs(p1), ElementsAre(4, 3, 2));
  ASSERT_TRUE(p1.next_before_seq.has_value());
  AuditPage p2 =
      *log_.List(db(), {.limit = 3, .before_seq = p1.next_before_seq});
  EXPECT_THAT(seqs(p2), ElementsAre(1));
  EXPECT_FALSE(p2.next_before_seq.has_value());
  AuditPage exact = *log_.List(db(), {.limit = 4});
  EXPECT_EQ(exact.entries.size(), 4u);
  EXPECT_FALSE(exact.next_before_seq.has_value());

  const AuditEntry& e = p1.entries[0];
  EXPECT_EQ(e.actor, "user:u1:alice");
  EXPECT_EQ(e.action, "audit.read");
  EXPECT_EQ(e.purpose, "test");
  EXPECT_EQ(e.outcome, AuditOutcome::kSuccess);
  EXPECT_EQ(e.at, t0 + absl::Minutes(3));
}

TEST_P(AuditLogTest, ListRejectsBadFilters) {
  EXPECT_EQ(FieldOf(log_.List(db(), {.limit = 0}).status()), "limit");
  EXPECT_EQ(FieldOf(log_.List(db(), {.limit = 501}).status()), "limit");
  EXPECT_TRUE(log_.List(db(), {.limit = 500}).ok());
  EXPECT_EQ(FieldOf(log_.List(db(), {.before_seq = 0}).status()), "before_seq");
  const absl::Time t = clock_.Now();
  EXPECT_EQ(
      FieldOf(
          log_.List(db(), {.from = t, .to = t - absl::Seconds(1)}).status()),
      "from");
}

TEST_P(AuditLogTest, VerifyAcceptsAnIntactChain) {
  VerifyResult empty = Verify();
  EXPECT_TRUE(empty.ok());
  EXPECT_EQ(empty.head_seq, 0);
  EXPECT_EQ(empty.head_hash, kZeros);
  EXPECT_EQ(empty.entries_checked, 0);

  const std::vector<AuditEntry> entries = AppendMany(10);
  for (int page_size : {1, 3, 10, 1000}) {
    const VerifyResult v = Verify(page_size);
    EXPECT_TRUE(v.ok()) << page_size << ": " << v.reason;
    EXPECT_EQ(v.entries_checked, 10);
    EXPECT_EQ(v.head_seq, 10);
    EXPECT_EQ(v.head_hash, entries.back().hash);
    EXPECT_FALSE(v.first_broken_seq.has_value());
  }
  EXPECT_EQ(log_.Verify(db(), {.page_size = 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(AuditLogTest, VerifyNamesAnEditedEntry) {
  AppendMany(10);
  ASSERT_TRUE(
      Sql("UPDATE audit_log SET details = '{\"i\":999}' WHERE seq = 3").ok());
  const VerifyResult v = Verify(4);
  EXPECT_EQ(v.problem, AuditProblem::kHashMismatch);
  EXPECT_EQ(v.first_broken_seq, 3);
  EXPECT_EQ(v.entries_checked, 2);
  EXPECT_THAT(v.reason, ::testing::HasSubstr("entry 3"));
}

TEST_P(AuditLogTest, VerifyNamesAnEditedTimeOrOutcome) {
  AppendMany(5);
  ASSERT_TRUE(
      Sql("UPDATE audit_log SET outcome = 'denied' WHERE seq = 5").ok());
  EXPECT_EQ(Verify().first_broken_seq, 5);
  ASSERT_TRUE(
      Sql("UPDATE audit_log SET occurred_at = occurred_at + 1 WHERE seq = 2")
          .ok());
  const VerifyResult v = Verify();
  EXPECT_EQ(v.problem, AuditProblem::kHashMismatch);
  EXPECT_EQ(v.first_broken_seq, 2);
}

TEST_P(AuditLogTest, VerifyNamesTheSuccessorOfARehashedEntry) {
  const std::vector<AuditEntry> entries = AppendMany(6);
  // A forger edits entry 3 and fixes its hash, but cannot fix entry 4's link.
  AuditEntry forged = entries[2];
  forged.details = R"({"i":333})";
  const std::string forged_hash = ComputeEntryHash(forged.prev_hash, forged);
  ASSERT_TRUE(Sql("UPDATE audit_log SET details = $1, hash = $2 WHERE seq = 3",
                  {forged.details, forged_hash})
                  .ok());
  const VerifyResult v = Verify(2);
  EXPECT_EQ(v.problem, AuditProblem::kPrevHashMismatch);
  EXPECT_EQ(v.first_broken_seq, 4);
}

TEST_P(AuditLogTest, VerifyNamesADeletedMiddleEntry) {
  AppendMany(10);
  ASSERT_TRUE(Sql("DELETE FROM audit_log WHERE seq = 5").ok());
  const VerifyResult v = Verify(3);
  EXPECT_EQ(v.problem, AuditProblem::kGap);
  EXPECT_EQ(v.first_broken_seq, 5);
  EXPECT_EQ(v.entries_checked, 4);
}

TEST_P(AuditLogTest, VerifyDetectsTruncation) {
  AppendMany(10);
  ASSERT_TRUE(Sql("DELETE FROM audit_log WHERE seq >= 8").ok());
  for (int page_size : {1, 7, 1000}) {
    const VerifyResult v = Verify(page_size);
    EXPECT_EQ(v.problem, AuditProblem::kTruncated) << page_size;
    EXPECT_EQ(v.first_broken_seq, 8);
    EXPECT_EQ(v.head_seq, 10);
    EXPECT_EQ(v.entries_checked, 7);
  }
  // Truncating everything is caught too.
  ASSERT_TRUE(Sql("DELETE FROM audit_log").ok());
  EXPECT_EQ(Verify().problem, AuditProblem::kTruncated);
  EXPECT_EQ(Verify().first_broken_seq, 1);
}

TEST_P(AuditLogTest, VerifyDetectsHeadTampering) {
  const std::vector<AuditEntry> entries = AppendMany(10);
  // Rewinding the head to hide the last entries leaves them beyond it.
  ASSERT_TRUE(Sql("UPDATE audit_head SET seq = 7, hash = $1 WHERE id = 1",
                  {entries[6].hash})
                  .ok());
  VerifyResult v = Verify();
  EXPECT_EQ(v.problem, AuditProblem::kBeyondHead);
  EXPECT_EQ(v.first_broken_seq, 8);

  ASSERT_TRUE(Sql("UPDATE audit_head SET seq = 10, hash = $1 WHERE id = 1",
                  {entries[8].hash})
                  .ok());
  v = Verify();
  EXPECT_EQ(v.problem, AuditProblem::kHeadMismatch);
  EXPECT_EQ(v.first_broken_seq, 10);

  ASSERT_TRUE(Sql("DELETE FROM audit_head").ok());
  v = Verify();
  EXPECT_EQ(v.problem, AuditProblem::kHeadMissing);
  EXPECT_FALSE(v.ok());
  // Appending now fails clearly instead of starting a second chain.
  absl::Status s = db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return log_.Append(tx, Event("system", "a.b", "")).status();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(AuditLogTest, ConcurrentAppendersKeepOneChain) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        absl::Status s = db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
          return log_
              .Append(tx, Event(fmt::format("system:{}", t), "load.test", ""))
              .status();
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const VerifyResult v = Verify(7);
  EXPECT_TRUE(v.ok()) << v.reason;
  EXPECT_EQ(v.head_seq, kThreads * kPerThread);
  EXPECT_EQ(v.entries_checked, kThreads * kPerThread);
}

TEST_P(AuditLogTest, JsonHasSnakeCaseFieldsAndRfc3339Time) {
  clock_.Set(absl::FromUnixMillis(1767256200123));  // 2026-01-01T08:30:00.123Z
  AuditEntry in =
      Event("cli:root", "user.create", "user/1", R"({"role":"admin"})");
  in.outcome = AuditOutcome::kFailure;
  const AuditEntry e = Append(in);
  const boost::json::object o = AuditEntryToJson(e);
  EXPECT_EQ(o.at("seq").as_int64(), 1);
  EXPECT_EQ(o.at("at").as_string(), "2026-01-01T08:30:00.123Z");
  EXPECT_EQ(o.at("actor").as_string(), "cli:root");
  EXPECT_EQ(o.at("action").as_string(), "user.create");
  EXPECT_EQ(o.at("object").as_string(), "user/1");
  EXPECT_EQ(o.at("purpose").as_string(), "test");
  EXPECT_EQ(o.at("outcome").as_string(), "failure");
  EXPECT_EQ(o.at("details").as_object().at("role").as_string(), "admin");
  EXPECT_EQ(o.at("prev_hash").as_string(), kZeros);
  EXPECT_EQ(o.at("hash").as_string(), e.hash);
  EXPECT_EQ(o.size(), 10u);

  const boost::json::object v = VerifyResultToJson(Verify());
  EXPECT_EQ(v.at("ok").as_bool(), true);
  EXPECT_EQ(v.at("problem").as_string(), "ok");
  EXPECT_TRUE(v.at("first_broken_seq").is_null());
  EXPECT_EQ(v.at("head_seq").as_int64(), 1);
}

TEST_P(AuditLogTest, ExportWritesJsonLinesThatReverify) {
  const std::vector<AuditEntry> entries = AppendMany(7);
  std::ostringstream out;
  absl::StatusOr<int64_t> n = log_.ExportJsonLines(db(), out, {.page_size = 3});
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 7);

  // An auditor can recompute the chain from the export alone.
  std::istringstream in(out.str());
  std::string line;
  std::string prev(kZeros);
  int64_t count = 0;
  while (std::getline(in, line)) {
    absl::StatusOr<boost::json::object> o = ParseJsonObject(line);
    ASSERT_TRUE(o.ok()) << line;
    AuditEntry e;
    e.seq = o->at("seq").as_int64();
    e.at = *ParseRfc3339(std::string(o->at("at").as_string()));
    e.actor = o->at("actor").as_string();
    e.action = o->at("action").as_string();
    e.object = o->at("object").as_string();
    e.purpose = o->at("purpose").as_string();
    e.outcome = *OutcomeFromName(std::string(o->at("outcome").as_string()));
    e.details = boost::json::serialize(o->at("details"));
    EXPECT_EQ(o->at("prev_hash").as_string(), prev);
    EXPECT_EQ(ComputeEntryHash(prev, e), o->at("hash").as_string()) << line;
    prev = o->at("hash").as_string();
    ++count;
    EXPECT_EQ(e.seq, count);
  }
  EXPECT_EQ(count, 7);
  EXPECT_EQ(prev, entries.back().hash);

  std::ostringstream tail;
  EXPECT_EQ(*log_.ExportJsonLines(db(), tail, {.after_seq = 5}), 2);
  const std::string tail_text = tail.str();
  EXPECT_EQ(std::count(tail_text.begin(), tail_text.end(), '\n'), 2);

  std::ostringstream window;
  EXPECT_EQ(*log_.ExportJsonLines(
                db(), window,
                {.from = entries[1].at, .to = entries[4].at, .page_size = 1}),
            3);
}

TEST(AuditOutcomeTest, NamesRoundTrip) {
  for (AuditOutcome o : {AuditOutcome::kSuccess, AuditOutcome::kDenied,
                         AuditOutcome::kFailure}) {
    EXPECT_EQ(OutcomeFromName(OutcomeName(o)), o);
  }
  EXPECT_EQ(OutcomeFromName("Success"), std::nullopt);
  EXPECT_EQ(OutcomeFromName(""), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditLogTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::audit
