// Test support: the stores a repository test runs against. Every repository
// and service test is parameterised over StoreKinds() so that each runs on
// every implementation of db::Database.
//
// PostgreSQL: CTest starts a private server before the tests (fixture
// "jisr_postgres", scripts/test-postgres.sh) and writes its URL to
// JISR_TEST_POSTGRES_STATE/url; each TestStore("postgres") creates a fresh
// database on it and drops it afterwards. A test binary run by hand without
// that server lists and runs the SQLite cases only (start the server with
// `scripts/test-postgres.sh start BUILD/test-postgres` to include PostgreSQL).
//
// Thread-safety: test-only, single thread.
#ifndef JISR_DB_TEST_STORES_H_
#define JISR_DB_TEST_STORES_H_

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.h"
#include "db/database.h"
#include "db/migrations.h"
#include "db/postgres/postgres_database.h"

namespace jisr::db::testing {

// The URL of the test PostgreSQL's maintenance database, or nullopt when it is
// not running (or this build has no PostgreSQL server binaries).
inline std::optional<std::string> PostgresTestUrl() {
#ifdef JISR_TEST_POSTGRES_STATE
  std::ifstream in(std::filesystem::path(JISR_TEST_POSTGRES_STATE) / "url");
  std::string url;
  if (in >> url && !url.empty()) return url;
#endif
  return std::nullopt;
}

// The directory of the test PostgreSQL's binaries (pg_dump, psql, ...), or
// nullopt when it is not running.
inline std::optional<std::filesystem::path> PostgresTestBinDir() {
#ifdef JISR_TEST_POSTGRES_STATE
  std::ifstream in(std::filesystem::path(JISR_TEST_POSTGRES_STATE) / "bindir");
  std::string dir;
  if (std::getline(in, dir) && !dir.empty()) return std::filesystem::path(dir);
#endif
  return std::nullopt;
}

// The kinds of store available to tests: "sqlite" always; "postgres" when
// the test PostgreSQL is running (and, so that CTest registers its cases,
// whenever the build has PostgreSQL and gtest only lists the tests).
inline std::vector<std::string> StoreKinds() {
  std::vector<std::string> kinds = {"sqlite"};
#ifdef JISR_TEST_POSTGRES
  if (GTEST_FLAG_GET(list_tests) || PostgresTestUrl().has_value())
    kinds.push_back("postgres");
#endif
  return kinds;
}

// A fresh, migrated store of `kind` in a private temporary location (a SQLite
// file in a temporary directory, or a new PostgreSQL database), removed when
// the TestStore is destroyed.
class TestStore {
 public:
  explicit TestStore(const std::string& kind = "sqlite", bool migrate = true,
                     const DatabaseOptions& options = {}) {
    dir_ = std::filesystem::temp_directory_path() /
           ("jisr-test-" + ToHex(RandomBytes(8)));
    std::filesystem::create_directories(dir_);
    if (kind == "postgres") {
      std::optional<std::string> server = PostgresTestUrl();
      if (!server) {
        Die("the test PostgreSQL is not running: CTest starts it (fixture "
            "jisr_postgres); by "
            "hand run scripts/test-postgres.sh start BUILD_DIR/test-postgres");
      }
      server_url_ = *server;
      pg_name_ = "jisr_test_" + ToHex(RandomBytes(8));
      if (absl::Status s = CreatePostgresDatabase(server_url_, pg_name_);
          !s.ok()) {
        Die("cannot create the test database: " + std::string(s.message()));
      }
      absl::StatusOr<std::string> url =
          PostgresUrlWithDatabase(server_url_, pg_name_);
      if (!url.ok()) Die(std::string(url.status().message()));
      url_ = *url;
    } else if (kind == "sqlite") {
      url_ = "sqlite:" + (dir_ / "jisr.db").string();
    } else {
      Die("unknown store kind " + kind);
    }
    auto db = OpenDatabase(url_, options);
    if (!db.ok())
      Die("cannot open the test store: " + std::string(db.status().message()));
    db_ = *std::move(db);
    if (migrate) {
      if (absl::Status s = Migrate(*db_); !s.ok()) {
        Die("cannot migrate the test store: " + std::string(s.message()));
      }
    }
  }
  ~TestStore() {
    db_.reset();
    if (!pg_name_.empty()) {
      if (absl::Status s = DropPostgresDatabase(server_url_, pg_name_);
          !s.ok()) {
        std::fprintf(stderr, "warning: cannot drop test database %s: %s\n",
                     pg_name_.c_str(), std::string(s.message()).c_str());
      }
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  Database& db() { return *db_; }
  // The store's URL (for a second Database on the same store, or a child
  // process).
  const std::string& url() const { return url_; }
  // A private temporary directory, removed with the store.
  const std::filesystem::path& dir() const { return dir_; }
  // Closes the store's connections (e.g. before a child process takes over).
  void Close() { db_.reset(); }

 private:
  [[noreturn]] static void Die(const std::string& why) {
    std::fprintf(stderr, "TestStore: %s\n", why.c_str());
    std::abort();
  }

  std::filesystem::path dir_;
  std::string url_;
  std::string server_url_;
  std::string pg_name_;
  std::unique_ptr<Database> db_;
};

}  // namespace jisr::db::testing

#endif  // JISR_DB_TEST_STORES_H_
