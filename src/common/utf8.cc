#include "common/utf8.h"

namespace jisr {

int32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(*i);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  size_t len = 0;
  int32_t cp = 0;
  int32_t min = 0;
  if ((b0 & 0xe0) == 0xc0) {
    len = 2, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++*i;
    return -1;
  }
  if (*i + len > s.size()) {
    ++*i;
    return -1;
  }
  for (size_t k = 1; k < len; ++k) {
    const uint8_t b = byte(*i + k);
    if ((b & 0xc0) != 0x80) {
      ++*i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    ++*i;
    return -1;
  }
  *i += len;
  return cp;
}

bool IsCleanUtf8(std::string_view s, Utf8Rule rule) {
  size_t i = 0;
  while (i < s.size()) {
    const int32_t c = NextCodePoint(s, &i);
    if (c < 0) return false;
    switch (rule) {
      case Utf8Rule::kNoNul:
        if (c == 0) return false;
        break;
      case Utf8Rule::kNoControlsButNewlines:
        if (c == '\t' || c == '\n' || c == '\r') break;
        [[fallthrough]];
      case Utf8Rule::kNoControls:
        if (c < 0x20 || c == 0x7f) return false;
        break;
    }
  }
  return true;
}

}  // namespace jisr
