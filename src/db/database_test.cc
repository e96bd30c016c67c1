#include "db/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/status.h"
#include "db/test_stores.h"

namespace jisr::db {
namespace {

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  DatabaseTest() : store_(GetParam(), /*migrate=*/false) {
    EXPECT_TRUE(db()
                    .Run(TxMode::kWrite,
                         [](Transaction& tx) {
                           return tx.ExecuteScript(
                               "CREATE TABLE parent (id TEXT PRIMARY KEY, n BIGINT NOT NULL,"
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
  ASSERT_TRUE(db().Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
                    return tx.Execute("INSERT INTO parent (id, n, x, note) VALUES ($1, $2, $3, $4)",
                                      {std::string("a"), int64_t{-42}, 2.5, Null{}})
                        .status();
                  }).ok());
  std::vector<Row> rows;
  ASSERT_TRUE(db().Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
                    auto r = tx.Query("SELECT id, n, x, note FROM parent WHERE id = $1",
                                      {std::string("a")});
                    if (!r.ok()) return r.status();
                    rows = *r;
                    return absl::OkStatus();
                  }).ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].GetText(0), "a");
  EXPECT_EQ(rows[0].GetInt(1), -42);
  EXPECT_DOUBLE_EQ(rows[0].GetDouble(2), 2.5);
  EXPECT_TRUE(rows[0].IsNull(3));
  EXPECT_EQ(rows[0].GetOptionalText(3), std::nullopt);
}

TEST_P(DatabaseTest, ParametersBindByNumberNotPosition) {
  ASSERT_TRUE(db().Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
                    return tx.Execute("INSERT INTO parent (n, id) VALUES ($2, $1)",
                                      {std::string("b"), int64_t{7}})
                        .status();
                  }).ok());
  auto tx = *db().Begin(TxMode::kRead);
  auto row = tx->QueryOptional("SELECT n FROM parent WHERE id = $1", {std::string("b")});
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->GetInt(0), 7);
  auto none = tx->QueryOptional("SELECT n FROM parent WHERE id = $1", {std::string("zz")});
  EXPECT_FALSE(none->has_value());
}

TEST_P(DatabaseTest, ErrorsMapToStatusCodes) {
  auto tx = *db().Begin(TxMode::kWrite);
  ASSERT_TRUE(tx->Execute("INSERT INTO parent (id, n) VALUES ($1, 1)", {std::string("a")}).ok());
  EXPECT_EQ(tx->Execute("INSERT INTO parent (id, n) VALUES ($1, 1)", {std::string("a")})
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(tx->Execute("INSERT INTO child (id, parent_id) VALUES ('c', 'nobody')")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(tx->Execute("INSERT INTO parent (id) VALUES ('x')").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(tx->Execute("SELEC nonsense").status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(tx->Execute("SELECT $1, $2", {int64_t{1}}).status().code(),
            absl::StatusCode::kInternal);
}

TEST_P(DatabaseTest, FailedRunRollsBackEverything) {
  absl::Status s = db().Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
    if (auto r = tx.Execute("INSERT INTO parent (id, n) VALUES ('a', 1)"); !r.ok()) {
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
  absl::Status s = db().Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
    ++calls;
    if (auto r = tx.Execute("INSERT INTO parent (id, n) VALUES ('a', $1)", {int64_t{calls}});
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
        return tx.Execute("INSERT INTO parent (id, n) VALUES ($1, $2)",
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
  ASSERT_TRUE(db().Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
                    JISR_RETURN_IF_ERROR(tx.ExecuteScript("CREATE TABLE b (v BYTEA)"));
                    return tx.Execute("INSERT INTO b (v) VALUES ($1)", {Bytes{blob}}).status();
                  }).ok());
  auto tx = *db().Begin(TxMode::kRead);
  EXPECT_EQ((*tx->Query("SELECT v FROM b"))[0].GetBytes(0), blob);
}

INSTANTIATE_TEST_SUITE_P(Stores, DatabaseTest, ::testing::ValuesIn(testing::StoreKinds()));

TEST(OpenDatabaseTest, RejectsUnknownUrls) {
  EXPECT_EQ(OpenDatabase("mysql://x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenDatabase("sqlite:").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenDatabase("sqlite:/nonexistent-dir/x/y.db").status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace jisr::db
