#include "alerts/paxlst.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace jisr::alerts {
namespace {

const absl::CivilDay kToday(2026, 1, 1);

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

std::string Replace(std::string text, std::string_view from,
                    std::string_view to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<PaxlstMessage> m = ParsePaxlst(text, kToday);
  EXPECT_FALSE(m.ok());
  return m.ok() ? "" : std::string(m.status().message());
}

TEST(PaxlstTest, ReadsAPassengerList) {
  absl::StatusOr<PaxlstMessage> m =
      ParsePaxlst(ReadTestFile("paxlst_passengers.edi"), kToday);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->interchange_ref, "DEMO0001");
  EXPECT_EQ(m->message_ref, "PAX001");
  EXPECT_EQ(m->list_type, "745");
  EXPECT_EQ(m->flight, "DA1234");
  EXPECT_EQ(m->departure, "CDG");
  EXPECT_EQ(m->arrival, "RAK");
  EXPECT_EQ(m->departure_time, "2601011000");
  EXPECT_EQ(m->arrival_time, "2601011330");
  ASSERT_EQ(m->persons.size(), 3u);

  const PaxlstPerson& karim = m->persons[0];
  EXPECT_FALSE(karim.crew);
  EXPECT_EQ(karim.line, 13u);
  EXPECT_EQ(karim.FullName(), "KARIM TESTAOUI");
  EXPECT_EQ(karim.gender, "M");
  EXPECT_EQ(karim.birth_date->ToString(),
            "1984-03-12");  // 84 is before 2026: 1984
  EXPECT_EQ(karim.nationalities, std::vector<std::string>{"MA"});
  ASSERT_EQ(karim.documents.size(), 1u);
  EXPECT_EQ(karim.documents[0].type, "P");
  EXPECT_EQ(karim.documents[0].number, "ZX000111");
  EXPECT_EQ(karim.documents[0].country, "MA");
  EXPECT_EQ(karim.documents[0].expires_on, absl::CivilDay(2030, 6, 30));

  const PaxlstPerson& sean = m->persons[1];
  EXPECT_EQ(sean.family_name, "O'BRIEN");  // released apostrophe
  EXPECT_EQ(sean.FullName(), "SEAN PATRICK O'BRIEN");
  EXPECT_EQ(sean.birth_date->ToString(), "1990-07-04");  // CCYYMMDD
  EXPECT_EQ(sean.nationalities, std::vector<std::string>{"IE"});

  const PaxlstPerson& nadia = m->persons[2];
  EXPECT_EQ(nadia.birth_date->ToString(), "2008-07-15");
  EXPECT_EQ(nadia.documents[0].number, "ID+0099");  // released '+'
  EXPECT_EQ(nadia.documents[0].country, "FR");

  const std::vector<screening::Person> persons = PaxlstPersons(*m);
  ASSERT_EQ(persons.size(), 3u);
  EXPECT_EQ(persons[0].id, "PAX001-1");
  EXPECT_EQ(persons[0].names, std::vector<std::string>{"KARIM TESTAOUI"});
  EXPECT_EQ(persons[0].gender, screening::Gender::kMale);
  EXPECT_EQ(persons[2].documents, std::vector<std::string>{"ID+0099"});
}

TEST(PaxlstTest, ReadsAWrappedCrewListWithDefaultServiceCharacters) {
  absl::StatusOr<PaxlstMessage> m =
      ParsePaxlst(ReadTestFile("paxlst_crew.edi"), kToday);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->list_type, "250");
  ASSERT_EQ(m->persons.size(), 2u);
  EXPECT_TRUE(m->persons[0].crew);
  EXPECT_EQ(m->persons[0].family_name,
            "PLACEHOLDER");  // a line break inside the name
  EXPECT_EQ(m->persons[0].documents[0].number, "12AB34567");
  EXPECT_TRUE(m->persons[1].nationalities.empty());     // XXA: stateless
  EXPECT_EQ(m->persons[1].documents[0].country, "DE");  // ICAO "D"
  EXPECT_FALSE(m->persons[1].documents[0].expires_on.has_value());
}

TEST(PaxlstTest, TotalsAndCountsAreCrossChecked) {
  const std::string good = ReadTestFile("paxlst_passengers.edi");
  EXPECT_NE(ErrorOf(Replace(good, "CNT+42:3'", "CNT+42:4'"))
                .find("segment 36 (CNT) at line 37: CNT+42 declares 4 "
                      "passengers, the message "
                      "lists 3"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(good, "UNT+35+PAX001'", "UNT+34+PAX001'"))
                .find("UNT counts 34"),
            std::string::npos);
  const std::string crew = ReadTestFile("paxlst_crew.edi");
  EXPECT_NE(ErrorOf(Replace(crew, "CNT+41:2'", "CNT+41:1'"))
                .find("CNT+41 declares 1"),
            std::string::npos);
}

TEST(PaxlstTest, BrokenMessagesNameTheSegmentAndLine) {
  const std::string good = ReadTestFile("paxlst_passengers.edi");
  EXPECT_NE(ErrorOf(Replace(good, "DTM+329:840312'", "DTM+329:840230'"))
                .find("segment 14 (DTM) at line 15: 840230 is not a date"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(good, "NAT+2+MAR'", "NAT+2+QQQ'"))
                .find("(NAT) at line 18"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(Replace(good, "ATT+2++F'", "ATT+2++Q'")).find("M, F, U or X"),
      std::string::npos);
  EXPECT_NE(
      ErrorOf(Replace(good, "NAD+FL+++EXEMPLIA:NADIA'", "NAD+FL+++:NADIA'"))
          .find("no family name"),
      std::string::npos);
  EXPECT_NE(
      ErrorOf(Replace(good, "PAXLST:D:05B", "CUSRES:D:05B")).find("not PAXLST"),
      std::string::npos);
  EXPECT_NE(ErrorOf(Replace(good, "TDT+20+DA1234+++DA'", "TDT+30+DA1234'"))
                .find("TDT+20"),
            std::string::npos);
  EXPECT_NE(ErrorOf(good.substr(0, good.size() - 3)).find("not terminated"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(good, "UNA:+.? '", "UNA:+.: '")).find("differ"),
            std::string::npos);
  EXPECT_NE(ErrorOf("UNA:+").find("six characters"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("UNH"), std::string::npos);
  EXPECT_NE(ErrorOf("UNH+1+PAXLST'BGM+745'").find("UNT"), std::string::npos);
  EXPECT_NE(ErrorOf("BGM+745'").find("outside"), std::string::npos);
  EXPECT_NE(ErrorOf("unh+1+PAXLST'").find("three-letter tag"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(std::string("UNH+1+PAXLST'BGM+745?")).find("release character"),
      std::string::npos);
  EXPECT_NE(ErrorOf(std::string("UNH+1+PAXLST'\x01'")).find("not text"),
            std::string::npos);
  EXPECT_NE(ErrorOf("UNH+1+PAXLST'DOC+P+X1'UNT+3+1'").find("before the person"),
            std::string::npos);
}

TEST(PaxlstTest, CountryCodes) {
  EXPECT_EQ(CountryFromAlpha3("MAR"), "MA");
  EXPECT_EQ(CountryFromAlpha3("FRA"), "FR");
  EXPECT_EQ(CountryFromAlpha3("DEU"), "DE");
  EXPECT_EQ(CountryFromAlpha3("XKX"), "XK");
  EXPECT_EQ(CountryFromAlpha3("QQQ"), std::nullopt);
  EXPECT_EQ(CountryFromAlpha3("ma"), std::nullopt);
}

}  // namespace
}  // namespace jisr::alerts
