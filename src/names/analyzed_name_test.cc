#include "names/analyzed_name.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jisr::names {
namespace {

std::vector<std::string> Texts(const AnalyzedName& n) {
  std::vector<std::string> out;
  for (const auto& t : n.tokens) out.push_back(t.text);
  return out;
}

TEST(AnalyzeNameTest, CommaFormIsReordered) {
  EXPECT_THAT(Texts(AnalyzeName("SALEK, ABDULHAI")),
              testing::ElementsAre("abdulhai", "salek"));
  EXPECT_THAT(Texts(AnalyzeName("a, b, c")),
              testing::ElementsAre("a", "b", "c"));
}

TEST(AnalyzeNameTest, AbdCompounds) {
  for (const char* spelling :
       {"Abdellatif", "Abd el-Latif", "Abdul Latif", "ABD AL-LATIF",
        "Abdel Latif", "عبد اللطيف", "عبداللطيف"}) {
    const AnalyzedName n = AnalyzeName(spelling);
    ASSERT_EQ(n.tokens.size(), 1u) << spelling;
    EXPECT_EQ(n.tokens[0].particle, Particle::kAbd) << spelling;
    EXPECT_EQ(n.tokens[0].code.substr(0, 3), "abd") << spelling;
  }
  EXPECT_EQ(AnalyzeName("Abderrahmane").tokens[0].core_text, "rahmane");
  EXPECT_EQ(AnalyzeName("Abdullah").tokens[0].core_text, "lah");
  EXPECT_EQ(AnalyzeName("عبد الله").tokens[0].core_text, "له");
  // A lone "Abdul" at the end stays an ordinary token.
  const AnalyzedName lone = AnalyzeName("Allah Dad Abdul");
  ASSERT_EQ(lone.tokens.size(), 3u);
  EXPECT_EQ(lone.tokens[2].particle, Particle::kNone);
}

TEST(AnalyzeNameTest, OtherParticles) {
  const AnalyzedName n = AnalyzeName("Mohamed Ould Abdallah");
  ASSERT_EQ(n.tokens.size(), 2u);
  EXPECT_EQ(n.tokens[1].particle, Particle::kOuld);
  EXPECT_EQ(AnalyzeName("Ben Ali").tokens[0].particle, Particle::kBin);
  EXPECT_EQ(AnalyzeName("bin Salman").tokens[0].particle, Particle::kBin);
  EXPECT_EQ(AnalyzeName("ibn Khaldun").tokens[0].particle, Particle::kBin);
  EXPECT_EQ(AnalyzeName("بن علي").tokens[0].particle, Particle::kBin);
  EXPECT_EQ(AnalyzeName("Bent Ahmed").tokens[0].particle, Particle::kBint);
  EXPECT_EQ(AnalyzeName("Abou Bakr").tokens[0].particle, Particle::kAbu);
  EXPECT_EQ(AnalyzeName("Aboubakr").tokens[0].particle, Particle::kAbu);
  EXPECT_EQ(AnalyzeName("أبو بكر").tokens[0].particle, Particle::kAbu);
  EXPECT_EQ(AnalyzeName("Aït Ahmed").tokens[0].particle, Particle::kAit);
  // Particle spellings share one canonical code.
  EXPECT_EQ(AnalyzeName("Ben Ali").tokens[0].code,
            AnalyzeName("Bin Ali").tokens[0].code);
  // ben / ould / abu + an abd compound: one token whose core is coded as the
  // abd compound, whether written apart, joined or in Arabic script.
  for (const char* name :
       {"Ben Abdelkader", "Benabdelkader", "bin Abd al-Qadir",
        "Ben Abd el-Kader", "بن عبد القادر", "بن عبدالقادر"}) {
    const AnalyzedName a = AnalyzeName(name);
    ASSERT_EQ(a.tokens.size(), 1u) << name;
    EXPECT_EQ(a.tokens[0].particle, Particle::kBin) << name;
    EXPECT_EQ(a.tokens[0].core_code.substr(0, 3), "abd") << name;
  }
  EXPECT_EQ(AnalyzeName("Ben Abdelkader").tokens[0].code,
            AnalyzeName("Benabdelkader").tokens[0].code);
  EXPECT_EQ(AnalyzeName("Ben Abdelkader").tokens[0].code,
            AnalyzeName("Ben Abd el-Kader").tokens[0].code);
  EXPECT_EQ(AnalyzeName("Ould Abd er-Rahmane").tokens[0].code,
            AnalyzeName("Ould Abderrahmane").tokens[0].code);
  const AnalyzedName abu = AnalyzeName("Abou Abd Allah Mohamed");
  ASSERT_EQ(abu.tokens.size(), 2u);
  EXPECT_EQ(abu.tokens[0].particle, Particle::kAbu);
  EXPECT_EQ(abu.tokens[0].code, AnalyzeName("Abu Abdallah").tokens[0].code);
  // A joined ben + name that is not an abd compound stays one ordinary word
  // (Benjelloun, Bennani, Benkirane are family names).
  EXPECT_EQ(AnalyzeName("Benjelloun").tokens[0].particle, Particle::kNone);
  EXPECT_EQ(AnalyzeName("Abou Bakr").tokens[0].code,
            AnalyzeName("Abu Bakr").tokens[0].code);
}

TEST(AnalyzeNameTest, Articles) {
  const AnalyzedName n = AnalyzeName("Bashar al-Assad");
  ASSERT_EQ(n.tokens.size(), 2u);
  EXPECT_EQ(n.tokens[1].text, "assad");
  EXPECT_TRUE(n.tokens[1].article);
  const AnalyzedName sun = AnalyzeName("Abd ar-Rahman");  // assimilated article
  ASSERT_EQ(sun.tokens.size(), 1u);
  EXPECT_EQ(sun.tokens[0].core_text, "rahman");
  const AnalyzedName ar = AnalyzeName("الأسد");  // joined Arabic article
  ASSERT_EQ(ar.tokens.size(), 1u);
  EXPECT_TRUE(ar.tokens[0].article);
  EXPECT_EQ(ar.tokens[0].text, "اسد");
  EXPECT_FALSE(ar.tokens[0].alt_codes.empty());
}

TEST(AnalyzeNameTest, TitlesInitialsNumbersAndWeights) {
  EXPECT_THAT(Texts(AnalyzeName("Mr. Recep Erdogan")),
              testing::ElementsAre("recep", "erdogan"));
  EXPECT_THAT(Texts(AnalyzeName("Dr")),
              testing::ElementsAre("dr"));  // kept when alone
  const AnalyzedName j = AnalyzeName("J.-C. Juncker");
  ASSERT_EQ(j.tokens.size(), 3u);
  EXPECT_TRUE(j.tokens[0].initial);
  EXPECT_TRUE(AnalyzeName("Brigade 44").tokens[1].number);
  const AnalyzedName c = AnalyzeName("Siemens Aktiengesellschaft");
  ASSERT_EQ(c.tokens.size(), 2u);
  EXPECT_EQ(c.tokens[1].text, "ag");
  EXPECT_LT(c.tokens[1].weight, 1.0);
  EXPECT_EQ(AnalyzeName("Helmut van der Berg").tokens[1].weight, 0.3);
}

// Joint-stock companies are written one way whatever the form or the
// language (OAO Gazprom ~ Open Joint Stock Company Gazprom ~ Gazprom JSC).
TEST(AnalyzeNameTest, JointStockFormsAreOne) {
  for (const char* name :
       {"OAO Gazprom", "Open Joint Stock Company Gazprom",
        "Public Joint Stock Company Gazprom", "PJSC Gazprom"}) {
    EXPECT_THAT(Texts(AnalyzeName(name)),
                testing::ElementsAre("jsc", "gazprom"))
        << name;
  }
  EXPECT_THAT(Texts(AnalyzeName("OOO Romashka")),
              testing::ElementsAre("llc", "romashka"));
  EXPECT_THAT(Texts(AnalyzeName("Oao")), testing::ElementsAre("oao"));  // alone
  // Zao and Pao are also romanised Chinese names: left as they are.
  EXPECT_THAT(Texts(AnalyzeName("Pao Chen")),
              testing::ElementsAre("pao", "chen"));
}

// Numbers are written one way in names that hold another token: number
// words as digits, tens and units as one number, ordinals without suffix.
TEST(AnalyzeNameTest, NumberWordsAsDigits) {
  for (const char* name : {"Brigade Forty-Four", "Brigade forty four",
                           "Brigade Fourty 4", "Brigade 44"}) {
    EXPECT_THAT(Texts(AnalyzeName(name)), testing::ElementsAre("brigade", "44"))
        << name;
  }
  EXPECT_THAT(Texts(AnalyzeName("Three Percenters")),
              testing::ElementsAre("3", "percenters"));
  EXPECT_THAT(Texts(AnalyzeName("1st International Bank")),
              testing::ElementsAre("1", "international", "bank"));
  EXPECT_THAT(Texts(AnalyzeName("First International Bank")),
              testing::ElementsAre("1", "international", "bank"));
  EXPECT_TRUE(AnalyzeName("Three Percenters").tokens[0].number);
  // A tens word and a unit, an ordinal word or an ordinal digit: one number.
  for (const char* name : {"Twenty-First Brigade", "21st Brigade",
                           "Twenty One Brigade", "Twenty 1st Brigade"}) {
    EXPECT_THAT(Texts(AnalyzeName(name)), testing::ElementsAre("21", "brigade"))
        << name;
  }
  EXPECT_THAT(Texts(AnalyzeName("Fourth Battalion")),
              testing::ElementsAre("4", "battalion"));
  EXPECT_THAT(Texts(AnalyzeName("4th Battalion")),
              testing::ElementsAre("4", "battalion"));
  // Not words that are also names (the Dutch particle ten, Six, Seven, One),
  // not a word alone, not after a dropped title.
  EXPECT_THAT(Texts(AnalyzeName("Johan ten Brink")),
              testing::ElementsAre("johan", "ten", "brink"));
  EXPECT_THAT(Texts(AnalyzeName("Seven Yilmaz")),
              testing::ElementsAre("seven", "yilmaz"));
  EXPECT_THAT(Texts(AnalyzeName("Marie Six")),
              testing::ElementsAre("marie", "six"));
  EXPECT_THAT(Texts(AnalyzeName("One Direction")),
              testing::ElementsAre("one", "direction"));
  EXPECT_THAT(Texts(AnalyzeName("Nine")), testing::ElementsAre("nine"));
  EXPECT_THAT(Texts(AnalyzeName("Mr Nine")), testing::ElementsAre("nine"));
  EXPECT_THAT(Texts(AnalyzeName("Nine محمد")),
              testing::ElementsAre("nine", "محمد"));
}

TEST(AnalyzeNameTest, ScriptChangeSplitsTokens) {
  const AnalyzedName n = AnalyzeName("Mohamedمحمد");
  ASSERT_EQ(n.tokens.size(), 2u);
  EXPECT_EQ(n.tokens[0].script, TokenScript::kLatin);
  EXPECT_EQ(n.tokens[1].script, TokenScript::kArabic);
}

TEST(AnalyzeNameTest, NoLettersGivesNoTokens) {
  EXPECT_TRUE(AnalyzeName("").tokens.empty());
  EXPECT_TRUE(AnalyzeName(" - , ' ").tokens.empty());
}

TEST(JoinTokensTest, JoinsIntoACompound) {
  const AnalyzedName n = AnalyzeName("Abdul Hai");
  ASSERT_EQ(n.tokens.size(), 1u);  // already a compound
  const AnalyzedName two = AnalyzeName("Alisher Usmanov");
  const NameToken j = JoinTokens(two.tokens[0], two.tokens[1]);
  EXPECT_EQ(j.text, "alisherusmanov");
  const AnalyzedName mixed = AnalyzeName("Ali علي");
  EXPECT_EQ(JoinTokens(mixed.tokens[0], mixed.tokens[1]).text, "ali");
}

}  // namespace
}  // namespace jisr::names
