#include "api/access_log.h"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>

#include "common/json.h"

namespace jisr::http {
namespace {

TEST(AccessLogTest, FormatsOneJsonObject) {
  AccessLogEntry e;
  e.time = absl::FromUnixMillis(1767225600123);  // 2026-01-01T00:00:00.123Z
  e.request_id = "abcd0123-1f";
  e.remote = "127.0.0.1";
  e.method = "GET";
  e.path = "/api/v1/users/7";
  e.route = "users.get";
  e.status = 200;
  e.bytes = 1234;
  e.duration_ms = 1.5;
  e.user = "alice";
  std::string line;
  AppendAccessLogLine(e, &line);
  EXPECT_EQ(
      line,
      R"({"time":"2026-01-01T00:00:00.123Z","request_id":"abcd0123-1f","remote":"127.0.0.1",)"
      R"("method":"GET","path":"/api/v1/users/7","route":"users.get","status":200,)"
      R"("bytes":1234,"duration_ms":1.500,"user":"alice"})");
}

TEST(AccessLogTest, AnonymousUserIsNullAndHostileTextStaysValidJson) {
  AccessLogEntry e;
  e.time = absl::FromUnixMillis(0);
  e.method = "G\"ET";
  e.path = std::string_view("/a\"b\\c\n\r\t\x01\x7f\xff\xc3\xa9/\xd8\xac", 17);
  e.route = "unmatched";
  e.status = 404;
  std::string line;
  AppendAccessLogLine(e, &line);
  absl::StatusOr<boost::json::object> parsed = ParseJsonObject(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status() << " " << line;
  EXPECT_TRUE(parsed->at("user").is_null());
  EXPECT_EQ(parsed->at("method").as_string(), "G\"ET");
  // The invalid byte 0xff became U+FFFD; valid é and ج are kept.
  EXPECT_EQ(parsed->at("path").as_string(),
            "/a\"b\\c\n\r\t\x01\x7f\xef\xbf\xbd\xc3\xa9/\xd8\xac");
  EXPECT_EQ(parsed->at("time").as_string(), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(parsed->at("status").as_int64(), 404);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace jisr::http
