#include "names/string_metrics.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace jisr::names {
namespace {

// Reference implementations for randomised comparison.
size_t NaiveLevenshtein(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1,
                                     std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
  }
  return d[a.size()][b.size()];
}

size_t NaiveOsa(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1,
                                     std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

TEST(LevenshteinTest, KnownValues) {
  EXPECT_EQ(Levenshtein("", ""), 0u);
  EXPECT_EQ(Levenshtein("abc", ""), 3u);
  EXPECT_EQ(Levenshtein("kitten", "sitting"), 3u);
  EXPECT_EQ(Levenshtein("mohamed", "mohammed"), 1u);
  EXPECT_EQ(Levenshtein("jamil", "jamli"), 2u);
  EXPECT_DOUBLE_EQ(LevenshteinRatio("abcd", "abcx"), 0.75);
}

TEST(LevenshteinTest, MatchesReferenceOnRandomStrings) {
  std::mt19937 rng(7);
  for (int iter = 0; iter < 2000; ++iter) {
    std::string a, b;
    const int la = rng() % 80, lb = rng() % 80;  // crosses the 64-byte limit
    for (int i = 0; i < la; ++i)
      a.push_back(static_cast<char>('a' + rng() % 4));
    for (int i = 0; i < lb; ++i)
      b.push_back(static_cast<char>('a' + rng() % 4));
    ASSERT_EQ(Levenshtein(a, b), NaiveLevenshtein(a, b)) << a << " / " << b;
    ASSERT_EQ(OsaDistance(a, b), NaiveOsa(a, b)) << a << " / " << b;
  }
}

TEST(OsaTest, TranspositionCostsOne) {
  EXPECT_EQ(OsaDistance("jamil", "jamli"), 1u);
  EXPECT_EQ(OsaDistance("ca", "abc"), 3u);  // OSA, not full Damerau
  EXPECT_DOUBLE_EQ(OsaRatio("", ""), 1.0);
}

TEST(JaroWinklerTest, KnownValues) {
  EXPECT_NEAR(Jaro("martha", "marhta"), 0.944444, 1e-5);
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961111, 1e-5);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.813333, 1e-5);
  EXPECT_DOUBLE_EQ(JaroWinkler("", ""), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", ""), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "abc"), 1.0);
  EXPECT_DOUBLE_EQ(Jaro("abc", "xyz"), 0.0);
}

TEST(AlignTokensTest, FindsTheBestOneToOneAlignment) {
  // Greedy would take (0,0)=0.9 and then (1,1)=0.1; the best is 0.8+0.8.
  const std::vector<double> sim = {0.9, 0.8,  //
                                   0.8, 0.1};
  const auto pairs = AlignTokens(sim, 2, 2);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].row, 0);
  EXPECT_EQ(pairs[0].col, 1);
  EXPECT_EQ(pairs[1].row, 1);
  EXPECT_EQ(pairs[1].col, 0);
}

TEST(AlignTokensTest, RespectsMinimumAndShapes) {
  const std::vector<double> sim = {0.5, 0.95, 0.2};  // 1 x 3
  auto pairs = AlignTokens(sim, 1, 3, {}, 0.6);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].col, 1);
  pairs = AlignTokens(sim, 3, 1, {}, 0.6);  // 3 x 1
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].row, 1);
  EXPECT_TRUE(AlignTokens(sim, 1, 3, {}, 0.99).empty());
  EXPECT_TRUE(AlignTokens({}, 0, 0).empty());
}

TEST(AlignTokensTest, LargeInputsUseGreedy) {
  const int n = 12;
  std::vector<double> sim(n * n, 0.0);
  for (int i = 0; i < n; ++i) sim[i * n + (n - 1 - i)] = 1.0;
  const auto pairs = AlignTokens(sim, n, n);
  ASSERT_EQ(pairs.size(), static_cast<size_t>(n));
  for (const auto& p : pairs) EXPECT_EQ(p.col, n - 1 - p.row);
}

// The exact alignment keeps its tables on the stack for short names and on
// the heap beyond (7 x 9: 128 subsets x 10 steps); both find the optimum
// where taking the best pair first would not (rows 0 and 1 cross: 0.85 +
// 0.85 beats 0.9 alone), and the filling overload replaces what its vector
// held.
TEST(AlignTokensTest, ExactOnStackAndHeapTablesAndFillsTheCallersVector) {
  for (const int rows : {3, 7}) {
    const int cols = rows + 2;
    std::vector<double> sim(static_cast<size_t>(rows) * cols, 0.1);
    sim[0 * cols + 0] = 0.9;
    sim[0 * cols + 1] = 0.85;
    sim[1 * cols + 0] = 0.85;
    for (int r = 2; r < rows; ++r) sim[r * cols + r] = 0.9;
    std::vector<AlignedPair> pairs = {{99, 99, 1.0}};
    AlignTokens(sim, rows, cols, {}, 0.2, &pairs);
    ASSERT_EQ(pairs.size(), static_cast<size_t>(rows)) << rows;
    EXPECT_EQ(pairs[0].col, 1) << rows;
    EXPECT_EQ(pairs[1].col, 0) << rows;
    EXPECT_DOUBLE_EQ(pairs[0].similarity, 0.85);
    for (int r = 2; r < rows; ++r) {
      EXPECT_EQ(pairs[r].row, r);
      EXPECT_EQ(pairs[r].col, r) << rows;
    }
    const auto returned = AlignTokens(sim, rows, cols, {}, 0.2);
    ASSERT_EQ(returned.size(), pairs.size());
    for (size_t k = 0; k < pairs.size(); ++k)
      EXPECT_EQ(returned[k].col, pairs[k].col);
  }
}

}  // namespace
}  // namespace jisr::names
