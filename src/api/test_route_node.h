// Test support for route tests: one node's HTTP API in-process — a migrated
// store (SQLite or PostgreSQL), the audit log on a fake clock, users of every
// role (password kPassword), sessions, the /api/v1 core routes, a real
// server on a loopback port, and a client that signs in as any of them.
// A module's test adds its own service and routes through `router()` before
// `Start()`.
//
//   RouteTestNode node("sqlite");
//   node.AddPartner("FR-DGPN");
//   MyService svc(node.db(), node.audit(), node.clock(), ...);
//   ASSERT_TRUE(AddMyRoutes(node.router(), {&node.sessions(), &svc}).ok());
//   node.Start();
//   node.Call("GET", "/api/v1/mine", {}, node.Token("officer1"));
//
// Users: admin1, super1, super2, officer1, officer2, officer3, analyst1,
// auditor1.
//
// Thread-safety: test-only; used from the test's thread (the server's
// threads call the services).
#ifndef JISR_API_TEST_ROUTE_NODE_H_
#define JISR_API_TEST_ROUTE_NODE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "api/metrics.h"
#include "api/operational_routes.h"
#include "api/routes.h"
#include "api/server.h"
#include "api/test_assertions.h"
#include "api/test_client.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/test_stores.h"
#include "federation/envelope.h"
#include "federation/store.h"
#include "security/audit_access.h"
#include "security/password.h"
#include "security/session_service.h"
#include "security/user_service.h"

namespace jisr::http::testing {

inline constexpr const char* kRouteTestPassword = "correct horse battery";

class RouteTestNode {
 public:
  explicit RouteTestNode(const std::string& store_kind, std::string agency = "MA-DGSN")
      : agency_(std::move(agency)),
        store_(store_kind),
        audit_(clock_),
        users_(store_.db(), audit_, clock_, UserOptions()),
        sessions_(store_.db(), audit_, clock_, SessionOpts()),
        audit_access_(store_.db(), audit_) {
    const auto op = security::Principal::CliOperator("test");
    for (auto [name, role] : {std::pair{"admin1", security::Role::kAdmin},
                              std::pair{"super1", security::Role::kSupervisor},
                              std::pair{"super2", security::Role::kSupervisor},
                              std::pair{"officer1", security::Role::kOfficer},
                              std::pair{"officer2", security::Role::kOfficer},
                              std::pair{"officer3", security::Role::kOfficer},
                              std::pair{"analyst1", security::Role::kAnalyst},
                              std::pair{"auditor1", security::Role::kAuditor}}) {
      auto u = users_.Create(op, {name, std::string("Test ") + name, role, kRouteTestPassword},
                             "setup");
      EXPECT_TRUE(u.ok()) << u.status();
      if (u.ok()) user_ids_[name] = u->id;
    }
    api_context_.users = &users_;
    api_context_.sessions = &sessions_;
    api_context_.audit_access = &audit_access_;
    api_context_.agency["code"] = agency_;
    EXPECT_TRUE(
        AddOperationalRoutes(&router_, &registry_, [] { return absl::OkStatus(); }).ok());
    EXPECT_TRUE(api::AddApiRoutes(router_, api_context_).ok());
  }
  RouteTestNode(const RouteTestNode&) = delete;
  RouteTestNode& operator=(const RouteTestNode&) = delete;
  ~RouteTestNode() {
    if (server_) server_->Stop();
  }

  // Registers partner `code` (country = its first two letters) with a fresh
  // signing key, which it returns.
  federation::SigningKey AddPartner(const std::string& code, std::string fingerprint = "") {
    federation::SigningKey key = federation::GenerateSigningKey();
    federation::Peer p;
    p.card.agency = code;
    p.card.country = code.substr(0, 2);
    p.card.name_en = p.card.name_fr = p.card.name_ar = code;
    p.card.federation_url = "https://127.0.0.1:9";
    if (fingerprint.empty()) fingerprint = "sha256:" + std::string(64, static_cast<char>('b' + partners_++));
    p.card.tls_fingerprint = std::move(fingerprint);
    p.card.signing_key = key.public_key;
    p.added_by = "cli:test";
    p.added_at = clock_.Now();
    EXPECT_TRUE(store_.db()
                    .Run(db::TxMode::kWrite,
                         [&](db::Transaction& tx) { return federation::InsertPeer(tx, p); })
                    .ok());
    return key;
  }

  // Starts the server with every route added so far (request bodies up to
  // `body_limit` bytes when not 0).
  void Start(size_t body_limit = 0) {
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    if (body_limit != 0) options.body_limit = body_limit;
    server_ = std::make_unique<Server>(options, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
  }

  // One request; `token` (when given) as the bearer, a body as JSON unless
  // `headers` names a Content-Type.
  TestResponse Call(std::string_view method, std::string_view target, std::string_view body = {},
                    const std::string& token = "", TestHeaders headers = {}) {
    TestHttpClient client("127.0.0.1", server_->port());
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    bool typed = false;
    for (const auto& [name, value] : headers) typed = typed || name == "Content-Type";
    if (!body.empty() && !typed) headers.emplace_back("Content-Type", "application/json");
    absl::StatusOr<TestResponse> r = client.Request(method, target, body, headers);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : TestResponse{};
  }

  // A session token of `username` (signed in once, then cached).
  const std::string& Token(const std::string& username) {
    auto it = tokens_.find(username);
    if (it != tokens_.end()) return it->second;
    TestResponse r = Call("POST", "/api/v1/session",
                          R"({"username":")" + username + R"(","password":")" +
                              kRouteTestPassword + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    return tokens_[username] = std::string(JsonOf(r).at("token").as_string());
  }

  // Rows of `table` now.
  int64_t Count(std::string_view table) {
    auto tx = *store_.db().Begin(db::TxMode::kRead);
    return (*tx->Query("SELECT COUNT(*) FROM " + std::string(table)))[0].GetInt(0);
  }

  // Expects the audit chain to verify.
  void ExpectAuditChainIntact() {
    absl::StatusOr<audit::VerifyResult> v = audit_.Verify(store_.db());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << v->reason;
  }

  // The id of test user `username` ("" when unknown).
  std::string UserId(const std::string& username) const {
    auto it = user_ids_.find(username);
    return it == user_ids_.end() ? std::string() : it->second;
  }
  // The store's own folder (for files beside it, such as attachments).
  std::filesystem::path dir() const { return store_.dir(); }
  const std::string& agency() const { return agency_; }
  FakeClock& clock() { return clock_; }
  db::Database& db() { return store_.db(); }
  audit::AuditLog& audit() { return audit_; }
  security::UserService& users() { return users_; }
  security::SessionService& sessions() { return sessions_; }
  Router& router() { return router_; }

 private:
  static security::UserServiceOptions UserOptions() {
    security::UserServiceOptions o;
    o.password = security::PasswordOptions::Minimum();
    return o;
  }
  static security::SessionOptions SessionOpts() {
    security::SessionOptions o;
    o.password = security::PasswordOptions::Minimum();
    return o;
  }

  std::string agency_;
  FakeClock clock_;
  db::testing::TestStore store_;
  audit::AuditLog audit_;
  security::UserService users_;
  security::SessionService sessions_;
  security::AuditAccess audit_access_;
  api::ApiContext api_context_;
  metrics::Registry registry_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, std::string> user_ids_;
  int partners_ = 0;
};

// A test fixture parameterised by store kind ("sqlite", "postgres") around
// one RouteTestNode, with the calls route tests use most. A module's fixture
// derives from it, builds its service on node_ and calls node_.Start().
class RouteTest : public ::testing::TestWithParam<std::string> {
 protected:
  RouteTest() : node_(GetParam()) {}
  void TearDown() override { node_.ExpectAuditChainIntact(); }

  TestResponse Call(std::string_view method, std::string_view target, std::string_view body = {},
                    const std::string& token = "", TestHeaders headers = {}) {
    return node_.Call(method, target, body, token, std::move(headers));
  }
  const std::string& Token(const std::string& username) { return node_.Token(username); }
  int64_t Count(std::string_view table) { return node_.Count(table); }
  static boost::json::object Json(const TestResponse& r) { return JsonOf(r); }
  static void ExpectProblem(const TestResponse& r, int status, std::string_view field = {}) {
    testing::ExpectProblem(r, status, field);
  }
  // The "id" member of r's JSON body.
  static std::string Id(const TestResponse& r) {
    boost::json::object o = JsonOf(r);
    const boost::json::value* id = o.if_contains("id");
    return id != nullptr && id->is_string() ? std::string(id->get_string()) : std::string();
  }

  RouteTestNode node_;
};

}  // namespace jisr::http::testing

#endif  // JISR_API_TEST_ROUTE_NODE_H_
