// Internal to db/postgres/: one libpq connection with its cache of prepared
// statements, the mapping of db::Value to and from PostgreSQL's text protocol,
// and of SQLSTATE codes to absl::Status codes.
//
// Values: parameters go as text (int64 typed int8, double float8, text left
// for the server to infer, NULL untyped) except Bytes, sent binary as bytea.
// Result columns are decoded by type OID: int2/int4/int8/oid and bool (0/1) →
// int64; float4/float8 → double; numeric → int64 when integral and in range,
// else double; bytea → Bytes; everything else → text.
//
// Thread-safety: a PgConnection is used by one thread at a time.
#ifndef JISR_DB_POSTGRES_PG_CONNECTION_H_
#define JISR_DB_POSTGRES_PG_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "db/database.h"

// libpq's connection type (libpq-fe.h stays in the .cc files).
struct pg_conn;

namespace jisr::db::postgres_internal {

// The status code for a SQLSTATE: 23505 AlreadyExists; other class 23
// (integrity) FailedPrecondition; 40001/40P01 Aborted; class 08, 57P01-57P03
// (connection lost, server shutting down) Unavailable; 55P03 (lock timeout),
// 57014 (cancelled), class 53 (out of resources) Unavailable; class 22 (bad
// data, e.g. invalid UTF-8) InvalidArgument; anything else Internal.
absl::StatusCode CodeForSqlState(std::string_view sqlstate);

// True for the SQLSTATEs after which the connection is unusable.
bool IsConnectionLost(std::string_view sqlstate);

// Returns N when `sql` uses exactly the parameters $1..$N (each at least once,
// none other), skipping string literals, quoted identifiers, dollar quotes and
// comments. Errors: Internal naming the gap.
absl::StatusOr<int> CountParameters(std::string_view sql);

// `url` with any password replaced by "***", for messages.
std::string RedactUrl(std::string_view url);

class PgConnection {
 public:
  // Connects to `url` (a libpq URI or connection string). Errors:
  // InvalidArgument when libpq cannot parse it; Unavailable when the server
  // cannot be reached or refuses the connection.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Open(
      const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql` (one or more statements, no parameters) with the simple query
  // protocol. `command_tag`, when given, receives the last command's tag
  // ("COMMIT", "ROLLBACK", ...).
  absl::Status Exec(std::string_view sql, std::string* command_tag = nullptr);

  // Runs one statement with `params` as a cached prepared statement, appends
  // its rows to `rows` (when not null) and returns the number of rows it
  // changed (or returned). Errors as documented on db::Transaction::Query.
  absl::StatusOr<int64_t> Run(std::string_view sql, Params params,
                              std::vector<Row>* rows);

  // True once the connection is lost or otherwise unusable.
  bool broken() const;
  // True while inside a transaction block (also when it failed).
  bool InTransaction() const;
  // True while inside a transaction block that a failed statement aborted.
  bool InFailedTransaction() const;
  // The server process serving this connection.
  int BackendPid() const;
  // The raw handle, for LISTEN (socket, notifications).
  pg_conn* raw() { return conn_; }

  // The most statements kept prepared per connection; later ones run unnamed.
  static constexpr size_t kMaxPreparedStatements = 512;

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}

  pg_conn* conn_;
  bool broken_ = false;
  std::unordered_map<std::string, std::string>
      prepared_;  // key → statement name
  int next_statement_ = 0;
};

}  // namespace jisr::db::postgres_internal

#endif  // JISR_DB_POSTGRES_PG_CONNECTION_H_
