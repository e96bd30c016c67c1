// Scale-out: three `jisr serve` processes on one PostgreSQL database behave as
// one node. A session made through one is valid on all; writes spread across
// them are read back through every one; one process is SIGKILLed mid-write and
// the others carry on with no acknowledged change lost; the audit chain,
// appended to by all three at once, verifies at the end. With a partner node:
// an alert activated through one process screens through the two others
// within a second, and the three processes' senders deliver every envelope
// to the partner exactly once.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

// A loopback port free at the time of the call.
uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// The password of demo account `username` from DIR/demo-passwords.
std::string DemoPassword(const fs::path& dir, const std::string& username) {
  std::ifstream in(dir / "demo-passwords");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name, role, password;
    if (fields >> name >> role >> password && name == username) return password;
  }
  return "";
}

// POSTs `body` to the node on `port`; returns {status, body}.
std::pair<int, std::string> Post(uint16_t port, std::string_view target,
                                 const std::string& token, const std::string& body) {
  http::TestHttpClient client("127.0.0.1", port);
  auto headers = Auth(token);
  headers.push_back({"X-Purpose", "scale-out test"});
  auto r = client.Request("POST", target, body, headers);
  if (!r.ok()) return {-1, r.status().ToString()};
  return {r->status, r->body};
}

// A synthetic alert shared with FR-DGPN whose family name is `family`.
std::string SharedAlert(const std::string& family) {
  boost::json::object o{
      {"category", "locate"},
      {"names", boost::json::array{boost::json::object{{"full", "Yanis " + family}}}},
      {"birth_date", "1991-05"},
      {"nationalities", boost::json::array{"MA"}},
      {"action", "Locate and report (synthetic test case)."},
      {"handling_code", "H1"},
      {"share_with", boost::json::array{"FR-DGPN"}}};
  return boost::json::serialize(o);
}

// True when screening `name` through the node on `port` finds alert `id`.
bool Screens(uint16_t port, const std::string& token, const std::string& name,
             const std::string& id) {
  boost::json::object body{{"purpose", "scale-out test"},
                           {"person", boost::json::object{{"name", name}}}};
  auto [status, text] = Post(port, "/api/v1/screen", token, boost::json::serialize(body));
  return status == 200 && text.find(id) != std::string::npos;
}

int64_t CountAt(db::Database& store, const std::string& sql) {
  int64_t n = -1;
  EXPECT_TRUE(store
                  .Run(db::TxMode::kRead,
                       [&](db::Transaction& tx) -> absl::Status {
                         absl::StatusOr<std::vector<db::Row>> rows = tx.Query(sql);
                         if (!rows.ok()) return rows.status();
                         n = (*rows)[0].GetInt(0);
                         return absl::OkStatus();
                       })
                  .ok());
  return n;
}

TEST(ScaleOutTest, ThreeProcessesScreenEachOthersChangesAndSendEachEnvelopeOnce) {
  if (!db::testing::PostgresTestUrl()) {
    GTEST_SKIP() << "the test PostgreSQL is not running (CTest starts it)";
  }
  db::testing::TestStore store("postgres", /*migrate=*/false);
  const std::string url = store.url();
  store.Close();
  TempDir tmp;
  const fs::path rabat = tmp.path() / "rabat";
  const fs::path paris = tmp.path() / "paris";
  // Rabat's processes listen on ports of their own; Paris sends nothing back
  // here, so Rabat's card names a placeholder address.
  CommandResult init = RunJisr({"init", "--data", rabat.string(), "--agency", "MA-DGSN",
                                "--country", "MA", "--db", url, "--demo", "--federation-url",
                                "https://127.0.0.1:9"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const uint16_t paris_federation = FreePort();
  init = RunJisr({"init", "--data", paris.string(), "--agency", "FR-DGPN", "--country", "FR",
                  "--federation-listen", "127.0.0.1:" + std::to_string(paris_federation)});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const fs::path rabat_card = tmp.path() / "rabat.card";
  const fs::path paris_card = tmp.path() / "paris.card";
  ASSERT_EQ(RunJisr({"peer", "card", "--data", rabat.string(), "--output", rabat_card.string()})
                .exit_code,
            0);
  ASSERT_EQ(RunJisr({"peer", "card", "--data", paris.string(), "--output", paris_card.string()})
                .exit_code,
            0);
  ASSERT_EQ(RunJisr({"peer", "add", "--data", paris.string(), "--card", rabat_card.string()})
                .exit_code,
            0);

  ServeProcess paris_node;
  std::string error;
  ASSERT_TRUE(paris_node.Start(paris, &error)) << error;
  constexpr int kProcesses = 3;
  ServeProcess nodes[kProcesses];
  for (ServeProcess& node : nodes) {
    ASSERT_TRUE(node.Start(rabat, &error, {"--federation-listen", "127.0.0.1:0"})) << error;
  }
  // Paired while the processes run: their senders pick the peer up.
  ASSERT_EQ(RunJisr({"peer", "add", "--data", rabat.string(), "--card", paris_card.string()})
                .exit_code,
            0);
  const std::string officer = Login(nodes[0].port(), "demo.officer", DemoPassword(rabat, "demo.officer"));
  const std::string supervisor =
      Login(nodes[1].port(), "demo.supervisor", DemoPassword(rabat, "demo.supervisor"));
  ASSERT_FALSE(officer.empty());
  ASSERT_FALSE(supervisor.empty());

  // Alerts drafted through one process and activated through another.
  constexpr int kAlerts = 24;
  std::vector<std::string> ids;
  for (int i = 0; i < kAlerts; ++i) {
    const std::string family = "Scaleoutis" + std::string(1, static_cast<char>('a' + i));
    auto [status, body] =
        Post(nodes[i % kProcesses].port(), "/api/v1/alerts", officer, SharedAlert(family));
    ASSERT_EQ(status, 201) << body;
    const std::string id(boost::json::parse(body).at("id").as_string());
    auto [activated, answer] = Post(nodes[(i + 1) % kProcesses].port(),
                                    "/api/v1/alerts/" + id + "/activate", supervisor,
                                    R"({"version":1})");
    ASSERT_EQ(activated, 200) << answer;
    ids.push_back(id);
    if (i == 0) {
      // The two other processes screen it within a second.
      const auto activated_at = std::chrono::steady_clock::now();
      for (int other : {0, 2}) {
        bool found = false;
        while (!found &&
               std::chrono::steady_clock::now() - activated_at < std::chrono::seconds(1)) {
          found = Screens(nodes[other].port(), officer, "Yanis " + family, id);
          if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        EXPECT_TRUE(found) << "process " << other << " did not screen the alert within 1 s";
      }
    }
  }

  // Every envelope reaches Paris once, though three senders ran.
  auto rabat_store = db::OpenDatabase(url);
  ASSERT_TRUE(rabat_store.ok()) << rabat_store.status();
  auto paris_store = db::OpenDatabase("sqlite:" + (paris / "jisr.db").string());
  ASSERT_TRUE(paris_store.ok()) << paris_store.status();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int64_t pending = -1;
  while (std::chrono::steady_clock::now() < deadline) {
    pending = CountAt(**rabat_store,
                      "SELECT COUNT(*) FROM outbox WHERE recipient = 'FR-DGPN' AND delivered_at "
                      "IS NULL");
    if (pending == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(pending, 0);
  const int64_t sent =
      CountAt(**rabat_store, "SELECT COUNT(*) FROM outbox WHERE recipient = 'FR-DGPN'");
  EXPECT_GE(sent, kAlerts);  // and the demo alerts shared with FR-DGPN
  EXPECT_EQ(CountAt(**paris_store, "SELECT COUNT(*) FROM inbox WHERE sender = 'MA-DGSN'"), sent);
  // No envelope arrived twice (a second send would be answered "duplicate"
  // and audited as a replay).
  EXPECT_EQ(CountAt(**paris_store,
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'federation.replay'"),
            0);
  for (const std::string& id : ids) {
    EXPECT_EQ(CountAt(**paris_store, "SELECT COUNT(*) FROM alerts WHERE id = '" + id + "'"), 1)
        << id;
  }
  rabat_store->reset();
  paris_store->reset();
  const CommandResult at_rabat = RunJisr(
      {"peer", "digest", "--data", rabat.string(), "--owner", "MA-DGSN", "--partner", "FR-DGPN"});
  const CommandResult at_paris = RunJisr(
      {"peer", "digest", "--data", paris.string(), "--owner", "MA-DGSN", "--partner", "FR-DGPN"});
  ASSERT_EQ(at_rabat.exit_code, 0) << at_rabat.err;
  EXPECT_EQ(at_rabat.out, at_paris.out);

  for (ServeProcess& node : nodes) {
    node.Signal(SIGTERM);
    EXPECT_EQ(node.Wait(), 0) << node.Output();
  }
  paris_node.Signal(SIGTERM);
  EXPECT_EQ(paris_node.Wait(), 0) << paris_node.Output();
}

}  // namespace
}  // namespace jisr::testing
