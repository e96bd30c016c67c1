// The store interface every module uses: a Database hands out Transactions;
// a Transaction runs parameterised SQL and returns typed rows.
//
// Portability rules (so SQLite and PostgreSQL both implement it):
//  - Parameters are written $1, $2, ... in the SQL text, bound in order.
//  - Column types: TEXT, BIGINT (integers, booleans as 0/1, times as Unix
//    milliseconds UTC), DOUBLE PRECISION, BYTEA/BLOB only through Bytes.
//  - Statements use the common subset of both dialects (RETURNING, ON CONFLICT
//    DO NOTHING/UPDATE, LIMIT/OFFSET are fine).
//  - A statement that fails ends the transaction's usefulness: return the
//    error (PostgreSQL aborts the whole transaction; later statements fail).
//  - Text never holds a NUL byte (PostgreSQL cannot store one: InvalidArgument).
//  - Text is compared and ordered byte-wise (SQLite's BINARY collation; create
//    PostgreSQL databases with LOCALE 'C', see docs/deploy.md).
//  - Writers see the store as if they ran one at a time (both stores serialise
//    write transactions), so read-modify-write inside one kWrite transaction
//    is safe; readers see one consistent snapshot per transaction.
//
// Thread-safety: a Database is safe to share between threads. A Transaction
// belongs to one thread at a time and must not outlive its Database.
#ifndef JISR_DB_DATABASE_H_
#define JISR_DB_DATABASE_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace jisr::db {

// SQL NULL.
struct Null {
  bool operator==(const Null&) const = default;
};
// Opaque binary data (BLOB in SQLite, BYTEA in PostgreSQL).
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

// One SQL value: NULL, a 64-bit integer, a double, UTF-8 text or bytes.
using Value = std::variant<Null, int64_t, double, std::string, Bytes>;

// Builds a Value from an optional (nullopt becomes NULL).
template <typename T>
Value Nullable(const std::optional<T>& v) {
  if (!v.has_value()) return Null{};
  return Value(*v);
}

// One result row. Getters take the 0-based column index; calling a getter of
// the wrong type is a programming error (checked by assertion in debug builds)
// except that NULL reads as 0 / "" / nullopt.
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const;
  int64_t GetInt(size_t i) const;
  bool GetBool(size_t i) const { return GetInt(i) != 0; }
  double GetDouble(size_t i) const;
  std::string GetText(size_t i) const;
  std::string GetBytes(size_t i) const;
  std::optional<int64_t> GetOptionalInt(size_t i) const;
  std::optional<std::string> GetOptionalText(size_t i) const;
  const Value& value(size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

using Params = std::span<const Value>;

// A database transaction. Destroying one that was not committed rolls it back.
class Transaction {
 public:
  virtual ~Transaction() = default;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Runs one statement and returns all its rows (possibly none).
  // Errors: Internal (SQL error, wrong parameter count: a programming error),
  // AlreadyExists (unique violation), FailedPrecondition (foreign key, check or
  // not-null violation),
  // Aborted (serialization failure or deadlock: the whole transaction may be
  // retried), Unavailable (store busy or connection lost).
  virtual absl::StatusOr<std::vector<Row>> Query(std::string_view sql, Params params) = 0;

  // Runs one statement and returns the number of rows it changed.
  virtual absl::StatusOr<int64_t> Execute(std::string_view sql, Params params) = 0;

  // Runs several statements without parameters (migrations).
  virtual absl::Status ExecuteScript(std::string_view sql) = 0;

  // Queues a notification on `channel` carrying `payload`, delivered to every
  // listener (Database::Listen) on the store once this transaction commits, and
  // never when it rolls back. On PostgreSQL listeners in every process on the
  // store receive it (NOTIFY); on SQLite the listeners of this Database object.
  // Errors: InvalidArgument when the channel is not [a-z][a-z0-9_]{0,62} or the
  // payload is longer than kMaxNotificationPayload bytes or holds a NUL byte;
  // the store's errors otherwise.
  virtual absl::Status Notify(std::string_view channel, std::string_view payload) = 0;

  // Commits. After a failed commit the transaction is rolled back.
  virtual absl::Status Commit() = 0;

  // Convenience overloads: tx.Query("... WHERE id = $1", {id}).
  absl::StatusOr<std::vector<Row>> Query(std::string_view sql,
                                         std::initializer_list<Value> params = {}) {
    return Query(sql, Params(params.begin(), params.size()));
  }
  absl::StatusOr<int64_t> Execute(std::string_view sql,
                                  std::initializer_list<Value> params = {}) {
    return Execute(sql, Params(params.begin(), params.size()));
  }
  // Returns the first row, or nullopt when there is none.
  absl::StatusOr<std::optional<Row>> QueryOptional(std::string_view sql,
                                                   std::initializer_list<Value> params = {});

 protected:
  Transaction() = default;
};

enum class TxMode {
  kRead,   // reads only; many may run at once
  kWrite,  // reads and writes; serialised with other writers as the store needs
};

enum class Dialect { kSqlite, kPostgres };

// The longest notification payload (PostgreSQL's NOTIFY limit is 8000 bytes).
inline constexpr size_t kMaxNotificationPayload = 7999;

// What a listener receives.
struct Notification {
  std::string channel;
  std::string payload;
  // True when notifications may have been lost (the listening connection to
  // PostgreSQL dropped and was re-established): the listener should reload
  // whatever it keeps current from the store. payload is empty then.
  bool missed = false;
};

// A registration made by Database::Listen. Destroying it unregisters: once the
// destructor returns the handler is not running and is never called again.
// It must not be destroyed from inside its own handler, and must not outlive
// the Database that made it.
class Subscription {
 public:
  virtual ~Subscription() = default;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

 protected:
  Subscription() = default;
};

using NotificationHandler = std::function<void(const Notification&)>;

// A connection pool to one store.
class Database {
 public:
  virtual ~Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Starts a transaction. Errors: Unavailable when no connection can be had.
  virtual absl::StatusOr<std::unique_ptr<Transaction>> Begin(TxMode mode) = 0;

  virtual Dialect dialect() const = 0;

  // Runs `fn` in a transaction of `mode` and commits when it returns OK (rolls
  // back otherwise, returning fn's status). A transaction that fails with
  // Aborted (serialization failure, deadlock) is retried, up to 5 attempts in
  // all, so `fn` must have no effect outside the transaction.
  absl::Status Run(TxMode mode, absl::FunctionRef<absl::Status(Transaction&)> fn);

  // Calls `handler` for every notification on `channel` committed after Listen
  // returns (see Transaction::Notify), in commit order, one at a time, on a
  // background thread owned by this Database; the handler must not block for
  // long. Errors: InvalidArgument for a bad channel name; Unavailable when the
  // store cannot be reached.
  virtual absl::StatusOr<std::unique_ptr<Subscription>> Listen(
      std::string_view channel, NotificationHandler handler) = 0;

  // Runs `fn` while holding the lock named `name`, unless someone else holds
  // it: then returns false at once without running `fn`. On PostgreSQL the
  // lock is a session advisory lock, held by one process on the store at a
  // time (it is released if that process dies); on SQLite it is held by one
  // caller per store file in this process. Used so that a scheduled job runs
  // once per node rather than once per process; the job itself should still
  // be idempotent (a lock ends with the session that held it).
  // Returns true when `fn` ran and returned OK; fn's error when it failed;
  // InvalidArgument for an empty name; Unavailable when the store cannot be
  // reached.
  virtual absl::StatusOr<bool> RunExclusive(std::string_view name,
                                            absl::FunctionRef<absl::Status()> fn) = 0;

 protected:
  Database() = default;
};

// Options for opening a store.
struct DatabaseOptions {
  // SQLite: number of read-only connections in the pool. Default 4.
  int read_connections = 4;
  // How long a statement waits on a lock before Unavailable (SQLite); how long
  // a writer waits for the write lock and Begin for a pooled connection
  // (PostgreSQL). Default 5 s.
  int busy_timeout_ms = 5000;
  // SQLite: synchronous=FULL (durable across power loss) when true, NORMAL
  // (durable across process crashes) when false. Default true.
  bool full_sync = true;
  // PostgreSQL: the most connections the pool opens (at least 2; one more is
  // opened for Listen). Begin waits up to busy_timeout_ms for a free one, and
  // a writer waits as long for the write lock, before Unavailable. Default 10.
  int max_connections = 10;
};

// Opens the store named by `url`:
//   sqlite:PATH            (PATH relative to the working directory)
//   sqlite::memory:        (private in-memory store, for tests)
//   postgres://USER@HOST:PORT/DBNAME?PARAM=VALUE...  (also postgresql://; any
//                          libpq connection URI, e.g. ?host=/run/postgresql
//                          for a Unix socket, sslmode=verify-full, ...)
// Errors: InvalidArgument on an unknown scheme or bad options; Unavailable
// when the store cannot be opened or reached.
absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(std::string_view url,
                                                       const DatabaseOptions& options = {});

}  // namespace jisr::db

#endif  // JISR_DB_DATABASE_H_
