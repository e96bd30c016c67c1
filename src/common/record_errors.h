// The errors every feature service gives about the records it keeps: a
// malformed id, a record owned by a partner (this node holds a read-only
// copy), a change made on a stale version, and a page out of range. One wording everywhere, so
// that the API and the web interface say the same thing for each module.
//
// Thread-safety: stateless functions.
#ifndef JISR_COMMON_RECORD_ERRORS_H_
#define JISR_COMMON_RECORD_ERRORS_H_

#include <fmt/format.h>

#include <cstdint>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/ids.h"
#include "common/status.h"

namespace jisr {

// OK for a lower-case UUID; InvalidField(`field`) otherwise.
inline absl::Status CheckUuid(std::string_view id, std::string_view field = "id") {
  if (!IsUuid(id)) return InvalidField(field, fmt::format("{} must be a lower-case UUID", field));
  return absl::OkStatus();
}

// FailedPrecondition: `what` `id` belongs to `owner`, who alone edits it.
inline absl::Status NotOwnedHere(std::string_view what, std::string_view id,
                                 std::string_view owner) {
  return absl::FailedPreconditionError(fmt::format(
      "{} {} is owned by {}: only {} edits it (this node holds a read-only copy)", what, id,
      owner, owner));
}

// FailedPrecondition: the caller saw version `seen` of `what`, now at `now`.
inline absl::Status StaleVersion(std::string_view what, int64_t seen, int64_t now) {
  return absl::FailedPreconditionError(fmt::format(
      "{} changed: you saw version {}, it is at version {} (reload and retry)", what, seen, now));
}

// {offset, limit} of page `page` (from 1) of `size` records, size in
// 1..max_size. Errors: InvalidField "page" or "page_size".
inline absl::StatusOr<std::pair<int64_t, int64_t>> PageWindow(int64_t page, int64_t size,
                                                              int64_t max_size) {
  if (page < 1) return InvalidField("page", "page must be >= 1");
  if (size < 1 || size > max_size) {
    return InvalidField("page_size", fmt::format("page_size must be 1 to {}", max_size));
  }
  return std::make_pair((page - 1) * size, size);
}

}  // namespace jisr

#endif  // JISR_COMMON_RECORD_ERRORS_H_
