#include "db/migrations.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "db/test_stores.h"

namespace jisr::db {
namespace {

constexpr Migration kOne{1, "0001_a", "CREATE TABLE a (id TEXT PRIMARY KEY);"};
constexpr Migration kTwo{2, "0002_b",
                         "CREATE TABLE b (id TEXT PRIMARY KEY);"
                         "INSERT INTO b (id) VALUES ('seed');"};
constexpr Migration kBad{3, "0003_bad",
                         "CREATE TABLE c (id TEXT); CREATE TABL oops;"};

int64_t Count(Database& db, std::string_view table) {
  auto tx = *db.Begin(TxMode::kRead);
  return (*tx->Query(std::string("SELECT COUNT(*) FROM ") +
                     std::string(table)))[0]
      .GetInt(0);
}

class MigrationsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MigrationsTest, EmbeddedAreNumberedAndApply) {
  auto all = EmbeddedMigrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().version, 1);
  for (size_t i = 1; i < all.size(); ++i)
    EXPECT_LT(all[i - 1].version, all[i].version);
  testing::TestStore store(GetParam(), /*migrate=*/false);
  absl::StatusOr<int> empty = SchemaVersion(store.db());
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, 0);  // an empty store
  ASSERT_TRUE(Migrate(store.db()).ok());
  EXPECT_EQ(*SchemaVersion(store.db()), all.back().version);
  ASSERT_TRUE(Migrate(store.db()).ok());  // idempotent
  EXPECT_EQ(Count(store.db(), "schema_migrations"),
            static_cast<int64_t>(all.size()));
}

TEST_P(MigrationsTest, AppliesOnlyMissingOnes) {
  testing::TestStore store(GetParam(), /*migrate=*/false);
  const Migration first[] = {kOne};
  ASSERT_TRUE(Migrate(store.db(), first).ok());
  EXPECT_EQ(*SchemaVersion(store.db()), 1);
  const Migration both[] = {kOne, kTwo};
  ASSERT_TRUE(Migrate(store.db(), both).ok());
  EXPECT_EQ(*SchemaVersion(store.db()), 2);
  EXPECT_EQ(Count(store.db(), "b"), 1);
}

TEST_P(MigrationsTest, FailingScriptAppliesNothing) {
  testing::TestStore store(GetParam(), /*migrate=*/false);
  const Migration set[] = {kOne, kTwo, kBad};
  absl::Status s = Migrate(store.db(), set);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("0003_bad"), std::string::npos) << s;
  auto tx = *store.db().Begin(TxMode::kRead);
  EXPECT_FALSE(
      tx->Query("SELECT COUNT(*) FROM a").ok());  // table a was rolled back
}

TEST_P(MigrationsTest, RefusesAStoreNewerThanTheBinary) {
  testing::TestStore store(GetParam(), /*migrate=*/false);
  const Migration both[] = {kOne, kTwo};
  ASSERT_TRUE(Migrate(store.db(), both).ok());
  const Migration older[] = {kOne};
  EXPECT_EQ(Migrate(store.db(), older).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(MigrationsTest, RejectsMisnumberedSets) {
  testing::TestStore store(GetParam(), /*migrate=*/false);
  const Migration set[] = {kTwo, kOne};
  EXPECT_EQ(Migrate(store.db(), set).code(), absl::StatusCode::kInternal);
}

TEST_P(MigrationsTest, ConcurrentMigratorsApplyOnce) {
  // Several processes starting at once on one store: each runs Migrate.
  testing::TestStore store(GetParam(), /*migrate=*/false);
  std::vector<std::unique_ptr<Database>> dbs;
  for (int i = 0; i < 3; ++i) {
    auto db = OpenDatabase(store.url());
    ASSERT_TRUE(db.ok()) << db.status();
    dbs.push_back(*std::move(db));
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (auto& db : dbs) {
    threads.emplace_back([&failures, d = db.get()] {
      if (!Migrate(*d).ok()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Count(store.db(), "schema_migrations"),
            static_cast<int64_t>(EmbeddedMigrations().size()));
}

INSTANTIATE_TEST_SUITE_P(Stores, MigrationsTest,
                         ::testing::ValuesIn(testing::StoreKinds()));

}  // namespace
}  // namespace jisr::db
