#include "db/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "common/status.h"
#include "db/test_stores.h"

namespace jisr::db {
namespace {

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  DatabaseTest() : store_(GetParam(), /*migrate=*/false) {
    EXPECT_TRUE(
        db().Run(TxMode::kWrite,
                 [](Transaction& tx) {
                   return tx.ExecuteScript(
                       "CREATE TABLE parent (id TEXT PRIMARY KEY, n BIGINT NOT "
                       "NULL,"
                       " x DOUBLE PRECISION, note TEXT);"
                       "CREATE TABLE child (id TEXT PRIMARY KEY,"
                       " parent_id TEXT NOT NULL REFERENCES parent(id));");
                 })
            .ok());
  }
  Database& db() { return store_.db(); }
  testing::TestStore store_;
};

TEST_P(DatabaseTest, ValuesRoundTripWithTypes) {
  ASSERT_TRUE(db().Run(TxMode::kWrite,
                       [](Transaction& tx) -> absl::Status {
                         return tx
                             .Execute(
                                 "INSERT INTO parent (id, n, x, note) VALUES "
                                 "($1, $2, $3, $4)",
                                 {std::string("a"), int64_t{-42}, 2.5, Null{}})
                             .status();
                       })
                  .ok());
  std::vector<Row> rows;
  ASSERT_TRUE(db().Run(TxMode::kRead,
                       [&](Transaction& tx) -> absl::Status {
                         auto r = tx.Query(
                             "SELECT id, n, x, note FROM parent WHERE id = $1",
                             {std::string("a")});
                         if (!r.ok()) return r.status();
                         rows = *r;
                         return absl::OkStatus();
                       })
                  .ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].GetText(0), "a");
  EXPECT_EQ(rows[0].GetInt(1), -42);
  EXPECT_DOUBLE_EQ(rows[0].GetDouble(2), 2.5);
  EXPECT_TRUE(rows[0].IsNull(3));
  EXPECT_EQ(rows[0].GetOptionalText(3), std::nullopt);
}

TEST_P(DatabaseTest, ParametersBindByNumberNotPosition) {
  ASSERT_TRUE(db().Run(TxMode::kWrite,
                       [](Transaction& tx) -> absl::Status {
                         return tx
                             .Execute(
                                 "INSERT INTO parent (n, id) VALUES ($2, $1)",
                                 {std::string("b"), int64_t{7}})
                             .status();
                       })
                  .ok());
  auto tx = *db().Begin(TxMode::kRead);
  auto row = tx->QueryOptional("SELECT n FROM parent WHERE id = $1",
                               {std::string("b")});
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->GetInt(0), 7);
  auto none = tx->QueryOptional("SELECT n FROM parent WHERE id = $1",
                                {std::string("zz")});
  EXPECT_FALSE(none->has_value());
}

// Each failing statement in a transaction of its own: after a failed statement
// a transaction can only be rolled back (see database.h).
absl::StatusCode CodeOf(Database& db, std::string_view sql,
                        std::initializer_list<Value> params = {}) {
  auto tx = db.Begin(TxMode::kWrite);
  EXPECT_TRUE(tx.ok()) << tx.status();
  if (!tx.ok()) return absl::StatusCode::kUnknown;
  return (*tx)->Execute(sql, params).status().code();
}

TEST_P(DatabaseTest, ErrorsMapToStatusCodes) {
  ASSERT_TRUE(db().Run(TxMode::kWrite,
                       [](Transaction& tx) {
                         return tx
                             .Execute(
                                 "INSERT INTO parent (id, n) VALUES ($1, 1)",
                                 {std::string("a")})
                             .status();
                       })
                  .ok());
  EXPECT_EQ(CodeOf(db(), "INSERT INTO parent (id, n) VALUES ($1, 1)",
                   {std::string("a")}),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(
      CodeOf(db(), "INSERT INTO child (id, parent_id) VALUES ('c', 'nobody')"),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(db(), "INSERT INTO parent (id) VALUES ('x')"),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(db(), "SELEC nonsense"), absl::StatusCode::kInternal);
  EXPECT_EQ(CodeOf(db(), "SELECT $1, $2", {int64_t{1}}),
            absl::StatusCode::kInternal);
  EXPECT_EQ(CodeOf(db(), "SELECT $2", {int64_t{1}, int64_t{2}}),
            absl::StatusCode::kInternal);
  EXPECT_EQ(CodeOf(db(), "SELECT 1; SELECT 2"), absl::StatusCode::kInternal);
}

TEST_P(DatabaseTest, AFailedStatementDoesNotCommitTheOthers) {
  // The caller returns the error, as the rule says: nothing is committed.
  absl::Status s =
      db().Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
        JISR_RETURN_IF_ERROR(
            tx.Execute("INSERT INTO parent (id, n) VALUES ('a', 1)").status());
        return tx.Execute("INSERT INTO parent (id, n) VALUES ('a', 2)")
            .status();
      });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  auto tx = *db().Begin(TxMode::kRead);
  EXPECT_EQ((*tx->Query("SELECT COUNT(*) FROM parent"))[0].GetInt(0), 0);
}

TEST_P(DatabaseTest, TextAndNumbersRoundTripExactly) {
  const std::string unicode =
      "Yamina Testa \xD8\xA8\xD9\x86 \xD8\xB9\xD9\x84\xD9\x8A "
      "\xC3\xA9\xE2\x82\xAC 'quote' \"dq\" \\";
  const std::vector<std::pair<int64_t, double>> numbers = {
      {INT64_MAX, 1e308},
      {INT64_MIN, -2.2250738585072014e-308},
      {0, 0.1},
      {-1, 1.0 / 3}};
  ASSERT_TRUE(db().Run(TxMode::kWrite,
                       [&](Transaction& tx) -> absl::Status {
                         int i = 0;
                         for (const auto& [n, x] : numbers) {
                           JISR_RETURN_IF_ERROR(
                               tx.Execute("INSERT INTO parent (id, n, x, note) "
                                          "VALUES ($1, $2, $3, $4)",
                                          {std::to_string(i++), n, x, unicode})
                                   .status());
                         }
                         return absl::OkStatus();
                       })
                  .ok());
  auto tx = *db().Begin(TxMode::kRead);
  auto rows = *tx->Query("SELECT n, x, note FROM parent ORDER BY id");
  ASSERT_EQ(rows.size(), numbers.size());
  for (size_t i = 0; i < numbers.size(); ++i) {
    EXPECT_EQ(rows[i].GetInt(0), numbers[i].first);
    EXPECT_EQ(rows[i].GetDouble(1), numbers[i].second);  // bit-exact
    EXPECT_EQ(rows[i].GetText(2), unicode);
  }
  // Aggregates come back as numbers on both stores.
  auto sums = *tx->Query("SELECT COUNT(*), SUM(n - n + 2), MAX(x) FROM parent");
  EXPECT_EQ(sums[0].GetInt(0), 4);
  EXPECT_EQ(sums[0].GetInt(1), 8);
  EXPECT_EQ(sums[0].GetDouble(2), 1e308);
}

TEST_P(DatabaseTest, TextOrdersByteWise) {
  ASSERT_TRUE(
      db().Run(TxMode::kWrite,
               [&](Transaction& tx) -> absl::Status {
                 for (const char* id :
                      {"b", "B", "a.c", "ab", "_x", "\xC3\xA9"}) {
                   JISR_RETURN_IF_ERROR(
                       tx.Execute("INSERT INTO parent (id, n) VALUES ($1, 0)",
                                  {std::string(id)})
                           .status());
                 }
                 return absl::OkStatus();
               })
          .ok());
  auto tx = *db().Begin(TxMode::kRead);
  auto rows = *tx->Query("SELECT id FROM parent ORDER BY id");
  std::vector<std::string> ids;
  for (const Row& r : rows) ids.push_back(r.GetText(0));
  EXPECT_EQ(
      ids, (std::vector<std::string>{"B", "_x", "a.c", "ab", "b", "\xC3\xA9"}));
}

TEST_P(DatabaseTest, WritersAreSerialisedAcrossConnections) {
  // Read-modify-write from two Database objects (two pools, as two processes
  // would have) loses no update.
  ASSERT_TRUE(
      db().Run(TxMode::kWrite,
               [](Transaction& tx) {
                 return tx
                     .Execute(
                         "INSERT INTO parent (id, n) VALUES ('counter', 0)")
                     .status();
               })
          .ok());
  auto other = OpenDatabase(store_.url());
  ASSERT_TRUE(other.ok()) << other.status();
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Database& target = t % 2 == 0 ? db() : **other;
      for (int i = 0; i < kIncrements; ++i) {
        absl::Status s =
            target.Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
              JISR_ASSIGN_OR_RETURN(
                  std::optional<Row> row,
                  tx.QueryOptional(
                      "SELECT n FROM parent WHERE id = 'counter'"));
              if (!row) return absl::NotFoundError("counter");
              return tx
                  .Execute("UPDATE parent SET n = $1 WHERE id = 'counter'",
                           {row->GetInt(0) + 1})
                  .status();
            });
        if (!s.ok()) {
          ++failures;
          ADD_FAILURE() << s;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto tx = *db().Begin(TxMode::kRead);
  EXPECT_EQ(
      (*tx->Query("SELECT n FROM parent WHERE id = 'counter'"))[0].GetInt(0),
      kThreads * kIncrements);
}

TEST_P(DatabaseTest, TextWithNulIsRefusedOrKept) {
  // PostgreSQL cannot store NUL in text: it is refused, never truncated.
  const std::string with_nul("a\0b", 3);
  absl::Status s = db().Run(TxMode::kWrite, [&](Transaction& tx) {
    return tx.Execute("INSERT INTO parent (id, n) VALUES ($1, 1)", {with_nul})
        .status();
  });
  auto tx = *db().Begin(TxMode::kRead);
  auto rows = *tx->Query("SELECT id FROM parent");
  if (s.ok()) {
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].GetText(0), with_nul);
  } else {
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_TRUE(rows.empty());
  }
}

TEST_P(DatabaseTest, FailedRunRollsBackEverything) {
  absl::Status s =
      db().Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
        if (auto r = tx.Execute("INSERT INTO parent (id, n) VALUES ('a', 1)");
            !r.ok()) {
          return r.status();
        }
        return absl::InvalidArgumentError("caller changed its mind");
      });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  auto tx = *db().Begin(TxMode::kRead);
  EXPECT_EQ((*tx->Query("SELECT COUNT(*) FROM parent"))[0].GetInt(0), 0);
}

TEST_P(DatabaseTest, DroppedTransactionRollsBack) {
  {
    auto tx = *db().Begin(TxMode::kWrite);
    ASSERT_TRUE(tx->Execute("INSERT INTO parent (id, n) VALUES ('a', 1)").ok());
  }
  auto tx = *db().Begin(TxMode::kRead);
  EXPECT_EQ((*tx->Query("SELECT COUNT(*) FROM parent"))[0].GetInt(0), 0);
  EXPECT_TRUE(tx->Commit().ok());
  EXPECT_EQ(tx->Commit().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(DatabaseTest, AbortedIsRetried) {
  int calls = 0;
  absl::Status s =
      db().Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
        ++calls;
        if (auto r = tx.Execute("INSERT INTO parent (id, n) VALUES ('a', $1)",
                                {int64_t{calls}});
            !r.ok()) {
          return r.status();
        }
        if (calls < 3) return absl::AbortedError("serialization failure");
        return absl::OkStatus();
      });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(calls, 3);
  auto tx = *db().Begin(TxMode::kRead);
  auto rows = *tx->Query("SELECT n FROM parent");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].GetInt(0), 3);
}

TEST_P(DatabaseTest, ReadersSeeCommittedWritesWhileWritersRun) {
  std::atomic<bool> failed{false};
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      absl::Status s = db().Run(TxMode::kWrite, [&](Transaction& tx) {
        return tx
            .Execute("INSERT INTO parent (id, n) VALUES ($1, $2)",
                     {std::to_string(i), int64_t{i}})
            .status();
      });
      if (!s.ok()) failed = true;
    }
  });
  int64_t last = 0;
  for (int i = 0; i < 200; ++i) {
    auto tx = *db().Begin(TxMode::kRead);
    const int64_t n = (*tx->Query("SELECT COUNT(*) FROM parent"))[0].GetInt(0);
    EXPECT_GE(n, last);  // committed rows never disappear
    last = n;
  }
  writer.join();
  EXPECT_FALSE(failed);
  auto tx = *db().Begin(TxMode::kRead);
  EXPECT_EQ((*tx->Query("SELECT COUNT(*) FROM parent"))[0].GetInt(0), 200);
}

TEST_P(DatabaseTest, BytesRoundTrip) {
  const std::string blob("\x00\x01\xff", 3);
  ASSERT_TRUE(db().Run(TxMode::kWrite,
                       [&](Transaction& tx) -> absl::Status {
                         JISR_RETURN_IF_ERROR(
                             tx.ExecuteScript("CREATE TABLE b (v BYTEA)"));
                         return tx
                             .Execute("INSERT INTO b (v) VALUES ($1)",
                                      {Bytes{blob}})
                             .status();
                       })
                  .ok());
  auto tx = *db().Begin(TxMode::kRead);
  EXPECT_EQ((*tx->Query("SELECT v FROM b"))[0].GetBytes(0), blob);
}

INSTANTIATE_TEST_SUITE_P(Stores, DatabaseTest,
                         ::testing::ValuesIn(testing::StoreKinds()));

TEST(OpenDatabaseTest, RejectsUnknownUrls) {
  EXPECT_EQ(OpenDatabase("mysql://x").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto secret = OpenDatabase("mysql://user:hunter2@host/db");
  EXPECT_EQ(std::string(secret.status().message()).find("hunter2"),
            std::string::npos);
  EXPECT_EQ(OpenDatabase("sqlite:").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenDatabase("sqlite:/nonexistent-dir/x/y.db").status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace jisr::db
