#include "names/string_metrics.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

namespace jisr::names {

double Jaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a.size() > b.size()) std::swap(a, b);
  const size_t window =
      std::max<size_t>(b.size() / 2, 1) - 1;  // matching distance
  // Flags of matched bytes; names are short, so small fixed buffers usually do.
  std::vector<char> a_flag(a.size(), 0), b_flag(b.size(), 0);
  size_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(b.size(), i + window + 1);
    for (size_t j = lo; j < hi; ++j) {
      if (!b_flag[j] && a[i] == b[j]) {
        a_flag[i] = b_flag[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  size_t transpositions = 0;
  for (size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_flag[i]) continue;
    while (!b_flag[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  return (m / a.size() + m / b.size() + (m - transpositions / 2.0) / m) / 3.0;
}

double JaroWinkler(std::string_view a, std::string_view b,
                   double prefix_scale) {
  const double jaro = Jaro(a, b);
  prefix_scale = std::clamp(prefix_scale, 0.0, 0.25);
  size_t prefix = 0;
  const size_t limit = std::min<size_t>({4, a.size(), b.size()});
  while (prefix < limit && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * prefix_scale * (1.0 - jaro);
}

namespace {

// Hyyrö (2003), "A bit-vector algorithm for computing Levenshtein and Damerau
// edit distances"; `a` has 1..64 bytes.
size_t LevenshteinBitParallel(std::string_view a, std::string_view b) {
  std::array<uint64_t, 256> peq{};
  for (size_t i = 0; i < a.size(); ++i) {
    peq[static_cast<unsigned char>(a[i])] |= uint64_t{1} << i;
  }
  const uint64_t last = uint64_t{1} << (a.size() - 1);
  uint64_t pv = ~uint64_t{0};
  uint64_t mv = 0;
  size_t score = a.size();
  for (const char ch : b) {
    const uint64_t eq = peq[static_cast<unsigned char>(ch)];
    const uint64_t xv = eq | mv;
    const uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
    uint64_t ph = mv | ~(xh | pv);
    uint64_t mh = pv & xh;
    if (ph & last) ++score;
    if (mh & last) --score;
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}

size_t LevenshteinDp(std::string_view a, std::string_view b) {
  std::vector<size_t> row(a.size() + 1);
  for (size_t i = 0; i <= a.size(); ++i) row[i] = i;
  for (size_t j = 1; j <= b.size(); ++j) {
    size_t diag = row[0];
    row[0] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      const size_t up = row[i];
      row[i] = std::min(
          {row[i] + 1, row[i - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[a.size()];
}

}  // namespace

size_t Levenshtein(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.empty()) return b.size();
  if (a.size() <= 64) return LevenshteinBitParallel(a, b);
  return LevenshteinDp(a, b);
}

double LevenshteinRatio(std::string_view a, std::string_view b) {
  const size_t longest = std::max(a.size(), b.size());
  if (longest == 0) return 1.0;
  return 1.0 -
         static_cast<double>(Levenshtein(a, b)) / static_cast<double>(longest);
}

namespace {

size_t OsaBitParallel(std::string_view a, std::string_view b) {
  std::array<uint64_t, 256> peq{};
  for (size_t i = 0; i < a.size(); ++i) {
    peq[static_cast<unsigned char>(a[i])] |= uint64_t{1} << i;
  }
  const uint64_t last = uint64_t{1} << (a.size() - 1);
  uint64_t vp = ~uint64_t{0};
  uint64_t vn = 0;
  uint64_t d0 = 0;
  uint64_t pm_old = 0;
  size_t score = a.size();
  for (const char ch : b) {
    const uint64_t pm = peq[static_cast<unsigned char>(ch)];
    const uint64_t tr = (((~d0) & pm) << 1) & pm_old;
    d0 = ((((pm & vp) + vp) ^ vp) | pm | vn) | tr;
    uint64_t hp = vn | ~(d0 | vp);
    uint64_t hn = d0 & vp;
    if (hp & last) ++score;
    if (hn & last) --score;
    hp = (hp << 1) | 1;
    hn <<= 1;
    vp = hn | ~(d0 | hp);
    vn = hp & d0;
    pm_old = pm;
  }
  return score;
}

size_t OsaDp(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<size_t> d((n + 1) * (m + 1));
  auto at = [&](size_t i, size_t j) -> size_t& { return d[i * (m + 1) + j]; };
  for (size_t i = 0; i <= n; ++i) at(i, 0) = i;
  for (size_t j = 0; j <= m; ++j) at(0, j) = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t v = std::min(
          {at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, at(i - 2, j - 2) + 1);
      }
      at(i, j) = v;
    }
  }
  return at(n, m);
}

}  // namespace

size_t OsaDistance(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.empty()) return b.size();
  if (a.size() <= 64) return OsaBitParallel(a, b);
  return OsaDp(a, b);
}

double OsaRatio(std::string_view a, std::string_view b) {
  const size_t longest = std::max(a.size(), b.size());
  if (longest == 0) return 1.0;
  return 1.0 -
         static_cast<double>(OsaDistance(a, b)) / static_cast<double>(longest);
}

std::vector<AlignedPair> AlignTokens(std::span<const double> similarity,
                                     int rows, int cols,
                                     std::span<const double> weight,
                                     double min_similarity) {
  std::vector<AlignedPair> out;
  AlignTokens(similarity, rows, cols, weight, min_similarity, &out);
  return out;
}

void AlignTokens(std::span<const double> similarity, int rows, int cols,
                 std::span<const double> weight, double min_similarity,
                 std::vector<AlignedPair>* out_pairs) {
  std::vector<AlignedPair>& out = *out_pairs;
  out.clear();
  if (rows <= 0 || cols <= 0 ||
      similarity.size() <
          static_cast<size_t>(rows) * static_cast<size_t>(cols)) {
    return;
  }
  auto gain = [&](int r, int c) -> double {
    const double s = similarity[static_cast<size_t>(r) * cols + c];
    if (s < min_similarity || s <= 0.0) return -1.0;
    const double w = weight.empty() ? 1.0 : weight[r];
    return w * s;
  };
  const bool rows_small = rows <= cols;
  const int small = rows_small ? rows : cols;
  const int large = rows_small ? cols : rows;
  auto gain_sl = [&](int s, int l) {
    return rows_small ? gain(s, l) : gain(l, s);
  };
  auto emit = [&](int s, int l) {
    const int r = rows_small ? s : l;
    const int c = rows_small ? l : s;
    out.push_back({r, c, similarity[static_cast<size_t>(r) * cols + c]});
  };

  if (small <= 10) {
    const size_t states = size_t{1} << small;
    constexpr double kNone = -std::numeric_limits<double>::infinity();
    // dp[k][mask]: best total after the first k large items, using `mask`.
    // Names are short: on the stack unless the tables are large.
    constexpr size_t kStack = 512;
    const size_t dp_size = (large + 1) * states;
    double stack_dp[kStack];
    int8_t stack_choice[kStack];
    std::vector<double> heap_dp;
    std::vector<int8_t> heap_choice;
    double* dp = stack_dp;
    int8_t* choice = stack_choice;
    if (dp_size > kStack) {
      heap_dp.resize(dp_size);
      heap_choice.resize(dp_size - states);
      dp = heap_dp.data();
      choice = heap_choice.data();
    }
    std::fill(dp, dp + dp_size, kNone);
    std::fill(choice, choice + dp_size - states, int8_t{-1});
    dp[0] = 0.0;
    for (int l = 0; l < large; ++l) {
      const double* cur = &dp[l * states];
      double* next = &dp[(l + 1) * states];
      int8_t* ch = &choice[l * states];
      for (size_t mask = 0; mask < states; ++mask) {
        if (cur[mask] == kNone) continue;
        if (cur[mask] > next[mask]) {  // leave large item l unaligned
          next[mask] = cur[mask];
          ch[mask] = -1;
        }
        for (int s = 0; s < small; ++s) {
          if (mask & (size_t{1} << s)) continue;
          const double g = gain_sl(s, l);
          if (g < 0) continue;
          const size_t to = mask | (size_t{1} << s);
          if (cur[mask] + g > next[to]) {
            next[to] = cur[mask] + g;
            ch[to] = static_cast<int8_t>(s);
          }
        }
      }
    }
    size_t best_mask = 0;
    const double* fin = &dp[large * states];
    for (size_t mask = 1; mask < states; ++mask) {
      if (fin[mask] > fin[best_mask]) best_mask = mask;
    }
    size_t mask = best_mask;
    for (int l = large - 1; l >= 0; --l) {
      const int8_t s = choice[l * states + mask];
      if (s >= 0) {
        emit(s, l);
        mask &= ~(size_t{1} << s);
      }
    }
  } else {
    // Greedy: repeatedly take the best remaining pair.
    std::vector<char> used_r(rows, 0), used_c(cols, 0);
    while (true) {
      double best = -1.0;
      int br = -1, bc = -1;
      for (int r = 0; r < rows; ++r) {
        if (used_r[r]) continue;
        for (int c = 0; c < cols; ++c) {
          if (used_c[c]) continue;
          const double g = gain(r, c);
          if (g > best) {
            best = g;
            br = r;
            bc = c;
          }
        }
      }
      if (br < 0 || best < 0) break;
      used_r[br] = used_c[bc] = 1;
      out.push_back({br, bc, similarity[static_cast<size_t>(br) * cols + bc]});
    }
  }
  std::sort(
      out.begin(), out.end(),
      [](const AlignedPair& x, const AlignedPair& y) { return x.row < y.row; });
}

}  // namespace jisr::names
