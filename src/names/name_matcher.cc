#include "names/name_matcher.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cmath>

#include "names/phonetic.h"
#include "names/string_metrics.h"

namespace jisr::names {
namespace {

CodePair PairOf(const NameToken& a, const NameToken& b) {
  if (a.script == b.script) return CodePair::kSameScript;
  return a.script == TokenScript::kLatin ? CodePair::kLatinArabic
                                         : CodePair::kArabicLatin;
}

using Refs = std::vector<const NameToken*>;

// Scores one alignment of `a` and `b`; fills `out` when not null. `sim` (may
// be null) supplies cached token similarities for the unjoined sequences.
double ScoreTokens(TokenRefs a, TokenRefs b, const NameMatchOptions& options,
                   const TokenSimilarityFn* sim_fn, NameComparison* out) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (n == 0 || m == 0) {
    if (out != nullptr) {
      for (const auto* t : a) out->unmatched_a.push_back(t->text);
      for (const auto* t : b) out->unmatched_b.push_back(t->text);
    }
    return 0.0;
  }
  // Names are short: keep the matrix on the stack when possible.
  constexpr int kStack = 64;
  double stack_sim[kStack];
  double stack_w[16];
  std::vector<double> heap_sim, heap_w;
  double* sim = stack_sim;
  double* weight = stack_w;
  if (n * m > kStack) {
    heap_sim.resize(static_cast<size_t>(n) * m);
    sim = heap_sim.data();
  }
  if (n > 16) {
    heap_w.resize(n);
    weight = heap_w.data();
  }
  for (int i = 0; i < n; ++i) {
    weight[i] = a[i]->weight;
    for (int j = 0; j < m; ++j) {
      sim[static_cast<size_t>(i) * m + j] =
          sim_fn != nullptr ? (*sim_fn)(i, j)
                            : TokenSimilarity(*a[i], *b[j], options);
    }
  }
  // (Per-thread scratch: a screening aligns thousands of names a second.)
  thread_local std::vector<AlignedPair> pairs;
  AlignTokens(std::span<const double>(sim, static_cast<size_t>(n) * m), n, m,
              std::span<const double>(weight, n), options.min_token_similarity,
              &pairs);
  double wa = 0, wb = 0;
  for (const auto* t : a) wa += t->weight;
  for (const auto* t : b) wb += t->weight;
  double matched = 0;
  for (const auto& p : pairs) {
    const double w = (a[p.row]->weight + b[p.col]->weight) / 2.0;
    const double s = p.similarity;
    matched += w * TokenCredit(s, options);
  }
  int inversions = 0;
  for (size_t x = 0; x < pairs.size(); ++x) {
    for (size_t y = x + 1; y < pairs.size(); ++y) {
      if (pairs[y].col < pairs[x].col) ++inversions;
    }
  }
  const double shorter = std::min(wa, wb);
  const double longer = std::max(wa, wb);
  const double denom =
      shorter + options.extra_token_weight * (longer - shorter);
  double score = denom > 0 ? matched / denom : 0.0;
  // Full-weight tokens of the shorter name without a partner.
  {
    const bool a_short = wa <= wb;
    const TokenRefs short_side = a_short ? a : b;
    uint32_t used = 0;
    for (const auto& p : pairs)
      used |= uint32_t{1} << std::min(31, a_short ? p.row : p.col);
    int unmatched = 0;
    for (size_t k = 0; k < short_side.size() && k < 32; ++k) {
      if (!(used & (uint32_t{1} << k)) && short_side[k]->weight >= 0.99)
        ++unmatched;
    }
    for (int k = 0; k < unmatched; ++k) score *= options.unmatched_factor;
  }
  score -= options.inversion_penalty * inversions;
  score = std::clamp(score, 0.0, 1.0);
  if (out != nullptr) {
    out->score = score;
    out->inversions = inversions;
    std::vector<char> used_a(n, 0), used_b(m, 0);
    for (const auto& p : pairs) {
      used_a[p.row] = used_b[p.col] = 1;
      out->pairs.push_back({a[p.row]->text, b[p.col]->text, a[p.row]->code,
                            b[p.col]->code, p.similarity});
    }
    for (int i = 0; i < n; ++i) {
      if (!used_a[i]) out->unmatched_a.push_back(a[i]->text);
    }
    for (int j = 0; j < m; ++j) {
      if (!used_b[j]) out->unmatched_b.push_back(b[j]->text);
    }
  }
  return score;
}

// Returns true when joining tokens i and i+1 of `side` may help: the joined
// token resembles a token of `other` more than either part does.
bool JoinMayHelp(TokenRefs side, size_t i, TokenRefs other,
                 const NameMatchOptions& options, NameToken* joined) {
  if (side[i]->script != side[i + 1]->script) return false;
  // Cheap test first: the two codes end to end against each other token.
  const std::string glued = side[i]->code + side[i + 1]->code;
  bool promising = false;
  for (const auto* o : other) {
    if (o->script == side[i]->script && !o->initial && !o->number &&
        PhoneticSimilarity(glued, o->code, CodePair::kSameScript, 0.7) >= 0.7) {
      promising = true;
      break;
    }
    if (o->script != side[i]->script) {
      promising = true;  // cross-script: no cheap test
      break;
    }
  }
  if (!promising) return false;
  *joined = JoinTokens(*side[i], *side[i + 1]);
  for (const auto* o : other) {
    const double s = TokenSimilarity(*joined, *o, options);
    if (s >= 0.8 && s > TokenSimilarity(*side[i], *o, options) &&
        s > TokenSimilarity(*side[i + 1], *o, options)) {
      return true;
    }
  }
  return false;
}

double Compare(TokenRefs a, TokenRefs b, const NameMatchOptions& options,
               const TokenSimilarityFn* sim, NameComparison* out) {
  double best = ScoreTokens(a, b, options, sim, out);
  // Joins are tried when the token counts differ (a split or glued word) and
  // the plain alignment left room for improvement.
  if (!options.try_joins || best >= 0.999 || a.size() == b.size()) return best;
  for (int side = 0; side < 2; ++side) {
    TokenRefs s = side == 0 ? a : b;
    TokenRefs o = side == 0 ? b : a;
    if (s.size() <= o.size()) continue;  // join on the side with more tokens
    for (size_t i = 0; i + 1 < s.size(); ++i) {
      NameToken joined;
      if (!JoinMayHelp(s, i, o, options, &joined)) continue;
      Refs js;
      js.reserve(s.size() - 1);
      for (size_t k = 0; k < s.size(); ++k) {
        if (k == i) {
          js.push_back(&joined);
          ++k;
        } else {
          js.push_back(s[k]);
        }
      }
      NameComparison tmp;
      NameComparison* tmp_out = out != nullptr ? &tmp : nullptr;
      const double score = side == 0
                               ? ScoreTokens(js, b, options, nullptr, tmp_out)
                               : ScoreTokens(a, js, options, nullptr, tmp_out);
      if (score > best) {
        best = score;
        if (out != nullptr) {
          *out = std::move(tmp);
          out->joined = std::string(side == 0 ? "a: " : "b: ") + s[i]->text +
                        "+" + s[i + 1]->text;
        }
      }
    }
  }
  return best;
}

Refs RefsOf(const AnalyzedName& n) {
  Refs r;
  r.reserve(n.tokens.size());
  for (const auto& t : n.tokens) r.push_back(&t);
  return r;
}

}  // namespace

double TokenCredit(double s, const NameMatchOptions& o) {
  if (s <= o.credit_zero) return 0.0;
  if (s >= 1.0) return 1.0;
  if (s < o.credit_knee) {
    return o.credit_knee_value * (s - o.credit_zero) /
           (o.credit_knee - o.credit_zero);
  }
  return o.credit_knee_value + (1.0 - o.credit_knee_value) *
                                   (s - o.credit_knee) / (1.0 - o.credit_knee);
}

double TokenSimilarity(const NameToken& a, const NameToken& b,
                       const NameMatchOptions& options) {
  if (a.number || b.number)
    return (a.number && b.number && a.text == b.text) ? 1.0 : 0.0;
  if (a.initial || b.initial) {
    if (a.initial && b.initial) return a.text == b.text ? 1.0 : 0.0;
    const NameToken& full = a.initial ? b : a;
    const NameToken& init = a.initial ? a : b;
    if (full.script == TokenScript::kLatin && !full.text.empty() &&
        full.text[0] == init.text[0]) {
      return options.initial_similarity;
    }
    return 0.0;
  }
  const CodePair pair = PairOf(a, b);
  // The floor below which the phonetic DP may stop early, before calibration.
  const double min =
      pair == CodePair::kSameScript || options.cross_script_scale <= 0
          ? options.min_token_similarity
          : 1.0 - (1.0 - options.min_token_similarity) /
                      options.cross_script_scale;
  double s = PhoneticSimilarity(a.code, b.code, pair, min);
  if (s >= 0.999) return 1.0;
  // Each further comparison only matters if it beats both the floor and the
  // best so far, which lets the dynamic programmes stop early.
  if (a.particle != b.particle && options.particle_mismatch_factor > 0) {
    // The cores; and a core against the whole other token, for a particle
    // dropped before a compound (Ould Abdelaziz ~ Abdelaziz: the core of
    // the first is coded as the second).
    const double f = options.particle_mismatch_factor;
    const auto scaled = [&](const std::string& x, const std::string& y) {
      s = std::max(s, f * PhoneticSimilarity(x, y, pair, std::max(min, s) / f));
    };
    scaled(a.core_code, b.core_code);
    if (a.particle != Particle::kNone) scaled(a.core_code, b.code);
    if (b.particle != Particle::kNone) scaled(a.code, b.core_code);
  }
  for (const std::string& alt : a.alt_codes)
    s = std::max(s, PhoneticSimilarity(alt, b.code, pair, std::max(min, s)));
  for (const std::string& alt : b.alt_codes)
    s = std::max(s, PhoneticSimilarity(a.code, alt, pair, std::max(min, s)));
  // A Latin name read the French or the Spanish way against Arabic script
  // written by sound (Dubois ~ دوبوا, Juan ~ خوان). Only a close reading
  // counts (reading_min_similarity, here before the cross-script
  // calibration): a second way to read every Latin name would bring
  // unrelated names closer too.
  if (pair != CodePair::kSameScript) {
    const NameToken& latin = pair == CodePair::kLatinArabic ? a : b;
    const std::string& arabic =
        pair == CodePair::kLatinArabic ? b.code : a.code;
    const double floor = options.cross_script_scale > 0
                             ? 1.0 - (1.0 - options.reading_min_similarity) /
                                         options.cross_script_scale
                             : options.reading_min_similarity;
    for (const std::string* reading : latin.readings()) {
      if (reading->empty()) continue;
      const double r = pair == CodePair::kLatinArabic
                           ? PhoneticSimilarity(*reading, arabic, pair,
                                                std::max({min, s, floor}))
                           : PhoneticSimilarity(arabic, *reading, pair,
                                                std::max({min, s, floor}));
      if (r >= floor) s = std::max(s, r);
    }
  }
  if (pair == CodePair::kSameScript && a.script == TokenScript::kLatin) {
    // The edit ratio cannot exceed 1 - |length difference| / longer length.
    const size_t la = a.text.size(), lb = b.text.size();
    const double bound =
        1.0 - static_cast<double>(la > lb ? la - lb : lb - la) /
                  static_cast<double>(std::max(la, lb));
    if (bound > std::max(min, s)) s = std::max(s, OsaRatio(a.text, b.text));
  }
  if (pair != CodePair::kSameScript) {
    const double raw = s;
    s = 1.0 - (1.0 - s) * options.cross_script_scale;
    if (raw < options.cross_script_cap_below)
      s = std::min(s, options.cross_script_cap);
  }
  return s;
}

double NameScore(const AnalyzedName& a, const AnalyzedName& b,
                 const NameMatchOptions& options) {
  const Refs ra = RefsOf(a), rb = RefsOf(b);
  return Compare(ra, rb, options, nullptr, nullptr);
}

double NameScore(TokenRefs a, TokenRefs b, const NameMatchOptions& options,
                 const TokenSimilarityFn* sim) {
  return Compare(a, b, options, sim, nullptr);
}

NameComparison CompareNames(const AnalyzedName& a, const AnalyzedName& b,
                            const NameMatchOptions& options) {
  const Refs ra = RefsOf(a), rb = RefsOf(b);
  NameComparison c;
  c.score = Compare(ra, rb, options, nullptr, &c);
  return c;
}

boost::json::object ComparisonToJson(const NameComparison& c,
                                     std::string_view a_label,
                                     std::string_view b_label) {
  boost::json::object o;
  o["score"] = std::round(c.score * 10000.0) / 10000.0;
  boost::json::array aligned;
  const std::string a_code = std::string(a_label) + "_code";
  const std::string b_code = std::string(b_label) + "_code";
  for (const auto& p : c.pairs) {
    boost::json::object e;
    e[a_label] = p.a_text;
    e[b_label] = p.b_text;
    e["similarity"] = std::round(p.similarity * 10000.0) / 10000.0;
    e[a_code] = p.a_code;
    e[b_code] = p.b_code;
    aligned.push_back(std::move(e));
  }
  o["aligned"] = std::move(aligned);
  boost::json::array ua, ub;
  for (const auto& t : c.unmatched_a) ua.push_back(boost::json::string(t));
  for (const auto& t : c.unmatched_b) ub.push_back(boost::json::string(t));
  o["unmatched_" + std::string(a_label)] = std::move(ua);
  o["unmatched_" + std::string(b_label)] = std::move(ub);
  o["order_inversions"] = c.inversions;
  if (!c.joined.empty()) o["joined"] = c.joined;
  return o;
}

}  // namespace jisr::names
