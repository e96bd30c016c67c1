// AuditLog: the node's append-only, tamper-evident audit log. Every access to
// personal data, every screening (with its stated purpose) and every change is
// recorded as one entry, written in the same database transaction as the work
// it records, so an entry exists exactly when the work was committed.
//
// Entries form a hash chain. Entry n stores prev_hash (entry n-1's hash; 32
// zero bytes for entry 1) and
//
//   hash = BLAKE2b-256(prev_hash || F("jisr.audit.v1") || F(seq) || F(at) ||
//                      F(actor) || F(action) || F(object) || F(purpose) ||
//                      F(outcome) || F(details))
//
// where prev_hash is the 32 raw bytes, F(x) = the byte length of x as an 8-byte
// unsigned big-endian integer followed by the bytes of x, seq and at are ASCII
// decimal (at = Unix milliseconds UTC, "-" for negatives), outcome is
// "success" | "denied" | "failure", and details is the canonical compact JSON
// text that is stored (Append re-serialises the caller's JSON object). Hashes
// are stored as 64 lower-case hex digits. Anyone holding an export (JSON Lines)
// can recompute the chain from it.
//
// A one-row table audit_head(id = 1, seq, hash) names the last entry. Append
// locks it first (UPDATE ... RETURNING), which serialises concurrent appenders
// on PostgreSQL; SQLite serialises writers anyway. Verify compares the chain
// with the head, so deleting the newest entries (truncation) is detected too.
// (A chain without a secret key can be rebuilt by someone with write access to
// the whole store; record head_hash from Verify elsewhere to anchor it.)
//
// Thread-safety: AuditLog holds only a clock reference and is safe to share
// between threads. Each call uses the transaction or database it is given.
#ifndef JISR_AUDIT_AUDIT_LOG_H_
#define JISR_AUDIT_AUDIT_LOG_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "db/database.h"

namespace jisr::audit {

enum class AuditOutcome { kSuccess, kDenied, kFailure };

// "success", "denied", "failure".
std::string_view OutcomeName(AuditOutcome outcome);
// The outcome named `name`, or nullopt for any other text.
std::optional<AuditOutcome> OutcomeFromName(std::string_view name);

// Limits Append enforces on the text fields (bytes).
inline constexpr size_t kMaxActorBytes = 256;
inline constexpr size_t kMaxActionBytes = 128;
inline constexpr size_t kMaxObjectBytes = 512;
inline constexpr size_t kMaxPurposeBytes = 2000;
inline constexpr size_t kMaxDetailsBytes = 64 * 1024;

// One audit entry. The caller of Append fills actor..details; Append assigns
// seq, at, prev_hash and hash (values given for them are ignored).
struct AuditEntry {
  int64_t seq = 0;      // 1, 2, 3, ... without gaps
  absl::Time at;        // when it was appended (millisecond precision)
  std::string actor;    // "user:<id>:<username>", "cli:<os-user>", "system"
  std::string action;   // dotted, e.g. "user.create", "session.login"
  std::string object;   // what was touched, e.g. "user/0192...", may be ""
  std::string purpose;  // the stated purpose, free text, may be ""
  AuditOutcome outcome = AuditOutcome::kSuccess;
  std::string details = "{}";  // a JSON object as text
  std::string prev_hash;       // 64 lower-case hex digits
  std::string hash;            // 64 lower-case hex digits
};

// Returns the entry as a JSON object for the API and exports: seq, at (RFC 3339
// UTC with milliseconds), actor, action, object, purpose, outcome, details (the
// parsed object; the raw text as a string if it does not parse), prev_hash,
// hash.
boost::json::object AuditEntryToJson(const AuditEntry& entry);

// Returns the hex BLAKE2b-256 chain hash of `entry` (its seq, at and text
// fields) following `prev_hash_hex` (see the encoding above). Returns an empty
// string when prev_hash_hex is not 64 hex digits.
std::string ComputeEntryHash(std::string_view prev_hash_hex,
                             const AuditEntry& entry);

// Which entries List returns, newest first.
struct AuditFilter {
  std::optional<std::string> actor;   // exact match; default any
  std::optional<std::string> action;  // exact match; default any
  std::optional<std::string> object;  // exact match; default any
  std::optional<absl::Time> from;     // at >= from; default unbounded
  std::optional<absl::Time> to;       // at < to; default unbounded
  // Page size, 1..500. Default 50.
  int limit = 50;
  // Paging cursor: only entries with seq < before_seq (the next_before_seq of
  // the previous page). Default: start from the newest entry.
  std::optional<int64_t> before_seq;
};

inline constexpr int kMaxListLimit = 500;

struct AuditPage {
  std::vector<AuditEntry> entries;         // newest first
  std::optional<int64_t> next_before_seq;  // set when more entries match
};

// What Verify found wrong first (kNone when the chain is intact).
enum class AuditProblem {
  kNone,
  kHashMismatch,      // an entry's stored hash is not the hash of its content
  kPrevHashMismatch,  // an entry's prev_hash is not its predecessor's hash
  kGap,               // an entry is missing before a later one (seq jumps)
  kTruncated,         // the head names more entries than exist
  kHeadMismatch,      // the head's hash is not the last entry's hash
  kBeyondHead,        // entries exist after the head (head rewound)
  kHeadMissing,       // the audit_head row is gone
};

// "ok", "hash_mismatch", "prev_hash_mismatch", "gap", "truncated",
// "head_mismatch", "beyond_head", "head_missing".
std::string_view ProblemName(AuditProblem problem);

struct VerifyResult {
  bool ok() const { return problem == AuditProblem::kNone; }
  AuditProblem problem = AuditProblem::kNone;
  // The first broken entry: the entry whose hash or prev_hash is wrong, the
  // first missing seq for kGap/kTruncated, the first entry after the head for
  // kBeyondHead, the head's seq for kHeadMismatch; nullopt when ok or when the
  // head is missing.
  std::optional<int64_t> first_broken_seq;
  std::string reason;           // one human sentence; "" when ok
  int64_t entries_checked = 0;  // entries whose hashes were recomputed
  int64_t head_seq = 0;         // what audit_head says (0 for an empty log)
  std::string head_hash;        // hex; 64 zeros for an empty log
};

// {ok, problem, first_broken_seq (or null), reason, entries_checked, head_seq,
// head_hash}.
boost::json::object VerifyResultToJson(const VerifyResult& result);

struct VerifyOptions {
  // Entries read per query while streaming the chain. Default 1000.
  int page_size = 1000;
};

struct ExportOptions {
  // Only entries with seq > after_seq. Default: from the first entry.
  std::optional<int64_t> after_seq;
  // Only entries with at >= from / at < to. Default unbounded.
  std::optional<absl::Time> from;
  std::optional<absl::Time> to;
  // Entries read per query. Default 1000.
  int page_size = 1000;
};

class AuditLog {
 public:
  // `clock` stamps entries; it must outlive the AuditLog.
  explicit AuditLog(const Clock& clock) : clock_(clock) {}
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends `entry` in `tx` (the caller's write transaction, so the entry
  // commits or rolls back with the work it records) and returns it as stored
  // (seq, at, prev_hash, hash filled in; details canonicalised).
  // Errors: InvalidArgument naming the field (via FieldOf: "actor", "action",
  // "object", "purpose", "details") when actor or action is empty, a field is
  // longer than its kMax*Bytes limit, not valid UTF-8 or holds a NUL byte, or
  // details is not a JSON object; FailedPrecondition when audit_head is
  // missing (migrations not applied); the store's error otherwise.
  absl::StatusOr<AuditEntry> Append(db::Transaction& tx,
                                    const AuditEntry& entry) const;

  // Returns one page of entries matching `filter`, newest first.
  // Errors: InvalidArgument naming "limit", "before_seq" or "from" for a limit
  // outside 1..500, a before_seq < 1, or from > to; DataLoss when a stored row
  // cannot be read back (e.g. an unknown outcome); the store's error otherwise.
  absl::StatusOr<AuditPage> List(db::Transaction& tx,
                                 const AuditFilter& filter) const;
  // Same, in its own read transaction.
  absl::StatusOr<AuditPage> List(db::Database& db,
                                 const AuditFilter& filter) const;

  // Recomputes the whole chain in one read transaction, streaming it in pages,
  // and compares it with the head. Returns the result (ok or the first broken
  // entry and why). Errors: InvalidArgument for page_size < 1; the store's
  // error.
  absl::StatusOr<VerifyResult> Verify(db::Database& db,
                                      const VerifyOptions& options = {}) const;

  // Writes the entries selected by `options` to `out` as JSON Lines (one
  // AuditEntryToJson object per line, oldest first), streaming in pages in one
  // read transaction, and returns how many were written.
  // Errors: InvalidArgument for page_size < 1; DataLoss for an unreadable row;
  // Unavailable when writing to `out` fails; the store's error otherwise.
  absl::StatusOr<int64_t> ExportJsonLines(
      db::Database& db, std::ostream& out,
      const ExportOptions& options = {}) const;

 private:
  const Clock& clock_;
};

}  // namespace jisr::audit

#endif  // JISR_AUDIT_AUDIT_LOG_H_
