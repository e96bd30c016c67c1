#include "screening/screen_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json/parse.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace jisr::screening {
namespace {

namespace fs = std::filesystem;

const std::string kHeader =
    "id,name,aliases,birth_date,nationality,gender,document\n";

class ScreenCommandTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string templ =
        (fs::path(testing::TempDir()) / "jisr-screen-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    Write("W.csv",
          kHeader +
              "w1,Youcef Abdellatif Benali,\"يوسف عبد اللطيف بن "
              "علي\",1980-03-14,DZ,M,"
              "P1234567\n"
              "w2,Karim Bouzid,,1975,MA,M,\n"
              "w3,Houcine Mansouri,Hussein Al-Mansouri,1968-11-02,TN,,\n");
    Write("Q.csv", kHeader +
                       "q1,يوسف عبد اللطيف بن علي,,1980,,,\n"
                       "q2,Jonathan Smithers,,,,,\n"
                       "q3,\"MANSOURI, HOUSSINE\",,1968,TN,,\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const {
    return (fs::path(dir_) / name).string();
  }
  void Write(const std::string& name, const std::string& content) {
    std::ofstream(Path(name), std::ios::binary) << content;
  }
  std::string Read(const std::string& name) const {
    std::ifstream in(Path(name), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::vector<std::string> Files() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_))
      out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  ScreenCommandOptions Options(const std::string& watchlist,
                               const std::string& input) {
    ScreenCommandOptions o;
    o.watchlist = Path(watchlist);
    o.input = Path(input);
    o.threshold = 0.8;
    o.output = Path("out.jsonl");
    o.threads = 2;
    return o;
  }

  std::string dir_;
};

TEST_F(ScreenCommandTest, WritesJsonLinesBestFirst) {
  testing::internal::CaptureStderr();
  ASSERT_TRUE(RunScreen(Options("W.csv", "Q.csv")).ok());
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, testing::HasSubstr("3 rows read"));
  EXPECT_THAT(err, testing::HasSubstr("rows/s"));
  std::istringstream lines(Read("out.jsonl"));
  std::string line;
  std::vector<std::pair<std::string, std::string>> pairs;
  while (std::getline(lines, line)) {
    const auto v = boost::json::parse(line).as_object();
    for (const char* key :
         {"input_id", "watchlist_id", "score", "matched_name", "explanation"}) {
      EXPECT_TRUE(v.contains(key)) << key;
    }
    const double score = v.at("score").is_double()
                             ? v.at("score").as_double()
                             : static_cast<double>(v.at("score").as_int64());
    EXPECT_GE(score, 0.8);
    EXPECT_LE(score, 1.0);
    pairs.emplace_back(std::string(v.at("input_id").as_string()),
                       std::string(v.at("watchlist_id").as_string()));
  }
  EXPECT_THAT(pairs, testing::ElementsAre(testing::Pair("q1", "w1"),
                                          testing::Pair("q3", "w3")));
  EXPECT_THAT(Files(), testing::ElementsAre("Q.csv", "W.csv", "out.jsonl"));
}

TEST_F(ScreenCommandTest, ThresholdAndTop) {
  ScreenCommandOptions o = Options("W.csv", "Q.csv");
  o.threshold = 1.5;
  EXPECT_FALSE(RunScreen(o).ok());
  o.threshold = 0.0;
  o.top = 1;
  testing::internal::CaptureStderr();
  ASSERT_TRUE(RunScreen(o).ok());
  testing::internal::GetCapturedStderr();
  std::istringstream lines(Read("out.jsonl"));
  std::string line;
  size_t n = 0;
  while (std::getline(lines, line)) ++n;
  EXPECT_LE(n, 3u);  // at most one line per input
}

struct BadInput {
  const char* name;
  std::string content;
  const char* expected;  // substring of the error: file:line:column
};

class ScreenCommandBadInputTest : public ScreenCommandTest,
                                  public testing::WithParamInterface<BadInput> {
};

TEST_P(ScreenCommandBadInputTest, ErrorNamesFileLineColumnAndLeavesNoOutput) {
  const BadInput& b = GetParam();
  Write("bad.csv", b.content);
  // Bad as the input and as the watch list.
  for (const bool as_watchlist : {false, true}) {
    ScreenCommandOptions o = as_watchlist ? Options("bad.csv", "Q.csv")
                                          : Options("W.csv", "bad.csv");
    const absl::Status s = RunScreen(o);
    ASSERT_FALSE(s.ok());
    EXPECT_THAT(std::string(s.message()),
                testing::HasSubstr(Path("bad.csv") + ":" + b.expected));
    EXPECT_THAT(Files(), testing::ElementsAre("Q.csv", "W.csv", "bad.csv"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ScreenCommandBadInputTest,
    testing::Values(
        BadInput{
            "header",
            "id,name,aliases,dob,nationality,gender,document\nx,Ali,,,,,\n",
            "1:4: bad header"},
        BadInput{"utf8", kHeader + "x1,Ali,,,,,\nx2,\"Ka\xffrim\",,,,,\n",
                 "3:2: invalid UTF-8"},
        BadInput{"empty_name", kHeader + "x1,Ali,,,,,\nx2,,,,,,\n",
                 "3:2: name: name is empty"},
        BadInput{"bad_date", kHeader + "x1,Ali,,1980-02-30,,,\n",
                 "2:4: birth_date: bad date"},
        BadInput{"long_field",
                 kHeader + "x1,Ali," + std::string(5000, 'b') + ",,,,\n",
                 "2:3: field longer than"},
        BadInput{"field_count", kHeader + "x1,Ali,,\n",
                 "2:5: expected 7 fields"}),
    [](const testing::TestParamInfo<BadInput>& p) {
      return std::string(p.param.name);
    });

TEST_F(ScreenCommandTest, ExistingOutputIsNotTouchedOnError) {
  Write("out.jsonl", "previous\n");
  Write("bad.csv", kHeader + "x1,,,,,,\n");
  EXPECT_FALSE(RunScreen(Options("W.csv", "bad.csv")).ok());
  EXPECT_EQ(Read("out.jsonl"), "previous\n");
}

TEST_F(ScreenCommandTest, MissingFile) {
  const absl::Status s = RunScreen(Options("W.csv", "nope.csv"));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), testing::HasSubstr("nope.csv"));
}

TEST_F(ScreenCommandTest, CliExitCodes) {
  const auto run = [](std::vector<std::string> args) {
    CLI::App app;
    AddScreeningCommands(app);
    std::vector<const char*> argv = {"jisr"};
    for (const auto& a : args) argv.push_back(a.c_str());
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    int code = 0;
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
      code = app.exit(e);
    }
    const std::string out = testing::internal::GetCapturedStdout();
    const std::string err = testing::internal::GetCapturedStderr();
    return std::make_tuple(code, out, err);
  };
  Write("bad.csv", kHeader + "x1,Ali,,1980-13,,,\n");
  auto [code, out, err] =
      run({"screen", "--watchlist", Path("W.csv"), "--input", Path("bad.csv"),
           "--output", Path("o.jsonl")});
  EXPECT_NE(code, 0);
  EXPECT_THAT(err, testing::HasSubstr("error: " + Path("bad.csv") + ":2:4:"));
  EXPECT_FALSE(fs::exists(Path("o.jsonl")));

  std::tie(code, out, err) = run({"match", "Mohamed Ben Ali", "محمد بن علي"});
  EXPECT_EQ(code, 0);
  const auto v = boost::json::parse(out).as_object();
  EXPECT_TRUE(v.at("match").as_bool());
  EXPECT_TRUE(v.contains("explanation"));
  EXPECT_EQ(v.at("a").as_string(), "Mohamed Ben Ali");

  std::tie(code, out, err) = run({"match", "---", "Ali"});
  EXPECT_NE(code, 0);
  EXPECT_THAT(err, testing::HasSubstr("no letters"));
}

}  // namespace
}  // namespace jisr::screening

namespace jisr::screening {
namespace {

// A flight manifest (PAXLST) screened against a watch list: the passenger on
// the list is found; a broken manifest fails naming the file and segment.
TEST_F(ScreenCommandTest, ScreensAPaxlstManifest) {
  Write("list.csv", kHeader + "w-1,Karim Testaoui,,1985-03-02,MA,M,\n");
  Write("flight.edi",
        "UNA:+.? '"
        "UNB+UNOA:4+DEMOAIR:ZZ+MADGSN:ZZ+260101:0900+DEMO0009'"
        "UNH+PAX009+PAXLST:D:05B:UN:IATA'BGM+745'"
        "TDT+20+DA0009+++DA'LOC+125+CDG'DTM+189:2601011000:201'"
        "LOC+87+RAK'DTM+232:2601011330:201'"
        "NAD+FL+++TESTAOUI:KARIM'ATT+2++M'DTM+329:850302'NAT+2+MAR'"
        "NAD+FL+++SAMPLEWOMAN:LINA'ATT+2++F'DTM+329:900101'NAT+2+FRA'"
        "CNT+42:2'UNT+17+PAX009'UNZ+1+DEMO0009'");
  ScreenCommandOptions options = Options("list.csv", "");
  options.input.clear();
  options.paxlst = Path("flight.edi");
  absl::Status s = RunScreen(options);
  ASSERT_TRUE(s.ok()) << s;
  const std::string out = Read("out.jsonl");
  EXPECT_NE(out.find("\"watchlist_id\":\"w-1\""), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;

  Write("broken.edi", "UNH+X+PAXLST:D:05B:UN:IATA'NAD+FL+++A'");
  options.paxlst = Path("broken.edi");
  s = RunScreen(options);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("broken.edi"), std::string::npos) << s;

  options.input = Path("list.csv");  // both: refused
  EXPECT_EQ(RunScreen(options).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jisr::screening
