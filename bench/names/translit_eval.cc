// Developer tool: token-level evaluation of the phonetic rules on the
// translit-coling2018 data (train part of the 80/20 split by Arabic token).
// Usage: jisr_translit_eval wd_arabic.tokens.tsv [train|test] [show]
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "names/analyzed_name.h"
#include "names/name_matcher.h"
#include "names/phonetic.h"

namespace {
uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace jisr::names;
  if (argc < 2) return 2;
  const bool want_test = argc > 2 && std::string(argv[2]) == "test";
  const bool show = argc > 3;
  std::ifstream in(argv[1]);
  std::string line;
  struct Row {
    std::string latin, arabic;
    int count;
  };
  std::map<std::string, std::vector<Row>> by_ar;
  while (std::getline(in, line)) {
    size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    if (t1 == std::string::npos || t2 == std::string::npos) continue;
    Row r{line.substr(0, t1), "", std::stoi(line.substr(t2 + 1))};
    for (char c : line.substr(t1 + 1, t2 - t1 - 1))
      if (c != ' ') r.arabic.push_back(c);
    const bool test = Fnv1a(r.arabic) % 5 == 0;
    if (test != want_test) continue;
    by_ar[r.arabic].push_back(r);
  }
  std::vector<const Row*> rows;
  for (auto& [k, v] : by_ar)
    for (auto& r : v) rows.push_back(&r);
  std::mt19937_64 rng(42);
  double pos_w = 0, key_eq_w = 0, total_w = 0;
  int n = 0;
  std::vector<int> hist_pos(21), hist_neg(21);
  std::vector<std::pair<double, const Row*>> worst;
  for (const Row* r : rows) {
    AnalyzedName a = AnalyzeName(r->arabic), l = AnalyzeName(r->latin);
    if (a.tokens.size() != 1 || l.tokens.size() != 1) continue;
    const double s = TokenSimilarity(a.tokens[0], l.tokens[0]);
    const bool key_eq =
        SkeletonKey(a.tokens[0].code) == SkeletonKey(l.tokens[0].code);
    const double w = r->count;
    total_w += w;
    pos_w += w * s;
    key_eq_w += key_eq ? w : 0;
    ++n;
    hist_pos[static_cast<int>(s * 20)]++;
    if (r->count >= 2 && s > 0.45 && s < 0.88 && r->latin.size() > 2)
      worst.push_back({s, r});
    // negative: a random other Latin spelling
    const Row* o = rows[rng() % rows.size()];
    if (o->arabic == r->arabic) continue;
    AnalyzedName on = AnalyzeName(o->latin);
    if (on.tokens.size() != 1) continue;
    hist_neg[static_cast<int>(TokenSimilarity(a.tokens[0], on.tokens[0]) *
                              20)]++;
  }
  std::printf("pairs %d  mean sim (count-weighted) %.3f  key equal %.3f\n", n,
              pos_w / total_w, key_eq_w / total_w);
  int cp = 0, cn = 0, tp = 0, tn = 0;
  for (int i = 0; i <= 20; ++i) {
    tp += hist_pos[i];
    tn += hist_neg[i];
  }
  std::printf("sim>=  pos_frac  neg_frac\n");
  for (int i = 20; i >= 10; --i) {
    cp += hist_pos[i];
    cn += hist_neg[i];
    std::printf("%.2f   %.3f    %.4f\n", i / 20.0, double(cp) / tp,
                double(cn) / tn);
  }
  if (show) {
    std::sort(worst.begin(), worst.end(),
              [](auto& x, auto& y) { return x.first < y.first; });
    for (size_t i = 0; i < worst.size() && i < 400; ++i) {
      const Row* r = worst[i].second;
      AnalyzedName a = AnalyzeName(r->arabic), l = AnalyzeName(r->latin);
      std::printf("%.3f %5d %-16s %-16s %-14s %-14s\n", worst[i].first,
                  r->count, r->latin.c_str(), r->arabic.c_str(),
                  a.tokens[0].code.c_str(), l.tokens[0].code.c_str());
    }
  }
  return 0;
}
