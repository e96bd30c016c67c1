// The audit chain stays one valid chain when several connection pools (as
// several `jisr serve` processes have) append to it at once, on every store.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/status.h"
#include "db/test_stores.h"

namespace jisr {
namespace {

class AuditChainConcurrencyTest : public ::testing::TestWithParam<std::string> {
};

TEST_P(AuditChainConcurrencyTest,
       ConcurrentAppendersFromSeveralPoolsFormOneChain) {
  db::testing::TestStore store(GetParam());
  constexpr int kPools = 3;
  constexpr int kThreadsPerPool = 2;
  constexpr int kAppendsPerThread = 40;
  std::vector<std::unique_ptr<db::Database>> pools;
  for (int p = 0; p < kPools; ++p) {
    auto db = db::OpenDatabase(store.url());
    ASSERT_TRUE(db.ok()) << db.status();
    pools.push_back(*std::move(db));
  }
  const audit::AuditLog log(SystemClock::Instance());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < kPools; ++p) {
    for (int t = 0; t < kThreadsPerPool; ++t) {
      threads.emplace_back([&, p, t] {
        for (int i = 0; i < kAppendsPerThread; ++i) {
          absl::Status s =
              pools[p]->Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
                audit::AuditEntry e;
                e.actor = fmt::format("user:pool{}:thread{}", p, t);
                e.action = "test.append";
                e.object = fmt::format("item/{}", i);
                e.details =
                    fmt::format(R"({{"pool":{},"thread":{},"i":{}}})", p, t, i);
                return log.Append(tx, e).status();
              });
          if (!s.ok()) {
            ++failures;
            ADD_FAILURE() << s;
          }
        }
      });
    }
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures, 0);

  constexpr int kTotal = kPools * kThreadsPerPool * kAppendsPerThread;
  absl::StatusOr<audit::VerifyResult> v = log.Verify(store.db());
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << v->reason;
  EXPECT_EQ(v->entries_checked, kTotal);
  EXPECT_EQ(v->head_seq, kTotal);
  // Every append is there exactly once.
  std::set<std::string> seen;
  auto tx = *store.db().Begin(db::TxMode::kRead);
  auto rows = tx->Query("SELECT actor, object FROM audit_log");
  ASSERT_TRUE(rows.ok()) << rows.status();
  for (const db::Row& r : *rows) seen.insert(r.GetText(0) + " " + r.GetText(1));
  EXPECT_EQ(seen.size(), static_cast<size_t>(kTotal));
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditChainConcurrencyTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr
