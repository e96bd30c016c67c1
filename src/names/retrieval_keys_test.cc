#include "names/retrieval_keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace jisr::names {
namespace {

bool ShareAKey(const char* a, const char* b) {
  const auto ka = RetrievalKeyStrings(AnalyzeName(a).tokens.at(0));
  const auto kb = RetrievalKeyStrings(AnalyzeName(b).tokens.at(0));
  std::vector<std::string> both;
  std::set_intersection(ka.begin(), ka.end(), kb.begin(), kb.end(),
                        std::back_inserter(both));
  return !both.empty();
}

TEST(RetrievalKeysTest, SpellingVariantsShareAKey) {
  EXPECT_TRUE(ShareAKey("محمد", "Mohamed"));
  EXPECT_TRUE(ShareAKey("M'hamed", "Muhammad"));
  EXPECT_TRUE(ShareAKey("يوسف", "Youcef"));
  EXPECT_TRUE(ShareAKey("حسين", "Houcine"));
  EXPECT_TRUE(ShareAKey("عبد اللطيف", "Abdellatif"));
  EXPECT_TRUE(ShareAKey("اليان", "Elian"));  // article, semivowel
  EXPECT_TRUE(
      ShareAKey("Abdelfattah", "Abdelfattahr"));  // typo: deletion variant
  EXPECT_TRUE(ShareAKey("Ben Ali", "Ali"));       // compound core
}

TEST(RetrievalKeysTest, CoarseSkeletonJoinsConfusedConsonants) {
  EXPECT_TRUE(ShareAKey("فايزة", "Faiza"));      // final teh marbuta
  EXPECT_TRUE(ShareAKey("رافع", "Rafeh"));       // ain ~ final h
  EXPECT_TRUE(ShareAKey("شاشه", "Chacha"));      // short: final heh
  EXPECT_TRUE(ShareAKey("ريجيني", "Regeni"));    // j ~ g (Italian ge/gi)
  EXPECT_TRUE(ShareAKey("جيانسي", "Gianessi"));  // j ~ g
  EXPECT_TRUE(ShareAKey("قدر", "Gader"));        // q ~ g (Maghrebi)
  EXPECT_TRUE(ShareAKey("Gamal", "Jamal"));      // g ~ j within Latin
  // The class is g/j/q only: k stays apart.
  EXPECT_FALSE(ShareAKey("Kamal", "Jamal"));
}

// True when looking `a` up by its cross-script keys finds `b` posted under
// its own (what the index does; retrieval keys left out).
bool CrossScriptReaches(const char* a, const char* b) {
  const auto ka = CrossScriptLookupKeys(AnalyzeName(a).tokens.at(0));
  const auto kb = CrossScriptPostingKeys(AnalyzeName(b).tokens.at(0));
  std::vector<uint64_t> both;
  std::set_intersection(ka.begin(), ka.end(), kb.begin(), kb.end(),
                        std::back_inserter(both));
  return !both.empty();
}

TEST(RetrievalKeysTest, CrossScriptKeysFollowLatinOrthographies) {
  // Pairs that share no retrieval key (translit-coling2018 spellings).
  const std::pair<const char*, const char*> pairs[] = {
      {"جوزيف", "Joseph"},     // z ~ s
      {"يانوش", "Janusz"},     // German/Slavic j for y, sz
      {"فيتيغ", "Wittig"},     // German w for f
      {"كوخافي", "Kochavi"},   // kh ~ ch
      {"ذاكر", "Zakir"},       // dh ~ z
      {"كوثري", "Kosari"},     // th ~ s
      {"بوتشيلي", "Bocelli"},  // Italian c for ch
  };
  for (const auto& [arabic, latin] : pairs) {
    EXPECT_FALSE(ShareAKey(arabic, latin)) << arabic << " " << latin;
    EXPECT_TRUE(CrossScriptReaches(arabic, latin)) << arabic << " " << latin;
    EXPECT_TRUE(CrossScriptReaches(latin, arabic)) << latin << " " << arabic;
  }
}

// The ordinary keys of a Latin token's French or Spanish reading meet those
// of the Arabic spelling (CrossScriptKeySet::kReading, as selective as
// retrieval keys), both ways; without the reading they do not.
TEST(RetrievalKeysTest, ReadingsMeetArabicSpellingsUnderReadingKeys) {
  const auto reach = [](const NameToken& from, const NameToken& to) {
    const auto ka = CrossScriptLookupKeys(from, CrossScriptKeySet::kReading);
    const auto kb = CrossScriptPostingKeys(to);
    std::vector<uint64_t> both;
    std::set_intersection(ka.begin(), ka.end(), kb.begin(), kb.end(),
                          std::back_inserter(both));
    return !both.empty();
  };
  const std::pair<const char*, const char*> pairs[] = {{"Dubois", "دوبوا"},
                                                       {"Jorge", "خورخي"},
                                                       {"Juan", "خوان"},
                                                       {"Vallejo", "باييخو"}};
  for (const auto& [latin, arabic] : pairs) {
    const NameToken l = AnalyzeName(latin).tokens.at(0);
    const NameToken a = AnalyzeName(arabic).tokens.at(0);
    EXPECT_TRUE(reach(l, a)) << latin;
    EXPECT_TRUE(reach(a, l)) << latin;
    NameToken unread = l;
    unread.french_code.clear();
    unread.spanish_code.clear();
    EXPECT_FALSE(reach(unread, a)) << latin;
    EXPECT_FALSE(reach(a, unread)) << latin;
  }
}

TEST(RetrievalKeysTest, CrossScriptKeysNeverPairOneScript) {
  EXPECT_FALSE(ShareAKey("Josef", "Jozef"));
  EXPECT_FALSE(CrossScriptReaches("Josef", "Jozef"));
  EXPECT_FALSE(CrossScriptReaches("Joseph", "Joseph"));
  EXPECT_FALSE(CrossScriptReaches("جوزيف", "جوزيف"));
  EXPECT_FALSE(CrossScriptKeyStrings(AnalyzeName("Josef").tokens[0]).empty());
  // Initials and numbers have none.
  EXPECT_TRUE(CrossScriptKeyStrings(AnalyzeName("J. Smith").tokens[0]).empty());
  EXPECT_TRUE(
      CrossScriptKeyStrings(AnalyzeName("Brigade 44").tokens[1]).empty());
}

TEST(RetrievalKeysTest, DifferentNamesUsuallyDoNot) {
  EXPECT_FALSE(ShareAKey("Mohamed", "Karim"));
  EXPECT_FALSE(ShareAKey("يوسف", "Hocine"));
}

TEST(RetrievalKeysTest, InitialsAndNumbers) {
  EXPECT_TRUE(RetrievalKeyStrings(AnalyzeName("J. Smith").tokens[0]).empty());
  const auto k = RetrievalKeyStrings(AnalyzeName("Brigade 44").tokens[1]);
  ASSERT_EQ(k.size(), 1u);
  EXPECT_EQ(k[0], "#44");
  EXPECT_EQ(RetrievalKeys(AnalyzeName("Brigade 44").tokens[1]).size(), 1u);
}

}  // namespace
}  // namespace jisr::names
