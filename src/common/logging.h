// Logging set-up: spdlog for the process log (stderr) and a separate logger for
// the JSON access log (one line per HTTP request).
//
// Thread-safety: InitLogging must run once before other threads start; the
// loggers it creates are thread-safe.
#ifndef JISR_COMMON_LOGGING_H_
#define JISR_COMMON_LOGGING_H_

#include <string>

namespace spdlog {
class logger;
}

namespace jisr {

struct LoggingOptions {
  // Minimum level of the process log: trace, debug, info, warn, error.
  // Default "info".
  std::string level = "info";
  // Where access-log lines go: "" for stdout, otherwise a file path (appended).
  // Default stdout.
  std::string access_log_path;
  // When false, access-log lines are dropped (benchmarks may turn them off).
  // Default true.
  bool access_log = true;
};

// Configures the default spdlog logger and the access logger. Idempotent.
void InitLogging(const LoggingOptions& options);

// The access logger (asynchronous; flushes on shutdown). Never null after
// InitLogging; before it, a synchronous stdout logger.
spdlog::logger& AccessLog();

// Flushes and drops every logger (call at exit).
void ShutdownLogging();

}  // namespace jisr

#endif  // JISR_COMMON_LOGGING_H_
