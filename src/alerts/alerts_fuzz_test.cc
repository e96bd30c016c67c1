// Replays the test files through the fuzz target's function (alerts_fuzz.cc)
// with every reader selector, and deterministic mutations of them (truncated,
// bytes flipped, bytes inserted), so that the invariants the fuzzer checks
// are also checked by every ordinary test run. A failed invariant aborts.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::string ReadTestFile(const std::string& name) {
  const char* src = std::getenv("JISR_SOURCE_DIR");
  const std::string dir =
      src != nullptr ? std::string(src) : std::string(JISR_ALERTS_SOURCE_DIR);
  std::ifstream in(dir + "/src/alerts/testdata/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Feed(uint8_t selector, const std::string& input) {
  std::string bytes(1, static_cast<char>(selector));
  bytes += input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()),
                         bytes.size());
}

TEST(AlertsFuzzReplayTest, TestFilesAndMutationsKeepTheInvariants) {
  const std::vector<std::string> files = {
      "interpol_red_notice.json", "interpol_notices.json",
      "interpol_broken.json",     "ftm_persons.jsonl",
      "ftm_broken.jsonl",         "persons.csv",
      "persons_broken.csv",       "paxlst_passengers.edi",
      "paxlst_crew.edi",
  };
  std::mt19937 rng(20260101);
  int runs = 0;
  for (const std::string& name : files) {
    const std::string data = ReadTestFile(name);
    for (uint8_t selector = 0; selector < 6; ++selector) {
      Feed(selector, data);
      ++runs;
      for (int i = 0; i < 40; ++i) {
        std::string m = data;
        switch (rng() % 3) {
          case 0:
            m.resize(rng() % (m.size() + 1));
            break;
          case 1:
            if (!m.empty())
              m[rng() % m.size()] = static_cast<char>(rng() % 256);
            break;
          default:
            m.insert(m.begin() + static_cast<ptrdiff_t>(rng() % (m.size() + 1)),
                     "\"{}[],:|\n\\'+?"[rng() % 13]);
            break;
        }
        Feed(selector, m);
        ++runs;
      }
    }
  }
  Feed(
      3,
      R"({"category":"locate","names":[{"full":"Nadia Exemplia"}],"action":"Report"})");
  Feed(
      4,
      R"({"name":"Nadia Exemplia","aliases":["N. Exemplia"],"nationality":"ma"})");
  EXPECT_EQ(runs, 9 * 6 * 41);
}

}  // namespace
