// UTF-8 checks for text that arrives from users, files and partner nodes.
//
// Thread-safety: stateless functions; safe from any thread.
#ifndef JISR_COMMON_UTF8_H_
#define JISR_COMMON_UTF8_H_

#include <cstdint>
#include <string_view>

namespace jisr {

// Which code points a check rejects besides ill-formed UTF-8 (overlong forms,
// surrogates, values above U+10FFFF, truncated sequences).
enum class Utf8Rule : uint8_t {
  kNoNul,                  // rejects U+0000 only
  kNoControls,             // rejects C0 controls and DEL
  kNoControlsButNewlines,  // rejects C0 controls and DEL except TAB, LF, CR
};

// Decodes one code point of `s` at byte `*i` and advances `*i` past it.
// Returns the code point, or -1 for an ill-formed sequence (then `*i`
// advances by one byte). Precondition: *i < s.size().
int32_t NextCodePoint(std::string_view s, size_t* i);

// Returns true when `s` is well-formed UTF-8 and holds no code point `rule`
// rejects.
bool IsCleanUtf8(std::string_view s, Utf8Rule rule);

}  // namespace jisr

#endif  // JISR_COMMON_UTF8_H_
