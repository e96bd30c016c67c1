#include "audit/audit_log.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <boost/json/value.hpp>
#include <cstring>
#include <ostream>
#include <utility>

#include "common/json.h"
#include "common/status.h"
#include "common/utf8.h"

namespace jisr::audit {
namespace {

constexpr std::string_view kZeroHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
constexpr std::string_view kHashDomain = "jisr.audit.v1";
constexpr size_t kHashBytes = crypto_generichash_BYTES;  // 32
static_assert(kHashBytes == 32);

constexpr std::string_view kColumns =
    "seq, occurred_at, actor, action, object, purpose, outcome, details, "
    "prev_hash, hash";

absl::Status CheckText(std::string_view field, std::string_view value,
                       size_t max_bytes, bool required) {
  if (required && value.empty())
    return InvalidField(field, fmt::format("{} must not be empty", field));
  if (value.size() > max_bytes) {
    return InvalidField(
        field, fmt::format("{} is longer than {} bytes", field, max_bytes));
  }
  if (!IsCleanUtf8(value, Utf8Rule::kNoNul)) {
    return InvalidField(
        field, fmt::format("{} is not valid UTF-8 or holds a NUL byte", field));
  }
  return absl::OkStatus();
}

void HashField(crypto_generichash_state& state, std::string_view bytes) {
  std::array<unsigned char, 8> length{};
  const uint64_t n = bytes.size();
  for (int i = 0; i < 8; ++i)
    length[i] = static_cast<unsigned char>(n >> (56 - 8 * i));
  crypto_generichash_update(&state, length.data(), length.size());
  crypto_generichash_update(
      &state, reinterpret_cast<const unsigned char*>(bytes.data()),
      bytes.size());
}

// The chain hash over raw field texts (shared by Append, Verify and the public
// ComputeEntryHash). Returns "" when prev_hash_hex is not 64 hex digits.
std::string ChainHash(std::string_view prev_hash_hex, int64_t seq,
                      int64_t at_ms, std::string_view actor,
                      std::string_view action, std::string_view object,
                      std::string_view purpose, std::string_view outcome,
                      std::string_view details) {
  if (sodium_init() < 0) return "";
  std::array<unsigned char, kHashBytes> prev{};
  size_t prev_len = 0;
  const char* end = nullptr;
  if (prev_hash_hex.size() != 2 * kHashBytes ||
      sodium_hex2bin(prev.data(), prev.size(), prev_hash_hex.data(),
                     prev_hash_hex.size(), nullptr, &prev_len, &end) != 0 ||
      prev_len != kHashBytes ||
      end != prev_hash_hex.data() + prev_hash_hex.size()) {
    return "";
  }
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kHashBytes);
  crypto_generichash_update(&state, prev.data(), prev.size());
  HashField(state, kHashDomain);
  HashField(state, fmt::format("{}", seq));
  HashField(state, fmt::format("{}", at_ms));
  HashField(state, actor);
  HashField(state, action);
  HashField(state, object);
  HashField(state, purpose);
  HashField(state, outcome);
  HashField(state, details);
  std::array<unsigned char, kHashBytes> out{};
  crypto_generichash_final(&state, out.data(), out.size());
  std::array<char, 2 * kHashBytes + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  return std::string(hex.data(), 2 * kHashBytes);
}

// Reads a row selected with kColumns into an entry.
absl::StatusOr<AuditEntry> EntryFromRow(const db::Row& row) {
  AuditEntry e;
  e.seq = row.GetInt(0);
  e.at = FromUnixMillis(row.GetInt(1));
  e.actor = row.GetText(2);
  e.action = row.GetText(3);
  e.object = row.GetText(4);
  e.purpose = row.GetText(5);
  const std::string outcome = row.GetText(6);
  std::optional<AuditOutcome> parsed = OutcomeFromName(outcome);
  if (!parsed.has_value()) {
    return absl::DataLossError(fmt::format(
        "audit entry {} has an unknown outcome \"{}\"", e.seq, outcome));
  }
  e.outcome = *parsed;
  e.details = row.GetText(7);
  e.prev_hash = row.GetText(8);
  e.hash = row.GetText(9);
  return e;
}

std::optional<boost::json::value> ParseDetails(std::string_view details) {
  absl::StatusOr<boost::json::value> v = ParseJson(details);
  if (!v.ok() || !v->is_object()) return std::nullopt;
  return std::move(*v);
}

}  // namespace

std::string_view OutcomeName(AuditOutcome outcome) {
  switch (outcome) {
    case AuditOutcome::kSuccess:
      return "success";
    case AuditOutcome::kDenied:
      return "denied";
    case AuditOutcome::kFailure:
      return "failure";
  }
  return "failure";
}

std::optional<AuditOutcome> OutcomeFromName(std::string_view name) {
  if (name == "success") return AuditOutcome::kSuccess;
  if (name == "denied") return AuditOutcome::kDenied;
  if (name == "failure") return AuditOutcome::kFailure;
  return std::nullopt;
}

std::string_view ProblemName(AuditProblem problem) {
  switch (problem) {
    case AuditProblem::kNone:
      return "ok";
    case AuditProblem::kHashMismatch:
      return "hash_mismatch";
    case AuditProblem::kPrevHashMismatch:
      return "prev_hash_mismatch";
    case AuditProblem::kGap:
      return "gap";
    case AuditProblem::kTruncated:
      return "truncated";
    case AuditProblem::kHeadMismatch:
      return "head_mismatch";
    case AuditProblem::kBeyondHead:
      return "beyond_head";
    case AuditProblem::kHeadMissing:
      return "head_missing";
  }
  return "unknown";
}

std::string ComputeEntryHash(std::string_view prev_hash_hex,
                             const AuditEntry& entry) {
  return ChainHash(prev_hash_hex, entry.seq, ToUnixMillis(entry.at),
                   entry.actor, entry.action, entry.object, entry.purpose,
                   OutcomeName(entry.outcome), entry.details);
}

boost::json::object AuditEntryToJson(const AuditEntry& entry) {
  boost::json::object o;
  o["seq"] = entry.seq;
  o["at"] = FormatRfc3339(entry.at);
  o["actor"] = entry.actor;
  o["action"] = entry.action;
  o["object"] = entry.object;
  o["purpose"] = entry.purpose;
  o["outcome"] = OutcomeName(entry.outcome);
  if (std::optional<boost::json::value> details = ParseDetails(entry.details)) {
    o["details"] = std::move(*details);
  } else {
    o["details"] = entry.details;
  }
  o["prev_hash"] = entry.prev_hash;
  o["hash"] = entry.hash;
  return o;
}

boost::json::object VerifyResultToJson(const VerifyResult& result) {
  boost::json::object o;
  o["ok"] = result.ok();
  o["problem"] = ProblemName(result.problem);
  if (result.first_broken_seq.has_value()) {
    o["first_broken_seq"] = *result.first_broken_seq;
  } else {
    o["first_broken_seq"] = nullptr;
  }
  o["reason"] = result.reason;
  o["entries_checked"] = result.entries_checked;
  o["head_seq"] = result.head_seq;
  o["head_hash"] = result.head_hash;
  return o;
}

absl::StatusOr<AuditEntry> AuditLog::Append(db::Transaction& tx,
                                            const AuditEntry& entry) const {
  JISR_RETURN_IF_ERROR(CheckText("actor", entry.actor, kMaxActorBytes, true));
  JISR_RETURN_IF_ERROR(
      CheckText("action", entry.action, kMaxActionBytes, true));
  JISR_RETURN_IF_ERROR(
      CheckText("object", entry.object, kMaxObjectBytes, false));
  JISR_RETURN_IF_ERROR(
      CheckText("purpose", entry.purpose, kMaxPurposeBytes, false));
  if (entry.details.size() > kMaxDetailsBytes) {
    return InvalidField(
        "details",
        fmt::format("details is longer than {} bytes", kMaxDetailsBytes));
  }
  absl::StatusOr<boost::json::value> details = ParseJson(entry.details);
  if (!details.ok()) {
    return InvalidField("details",
                        fmt::format("details is not valid JSON: {}",
                                    FromAbsl(details.status().message())));
  }
  if (!details->is_object())
    return InvalidField("details", "details must be a JSON object");

  AuditEntry stored = entry;
  stored.details = ToJson(*details);
  if (stored.details.size() > kMaxDetailsBytes) {
    return InvalidField(
        "details",
        fmt::format("details is longer than {} bytes", kMaxDetailsBytes));
  }
  const int64_t at_ms = ToUnixMillis(clock_.Now());
  stored.at = FromUnixMillis(at_ms);

  // Lock the head row first: concurrent appenders queue here.
  JISR_ASSIGN_OR_RETURN(std::optional<db::Row> head,
                        tx.QueryOptional("UPDATE audit_head SET seq = seq + 1 "
                                         "WHERE id = 1 RETURNING seq, hash"));
  if (!head.has_value()) {
    return absl::FailedPreconditionError(
        "the audit_head row is missing (were the migrations applied?)");
  }
  stored.seq = head->GetInt(0);
  stored.prev_hash = head->GetText(1);
  stored.hash = ComputeEntryHash(stored.prev_hash, stored);
  if (stored.hash.empty()) {
    return absl::DataLossError(fmt::format(
        "audit_head holds a malformed hash \"{}\"; run audit verify",
        stored.prev_hash));
  }
  JISR_RETURN_IF_ERROR(
      tx.Execute(fmt::format("INSERT INTO audit_log ({}) VALUES ($1, $2, $3, "
                             "$4, $5, $6, $7, "
                             "$8, $9, $10)",
                             kColumns),
                 {stored.seq, at_ms, stored.actor, stored.action, stored.object,
                  stored.purpose, std::string(OutcomeName(stored.outcome)),
                  stored.details, stored.prev_hash, stored.hash})
          .status());
  JISR_RETURN_IF_ERROR(
      tx.Execute("UPDATE audit_head SET hash = $1 WHERE id = 1", {stored.hash})
          .status());
  return stored;
}

absl::StatusOr<AuditPage> AuditLog::List(db::Transaction& tx,
                                         const AuditFilter& filter) const {
  if (filter.limit < 1 || filter.limit > kMaxListLimit) {
    return InvalidField(
        "limit", fmt::format("limit must be between 1 and {}", kMaxListLimit));
  }
  if (filter.before_seq.has_value() && *filter.before_seq < 1) {
    return InvalidField("before_seq", "before_seq must be at least 1");
  }
  if (filter.from.has_value() && filter.to.has_value() &&
      *filter.from > *filter.to) {
    return InvalidField("from", "from must not be after to");
  }
  std::string sql =
      fmt::format("SELECT {} FROM audit_log WHERE 1 = 1", kColumns);
  std::vector<db::Value> params;
  auto add = [&](std::string_view condition, db::Value value) {
    params.push_back(std::move(value));
    sql += fmt::format(" AND {} ${}", condition, params.size());
  };
  if (filter.actor.has_value()) add("actor =", *filter.actor);
  if (filter.action.has_value()) add("action =", *filter.action);
  if (filter.object.has_value()) add("object =", *filter.object);
  if (filter.from.has_value())
    add("occurred_at >=", ToUnixMillis(*filter.from));
  if (filter.to.has_value()) add("occurred_at <", ToUnixMillis(*filter.to));
  if (filter.before_seq.has_value()) add("seq <", *filter.before_seq);
  params.push_back(int64_t{filter.limit} + 1);
  sql += fmt::format(" ORDER BY seq DESC LIMIT ${}", params.size());

  JISR_ASSIGN_OR_RETURN(std::vector<db::Row> rows,
                        tx.Query(sql, db::Params(params)));
  AuditPage page;
  for (const db::Row& row : rows) {
    if (page.entries.size() == static_cast<size_t>(filter.limit)) {
      page.next_before_seq = page.entries.back().seq;
      break;
    }
    JISR_ASSIGN_OR_RETURN(AuditEntry e, EntryFromRow(row));
    page.entries.push_back(std::move(e));
  }
  return page;
}

absl::StatusOr<AuditPage> AuditLog::List(db::Database& db,
                                         const AuditFilter& filter) const {
  AuditPage page;
  JISR_RETURN_IF_ERROR(
      db.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        JISR_ASSIGN_OR_RETURN(page, List(tx, filter));
        return absl::OkStatus();
      }));
  return page;
}

absl::StatusOr<VerifyResult> AuditLog::Verify(
    db::Database& db, const VerifyOptions& options) const {
  if (options.page_size < 1)
    return InvalidField("page_size", "page_size must be at least 1");
  VerifyResult result;
  absl::Status status =
      db.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        result = VerifyResult();
        auto fail = [&](AuditProblem problem, std::optional<int64_t> seq,
                        std::string reason) {
          result.problem = problem;
          result.first_broken_seq = seq;
          result.reason = std::move(reason);
          return absl::OkStatus();
        };
        JISR_ASSIGN_OR_RETURN(
            std::optional<db::Row> head,
            tx.QueryOptional("SELECT seq, hash FROM audit_head WHERE id = 1"));
        if (!head.has_value()) {
          return fail(AuditProblem::kHeadMissing, std::nullopt,
                      "the audit_head row is missing, so truncation cannot be "
                      "ruled out");
        }
        result.head_seq = head->GetInt(0);
        result.head_hash = head->GetText(1);

        int64_t expected = 1;
        std::string prev(kZeroHash);
        const std::string page_sql = fmt::format(
            "SELECT {} FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY "
            "seq LIMIT $3",
            kColumns);
        while (expected <= result.head_seq) {
          JISR_ASSIGN_OR_RETURN(
              std::vector<db::Row> rows,
              tx.Query(page_sql, {expected, result.head_seq,
                                  int64_t{options.page_size}}));
          if (rows.empty()) {
            return fail(
                AuditProblem::kTruncated, expected,
                fmt::format(
                    "the head says the log has {} entries but it ends after "
                    "entry {}: entries {} to {} are missing",
                    result.head_seq, expected - 1, expected, result.head_seq));
          }
          for (const db::Row& row : rows) {
            const int64_t seq = row.GetInt(0);
            if (seq != expected) {
              return fail(
                  AuditProblem::kGap, expected,
                  fmt::format(
                      "entry {} is missing (the next stored entry is {})",
                      expected, seq));
            }
            const std::string prev_hash = row.GetText(8);
            const std::string hash = row.GetText(9);
            if (prev_hash != prev) {
              return fail(AuditProblem::kPrevHashMismatch, seq,
                          fmt::format("entry {} does not link to entry {}: its "
                                      "prev_hash is not "
                                      "the previous entry's hash",
                                      seq, seq - 1));
            }
            const std::string computed = ChainHash(
                prev, seq, row.GetInt(1), row.GetText(2), row.GetText(3),
                row.GetText(4), row.GetText(5), row.GetText(6), row.GetText(7));
            if (computed != hash) {
              return fail(AuditProblem::kHashMismatch, seq,
                          fmt::format("entry {} was altered: its content does "
                                      "not match its hash",
                                      seq));
            }
            prev = hash;
            ++expected;
            ++result.entries_checked;
          }
        }
        if (prev != result.head_hash) {
          return fail(
              AuditProblem::kHeadMismatch,
              result.head_seq > 0 ? std::optional<int64_t>(result.head_seq)
                                  : std::nullopt,
              fmt::format("the head's hash does not match entry {}'s hash",
                          result.head_seq));
        }
        // Entries after the head: either appended concurrently (then the head
        // has moved past them by now) or left behind by a rewound head.
        JISR_ASSIGN_OR_RETURN(
            std::optional<db::Row> beyond,
            tx.QueryOptional("SELECT MIN(seq) FROM audit_log WHERE seq > $1",
                             {result.head_seq}));
        if (beyond.has_value() && !beyond->IsNull(0)) {
          const int64_t first_beyond = beyond->GetInt(0);
          JISR_ASSIGN_OR_RETURN(
              std::optional<db::Row> head_now,
              tx.QueryOptional("SELECT seq FROM audit_head WHERE id = 1"));
          if (!head_now.has_value() || head_now->GetInt(0) < first_beyond) {
            return fail(
                AuditProblem::kBeyondHead, first_beyond,
                fmt::format(
                    "entry {} exists after the head (entry {}): the head was "
                    "rewound",
                    first_beyond, result.head_seq));
          }
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<int64_t> AuditLog::ExportJsonLines(
    db::Database& db, std::ostream& out, const ExportOptions& options) const {
  if (options.page_size < 1)
    return InvalidField("page_size", "page_size must be at least 1");
  int64_t written = 0;
  absl::Status status =
      db.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
        written = 0;
        std::string sql =
            fmt::format("SELECT {} FROM audit_log WHERE seq > $1", kColumns);
        std::vector<db::Value> params = {int64_t{0}};
        if (options.from.has_value()) {
          params.push_back(ToUnixMillis(*options.from));
          sql += fmt::format(" AND occurred_at >= ${}", params.size());
        }
        if (options.to.has_value()) {
          params.push_back(ToUnixMillis(*options.to));
          sql += fmt::format(" AND occurred_at < ${}", params.size());
        }
        params.push_back(int64_t{options.page_size});
        sql += fmt::format(" ORDER BY seq LIMIT ${}", params.size());

        int64_t after = options.after_seq.value_or(0);
        while (true) {
          params[0] = after;
          JISR_ASSIGN_OR_RETURN(std::vector<db::Row> rows,
                                tx.Query(sql, db::Params(params)));
          for (const db::Row& row : rows) {
            JISR_ASSIGN_OR_RETURN(AuditEntry e, EntryFromRow(row));
            out << ToJson(AuditEntryToJson(e)) << '\n';
            if (!out.good())
              return absl::UnavailableError("writing the audit export failed");
            after = e.seq;
            ++written;
          }
          if (rows.size() < static_cast<size_t>(options.page_size)) break;
        }
        out.flush();
        if (!out.good())
          return absl::UnavailableError("writing the audit export failed");
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return written;
}

}  // namespace jisr::audit
