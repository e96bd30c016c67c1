#include "api/access_log.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <ctime>

#include "api/text_escape.h"
#include "common/logging.h"

namespace jisr::http {
namespace {

// Appends "2026-01-01T08:30:00.123Z"; the date-time part is cached per
// thread for the current second.
void AppendTime(absl::Time t, std::string* out) {
  thread_local int64_t cached_second = INT64_MIN;
  thread_local char cached[20];  // "YYYY-MM-DDTHH:MM:SS"
  const int64_t ms = absl::ToUnixMillis(t);
  int64_t second = ms / 1000;
  int64_t milli = ms % 1000;
  if (milli < 0) {
    milli += 1000;
    second -= 1;
  }
  if (second != cached_second) {
    const std::time_t tt = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    fmt::format_to_n(cached, sizeof(cached),
                     "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
    cached_second = second;
  }
  out->append(cached, 19);
  char frac[5] = {'.', static_cast<char>('0' + milli / 100),
                  static_cast<char>('0' + (milli / 10) % 10),
                  static_cast<char>('0' + milli % 10), 'Z'};
  out->append(frac, 5);
}

void AppendKey(std::string_view key, std::string* out) {
  out->push_back(',');
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

}  // namespace

void AppendAccessLogLine(const AccessLogEntry& entry, std::string* out) {
  out->append("{\"time\":\"");
  AppendTime(entry.time, out);
  out->push_back('"');
  AppendKey("request_id", out);
  text::AppendJsonString(out, entry.request_id);
  AppendKey("remote", out);
  text::AppendJsonString(out, entry.remote);
  AppendKey("method", out);
  text::AppendJsonString(out, entry.method);
  AppendKey("path", out);
  text::AppendJsonString(out, entry.path);
  AppendKey("route", out);
  text::AppendJsonString(out, entry.route);
  AppendKey("status", out);
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), entry.status);
  out->append(buf, r.ptr);
  AppendKey("bytes", out);
  r = std::to_chars(buf, buf + sizeof(buf), entry.bytes);
  out->append(buf, r.ptr);
  AppendKey("duration_ms", out);
  // Microsecond resolution is plenty; fixed notation keeps it readable.
  const double ms = entry.duration_ms >= 0 && entry.duration_ms < 1e12
                        ? entry.duration_ms
                        : 0.0;
  r = std::to_chars(buf, buf + sizeof(buf), ms, std::chars_format::fixed, 3);
  out->append(buf, r.ptr);
  AppendKey("user", out);
  if (entry.user.empty()) {
    out->append("null");
  } else {
    text::AppendJsonString(out, entry.user);
  }
  out->push_back('}');
}

void WriteAccessLog(const AccessLogEntry& entry, std::string* scratch) {
  spdlog::logger& logger = AccessLog();
  if (!logger.should_log(spdlog::level::info)) return;
  scratch->clear();
  AppendAccessLogLine(entry, scratch);
  logger.info(fmt::string_view(scratch->data(), scratch->size()));
}

}  // namespace jisr::http
