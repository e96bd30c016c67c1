// The SQLite implementation of db::Database: one write connection (writers are
// serialised in-process by a mutex and across processes by SQLite's lock) and a
// pool of read-only connections that read concurrently from WAL snapshots.
// Pragmas: journal_mode=WAL, foreign_keys=ON, busy_timeout, synchronous.
// Notifications (Transaction::Notify) reach the listeners of the same Database
// object only, and RunExclusive's locks are per store file within this
// process: one `jisr serve` process per SQLite store.
//
// Thread-safety: SqliteDatabase is safe to share; each Transaction is used by
// one thread at a time. sqlite3.h stays out of this header.
#ifndef JISR_DB_SQLITE_SQLITE_DATABASE_H_
#define JISR_DB_SQLITE_SQLITE_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "db/database.h"

namespace jisr::db {

// Opens (creating if needed) the SQLite store at `path`; ":memory:" gives a
// private in-memory store whose reads and writes share one connection.
// Errors: Unavailable when the file cannot be opened or is not a database.
absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                     const DatabaseOptions& options);

}  // namespace jisr::db

#endif  // JISR_DB_SQLITE_SQLITE_DATABASE_H_
