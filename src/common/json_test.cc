#include "common/json.h"

#include <gtest/gtest.h>

#include "common/status.h"

namespace jisr {
namespace {

TEST(JsonTest, ParseErrorNamesLineAndColumn) {
  auto v = ParseJson("{\n  \"a\": 1,\n  \"b\": ]\n}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find("line 3, column 8"), std::string::npos)
      << v.status().message();
}

TEST(JsonTest, RejectsTrailingDataAndInvalidUtf8) {
  EXPECT_FALSE(ParseJson("{} {}").ok());
  EXPECT_TRUE(ParseJson("{}  \n").ok());
  EXPECT_FALSE(ParseJson("{\"a\":\"\xff\xfe\"}").ok());
  EXPECT_FALSE(ParseJsonObject("[1,2]").ok());
}

TEST(JsonTest, ReaderTypesAndFields) {
  auto obj = *ParseJsonObject(
      R"({"name":"x","role":"king","n":"5","flag":true,"extra":1,"empty":"  "})");
  JsonObjectReader r(obj, "user.");
  EXPECT_EQ(*r.RequiredString("name"), "x");
  static constexpr std::string_view kRoles[] = {"admin", "officer"};
  auto role = r.RequiredEnum("role", kRoles);
  ASSERT_FALSE(role.ok());
  EXPECT_EQ(*FieldOf(role.status()), "user.role");
  EXPECT_NE(role.status().message().find("admin, officer"), std::string::npos);
  auto n = r.OptionalInt("n");
  EXPECT_EQ(*FieldOf(n.status()), "user.n");
  EXPECT_EQ(**r.OptionalBool("flag"), true);
  EXPECT_EQ(*FieldOf(r.RequiredString("empty").status()), "user.empty");
  EXPECT_EQ(*FieldOf(r.RequiredString("missing").status()), "user.missing");
  absl::Status unknown = r.RejectUnknown();
  EXPECT_EQ(*FieldOf(unknown), "user.extra");
}

TEST(JsonTest, TimeRoundTrip) {
  const absl::Time t = absl::FromUnixMillis(1767225600123);
  EXPECT_EQ(FormatRfc3339(t), "2026-01-01T00:00:00.123Z");
  EXPECT_EQ(*ParseRfc3339("2026-01-01T01:00:00.123+01:00"), t);
  EXPECT_FALSE(ParseRfc3339("yesterday").ok());
}

}  // namespace
}  // namespace jisr
