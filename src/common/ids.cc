#include "common/ids.h"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace jisr {
namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
}

}  // namespace

std::string RandomBytes(size_t n) {
  EnsureSodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

std::string ToBase64Url(std::string_view bytes) {
  EnsureSodium();
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(),
                    reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string NewUuidV7(absl::Time now) {
  std::array<unsigned char, 16> b{};
  const uint64_t ms = static_cast<uint64_t>(absl::ToUnixMillis(now));
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  const std::string rnd = RandomBytes(10);
  std::memcpy(b.data() + 6, rnd.data(), 10);
  // rand_a (12 bits): a counter within the millisecond, from a random start
  // below 2048 so that it rarely overflows; past 4095 ids in one millisecond
  // the rest are random (still unique, no longer ordered).
  uint32_t counter = 0;
  {
    static std::mutex mu;
    static uint64_t last_ms = 0;
    static uint32_t next = 0;
    std::lock_guard lock(mu);
    if (ms != last_ms) {
      last_ms = ms;
      next = (static_cast<uint32_t>(static_cast<unsigned char>(rnd[0])) << 3) & 0x7ff;
    }
    counter = next <= 0xfff ? next++ : (static_cast<uint32_t>(static_cast<unsigned char>(rnd[0])) << 4 |
                                         (static_cast<unsigned char>(rnd[1]) & 0x0f));
  }
  b[6] = static_cast<unsigned char>((counter >> 8) & 0x0f);
  b[7] = static_cast<unsigned char>(counter & 0xff);
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0f));  // version 7
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f));  // variant 10
  const std::string hex =
      ToHex(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  std::string out;
  out.reserve(36);
  out.append(hex, 0, 8).push_back('-');
  out.append(hex, 8, 4).push_back('-');
  out.append(hex, 12, 4).push_back('-');
  out.append(hex, 16, 4).push_back('-');
  out.append(hex, 20, 12);
  return out;
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace jisr
