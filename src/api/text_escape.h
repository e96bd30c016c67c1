// Internal text helpers shared by the metrics exposition and the access log:
// UTF-8 validation and escaping for Prometheus text and JSON strings.
//
// Thread-safety: stateless functions; safe from any thread.
#ifndef JISR_API_TEXT_ESCAPE_H_
#define JISR_API_TEXT_ESCAPE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace jisr::text {

// Returns the length (1-4) of the well-formed UTF-8 sequence at the start of
// `s` (no overlongs, no surrogates, at most U+10FFFF), or 0 when the first
// bytes are not one. Precondition: !s.empty().
size_t Utf8SequenceLength(std::string_view s);

// Appends `s` to `out` for a Prometheus label value (`quote` true) or HELP
// text (`quote` false): backslash → \\, newline → \n, and with `quote` also
// '"' → \"; invalid UTF-8 bytes become U+FFFD.
void AppendPrometheusEscaped(std::string* out, std::string_view s, bool quote);

// Appends `s` as a JSON string literal (with the surrounding quotes): '"',
// '\\' and control characters escaped, invalid UTF-8 bytes become U+FFFD.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace jisr::text

#endif  // JISR_API_TEXT_ESCAPE_H_
