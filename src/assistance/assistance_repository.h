// The SQL of assistance/ (tables assistance_requests and assistance_history,
// migration 0007_assistance.sql). Every function works in the caller's
// transaction; no permission checks here.
//
// Thread-safety: stateless functions over the transaction they are given.
#ifndef JISR_ASSISTANCE_ASSISTANCE_REPOSITORY_H_
#define JISR_ASSISTANCE_ASSISTANCE_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "assistance/assistance.h"
#include "db/database.h"

namespace jisr::assistance {

// Inserts request `r` (not its history). Errors: AlreadyExists for a known
// id; the store's error.
absl::Status InsertRequest(db::Transaction& tx, const AssistanceRequest& r);

// Writes every member of `r` over the stored request, provided it is still
// at `expected_version`. Errors: FailedPrecondition when it is not (changed
// meanwhile) or absent; the store's error.
absl::Status UpdateRequest(db::Transaction& tx, const AssistanceRequest& r,
                           int64_t expected_version);

// The request `id` without its history, or nullopt.
absl::StatusOr<std::optional<AssistanceRequest>> GetRequest(
    db::Transaction& tx, std::string_view id);

// The history of request `id`, by version (then agency).
absl::StatusOr<std::vector<HistoryEntry>> LoadHistory(db::Transaction& tx,
                                                      std::string_view id);

// Appends `entry` to request `id`'s history. Errors: AlreadyExists when that
// (version, agency) is recorded; the store's error.
absl::Status AppendHistory(db::Transaction& tx, std::string_view id,
                           const HistoryEntry& entry);

enum class Direction : uint8_t { kOutgoing, kIncoming };
// "outgoing", "incoming".
std::string_view DirectionName(Direction d);
std::optional<Direction> DirectionFromName(std::string_view name);

enum class SortOrder : uint8_t { kNewest, kDeadline };
// "newest" (submitted_at descending), "deadline" (deadline ascending, those
// without a deadline last, then oldest first).
std::string_view SortOrderName(SortOrder s);
std::optional<SortOrder> SortOrderFromName(std::string_view name);

inline constexpr int64_t kMaxPageSize = 200;

// Which requests List returns.
struct RequestQuery {
  std::optional<RequestState> state;
  std::optional<Direction> direction;  // as seen by this node
  // true: only requests whose deadline runs and has passed at `now`; false:
  // only the others.
  std::optional<bool> overdue;
  // true: only open requests (not answered, refused or closed); false: only
  // those.
  std::optional<bool> open;
  std::optional<std::string> partner;  // the other agency's code
  SortOrder sort = SortOrder::kNewest;
  int64_t page = 1;        // 1-based
  int64_t page_size = 50;  // 1..kMaxPageSize
};

// At a glance, for one node: open requests in each direction, those whose
// deadline has passed, and those past 75 % of it.
struct DueCounts {
  int64_t open_incoming = 0;
  int64_t open_outgoing = 0;
  int64_t overdue_incoming = 0;
  int64_t overdue_outgoing = 0;
  int64_t warning_incoming = 0;  // past 75 %, not yet overdue
  int64_t warning_outgoing = 0;
};

struct RequestPage {
  std::vector<AssistanceRequest> requests;  // without history
  int64_t total = 0;
  int64_t page = 1;
  int64_t page_size = 50;
  DueCounts counts;
};

// One page of requests matching `query` at node `agency` at time `now`, and
// the node's DueCounts.
absl::StatusOr<RequestPage> ListRequests(db::Transaction& tx,
                                         const RequestQuery& query,
                                         std::string_view agency,
                                         absl::Time now);

// The ids of requests whose deadline runs and that are due a reminder at
// `now` (warning_at passed and warned_at unset, or deadline passed and
// overdue_at unset), oldest deadline first, at most `limit`.
absl::StatusOr<std::vector<std::string>> DueForReminder(db::Transaction& tx,
                                                        absl::Time now,
                                                        int limit);

// Every request (either direction) submitted in [from, to), without
// history, oldest first.
absl::StatusOr<std::vector<AssistanceRequest>> RequestsSubmittedBetween(
    db::Transaction& tx, absl::Time from, absl::Time to);

}  // namespace jisr::assistance

#endif  // JISR_ASSISTANCE_ASSISTANCE_REPOSITORY_H_
