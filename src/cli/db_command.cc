#include "cli/db_command.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/status.h"
#include "db/database.h"
#include "db/store_copy.h"
#include "security/policy.h"

namespace jisr::cli {
namespace {

namespace fs = std::filesystem;

struct DbArgs {
  std::string from;
  std::string to;
  std::string db;
};

std::string OsUserName() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr)
    return pw->pw_name;
  return "unknown";
}

[[noreturn]] void Fail(const absl::Status& status) {
  std::fprintf(stderr, "jisr: error: %s\n",
               std::string(status.message()).c_str());
  throw CLI::RuntimeError(1);
}

// "sqlite" or "postgres" (never the URL itself: it may hold a password).
std::string Kind(const std::string& url) {
  return url.starts_with("sqlite:") ? "sqlite" : "postgres";
}

// The file behind a sqlite: URL, or "" for other stores and in-memory ones.
std::string SqliteFile(const std::string& url) {
  if (!url.starts_with("sqlite:")) return "";
  const std::string path = url.substr(7);
  if (path.empty() || path.starts_with(":memory:") || path.starts_with("file:"))
    return "";
  return path;
}

// Opens an existing store: a missing SQLite file is an error here, not a new
// empty store.
absl::StatusOr<std::unique_ptr<db::Database>> OpenExisting(
    const std::string& url, std::string_view role) {
  if (const std::string file = SqliteFile(url); !file.empty()) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      return absl::NotFoundError(
          fmt::format("the {} store {} does not exist", role, file));
    }
  }
  return db::OpenDatabase(url);
}

void PrintTables(const std::vector<db::TableDigest>& tables) {
  for (const db::TableDigest& t : tables) {
    std::printf("  %-32s %10lld  %s\n", t.table.c_str(),
                static_cast<long long>(t.rows), t.digest.c_str());
  }
}

// Copies, records the move in the target's audit log, verifies the chain.
absl::Status Migrate(const DbArgs& a) {
  if (a.from == a.to) {
    return absl::InvalidArgumentError("--from and --to name the same store");
  }
  JISR_ASSIGN_OR_RETURN(std::unique_ptr<db::Database> from,
                        OpenExisting(a.from, "source"));
  JISR_ASSIGN_OR_RETURN(std::unique_ptr<db::Database> to,
                        db::OpenDatabase(a.to));
  JISR_ASSIGN_OR_RETURN(db::CopyResult copied, db::CopyStore(*from, *to));
  std::printf(
      "jisr: copied %lld rows in %zu tables (schema version %d); digests "
      "agree:\n",
      static_cast<long long>(copied.rows), copied.tables.size(),
      copied.schema_version);
  PrintTables(copied.tables);

  const audit::AuditLog log(SystemClock::Instance());
  JISR_RETURN_IF_ERROR(
      to->Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
        boost::json::object details;
        details["from"] = Kind(a.from);
        details["to"] = Kind(a.to);
        details["tables"] = static_cast<int64_t>(copied.tables.size());
        details["rows"] = copied.rows;
        details["schema_version"] = copied.schema_version;
        audit::AuditEntry e;
        e.actor = security::Principal::CliOperator(OsUserName()).Actor();
        e.action = "store.migrate";
        e.object = "store";
        e.details = boost::json::serialize(details);
        return log.Append(tx, e).status();
      }));
  JISR_ASSIGN_OR_RETURN(audit::VerifyResult verified, log.Verify(*to));
  if (!verified.ok()) {
    return absl::DataLossError(fmt::format(
        "the copied audit chain does not verify: {}", verified.reason));
  }
  std::printf("jisr: audit chain intact on the target: %lld entries, head %s\n",
              static_cast<long long>(verified.entries_checked),
              verified.head_hash.c_str());
  std::printf(
      "jisr: now set \"database\" in the node's jisr.json to the new store and "
      "start it\n");
  return absl::OkStatus();
}

absl::Status Digest(const DbArgs& a) {
  JISR_ASSIGN_OR_RETURN(std::unique_ptr<db::Database> store,
                        OpenExisting(a.db, "named"));
  JISR_ASSIGN_OR_RETURN(std::vector<db::TableDigest> tables,
                        db::DigestStore(*store));
  PrintTables(tables);
  return absl::OkStatus();
}

}  // namespace

void AddDbCommands(CLI::App& app) {
  auto args = std::make_shared<DbArgs>();
  CLI::App* db_cmd =
      app.add_subcommand("db", "Store administration: move a node's store");
  db_cmd->require_subcommand(1);

  CLI::App* migrate =
      db_cmd->add_subcommand("migrate",
                             "Copy a whole store into an empty one (e.g. "
                             "SQLite to PostgreSQL), verified by digests");
  migrate
      ->add_option("--from", args->from,
                   "Source store URL, e.g. sqlite:var/node/jisr.db")
      ->required();
  migrate
      ->add_option(
          "--to", args->to,
          "Empty target store URL, e.g. postgres://jisr@db.example/jisr")
      ->required();
  migrate->callback([args] {
    // A SQLite target this command creates is removed again if the copy fails.
    const std::string file = SqliteFile(args->to);
    std::error_code ec;
    const bool created = !file.empty() && !fs::exists(file, ec);
    absl::Status s = Migrate(*args);
    if (!s.ok()) {
      if (created) {
        for (const char* suffix : {"", "-wal", "-shm"})
          fs::remove(file + suffix, ec);
      }
      Fail(s);
    }
  });

  CLI::App* digest =
      db_cmd->add_subcommand("digest",
                             "Print every table's row count and BLAKE2b digest "
                             "(to compare two stores)");
  digest->add_option("--db", args->db, "Store URL")->required();
  digest->callback([args] {
    if (absl::Status s = Digest(*args); !s.ok()) Fail(s);
  });
}

}  // namespace jisr::cli
