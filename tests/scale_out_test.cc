// Scale-out: three `jisr serve` processes on one PostgreSQL database behave as
// one node. A session made through one is valid on all; writes spread across
// them are read back through every one; one process is SIGKILLed mid-write and
// the others carry on with no acknowledged change lost; the audit chain,
// appended to by all three at once, verifies at the end.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "api/test_client.h"
#include "db/test_stores.h"
#include "tests/support/node_helpers.h"
#include "tests/support/process.h"

namespace jisr::testing {
namespace {

namespace fs = std::filesystem;

http::TestHeaders Auth(const std::string& token) {
  return {{"Authorization", "Bearer " + token},
          {"Content-Type", "application/json"}};
}

// username → id of every user, listed through the node on `port`.
std::map<std::string, std::string> Users(uint16_t port,
                                         const std::string& token) {
  std::map<std::string, std::string> users;
  std::string after;
  http::TestHttpClient client("127.0.0.1", port);
  for (int page = 0; page < 100; ++page) {
    std::string target = "/api/v1/users?limit=500";
    if (!after.empty()) target += "&after=" + after;
    auto r = client.Request("GET", target, {}, Auth(token));
    EXPECT_TRUE(r.ok() && r->status == 200)
        << (r.ok() ? r->body : r.status().ToString());
    if (!r.ok() || r->status != 200) break;
    boost::json::object body = boost::json::parse(r->body).as_object();
    for (const auto& u : body.at("users").as_array()) {
      const auto& o = u.as_object();
      users[std::string(o.at("username").as_string())] =
          std::string(o.at("id").as_string());
    }
    if (body.at("next_after").is_null()) break;
    after = std::string(body.at("next_after").as_string());
  }
  return users;
}

int Status(uint16_t port, std::string_view method, std::string_view target,
           const std::string& token) {
  http::TestHttpClient client("127.0.0.1", port);
  auto r = client.Request(method, target, {},
                          {{"Authorization", "Bearer " + token}});
  return r.ok() ? r->status : -1;
}

TEST(ScaleOutTest, ThreeProcessesOnOnePostgresActAsOneNode) {
  if (!db::testing::PostgresTestUrl()) {
    GTEST_SKIP() << "the test PostgreSQL is not running (CTest starts it)";
  }
  db::testing::TestStore store("postgres", /*migrate=*/false);
  const std::string url = store.url();
  store.Close();
  TempDir tmp;
  const fs::path dir = tmp.path() / "node";
  CommandResult init = RunJisr({"init", "--data", dir.string(), "--agency",
                                "MA-DGSN", "--country", "MA", "--db", url});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string password = AdminPassword(dir);

  constexpr int kProcesses = 3;
  ServeProcess nodes[kProcesses];
  for (ServeProcess& node : nodes) {
    std::string error;
    ASSERT_TRUE(node.Start(dir, &error)) << error;
  }

  // A session made through one process is valid on all of them.
  const std::string token = Login(nodes[0].port(), "admin", password);
  ASSERT_FALSE(token.empty());
  for (ServeProcess& node : nodes)
    EXPECT_EQ(Status(node.port(), "GET", "/api/v1/me", token), 200);

  // Writers spread user creations across the three processes at once; the
  // third process is killed once enough writes went through.
  constexpr int kWriters = 3;
  constexpr int kPerWriter = 16;
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<int> acks{0};
  std::atomic<bool> killed{false};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        int target = (w + i) % kProcesses;
        if (killed && target == kProcesses - 1) target = i % (kProcesses - 1);
        const std::string name =
            "scale." + std::to_string(w) + "." + std::to_string(i);
        http::TestHttpClient client("127.0.0.1", nodes[target].port());
        auto r = client.Request(
            "POST", "/api/v1/users",
            R"({"username":")" + name +
                R"(","display_name":"Scale probe","role":"analyst","password":"probe-password-123"})",
            Auth(token));
        if (r.ok() && r->status == 201) {
          std::lock_guard lock(mu);
          acknowledged.insert(name);
          ++acks;
        } else if (r.ok()) {
          ++unexpected;
          ADD_FAILURE() << "process " << target << " answered " << r->status
                        << ": " << r->body;
        } else if (target != kProcesses - 1) {
          ++unexpected;
          ADD_FAILURE() << "process " << target << " failed: " << r.status();
        }  // else: the request died with the killed process (not acknowledged)
      }
    });
  }
  std::thread killer([&] {
    while (acks < kWriters * kPerWriter / 3 && unexpected == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    nodes[kProcesses - 1].Signal(SIGKILL);
    killed = true;
  });
  for (std::thread& t : writers) t.join();
  killer.join();
  EXPECT_EQ(nodes[kProcesses - 1].Wait(), 128 + SIGKILL);
  EXPECT_EQ(unexpected, 0);
  ASSERT_GE(acknowledged.size(),
            static_cast<size_t>(kWriters * kPerWriter / 3));

  // Every acknowledged write reads back through both survivors, which agree.
  const std::map<std::string, std::string> seen0 =
      Users(nodes[0].port(), token);
  const std::map<std::string, std::string> seen1 =
      Users(nodes[1].port(), token);
  EXPECT_EQ(seen0, seen1);
  for (const std::string& name : acknowledged) {
    EXPECT_TRUE(seen0.count(name)) << "acknowledged but lost: " << name;
  }
  // Each user reads back by id through the other survivor.
  int checked = 0;
  for (const std::string& name : acknowledged) {
    if (checked++ == 5) break;
    EXPECT_EQ(Status(nodes[1].port(), "GET", "/api/v1/users/" + seen0.at(name),
                     token),
              200);
  }

  // A new login through one survivor, its logout through the other: the
  // session is gone everywhere.
  const std::string second = Login(nodes[1].port(), "admin", password);
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(Status(nodes[0].port(), "GET", "/api/v1/me", second), 200);
  EXPECT_EQ(Status(nodes[0].port(), "DELETE", "/api/v1/session", second), 204);
  EXPECT_EQ(Status(nodes[1].port(), "GET", "/api/v1/me", second), 401);

  for (int i = 0; i < kProcesses - 1; ++i) {
    nodes[i].Signal(SIGTERM);
    EXPECT_EQ(nodes[i].Wait(), 0) << nodes[i].Output();
  }
  // The chain all three appended to concurrently is one valid chain.
  CommandResult verify = RunJisr({"audit", "verify", "--data", dir.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.out.find("audit chain intact"), std::string::npos)
      << verify.out;
}

}  // namespace
}  // namespace jisr::testing
