// Numbered SQL migrations, embedded in the binary at build time from
// src/db/migrations/NNNN_name.sql, and the routine that applies them.
//
// Thread-safety: Migrate may run from several processes at once; each applies
// the missing migrations inside one write transaction, so one wins and the
// others find nothing left to do.
#ifndef JISR_DB_MIGRATIONS_H_
#define JISR_DB_MIGRATIONS_H_

#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "db/database.h"

namespace jisr::db {

struct Migration {
  int version;            // NNNN from the file name, strictly increasing
  std::string_view name;  // file name without extension
  std::string_view sql;   // the script
};

// All embedded migrations, sorted by version.
std::span<const Migration> EmbeddedMigrations();

// Applies every migration of `migrations` newer than the store's version, all
// in one write transaction, and records each in schema_migrations.
// Errors: FailedPrecondition when the store is newer than this binary (it
// holds a version this binary does not know); the script's error otherwise
// (nothing is applied then).
absl::Status Migrate(Database& db, std::span<const Migration> migrations);
// The same inside the caller's write transaction `tx` (which the caller
// commits): e.g. to create the schema and fill it in one transaction.
absl::Status MigrateInTransaction(Transaction& tx, std::span<const Migration> migrations);
inline absl::Status Migrate(Database& db) { return Migrate(db, EmbeddedMigrations()); }

// Returns the highest applied version (0 for an empty store).
absl::StatusOr<int> SchemaVersion(Database& db);

}  // namespace jisr::db

#endif  // JISR_DB_MIGRATIONS_H_
