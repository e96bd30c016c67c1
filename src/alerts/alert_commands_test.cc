#include "alerts/alert_commands.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "common/ids.h"
#include "node/node.h"
#include "security/password.h"

namespace jisr::alerts {
namespace {

namespace fs = std::filesystem;

std::string TestData(const std::string& name) {
  const char* src = std::getenv("JISR_SOURCE_DIR");
  return std::string(src != nullptr ? src : JISR_ALERTS_SOURCE_DIR) +
         "/src/alerts/testdata/" + name;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class AlertCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("jisr-alert-cli-" + ToHex(RandomBytes(6)));
    node::InitOptions o;
    o.data_dir = dir_ / "node";
    o.agency.code = "MA-DGSN";
    o.agency.country = "MA";
    o.password = security::PasswordOptions::Minimum();
    o.os_user = "tester";
    ASSERT_TRUE(node::InitNode(o, clock_).ok());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  int64_t CountAlerts() {
    auto n = node::Node::Open(dir_ / "node", clock_);
    EXPECT_TRUE(n.ok()) << n.status();
    auto tx = *(*n)->db().Begin(db::TxMode::kRead);
    return (*tx->Query("SELECT COUNT(*) FROM alerts"))[0].GetInt(0);
  }

  AlertImportCommand Import(const std::string& format,
                            const std::string& file) {
    AlertImportCommand c;
    c.data = (dir_ / "node").string();
    c.format = format;
    c.file = TestData(file);
    c.os_user = "tester";
    return c;
  }

  FakeClock clock_;
  fs::path dir_;
};

TEST_F(AlertCommandsTest, ImportIsAllOrNothingUnlessSkipInvalidAndIdempotent) {
  absl::Status s = RunAlertImport(Import("ftm", "ftm_broken.jsonl"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(s.message()).find("nothing imported"),
            std::string::npos);
  EXPECT_EQ(CountAlerts(), 0);
  AlertImportCommand skip = Import("ftm", "ftm_broken.jsonl");
  skip.skip_invalid = true;
  ASSERT_TRUE(RunAlertImport(skip).ok());
  EXPECT_EQ(CountAlerts(), 1);
  ASSERT_TRUE(RunAlertImport(Import("interpol", "interpol_notices.json")).ok());
  ASSERT_TRUE(RunAlertImport(Import("csv", "persons.csv")).ok());
  EXPECT_EQ(CountAlerts(), 7);
  ASSERT_TRUE(RunAlertImport(Import("interpol", "interpol_notices.json")).ok());
  EXPECT_EQ(CountAlerts(), 7);

  EXPECT_EQ(RunAlertImport(Import("xml", "persons.csv")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunAlertImport(Import("csv", "no-such-file.csv")).code(),
            absl::StatusCode::kNotFound);
  AlertImportCommand bad_category = Import("csv", "persons.csv");
  bad_category.category = "wanted";
  EXPECT_EQ(RunAlertImport(bad_category).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(AlertCommandsTest, ExportWritesTheFileOnlyWhenComplete) {
  ASSERT_TRUE(RunAlertImport(Import("csv", "persons.csv")).ok());
  AlertExportCommand c;
  c.data = (dir_ / "node").string();
  c.format = "ftm";
  c.file = (dir_ / "out.jsonl").string();
  c.os_user = "tester";
  ASSERT_TRUE(RunAlertExport(c).ok());
  const std::string text = Slurp(dir_ / "out.jsonl");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_NE(text.find("\"Sampleman, Omar\""), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(dir_ / "out.jsonl.partial"));
  c.status = "active";
  c.file = (dir_ / "active.csv").string();
  c.format = "csv";
  ASSERT_TRUE(RunAlertExport(c).ok());
  EXPECT_EQ(Slurp(dir_ / "active.csv"),
            "id,name,aliases,birth_date,nationality,gender,document\n");
  c.format = "interpol";
  EXPECT_EQ(RunAlertExport(c).code(), absl::StatusCode::kInvalidArgument);
  c.format = "csv";
  c.status = "lost";
  EXPECT_EQ(RunAlertExport(c).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jisr::alerts
