// Screening against the shared OpenSanctions fixtures (skipped when
// ../shared/data is absent): the treated UN rows must find their untreated
// twins.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "screening/csv_reader.h"
#include "screening/index.h"

namespace jisr::screening {
namespace {

std::string DataDir() {
  const char* src = std::getenv("JISR_SOURCE_DIR");
  return std::string(src != nullptr ? src : ".") + "/../shared/data";
}

std::vector<Person> ReadFixture(const std::string& path,
                                const std::string& prefix) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string data = buf.str();
  CsvOptions o;
  o.max_field_bytes = 1 << 16;
  CsvReader reader(data, path, o);
  std::vector<CsvField> f;
  std::vector<Person> out;
  bool header = true;
  while (true) {
    auto got = reader.Next(&f);
    EXPECT_TRUE(got.ok());
    if (!got.ok() || !*got) break;
    if (header) {
      header = false;
      continue;
    }
    Person p;
    p.id = prefix + std::to_string(out.size());
    p.names.push_back(f[0].value);
    if (auto d = ParsePartialDate(f[5].value); d.ok()) p.birth_date = *d;
    out.push_back(std::move(p));
  }
  return out;
}

TEST(FixturesTest, TreatedUnRowsFindTheirTwins) {
  const std::string dir = DataDir() + "/opensanctions-screening-fixtures";
  if (!std::filesystem::exists(dir + "/positives_un_treated.csv")) {
    GTEST_SKIP() << "no shared data at " << dir;
  }
  const auto listed = ReadFixture(dir + "/positives_un_untreated.csv", "un");
  const auto queries = ReadFixture(dir + "/positives_un_treated.csv", "un");
  ASSERT_EQ(listed.size(), queries.size());
  ASSERT_GT(listed.size(), 600u);
  Index index;
  ASSERT_TRUE(index.UpsertBatch(listed).ok());
  const auto snap = index.snapshot();
  size_t found = 0;
  ScreenOptions o;
  o.explain = false;
  for (const auto& q : queries) {
    for (const auto& m : snap->Screen(q, o)) {
      if (m.person_id == q.id) {
        ++found;
        break;
      }
    }
  }
  EXPECT_GE(static_cast<double>(found) / queries.size(), 0.97) << found;
}

}  // namespace
}  // namespace jisr::screening
