// The HTTP access log: one JSON line per request, written through
// jisr::AccessLog() (src/common/logging.h):
//   {"time","request_id","remote","method","path","route","status","bytes",
//    "duration_ms","user"}
// `path` is the decoded path WITHOUT the query string (queries may carry
// tokens) and request bodies are never logged.
//
// Thread-safety: stateless functions; safe from any thread.
#ifndef JISR_API_ACCESS_LOG_H_
#define JISR_API_ACCESS_LOG_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace jisr::http {

struct AccessLogEntry {
  absl::Time time;  // when the response was finished
  std::string_view request_id;
  std::string_view remote;  // client IP address
  std::string_view method;
  std::string_view path;   // decoded, no query string
  std::string_view route;  // route name or "unmatched"
  int status = 0;
  uint64_t bytes = 0;  // response body bytes sent
  double duration_ms = 0.0;
  std::string_view user;  // empty → null
};

// Appends the JSON line for `entry` (no trailing newline) to `out`.
void AppendAccessLogLine(const AccessLogEntry& entry, std::string* out);

// Formats `entry` and writes it to jisr::AccessLog() at info level. `scratch`
// is a caller-owned buffer reused between calls to avoid allocation.
void WriteAccessLog(const AccessLogEntry& entry, std::string* scratch);

}  // namespace jisr::http

#endif  // JISR_API_ACCESS_LOG_H_
