#include "screening/scorer.h"

#include <gtest/gtest.h>

#include "names/analyzed_name.h"

namespace jisr::screening {
namespace {

PersonFeatures F(std::string birth, std::vector<std::string> nat = {},
                 Gender g = Gender::kUnknown,
                 std::vector<std::string> docs = {}) {
  Person p;
  if (!birth.empty()) p.birth_date = *ParsePartialDate(birth);
  p.nationalities = std::move(nat);
  p.gender = g;
  p.documents = std::move(docs);
  return FeaturesOf(p);
}

std::string_view BirthOutcome(const std::string& a, const std::string& b) {
  return CompareFeatures(F(a), F(b), FeatureWeights{})[0].outcome;
}

TEST(ScorerTest, BirthDateOutcomes) {
  EXPECT_EQ(BirthOutcome("1980-03-14", "1980-03-14"), "exact");
  EXPECT_EQ(BirthOutcome("1980-03-14", "1980-03"), "same_year_month");
  EXPECT_EQ(BirthOutcome("1980-03", "1980"), "same_year");
  EXPECT_EQ(BirthOutcome("1980-03-14", "1980-03-15"), "day_differs");
  EXPECT_EQ(BirthOutcome("1980-03", "1980-04"), "month_differs");
  EXPECT_EQ(BirthOutcome("1980", "1981-01-01"), "year_plus_minus_one");
  EXPECT_EQ(BirthOutcome("1980", "1985"), "conflict");
  EXPECT_EQ(BirthOutcome("", "1985"), "missing");
}

TEST(ScorerTest, ContributionsOrderedByStrength) {
  const FeatureWeights w;
  EXPECT_GT(w.birth_exact, w.birth_same_year_month);
  EXPECT_GT(w.birth_same_year_month, w.birth_same_year);
  EXPECT_GT(w.birth_same_year, 0.0);
  EXPECT_LT(w.birth_conflict, w.birth_year_plus_minus_one);
  EXPECT_GT(w.document_match, w.birth_exact);
}

TEST(ScorerTest, OtherFeatures) {
  const FeatureWeights w;
  auto o = CompareFeatures(F("", {"MA", "FR"}, Gender::kMale, {"ab-12"}),
                           F("", {"FR"}, Gender::kFemale, {"AB12"}), w);
  EXPECT_EQ(o[1].outcome, "match");
  EXPECT_EQ(o[2].outcome, "conflict");
  EXPECT_EQ(o[3].outcome, "match");  // normalised document numbers
  o = CompareFeatures(F("", {"MA"}, Gender::kOther, {"X1"}),
                      F("", {"TN"}, Gender::kMale, {"X2"}), w);
  EXPECT_EQ(o[1].outcome, "conflict");
  EXPECT_EQ(o[2].outcome, "missing");  // "other" is not evidence
  EXPECT_EQ(o[3].outcome, "conflict");
  EXPECT_DOUBLE_EQ(FeatureAdjustment(F("1980"), F("1980"), w),
                   w.birth_same_year);
}

TEST(ScorerTest, CombineClamps) {
  EXPECT_EQ(CombineScore(0.95, 0.3), 1.0);
  EXPECT_EQ(CombineScore(0.1, -0.3), 0.0);
  EXPECT_DOUBLE_EQ(CombineScore(0.5, 0.1), 0.6);
}

TEST(ScorerTest, ExplainMatchAddsUp) {
  const FeatureWeights w;
  const auto cmp = names::CompareNames(names::AnalyzeName("Karim Bouzid"),
                                       names::AnalyzeName("Karim Bouzid"));
  const auto e = ExplainMatch(cmp, "Karim Bouzid", "Karim Bouzid",
                              F("1975-01-02", {"MA"}), F("1975", {"MA"}), w);
  EXPECT_NEAR(e.at("score").as_double(), 1.0, 1e-9);
  const auto& f = e.at("features").as_object();
  EXPECT_EQ(f.at("birth_date").as_object().at("query").as_string(),
            "1975-01-02");
  EXPECT_EQ(f.at("birth_date").as_object().at("listed").as_string(), "1975");
  EXPECT_EQ(f.at("nationality").as_object().at("outcome").as_string(), "match");
  EXPECT_FALSE(
      f.at("document").as_object().contains("query"));  // numbers not echoed
}

}  // namespace
}  // namespace jisr::screening
