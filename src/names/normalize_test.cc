#include "names/normalize.h"

#include <gtest/gtest.h>

#include <string>

namespace jisr::names {
namespace {

TEST(NormalizeNameTest, LatinCaseAccentsAndPunctuation) {
  EXPECT_EQ(NormalizeName("  JOSÉ  María  "), "jose maria");
  EXPECT_EQ(NormalizeName("Müller"), "muller");
  EXPECT_EQ(NormalizeName("Straße"), "strasse");
  EXPECT_EQ(NormalizeName("Øre Łódź"), "ore lodz");
  EXPECT_EQ(NormalizeName("ＭＯＨＡＭＥＤ"), "mohamed");  // full-width
  EXPECT_EQ(NormalizeName("Dr. A.B. (Ali)"), "dr a b ali");
}

TEST(NormalizeNameTest, MarksThatChangeTheLetter) {
  EXPECT_EQ(NormalizeName("François"), "fransois");
  EXPECT_EQ(NormalizeName("Şahin"), "shahin");
  EXPECT_EQ(NormalizeName("Vučić"), "vuchich");
  EXPECT_EQ(NormalizeName("Žižek"), "zhizhek");
  EXPECT_EQ(NormalizeName("Erdoğan"), "erdogan");
}

// The same marks dropped, as a passport's machine-readable zone writes them;
// `spelt` says whether there was any to spell out.
TEST(NormalizeNameTest, MarksDroppedTheMachineReadableWay) {
  bool spelt = false;
  EXPECT_EQ(NormalizeName("Vučić", LatinMarks::kDrop, &spelt), "vucic");
  EXPECT_TRUE(spelt);
  EXPECT_EQ(NormalizeName("Vučić", LatinMarks::kSpell, &spelt), "vuchich");
  EXPECT_TRUE(spelt);
  EXPECT_EQ(NormalizeName("Şahin Gonçalves Žižek Ćosić", LatinMarks::kDrop),
            "sahin goncalves zizek cosic");
  // Marks that change no letter are dropped either way; nothing spelt.
  EXPECT_EQ(NormalizeName("Erdoğan José", LatinMarks::kDrop, &spelt),
            "erdogan jose");
  EXPECT_FALSE(spelt);
  EXPECT_EQ(NormalizeName("Mohamed", LatinMarks::kSpell, &spelt), "mohamed");
  EXPECT_FALSE(spelt);
  EXPECT_EQ(NormalizeName("محمد", LatinMarks::kDrop, &spelt), "محمد");
  EXPECT_FALSE(spelt);
  // Marks that romanisation wrote are spelt out and not reported: a Russian
  // passport writes SHEVCHENKO.
  EXPECT_EQ(NormalizeName("Шевченко", LatinMarks::kDrop, &spelt),
            "shevchenko");
  EXPECT_FALSE(spelt);
}

TEST(NormalizeNameTest, SeparatorsAndApostrophes) {
  EXPECT_EQ(NormalizeName("M’hamed"), "m'hamed");
  EXPECT_EQ(NormalizeName("ʿAbd al‐Raḥmān"), "'abd al-rahman");
  EXPECT_EQ(NormalizeName("SALEK, ABDULHAI"), "salek, abdulhai");
  EXPECT_EQ(NormalizeName("سالك، عبد الحي"), "سالك, عبد الحي");
}

TEST(NormalizeNameTest, ArabicDiacriticsAndTatweel) {
  EXPECT_EQ(NormalizeName("مُحَمَّد"), "محمد");     // harakat and shadda
  EXPECT_EQ(NormalizeName("محـــمد"), "محمد");  // tatweel
  EXPECT_EQ(NormalizeName("عَلِيٌّ"), "علي");       // tanwin
  EXPECT_EQ(NormalizeName("ﻣﺤﻤﺪ"), "محمد");     // presentation forms
}

TEST(NormalizeNameTest, ArabicLetterForms) {
  EXPECT_EQ(NormalizeName("أحمد"), "احمد");        // alef with hamza above
  EXPECT_EQ(NormalizeName("إبراهيم"), "ابراهيم");  // hamza below
  EXPECT_EQ(NormalizeName("آمنة"), "امنه");        // madda; teh marbuta -> heh
  EXPECT_EQ(NormalizeName("ٱلله"), "الله");        // alef wasla
  EXPECT_EQ(NormalizeName("مصطفى"), "مصطفي");      // alef maksura -> yeh
  EXPECT_EQ(NormalizeName("مؤمن"), "مومن");        // waw with hamza
  EXPECT_EQ(NormalizeName("رئيس"), "رييس");        // yeh with hamza
  EXPECT_EQ(NormalizeName("علاء"), "علا");         // lone hamza dropped
}

TEST(NormalizeNameTest, PersianAndUrduLetterForms) {
  EXPECT_EQ(NormalizeName("علی"), "علي");      // Farsi yeh
  EXPECT_EQ(NormalizeName("کریم"), "كريم");    // keheh
  EXPECT_EQ(NormalizeName("فاطمہ"), "فاطمه");  // heh goal
  EXPECT_EQ(NormalizeName("بھٹو"), "بهتو");    // heh doachashmee, tteh
  EXPECT_EQ(NormalizeName("پرویز"), "پرويز");  // peh kept
  EXPECT_EQ(NormalizeName("گل"), "گل");        // gaf kept
}

TEST(NormalizeNameTest, DigitsOfAnyScript) {
  EXPECT_EQ(NormalizeName("٤٤"), "44");
  EXPECT_EQ(NormalizeName("۱۲"), "12");
}

TEST(NormalizeNameTest, OtherScriptsAreRomanised) {
  EXPECT_EQ(NormalizeName("Владимир Путин"), "vladimir putin");
  EXPECT_EQ(NormalizeName("Βλαδίμηρος"), "bladimeros");  // ICU's Greek-Latin
  const std::string han = NormalizeName("毛泽东");
  EXPECT_EQ(han, "mao ze dong");
}

TEST(NormalizeNameTest, InvalidUtf8BecomesASeparator) {
  EXPECT_EQ(NormalizeName(std::string("ab\xff"
                                      "cd")),
            "ab cd");
  EXPECT_EQ(NormalizeName(std::string("\xc3")), "");
}

TEST(Utf8Test, Validation) {
  size_t bad = 99;
  EXPECT_TRUE(IsValidUtf8("héllo محمد"));
  EXPECT_FALSE(IsValidUtf8(std::string("ab\xff"), &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(IsValidUtf8(std::string("\xc0\xaf")));          // overlong
  EXPECT_FALSE(IsValidUtf8(std::string("\xed\xa0\x80")));      // surrogate
  EXPECT_FALSE(IsValidUtf8(std::string("\xf4\x90\x80\x80")));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8(std::string("\xe2\x82")));          // truncated
  EXPECT_TRUE(IsValidUtf8(std::string("\xef\xbf\xbd")));       // U+FFFD itself
}

TEST(Utf8Test, RoundTrip) {
  for (const char32_t cp : {U'a', U'é', U'م', U'€', U'𝄞'}) {
    std::string s;
    AppendUtf8(cp, &s);
    size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(s, &pos), cp);
    EXPECT_EQ(pos, s.size());
  }
}

}  // namespace
}  // namespace jisr::names
