#include "screening/person.h"

#include <gtest/gtest.h>

namespace jisr::screening {
namespace {

TEST(PartialDateTest, Parses) {
  auto d = ParsePartialDate("1980");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->year, 1980);
  EXPECT_EQ(d->month, 0);
  d = ParsePartialDate("1980-02");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->month, 2);
  d = ParsePartialDate("2000-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->day, 29);
  EXPECT_EQ(d->ToString(), "2000-02-29");
  EXPECT_EQ(ParsePartialDate("1980-07")->ToString(), "1980-07");
}

TEST(PartialDateTest, Rejects) {
  for (const char* bad :
       {"", "80", "1980-7", "1980-13", "1980-00", "1900-02-29", "1980-04-31",
        "1980/01/01", "19a0", "1700", "1980-01-01x", "1980-01-1"}) {
    EXPECT_FALSE(ParsePartialDate(bad).ok()) << bad;
  }
}

TEST(GenderTest, Parses) {
  EXPECT_EQ(*ParseGender(""), Gender::kUnknown);
  EXPECT_EQ(*ParseGender("M"), Gender::kMale);
  EXPECT_EQ(*ParseGender("female"), Gender::kFemale);
  EXPECT_EQ(*ParseGender("Other"), Gender::kOther);
  EXPECT_FALSE(ParseGender("yes").ok());
}

TEST(CountryCodeTest, Iso3166Alpha2) {
  EXPECT_EQ(*ParseCountryCode("ma"), "MA");
  EXPECT_EQ(*ParseCountryCode("FR"), "FR");
  EXPECT_EQ(*ParseCountryCode("XK"), "XK");
  EXPECT_FALSE(ParseCountryCode("XX").ok());
  EXPECT_FALSE(ParseCountryCode("MAR").ok());
  EXPECT_FALSE(ParseCountryCode("Morocco").ok());
}

TEST(DocumentTest, Normalises) {
  EXPECT_EQ(NormalizeDocumentNumber("ab-123 456"), "AB123456");
  EXPECT_EQ(NormalizeDocumentNumber(" - "), "");
}

TEST(ValidatePersonTest, Rules) {
  Person p;
  p.id = "x";
  p.names = {"Ali"};
  EXPECT_TRUE(ValidatePerson(p).ok());
  p.names = {"Ali", "--"};
  EXPECT_FALSE(ValidatePerson(p).ok());
  p.names = {};
  EXPECT_FALSE(ValidatePerson(p).ok());
  p.names = {"محمد"};
  p.id = "";
  EXPECT_FALSE(ValidatePerson(p).ok());
}

}  // namespace
}  // namespace jisr::screening
