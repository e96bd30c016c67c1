// Federation benchmark, the sending node's side (`make bench-federation` runs
// it through bench/federation/run.sh, which creates and pairs the two nodes
// and serves the receiving one as a real `jisr serve` process).
//
// In this process: the store of the sending node (Rabat, MA-DGSN; SQLite with
// the node's default synchronous=FULL) and a federation::Sender over it, as
// `jisr serve` would run it. Alerts are written the way the alerts service
// writes them: an active alert shared with FR-DGPN inserted and published
// (alerts::PublishAlertChange, "alert.upsert" with SharedAlertJson) in one
// transaction, whose commit notification wakes the sender at once.
//
//  1. Throughput: publishes --count alerts first (sender stopped), starts the
//     sender and times until every outbox row is acknowledged by the
//     receiving node (an acknowledgement follows the receiver's commit).
//  2. Latency: (after the receiving node is idle again, when --paris-pid is
//     given) publishes --rate alerts a second for --duration seconds from a
//     paced loop (one transaction per alert; alerts fallen due together when
//     the loop runs late share one; --per-transaction N groups N), waits for
//     their delivery, then reads the receiving node's inbox (its SQLite file,
//     read-only) and reports, in ms on one clock:
//       publication -> received: inbox.received_at - outbox.created_at, from
//         the publishing transaction to the receiver taking the batch (its
//         commit follows within the same request);
//       schedule -> received: the same from the paced schedule (counts any
//         lag of the publishing loop);
//       publication -> acknowledged: outbox.delivered_at - created_at, after
//         the receiver's commit and the sender's own bookkeeping (an upper
//         bound of the end-to-end latency).
// Also reports the CPU time of both processes per envelope and the sender's
// write transactions on the store (through TimedDatabase): how long they
// waited for SQLite's write lock and held it.
//
// Prints a human-readable report and one "RESULT key=value ..." line.
//
// Thread-safety: the main thread publishes and measures; the Sender runs its
// own workers (TimedDatabase is shared with them and locked).
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "alerts/alert.h"
#include "alerts/alert_repository.h"
#include "alerts/alert_sharing.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/status.h"
#include "db/database.h"
#include "db/migrations.h"
#include "federation/identity.h"
#include "federation/sender.h"
#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace jisr::bench {
namespace {

constexpr std::string_view kSender = "MA-DGSN";
constexpr std::string_view kRecipient = "FR-DGPN";

struct Args {
  // The sending node's directory (its store is DIR/jisr.db).
  std::string rabat;
  // The receiving node's SQLite file.
  std::string paris_db;
  int64_t count = 20000;
  int64_t rate = 1000;
  double duration_s = 10;
  int64_t timeout_s = 600;
  // When given, the latency phase waits until that process is idle.
  int64_t paris_pid = 0;
  // Latency phase: alerts published per transaction.
  int64_t per_transaction = 1;
};

[[noreturn]] void Die(std::string_view what, const absl::Status& s) {
  std::fprintf(stderr, "bench-federation: %.*s: %s\n",
               static_cast<int>(what.size()), what.data(),
               std::string(s.message()).c_str());
  std::exit(1);
}

// Returns the arguments, or nullopt when they are malformed.
std::optional<Args> ParseArgs(int argc, char** argv) try {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view k = argv[i];
    const std::string v = argv[i + 1];
    if (k == "--rabat") {
      a.rabat = v;
    } else if (k == "--paris-db") {
      a.paris_db = v;
    } else if (k == "--count") {
      a.count = std::stoll(v);
    } else if (k == "--rate") {
      a.rate = std::stoll(v);
    } else if (k == "--duration") {
      a.duration_s = std::stod(v);
    } else if (k == "--timeout") {
      a.timeout_s = std::stoll(v);
    } else if (k == "--paris-pid") {
      a.paris_pid = std::stoll(v);
    } else if (k == "--per-transaction") {
      a.per_transaction = std::stoll(v);
    } else {
      return std::nullopt;
    }
  }
  if (argc % 2 == 0 || a.rabat.empty() || a.paris_db.empty() || a.count < 0 ||
      a.rate <= 0 || a.duration_s < 0 || a.per_transaction < 1) {
    return std::nullopt;
  }
  return a;
} catch (const std::exception&) {  // std::stoll / std::stod: not a number
  return std::nullopt;
}

// A synthetic, clearly fictional person: a family name of invented syllables,
// "BENCH" document numbers, like the demo data.
alerts::AlertContent BenchContent(int64_t n) {
  // 40^3 = 64,000 family names, 20 given names: varied like a real list, with
  // the shared given names a real list has.
  static constexpr std::string_view kSyllables[] = {
      "ba",  "del", "fi",  "gor", "ha",  "jum", "ka",  "lin", "mo",  "nar",
      "pe",  "qua", "ros", "sa",  "tel", "u",   "vad", "wen", "ya",  "zil",
      "bri", "cas", "dor", "el",  "fen", "gil", "hom", "ir",  "jor", "kel",
      "lum", "mar", "nos", "or",  "pim", "ral", "sto", "tur", "vin", "zo"};
  static constexpr std::string_view kGiven[] = {
      "Karim",   "Nadia",  "Omar",    "Lucie", "Youssef", "Salma", "Hugo",
      "Imane",   "Rachid", "Camille", "Mehdi", "Ines",    "Bilal", "Chloe",
      "Sofiane", "Amina",  "Theo",    "Leila", "Adam",    "Sara"};
  std::string family;
  for (int64_t v = n, k = 0; k < 3; ++k, v /= 40) family += kSyllables[v % 40];
  family[0] = static_cast<char>(family[0] - 'a' + 'A');
  const std::string given(kGiven[(n / 7) % 20]);
  alerts::AlertContent c;
  c.category = alerts::Category::kArrestExtradition;
  c.names = {alerts::AlertName{fmt::format("{} {}", given, family), given,
                               family, alerts::NameKind::kPrimary},
             alerts::AlertName{"كريم تستاوي", "", "", alerts::NameKind::kAlias},
             alerts::AlertName{fmt::format("{} {}", family, given), "", "",
                               alerts::NameKind::kAlias}};
  c.birth_date = screening::PartialDate{1960 + static_cast<int>(n % 40),
                                        1 + static_cast<int>(n % 12),
                                        1 + static_cast<int>(n % 28)};
  c.birth_place = "Fictionville";
  c.nationalities = {"MA", "FR"};
  c.gender = n % 2 == 0 ? alerts::Gender::kMale : alerts::Gender::kFemale;
  c.documents = {alerts::Document{alerts::DocumentType::kPassport,
                                  fmt::format("BENCH{:07}", n), "MA",
                                  std::nullopt}};
  c.distinguishing_marks = {"Scar on the left hand (benchmark data)"};
  c.offence = "Organised fraud - BENCHMARK DATA, NOT A REAL CASE";
  c.warrant = alerts::Warrant{fmt::format("BENCH-W-{:07}", n),
                              "Benchmark Court", absl::CivilDay(2025, 1, 15)};
  c.action =
      "Arrest with a view to extradition; inform the SIRENE desk at once.";
  c.warnings = {alerts::WarningFlag::kViolent};
  c.handling_code = alerts::HandlingCode::kH2;
  c.share_with = {std::string(kRecipient)};
  return c;
}

// Inserts alert number `n` as an activated alert of MA-DGSN shared with
// FR-DGPN and publishes it, in `tx`. Returns the alert id.
absl::StatusOr<std::string> PublishOne(db::Transaction& tx, int64_t n,
                                       absl::Time now) {
  alerts::Alert a;
  a.id = NewUuidV7(now);
  a.owner = std::string(kSender);
  a.status = alerts::AlertStatus::kActive;
  a.version = 2;  // drafted, then activated
  a.content = BenchContent(n);
  a.review_at = TruncateToMillis(now + absl::Hours(24 * 365 * 5));
  a.created_by = "user:demo.officer";
  a.created_at = TruncateToMillis(now);
  a.updated_by = "user:demo.officer";
  a.updated_at = TruncateToMillis(now);
  a.activated_by = "user:demo.supervisor";
  a.activated_at = TruncateToMillis(now);
  JISR_RETURN_IF_ERROR(alerts::InsertAlert(tx, a));
  JISR_RETURN_IF_ERROR(
      alerts::PublishAlertChange(tx, std::nullopt, a, kSender, now));
  return a.id;
}

// CPU time (user + system) process `pid` has used, in clock ticks, or -1.
int64_t CpuTicks(int64_t pid) {
  std::FILE* f = std::fopen(fmt::format("/proc/{}/stat", pid).c_str(), "r");
  if (f == nullptr) return -1;
  char buf[1024];
  const size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  // Fields after the command name (which ends with the last ')'): state is
  // field 3, utime 14, stime 15.
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return -1;
  long long utime = 0, stime = 0;
  if (std::sscanf(p + 2,
                  "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld",
                  &utime, &stime) != 2) {
    return -1;
  }
  return utime + stime;
}

// Waits until process `pid` uses under 5% of a core over half a second (the
// receiving node has applied what it received, its screening index
// included); returns how long that took.
absl::Duration WaitIdle(int64_t pid, absl::Time deadline) {
  const absl::Time start = absl::Now();
  const double ticks_per_s = static_cast<double>(sysconf(_SC_CLK_TCK));
  int64_t before = CpuTicks(pid);
  while (before >= 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(500));
    const int64_t after = CpuTicks(pid);
    if (after < 0 || static_cast<double>(after - before) / ticks_per_s < 0.025)
      break;
    before = after;
  }
  return absl::Now() - start;
}

// The sender's view of the store: forwards everything to the real store and
// times each write transaction: the wait for the store's write lock (Begin)
// and how long the lock is then held (up to the end of Commit).
class TimedDatabase final : public db::Database {
 public:
  explicit TimedDatabase(db::Database& inner) : inner_(inner) {}

  absl::StatusOr<std::unique_ptr<db::Transaction>> Begin(
      db::TxMode mode) override {
    const absl::Time start = absl::Now();
    JISR_ASSIGN_OR_RETURN(std::unique_ptr<db::Transaction> tx,
                          inner_.Begin(mode));
    if (mode != db::TxMode::kWrite) return tx;
    const absl::Time locked = absl::Now();
    return std::unique_ptr<db::Transaction>(std::make_unique<TimedTransaction>(
        std::move(tx), this, locked - start, locked));
  }
  db::Dialect dialect() const override { return inner_.dialect(); }
  absl::StatusOr<std::unique_ptr<db::Subscription>> Listen(
      std::string_view channel, db::NotificationHandler handler) override {
    return inner_.Listen(channel, std::move(handler));
  }
  absl::StatusOr<bool> RunExclusive(
      std::string_view name, absl::FunctionRef<absl::Status()> fn) override {
    return inner_.RunExclusive(name, fn);
  }

  // The write transactions since the last call: lock waits and hold times
  // (ms), each sorted.
  std::pair<std::vector<double>, std::vector<double>> TakeWrites() {
    std::lock_guard lock(mu_);
    std::pair<std::vector<double>, std::vector<double>> out{std::move(waits_),
                                                            std::move(holds_)};
    waits_.clear();
    holds_.clear();
    std::sort(out.first.begin(), out.first.end());
    std::sort(out.second.begin(), out.second.end());
    return out;
  }

 private:
  class TimedTransaction final : public db::Transaction {
   public:
    TimedTransaction(std::unique_ptr<db::Transaction> inner,
                     TimedDatabase* owner, absl::Duration wait,
                     absl::Time locked)
        : inner_(std::move(inner)),
          owner_(owner),
          wait_(wait),
          locked_(locked) {}
    ~TimedTransaction() override {
      inner_.reset();  // rolls back when not committed: the lock is free now
      owner_->Record(wait_, absl::Now() - locked_);
    }
    absl::StatusOr<std::vector<db::Row>> Query(std::string_view sql,
                                               db::Params params) override {
      return inner_->Query(sql, params);
    }
    absl::StatusOr<int64_t> Execute(std::string_view sql,
                                    db::Params params) override {
      return inner_->Execute(sql, params);
    }
    absl::Status ExecuteScript(std::string_view sql) override {
      return inner_->ExecuteScript(sql);
    }
    absl::Status Notify(std::string_view channel,
                        std::string_view payload) override {
      return inner_->Notify(channel, payload);
    }
    absl::Status Commit() override { return inner_->Commit(); }

   private:
    std::unique_ptr<db::Transaction> inner_;
    TimedDatabase* owner_;
    absl::Duration wait_;
    absl::Time locked_;
  };

  void Record(absl::Duration wait, absl::Duration hold) {
    std::lock_guard lock(mu_);
    waits_.push_back(absl::ToDoubleMilliseconds(wait));
    holds_.push_back(absl::ToDoubleMilliseconds(hold));
  }

  db::Database& inner_;
  std::mutex mu_;
  std::vector<double> waits_, holds_;
};

// Counts the outbox rows for FR-DGPN still to send (not delivered, not
// dead-lettered) or, with `dead`, those dead-lettered.
int64_t OutboxRows(db::Database& db, bool dead) {
  int64_t count = -1;
  absl::Status s =
      db.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(
            std::optional<db::Row> row,
            tx.QueryOptional(
                dead ? "SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND "
                       "dead_at IS NOT NULL"
                     : "SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND "
                       "delivered_at IS NULL AND dead_at IS NULL",
                {std::string(kRecipient)}));
        count = row ? row->GetInt(0) : 0;
        return absl::OkStatus();
      });
  if (!s.ok()) Die("reading the outbox", s);
  return count;
}

int64_t PendingRows(db::Database& db) { return OutboxRows(db, false); }

// Waits until no row for FR-DGPN is pending; returns false on time-out.
// Dead-lettered rows (refused by the partner) end the benchmark: they were
// never delivered and would otherwise pass for done.
bool WaitDelivered(db::Database& db, absl::Time deadline, absl::Duration poll) {
  while (absl::Now() < deadline) {
    if (PendingRows(db) == 0) {
      if (const int64_t dead = OutboxRows(db, true); dead > 0) {
        Die("the partner refused envelopes",
            absl::FailedPreconditionError(
                fmt::format("{} outbox rows dead-lettered", dead)));
      }
      return true;
    }
    absl::SleepFor(poll);
  }
  return false;
}

// The receiving node's inbox: envelope id -> received_at (ms), read-only.
std::unordered_map<std::string, int64_t> ReadInbox(const std::string& path,
                                                   int64_t since_ms) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    Die("opening the receiver's store",
        absl::UnavailableError(raw ? sqlite3_errmsg(raw) : path));
  }
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(raw,
                         "SELECT id, received_at FROM inbox WHERE sender = ?1 "
                         "AND received_at >= ?2",
                         -1, &st, nullptr) != SQLITE_OK) {
    Die("reading the receiver's inbox",
        absl::InternalError(sqlite3_errmsg(raw)));
  }
  sqlite3_bind_text(st, 1, kSender.data(), static_cast<int>(kSender.size()),
                    SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, since_ms);
  std::unordered_map<std::string, int64_t> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    out.emplace(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                sqlite3_column_int64(st, 1));
  }
  if (rc != SQLITE_DONE)
    Die("reading the receiver's inbox",
        absl::InternalError(sqlite3_errmsg(raw)));
  sqlite3_finalize(st);
  return out;
}

struct OutboxRow {
  std::string id;
  std::string record_id;
  int64_t created_at = 0;
  int64_t delivered_at = 0;
};

std::vector<OutboxRow> ReadOutbox(db::Database& db, int64_t since_ms) {
  std::vector<OutboxRow> out;
  absl::Status s =
      db.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(
            std::vector<db::Row> rows,
            tx.Query(
                "SELECT id, record_id, created_at, delivered_at FROM outbox "
                "WHERE recipient = $1 AND created_at >= $2",
                {std::string(kRecipient), since_ms}));
        for (const db::Row& r : rows) {
          out.push_back(
              OutboxRow{r.GetText(0), r.GetText(1), r.GetInt(2), r.GetInt(3)});
        }
        return absl::OkStatus();
      });
  if (!s.ok()) Die("reading the outbox", s);
  return out;
}

// The q-quantile (0..1) of sorted `v` (nearest rank).
double Quantile(const std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  const size_t rank =
      static_cast<size_t>(std::max<double>(1.0, std::ceil(q * v.size())));
  return v[std::min(rank, v.size()) - 1];
}

void PrintSenderWrites(std::string_view phase, TimedDatabase& db);

// Batches the sender made: distinct delivered_at values (ms) of `rows`.
size_t Batches(const std::vector<OutboxRow>& rows) {
  std::vector<int64_t> at;
  at.reserve(rows.size());
  for (const OutboxRow& r : rows) at.push_back(r.delivered_at);
  std::sort(at.begin(), at.end());
  return static_cast<size_t>(std::unique(at.begin(), at.end()) - at.begin());
}

void PrintSenderWrites(std::string_view phase, TimedDatabase& db) {
  auto [waits, holds] = db.TakeWrites();
  if (waits.empty()) return;
  std::printf(
      "%.*s: sender write transactions (claim, mark): %zu; write-lock wait "
      "p50=%.2f ms "
      "p99=%.2f ms max=%.0f ms; held p50=%.2f ms p99=%.2f ms max=%.0f ms\n",
      static_cast<int>(phase.size()), phase.data(), waits.size(),
      Quantile(waits, 0.5), Quantile(waits, 0.99), waits.back(),
      Quantile(holds, 0.5), Quantile(holds, 0.99), holds.back());
}

int Main(int argc, char** argv) {
  std::optional<Args> parsed = ParseArgs(argc, argv);
  if (!parsed) {
    std::fprintf(
        stderr,
        "usage: jisr_bench_federation --rabat DIR --paris-db FILE [--count N] "
        "[--rate PER_S] [--duration S] [--timeout S] [--paris-pid PID] "
        "[--per-transaction N]\n");
    return 2;
  }
  const Args& args = *parsed;
  spdlog::set_level(spdlog::level::warn);
  const Clock& clock = SystemClock::Instance();

  absl::StatusOr<std::unique_ptr<db::Database>> opened = db::OpenDatabase(
      fmt::format("sqlite:{}/jisr.db", args.rabat));  // FULL sync (default)
  if (!opened.ok()) Die("opening the sender's store", opened.status());
  db::Database& db = **opened;
  if (absl::Status s = db::Migrate(db); !s.ok())
    Die("migrating the sender's store", s);
  absl::StatusOr<federation::NodeIdentity> identity =
      federation::LoadIdentity(args.rabat);
  if (!identity.ok()) Die("loading the sender's identity", identity.status());
  federation::SenderOptions options;
  options.agency = std::string(kSender);
  const absl::Time deadline = absl::Now() + absl::Seconds(args.timeout_s);
  int64_t next_alert = 0;

  // ---- 1. throughput
  // ----------------------------------------------------------
  double throughput = 0;
  {
    const absl::Time fill_start = absl::Now();
    constexpr int64_t kFillTransaction = 500;
    for (int64_t done = 0; done < args.count;) {
      const int64_t n = std::min(kFillTransaction, args.count - done);
      absl::Status s =
          db.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
            const absl::Time now = clock.Now();
            for (int64_t i = 0; i < n; ++i) {
              JISR_RETURN_IF_ERROR(
                  PublishOne(tx, next_alert + i, now).status());
            }
            return absl::OkStatus();
          });
      if (!s.ok()) Die("publishing", s);
      next_alert += n;
      done += n;
    }
    const double fill_s = absl::ToDoubleSeconds(absl::Now() - fill_start);
    const int64_t pending = PendingRows(db);
    std::printf(
        "throughput: %lld envelopes published in %.2f s (%lld pending in the "
        "outbox)\n",
        static_cast<long long>(args.count), fill_s,
        static_cast<long long>(pending));
  }
  TimedDatabase sender_db(db);
  federation::Sender sender(sender_db, clock, *identity, options, nullptr);
  // CPU seconds used by this process (the sending node) and by the receiving
  // node, when its pid is known.
  const double ticks_per_s = static_cast<double>(sysconf(_SC_CLK_TCK));
  const auto cpu_s = [&](int64_t pid) {
    return pid > 0 ? static_cast<double>(CpuTicks(pid)) / ticks_per_s : 0.0;
  };
  const int64_t self = static_cast<int64_t>(getpid());
  double self_cpu0 = cpu_s(self), paris_cpu0 = cpu_s(args.paris_pid);
  const auto print_cpu = [&](std::string_view phase, int64_t envelopes) {
    const double self_cpu = cpu_s(self) - self_cpu0;
    const double paris_cpu = cpu_s(args.paris_pid) - paris_cpu0;
    std::printf(
        "%.*s: CPU used: sending process %.2f s (%.0f us/envelope)",
        static_cast<int>(phase.size()), phase.data(), self_cpu,
        1e6 * self_cpu / static_cast<double>(std::max<int64_t>(1, envelopes)));
    if (args.paris_pid > 0) {
      std::printf(", receiving node %.2f s (%.0f us/envelope)", paris_cpu,
                  1e6 * paris_cpu /
                      static_cast<double>(std::max<int64_t>(1, envelopes)));
    }
    std::printf("\n");
    self_cpu0 += self_cpu;
    paris_cpu0 += paris_cpu;
  };
  const int64_t start_ms = ToUnixMillis(absl::Now());
  const absl::Time t0 = absl::Now();
  if (absl::Status s = sender.Start(); !s.ok()) Die("starting the sender", s);
  if (!WaitDelivered(db, deadline, absl::Milliseconds(20))) {
    Die("throughput", absl::DeadlineExceededError(
                          "the envelopes were not all delivered in time"));
  }
  const double send_s = absl::ToDoubleSeconds(absl::Now() - t0);
  {
    std::vector<OutboxRow> rows = ReadOutbox(db, 0);
    int64_t first = INT64_MAX, last = 0;
    for (const OutboxRow& r : rows) {
      first = std::min(first, r.delivered_at);
      last = std::max(last, r.delivered_at);
    }
    throughput = args.count / send_s;
    std::printf(
        "throughput: %lld envelopes delivered in %.3f s = %.0f envelopes/s "
        "(%zu batches; first acknowledgement %lld ms after start)\n",
        static_cast<long long>(args.count), send_s, throughput, Batches(rows),
        static_cast<long long>(rows.empty() ? 0 : first - start_ms));
    print_cpu("throughput", args.count);
    PrintSenderWrites("throughput", sender_db);
  }

  // ---- 2. latency at a fixed offered load
  // -------------------------------------
  const int64_t total =
      static_cast<int64_t>(static_cast<double>(args.rate) * args.duration_s);
  if (total == 0) {
    std::printf("RESULT throughput=%.0f\n", throughput);
    return 0;
  }
  std::unordered_map<std::string, int64_t>
      scheduled_ms;  // record id -> scheduled time
  scheduled_ms.reserve(static_cast<size_t>(total));
  if (args.paris_pid > 0) {
    const absl::Duration settle = WaitIdle(args.paris_pid, deadline);
    std::printf(
        "latency: the receiving node was idle %.1f s after the last "
        "acknowledgement "
        "(applying what it received: its screening index)\n",
        absl::ToDoubleSeconds(settle));
    if (args.count > 0) print_cpu("until idle", args.count);
  } else {
    absl::SleepFor(absl::Milliseconds(200));
  }
  const absl::Time phase_start = absl::Now();
  const int64_t phase_start_ms = ToUnixMillis(phase_start);
  int64_t published = 0, transactions = 0, max_group = 0;
  // Per publishing transaction: the wait for the store's write lock (the
  // sender's claim and mark transactions hold it too), then the transaction
  // itself up to its durable commit.
  std::vector<double> lock_wait_ms, commit_ms;
  while (published < total) {
    const absl::Time now = absl::Now();
    const int64_t due = std::min<int64_t>(
        total, static_cast<int64_t>(absl::ToDoubleSeconds(now - phase_start) *
                                    static_cast<double>(args.rate)) +
                   1);
    if (due <= published ||
        (due - published < args.per_transaction && due < total)) {
      const absl::Time next =
          phase_start +
          absl::Seconds(
              static_cast<double>(published + args.per_transaction - 1) /
              static_cast<double>(args.rate));
      absl::SleepFor(std::max(absl::ZeroDuration(), next - absl::Now()));
      continue;
    }
    const int64_t group = due - published;
    const absl::Time begin = absl::Now();
    absl::Time locked;
    absl::Status s =
        db.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
          const absl::Time at = clock.Now();
          locked = at;
          for (int64_t i = 0; i < group; ++i) {
            JISR_ASSIGN_OR_RETURN(std::string id,
                                  PublishOne(tx, next_alert + i, at));
            const int64_t k = published + i;
            scheduled_ms[fmt::format("alert:{}", id)] =
                phase_start_ms + (k * 1000) / args.rate;
          }
          return absl::OkStatus();
        });
    if (!s.ok()) Die("publishing", s);
    lock_wait_ms.push_back(absl::ToDoubleMilliseconds(locked - begin));
    commit_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - locked));
    next_alert += group;
    published += group;
    ++transactions;
    max_group = std::max(max_group, group);
  }
  const double publish_s = absl::ToDoubleSeconds(absl::Now() - phase_start);
  if (!WaitDelivered(db, deadline, absl::Milliseconds(20))) {
    Die("latency", absl::DeadlineExceededError(
                       "the envelopes were not all delivered in time"));
  }
  print_cpu("latency", total);
  PrintSenderWrites("latency", sender_db);
  sender.Stop();

  std::vector<OutboxRow> rows = ReadOutbox(db, phase_start_ms);
  const std::unordered_map<std::string, int64_t> inbox =
      ReadInbox(args.paris_db, phase_start_ms);
  std::vector<double> latency, from_schedule, acknowledged;
  size_t missing = 0;
  for (const OutboxRow& r : rows) {
    auto it = inbox.find(r.id);
    auto sched = scheduled_ms.find(r.record_id);
    if (it == inbox.end() || sched == scheduled_ms.end()) {
      ++missing;
      continue;
    }
    latency.push_back(static_cast<double>(it->second - r.created_at));
    from_schedule.push_back(static_cast<double>(it->second - sched->second));
    acknowledged.push_back(static_cast<double>(r.delivered_at - r.created_at));
  }
  std::sort(latency.begin(), latency.end());
  std::sort(from_schedule.begin(), from_schedule.end());
  std::sort(acknowledged.begin(), acknowledged.end());
  if (missing > 0 || static_cast<int64_t>(latency.size()) != total) {
    std::fprintf(
        stderr,
        "bench-federation: %zu of %lld envelopes not found at the receiver\n",
        missing, static_cast<long long>(total));
    return 1;
  }
  std::printf(
      "latency: offered %lld/s for %.1f s: %lld envelopes in %lld transactions "
      "(at most %lld together), published at %.0f/s, %zu batches\n",
      static_cast<long long>(args.rate), args.duration_s,
      static_cast<long long>(total), static_cast<long long>(transactions),
      static_cast<long long>(max_group), static_cast<double>(total) / publish_s,
      Batches(rows));
  std::sort(lock_wait_ms.begin(), lock_wait_ms.end());
  std::sort(commit_ms.begin(), commit_ms.end());
  std::printf(
      "latency: publishing transactions: write-lock wait p50=%.2f ms p99=%.2f "
      "ms "
      "max=%.0f ms; transaction with commit p50=%.2f ms p99=%.2f ms max=%.0f "
      "ms\n",
      Quantile(lock_wait_ms, 0.5), Quantile(lock_wait_ms, 0.99),
      lock_wait_ms.back(), Quantile(commit_ms, 0.5), Quantile(commit_ms, 0.99),
      commit_ms.back());
  std::printf(
      "latency: publication -> received (inbox)    p50=%.0f ms p99=%.0f ms "
      "max=%.0f ms\n",
      Quantile(latency, 0.5), Quantile(latency, 0.99), latency.back());
  std::printf(
      "latency: schedule -> received (inbox)       p50=%.0f ms p99=%.0f ms "
      "max=%.0f ms\n",
      Quantile(from_schedule, 0.5), Quantile(from_schedule, 0.99),
      from_schedule.back());
  std::printf(
      "latency: publication -> acknowledged        p50=%.0f ms p99=%.0f ms "
      "max=%.0f ms\n",
      Quantile(acknowledged, 0.5), Quantile(acknowledged, 0.99),
      acknowledged.back());
  std::printf(
      "RESULT throughput=%.0f p50_ms=%.0f p99_ms=%.0f max_ms=%.0f "
      "sched_p99_ms=%.0f "
      "ack_p99_ms=%.0f\n",
      throughput, Quantile(latency, 0.5), Quantile(latency, 0.99),
      latency.back(), Quantile(from_schedule, 0.99),
      Quantile(acknowledged, 0.99));
  std::fflush(stdout);
  return 0;
}

}  // namespace
}  // namespace jisr::bench

int main(int argc, char** argv) { return jisr::bench::Main(argc, argv); }
