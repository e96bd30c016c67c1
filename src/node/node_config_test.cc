#include "node/node_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/ids.h"
#include "common/status.h"

namespace jisr::node {
namespace {

class NodeConfigTest : public ::testing::Test {
 protected:
  NodeConfigTest()
      : dir_(std::filesystem::temp_directory_path() / ("jisr-cfg-" + ToHex(RandomBytes(6)))) {
    std::filesystem::create_directories(dir_);
  }
  ~NodeConfigTest() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& text) { std::ofstream(ConfigPath(dir_)) << text; }
  std::filesystem::path dir_;
};

TEST_F(NodeConfigTest, RoundTrip) {
  NodeConfig c;
  c.listen = "0.0.0.0:9090";
  c.http_threads = 3;
  c.session_hours = 8;
  c.access_log = "off";
  c.federation_listen = "127.0.0.1:9443";
  c.federation_url = "https://jisr.example:443";
  c.federation_retry_max_seconds = 20;
  c.federation_lease_seconds = 5;
  c.federation_max_refusals = 3;
  c.upload_expiry_hours = 2;
  c.attachment_max_bytes = 2048;
  ASSERT_TRUE(SaveNodeConfig(dir_, c).ok());
  absl::StatusOr<NodeConfig> back = LoadNodeConfig(dir_);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->listen, "0.0.0.0:9090");
  EXPECT_EQ(back->http_threads, 3);
  EXPECT_EQ(back->session_hours, 8);
  EXPECT_EQ(back->access_log, "off");
  EXPECT_EQ(back->database, "sqlite:jisr.db");
  EXPECT_EQ(back->federation_listen, "127.0.0.1:9443");
  EXPECT_EQ(back->FederationUrl(), "https://jisr.example:443");
  EXPECT_EQ(back->federation_retry_max_seconds, 20);
  EXPECT_EQ(back->federation_lease_seconds, 5);
  EXPECT_EQ(back->federation_max_refusals, 3);
  EXPECT_EQ(back->upload_expiry_hours, 2);
  EXPECT_EQ(back->attachment_max_bytes, 2048);
  NodeConfig derived;
  derived.federation_listen = "127.0.0.1:8443";
  EXPECT_EQ(derived.FederationUrl(), "https://127.0.0.1:8443");
}

TEST_F(NodeConfigTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadNodeConfig(dir_).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(NodeConfigTest, ErrorsNameFileAndMember) {
  Write(R"({"listen": "nowhere"})");
  absl::Status s = LoadNodeConfig(dir_).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*FieldOf(s), "listen");
  EXPECT_NE(std::string(s.message()).find("jisr.json"), std::string::npos) << s;

  Write(R"({"session_hours": 0})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "session_hours");
  Write(R"({"log_level": "loud"})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "log_level");
  Write(R"({"federation_listen": "nowhere"})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "federation_listen");
  Write(R"({"federation_url": "http://x:1"})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "federation_url");
  Write(R"({"federation_retry_max_seconds": 0})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "federation_retry_max_seconds");
  Write(R"({"federation_lease_seconds": 601})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "federation_lease_seconds");
  Write(R"({"federation_max_refusals": 0})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "federation_max_refusals");
  Write(R"({"upload_expiry_hours": 721})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "upload_expiry_hours");
  Write(R"({"upload_expiry_hours": 0})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "upload_expiry_hours");
  Write(R"({"attachment_max_bytes": 10})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "attachment_max_bytes");
  Write(R"({"colour": "blue"})");
  EXPECT_EQ(*FieldOf(LoadNodeConfig(dir_).status()), "colour");
  Write("{\"listen\": ");
  s = LoadNodeConfig(dir_).status();
  EXPECT_NE(std::string(s.message()).find("line 1"), std::string::npos) << s;
}

TEST(ParseListenTest, HostsAndPorts) {
  std::string host;
  uint16_t port = 0;
  ASSERT_TRUE(ParseListen("127.0.0.1:8080", "listen", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 8080);
  ASSERT_TRUE(ParseListen("[::1]:0", "listen", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 0);
  EXPECT_FALSE(ParseListen("127.0.0.1:70000", "listen", &host, &port).ok());
  EXPECT_FALSE(ParseListen("127.0.0.1", "listen", &host, &port).ok());
  EXPECT_FALSE(ParseListen(":80", "listen", &host, &port).ok());
}

TEST(ResolveDatabaseUrlTest, RelativeSqlitePathsAreInTheDataDir) {
  EXPECT_EQ(ResolveDatabaseUrl("/srv/node", "sqlite:jisr.db"), "sqlite:/srv/node/jisr.db");
  EXPECT_EQ(ResolveDatabaseUrl("/srv/node", "sqlite:/data/x.db"), "sqlite:/data/x.db");
  EXPECT_EQ(ResolveDatabaseUrl("/srv/node", "postgres://db/jisr"), "postgres://db/jisr");
}

}  // namespace
}  // namespace jisr::node
