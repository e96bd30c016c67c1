#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace jisr {
namespace {

TEST(Utf8Test, AcceptsWellFormedTextInAnyScript) {
  EXPECT_TRUE(IsCleanUtf8("Mohamed", Utf8Rule::kNoControls));
  EXPECT_TRUE(IsCleanUtf8("محمد بن يوسف", Utf8Rule::kNoControls));
  EXPECT_TRUE(IsCleanUtf8("Sûreté \xF0\x9F\x9A\x93", Utf8Rule::kNoControls));  // U+1F693
  EXPECT_TRUE(IsCleanUtf8("", Utf8Rule::kNoControls));
}

TEST(Utf8Test, RejectsIllFormedSequences) {
  for (const std::string& bad : {std::string("\xff"), std::string("\xc0\xaf"),  // overlong '/'
                                std::string("\xed\xa0\x80"),                    // surrogate
                                std::string("\xf4\x90\x80\x80"),                // > U+10FFFF
                                std::string("ab\xe2\x82"),                      // truncated
                                std::string("\x80")}) {
    EXPECT_FALSE(IsCleanUtf8(bad, Utf8Rule::kNoNul)) << bad;
  }
}

TEST(Utf8Test, RulesOnControls) {
  const std::string nul("a\0b", 3);
  EXPECT_FALSE(IsCleanUtf8(nul, Utf8Rule::kNoNul));
  EXPECT_TRUE(IsCleanUtf8("a\tb\nc", Utf8Rule::kNoNul));
  EXPECT_FALSE(IsCleanUtf8("a\tb", Utf8Rule::kNoControls));
  EXPECT_TRUE(IsCleanUtf8("a\tb\r\nc", Utf8Rule::kNoControlsButNewlines));
  EXPECT_FALSE(IsCleanUtf8("a\x1b[31m", Utf8Rule::kNoControlsButNewlines));
  EXPECT_FALSE(IsCleanUtf8("a\x7f", Utf8Rule::kNoControls));
}

TEST(Utf8Test, NextCodePointAdvances) {
  const std::string s = "aé\xff" "ب";
  size_t i = 0;
  EXPECT_EQ(NextCodePoint(s, &i), 'a');
  EXPECT_EQ(NextCodePoint(s, &i), 0xe9);
  EXPECT_EQ(NextCodePoint(s, &i), -1);
  EXPECT_EQ(NextCodePoint(s, &i), 0x628);
  EXPECT_EQ(i, s.size());
}

}  // namespace
}  // namespace jisr
