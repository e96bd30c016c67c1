#include "screening/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jisr::screening {
namespace {

std::vector<std::vector<std::string>> ReadAll(std::string_view data,
                                              CsvOptions o = {}) {
  CsvReader r(data, "t.csv", o);
  std::vector<std::vector<std::string>> out;
  std::vector<CsvField> f;
  while (true) {
    auto got = r.Next(&f);
    EXPECT_TRUE(got.ok()) << got.status();
    if (!got.ok() || !*got) break;
    std::vector<std::string> row;
    for (auto& x : f) row.push_back(x.value);
    out.push_back(row);
  }
  return out;
}

std::string ErrorOf(std::string_view data, CsvOptions o = {}) {
  CsvReader r(data, "t.csv", o);
  std::vector<CsvField> f;
  while (true) {
    auto got = r.Next(&f);
    if (!got.ok()) return std::string(got.status().message());
    if (!*got) return "";
  }
}

TEST(CsvReaderTest, QuotesNewlinesAndCrlf) {
  const auto rows = ReadAll(
      "a,b,c\r\n\"x,1\",\"he said \"\"hi\"\"\",\"two\nlines\"\n\nlast,,\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[1],
              testing::ElementsAre("x,1", "he said \"hi\"", "two\nlines"));
  EXPECT_THAT(rows[2], testing::ElementsAre("last", "", ""));
}

TEST(CsvReaderTest, BomAndNoFinalNewline) {
  const auto rows = ReadAll("\xEF\xBB\xBFid,name\n1,x");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "id");
  EXPECT_EQ(rows[1][1], "x");
}

TEST(CsvReaderTest, LinesAndColumnsOfFields) {
  CsvReader r("a,b\n\"multi\nline\",z\n", "t.csv");
  std::vector<CsvField> f;
  ASSERT_TRUE(*r.Next(&f));
  ASSERT_TRUE(*r.Next(&f));
  EXPECT_EQ(f[0].line, 2u);
  EXPECT_EQ(f[1].line, 3u);
  EXPECT_EQ(f[1].column, 2u);
}

TEST(CsvReaderTest, ErrorsNameSourceLineAndColumn) {
  EXPECT_THAT(ErrorOf("a,b\n1,\"open\n"),
              testing::HasSubstr("t.csv:2:2: unterminated"));
  EXPECT_THAT(ErrorOf("a,b\n1,x\"y\n"),
              testing::HasSubstr("t.csv:2:2: quote inside"));
  EXPECT_THAT(ErrorOf("a,b\n\"x\"y,1\n"),
              testing::HasSubstr("t.csv:2:1: unexpected text"));
  EXPECT_THAT(ErrorOf(std::string("a,b\n1,ok\n2,b\xff\n")),
              testing::HasSubstr("t.csv:3:2: invalid UTF-8"));
  CsvOptions small;
  small.max_field_bytes = 4;
  EXPECT_THAT(ErrorOf("a,b\n1,12345\n", small),
              testing::HasSubstr("t.csv:2:2: field longer"));
  EXPECT_THAT(ErrorOf("a,b\n1,\"12345\"\n", small),
              testing::HasSubstr("t.csv:2:2: field longer"));
  CsvOptions narrow;
  narrow.max_fields = 2;
  EXPECT_THAT(ErrorOf("a,b,c\n", narrow),
              testing::HasSubstr("t.csv:1:3: too many fields"));
}

}  // namespace
}  // namespace jisr::screening
