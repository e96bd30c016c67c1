#include "security/password.h"

#include <fmt/format.h>
#include <sodium.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>

#include "common/status.h"

namespace jisr::security {
namespace {

static_assert(crypto_pwhash_OPSLIMIT_INTERACTIVE == 2);
static_assert(crypto_pwhash_MEMLIMIT_INTERACTIVE == size_t{64} << 20);

bool EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

constexpr std::string_view kAlphabet =
    "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

}  // namespace

PasswordOptions PasswordOptions::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE,
          crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PasswordOptions PasswordOptions::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
PasswordOptions PasswordOptions::Minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

absl::Status ValidatePassword(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return InvalidField("password",
                        fmt::format("the password must be at most {} bytes",
                                    kMaxPasswordBytes));
  }
  const auto* p = reinterpret_cast<const uint8_t*>(password.data());
  const int32_t length = static_cast<int32_t>(password.size());
  int32_t i = 0;
  size_t chars = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(p, i, length, c);
    if (c < 0)
      return InvalidField("password", "the password is not valid UTF-8");
    if (c == 0)
      return InvalidField("password",
                          "the password must not contain a NUL character");
    ++chars;
  }
  if (chars < kMinPasswordChars) {
    return InvalidField(
        "password", fmt::format("the password must be at least {} characters",
                                kMinPasswordChars));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashPassword(std::string_view password,
                                         const PasswordOptions& options) {
  JISR_RETURN_IF_ERROR(ValidatePassword(password));
  if (options.ops_limit < crypto_pwhash_OPSLIMIT_MIN ||
      options.ops_limit > crypto_pwhash_OPSLIMIT_MAX ||
      options.mem_limit < crypto_pwhash_MEMLIMIT_MIN ||
      options.mem_limit > crypto_pwhash_MEMLIMIT_MAX) {
    return absl::InvalidArgumentError(
        fmt::format("password hashing limits out of range (ops {}, mem {})",
                    options.ops_limit, options.mem_limit));
  }
  if (!EnsureSodium())
    return absl::InternalError("libsodium failed to initialise");
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            options.ops_limit, options.mem_limit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::InternalError("password hashing failed (out of memory?)");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view password, std::string_view hash) {
  if (!EnsureSodium()) return false;
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (hash.find('\0') != std::string_view::npos) return false;
  const std::string terminated(hash);  // libsodium reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(),
                                  password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view hash,
                         const PasswordOptions& options) {
  if (!EnsureSodium()) return true;
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string terminated(hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), options.ops_limit,
                                        options.mem_limit) != 0;
}

std::string GeneratePassword(size_t length) {
  length = std::max<size_t>(length, 16);
  EnsureSodium();
  std::string out;
  out.reserve(length);
  for (size_t i = 0; i < length; ++i) {
    out.push_back(kAlphabet[randombytes_uniform(
        static_cast<uint32_t>(kAlphabet.size()))]);
  }
  return out;
}

}  // namespace jisr::security
