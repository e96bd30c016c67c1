#include "api/static_files.h"

#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/server.h"
#include "api/test_client.h"
#include "common/ids.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jisr::http {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kIndex =
    "<!doctype html><title>jisr</title><div id=app></div>";
constexpr std::string_view kScript = "console.log('app');";
constexpr std::string_view kSecret = "root:x:0:0:secret";

void Write(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// What a handler answered, with the route that matched.
struct Answer {
  Router::Match::Kind kind = Router::Match::Kind::kNotFound;
  std::string route;
  Response response;
};

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ =
        fs::temp_directory_path() / ("jisr-static-" + ToHex(RandomBytes(8)));
    root_ = base_ / "dist";
    Write(root_ / "index.html", kIndex);
    Write(root_ / "assets" / "index-3f2aB_9x.js", kScript);
    Write(root_ / "assets" / "index-77aa.css", "body{margin:0}");
    Write(root_ / "favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    Write(root_ / "routes.json",
          R"({"routes": ["/", "/sign-in", "/users", "/users/{id}"]})");
    Write(root_ / ".env", "TOKEN=do-not-serve");
    Write(base_ / "secret.txt", kSecret);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }

  Answer Get(std::string_view target, std::string_view method = "GET",
             std::optional<std::string_view> if_none_match = std::nullopt) {
    Answer a;
    Request req;
    req.SetMethod(method);
    if (!req.SetTarget(target).ok()) return a;
    if (if_none_match) req.AddHeader("If-None-Match", *if_none_match);
    const Router::Match m = router_.Find(req);
    a.kind = m.kind;
    if (m.kind != Router::Match::Kind::kFound) return a;
    a.route = router_.info(m.route_index).name;
    a.response = router_.handler(m.route_index)(req);
    return a;
  }

  fs::path base_;
  fs::path root_;
  Router router_;
};

TEST_F(StaticFilesTest, ClientRoutesAnswerIndexHtml) {
  ASSERT_TRUE(AddStaticFiles(&router_, root_).ok());
  for (std::string_view target :
       {"/", "/sign-in", "/users", "/users/0190-abc", "/users/x?y=1"}) {
    const Answer a = Get(target);
    ASSERT_EQ(a.kind, Router::Match::Kind::kFound) << target;
    EXPECT_EQ(a.response.status, 200) << target;
    EXPECT_EQ(a.response.body, kIndex) << target;
    EXPECT_EQ(a.response.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(a.response.Header("Cache-Control"), "no-cache");
    EXPECT_EQ(a.response.Header("Content-Security-Policy"),
              kDefaultContentSecurityPolicy);
    EXPECT_EQ(a.response.Header("Cross-Origin-Opener-Policy"), "same-origin");
    EXPECT_THAT(std::string(a.response.Header("ETag").value_or("")),
                StartsWith("\""));
  }
  EXPECT_EQ(Get("/").route, "web.page.root");
  EXPECT_EQ(Get("/users/1").route, "web.page.users.id");
  // A path the application does not know is not the application.
  EXPECT_EQ(Get("/nowhere").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(Get("/users/1/2").kind, Router::Match::Kind::kNotFound);
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableWithTheirContentType) {
  ASSERT_TRUE(AddStaticFiles(&router_, root_).ok());
  const Answer js = Get("/assets/index-3f2aB_9x.js");
  ASSERT_EQ(js.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(js.route, "web.asset");
  EXPECT_EQ(js.response.status, 200);
  EXPECT_EQ(js.response.body, kScript);
  EXPECT_EQ(js.response.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.response.Header("Cache-Control"),
            "public, max-age=31536000, immutable");
  const Answer css = Get("/assets/index-77aa.css");
  EXPECT_EQ(css.response.content_type, "text/css; charset=utf-8");
  // Files outside assets/ are revalidated.
  const Answer icon = Get("/favicon.svg");
  EXPECT_EQ(icon.response.status, 200);
  EXPECT_EQ(icon.response.content_type, "image/svg+xml");
  EXPECT_EQ(icon.response.Header("Cache-Control"), "no-cache");
  // An unknown asset is a 404 problem.
  const Answer missing = Get("/assets/nope.js");
  EXPECT_EQ(missing.response.status, 404);
  EXPECT_EQ(missing.response.content_type, kProblemContentType);
}

TEST_F(StaticFilesTest, EtagsDifferByContentAndIfNoneMatchGives304) {
  ASSERT_TRUE(AddStaticFiles(&router_, root_).ok());
  const std::string index_tag(Get("/").response.Header("ETag").value_or(""));
  const std::string js_tag(
      Get("/assets/index-3f2aB_9x.js").response.Header("ETag").value_or(""));
  ASSERT_FALSE(index_tag.empty());
  EXPECT_NE(index_tag, js_tag);
  // The same file under two client routes has one tag.
  EXPECT_EQ(Get("/users").response.Header("ETag"), index_tag);

  Answer a = Get("/", "GET", index_tag);
  EXPECT_EQ(a.response.status, 304);
  EXPECT_TRUE(a.response.body.empty());
  EXPECT_EQ(a.response.Header("ETag"), index_tag);
  a = Get("/", "GET", "\"other\", W/" + index_tag);
  EXPECT_EQ(a.response.status, 304);
  a = Get("/", "GET", "*");
  EXPECT_EQ(a.response.status, 304);
  a = Get("/", "GET", "\"stale\"");
  EXPECT_EQ(a.response.status, 200);
  EXPECT_EQ(a.response.body, kIndex);
  a = Get("/assets/index-3f2aB_9x.js", "HEAD");
  EXPECT_EQ(a.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(a.response.status, 200);
}

TEST_F(StaticFilesTest, TraversalAndHiddenFilesAreNeverServed) {
  ASSERT_TRUE(AddStaticFiles(&router_, root_).ok());
  for (std::string_view target :
       {"/../secret.txt", "/assets/../../secret.txt",
        "/assets/..%2F..%2Fsecret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets/..%5C..%5Csecret.txt", "/.env", "/assets/.env",
        "/%2e%2e/secret.txt", "/routes.json", "/assets//index-77aa.css",
        "/users/..%2F..%2Fsecret.txt/x"}) {
    const Answer a = Get(target);
    if (a.kind != Router::Match::Kind::kFound) continue;
    EXPECT_NE(a.response.body, kSecret) << target;
    EXPECT_THAT(a.response.body, ::testing::Not(HasSubstr("do-not-serve")))
        << target;
    EXPECT_THAT(a.response.body, ::testing::Not(HasSubstr("/users/{id}")))
        << target;
  }
}

TEST_F(StaticFilesTest, SymbolicLinkOutsideTheRootIsRefused) {
  fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
  const absl::Status s = AddStaticFiles(&router_, root_);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("leak.txt"));
}

TEST_F(StaticFilesTest, SymbolicLinkInsideTheRootIsServed) {
  fs::create_symlink(root_ / "favicon.svg", root_ / "icon.svg");
  ASSERT_TRUE(AddStaticFiles(&router_, root_).ok());
  EXPECT_EQ(Get("/icon.svg").response.content_type, "image/svg+xml");
}

TEST_F(StaticFilesTest, WithoutRoutesJsonOnlyTheRootIsTheApplication) {
  fs::remove(root_ / "routes.json");
  ASSERT_TRUE(AddStaticFiles(&router_, root_).ok());
  EXPECT_EQ(Get("/").response.body, kIndex);
  EXPECT_EQ(Get("/users").kind, Router::Match::Kind::kNotFound);
}

TEST_F(StaticFilesTest, BadRootsAndManifestsAreClearErrors) {
  {
    Router r;
    const absl::Status s = AddStaticFiles(&r, base_ / "missing");
    EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
    EXPECT_THAT(std::string(s.message()), HasSubstr("missing"));
  }
  {
    Router r;
    fs::rename(root_ / "index.html", root_ / "main.html");
    const absl::Status s = AddStaticFiles(&r, root_);
    EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
    EXPECT_THAT(std::string(s.message()), HasSubstr("index.html"));
    fs::rename(root_ / "main.html", root_ / "index.html");
  }
  struct Case {
    std::string_view json;
    std::string_view mentions;
  };
  for (const Case& c :
       {Case{R"({"routes": ["/", "/api/v1/users"]})", "/api/"},
        Case{R"({"routes": ["users"]})", "must start with '/'"},
        Case{R"({"routes": "/"})", "array of strings"},
        Case{R"({"routes": [1]})", "array of strings"},
        Case{R"({"paths": ["/"]})", "unknown member"},
        Case{R"({})", "missing member"},
        Case{R"({"routes": ["/", )", "malformed JSON"},
        Case{R"({"routes": ["/a b"]})", "not allowed"},
        Case{R"({"routes": ["/users/{id", "/"]})", "parameter"}}) {
    Write(root_ / "routes.json", c.json);
    Router r;
    const absl::Status s = AddStaticFiles(&r, root_);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
        << c.json << " " << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.mentions))
        << c.json << " " << s;
  }
}

TEST_F(StaticFilesTest, RouteClashingWithAnExistingRouteIsRefused) {
  ASSERT_TRUE(router_
                  .Add(Method::kGet, "/healthz", "healthz",
                       [](Request&) { return Response{}; })
                  .ok());
  Write(root_ / "routes.json", R"({"routes": ["/", "/healthz"]})");
  const absl::Status s = AddStaticFiles(&router_, root_);
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("/healthz"));
}

TEST_F(StaticFilesTest, LimitsAreEnforced) {
  StaticFilesOptions few;
  few.max_files = 2;
  Router a;
  EXPECT_EQ(AddStaticFiles(&a, root_, few).code(),
            absl::StatusCode::kResourceExhausted);
  StaticFilesOptions small;
  small.max_total_bytes = 10;
  Router b;
  EXPECT_EQ(AddStaticFiles(&b, root_, small).code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(StaticFilesTest, CustomContentSecurityPolicy) {
  StaticFilesOptions o;
  o.content_security_policy = "default-src 'self'";
  ASSERT_TRUE(AddStaticFiles(&router_, root_, o).ok());
  EXPECT_EQ(Get("/").response.Header("Content-Security-Policy"),
            "default-src 'self'");
}

TEST(ContentTypeForFileTest, KnownAndUnknownExtensions) {
  EXPECT_EQ(ContentTypeForFile("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeForFile("assets/a-1.JS"),
            "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeForFile("a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeForFile("a.json"), "application/json");
  EXPECT_EQ(ContentTypeForFile("a.png"), "image/png");
  EXPECT_EQ(ContentTypeForFile("LICENSE"), "application/octet-stream");
  EXPECT_EQ(ContentTypeForFile("dir.d/file"), "application/octet-stream");
  EXPECT_EQ(ContentTypeForFile("a.exe"), "application/octet-stream");
}

// Over the wire: the server sends the security headers and honours HEAD and
// conditional requests.
TEST_F(StaticFilesTest, ServedOverHttpWithSecurityHeaders) {
  ASSERT_TRUE(AddStaticFiles(&router_, root_).ok());
  ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.access_log = false;
  metrics::Registry registry;
  Server server(options, &router_, &registry);
  ASSERT_TRUE(server.Start().ok());
  TestHttpClient client("127.0.0.1", server.port());

  absl::StatusOr<TestResponse> r = client.Request("GET", "/users/42");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, kIndex);
  EXPECT_EQ(r->Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->Header("Content-Security-Policy"),
            std::string(kDefaultContentSecurityPolicy));
  EXPECT_EQ(r->Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(r->Header("Cache-Control"), "no-cache");
  const std::string etag = r->Header("ETag").value_or("");

  r = client.Request("GET", "/", {}, {{"If-None-Match", etag}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 304);
  EXPECT_TRUE(r->body.empty());

  r = client.Request("HEAD", "/assets/index-3f2aB_9x.js");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Length"), std::to_string(kScript.size()));
  EXPECT_TRUE(r->body.empty());

  r = client.Request("GET", "/assets/..%2F..%2Fsecret.txt");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 404);
  EXPECT_THAT(r->body, ::testing::Not(HasSubstr("secret")));
  server.Stop();
}

}  // namespace
}  // namespace jisr::http
