#include "node/node.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "common/ids.h"
#include "common/status.h"
#include "db/database.h"

namespace jisr::node {
namespace {

namespace fs = std::filesystem;

class NodeTest : public ::testing::Test {
 protected:
  NodeTest() : root_(fs::temp_directory_path() / ("jisr-node-" + ToHex(RandomBytes(6)))) {
    options_.data_dir = root_ / "node";
    options_.agency = Agency{"MA-DGSN", "MA", "National Security", "Sûreté nationale",
                             "الأمن الوطني", {}};
    options_.password = security::PasswordOptions::Minimum();
    options_.os_user = "tester";
  }
  ~NodeTest() override { fs::remove_all(root_); }

  static int Mode(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 0777;
  }

  FakeClock clock_;
  fs::path root_;
  InitOptions options_;
};

TEST_F(NodeTest, InitCreatesStoreAdminAndSecretFiles) {
  options_.demo = true;
  absl::StatusOr<InitResult> r = InitNode(options_, clock_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GE(r->admin_password.size(), 20u);
  ASSERT_EQ(r->demo.size(), 4u);
  const fs::path dir = options_.data_dir;
  EXPECT_EQ(Mode(dir), 0700);
  EXPECT_EQ(Mode(dir / "admin-password"), 0600);
  EXPECT_EQ(Mode(dir / "demo-passwords"), 0600);
  std::string stored;
  std::ifstream(dir / "admin-password") >> stored;
  EXPECT_EQ(stored, r->admin_password);

  absl::StatusOr<std::unique_ptr<Node>> node = Node::Open(dir, clock_);
  ASSERT_TRUE(node.ok()) << node.status();
  EXPECT_EQ((*node)->agency().code, "MA-DGSN");
  EXPECT_EQ((*node)->agency().name_ar, "الأمن الوطني");
  // The generated admin password signs in; demo accounts exist.
  auto login = (*node)->sessions().Login("admin", r->admin_password, "test");
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_EQ(login->user.role, security::Role::kAdmin);
  auto demo = (*node)->sessions().Login(r->demo[0].username, r->demo[0].password, "test");
  EXPECT_TRUE(demo.ok()) << demo.status();
  // Init is audited and the chain verifies.
  auto verify = (*node)->audit().Verify((*node)->db());
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok()) << verify->reason;
  EXPECT_GE(verify->entries_checked, 6);
}

TEST_F(NodeTest, InitRefusesAnExistingNode) {
  ASSERT_TRUE(InitNode(options_, clock_).ok());
  std::string before;
  std::ifstream(options_.data_dir / "admin-password") >> before;
  absl::StatusOr<InitResult> again = InitNode(options_, clock_);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  std::string after;
  std::ifstream(options_.data_dir / "admin-password") >> after;
  EXPECT_EQ(before, after);
}

TEST_F(NodeTest, BadAgencyLeavesNothingBehind) {
  options_.agency.code = "FR-DGPN";  // does not match country MA
  absl::StatusOr<InitResult> r = InitNode(options_, clock_);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*FieldOf(r.status()), "agency");
  EXPECT_FALSE(fs::exists(options_.data_dir));
  options_.agency.code = "MA-DGSN";
  options_.agency.country = "ma";
  EXPECT_EQ(*FieldOf(InitNode(options_, clock_).status()), "country");
}

TEST_F(NodeTest, FailureAfterCreatingTheStoreRemovesIt) {
  // An existing directory whose store already belongs to an agency: init fails
  // and removes only what it created.
  ASSERT_TRUE(InitNode(options_, clock_).ok());
  fs::remove(options_.data_dir / "jisr.json");
  fs::remove(options_.data_dir / "admin-password");
  fs::create_directories(root_ / "other");
  std::ofstream(root_ / "other" / "keep.txt") << "x";
  InitOptions second = options_;
  second.data_dir = root_ / "other";
  second.database = "sqlite:" + (options_.data_dir / "jisr.db").string();
  absl::StatusOr<InitResult> r = InitNode(second, clock_);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAlreadyExists);
  // Refused before anything was written to that store.
  EXPECT_NE(r.status().message().find("already holds a jisr node"), std::string::npos)
      << r.status();
  EXPECT_FALSE(fs::exists(root_ / "other" / "federation"));
  EXPECT_TRUE(fs::exists(root_ / "other" / "keep.txt"));
  EXPECT_FALSE(fs::exists(root_ / "other" / "admin-password"));
  EXPECT_FALSE(fs::exists(root_ / "other" / "jisr.json"));
  EXPECT_TRUE(fs::exists(options_.data_dir / "jisr.db"));  // not created by it: kept
}

TEST_F(NodeTest, OpenRejectsAnUninitialisedDirectory) {
  fs::create_directories(options_.data_dir);
  EXPECT_EQ(Node::Open(options_.data_dir, clock_).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jisr::node
