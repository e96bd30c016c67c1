#include "common/logging.h"

#include <memory>

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace jisr {
namespace {

std::shared_ptr<spdlog::logger>& AccessLoggerSlot() {
  static std::shared_ptr<spdlog::logger>* slot = new std::shared_ptr<spdlog::logger>();
  return *slot;
}

}  // namespace

void InitLogging(const LoggingOptions& options) {
  spdlog::set_level(spdlog::level::from_str(options.level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  auto& slot = AccessLoggerSlot();
  if (slot) {
    spdlog::drop(slot->name());
    slot.reset();
  }
  std::shared_ptr<spdlog::sinks::sink> sink;
  if (!options.access_log) {
    sink = std::make_shared<spdlog::sinks::null_sink_mt>();
  } else if (options.access_log_path.empty()) {
    sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  } else {
    sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.access_log_path);
  }
  if (!spdlog::thread_pool()) spdlog::init_thread_pool(8192, 1);
  auto logger = std::make_shared<spdlog::async_logger>(
      "access", sink, spdlog::thread_pool(), spdlog::async_overflow_policy::overrun_oldest);
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::info);
  slot = logger;
}

spdlog::logger& AccessLog() {
  auto& slot = AccessLoggerSlot();
  if (!slot) {
    slot = spdlog::stdout_logger_mt("access");
    slot->set_pattern("%v");
  }
  return *slot;
}

void ShutdownLogging() {
  if (auto& slot = AccessLoggerSlot(); slot) slot->flush();
  spdlog::shutdown();
  AccessLoggerSlot().reset();
}

}  // namespace jisr
