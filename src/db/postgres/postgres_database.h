// The PostgreSQL implementation of db::Database, over libpq: a pool of
// connections shared by readers and writers, prepared statements cached per
// connection, and one extra connection that LISTENs for Database::Listen.
//
// Transactions:
//  - kRead runs BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY: one
//    consistent snapshot, never blocked by writers.
//  - kWrite runs BEGIN ISOLATION LEVEL READ COMMITTED and then takes a
//    transaction-scoped advisory lock that every jisr writer on the store
//    takes, so writers run one at a time across all processes, exactly as on
//    SQLite (BEGIN IMMEDIATE): read-modify-write inside a write transaction is
//    safe and the audit chain stays one chain. (Audited writes serialise on
//    the audit_head row anyway, so this costs little.) The wait for the lock
//    is bounded by DatabaseOptions::busy_timeout_ms (lock_timeout), after which
//    Begin fails with Unavailable.
//  - A connection found dead when a transaction begins is replaced and the
//    BEGIN retried once; a connection lost inside a transaction fails that
//    transaction with Unavailable (the outcome of a lost COMMIT is unknown)
//    and is dropped from the pool. Errors map to Status codes as documented
//    on db::Transaction (SQLSTATE mapping in pg_connection.h).
//
// Thread-safety: the Database is safe to share; each Transaction is used by one
// thread at a time. libpq-fe.h stays out of this header.
#ifndef JISR_DB_POSTGRES_POSTGRES_DATABASE_H_
#define JISR_DB_POSTGRES_POSTGRES_DATABASE_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "db/database.h"

namespace jisr::db {

// Opens a pool on the PostgreSQL database named by `url` (a libpq URI,
// postgres://... or postgresql://...) and checks that it can connect.
// Errors: InvalidArgument for a URL libpq cannot parse or max_connections < 2;
// Unavailable when the server cannot be reached or refuses the login.
absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(
    const std::string& url, const DatabaseOptions& options);

// Administration helpers (tests and tools). `server_url` names any database
// on the server that the user may connect to (e.g. .../postgres); `name` must
// be [a-z_][a-z0-9_]{0,62}.

// Creates the empty database `name` (TEMPLATE template0, ENCODING UTF8,
// LOCALE 'C': byte-wise text order, as on SQLite). Errors: InvalidArgument for
// a bad name; AlreadyExists when it exists; Unavailable when the server cannot
// be reached; Internal for other refusals (e.g. no CREATEDB privilege).
absl::Status CreatePostgresDatabase(const std::string& server_url,
                                    std::string_view name);

// Drops the database `name`, disconnecting its sessions (WITH (FORCE)). OK when
// it does not exist. Errors as for CreatePostgresDatabase.
absl::Status DropPostgresDatabase(const std::string& server_url,
                                  std::string_view name);

// `url` with its database replaced by `name` (the path of a URI, or dbname=
// of a keyword connection string). Errors: InvalidArgument when libpq cannot
// parse `url`.
absl::StatusOr<std::string> PostgresUrlWithDatabase(const std::string& url,
                                                    std::string_view name);

}  // namespace jisr::db

#endif  // JISR_DB_POSTGRES_POSTGRES_DATABASE_H_
