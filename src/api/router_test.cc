#include "api/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace jisr::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Kind = Router::Match::Kind;

Handler Named(std::string name) {
  return [name](Request&) {
    Response r;
    r.body = name;
    return r;
  };
}

Request MakeRequest(std::string_view method, std::string_view target) {
  Request r;
  r.SetMethod(method);
  EXPECT_TRUE(r.SetTarget(target).ok()) << target;
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_.Add(Method::kGet, "/", "root", Named("root")).ok());
    ASSERT_TRUE(
        router_.Add(Method::kGet, "/api/v1/users", "users.list", Named("list"))
            .ok());
    ASSERT_TRUE(router_
                    .Add(Method::kPost, "/api/v1/users", "users.create",
                         Named("create"))
                    .ok());
    ASSERT_TRUE(
        router_
            .Add(Method::kGet, "/api/v1/users/{id}", "users.get", Named("get"))
            .ok());
    ASSERT_TRUE(router_
                    .Add(Method::kPatch, "/api/v1/users/{id}", "users.update",
                         Named("update"))
                    .ok());
    ASSERT_TRUE(
        router_.Add(Method::kGet, "/api/v1/users/me", "users.me", Named("me"))
            .ok());
    ASSERT_TRUE(router_
                    .Add(Method::kPost, "/api/v1/alerts/{id}/activate",
                         "alerts.activate", Named("activate"))
                    .ok());
    ASSERT_TRUE(router_
                    .Add(Method::kGet, "/api/v1/alerts/{id}/hits/{hit_id}",
                         "alerts.hit", Named("hit"))
                    .ok());
    ASSERT_TRUE(router_
                    .Add(Method::kGet, "/api/v1/alerts/export/csv",
                         "alerts.csv", Named("csv"))
                    .ok());
  }

  std::string Call(std::string_view method, std::string_view target,
                   Request* out = nullptr) {
    Request r = MakeRequest(method, target);
    Router::Match m = router_.Find(r);
    if (m.kind != Kind::kFound) return "";
    std::string body = router_.handler(m.route_index)(r).body;
    if (out != nullptr) *out = r;
    return body;
  }

  Router router_;
};

TEST_F(RouterTest, MatchesLiteralsAndParameters) {
  Request r;
  EXPECT_EQ(Call("GET", "/"), "root");
  EXPECT_EQ(Call("GET", "/api/v1/users"), "list");
  EXPECT_EQ(Call("POST", "/api/v1/users"), "create");
  EXPECT_EQ(Call("GET", "/api/v1/users/u-42", &r), "get");
  EXPECT_EQ(r.PathParam("id"), "u-42");
  EXPECT_EQ(r.route_name(), "users.get");
  EXPECT_EQ(Call("POST", "/api/v1/alerts/A1/activate", &r), "activate");
  EXPECT_EQ(r.PathParam("id"), "A1");
  EXPECT_EQ(Call("GET", "/api/v1/alerts/A1/hits/H9", &r), "hit");
  EXPECT_EQ(r.PathParam("id"), "A1");
  EXPECT_EQ(r.PathParam("hit_id"), "H9");
  EXPECT_EQ(r.path_params().size(), 2u);
}

TEST_F(RouterTest, PathParametersAreDecoded) {
  Request r;
  EXPECT_EQ(Call("GET", "/api/v1/users/a%2Fb%20c", &r), "get");
  EXPECT_EQ(r.PathParam("id"), "a/b c");
}

TEST_F(RouterTest, LiteralWinsOverParameterAndBacktracks) {
  Request r;
  EXPECT_EQ(Call("GET", "/api/v1/users/me", &r), "me");
  EXPECT_TRUE(r.path_params().empty());
  // PATCH exists only on the parameter route: the literal "me" has no PATCH,
  // so the search falls back to {id}.
  EXPECT_EQ(Call("PATCH", "/api/v1/users/me", &r), "update");
  EXPECT_EQ(r.PathParam("id"), "me");
  // "export" is a literal under alerts/, but "export/activate" only exists
  // through the {id} branch.
  EXPECT_EQ(Call("POST", "/api/v1/alerts/export/activate", &r), "activate");
  EXPECT_EQ(r.PathParam("id"), "export");
  EXPECT_EQ(Call("GET", "/api/v1/alerts/export/csv"), "csv");
}

TEST_F(RouterTest, HeadFallsBackToGet) {
  EXPECT_EQ(Call("HEAD", "/api/v1/users/7"), "get");
}

TEST_F(RouterTest, UnknownPathsAreNotFound) {
  for (const char* target :
       {"/nope", "/api/v1", "/api/v1/users/", "/api/v1/users/7/extra",
        "/api//v1/users", "/api/v1/alerts//activate",
        "/api/v1/users/7/activate"}) {
    Request r = MakeRequest("GET", target);
    EXPECT_EQ(router_.Find(r).kind, Kind::kNotFound) << target;
    EXPECT_TRUE(r.route_name().empty()) << target;
  }
}

TEST_F(RouterTest, WrongMethodGivesAllow) {
  Request r = MakeRequest("DELETE", "/api/v1/users/7");
  Router::Match m = router_.Find(r);
  EXPECT_EQ(m.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, PATCH");

  r = MakeRequest("PUT", "/api/v1/users");
  m = router_.Find(r);
  EXPECT_EQ(m.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");

  // The literal and parameter branches both match /users/me: Allow is the
  // union.
  r = MakeRequest("DELETE", "/api/v1/users/me");
  m = router_.Find(r);
  EXPECT_EQ(m.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, PATCH");

  r = MakeRequest("PROPFIND", "/api/v1/alerts/1/activate");
  m = router_.Find(r);
  EXPECT_EQ(m.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "POST");
}

TEST_F(RouterTest, RoutesListsEveryRouteInOrder) {
  const std::vector<Router::RouteInfo> routes = router_.Routes();
  ASSERT_EQ(routes.size(), 9u);
  EXPECT_EQ(routes[0], (Router::RouteInfo{Method::kGet, "/", "root"}));
  EXPECT_EQ(routes[3], (Router::RouteInfo{Method::kGet, "/api/v1/users/{id}",
                                          "users.get"}));
  EXPECT_EQ(routes[6],
            (Router::RouteInfo{Method::kPost, "/api/v1/alerts/{id}/activate",
                               "alerts.activate"}));
  EXPECT_EQ(router_.route_count(), 9u);
  EXPECT_EQ(router_.info(8).name, "alerts.csv");
}

TEST(RouterAddTest, RejectsBadPatterns) {
  Router router;
  for (const char* pattern :
       {"", "users", "/a//b", "/a/", "/{}", "/{1a}", "/{a-b}", "/{id}x",
        "/x{id}", "/{id", "/a b", "/a%20b", "/a?b", "/{a}/{a}", "/a/{b}/{b}"}) {
    const absl::Status s = router.Add(Method::kGet, pattern, "r", Named("x"));
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << pattern;
  }
  EXPECT_EQ(router.route_count(), 0u);
}

TEST(RouterAddTest, RejectsBadNamesMethodsAndHandlers) {
  Router router;
  EXPECT_EQ(router.Add(Method::kGet, "/a", "", Named("x")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(router.Add(Method::kGet, "/a", "unmatched", Named("x")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(router.Add(Method::kGet, "/a", "has space", Named("x")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      router.Add(Method::kGet, "/a", std::string(101, 'a'), Named("x")).code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(router.Add(Method::kOther, "/a", "a", Named("x")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(router.Add(Method::kGet, "/a", "a", Handler()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RouterAddTest, RejectsDuplicatesAndConflictingParameterNames) {
  Router router;
  ASSERT_TRUE(
      router.Add(Method::kGet, "/users/{id}", "users.get", Named("x")).ok());
  absl::Status s =
      router.Add(Method::kGet, "/users/{id}", "users.get2", Named("x"));
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(s.message()), HasSubstr("GET /users/{id}"));
  s = router.Add(Method::kPost, "/users", "users.get", Named("x"));
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  s = router.Add(Method::kDelete, "/users/{user_id}", "users.delete",
                 Named("x"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("conflicts"));
  // Same parameter name, other method: fine.
  EXPECT_TRUE(
      router.Add(Method::kDelete, "/users/{id}", "users.delete", Named("x"))
          .ok());
  EXPECT_EQ(router.route_count(), 2u);
}

TEST(RouterFindTest, VeryDeepPathsAreNotFound) {
  Router router;
  ASSERT_TRUE(router.Add(Method::kGet, "/{a}", "a", Named("x")).ok());
  std::string target;
  for (int i = 0; i < 100; ++i) target += "/x";
  Request r = MakeRequest("GET", target);
  EXPECT_EQ(router.Find(r).kind, Kind::kNotFound);
}

}  // namespace
}  // namespace jisr::http
