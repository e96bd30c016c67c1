// Test support: the stores a repository test runs against. Every repository
// and service test is parameterised over StoreKinds() so that each runs on
// every implementation of db::Database.
//
// Thread-safety: test-only, single thread.
#ifndef JISR_DB_TEST_STORES_H_
#define JISR_DB_TEST_STORES_H_

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/ids.h"
#include "db/database.h"
#include "db/migrations.h"

namespace jisr::db::testing {

// The kinds of store available to tests: "sqlite" always.
inline std::vector<std::string> StoreKinds() { return {"sqlite"}; }

// A fresh, migrated store of `kind` in a private temporary location, removed
// when the TestStore is destroyed.
class TestStore {
 public:
  explicit TestStore(const std::string& kind = "sqlite", bool migrate = true) {
    dir_ = std::filesystem::temp_directory_path() /
           ("jisr-test-" + ToHex(RandomBytes(8)));
    std::filesystem::create_directories(dir_);
    url_ = "sqlite:" + (dir_ / "jisr.db").string();
    (void)kind;
    auto db = OpenDatabase(url_);
    if (!db.ok()) std::abort();
    db_ = *std::move(db);
    if (migrate && !Migrate(*db_).ok()) std::abort();
  }
  ~TestStore() {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  Database& db() { return *db_; }
  const std::string& url() const { return url_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<Database> db_;
};

}  // namespace jisr::db::testing

#endif  // JISR_DB_TEST_STORES_H_
