// End-to-end tests of the HTTP server: a real server on 127.0.0.1 (port 0)
// talked to with TestHttpClient.
#include "api/server.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <latch>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "api/operational_routes.h"
#include "api/problem.h"
#include "api/test_client.h"
#include "common/json.h"
#include "common/logging.h"
#include "common/status.h"

namespace jisr::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

boost::json::object JsonBody(const TestResponse& r) {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(r.body);
  EXPECT_TRUE(o.ok()) << o.status() << " body: " << r.body;
  return o.ok() ? *o : boost::json::object();
}

// Polls `condition` every 10 ms, at most 1000 times; returns whether it held.
template <typename F>
bool Eventually(F condition) {
  for (int i = 0; i < 1000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

ServerOptions TestOptions() {
  ServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.access_log = false;
  return o;
}

// Routes used by most tests.
void AddTestRoutes(Router* router, std::atomic<int>* echo_calls) {
  ASSERT_TRUE(router
                  ->Add(Method::kGet, "/api/v1/users/{id}", "users.get",
                        [](Request& req) {
                          boost::json::object o;
                          o["id"] = *req.PathParam("id");
                          boost::json::array xs;
                          for (std::string_view x : req.QueryAll("x"))
                            xs.emplace_back(x);
                          o["x"] = std::move(xs);
                          o["y"] = req.Query("y").value_or("<none>");
                          o["test_header"] =
                              req.Header("x-test").value_or("<none>");
                          o["remote"] = req.remote_address();
                          o["request_id"] = req.request_id();
                          o["route"] = req.route_name();
                          o["method"] = req.method_name();
                          return JsonResponse(200, o);
                        })
                  .ok());
  ASSERT_TRUE(router
                  ->Add(Method::kPost, "/echo", "echo",
                        [echo_calls](Request& req) {
                          echo_calls->fetch_add(1);
                          Response r;
                          r.content_type = "text/plain";
                          r.body = req.body();
                          return r;
                        })
                  .ok());
  ASSERT_TRUE(router
                  ->Add(Method::kPost, "/api/v1/alerts/{id}/activate",
                        "alerts.activate",
                        [](Request& req) {
                          boost::json::object o;
                          o["activated"] = *req.PathParam("id");
                          return JsonResponse(200, o);
                        })
                  .ok());
  ASSERT_TRUE(router
                  ->Add(Method::kGet, "/status/{code}", "status",
                        [](Request& req) {
                          const int code =
                              std::stoi(std::string(*req.PathParam("code")));
                          absl::Status s(static_cast<absl::StatusCode>(code),
                                         "detail for the client");
                          if (auto field = req.Query("field"))
                            s = WithField(s, *field);
                          return ProblemFromStatus(s, req.path());
                        })
                  .ok());
  ASSERT_TRUE(router
                  ->Add(Method::kGet, "/throw", "throw",
                        [](Request&) -> Response {
                          throw std::runtime_error("handler exploded");
                        })
                  .ok());
  ASSERT_TRUE(router
                  ->Add(Method::kGet, "/throw-int", "throw_int",
                        [](Request&) -> Response { throw 42; })
                  .ok());
  ASSERT_TRUE(router
                  ->Add(Method::kGet, "/bad-status", "bad_status",
                        [](Request&) {
                          Response r;
                          r.status = 42;
                          return r;
                        })
                  .ok());
  ASSERT_TRUE(router
                  ->Add(Method::kGet, "/headers", "headers",
                        [](Request&) {
                          Response r;
                          r.body = "{}";
                          r.AddHeader("X-Good", "yes");
                          r.AddHeader("X-Evil", "a\r\nSet-Cookie: stolen=1");
                          r.AddHeader("Bad Name", "x");
                          r.AddHeader("Content-Length", "999");
                          r.AddHeader("Cache-Control", "max-age=60");
                          return r;
                        })
                  .ok());
  ASSERT_TRUE(router
                  ->Add(Method::kDelete, "/things/{id}", "things.delete",
                        [](Request&) {
                          Response r;
                          r.status = 204;
                          r.content_type.clear();
                          return r;
                        })
                  .ok());
  ASSERT_TRUE(router
                  ->Add(Method::kGet, "/whoami", "whoami",
                        [](Request& req) {
                          req.set_user("alice");
                          Response r;
                          r.body = R"({"user":"alice"})";
                          return r;
                        })
                  .ok());
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddTestRoutes(&router_, &echo_calls_);
    ASSERT_TRUE(
        AddOperationalRoutes(&router_, &registry_, [this]() -> absl::Status {
          if (ready_.load()) return absl::OkStatus();
          return absl::UnavailableError("database is down");
        }).ok());
  }

  void StartServer(ServerOptions options = TestOptions()) {
    server_ = std::make_unique<Server>(options, &router_, &registry_);
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }

  TestHttpClient Client() {
    return TestHttpClient("127.0.0.1", server_->port());
  }

  std::string Metrics() {
    TestHttpClient c = Client();
    absl::StatusOr<TestResponse> r = c.Request("GET", "/metrics");
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->body : "";
  }
  // The metrics once they hold `text`, or after 2 s: a request is counted
  // when its answer has been written, which a client may see first.
  std::string MetricsHolding(std::string_view text) {
    std::string body;
    for (int i = 0; i < 200; ++i) {
      body = Metrics();
      if (body.find(text) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return body;
  }

  metrics::Registry registry_;
  Router router_;
  std::atomic<int> echo_calls_{0};
  std::atomic<bool> ready_{true};
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, RoutesWithPathAndQueryParameters) {
  StartServer();
  TestHttpClient c = Client();
  absl::StatusOr<TestResponse> r =
      c.Request("GET", "/api/v1/users/u%2D42?x=1&y=a+b%21&x=2", "",
                {{"X-Test", "hello"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  const boost::json::object body = JsonBody(*r);
  EXPECT_EQ(body.at("id").as_string(), "u-42");
  ASSERT_EQ(body.at("x").as_array().size(), 2u);
  EXPECT_EQ(body.at("x").as_array()[0].as_string(), "1");
  EXPECT_EQ(body.at("x").as_array()[1].as_string(), "2");
  EXPECT_EQ(body.at("y").as_string(), "a b!");
  EXPECT_EQ(body.at("test_header").as_string(), "hello");
  EXPECT_EQ(body.at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(body.at("route").as_string(), "users.get");
  EXPECT_EQ(body.at("method").as_string(), "GET");
  // Standard response headers.
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_EQ(r->Header("Content-Length"), std::to_string(r->body.size()));
  EXPECT_EQ(r->Header("Cache-Control"), "no-store");
  EXPECT_EQ(r->Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->Header("X-Frame-Options"), "DENY");
  EXPECT_TRUE(r->Header("Date").has_value());
  ASSERT_TRUE(r->Header("X-Request-Id").has_value());
  EXPECT_EQ(*r->Header("X-Request-Id"), body.at("request_id").as_string());
  EXPECT_FALSE(r->Header("Connection").has_value());

  r = c.Request("POST", "/api/v1/alerts/A%20B/activate");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(JsonBody(*r).at("activated").as_string(), "A B");
}

TEST_F(ServerTest, RequestIdsAreUnique) {
  StartServer();
  TestHttpClient c = Client();
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<TestResponse> r = c.Request("GET", "/healthz");
    ASSERT_TRUE(r.ok());
    ids.insert(r->Header("X-Request-Id").value_or(""));
  }
  EXPECT_EQ(ids.size(), 20u);
  EXPECT_EQ(ids.count(""), 0u);
}

TEST_F(ServerTest, UnknownPathIs404Problem) {
  StartServer();
  TestHttpClient c = Client();
  absl::StatusOr<TestResponse> r = c.Request("GET", "/no/such/thing?token=x");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->Header("Content-Type"), "application/problem+json");
  const boost::json::object body = JsonBody(*r);
  EXPECT_EQ(body.at("type").as_string(), "urn:jisr:problem:route-not-found");
  EXPECT_EQ(body.at("title").as_string(), "Not Found");
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_THAT(std::string(body.at("detail").as_string()),
              HasSubstr("/no/such/thing"));
  EXPECT_THAT(std::string(body.at("detail").as_string()),
              Not(HasSubstr("token")));
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  StartServer();
  TestHttpClient c = Client();
  absl::StatusOr<TestResponse> r = c.Request("DELETE", "/api/v1/users/1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->Header("Allow"), "GET, HEAD");
  EXPECT_EQ(JsonBody(*r).at("type").as_string(),
            "urn:jisr:problem:method-not-allowed");
  r = c.Request("PUT", "/healthz");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->Header("Allow"), "GET, HEAD");
}

TEST_F(ServerTest, HeadHasLengthButNoBody) {
  StartServer();
  TestHttpClient c = Client();
  absl::StatusOr<TestResponse> r = c.Request("HEAD", "/healthz");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Length"), "15");  // {"status":"ok"}
  EXPECT_TRUE(r->body.empty());
  // The connection is still in sync: the next response parses.
  r = c.Request("GET", "/healthz");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, R"({"status":"ok"})");
  EXPECT_EQ(c.connections_opened(), 1);
}

TEST_F(ServerTest, NoContentHasNoBodyOrLength) {
  StartServer();
  TestHttpClient c = Client();
  absl::StatusOr<TestResponse> r = c.Request("DELETE", "/things/1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 204);
  EXPECT_FALSE(r->Header("Content-Length").has_value());
  EXPECT_FALSE(r->Header("Content-Type").has_value());
  r = c.Request("GET", "/healthz");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, StatusCodesMapToHttpOverTheWire) {
  StartServer();
  TestHttpClient c = Client();
  const std::vector<std::pair<absl::StatusCode, int>> table = {
      {absl::StatusCode::kCancelled, 500},
      {absl::StatusCode::kUnknown, 500},
      {absl::StatusCode::kInvalidArgument, 400},
      {absl::StatusCode::kDeadlineExceeded, 504},
      {absl::StatusCode::kNotFound, 404},
      {absl::StatusCode::kAlreadyExists, 409},
      {absl::StatusCode::kPermissionDenied, 403},
      {absl::StatusCode::kResourceExhausted, 429},
      {absl::StatusCode::kFailedPrecondition, 409},
      {absl::StatusCode::kAborted, 409},
      {absl::StatusCode::kOutOfRange, 400},
      {absl::StatusCode::kUnimplemented, 501},
      {absl::StatusCode::kInternal, 500},
      {absl::StatusCode::kUnavailable, 503},
      {absl::StatusCode::kDataLoss, 500},
      {absl::StatusCode::kUnauthenticated, 401},
  };
  for (const auto& [code, http_status] : table) {
    SCOPED_TRACE(absl::StatusCodeToString(code));
    const std::string path = fmt::format("/status/{}", static_cast<int>(code));
    absl::StatusOr<TestResponse> r = c.Request("GET", path);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, http_status);
    EXPECT_EQ(r->Header("Content-Type"), "application/problem+json");
    const boost::json::object body = JsonBody(*r);
    EXPECT_EQ(body.at("status").as_int64(), http_status);
    EXPECT_THAT(std::string(body.at("type").as_string()),
                StartsWith("urn:jisr:problem:"));
    EXPECT_FALSE(body.at("title").as_string().empty());
    EXPECT_EQ(body.at("instance").as_string(), path);
    if (http_status == 500) {
      EXPECT_THAT(std::string(body.at("detail").as_string()),
                  Not(HasSubstr("client")));
    } else {
      EXPECT_EQ(body.at("detail").as_string(), "detail for the client");
    }
    EXPECT_EQ(r->Header("WWW-Authenticate").has_value(),
              code == absl::StatusCode::kUnauthenticated);
  }
  absl::StatusOr<TestResponse> r =
      c.Request("GET", "/status/3?field=names%5B0%5D.full");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(JsonBody(*r).at("field").as_string(), "names[0].full");
  EXPECT_EQ(r->Header("WWW-Authenticate"), std::nullopt);
  r = c.Request("GET", "/status/16");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Header("WWW-Authenticate"), "Bearer");
}

TEST_F(ServerTest, HandlerExceptionIs500AndServerKeepsServing) {
  StartServer();
  TestHttpClient c = Client();
  for (const char* path : {"/throw", "/throw-int", "/bad-status"}) {
    absl::StatusOr<TestResponse> r = c.Request("GET", path);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 500) << path;
    const boost::json::object body = JsonBody(*r);
    EXPECT_EQ(body.at("type").as_string(), "urn:jisr:problem:internal");
    EXPECT_THAT(r->body, Not(HasSubstr("exploded")));
  }
  absl::StatusOr<TestResponse> r = c.Request("GET", "/healthz");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(c.connections_opened(), 1);
}

TEST_F(ServerTest, InvalidHandlerHeadersAreDroppedAndDefaultsOverridable) {
  StartServer();
  TestHttpClient c = Client();
  absl::StatusOr<TestResponse> r = c.Request("GET", "/headers");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("X-Good"), "yes");
  EXPECT_FALSE(r->Header("X-Evil").has_value());
  EXPECT_FALSE(r->Header("Set-Cookie").has_value());
  EXPECT_EQ(r->Header("Content-Length"), "2");
  EXPECT_EQ(r->Header("Cache-Control"), "max-age=60");
  int cache_controls = 0;
  for (const auto& [name, value] : r->headers)
    cache_controls += name == "Cache-Control";
  EXPECT_EQ(cache_controls, 1);
}

TEST_F(ServerTest, OversizedBodyIs413AndHandlerNeverRuns) {
  ServerOptions o = TestOptions();
  o.body_limit = 1024;
  StartServer(o);
  {
    TestHttpClient c = Client();
    absl::StatusOr<TestResponse> r =
        c.Request("POST", "/echo", std::string(1024, 'a'));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body.size(), 1024u);
  }
  EXPECT_EQ(echo_calls_.load(), 1);
  {
    // Content-Length over the limit, body sent in full.
    TestHttpClient c = Client();
    absl::StatusOr<TestResponse> r =
        c.Request("POST", "/echo", std::string(200000, 'b'));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(r->Header("Connection"), "close");
    const boost::json::object body = JsonBody(*r);
    EXPECT_EQ(body.at("type").as_string(),
              "urn:jisr:problem:payload-too-large");
    EXPECT_THAT(std::string(body.at("detail").as_string()), HasSubstr("1024"));
    EXPECT_FALSE(c.connected());
  }
  {
    // Content-Length over the limit, nothing of the body sent.
    TestHttpClient c = Client();
    ASSERT_TRUE(c.SendRaw("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: "
                          "99999999\r\n\r\n")
                    .ok());
    absl::StatusOr<TestResponse> r = c.ReadResponse();
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 413);
  }
  {
    // Chunked body growing over the limit.
    TestHttpClient c = Client();
    std::string raw =
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i)
      raw += "200\r\n" + std::string(512, 'c') + "\r\n";
    raw += "0\r\n\r\n";
    ASSERT_TRUE(c.SendRaw(raw).ok());
    absl::StatusOr<TestResponse> r = c.ReadResponse();
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 413);
  }
  {
    // Expect: 100-continue with an oversized length: 413 without 100.
    TestHttpClient c = Client();
    ASSERT_TRUE(
        c.SendRaw("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                  "Content-Length: 5000\r\n\r\n")
            .ok());
    absl::StatusOr<TestResponse> r = c.ReadResponse();
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 413);
  }
  EXPECT_EQ(echo_calls_.load(), 1);
}

TEST_F(ServerTest, ExpectContinueIsHonoured) {
  StartServer();
  TestHttpClient c = Client();
  ASSERT_TRUE(
      c.SendRaw("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                "Content-Length: 5\r\n\r\n")
          .ok());
  absl::StatusOr<TestResponse> interim = c.ReadResponse();
  ASSERT_TRUE(interim.ok()) << interim.status();
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.SendRaw("hello").ok());
  absl::StatusOr<TestResponse> r = c.ReadResponse();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  ServerOptions o = TestOptions();
  o.header_limit = 1024;
  StartServer(o);
  TestHttpClient c = Client();
  absl::StatusOr<TestResponse> r =
      c.Request("GET", "/healthz", "", {{"X-Big", std::string(2000, 'h')}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(JsonBody(*r).at("type").as_string(),
            "urn:jisr:problem:header-fields-too-large");
  EXPECT_FALSE(c.connected());
  // A long target counts too.
  TestHttpClient c2 = Client();
  r = c2.Request("GET", "/healthz?q=" + std::string(3000, 'q'));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 431);
  // Within the limit is fine.
  TestHttpClient c3 = Client();
  r = c3.Request("GET", "/healthz", "", {{"X-Big", std::string(500, 'h')}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, MalformedRequestsAre400AndClose) {
  StartServer();
  const std::vector<std::string> inputs = {
      "GARBAGE\r\n\r\n",
      "GET / FTP/1.1\r\nHost: t\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: t\r\nX: a\x01z\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\n\r\nzz\r\nabc\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 12abc\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: "
      "4\r\n\r\nabcd",
      "GET /healthz HTTP/1.1\r\n\r\n",          // HTTP/1.1 without Host
      "GET /a%zz HTTP/1.1\r\nHost: t\r\n\r\n",  // bad percent-encoding
      "GET /a%00 HTTP/1.1\r\nHost: t\r\n\r\n",  // encoded NUL
      "GET * HTTP/1.1\r\nHost: t\r\n\r\n",
      // Request smuggling shapes.
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: "
      "4\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\nContent-Length: 4\r\n\r\n"
      "0\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\nabcd",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, "
      "gzip\r\n\r\nabcd",
  };
  for (const std::string& input : inputs) {
    SCOPED_TRACE(input);
    TestHttpClient c = Client();
    ASSERT_TRUE(c.SendRaw(input).ok());
    absl::StatusOr<TestResponse> r = c.ReadResponse();
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(r->Header("Content-Type"), "application/problem+json");
    EXPECT_EQ(JsonBody(*r).at("type").as_string(),
              "urn:jisr:problem:malformed-request");
    if (c.connected()) {
      // The parser-level errors close the connection.
      absl::StatusOr<std::string> rest = c.ReadUntilClose();
      ASSERT_TRUE(rest.ok()) << rest.status();
      EXPECT_EQ(*rest, "");
    }
  }
  EXPECT_EQ(echo_calls_.load(), 0);
}

TEST_F(ServerTest, RandomGarbageNeverCrashesTheServer) {
  StartServer();
  std::mt19937 rng(12345);
  for (int i = 0; i < 60; ++i) {
    std::string junk(1 + rng() % 600, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng() % 256);
    if (i % 3 == 0) junk = "GET /healthz HTTP/1.1\r\n" + junk;
    junk += "\r\n\r\n";
    TestHttpClient c = Client();
    ASSERT_TRUE(c.SendRaw(junk).ok());
    absl::StatusOr<std::string> answer = c.ReadUntilClose();
    ASSERT_TRUE(answer.ok()) << answer.status();
    if (!answer->empty()) {
      EXPECT_THAT(*answer, StartsWith("HTTP/1.1 4"));
    }
  }
  TestHttpClient c = Client();
  absl::StatusOr<TestResponse> r = c.Request("GET", "/healthz");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, StalledRequestGets408AndClose) {
  ServerOptions o = TestOptions();
  o.read_timeout = absl::Milliseconds(200);
  StartServer(o);
  TestHttpClient c = Client();
  ASSERT_TRUE(
      c.SendRaw("GET /healthz HTTP/1.1\r\nHost: t\r\n").ok());  // no final CRLF
  absl::StatusOr<std::string> answer = c.ReadUntilClose();
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_THAT(*answer, StartsWith("HTTP/1.1 408 Request Timeout\r\n"));
  EXPECT_THAT(*answer, HasSubstr("urn:jisr:problem:request-timeout"));
  EXPECT_THAT(*answer, HasSubstr("Connection: close"));
}

TEST_F(ServerTest, StalledBodyGets408) {
  ServerOptions o = TestOptions();
  o.read_timeout = absl::Milliseconds(200);
  StartServer(o);
  TestHttpClient c = Client();
  ASSERT_TRUE(
      c.SendRaw(
           "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
          .ok());
  absl::StatusOr<std::string> answer = c.ReadUntilClose();
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_THAT(*answer, StartsWith("HTTP/1.1 408 "));
  EXPECT_EQ(echo_calls_.load(), 0);
}

TEST_F(ServerTest, IdleConnectionIsClosedSilently) {
  ServerOptions o = TestOptions();
  o.idle_timeout = absl::Milliseconds(200);
  StartServer(o);
  TestHttpClient c = Client();
  absl::StatusOr<TestResponse> r = c.Request("GET", "/healthz");
  ASSERT_TRUE(r.ok());
  absl::StatusOr<std::string> rest =
      c.ReadUntilClose();  // server closes after idle_timeout
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(*rest, "");
  TestHttpClient never_speaks = Client();
  ASSERT_TRUE(never_speaks.Connect().ok());
  rest = never_speaks.ReadUntilClose();
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(*rest, "");
}

TEST_F(ServerTest, KeepAliveReusesOneConnection) {
  StartServer();
  TestHttpClient c = Client();
  for (int i = 0; i < 10; ++i) {
    absl::StatusOr<TestResponse> r = c.Request(
        i % 2 ? "GET" : "POST", i % 2 ? "/healthz" : "/echo", i % 2 ? "" : "x");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(c.connections_opened(), 1);
  EXPECT_TRUE(c.connected());
  EXPECT_THAT(
      Metrics(),
      HasSubstr("jisr_http_connections_accepted_total 2\n"));  // c + Metrics()
  // Connection: close is honoured.
  absl::StatusOr<TestResponse> r =
      c.Request("GET", "/healthz", "", {{"Connection", "close"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_FALSE(c.connected());
  r = c.Request("GET", "/healthz");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(c.connections_opened(), 2);
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAlive) {
  StartServer();
  TestHttpClient c = Client();
  ASSERT_TRUE(c.SendRaw("GET /healthz HTTP/1.0\r\n\r\n").ok());
  absl::StatusOr<std::string> all = c.ReadUntilClose();
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(*all, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(*all, HasSubstr("Connection: close\r\n"));
  TestHttpClient k = Client();
  ASSERT_TRUE(
      k.SendRaw("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
          .ok());
  absl::StatusOr<TestResponse> r = k.ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Header("Connection"), "keep-alive");
  EXPECT_TRUE(k.connected());
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
  StartServer();
  TestHttpClient c = Client();
  ASSERT_TRUE(c.SendRaw("GET /api/v1/users/first HTTP/1.1\r\nHost: t\r\n\r\n"
                        "GET /api/v1/users/second HTTP/1.1\r\nHost: t\r\n\r\n")
                  .ok());
  absl::StatusOr<TestResponse> a = c.ReadResponse();
  absl::StatusOr<TestResponse> b = c.ReadResponse();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(JsonBody(*a).at("id").as_string(), "first");
  EXPECT_EQ(JsonBody(*b).at("id").as_string(), "second");
}

TEST_F(ServerTest, HealthReadinessAndMetricsEndpoints) {
  StartServer();
  TestHttpClient c = Client();
  absl::StatusOr<TestResponse> r = c.Request("GET", "/healthz");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"status":"ok"})");
  r = c.Request("GET", "/readyz");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  ready_ = false;
  r = c.Request("GET", "/readyz");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(JsonBody(*r).at("type").as_string(), "urn:jisr:problem:not-ready");
  EXPECT_THAT(r->body,
              Not(HasSubstr("database")));  // the reason is logged, not sent
  r = c.Request("GET", "/metrics");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Type"),
            "text/plain; version=0.0.4; charset=utf-8");
}

TEST_F(ServerTest, MetricsCountRequestsByRouteMethodAndStatus) {
  StartServer();
  TestHttpClient c = Client();
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(c.Request("GET", "/api/v1/users/7").ok());
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(c.Request("GET", "/nope").ok());
  ASSERT_TRUE(c.Request("DELETE", "/api/v1/users/7").ok());
  ASSERT_TRUE(c.Request("GET", "/status/5").ok());
  absl::StatusOr<TestResponse> r = c.Request("GET", "/metrics");
  ASSERT_TRUE(r.ok());
  const std::string& text = r->body;
  EXPECT_THAT(text, HasSubstr("# HELP jisr_http_requests_total "));
  EXPECT_THAT(text, HasSubstr("# TYPE jisr_http_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("jisr_http_requests_total{route=\"users.get\","
                              "method=\"GET\",status=\"200\"} 5\n"));
  EXPECT_THAT(text, HasSubstr("jisr_http_requests_total{route=\"unmatched\","
                              "method=\"GET\",status=\"404\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("jisr_http_requests_total{route=\"unmatched\","
                              "method=\"DELETE\",status=\"405\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("jisr_http_requests_total{route=\"status\","
                              "method=\"GET\",status=\"404\"} 1\n"));
  EXPECT_THAT(
      text, HasSubstr("# TYPE jisr_http_request_duration_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("jisr_http_request_duration_seconds_bucket{route="
                              "\"users.get\",le=\"0.0005\"} "));
  EXPECT_THAT(text, HasSubstr("jisr_http_request_duration_seconds_bucket{route="
                              "\"users.get\",le=\"+Inf\"} 5\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "jisr_http_request_duration_seconds_count{route=\"users.get\"} 5\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "jisr_http_request_duration_seconds_sum{route=\"users.get\"} "));
  EXPECT_THAT(
      text,
      HasSubstr(
          "jisr_http_request_duration_seconds_count{route=\"unmatched\"} 3\n"));
  // Every route has its histogram from the start, even unused ones.
  EXPECT_THAT(
      text,
      HasSubstr(
          "jisr_http_request_duration_seconds_count{route=\"echo\"} 0\n"));
  // The /metrics request itself is in flight while it renders.
  EXPECT_THAT(text, HasSubstr("# TYPE jisr_http_in_flight_requests gauge\n"
                              "jisr_http_in_flight_requests 1\n"));
  EXPECT_THAT(text, HasSubstr("jisr_http_open_connections 1\n"));
}

TEST_F(ServerTest, ConcurrentClientsAreAllCounted) {
  StartServer();
  constexpr int kClients = 8;
  constexpr int kRequests = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      TestHttpClient c = Client();
      for (int i = 0; i < kRequests; ++i) {
        absl::StatusOr<TestResponse> r =
            c.Request("GET", fmt::format("/api/v1/users/{}-{}", t, i));
        if (r.ok() && r->status == 200 &&
            JsonBody(*r).at("id").as_string() == fmt::format("{}-{}", t, i)) {
          ok.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
  const std::string counted = fmt::format(
      "jisr_http_requests_total{{route=\"users.get\",method=\"GET\",status=\"200\"}} {}\n",
      kClients * kRequests);
  EXPECT_THAT(MetricsHolding(counted), HasSubstr(counted));
}

TEST_F(ServerTest, AccessLogHasOneLinePerRequestWithoutQueryOrBody) {
  const std::string path =
      fmt::format("{}/jisr_http_access_{}.log", ::testing::TempDir(),
                  static_cast<int>(::getpid()));
  std::remove(path.c_str());
  LoggingOptions logging;
  logging.access_log_path = path;
  InitLogging(logging);
  ServerOptions o = TestOptions();
  o.access_log = true;
  StartServer(o);
  TestHttpClient c = Client();
  ASSERT_TRUE(c.Request("GET", "/whoami?access_token=secret-token-123").ok());
  ASSERT_TRUE(c.Request("POST", "/echo", "secret-body-456").ok());
  ASSERT_TRUE(c.Request("GET", "/nope").ok());
  server_->Stop();
  std::vector<std::string> lines;
  const bool got_all = Eventually([&] {
    AccessLog().flush();
    std::ifstream in(path);
    lines.clear();
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines.size() >= 3;
  });
  InitLogging(LoggingOptions{});  // back to stdout for the other tests
  ASSERT_TRUE(got_all) << "access log lines: " << lines.size();
  ASSERT_EQ(lines.size(), 3u);
  std::string all;
  for (const std::string& l : lines) all += l + "\n";
  EXPECT_THAT(all, Not(HasSubstr("secret-token-123")));
  EXPECT_THAT(all, Not(HasSubstr("secret-body-456")));
  absl::StatusOr<boost::json::object> first = ParseJsonObject(lines[0]);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->at("method").as_string(), "GET");
  EXPECT_EQ(first->at("path").as_string(), "/whoami");
  EXPECT_EQ(first->at("route").as_string(), "whoami");
  EXPECT_EQ(first->at("status").as_int64(), 200);
  EXPECT_EQ(first->at("user").as_string(), "alice");
  EXPECT_EQ(first->at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(first->at("bytes").as_int64(), 16);
  EXPECT_FALSE(first->at("request_id").as_string().empty());
  EXPECT_TRUE(first->at("duration_ms").is_double());
  EXPECT_EQ(first->at("time").as_string().size(), 24u);
  absl::StatusOr<boost::json::object> second = ParseJsonObject(lines[1]);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->at("route").as_string(), "echo");
  EXPECT_TRUE(second->at("user").is_null());
  absl::StatusOr<boost::json::object> third = ParseJsonObject(lines[2]);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->at("route").as_string(), "unmatched");
  EXPECT_EQ(third->at("status").as_int64(), 404);
  std::remove(path.c_str());
}

TEST_F(ServerTest, StartErrors) {
  StartServer();
  EXPECT_EQ(server_->Start().code(), absl::StatusCode::kFailedPrecondition);
  ServerOptions taken = TestOptions();
  taken.port = server_->port();
  Server second(taken, &router_, &registry_);
  EXPECT_EQ(second.Start().code(), absl::StatusCode::kUnavailable);
  ServerOptions bad_host = TestOptions();
  bad_host.host = "no-such-host.invalid";
  Server third(bad_host, &router_, &registry_);
  EXPECT_EQ(third.Start().code(), absl::StatusCode::kInvalidArgument);
  ServerOptions bad_timeout = TestOptions();
  bad_timeout.read_timeout = absl::ZeroDuration();
  Server fourth(bad_timeout, &router_, &registry_);
  EXPECT_EQ(fourth.Start().code(), absl::StatusCode::kInvalidArgument);
  fourth.Stop();  // a no-op on a server that never started
}

// ---- Shutdown
// ----------------------------------------------------------------

class ServerShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_
                    .Add(Method::kGet, "/block", "block",
                         [this](Request&) {
                           entered_.count_down();
                           release_.wait();
                           Response r;
                           r.body = R"({"done":true})";
                           return r;
                         })
                    .ok());
    ASSERT_TRUE(AddOperationalRoutes(&router_, &registry_, nullptr).ok());
  }

  // Whether a new TCP connection to `port` is refused now.
  static bool Refused(uint16_t port) {
    TestHttpClient probe("127.0.0.1", port);
    return !probe.Connect().ok();
  }

  metrics::Registry registry_;
  Router router_;
  std::latch entered_{1};
  std::latch release_{1};
};

TEST_F(ServerShutdownTest, InFlightRequestCompletesIdleClosedNewRefused) {
  ServerOptions o = TestOptions();
  Server server(o, &router_, &registry_);
  ASSERT_TRUE(server.Start().ok());
  const uint16_t port = server.port();

  TestHttpClient idle("127.0.0.1", port);
  ASSERT_TRUE(idle.Request("GET", "/healthz")
                  .ok());  // now an idle keep-alive connection

  TestHttpClient busy("127.0.0.1", port);
  absl::StatusOr<TestResponse> busy_result;
  std::thread request_thread(
      [&] { busy_result = busy.Request("GET", "/block"); });
  entered_.wait();  // the handler is running

  std::thread stopper([&] { server.Stop(); });
  EXPECT_TRUE(Eventually([&] { return Refused(port); }));
  EXPECT_TRUE(server.stopping());
  // The idle keep-alive connection is closed by the server.
  absl::StatusOr<std::string> idle_rest = idle.ReadUntilClose();
  ASSERT_TRUE(idle_rest.ok()) << idle_rest.status();
  EXPECT_EQ(*idle_rest, "");

  release_.count_down();
  request_thread.join();
  stopper.join();
  ASSERT_TRUE(busy_result.ok()) << busy_result.status();
  EXPECT_EQ(busy_result->status, 200);
  EXPECT_EQ(busy_result->body, R"({"done":true})");
  EXPECT_EQ(busy_result->Header("Connection"), "close");
  EXPECT_TRUE(Refused(port));
}

TEST_F(ServerShutdownTest, GraceExpiryClosesStalledConnections) {
  ServerOptions o = TestOptions();
  o.shutdown_grace = absl::Milliseconds(100);
  Server server(o, &router_, &registry_);
  ASSERT_TRUE(server.Start().ok());
  TestHttpClient stalled("127.0.0.1", server.port());
  // A request that started but never finishes (read_timeout is 30 s).
  ASSERT_TRUE(stalled.SendRaw("GET /healthz HTTP/1.1\r\nHost: t\r\n").ok());
  ASSERT_TRUE(Eventually([&] {
    return registry_.Render().find("jisr_http_open_connections 1\n") !=
           std::string::npos;
  }));
  server.Stop();  // returns once the grace period closed the stalled connection
  absl::StatusOr<std::string> rest = stalled.ReadUntilClose();
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(*rest, "");
  release_.count_down();
}

TEST_F(ServerShutdownTest, StopBeforeStartAndTwiceIsHarmless) {
  Server server(TestOptions(), &router_, &registry_);
  server.Stop();
  server.Wait();
  ASSERT_TRUE(server.Start().ok());
  server.Stop();
  server.Stop();
  server.Wait();
  EXPECT_TRUE(server.stopping());
  release_.count_down();
}

TEST_F(ServerShutdownTest, RunUntilSignalReturnsOnSigterm) {
  Server server(TestOptions(), &router_, &registry_);
  absl::Status run_status = absl::UnknownError("not run");
  std::thread runner([&] { run_status = server.RunUntilSignal(); });
  // RunUntilSignal installs the handler before it starts listening.
  ASSERT_TRUE(Eventually([&] { return server.port() != 0; }));
  TestHttpClient c("127.0.0.1", server.port());
  absl::StatusOr<TestResponse> r = c.Request("GET", "/healthz");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  runner.join();
  EXPECT_TRUE(run_status.ok()) << run_status;
  EXPECT_TRUE(server.stopping());
  EXPECT_TRUE(Refused(server.port()));
  release_.count_down();
}

TEST_F(ServerShutdownTest, RunUntilSignalReturnsOnStop) {
  Server server(TestOptions(), &router_, &registry_);
  ASSERT_TRUE(server.Start().ok());
  std::thread runner([&] { EXPECT_TRUE(server.RunUntilSignal().ok()); });
  server.Stop();
  runner.join();
  EXPECT_TRUE(Refused(server.port()));
  release_.count_down();
}

}  // namespace
}  // namespace jisr::http
