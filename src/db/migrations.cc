#include "db/migrations.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/status.h"
#include "db/embedded_files.h"

namespace jisr::db {
namespace {

std::vector<Migration> ParseEmbedded() {
  std::vector<Migration> out;
  for (size_t i = 0; i < internal::kEmbeddedMigrationFileCount; ++i) {
    const internal::EmbeddedFile& f = internal::kEmbeddedMigrationFiles[i];
    int version = 0;
    const auto [ptr, ec] = std::from_chars(f.name.data(), f.name.data() + f.name.size(), version);
    // File names are NNNN_name.sql; anything else is a build error caught by tests.
    if (ec != std::errc() || ptr == f.name.data() || version <= 0) continue;
    std::string_view name = f.name;
    if (name.ends_with(".sql")) name.remove_suffix(4);
    out.push_back(Migration{version, name, f.contents});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

}  // namespace

std::span<const Migration> EmbeddedMigrations() {
  static const std::vector<Migration>* const migrations =
      new std::vector<Migration>(ParseEmbedded());
  return *migrations;
}

absl::Status MigrateInTransaction(Transaction& tx, std::span<const Migration> migrations) {
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      return absl::InternalError(fmt::format("migration {} is not numbered after {}",
                                             migrations[i].name, migrations[i - 1].name));
    }
  }
  JISR_RETURN_IF_ERROR(tx.Execute(kCreateTable).status());
  JISR_ASSIGN_OR_RETURN(std::vector<Row> rows,
                        tx.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  const int64_t current = rows.empty() ? 0 : rows[0].GetInt(0);
  const int64_t known = migrations.empty() ? 0 : migrations.back().version;
  if (current > known) {
    return absl::FailedPreconditionError(fmt::format(
        "the store is at schema version {} but this jisr knows only up to {}: "
        "use a newer jisr",
        current, known));
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    absl::Status s = tx.ExecuteScript(m.sql);
    if (!s.ok()) {
      return absl::Status(s.code(), fmt::format("migration {} failed: {}", m.name,
                                                std::string(s.message())));
    }
    JISR_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO schema_migrations (version, name, applied_at) "
                   "VALUES ($1, $2, $3)",
                   {int64_t{m.version}, std::string(m.name),
                    ToUnixMillis(SystemClock::Instance().Now())})
            .status());
  }
  return absl::OkStatus();
}

absl::Status Migrate(Database& db, std::span<const Migration> migrations) {
  return db.Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
    return MigrateInTransaction(tx, migrations);
  });
}

absl::StatusOr<int> SchemaVersion(Database& db) {
  int version = 0;
  const std::string_view has_table =
      db.dialect() == Dialect::kSqlite
          ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
            "'schema_migrations'"
          : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_name = 'schema_migrations'";
  JISR_RETURN_IF_ERROR(db.Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(std::vector<Row> exists, tx.Query(has_table));
    if (exists.empty() || exists[0].GetInt(0) == 0) return absl::OkStatus();  // empty store
    JISR_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          tx.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    version = rows.empty() ? 0 : static_cast<int>(rows[0].GetInt(0));
    return absl::OkStatus();
  }));
  return version;
}

}  // namespace jisr::db
