#include "screening/persons_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace jisr::screening {
namespace {

const std::string kHeader =
    "id,name,aliases,birth_date,nationality,gender,document\n";

std::string ErrorOf(const std::string& data) {
  auto r = ParsePersonsCsv(data, "W.csv");
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : std::string(r.status().message());
}

TEST(PersonsCsvTest, ParsesAllColumns) {
  auto r = ParsePersonsCsv(
      kHeader +
          "w1,Youcef Benali,\"يوسف بن علي| Youssef Ben Ali \",1980-03,"
          "dz|fr,M,P123|X9\n"
          "w2,Karim,,,,,\n",
      "W.csv");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  const Person& p = (*r)[0];
  EXPECT_EQ(p.id, "w1");
  EXPECT_THAT(p.names, testing::ElementsAre("Youcef Benali", "يوسف بن علي",
                                            "Youssef Ben Ali"));
  ASSERT_TRUE(p.birth_date.has_value());
  EXPECT_EQ(p.birth_date->ToString(), "1980-03");
  EXPECT_THAT(p.nationalities, testing::ElementsAre("DZ", "FR"));
  EXPECT_EQ(p.gender, Gender::kMale);
  EXPECT_THAT(p.documents, testing::ElementsAre("P123", "X9"));
  EXPECT_FALSE((*r)[1].birth_date.has_value());
}

TEST(PersonsCsvTest, EmptyListIsFine) {
  auto r = ParsePersonsCsv(kHeader, "W.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST(PersonsCsvTest, BadHeader) {
  EXPECT_THAT(ErrorOf("id,name,alias,birth_date,nationality,gender,document\n"),
              testing::HasSubstr("W.csv:1:3: bad header"));
  EXPECT_THAT(ErrorOf("id,name\n"),
              testing::HasSubstr("W.csv:1:3: bad header"));
  EXPECT_THAT(ErrorOf(""), testing::HasSubstr("W.csv:1:1: empty file"));
  EXPECT_THAT(
      ErrorOf("id,name,aliases,birth_date,nationality,gender,document,x\n"),
      testing::HasSubstr("W.csv:1:8: bad header"));
}

TEST(PersonsCsvTest, BadRows) {
  EXPECT_THAT(ErrorOf(kHeader + "w1,,,,,,\n"),
              testing::HasSubstr("W.csv:2:2: name: name is empty"));
  EXPECT_THAT(ErrorOf(kHeader + "w1,--,,,,,\n"),
              testing::HasSubstr("W.csv:2:2: name: name"));
  EXPECT_THAT(ErrorOf(kHeader + ",Ali,,,,,\n"),
              testing::HasSubstr("W.csv:2:1: id: id is empty"));
  EXPECT_THAT(ErrorOf(kHeader + "w1,Ali,,1980-13,,,\n"),
              testing::HasSubstr("W.csv:2:4: birth_date"));
  EXPECT_THAT(ErrorOf(kHeader + "w1,Ali,,,Morocco,,\n"),
              testing::HasSubstr("W.csv:2:5: nationality"));
  EXPECT_THAT(ErrorOf(kHeader + "w1,Ali,,,,yes,\n"),
              testing::HasSubstr("W.csv:2:6: gender"));
  EXPECT_THAT(ErrorOf(kHeader + "w1,Ali,,,\n"),
              testing::HasSubstr("W.csv:2:6: expected 7 fields"));
  EXPECT_THAT(ErrorOf(kHeader + "w1,Ali,,,,,,\n"),
              testing::HasSubstr("W.csv:2:8: expected 7 fields"));
  EXPECT_THAT(ErrorOf(kHeader + "w1,Ali,,,,,\nw1,Omar,,,,,\n"),
              testing::HasSubstr(
                  "W.csv:3:1: id: duplicate id \"w1\" (first on line 2)"));
  EXPECT_THAT(ErrorOf(kHeader + "w1,\"Ali\xff\",,,,,\n"),
              testing::HasSubstr("W.csv:2:2: invalid UTF-8"));
  EXPECT_THAT(ErrorOf(kHeader + "w1," + std::string(2000, 'a') + ",,,,,\n"),
              testing::HasSubstr("W.csv:2:2: field longer than 1024 bytes"));
  EXPECT_THAT(ErrorOf(kHeader + "w1,Ali,\"A|--\",,,,\n"),
              testing::HasSubstr("W.csv:2:3: aliases"));
}

TEST(PersonsCsvTest, MissingFile) {
  auto r = ReadPersonsCsvFile("/nonexistent/dir/W.csv");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(r.status().message()),
              testing::HasSubstr("/nonexistent/dir/W.csv"));
}

}  // namespace
}  // namespace jisr::screening
