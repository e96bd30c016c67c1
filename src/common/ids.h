// Identifiers: UUIDv7 (RFC 9562), time-ordered so that primary keys created
// later sort later, and random tokens.
//
// Thread-safety: all functions are safe from any thread.
#ifndef JISR_COMMON_IDS_H_
#define JISR_COMMON_IDS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace jisr {

// Returns a new UUIDv7 in canonical lower-case text form
// ("0192f1d4-5b6c-7xxx-yxxx-xxxxxxxxxxxx") for time `now`. Ids made by one
// process in the same millisecond increase in the order they were made (a
// 12-bit counter in rand_a, RFC 9562 method 1, started at a random value each
// millisecond), so that ordering by id keeps the order of creation (e.g. the
// federation outbox). Thread-safe.
std::string NewUuidV7(absl::Time now);

// Returns true when `text` is a canonical lower-case UUID (any version).
bool IsUuid(std::string_view text);

// Returns `n` cryptographically random bytes.
std::string RandomBytes(size_t n);

// Returns lower-case hex of `bytes`.
std::string ToHex(std::string_view bytes);

// Returns the unpadded base64url encoding of `bytes`.
std::string ToBase64Url(std::string_view bytes);

}  // namespace jisr

#endif  // JISR_COMMON_IDS_H_
