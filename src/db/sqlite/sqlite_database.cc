#include "db/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "db/notification_hub.h"

namespace jisr::db {
namespace {

absl::Status ErrorFrom(sqlite3* conn, int rc, std::string_view what) {
  const int ext = conn != nullptr ? sqlite3_extended_errcode(conn) : rc;
  const std::string msg = fmt::format("{}: {}", what,
                                      conn != nullptr ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return absl::AlreadyExistsError(msg);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_TRIGGER:
      return absl::FailedPreconditionError(msg);
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(msg);
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(msg);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return absl::UnavailableError(msg);
    default:
      return absl::InternalError(msg);
  }
}

// One connection with its prepared-statement cache. Used by one thread at a time.
class Connection {
 public:
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt.stmt);
    sqlite3_close_v2(db_);
  }

  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path,
                                                          bool read_only,
                                                          const DatabaseOptions& options) {
    sqlite3* raw = nullptr;
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    flags |= read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    std::unique_ptr<Connection> conn(new Connection(raw));
    if (rc != SQLITE_OK) {
      return absl::UnavailableError(
          fmt::format("cannot open SQLite store {}: {}", path,
                      raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, options.busy_timeout_ms);
    // secure_delete: deleted rows are overwritten, so a purged partner record
    // leaves no personal data in the file (federation purge, docs/federation.md).
    std::string pragmas = "PRAGMA foreign_keys=ON;PRAGMA secure_delete=ON;";
    if (read_only) {
      pragmas += "PRAGMA query_only=ON;";
    } else {
      pragmas += "PRAGMA journal_mode=WAL;";
      pragmas += options.full_sync ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
    }
    char* err = nullptr;
    if (sqlite3_exec(raw, pragmas.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err != nullptr ? err : "unknown error";
      sqlite3_free(err);
      return absl::UnavailableError(fmt::format("cannot set up SQLite store {}: {}", path, msg));
    }
    return conn;
  }

  absl::Status Exec(std::string_view sql) {
    char* err = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) return ErrorFrom(db_, rc, "SQL script failed");
    return absl::OkStatus();
  }

  // Runs `sql` with `params`; appends rows to `rows` when non-null. Returns the
  // number of rows changed.
  absl::StatusOr<int64_t> Run(std::string_view sql, Params params, std::vector<Row>* rows) {
    auto prepared = Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    Cached& c = **prepared;
    sqlite3_stmt* stmt = c.stmt;
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    if (c.param_index.size() != params.size()) {
      return absl::InternalError(fmt::format("statement takes {} parameters, {} given: {}",
                                             c.param_index.size(), params.size(), sql));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int idx = c.param_index[i];
      int rc = SQLITE_OK;
      const Value& v = params[i];
      if (std::holds_alternative<Null>(v)) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, idx, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, idx, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        const std::string& b = std::get<Bytes>(v).data;
        rc = sqlite3_bind_blob64(stmt, idx, b.data(), b.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return ErrorFrom(db_, rc, "binding a parameter failed");
    }
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return ErrorFrom(db_, rc, "statement failed");
      if (rows == nullptr) continue;
      std::vector<Value> values;
      values.reserve(columns);
      for (int col = 0; col < columns; ++col) {
        switch (sqlite3_column_type(stmt, col)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, col)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, col));
            break;
          case SQLITE_TEXT: {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
            values.emplace_back(std::string(p, sqlite3_column_bytes(stmt, col)));
            break;
          }
          case SQLITE_BLOB: {
            const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, col));
            values.emplace_back(Bytes{std::string(p == nullptr ? "" : p,
                                                  sqlite3_column_bytes(stmt, col))});
            break;
          }
          default:
            values.emplace_back(Null{});
        }
      }
      rows->emplace_back(std::move(values));
    }
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    std::vector<int> param_index;  // SQLite index of $1, $2, ...
  };

  explicit Connection(sqlite3* db) : db_(db) {}

  absl::StatusOr<Cached*> Prepare(std::string_view sql) {
    const std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return ErrorFrom(db_, rc, fmt::format("cannot prepare \"{}\"", sql));
    if (stmt == nullptr) return absl::InternalError(fmt::format("empty statement: \"{}\"", sql));
    if (tail != nullptr && std::string_view(tail).find_first_not_of(" \t\r\n;") !=
                               std::string_view::npos) {
      sqlite3_finalize(stmt);
      return absl::InternalError(fmt::format("more than one statement in \"{}\"", sql));
    }
    Cached c;
    c.stmt = stmt;
    const int count = sqlite3_bind_parameter_count(stmt);
    for (int i = 1; i <= count; ++i) {
      const int idx = sqlite3_bind_parameter_index(stmt, fmt::format("${}", i).c_str());
      if (idx == 0) {
        sqlite3_finalize(stmt);
        return absl::InternalError(
            fmt::format("parameters must be $1..${} in order of number: \"{}\"", count, sql));
      }
      c.param_index.push_back(idx);
    }
    return &cache_.emplace(key, c).first->second;
  }

  sqlite3* db_;
  std::unordered_map<std::string, Cached> cache_;
};

class SqliteDatabase;

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteDatabase* owner, Connection* conn, bool writer)
      : owner_(owner), conn_(conn), writer_(writer) {}
  ~SqliteTransaction() override;

  absl::StatusOr<std::vector<Row>> Query(std::string_view sql, Params params) override {
    if (absl::Status open = CheckOpen(); !open.ok()) return open;
    std::vector<Row> rows;
    absl::StatusOr<int64_t> n = conn_->Run(sql, params, &rows);
    if (!n.ok()) return n.status();
    return rows;
  }
  absl::StatusOr<int64_t> Execute(std::string_view sql, Params params) override {
    if (absl::Status open = CheckOpen(); !open.ok()) return open;
    return conn_->Run(sql, params, nullptr);
  }
  absl::Status ExecuteScript(std::string_view sql) override {
    if (absl::Status open = CheckOpen(); !open.ok()) return open;
    return conn_->Exec(sql);
  }
  absl::Status Notify(std::string_view channel, std::string_view payload) override {
    if (absl::Status open = CheckOpen(); !open.ok()) return open;
    if (absl::Status s = internal::CheckChannel(channel); !s.ok()) return s;
    if (absl::Status s = internal::CheckPayload(payload); !s.ok()) return s;
    pending_.push_back(Notification{std::string(channel), std::string(payload)});
    return absl::OkStatus();
  }
  absl::Status Commit() override;
  using Transaction::Execute;
  using Transaction::Query;

 private:
  absl::Status CheckOpen() const {
    if (done_) return absl::FailedPreconditionError("transaction already finished");
    return absl::OkStatus();
  }
  void Release();

  SqliteDatabase* owner_;
  Connection* conn_;
  bool writer_;
  bool done_ = false;
  std::vector<Notification> pending_;  // published on commit
};

class SqliteDatabase final : public Database {
 public:
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const DatabaseOptions& options) {
    std::unique_ptr<SqliteDatabase> db(new SqliteDatabase());
    auto writer = Connection::Open(path, /*read_only=*/false, options);
    if (!writer.ok()) return writer.status();
    db->writer_ = *std::move(writer);
    db->memory_ = path == ":memory:" || path.starts_with("file::memory:");
    if (db->memory_) {
      db->lock_scope_ = fmt::format("memory:{}", static_cast<const void*>(db.get()));
    } else {
      std::error_code ec;
      const std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ec);
      db->lock_scope_ = ec ? path : canonical.string();
    }
    if (!db->memory_) {
      for (int i = 0; i < options.read_connections; ++i) {
        auto reader = Connection::Open(path, /*read_only=*/true, options);
        if (!reader.ok()) return reader.status();
        db->idle_readers_.push_back(reader->get());
        db->readers_.push_back(*std::move(reader));
      }
    }
    return std::unique_ptr<Database>(std::move(db));
  }

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
    if (mode == TxMode::kWrite || readers_.empty()) {
      writer_mu_.lock();
      absl::Status s = writer_->Exec(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
      if (!s.ok()) {
        writer_mu_.unlock();
        return s;
      }
      return std::unique_ptr<Transaction>(new SqliteTransaction(this, writer_.get(), true));
    }
    Connection* conn = nullptr;
    {
      std::unique_lock lock(readers_mu_);
      readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
      conn = idle_readers_.back();
      idle_readers_.pop_back();
    }
    absl::Status s = conn->Exec("BEGIN");
    if (!s.ok()) {
      ReleaseReader(conn);
      return s;
    }
    return std::unique_ptr<Transaction>(new SqliteTransaction(this, conn, false));
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  absl::StatusOr<std::unique_ptr<Subscription>> Listen(std::string_view channel,
                                                       NotificationHandler handler) override {
    if (absl::Status s = internal::CheckChannel(channel); !s.ok()) return s;
    return hub_.Subscribe(std::string(channel), std::move(handler));
  }

  absl::StatusOr<bool> RunExclusive(std::string_view name,
                                    absl::FunctionRef<absl::Status()> fn) override {
    if (name.empty()) return absl::InvalidArgumentError("exclusive lock name is empty");
    const std::string key = fmt::format("{}\n{}", lock_scope_, name);
    if (!internal::ProcessLocks::TryAcquire(key)) return false;
    absl::Status s = fn();
    internal::ProcessLocks::Release(key);
    if (!s.ok()) return s;
    return true;
  }

  void Publish(std::vector<Notification>& notifications) {
    for (Notification& n : notifications) hub_.Publish(std::move(n));
  }

  void ReleaseWriter() { writer_mu_.unlock(); }
  void ReleaseReader(Connection* conn) {
    {
      std::lock_guard lock(readers_mu_);
      idle_readers_.push_back(conn);
    }
    readers_cv_.notify_one();
  }

 private:
  SqliteDatabase() = default;

  bool memory_ = false;
  std::string lock_scope_;  // RunExclusive's lock names are per store file
  internal::NotificationHub hub_;
  std::mutex writer_mu_;  // held for the whole life of a writer transaction
  std::unique_ptr<Connection> writer_;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_readers_;  // guarded by readers_mu_
};

void SqliteTransaction::Release() {
  if (done_) return;
  done_ = true;
  if (writer_) {
    owner_->ReleaseWriter();
  } else {
    owner_->ReleaseReader(conn_);
  }
}

absl::Status SqliteTransaction::Commit() {
  if (absl::Status open = CheckOpen(); !open.ok()) return open;
  absl::Status s = conn_->Exec("COMMIT");
  if (!s.ok() && conn_->InTransaction()) (void)conn_->Exec("ROLLBACK");
  if (s.ok()) owner_->Publish(pending_);  // before Release: in commit order
  pending_.clear();
  Release();
  return s;
}

SqliteTransaction::~SqliteTransaction() {
  if (!done_) {
    if (conn_->InTransaction()) (void)conn_->Exec("ROLLBACK");
    Release();
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                     const DatabaseOptions& options) {
  return SqliteDatabase::Open(path, options);
}

}  // namespace jisr::db
