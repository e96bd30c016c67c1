// Durability: a node killed with SIGKILL while it writes audited changes keeps
// every change its client saw acknowledged, and its audit chain still
// verifies. Also: SIGTERM shuts a node down cleanly (exit 0).
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include <boost/json.hpp>

#include "api/test_client.h"
#include "tests/support/process.h"

namespace jisr::testing {
namespace {

namespace fs = std::filesystem;

std::string AdminPassword(const fs::path& dir) {
  std::string p;
  std::ifstream(dir / "admin-password") >> p;
  return p;
}

// Signs in as admin and returns the token ("" on failure).
std::string Login(uint16_t port, const std::string& password) {
  http::TestHttpClient client("127.0.0.1", port);
  auto r = client.Request("POST", "/api/v1/session",
                          R"({"username":"admin","password":")" + password + "\"}",
                          {{"Content-Type", "application/json"}});
  if (!r.ok() || r->status != 201) return "";
  return std::string(boost::json::parse(r->body).at("token").as_string());
}

std::set<std::string> Usernames(uint16_t port, const std::string& token) {
  std::set<std::string> names;
  std::string after;
  for (int page = 0; page < 100; ++page) {
    http::TestHttpClient client("127.0.0.1", port);
    std::string target = "/api/v1/users?limit=500";
    if (!after.empty()) target += "&after=" + after;
    auto r = client.Request("GET", target, {}, {{"Authorization", "Bearer " + token}});
    EXPECT_TRUE(r.ok() && r->status == 200);
    if (!r.ok() || r->status != 200) break;
    boost::json::object body = boost::json::parse(r->body).as_object();
    for (const auto& u : body.at("users").as_array()) {
      names.insert(std::string(u.as_object().at("username").as_string()));
    }
    if (body.at("next_after").is_null()) break;
    after = std::string(body.at("next_after").as_string());
  }
  return names;
}

TEST(DurabilityTest, SigkillLosesNoAcknowledgedChange) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "node";
  ASSERT_EQ(RunJisr({"init", "--data", dir.string(), "--agency", "MA-DGSN", "--country", "MA"})
                .exit_code,
            0);
  const std::string password = AdminPassword(dir);
  std::set<std::string> acknowledged;
  std::mt19937 rng(std::random_device{}());
  for (int round = 0; round < 3; ++round) {
    ServeProcess node;
    std::string error;
    ASSERT_TRUE(node.Start(dir, &error)) << error;
    const std::string token = Login(node.port(), password);
    ASSERT_FALSE(token.empty());
    // Kill it at a random moment while the client writes.
    const int kill_after_ms = 300 + static_cast<int>(rng() % 900);
    std::atomic<bool> killed{false};
    std::thread killer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
      node.Signal(SIGKILL);
      killed = true;
    });
    http::TestHttpClient client("127.0.0.1", node.port());
    for (int i = 0; i < 2000 && !killed; ++i) {
      const std::string name = "dur." + std::to_string(round) + "." + std::to_string(i);
      auto r = client.Request(
          "POST", "/api/v1/users",
          R"({"username":")" + name +
              R"(","display_name":"Durability probe","role":"analyst","password":"probe-password-123"})",
          {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
      if (r.ok() && r->status == 201) {
        acknowledged.insert(name);
      } else if (r.ok()) {
        ADD_FAILURE() << "unexpected status " << r->status << ": " << r->body;
        break;
      } else {
        break;  // connection dropped by the kill
      }
    }
    killer.join();
    EXPECT_EQ(node.Wait(), 128 + SIGKILL);
  }
  ASSERT_FALSE(acknowledged.empty());

  ServeProcess node;
  std::string error;
  ASSERT_TRUE(node.Start(dir, &error)) << error;
  const std::string token = Login(node.port(), password);
  ASSERT_FALSE(token.empty());
  const std::set<std::string> stored = Usernames(node.port(), token);
  for (const std::string& name : acknowledged) {
    EXPECT_TRUE(stored.count(name)) << "acknowledged but lost: " << name;
  }
  node.Signal(SIGTERM);
  EXPECT_EQ(node.Wait(), 0);
  CommandResult verify = RunJisr({"audit", "verify", "--data", dir.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.out.find("audit chain intact"), std::string::npos) << verify.out;
}

TEST(DurabilityTest, SigtermFinishesCleanly) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "node";
  ASSERT_EQ(RunJisr({"init", "--data", dir.string(), "--agency", "FR-DGPN", "--country", "FR"})
                .exit_code,
            0);
  ServeProcess node;
  std::string error;
  ASSERT_TRUE(node.Start(dir, &error)) << error;
  http::TestHttpClient client("127.0.0.1", node.port());
  auto ready = client.Request("GET", "/readyz");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 200);
  node.Signal(SIGTERM);
  EXPECT_EQ(node.Wait(), 0);
  EXPECT_NE(node.Output().find("stopped"), std::string::npos) << node.Output();
  // Refused after shutdown.
  http::TestHttpClient after("127.0.0.1", node.port());
  EXPECT_FALSE(after.Connect().ok());
}

}  // namespace
}  // namespace jisr::testing
