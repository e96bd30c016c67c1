#include "api/http_types.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace jisr::http {
namespace {

using ::testing::ElementsAre;

TEST(MethodTest, ParsesKnownMethodsCaseSensitively) {
  EXPECT_EQ(ParseMethod("GET"), Method::kGet);
  EXPECT_EQ(ParseMethod("HEAD"), Method::kHead);
  EXPECT_EQ(ParseMethod("POST"), Method::kPost);
  EXPECT_EQ(ParseMethod("PUT"), Method::kPut);
  EXPECT_EQ(ParseMethod("PATCH"), Method::kPatch);
  EXPECT_EQ(ParseMethod("DELETE"), Method::kDelete);
  EXPECT_EQ(ParseMethod("OPTIONS"), Method::kOptions);
  EXPECT_EQ(ParseMethod("get"), Method::kOther);
  EXPECT_EQ(ParseMethod("PROPFIND"), Method::kOther);
  EXPECT_EQ(ParseMethod(""), Method::kOther);
  EXPECT_EQ(MethodName(Method::kDelete), "DELETE");
  EXPECT_EQ(MethodName(Method::kOther), "OTHER");
}

TEST(ParamListTest, KeepsOrderDuplicatesAndReusesStorage) {
  ParamList list;
  list.Add("a", "1");
  list.Add("B", "2");
  list.Add("a", "3");
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(list.Get("a"), "1");
  EXPECT_THAT(list.GetAll("a"), ElementsAre("1", "3"));
  EXPECT_EQ(list.Get("b"), std::nullopt);
  EXPECT_EQ(list.GetIgnoreCase("b"), "2");
  list.Clear();
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.Get("a"), std::nullopt);
  list.Add("c", "4");
  EXPECT_EQ(list.size(), 1u);
  EXPECT_EQ(list.entries()[0].first, "c");
  EXPECT_EQ(list.Get("B"), std::nullopt);
}

TEST(RequestTest, ParsesPathAndQuery) {
  Request r;
  ASSERT_TRUE(
      r.SetTarget("/api/v1/users/a%20b?x=1&y=a+b&x=2&flag&e=%26%3D&&").ok());
  EXPECT_EQ(r.target(), "/api/v1/users/a%20b?x=1&y=a+b&x=2&flag&e=%26%3D&&");
  EXPECT_EQ(r.path(), "/api/v1/users/a b");
  ASSERT_EQ(r.segment_count(), 4u);
  EXPECT_EQ(r.segment(0), "api");
  EXPECT_EQ(r.segment(3), "a b");
  EXPECT_EQ(r.Query("x"), "1");
  EXPECT_THAT(r.QueryAll("x"), ElementsAre("1", "2"));
  EXPECT_EQ(r.Query("y"), "a b");
  EXPECT_EQ(r.Query("flag"), "");
  EXPECT_EQ(r.Query("e"), "&=");
  EXPECT_EQ(r.Query("missing"), std::nullopt);
  EXPECT_EQ(r.query().size(), 5u);
}

TEST(RequestTest, EncodedSlashStaysInsideItsSegment) {
  Request r;
  ASSERT_TRUE(r.SetTarget("/files/a%2Fb/c").ok());
  EXPECT_EQ(r.path(), "/files/a/b/c");
  ASSERT_EQ(r.segment_count(), 3u);
  EXPECT_EQ(r.segment(1), "a/b");
  EXPECT_EQ(r.segment(2), "c");
}

TEST(RequestTest, RootAndEmptySegments) {
  Request r;
  ASSERT_TRUE(r.SetTarget("/").ok());
  EXPECT_EQ(r.path(), "/");
  EXPECT_EQ(r.segment_count(), 0u);
  ASSERT_TRUE(r.SetTarget("/a/").ok());
  EXPECT_EQ(r.path(), "/a/");
  ASSERT_EQ(r.segment_count(), 2u);
  EXPECT_EQ(r.segment(1), "");
}

TEST(RequestTest, AcceptsAbsoluteFormForHttp) {
  Request r;
  ASSERT_TRUE(r.SetTarget("http://node.example:8080/healthz?a=1").ok());
  EXPECT_EQ(r.path(), "/healthz");
  EXPECT_EQ(r.Query("a"), "1");
  ASSERT_TRUE(r.SetTarget("http://node.example").ok());
  EXPECT_EQ(r.path(), "/");
}

TEST(RequestTest, RejectsMalformedTargets) {
  Request r;
  for (const char* bad : {"", "*", "/a%zz", "/a%2", "/a b", "ftp://host/x",
                          "mailto:x@y", "/a?b=%g1", "relative/path"}) {
    const absl::Status s = r.SetTarget(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(r.path().empty()) << bad;
    EXPECT_EQ(r.query().size(), 0u) << bad;
  }
}

TEST(RequestTest, RejectsEncodedNul) {
  Request r;
  absl::Status s = r.SetTarget("/a%00b");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("NUL"));
  s = r.SetTarget("/a?q=x%00");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.query().size(), 0u);
}

TEST(RequestTest, HeadersAreCaseInsensitiveAndResetClearsEverything) {
  Request r;
  r.SetMethod("PATCH");
  r.AddHeader("Authorization", "Bearer abc");
  r.AddHeader("X-Multi", "1");
  r.AddHeader("x-multi", "2");
  r.set_body("{}");
  r.set_user("alice");
  r.AddPathParam("id", "7");
  EXPECT_EQ(r.method(), Method::kPatch);
  EXPECT_EQ(r.method_name(), "PATCH");
  EXPECT_EQ(r.Header("authorization"), "Bearer abc");
  EXPECT_EQ(r.Header("AUTHORIZATION"), "Bearer abc");
  EXPECT_EQ(r.Header("X-MULTI"), "1");
  EXPECT_EQ(r.Header("absent"), std::nullopt);
  EXPECT_EQ(r.PathParam("id"), "7");
  r.Reset();
  EXPECT_EQ(r.method(), Method::kGet);
  EXPECT_EQ(r.Header("authorization"), std::nullopt);
  EXPECT_TRUE(r.body().empty());
  EXPECT_TRUE(r.user().empty());
  EXPECT_EQ(r.PathParam("id"), std::nullopt);
}

TEST(ResponseTest, HeaderLookupIsCaseInsensitive) {
  Response r;
  r.AddHeader("Cache-Control", "max-age=60");
  EXPECT_EQ(r.Header("cache-control"), "max-age=60");
  EXPECT_EQ(r.Header("allow"), std::nullopt);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
}

}  // namespace
}  // namespace jisr::http
