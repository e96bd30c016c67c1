// The errors every feature service gives about the records it keeps: a
// malformed id, a record owned by a partner (this node holds a read-only
// copy), and a change made on a stale version. One wording everywhere, so
// that the API and the web interface say the same thing for each module.
//
// Thread-safety: stateless functions.
#ifndef JISR_COMMON_RECORD_ERRORS_H_
#define JISR_COMMON_RECORD_ERRORS_H_

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
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

}  // namespace jisr

#endif  // JISR_COMMON_RECORD_ERRORS_H_
