#include "db/postgres/postgres_database.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "db/notification_hub.h"
#include "db/postgres/pg_connection.h"

namespace jisr::db {
namespace {

using postgres_internal::PgConnection;

// Advisory lock keys (two-int form): every jisr writer takes
// (kLockSpace, kWriterLock) for its transaction; RunExclusive(name) takes
// (kLockSpace + 1, hash of name) for the session.
constexpr int32_t kLockSpace = 0x6A697372;  // "jisr"
constexpr int32_t kWriterLock = 1;

int32_t LockKey(std::string_view name) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return static_cast<int32_t>(h);
}

absl::Status CheckDatabaseName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 63 &&
            ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  for (char c : name)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok) {
    return absl::InvalidArgumentError(
        fmt::format("database name \"{}\" must be lower-case letters, digits "
                    "and '_' (at most 63)",
                    name.substr(0, 80)));
  }
  return absl::OkStatus();
}

class PostgresDatabase;

class PgTransaction final : public Transaction {
 public:
  PgTransaction(PostgresDatabase* owner, std::unique_ptr<PgConnection> conn)
      : owner_(owner), conn_(std::move(conn)) {}
  ~PgTransaction() override;

  absl::StatusOr<std::vector<Row>> Query(std::string_view sql,
                                         Params params) override {
    if (absl::Status s = CheckUsable(); !s.ok()) return s;
    std::vector<Row> rows;
    absl::StatusOr<int64_t> n = conn_->Run(sql, params, &rows);
    if (!n.ok()) return n.status();
    return rows;
  }
  absl::StatusOr<int64_t> Execute(std::string_view sql,
                                  Params params) override {
    if (absl::Status s = CheckUsable(); !s.ok()) return s;
    return conn_->Run(sql, params, nullptr);
  }
  absl::Status ExecuteScript(std::string_view sql) override {
    if (absl::Status s = CheckUsable(); !s.ok()) return s;
    return conn_->Exec(sql);
  }
  absl::Status Notify(std::string_view channel,
                      std::string_view payload) override {
    if (absl::Status s = CheckUsable(); !s.ok()) return s;
    if (absl::Status s = internal::CheckChannel(channel); !s.ok()) return s;
    if (absl::Status s = internal::CheckPayload(payload); !s.ok()) return s;
    const Value params[] = {std::string(channel), std::string(payload)};
    return conn_->Run("SELECT pg_notify($1, $2)", params, nullptr).status();
  }
  absl::Status Commit() override;
  using Transaction::Execute;
  using Transaction::Query;

 private:
  absl::Status CheckUsable() const {
    if (conn_ == nullptr)
      return absl::FailedPreconditionError("transaction already finished");
    if (conn_->InFailedTransaction()) {
      return absl::InternalError(
          "an earlier statement of this transaction failed; it can only be "
          "rolled back");
    }
    return absl::OkStatus();
  }
  void Finish();

  PostgresDatabase* owner_;
  std::unique_ptr<PgConnection> conn_;  // null once finished
};

// The LISTEN side: one connection of its own and a thread that waits on its
// socket, feeding the hub. Reconnects (with back-off) when the connection
// drops, then tells every listener it may have missed notifications.
class Listener {
 public:
  Listener(std::string url, internal::NotificationHub* hub)
      : url_(std::move(url)), hub_(hub) {}
  ~Listener() {
    if (thread_.joinable()) {
      stop_ = true;
      Wake();
      thread_.join();
    }
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  // Starts listening on `channel` (counted; see Release). Errors: Unavailable.
  absl::Status Acquire(const std::string& channel) {
    std::lock_guard lock(mu_);
    if (wake_fd_ < 0) {
      wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
      if (wake_fd_ < 0)
        return absl::UnavailableError("cannot create an eventfd for LISTEN");
    }
    if (conn_ == nullptr || conn_->broken()) {
      if (absl::Status s = ConnectLocked(); !s.ok()) return s;
      Wake();
    }
    if (channels_[channel]++ == 0) {
      if (absl::Status s = conn_->Exec(fmt::format("LISTEN \"{}\"", channel));
          !s.ok()) {
        if (--channels_[channel] == 0) channels_.erase(channel);
        return s;
      }
      Drain();
    }
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
    return absl::OkStatus();
  }

  void Release(const std::string& channel) {
    std::lock_guard lock(mu_);
    auto it = channels_.find(channel);
    if (it == channels_.end() || --it->second > 0) return;
    channels_.erase(it);
    if (conn_ != nullptr && !conn_->broken()) {
      (void)conn_->Exec(fmt::format("UNLISTEN \"{}\"", channel));
      Drain();
    }
  }

 private:
  // (Re)connects and LISTENs on every channel in use; when some were in use,
  // their listeners may have missed notifications meanwhile and are told so.
  // Requires mu_.
  absl::Status ConnectLocked() {
    conn_.reset();
    absl::StatusOr<std::unique_ptr<PgConnection>> conn =
        PgConnection::Open(url_);
    if (!conn.ok()) return conn.status();
    if (PQsetnonblocking((*conn)->raw(), 1) != 0) {
      return absl::UnavailableError(
          "cannot make the LISTEN connection non-blocking");
    }
    for (const auto& [channel, count] : channels_) {
      if (absl::Status s = (*conn)->Exec(fmt::format("LISTEN \"{}\"", channel));
          !s.ok()) {
        return s;
      }
    }
    conn_ = *std::move(conn);
    if (!channels_.empty()) hub_->PublishMissed();
    return absl::OkStatus();
  }

  void Wake() {
    const uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
  }

  // Moves received notifications to the hub. Requires mu_.
  void Drain() {
    if (conn_ == nullptr) return;
    while (PGnotify* n = PQnotifies(conn_->raw())) {
      Notification out;
      out.channel = n->relname;
      out.payload = n->extra != nullptr ? n->extra : "";
      PQfreemem(n);
      hub_->Publish(std::move(out));
    }
  }

  void Loop() {
    auto backoff = std::chrono::milliseconds(100);
    while (!stop_) {
      int socket = -1;
      bool reconnect = false;
      {
        std::lock_guard lock(mu_);
        if (conn_ == nullptr || conn_->broken()) {
          reconnect = true;
        } else {
          socket = PQsocket(conn_->raw());
        }
      }
      if (reconnect) {
        bool connected = false;
        {
          std::lock_guard lock(mu_);
          connected =
              (conn_ != nullptr && !conn_->broken()) || ConnectLocked().ok();
        }
        if (connected) {
          backoff = std::chrono::milliseconds(100);
        } else {
          WaitForWake(static_cast<int>(backoff.count()));
          backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
        }
        continue;
      }
      pollfd fds[2] = {{socket, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      const int ready = ::poll(fds, 2, 1000);
      if (ready < 0) continue;
      if (fds[1].revents & POLLIN) {
        uint64_t value = 0;
        (void)!::read(wake_fd_, &value, sizeof value);
      }
      if (fds[0].revents != 0) {
        std::lock_guard lock(mu_);
        if (conn_ != nullptr && !conn_->broken()) {
          if (PQconsumeInput(conn_->raw()) == 0) {
            // Lost: the next round reconnects.
          }
          Drain();
        }
      }
    }
  }

  void WaitForWake(int timeout_ms) {
    pollfd fd = {wake_fd_, POLLIN, 0};
    if (::poll(&fd, 1, timeout_ms) > 0) {
      uint64_t value = 0;
      (void)!::read(wake_fd_, &value, sizeof value);
    }
  }

  const std::string url_;
  internal::NotificationHub* const hub_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::unique_ptr<PgConnection> conn_;   // guarded by mu_
  std::map<std::string, int> channels_;  // guarded by mu_
  int wake_fd_ = -1;                     // set once under mu_
  std::thread thread_;                   // started under mu_
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, const DatabaseOptions& options)
      : url_(std::move(url)),
        max_connections_(options.max_connections),
        busy_timeout_(
            std::chrono::milliseconds(std::max(options.busy_timeout_ms, 1))),
        listener_(url_, &hub_) {
    begin_write_ = fmt::format(
        "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = "
        "'{}ms'; "
        "SELECT pg_advisory_xact_lock({}, {})",
        std::max(options.busy_timeout_ms, 1), kLockSpace, kWriterLock);
  }
  ~PostgresDatabase() override = default;

  // Opens the first connection so that a bad URL or an unreachable server is
  // reported by Open.
  absl::Status Start() {
    absl::StatusOr<std::unique_ptr<PgConnection>> conn =
        PgConnection::Open(url_);
    if (!conn.ok()) return conn.status();
    std::lock_guard lock(mu_);
    ++open_;
    idle_.push_back(*std::move(conn));
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
    const std::string& begin =
        mode == TxMode::kWrite ? begin_write_ : kBeginRead;
    for (int attempt = 0;; ++attempt) {
      absl::StatusOr<std::unique_ptr<PgConnection>> conn = Acquire();
      if (!conn.ok()) return conn.status();
      absl::Status s = (*conn)->Exec(begin);
      if (s.ok()) {
        return std::unique_ptr<Transaction>(
            new PgTransaction(this, *std::move(conn)));
      }
      const bool stale = (*conn)->broken();
      if ((*conn)->InTransaction()) (void)(*conn)->Exec("ROLLBACK");
      Release(*std::move(conn));
      if (!stale || attempt > 0) return s;
      // An idle connection died (server restart, failover, network): the
      // other idle ones most likely too. Drop them all and retry once on a
      // new connection; nothing has been done yet.
      DropIdle();
    }
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  absl::StatusOr<std::unique_ptr<Subscription>> Listen(
      std::string_view channel, NotificationHandler handler) override {
    if (absl::Status s = internal::CheckChannel(channel); !s.ok()) return s;
    const std::string name(channel);
    // Registered before LISTEN so nothing committed after Listen returns is
    // lost.
    std::unique_ptr<Subscription> sub =
        hub_.Subscribe(name, std::move(handler));
    if (absl::Status s = listener_.Acquire(name); !s.ok()) return s;
    return std::unique_ptr<Subscription>(
        new ListenSubscription(std::move(sub), &listener_, name));
  }

  absl::StatusOr<bool> RunExclusive(
      std::string_view name, absl::FunctionRef<absl::Status()> fn) override {
    if (name.empty())
      return absl::InvalidArgumentError("exclusive lock name is empty");
    const Value key[] = {int64_t{kLockSpace + 1}, int64_t{LockKey(name)}};
    absl::StatusOr<std::unique_ptr<PgConnection>> conn;
    std::vector<Row> rows;
    for (int attempt = 0;; ++attempt) {
      conn = Acquire();
      if (!conn.ok()) return conn.status();
      rows.clear();
      absl::StatusOr<int64_t> got = (*conn)->Run(
          "SELECT pg_try_advisory_lock($1::int4, $2::int4)", key, &rows);
      if (got.ok()) break;
      const bool stale = (*conn)->broken();
      Release(*std::move(conn));
      if (!stale || attempt > 0) return got.status();
      DropIdle();  // as in Begin: the idle connections died; retry once
    }
    if (rows.empty() || !rows[0].GetBool(0)) {
      Release(*std::move(conn));
      return false;
    }
    absl::Status s = fn();
    absl::StatusOr<int64_t> unlocked = (*conn)->Run(
        "SELECT pg_advisory_unlock($1::int4, $2::int4)", key, nullptr);
    if (!unlocked.ok() && !(*conn)->broken()) {
      // Never leave a lock behind on a pooled connection.
      (*conn)->Exec("SELECT pg_advisory_unlock_all()").IgnoreError();
    }
    Release(*std::move(conn));
    if (!s.ok()) return s;
    return true;
  }

  // Takes an idle connection, opens a new one below the limit, or waits up to
  // busy_timeout_ for one to be released.
  absl::StatusOr<std::unique_ptr<PgConnection>> Acquire() {
    std::unique_lock lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + busy_timeout_;
    for (;;) {
      if (!idle_.empty()) {
        std::unique_ptr<PgConnection> conn = std::move(idle_.back());
        idle_.pop_back();
        return conn;
      }
      if (open_ < max_connections_) {
        ++open_;
        lock.unlock();
        absl::StatusOr<std::unique_ptr<PgConnection>> conn =
            PgConnection::Open(url_);
        if (!conn.ok()) {
          lock.lock();
          --open_;
          cv_.notify_one();
        }
        return conn;
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout &&
          idle_.empty() && open_ >= max_connections_) {
        return absl::UnavailableError(fmt::format(
            "all {} connections to PostgreSQL stayed busy for {} ms",
            max_connections_, busy_timeout_.count()));
      }
    }
  }

  // Closes every idle connection.
  void DropIdle() {
    std::vector<std::unique_ptr<PgConnection>> dropped;
    {
      std::lock_guard lock(mu_);
      dropped.swap(idle_);
      open_ -= static_cast<int>(dropped.size());
    }
    cv_.notify_all();
  }

  // Returns a connection to the pool, or closes it when it is broken or still
  // inside a transaction.
  void Release(std::unique_ptr<PgConnection> conn) {
    if (conn->broken() || conn->InTransaction()) conn.reset();
    {
      std::lock_guard lock(mu_);
      if (conn == nullptr) {
        --open_;
      } else {
        idle_.push_back(std::move(conn));
      }
    }
    cv_.notify_one();
  }

 private:
  class ListenSubscription final : public Subscription {
   public:
    ListenSubscription(std::unique_ptr<Subscription> inner, Listener* listener,
                       std::string channel)
        : inner_(std::move(inner)),
          listener_(listener),
          channel_(std::move(channel)) {}
    ~ListenSubscription() override {
      inner_.reset();
      listener_->Release(channel_);
    }

   private:
    std::unique_ptr<Subscription> inner_;
    Listener* listener_;
    std::string channel_;
  };

  static constexpr const char* kBeginRead =
      "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  const std::string url_;
  const int max_connections_;
  const std::chrono::milliseconds busy_timeout_;
  std::string begin_write_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mu_
  int open_ = 0;  // guarded by mu_; idle + in use

  // Declared last: destroyed first (the listener feeds the hub).
  internal::NotificationHub hub_;
  Listener listener_;
};

void PgTransaction::Finish() {
  if (conn_ == nullptr) return;
  owner_->Release(std::move(conn_));
  conn_ = nullptr;
}

absl::Status PgTransaction::Commit() {
  if (conn_ == nullptr)
    return absl::FailedPreconditionError("transaction already finished");
  if (conn_->InFailedTransaction()) {
    (void)conn_->Exec("ROLLBACK");
    Finish();
    return absl::InternalError(
        "cannot commit: an earlier statement of this transaction failed; it "
        "was rolled back");
  }
  std::string tag;
  absl::Status s = conn_->Exec("COMMIT", &tag);
  if (s.ok() && tag != "COMMIT") {
    s = absl::AbortedError(
        fmt::format("PostgreSQL answered {} to COMMIT", tag));
  }
  if (!s.ok() && conn_->broken()) {
    s = absl::UnavailableError(
        fmt::format("the connection to PostgreSQL was lost during COMMIT (the "
                    "outcome is unknown): {}",
                    std::string(s.message())));
  }
  if (!s.ok() && conn_->InTransaction()) (void)conn_->Exec("ROLLBACK");
  Finish();
  return s;
}

PgTransaction::~PgTransaction() {
  if (conn_ != nullptr && !conn_->broken() && conn_->InTransaction()) {
    (void)conn_->Exec("ROLLBACK");
  }
  Finish();
}

// Runs one statement outside any transaction (CREATE/DROP DATABASE).
absl::Status ExecOutsideTransaction(const std::string& server_url,
                                    const std::string& sql) {
  absl::StatusOr<std::unique_ptr<PgConnection>> conn =
      PgConnection::Open(server_url);
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec(sql);
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
        (u >= '0' && u <= '9') || u == '-' || u == '_' || u == '.' ||
        u == '~') {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(
    const std::string& url, const DatabaseOptions& options) {
  if (options.max_connections < 2) {
    return absl::InvalidArgumentError(
        fmt::format("max_connections must be at least 2 (got {})",
                    options.max_connections));
  }
  auto db = std::make_unique<PostgresDatabase>(url, options);
  if (absl::Status s = db->Start(); !s.ok()) return s;
  return std::unique_ptr<Database>(std::move(db));
}

absl::Status CreatePostgresDatabase(const std::string& server_url,
                                    std::string_view name) {
  if (absl::Status s = CheckDatabaseName(name); !s.ok()) return s;
  absl::Status s = ExecOutsideTransaction(
      server_url, fmt::format("CREATE DATABASE \"{}\" TEMPLATE template0 "
                              "ENCODING 'UTF8' LOCALE 'C'",
                              name));
  if (std::string(s.message()).find("SQLSTATE 42P04") != std::string::npos) {
    return absl::AlreadyExistsError(
        fmt::format("database {} already exists", name));
  }
  return s;
}

absl::Status DropPostgresDatabase(const std::string& server_url,
                                  std::string_view name) {
  if (absl::Status s = CheckDatabaseName(name); !s.ok()) return s;
  return ExecOutsideTransaction(
      server_url,
      fmt::format("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", name));
}

absl::StatusOr<std::string> PostgresUrlWithDatabase(const std::string& url,
                                                    std::string_view name) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (options == nullptr) {
    std::string why = parse_error != nullptr ? parse_error : "out of memory";
    PQfreemem(parse_error);
    return absl::InvalidArgumentError(
        fmt::format("bad PostgreSQL URL \"{}\": {}",
                    postgres_internal::RedactUrl(url), why));
  }
  std::string out = fmt::format("postgresql:///{}", PercentEncode(name));
  char separator = '?';
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || std::string_view(o->keyword) == "dbname") continue;
    out += fmt::format("{}{}={}", separator, o->keyword, PercentEncode(o->val));
    separator = '&';
  }
  PQconninfoFree(options);
  return out;
}

}  // namespace jisr::db
