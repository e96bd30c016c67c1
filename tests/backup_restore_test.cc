// Backups restore (docs/deploy.md): a node's PostgreSQL store dumped with
// pg_dump and restored with pg_restore into a fresh database, and a SQLite
// store backed up online (.backup) or with VACUUM INTO while the node serves,
// each give a node that opens, holds the same data (equal table digests) and
// whose audit chain verifies.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "db/store_copy.h"
#include "db/test_stores.h"
#include "tests/support/node_helpers.h"
#include "tests/support/process.h"

namespace jisr::testing {
namespace {

namespace fs = std::filesystem;

std::vector<db::TableDigest> Digests(const std::string& url) {
  auto store = db::OpenDatabase(url);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return {};
  absl::StatusOr<std::vector<db::TableDigest>> d = db::DigestStore(**store);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : std::vector<db::TableDigest>{};
}

// A copy of node directory `from` whose jisr.json names the store `url`.
fs::path RestoredNode(const fs::path& from, const fs::path& to,
                      const std::string& url) {
  fs::create_directories(to);
  for (const char* file : {"jisr.json", "admin-password"})
    fs::copy_file(from / file, to / file);
  SetNodeDatabase(to, url);
  return to;
}

// The restored node verifies, lists the users, and serves logins.
void ExpectWorkingNode(const fs::path& dir, const std::string& password) {
  CommandResult verify = RunJisr({"audit", "verify", "--data", dir.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("audit chain intact"), std::string::npos)
      << verify.out;
  CommandResult users = RunJisr({"user", "list", "--data", dir.string()});
  EXPECT_EQ(users.exit_code, 0) << users.err;
  EXPECT_NE(users.out.find("backup.probe"), std::string::npos) << users.out;
  EXPECT_NE(users.out.find("demo.officer"), std::string::npos) << users.out;
  ServeProcess node;
  std::string error;
  ASSERT_TRUE(node.Start(dir, &error)) << error;
  EXPECT_FALSE(Login(node.port(), "admin", password).empty());
  node.Signal(SIGTERM);
  EXPECT_EQ(node.Wait(), 0);
}

TEST(BackupRestoreTest, PgDumpAndPgRestoreGiveAWorkingNode) {
  std::optional<fs::path> bindir = db::testing::PostgresTestBinDir();
  if (!db::testing::PostgresTestUrl() || !bindir) {
    GTEST_SKIP() << "the test PostgreSQL is not running (CTest starts it)";
  }
  db::testing::TestStore original("postgres", /*migrate=*/false);
  original.Close();
  TempDir tmp;
  const fs::path dir = tmp.path() / "node";
  ASSERT_EQ(RunJisr({"init", "--data", dir.string(), "--agency", "FR-DGPN",
                     "--country", "FR", "--db", original.url(), "--demo"})
                .exit_code,
            0);
  ASSERT_EQ(
      RunJisr({"user", "add", "--data", dir.string(), "--username",
               "backup.probe", "--role", "officer", "--purpose", "backup test"})
          .exit_code,
      0);

  const fs::path dump = tmp.path() / "node.dump";
  const fs::path log = tmp.path() / "tools.log";
  ASSERT_EQ(
      RunTool({(*bindir / "pg_dump").string(), "--format=custom", "--no-owner",
               "--file", dump.string(), "--dbname", original.url()},
              log),
      0)
      << ReadText(log);
  db::testing::TestStore restored("postgres", /*migrate=*/false);
  restored.Close();
  ASSERT_EQ(
      RunTool({(*bindir / "pg_restore").string(), "--no-owner",
               "--exit-on-error", "--dbname", restored.url(), dump.string()},
              log),
      0)
      << ReadText(log);

  const std::vector<db::TableDigest> before = Digests(original.url());
  EXPECT_FALSE(before.empty());
  EXPECT_EQ(before, Digests(restored.url()));
  ExpectWorkingNode(RestoredNode(dir, tmp.path() / "restored", restored.url()),
                    AdminPassword(dir));
}

TEST(BackupRestoreTest, SqliteOnlineBackupsGiveAWorkingNode) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "node";
  ASSERT_EQ(RunJisr({"init", "--data", dir.string(), "--agency", "MA-DGSN",
                     "--country", "MA", "--demo"})
                .exit_code,
            0);
  ASSERT_EQ(
      RunJisr({"user", "add", "--data", dir.string(), "--username",
               "backup.probe", "--role", "officer", "--purpose", "backup test"})
          .exit_code,
      0);
  const std::string password = AdminPassword(dir);
  // Both backups are taken while the node serves.
  ServeProcess node;
  std::string error;
  ASSERT_TRUE(node.Start(dir, &error)) << error;
  ASSERT_FALSE(Login(node.port(), "admin", password).empty());
  const fs::path live = dir / "jisr.db";
  const fs::path log = tmp.path() / "tools.log";
  const fs::path dot_backup = tmp.path() / "dot-backup.db";
  const fs::path vacuumed = tmp.path() / "vacuum-into.db";
  ASSERT_EQ(RunTool({"sqlite3", live.string(),
                     ".backup '" + dot_backup.string() + "'"},
                    log),
            0)
      << ReadText(log);
  ASSERT_EQ(RunTool({"sqlite3", live.string(),
                     "VACUUM INTO '" + vacuumed.string() + "'"},
                    log),
            0)
      << ReadText(log);
  node.Signal(SIGTERM);
  ASSERT_EQ(node.Wait(), 0);

  const std::vector<db::TableDigest> before =
      Digests("sqlite:" + live.string());
  int n = 0;
  for (const fs::path& backup : {dot_backup, vacuumed}) {
    EXPECT_EQ(before, Digests("sqlite:" + backup.string())) << backup;
    const fs::path restored = tmp.path() / ("restored" + std::to_string(n++));
    fs::create_directories(restored);
    fs::copy_file(backup, restored / "jisr.db");
    ExpectWorkingNode(RestoredNode(dir, restored, "sqlite:jisr.db"), password);
  }
}

}  // namespace
}  // namespace jisr::testing
