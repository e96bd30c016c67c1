// Name-to-name similarity: token similarity (phonetic codes across scripts,
// surface edit distance within Latin script), a maximum-weight one-to-one
// token alignment, and a name score with its explanation.
//
// Score of names A and B (see docs/names.md):
//   pairs   = AlignTokens(token similarities >= min_token_similarity)
//   matched = sum over pairs of (w_a + w_b) / 2 * TokenCredit(similarity)
//   denom   = W_short + extra_token_weight * (W_long - W_short)
//             (W = sum of token weights of a name; every token of the shorter
//             name should find a partner, extra tokens of the longer name,
//             a middle name or a tribal name, cost little)
//   score   = matched / denom * unmatched_factor^(unmatched tokens of the
//             shorter name) - inversion_penalty * order inversions
// Adjacent tokens are also tried joined ("ABDUL HAI" ~ "ABDULHAI",
// "Alisher Usmanov" ~ "AlisherUsmanov") and the best score is kept.
//
// Thread-safety: pure functions; safe from any thread.
#ifndef JISR_NAMES_NAME_MATCHER_H_
#define JISR_NAMES_NAME_MATCHER_H_

#include <boost/json/object.hpp>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "names/analyzed_name.h"

namespace jisr::names {

struct NameMatchOptions {
  // Token pairs less similar than this are never aligned. Default 0.6.
  double min_token_similarity = 0.6;
  // The credit of an aligned pair as a function of its similarity s: 0 at
  // credit_zero, rising linearly to credit_knee_value at credit_knee, then
  // linearly to 1 at s = 1 (a spelling variant keeps most of its credit, a
  // different name that happens to look alike gets little). Defaults 0.6,
  // 0.8, 0.8 (tuned on OpenSanctions name_bench, see docs/names.md).
  double credit_zero = 0.6;
  double credit_knee = 0.8;
  double credit_knee_value = 0.8;
  // Multiplier per token of the shorter name left without a partner (a
  // changed family name is strong evidence of another person). Default 0.85.
  double unmatched_factor = 0.85;
  // Weight of the unmatched part of the longer name, relative to the shorter
  // name's tokens. Default 0.15.
  double extra_token_weight = 0.15;
  // Subtracted per pair of aligned tokens whose order differs. Default 0.02.
  double inversion_penalty = 0.02;
  // Factor on the similarity of two compounds whose particles differ (or of
  // a compound and a plain token), compared by their cores. Default 0.75.
  double particle_mismatch_factor = 0.75;
  // Similarity of an initial ("j") and a token starting with that letter.
  // Default 0.8.
  double initial_similarity = 0.8;
  // Calibration of cross-script token similarities: s' = 1 - (1 - s) *
  // cross_script_scale (a Latin spelling and an Arabic spelling of one name
  // are less alike, letter for letter, than two Latin spellings). Default
  // 0.55 (chosen on the 80% training part of translit-coling2018, see
  // docs/names.md).
  double cross_script_scale = 0.55;
  // A cross-script pair whose similarity before calibration is below
  // cross_script_cap_below is calibrated to at most cross_script_cap: it adds
  // to a name score but stays below the similarity at which screening
  // retrieval treats a token pair as close (IndexOptions::
  // generator_min_similarity, 0.75), so that the calibration lifts the credit
  // of weak pairs without making every query reach more persons. Defaults
  // 0.643 (the similarity that calibrated to 0.75 at the former scale 0.7)
  // and 0.749.
  double cross_script_cap_below = 0.643;
  double cross_script_cap = 0.749;
  // A Latin token's French or Spanish reading (NameToken::french_code,
  // spanish_code) counts against an Arabic-script token only when it makes
  // the pair at least this similar (after calibration). Default 0.9 (on the
  // training part, the French reading: +0.4% of true spelling pairs close,
  // random pairs close 0.234% -> 0.236%).
  double reading_min_similarity = 0.9;
  // Try joining adjacent tokens (split or glued words). Default true.
  bool try_joins = true;
};

// Returns the credit of an aligned pair of similarity `s` (see
// NameMatchOptions::credit_zero), in [0, 1], non-decreasing in `s`.
double TokenCredit(double s, const NameMatchOptions& options);

// Returns the similarity of two tokens in [0, 1]. Values below
// options.min_token_similarity are not exact (the computation stops early):
// such pairs are never aligned anyway.
double TokenSimilarity(const NameToken& a, const NameToken& b,
                       const NameMatchOptions& options = {});

// One aligned token pair of a comparison.
struct TokenPairMatch {
  std::string a_text;
  std::string b_text;
  std::string a_code;
  std::string b_code;
  double similarity = 0.0;
};

struct NameComparison {
  // Name score in [0, 1].
  double score = 0.0;
  std::vector<TokenPairMatch> pairs;
  // Texts of tokens left without a partner.
  std::vector<std::string> unmatched_a;
  std::vector<std::string> unmatched_b;
  // Number of aligned pairs in a different order on the two sides.
  int inversions = 0;
  // Tokens joined to reach the score, e.g. "b: abdul+hai"; empty if none.
  std::string joined;
};

// Returns the name score only (no explanation; the fast path).
double NameScore(const AnalyzedName& a, const AnalyzedName& b,
                 const NameMatchOptions& options = {});

// Token sequences by pointer (tokens owned elsewhere, e.g. a token
// dictionary), and an optional source of token similarities:
// sim(i, j) must equal TokenSimilarity(*a[i], *b[j], options) (a cache).
using TokenRefs = std::span<const NameToken* const>;
using TokenSimilarityFn = std::function<double(size_t i, size_t j)>;

// Same as NameScore on analysed names; `sim` may be null.
double NameScore(TokenRefs a, TokenRefs b, const NameMatchOptions& options,
                 const TokenSimilarityFn* sim = nullptr);

// Compares two analysed names and explains the result.
NameComparison CompareNames(const AnalyzedName& a, const AnalyzedName& b,
                            const NameMatchOptions& options = {});

// Returns `c` as JSON: {"score", "aligned": [{<a_label>, <b_label>,
// "similarity", "<a_label>_code", "<b_label>_code"}], "unmatched_<a_label>",
// "unmatched_<b_label>", "order_inversions", "joined"}.
boost::json::object ComparisonToJson(const NameComparison& c,
                                     std::string_view a_label = "a",
                                     std::string_view b_label = "b");

}  // namespace jisr::names

#endif  // JISR_NAMES_NAME_MATCHER_H_
