// `jisr db migrate`: a node started on SQLite moves to PostgreSQL with one
// command, verified by digests; the node then opens on PostgreSQL with all its
// data, its audit chain verifies, and it serves. Also: a non-empty target and
// a missing source are refused, leaving nothing behind; and back again.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "db/test_stores.h"
#include "tests/support/node_helpers.h"
#include "tests/support/process.h"

namespace jisr::testing {
namespace {

namespace fs = std::filesystem;

// The "table rows digest" lines a db command printed, as a set of lines.
std::vector<std::string> TableLines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("  ")) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(DbMigrateTest, MovesANodeFromSqliteToPostgresAndBack) {
  if (!db::testing::PostgresTestUrl()) {
    GTEST_SKIP() << "the test PostgreSQL is not running (CTest starts it)";
  }
  TempDir tmp;
  const fs::path dir = tmp.path() / "node";
  ASSERT_EQ(RunJisr({"init", "--data", dir.string(), "--agency", "MA-DGSN",
                     "--country", "MA", "--demo"})
                .exit_code,
            0);
  ASSERT_EQ(RunJisr({"user", "add", "--data", dir.string(), "--username",
                     "moved.officer", "--role", "officer", "--purpose",
                     "migration test"})
                .exit_code,
            0);
  const std::string sqlite_url = "sqlite:" + (dir / "jisr.db").string();
  CommandResult users_before =
      RunJisr({"user", "list", "--data", dir.string()});
  ASSERT_EQ(users_before.exit_code, 0);
  CommandResult source_digest = RunJisr({"db", "digest", "--db", sqlite_url});
  ASSERT_EQ(source_digest.exit_code, 0) << source_digest.err;

  db::testing::TestStore target("postgres", /*migrate=*/false);
  target.Close();
  CommandResult moved =
      RunJisr({"db", "migrate", "--from", sqlite_url, "--to", target.url()});
  ASSERT_EQ(moved.exit_code, 0) << moved.out << moved.err;
  EXPECT_NE(moved.out.find("digests agree"), std::string::npos) << moved.out;
  EXPECT_NE(moved.out.find("audit chain intact on the target"),
            std::string::npos)
      << moved.out;
  // The digests printed for the copy are those of the source store.
  EXPECT_EQ(TableLines(moved.out), TableLines(source_digest.out));
  EXPECT_FALSE(TableLines(moved.out).empty()) << moved.out;

  // The node now runs on PostgreSQL with everything it had.
  SetNodeDatabase(dir, target.url());
  CommandResult verify = RunJisr({"audit", "verify", "--data", dir.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  CommandResult users_after = RunJisr({"user", "list", "--data", dir.string()});
  ASSERT_EQ(users_after.exit_code, 0) << users_after.err;
  EXPECT_EQ(users_after.out, users_before.out);
  ServeProcess node;
  std::string error;
  ASSERT_TRUE(node.Start(dir, &error)) << error;
  EXPECT_FALSE(Login(node.port(), "admin", AdminPassword(dir)).empty());
  node.Signal(SIGTERM);
  EXPECT_EQ(node.Wait(), 0);

  // A second migrate into the now non-empty target is refused.
  CommandResult again =
      RunJisr({"db", "migrate", "--from", sqlite_url, "--to", target.url()});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("not empty"), std::string::npos) << again.err;

  // And back to a new SQLite file: the same data again.
  const fs::path back = tmp.path() / "back.db";
  CommandResult returned = RunJisr({"db", "migrate", "--from", target.url(),
                                    "--to", "sqlite:" + back.string()});
  ASSERT_EQ(returned.exit_code, 0) << returned.err;
  CommandResult pg_digest = RunJisr({"db", "digest", "--db", target.url()});
  CommandResult back_digest =
      RunJisr({"db", "digest", "--db", "sqlite:" + back.string()});
  ASSERT_EQ(pg_digest.exit_code, 0) << pg_digest.err;
  ASSERT_EQ(back_digest.exit_code, 0) << back_digest.err;
  // The copy adds one audit entry (store.migrate) to the target only.
  std::vector<std::string> pg_lines = TableLines(pg_digest.out);
  std::vector<std::string> back_lines = TableLines(back_digest.out);
  ASSERT_EQ(pg_lines.size(), back_lines.size());
  for (size_t i = 0; i < pg_lines.size(); ++i) {
    if (pg_lines[i].find("audit_") == std::string::npos) {
      EXPECT_EQ(pg_lines[i], back_lines[i]);
    }
  }
}

TEST(DbMigrateTest, RefusesBadSourcesAndLeavesNoTargetBehind) {
  TempDir tmp;
  const fs::path target = tmp.path() / "target.db";
  CommandResult missing =
      RunJisr({"db", "migrate", "--from",
               "sqlite:" + (tmp.path() / "absent.db").string(), "--to",
               "sqlite:" + target.string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos)
      << missing.err;
  EXPECT_FALSE(fs::exists(target));

  CommandResult same =
      RunJisr({"db", "migrate", "--from", "sqlite:" + target.string(), "--to",
               "sqlite:" + target.string()});
  EXPECT_EQ(same.exit_code, 1);
  CommandResult scheme =
      RunJisr({"db", "migrate", "--from", "mysql://u:hunter2@h/db", "--to",
               "sqlite:" + target.string()});
  EXPECT_EQ(scheme.exit_code, 1);
  EXPECT_EQ(scheme.err.find("hunter2"), std::string::npos) << scheme.err;
  EXPECT_FALSE(fs::exists(target));
  EXPECT_NE(RunJisr({"db", "migrate", "--from", "sqlite:x.db"}).exit_code,
            0);  // no --to
}

}  // namespace
}  // namespace jisr::testing
