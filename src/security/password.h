// Passwords: the rules a new password must meet, argon2id hashing and
// verification (libsodium crypto_pwhash_str*), and a generator of random
// passwords (for the first admin account and resets done by an operator).
//
// Thread-safety: stateless functions; safe from any thread. Hashing is slow by
// design (tens of ms and PasswordOptions::mem_limit bytes of memory per call):
// never hash inside a database transaction.
#ifndef JISR_SECURITY_PASSWORD_H_
#define JISR_SECURITY_PASSWORD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace jisr::security {

// argon2id cost parameters.
struct PasswordOptions {
  // Passes over memory. Default 2 (crypto_pwhash_OPSLIMIT_INTERACTIVE).
  uint64_t ops_limit = 2;
  // Memory in bytes. Default 64 MiB (crypto_pwhash_MEMLIMIT_INTERACTIVE).
  size_t mem_limit = size_t{64} << 20;

  // libsodium's INTERACTIVE limits (the defaults above).
  static PasswordOptions Interactive();
  // libsodium's MODERATE limits (3 passes, 256 MiB).
  static PasswordOptions Moderate();
  // The smallest limits libsodium accepts (1 pass, 8 KiB): tests only.
  static PasswordOptions Minimum();
};

inline constexpr size_t kMinPasswordChars = 12;   // Unicode code points
inline constexpr size_t kMaxPasswordBytes = 256;  // UTF-8 bytes

// Returns OK when `password` is valid UTF-8 without NUL, at least 12 code
// points and at most 256 bytes long; otherwise InvalidField("password", why).
absl::Status ValidatePassword(std::string_view password);

// Returns the argon2id hash string ("$argon2id$v=19$m=...") of `password`.
// Errors: InvalidField("password", ...) when ValidatePassword fails;
// InvalidArgument when the options are outside libsodium's limits; Internal
// when hashing fails (out of memory).
absl::StatusOr<std::string> HashPassword(std::string_view password,
                                         const PasswordOptions& options);

// Returns true when `password` matches `hash` (a string from HashPassword);
// false for a wrong password or a malformed hash.
bool VerifyPassword(std::string_view password, std::string_view hash);

// Returns true when `hash` was made with other limits than `options` (or is not
// an argon2id hash), so it should be recomputed at the next successful login.
bool PasswordNeedsRehash(std::string_view hash, const PasswordOptions& options);

// Returns a random password of `length` characters (at least 16) drawn
// uniformly from letters and digits without look-alikes (no 0/O, 1/l/I).
std::string GeneratePassword(size_t length = 20);

}  // namespace jisr::security

#endif  // JISR_SECURITY_PASSWORD_H_
