#include "screening/persons_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
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

// Reads `data` through a PersonsCsvStream fed in chunks of `chunk` bytes;
// returns "OK <ids>" or the error message.
std::string Streamed(const std::string& data, size_t chunk) {
  std::string ids;
  PersonsCsvStream stream("W.csv", [&](Person&& p, size_t line) {
    ids += p.id + "@" + std::to_string(line) + " ";
    return absl::OkStatus();
  });
  absl::Status s;
  for (size_t pos = 0; pos < data.size() && s.ok(); pos += chunk)
    s = stream.Feed(std::string_view(data).substr(pos, chunk));
  if (s.ok()) s = stream.Finish();
  return s.ok() ? "OK " + ids : std::string(s.message());
}

TEST(PersonsCsvTest, TheStreamGivesTheSameResultWhateverTheChunks) {
  const std::vector<std::string> inputs = {
      "\xEF\xBB\xBF" + kHeader +
          "w1,Youcef,\"A|B\",1980,dz,M,P1\r\n\r\nw2,\"Karim\nBen\",,,,,\n",
      kHeader + "w1,Ali,,,,,\nw3,Omar,,,,,",  // no final newline
      kHeader,
      "",
      kHeader + "w1,Ali,,,,,\nw1,Omar,,,,,\n",
      kHeader + "w1,\"Ali\"x,,,,,\n",
      kHeader + "w1,Al\"i,,,,,\nw2,Omar,,,,,\n",
      kHeader + "w1,\"Ali,,,,,\nw2,Omar,,,,,\n",  // unterminated quote
      kHeader + "w1,Ali,,1980-13,,,\n",
      kHeader + "w1,\"Ali\xc3\",,,,,\n",
      "id,name\n",
  };
  for (const std::string& in : inputs) {
    // The reference: the whole-file parse.
    auto whole = ParsePersonsCsv(in, "W.csv");
    std::string expected;
    if (whole.ok()) {
      expected = "OK";
    } else {
      expected = std::string(whole.status().message());
    }
    for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{64},
                         in.size() + 1}) {
      const std::string got = Streamed(in, std::max<size_t>(chunk, 1));
      if (whole.ok()) {
        EXPECT_EQ(got.substr(0, 2), "OK")
            << in << " chunk " << chunk << ": " << got;
      } else {
        EXPECT_EQ(got, expected) << in << " chunk " << chunk;
      }
    }
  }
  EXPECT_EQ(Streamed(inputs[0], 5), "OK w1@2 w2@4 ");
}

TEST(PersonsCsvTest,
     ForEachPersonReadsAnIstreamRowByRowAndStopsOnTheCallersError) {
  std::string csv = kHeader;
  for (int i = 0; i < 20000; ++i)
    csv += "p" + std::to_string(i) + ",Name Test,,,,,\n";
  std::istringstream in(csv);
  size_t n = 0;
  size_t last_line = 0;
  absl::Status s = ForEachPerson(in, "big.csv", [&](Person&& p, size_t line) {
    EXPECT_EQ(p.id, "p" + std::to_string(n));
    ++n;
    last_line = line;
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(n, 20000u);
  EXPECT_EQ(last_line, 20001u);
  std::istringstream again(csv);
  s = ForEachPerson(again, "big.csv", [&](Person&&, size_t line) {
    return line == 100 ? absl::CancelledError("enough") : absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled);
}

TEST(PersonsCsvTest, AnUnterminatedQuoteIsRefusedWithoutReadingOnForever) {
  // 5 MB after an opening quote: refused once past the longest record.
  std::string csv = kHeader + "w1,\"Ali";
  csv += std::string(5 << 20, 'a');
  PersonsCsvStream stream("W.csv",
                          [](Person&&, size_t) { return absl::OkStatus(); });
  absl::Status s;
  size_t fed = 0;
  for (size_t pos = 0; pos < csv.size() && s.ok(); pos += 4096) {
    s = stream.Feed(std::string_view(csv).substr(pos, 4096));
    fed = pos;
  }
  EXPECT_THAT(std::string(s.message()),
              testing::HasSubstr("W.csv:2:2: field longer than"));
  EXPECT_LT(fed, 1u << 20);
}

TEST(PersonsCsvTest, ARecordFormattedIsParsedBackTheSame) {
  auto r = ParsePersonsCsv(
      kHeader +
          "w1,\"Ben, \"\"Youcef\"\"\",\"A1| A2\",1980-03,dz|fr,x,P1|P2\n"
          "w2,Karim,,,,,\n",
      "W.csv");
  ASSERT_TRUE(r.ok()) << r.status();
  std::string again = kHeader;
  for (const Person& p : *r) again += FormatPersonsCsvRecord(p) + "\n";
  auto back = ParsePersonsCsv(again, "again.csv");
  ASSERT_TRUE(back.ok()) << back.status() << again;
  ASSERT_EQ(back->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*back)[i].id, (*r)[i].id);
    EXPECT_EQ((*back)[i].names, (*r)[i].names);
    EXPECT_EQ((*back)[i].birth_date, (*r)[i].birth_date);
    EXPECT_EQ((*back)[i].nationalities, (*r)[i].nationalities);
    EXPECT_EQ((*back)[i].gender, (*r)[i].gender);
    EXPECT_EQ((*back)[i].documents, (*r)[i].documents);
  }
}

TEST(PersonsCsvTest, MissingFile) {
  auto r = ReadPersonsCsvFile("/nonexistent/dir/W.csv");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(r.status().message()),
              testing::HasSubstr("/nonexistent/dir/W.csv"));
}

}  // namespace
}  // namespace jisr::screening
