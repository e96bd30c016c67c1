// String metrics used by name matching: Jaro-Winkler, Levenshtein distance
// (bit-parallel, Myers/Hyyrö) and a maximum-weight token alignment.
//
// All functions work on byte strings (callers pass ASCII or phonetic codes,
// one byte per symbol) and are pure: safe to call from any thread.
#ifndef JISR_NAMES_STRING_METRICS_H_
#define JISR_NAMES_STRING_METRICS_H_

#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace jisr::names {

// Returns the Jaro similarity of `a` and `b` in [0, 1]; 1 for two empty
// strings, 0 when exactly one is empty.
double Jaro(std::string_view a, std::string_view b);

// Returns the Jaro-Winkler similarity in [0, 1]: Jaro plus a bonus of
// `prefix_scale` (at most 0.25) per common leading byte, up to 4 bytes.
double JaroWinkler(std::string_view a, std::string_view b,
                   double prefix_scale = 0.1);

// Returns the Levenshtein distance (unit insert, delete, substitute) between
// `a` and `b`. Uses Hyyrö's bit-parallel algorithm when the shorter string has
// at most 64 bytes (O(n) words), and a two-row dynamic programme otherwise.
size_t Levenshtein(std::string_view a, std::string_view b);

// Returns 1 - Levenshtein(a, b) / max(|a|, |b|); 1 when both are empty.
double LevenshteinRatio(std::string_view a, std::string_view b);

// Returns the optimal-string-alignment distance (Levenshtein plus the swap
// of two adjacent bytes, "jamil" -> "jamli" costs 1; no substring is edited
// twice). Bit-parallel (Hyyrö 2003) when the shorter string has at most 64
// bytes, dynamic programme otherwise.
size_t OsaDistance(std::string_view a, std::string_view b);

// Returns 1 - OsaDistance(a, b) / max(|a|, |b|); 1 when both are empty.
double OsaRatio(std::string_view a, std::string_view b);

// One aligned pair of a token alignment: row index, column index, similarity.
struct AlignedPair {
  int row = 0;
  int col = 0;
  double similarity = 0.0;
};

// Finds a one-to-one alignment of rows to columns that maximises the sum of
// weight[r] * similarity[r][c] over aligned pairs (`weight` may be empty for
// all-ones). `similarity` is row-major, rows*cols values in [0, 1]. Pairs whose
// similarity is below `min_similarity` are never aligned. Exact (dynamic
// programme over subsets) when min(rows, cols) <= 10, greedy otherwise.
// Returns the aligned pairs sorted by row.
std::vector<AlignedPair> AlignTokens(std::span<const double> similarity,
                                     int rows, int cols,
                                     std::span<const double> weight = {},
                                     double min_similarity = 0.0);
// The same, into `*out` (not null; cleared first): lets a caller that
// aligns many names reuse one vector.
void AlignTokens(std::span<const double> similarity, int rows, int cols,
                 std::span<const double> weight, double min_similarity,
                 std::vector<AlignedPair>* out);

}  // namespace jisr::names

#endif  // JISR_NAMES_STRING_METRICS_H_
