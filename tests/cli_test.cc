// Multi-process tests of the `jisr` command: init, users, audit verify/export,
// and the errors it gives for bad input.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "tests/support/process.h"

namespace jisr::testing {
namespace {

namespace fs = std::filesystem;

CommandResult Init(const fs::path& dir) {
  return RunJisr({"init", "--data", dir.string(), "--agency", "FR-DGPN", "--country", "FR",
                  "--name-fr", "Direction générale de la Police nationale"});
}

void ExecSql(const fs::path& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &conn), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(conn);
}

TEST(CliTest, VersionAndHelp) {
  CommandResult v = RunJisr({"version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("jisr ", 0), 0u) << v.out;
  CommandResult help = RunJisr({"init", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--agency"), std::string::npos);
  CommandResult none = RunJisr({});
  EXPECT_NE(none.exit_code, 0);
}

TEST(CliTest, InitPrintsAndStoresTheAdminPasswordOnce) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "node";
  CommandResult r = Init(dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string stored;
  std::ifstream(dir / "admin-password") >> stored;
  ASSERT_FALSE(stored.empty());
  EXPECT_NE(r.out.find(stored), std::string::npos);
  CommandResult again = Init(dir);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already holds a jisr node"), std::string::npos) << again.err;
}

TEST(CliTest, InitErrorsNameTheProblem) {
  TempDir tmp;
  CommandResult r = RunJisr({"init", "--data", (tmp.path() / "n").string(), "--agency", "MA-DGSN",
                             "--country", "Morocco"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("country"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp.path() / "n"));
  CommandResult missing = RunJisr({"init", "--data", (tmp.path() / "n").string()});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("--agency"), std::string::npos) << missing.err;
}

TEST(CliTest, UsersAddListDisableResetPassword) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "node";
  ASSERT_EQ(Init(dir).exit_code, 0);
  const std::string data = dir.string();
  CommandResult add = RunJisr({"user", "add", "--data", data, "--username", "l.officer",
                               "--display-name", "Liaison Officer", "--role", "officer"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("password (shown once): "), std::string::npos);
  CommandResult dup = RunJisr({"user", "add", "--data", data, "--username", "l.officer",
                               "--role", "officer"});
  EXPECT_EQ(dup.exit_code, 1);
  CommandResult bad_role = RunJisr({"user", "add", "--data", data, "--username", "x.y",
                                    "--role", "king"});
  EXPECT_EQ(bad_role.exit_code, 1);
  EXPECT_NE(bad_role.err.find("king"), std::string::npos);

  CommandResult disable = RunJisr({"user", "disable", "--data", data, "--username", "l.officer"});
  ASSERT_EQ(disable.exit_code, 0) << disable.err;
  CommandResult list = RunJisr({"user", "list", "--data", data});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("l.officer\tofficer\tdisabled"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("admin\tadmin\tenabled"), std::string::npos) << list.out;
  CommandResult reset =
      RunJisr({"user", "reset-password", "--data", data, "--username", "l.officer"});
  EXPECT_EQ(reset.exit_code, 0) << reset.err;
  CommandResult nobody =
      RunJisr({"user", "reset-password", "--data", data, "--username", "nobody"});
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_NE(nobody.err.find("nobody"), std::string::npos);
}

TEST(CliTest, AuditVerifyNamesTheFirstTamperedEntry) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "node";
  ASSERT_EQ(Init(dir).exit_code, 0);
  for (const char* name : {"a.one", "a.two", "a.three"}) {
    ASSERT_EQ(RunJisr({"user", "add", "--data", dir.string(), "--username", name, "--role",
                       "analyst"})
                  .exit_code,
              0);
  }
  CommandResult ok = RunJisr({"audit", "verify", "--data", dir.string()});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("audit chain intact"), std::string::npos);

  CommandResult exported = RunJisr({"audit", "export", "--data", dir.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("\"action\":\"user.create\""), std::string::npos);
  EXPECT_NE(exported.out.find("\"action\":\"node.init\""), std::string::npos);

  // Edit entry 3 behind the node's back.
  ExecSql(dir / "jisr.db", "UPDATE audit_log SET details = '{\"forged\":true}' WHERE seq = 3");
  CommandResult broken = RunJisr({"audit", "verify", "--data", dir.string()});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("BROKEN at entry 3 "), std::string::npos) << broken.err;
}

TEST(CliTest, AuditExportToFileIsAllOrNothing) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "node";
  ASSERT_EQ(Init(dir).exit_code, 0);
  const fs::path out = tmp.path() / "audit.jsonl";
  CommandResult r = RunJisr({"audit", "export", "--data", dir.string(), "--output", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(out);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) ++lines;
  EXPECT_GE(lines, 2);
  CommandResult bad = RunJisr({"audit", "export", "--data", dir.string(), "--output",
                               (tmp.path() / "no-such-dir" / "x.jsonl").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_FALSE(fs::exists(tmp.path() / "no-such-dir"));
}

TEST(CliTest, CommandsOnANonNodeDirectoryFail) {
  TempDir tmp;
  CommandResult r = RunJisr({"user", "list", "--data", tmp.path().string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("jisr init"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace jisr::testing
