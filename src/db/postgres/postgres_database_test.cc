// What only the PostgreSQL store does: type decoding, the pool, lost
// connections, the write lock across pools, LISTEN across processes. (The
// behaviour both stores share is tested, on both, in db/*_test.cc.)
#include "db/postgres/postgres_database.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>

#include "common/ids.h"
#include "common/status.h"
#include "db/test_stores.h"

namespace jisr::db {
namespace {

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> server = testing::PostgresTestUrl();
    if (!server) {
      GTEST_SKIP()
          << "the test PostgreSQL is not running (CTest starts it; by hand run "
             "scripts/test-postgres.sh start BUILD_DIR/test-postgres)";
    }
    server_url_ = *server;
    store_ =
        std::make_unique<testing::TestStore>("postgres", /*migrate=*/false);
    ASSERT_TRUE(db().Run(TxMode::kWrite,
                         [](Transaction& tx) {
                           return tx.ExecuteScript(
                               "CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT "
                               "NOT NULL)");
                         })
                    .ok());
  }

  Database& db() { return store_->db(); }

  std::unique_ptr<Database> Open(DatabaseOptions options = {}) {
    auto other = OpenDatabase(store_->url(), options);
    EXPECT_TRUE(other.ok()) << other.status();
    return other.ok() ? *std::move(other) : nullptr;
  }

  // Ends every session on the test database (as a server restart would).
  void KillSessions() {
    auto admin = OpenDatabase(server_url_);
    ASSERT_TRUE(admin.ok()) << admin.status();
    const std::string name = *CurrentDatabase();
    ASSERT_TRUE((*admin)
                    ->Run(TxMode::kRead,
                          [&](Transaction& tx) {
                            return tx
                                .Query(
                                    "SELECT pg_terminate_backend(pid) FROM "
                                    "pg_stat_activity "
                                    "WHERE datname = $1",
                                    {name})
                                .status();
                          })
                    .ok());
  }

  absl::StatusOr<std::string> CurrentDatabase() {
    std::string name;
    JISR_RETURN_IF_ERROR(
        db().Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
          JISR_ASSIGN_OR_RETURN(std::vector<Row> rows,
                                tx.Query("SELECT current_database()"));
          name = rows[0].GetText(0);
          return absl::OkStatus();
        }));
    return name;
  }

  int64_t Count() {
    int64_t n = -1;
    EXPECT_TRUE(db().Run(TxMode::kRead,
                         [&](Transaction& tx) -> absl::Status {
                           JISR_ASSIGN_OR_RETURN(
                               std::vector<Row> rows,
                               tx.Query("SELECT COUNT(*) FROM t"));
                           n = rows[0].GetInt(0);
                           return absl::OkStatus();
                         })
                    .ok());
    return n;
  }

  std::string server_url_;
  std::unique_ptr<testing::TestStore> store_;
};

TEST_F(PostgresTest, DecodesColumnsByType) {
  auto tx = *db().Begin(TxMode::kRead);
  auto rows = tx->Query(
      "SELECT true, false, 7::int2, 8::int4, 9::int8, 1.5::float4, "
      "2.5::float8, "
      "12345678901234567890::numeric, 1.25::numeric, 42::numeric, "
      "'\\x00ff41'::bytea, "
      "'t\u00e9xt', NULL, 'NaN'::float8, '-Infinity'::float8, 77::oid, "
      "'2024-07-26 19:30:00+00'::timestamptz");
  ASSERT_TRUE(rows.ok()) << rows.status();
  const Row& r = (*rows)[0];
  EXPECT_EQ(r.value(0), Value(int64_t{1}));
  EXPECT_EQ(r.value(1), Value(int64_t{0}));
  EXPECT_EQ(r.value(2), Value(int64_t{7}));
  EXPECT_EQ(r.value(3), Value(int64_t{8}));
  EXPECT_EQ(r.value(4), Value(int64_t{9}));
  EXPECT_EQ(r.value(5), Value(1.5));
  EXPECT_EQ(r.value(6), Value(2.5));
  EXPECT_EQ(r.value(7), Value(12345678901234567890.0));
  EXPECT_EQ(r.value(8), Value(1.25));
  EXPECT_EQ(r.value(9), Value(int64_t{42}));
  EXPECT_EQ(r.value(10), Value(Bytes{std::string("\x00\xff"
                                                 "A",
                                                 3)}));
  EXPECT_EQ(r.value(11), Value(std::string("t\u00e9xt")));
  EXPECT_TRUE(r.IsNull(12));
  EXPECT_TRUE(std::isnan(r.GetDouble(13)));
  EXPECT_EQ(r.GetDouble(14), -INFINITY);
  EXPECT_EQ(r.value(15), Value(int64_t{77}));
  EXPECT_EQ(r.GetText(16), "2024-07-26 19:30:00+00");
}

TEST_F(PostgresTest, DoublesIncludingSpecialValuesRoundTrip) {
  ASSERT_TRUE(db().Run(TxMode::kWrite,
                       [](Transaction& tx) {
                         return tx.ExecuteScript(
                             "CREATE TABLE d (k BIGINT PRIMARY KEY, x DOUBLE "
                             "PRECISION)");
                       })
                  .ok());
  const std::vector<double> values = {INFINITY, -INFINITY, 5e-324, -0.0,
                                      0.1 + 0.2};
  ASSERT_TRUE(
      db().Run(TxMode::kWrite,
               [&](Transaction& tx) -> absl::Status {
                 for (size_t i = 0; i < values.size(); ++i) {
                   JISR_RETURN_IF_ERROR(
                       tx.Execute("INSERT INTO d (k, x) VALUES ($1, $2)",
                                  {static_cast<int64_t>(i), values[i]})
                           .status());
                 }
                 return tx
                     .Execute("INSERT INTO d (k, x) VALUES (99, $1)",
                              {std::numeric_limits<double>::quiet_NaN()})
                     .status();
               })
          .ok());
  auto tx = *db().Begin(TxMode::kRead);
  auto rows = *tx->Query("SELECT x FROM d ORDER BY k");
  ASSERT_EQ(rows.size(), values.size() + 1);
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(rows[i].GetDouble(0), values[i]);
    EXPECT_EQ(std::signbit(rows[i].GetDouble(0)), std::signbit(values[i]));
  }
  EXPECT_TRUE(std::isnan(rows.back().GetDouble(0)));
}

TEST_F(PostgresTest, BadTextIsInvalidArgument) {
  absl::Status s = db().Run(TxMode::kWrite, [](Transaction& tx) {
    return tx
        .Execute("INSERT INTO t (id, n) VALUES ($1, 1)",
                 {std::string("\xff\xfe")})
        .status();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(Count(), 0);
}

TEST_F(PostgresTest, AFailedStatementPoisonsOnlyItsTransaction) {
  auto tx = *db().Begin(TxMode::kWrite);
  ASSERT_TRUE(tx->Execute("INSERT INTO t (id, n) VALUES ('a', 1)").ok());
  EXPECT_EQ(
      tx->Execute("INSERT INTO t (id, n) VALUES ('a', 2)").status().code(),
      absl::StatusCode::kAlreadyExists);
  absl::Status next =
      tx->Execute("INSERT INTO t (id, n) VALUES ('b', 2)").status();
  EXPECT_EQ(next.code(), absl::StatusCode::kInternal);
  EXPECT_NE(std::string(next.message()).find("rolled back"), std::string::npos)
      << next;
  EXPECT_EQ(tx->Commit().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(Count(), 0);
  // The connection went back to the pool in a clean state.
  ASSERT_TRUE(db().Run(TxMode::kWrite,
                       [](Transaction& t) {
                         return t
                             .Execute("INSERT INTO t (id, n) VALUES ('c', 3)")
                             .status();
                       })
                  .ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(PostgresTest, WritesInAReadTransactionAreRefused) {
  auto tx = *db().Begin(TxMode::kRead);
  EXPECT_EQ(
      tx->Execute("INSERT INTO t (id, n) VALUES ('a', 1)").status().code(),
      absl::StatusCode::kInternal);
}

TEST_F(PostgresTest, ReconnectsAfterTheServerDropsConnections) {
  EXPECT_EQ(Count(), 0);
  auto open_tx = db().Begin(TxMode::kWrite);
  ASSERT_TRUE(open_tx.ok());
  ASSERT_TRUE(
      (*open_tx)->Execute("INSERT INTO t (id, n) VALUES ('lost', 1)").ok());
  KillSessions();
  // The transaction that was open is lost (Unavailable), not silently retried.
  absl::Status lost =
      (*open_tx)->Execute("INSERT INTO t (id, n) VALUES ('x', 1)").status();
  if (lost.ok()) lost = (*open_tx)->Commit();
  EXPECT_EQ(lost.code(), absl::StatusCode::kUnavailable) << lost;
  open_tx->reset();
  // Idle pooled connections died too: the next transactions reconnect.
  EXPECT_EQ(Count(), 0);
  ASSERT_TRUE(
      db().Run(TxMode::kWrite,
               [](Transaction& tx) {
                 return tx.Execute("INSERT INTO t (id, n) VALUES ('after', 1)")
                     .status();
               })
          .ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(PostgresTest, AWriterWaitsForTheWriteLockThenGivesUp) {
  DatabaseOptions impatient;
  impatient.busy_timeout_ms = 200;
  std::unique_ptr<Database> other = Open(impatient);
  ASSERT_NE(other, nullptr);
  auto holder = *db().Begin(TxMode::kWrite);
  ASSERT_TRUE(holder->Execute("INSERT INTO t (id, n) VALUES ('held', 1)").ok());
  auto waiting = other->Begin(TxMode::kWrite);
  EXPECT_EQ(waiting.status().code(), absl::StatusCode::kUnavailable)
      << waiting.status();
  // Readers are not blocked by the writer and do not see its work.
  auto reader = other->Begin(TxMode::kRead);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*(*reader)->Query("SELECT COUNT(*) FROM t"))[0].GetInt(0), 0);
  ASSERT_TRUE(holder->Commit().ok());
  auto now_free = other->Begin(TxMode::kWrite);
  ASSERT_TRUE(now_free.ok()) << now_free.status();
  EXPECT_EQ((*(*now_free)->Query("SELECT COUNT(*) FROM t"))[0].GetInt(0), 1);
}

TEST_F(PostgresTest, ReadTransactionsSeeOneSnapshot) {
  std::unique_ptr<Database> other = Open();
  ASSERT_NE(other, nullptr);
  auto reader = *db().Begin(TxMode::kRead);
  EXPECT_EQ((*reader->Query("SELECT COUNT(*) FROM t"))[0].GetInt(0), 0);
  ASSERT_TRUE(
      other
          ->Run(TxMode::kWrite,
                [](Transaction& tx) {
                  return tx.Execute("INSERT INTO t (id, n) VALUES ('new', 1)")
                      .status();
                })
          .ok());
  EXPECT_EQ((*reader->Query("SELECT COUNT(*) FROM t"))[0].GetInt(0), 0);
  EXPECT_EQ(Count(), 1);
}

TEST_F(PostgresTest, ThePoolIsBounded) {
  DatabaseOptions small;
  small.max_connections = 2;
  small.busy_timeout_ms = 200;
  std::unique_ptr<Database> pool = Open(small);
  ASSERT_NE(pool, nullptr);
  auto a = pool->Begin(TxMode::kRead);
  auto b = pool->Begin(TxMode::kRead);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(pool->Begin(TxMode::kRead).status().code(),
            absl::StatusCode::kUnavailable);
  a->reset();
  EXPECT_TRUE(pool->Begin(TxMode::kRead).ok());
  DatabaseOptions too_small;
  too_small.max_connections = 1;
  EXPECT_EQ(OpenDatabase(store_->url(), too_small).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PostgresTest, ManyDistinctStatementsOutgrowTheStatementCache) {
  auto tx = *db().Begin(TxMode::kRead);
  for (int i = 0; i < 600; ++i) {
    auto rows = tx->Query(fmt::format("SELECT $1::int8 + {}", i), {int64_t{1}});
    ASSERT_TRUE(rows.ok()) << rows.status();
    EXPECT_EQ((*rows)[0].GetInt(0), i + 1);
  }
}

TEST_F(PostgresTest, NotificationsReachEveryProcessAndSurviveReconnects) {
  std::unique_ptr<Database> other = Open();  // another process on the store
  ASSERT_NE(other, nullptr);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> got;
  auto sub = other->Listen("screening_index", [&](const Notification& n) {
    std::lock_guard lock(mu);
    got.push_back(n.missed ? "<missed>" : n.payload);
    cv.notify_all();
  });
  ASSERT_TRUE(sub.ok()) << sub.status();
  auto wait_for = [&](size_t n) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(60),
                [&] { return got.size() >= n; });
    return got;
  };
  ASSERT_TRUE(db().Run(TxMode::kWrite,
                       [](Transaction& tx) {
                         return tx.Notify("screening_index", "alert/1");
                       })
                  .ok());
  EXPECT_EQ(wait_for(1), (std::vector<std::string>{"alert/1"}));
  // The listening connection is killed: the listener is told it may have
  // missed notifications, and later ones arrive again.
  KillSessions();
  EXPECT_EQ(wait_for(2), (std::vector<std::string>{"alert/1", "<missed>"}));
  ASSERT_TRUE(db().Run(TxMode::kWrite,
                       [](Transaction& tx) {
                         return tx.Notify("screening_index", "alert/2");
                       })
                  .ok());
  EXPECT_EQ(wait_for(3),
            (std::vector<std::string>{"alert/1", "<missed>", "alert/2"}));
}

TEST_F(PostgresTest, OpenReportsBadUrlsAndUnreachableServers) {
  EXPECT_EQ(OpenDatabase("postgresql://%zz").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto refused =
      OpenDatabase("postgres://jisr:sekret@127.0.0.1:1/jisr?connect_timeout=5");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(std::string(refused.status().message()).find("sekret"),
            std::string::npos)
      << refused.status();
  auto missing = PostgresUrlWithDatabase(server_url_, "jisr_no_such_database");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(OpenDatabase(*missing).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(PostgresTest, AdministrationHelpers) {
  EXPECT_EQ(CreatePostgresDatabase(server_url_, "Bad Name").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreatePostgresDatabase(server_url_, *CurrentDatabase()).code(),
            absl::StatusCode::kAlreadyExists);
  const std::string name = "jisr_helper_" + ToHex(RandomBytes(4));
  ASSERT_TRUE(CreatePostgresDatabase(server_url_, name).ok());
  {
    auto url = PostgresUrlWithDatabase(server_url_, name);
    ASSERT_TRUE(url.ok()) << url.status();
    auto created = OpenDatabase(*url);
    ASSERT_TRUE(created.ok()) << created.status();
    auto tx = *(*created)->Begin(TxMode::kRead);
    auto rows = *tx->Query(
        "SELECT current_database(), datcollate FROM pg_database "
        "WHERE datname = current_database()");
    EXPECT_EQ(rows[0].GetText(0), name);
    EXPECT_EQ(rows[0].GetText(1), "C");
  }
  EXPECT_TRUE(DropPostgresDatabase(server_url_, name).ok());
  EXPECT_TRUE(DropPostgresDatabase(server_url_, name).ok());  // already gone
}

}  // namespace
}  // namespace jisr::db
