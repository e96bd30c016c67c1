// The exchange tables (migration 0008_exchange.sql) and the full-text index:
// every function works in the caller's transaction; no permission checks
// here (the service makes them). Who may see a thread is one SQL predicate
// (VisibleThreadSql) used by every listing and by the search, so a listing
// can never show what the thread view would refuse.
//
// The only SQL that differs between the stores is the full-text search,
// in EnsureSearchIndex, IndexMessage and SearchMessages:
//   SQLite:      an FTS5 table exchange_search(message_id UNINDEXED, content)
//                queried with "exchange_search MATCH '"t1" "t2"'";
//   PostgreSQL:  a GIN index on to_tsvector('simple', search_text) queried
//                with "@@ plainto_tsquery('simple', 't1 t2')".
// Both index exchange::SearchText (folded) and require every term.
//
// Thread-safety: stateless functions over the transaction they are given.
#ifndef JISR_EXCHANGE_EXCHANGE_REPOSITORY_H_
#define JISR_EXCHANGE_EXCHANGE_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "db/database.h"
#include "exchange/message.h"

namespace jisr::exchange {

// ---- full-text index
// -----------------------------------------------------------

// Creates the store's full-text index when missing (see above) and, on
// SQLite, rebuilds the FTS table when it does not hold one row per message
// (a store copied from PostgreSQL, say). Idempotent; call at start-up.
// Errors: the store's (Internal "no such module: fts5" when SQLite lacks
// FTS5).
absl::Status EnsureSearchIndex(db::Database& db);

// ---- who sees what
// -------------------------------------------------------------

// The local user a query is made for: supervisors see every thread
// (`all`); others the threads they sent in, the threads addressed to one of
// their units, and the threads partners addressed to this agency.
struct Viewer {
  std::string user_id;
  bool all = false;
};

// An SQL condition on a thread aliased `t`, true when `viewer` may see it;
// appends its parameters to `params` (numbered from params->size() + 1).
std::string VisibleThreadSql(const Viewer& viewer,
                             std::vector<db::Value>* params);

absl::StatusOr<bool> CanSeeThread(db::Transaction& tx, const Viewer& viewer,
                                  std::string_view thread_id);

// Thread access rows: kind "user" (a users.id), "unit" (a unit code) or
// "agency" (value "": every local reader). Idempotent.
absl::Status GrantAccess(db::Transaction& tx, std::string_view thread_id,
                         std::string_view kind, std::string_view value);

// ---- threads
// -------------------------------------------------------------------

// Errors: AlreadyExists when the id exists; the store's.
absl::Status InsertThread(db::Transaction& tx, const Thread& thread);
absl::StatusOr<std::optional<Thread>> GetThread(db::Transaction& tx,
                                                std::string_view id);
// One more message at `at` (last_message_at never goes back).
absl::Status NoteMessage(db::Transaction& tx, std::string_view thread_id,
                         absl::Time at);
// Adds agencies taking part in a thread (idempotent).
absl::Status AddThreadAgencies(db::Transaction& tx, std::string_view thread_id,
                               std::span<const std::string> agencies);
// The agencies taking part in a thread, sorted.
absl::StatusOr<std::vector<std::string>> ThreadAgencies(
    db::Transaction& tx, std::string_view thread_id);

// ---- messages
// ------------------------------------------------------------------

// Inserts the message, its attachment references and its search entry
// (SearchText of `subject`, the text and the file names).
// Errors: AlreadyExists when the id exists; the store's.
absl::Status InsertMessage(db::Transaction& tx, db::Dialect dialect,
                           const Message& message, std::string_view subject);
absl::StatusOr<std::optional<Message>> GetMessage(db::Transaction& tx,
                                                  std::string_view id);
// The thread's messages, oldest first.
absl::StatusOr<std::vector<Message>> ThreadMessages(db::Transaction& tx,
                                                    std::string_view thread_id);

// ---- deliveries and reads
// ------------------------------------------------------

absl::Status InsertDelivery(db::Transaction& tx, std::string_view message_id,
                            const Delivery& delivery);
// Overwrites the row of (message_id, delivery.type, delivery.code).
// Errors: NotFound when there is none.
absl::Status UpdateDelivery(db::Transaction& tx, std::string_view message_id,
                            const Delivery& delivery);
// The message's delivery rows, agencies first, by code.
absl::StatusOr<std::vector<Delivery>> Deliveries(db::Transaction& tx,
                                                 std::string_view message_id);

// Records that `user_id` read the message; returns true when it is the
// user's first read.
absl::StatusOr<bool> RecordRead(db::Transaction& tx,
                                std::string_view message_id,
                                std::string_view user_id, absl::Time at);
// True when `user_id` has read the message.
absl::StatusOr<bool> HasRead(db::Transaction& tx, std::string_view message_id,
                             std::string_view user_id);
// The ids of the thread's messages `user_id` has read.
absl::StatusOr<std::set<std::string>> ReadInThread(db::Transaction& tx,
                                                   std::string_view thread_id,
                                                   std::string_view user_id);

// ---- listings
// ------------------------------------------------------------------

inline constexpr int64_t kMaxPageSize = 100;

struct ThreadFilter {
  std::optional<LinkType> link_type;
  std::optional<std::string> link_id;
  std::optional<std::string> agency;  // taking part in the thread
  std::optional<HandlingCode>
      handling_code;         // some message of the thread has it
  bool unread_only = false;  // threads with a message the viewer has not read
  int64_t page = 1;
  int64_t page_size = 20;
};

struct ThreadSummary {
  Thread thread;
  std::vector<std::string> agencies;
  std::vector<HandlingCode> handling_codes;  // distinct, sorted
  int64_t unread = 0;  // messages the viewer has not read (nor sent)
};

struct ThreadPage {
  std::vector<ThreadSummary> threads;  // most recent activity first
  int64_t page = 1;
  int64_t page_size = 20;
  int64_t total = 0;
};

absl::StatusOr<ThreadPage> ListThreads(db::Transaction& tx,
                                       const Viewer& viewer,
                                       const ThreadFilter& filter);

struct SearchHit {
  Message message;
  std::string subject;  // the thread's
};

struct SearchPage {
  std::vector<SearchHit> hits;  // newest first
  int64_t page = 1;
  int64_t page_size = 20;
  int64_t total = 0;
};

// The messages in threads `viewer` may see that hold every term of `terms`
// (SearchTerms: folded, non-empty).
absl::StatusOr<SearchPage> SearchMessages(db::Transaction& tx,
                                          db::Dialect dialect,
                                          const Viewer& viewer,
                                          std::span<const std::string> terms,
                                          int64_t page, int64_t page_size);

// ---- units
// ---------------------------------------------------------------------

struct Unit {
  std::string code;
  std::string name;
  std::vector<std::string> members;  // users.id, sorted
  std::string updated_by;
  absl::Time updated_at;
  bool operator==(const Unit&) const = default;
};

absl::StatusOr<std::vector<Unit>> ListUnits(db::Transaction& tx);
absl::StatusOr<std::optional<Unit>> GetUnit(db::Transaction& tx,
                                            std::string_view code);
// Creates or replaces the unit (name and members).
absl::Status PutUnit(db::Transaction& tx, const Unit& unit);
// The units `user_id` belongs to, sorted.
absl::StatusOr<std::vector<std::string>> UserUnits(db::Transaction& tx,
                                                   std::string_view user_id);

// ---- attachments
// ---------------------------------------------------------------

// The size of attachment `hash` when its bytes are stored here.
absl::StatusOr<std::optional<int64_t>> StoredAttachmentSize(
    db::Transaction& tx, std::string_view hash);
// Records bytes stored here (idempotent).
absl::Status RecordAttachment(db::Transaction& tx, std::string_view hash,
                              int64_t size, absl::Time at);
// Records that `user_id` uploaded `hash` (idempotent).
absl::Status RecordUpload(db::Transaction& tx, std::string_view hash,
                          std::string_view user_id, absl::Time at);
absl::StatusOr<bool> HasUploaded(db::Transaction& tx, std::string_view hash,
                                 std::string_view user_id);
// The messages naming `hash` in threads `viewer` may see.
absl::StatusOr<std::vector<Message>> VisibleMessagesWithAttachment(
    db::Transaction& tx, const Viewer& viewer, std::string_view hash);
// True when the bytes of `hash` were queued for `agency` before; records it
// when not (so they are sent once).
absl::StatusOr<bool> TransferOnce(db::Transaction& tx, std::string_view hash,
                                  std::string_view agency, absl::Time at);

struct Chunk {
  int64_t index = 0;
  int64_t count = 0;
  int64_t total_size = 0;
  int64_t offset = 0;
  std::string data;
};
// Keeps a chunk of a partner's attachment (idempotent).
absl::Status InsertChunk(db::Transaction& tx, std::string_view hash,
                         std::string_view sender, const Chunk& chunk,
                         absl::Time at);
// How many chunks of (hash, sender) are kept.
absl::StatusOr<int64_t> ChunkCount(db::Transaction& tx, std::string_view hash,
                                   std::string_view sender);
// The chunks of (hash, sender), by index.
absl::StatusOr<std::vector<Chunk>> ReadChunks(db::Transaction& tx,
                                              std::string_view hash,
                                              std::string_view sender);
absl::Status DeleteChunks(db::Transaction& tx, std::string_view hash,
                          std::string_view sender);
// Deletes the chunks of transfers whose last chunk arrived before `before`
// (transfers that never completed, or failed their hash check).
absl::StatusOr<int64_t> PurgeStaleChunks(db::Transaction& tx,
                                         absl::Time before);

}  // namespace jisr::exchange

#endif  // JISR_EXCHANGE_EXCHANGE_REPOSITORY_H_
