// Developer tool: how well the retrieval keys (names/retrieval_keys.h) bring
// together the Arabic-script and Latin spellings of one name, and what they
// cost. Reads translit-coling2018 (wd_arabic.tokens.tsv) and, for every pair
// (Arabic token, Latin spelling) of the chosen part whose token similarity is
// at least the generator threshold (screening::IndexOptions::
// generator_min_similarity), checks whether the Arabic token's look-up keys
// (retrieval and cross-script keys) meet the Latin token's posted keys: a pair
// that shares none is never compared by the index, so the listed person is only
// reached through its other tokens. Cost: with every Latin spelling of the
// part as the dictionary, how many dictionary tokens an Arabic token's keys
// reach (each is compared with TokenSimilarity at query time).
//
// Usage: jisr_key_coverage [DATA_DIR] [--split train|test] [--show N]
//   --show N prints N pairs that share no key (code / code = similarity).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "names/analyzed_name.h"
#include "names/bench_data.h"
#include "names/name_matcher.h"
#include "names/retrieval_keys.h"
#include "screening/index.h"

namespace {

struct Pair {
  std::string arabic, latin;
  int count = 0;
};

jisr::names::NameToken OneToken(const std::string& s) {
  auto a = jisr::names::AnalyzeName(s);
  return a.tokens.empty() ? jisr::names::NameToken{} : a.tokens[0];
}

// The keys the index posts a token under, and those it looks one up with
// (screening/index.cc), sorted.
std::vector<uint64_t> PostedKeys(const jisr::names::NameToken& t) {
  auto keys = jisr::names::RetrievalKeys(t);
  const auto cross = jisr::names::CrossScriptPostingKeys(t);
  keys.insert(keys.end(), cross.begin(), cross.end());
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<uint64_t> LookedUpKeys(const jisr::names::NameToken& t) {
  auto keys = jisr::names::RetrievalKeys(t);
  const auto cross = jisr::names::CrossScriptLookupKeys(t);
  keys.insert(keys.end(), cross.begin(), cross.end());
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace jisr;
  std::string dir = "../shared/data";
  bool train = true;
  size_t show = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--split") == 0 && i + 1 < argc) {
      train = std::strcmp(argv[++i], "test") != 0;
    } else if (std::strcmp(argv[i], "--show") == 0 && i + 1 < argc) {
      show = std::stoul(argv[++i]);
    } else {
      dir = argv[i];
    }
  }
  dir = bench::DataDir(dir);
  auto part = bench::ReadTranslitPart(
      dir, train ? bench::TranslitPart::kTrain : bench::TranslitPart::kTest);
  if (!part.ok()) {
    std::fprintf(stderr, "%s\n", std::string(part.status().message()).c_str());
    return 1;
  }
  std::vector<Pair> pairs;
  for (bench::TranslitRow& row : *part)
    pairs.push_back({std::move(row.arabic), std::move(row.latin), row.count});
  const double close = screening::IndexOptions{}.generator_min_similarity;
  // Dictionary: every Latin spelling once, its keys -> dictionary size.
  std::unordered_map<uint64_t, size_t> bucket;
  std::unordered_set<std::string> latin_seen;
  for (const Pair& p : pairs) {
    if (!latin_seen.insert(p.latin).second) continue;
    for (const uint64_t k : PostedKeys(OneToken(p.latin))) ++bucket[k];
  }
  size_t close_pairs = 0, nokey = 0, close_weighted = 0, nokey_weighted = 0;
  std::vector<size_t> reach;
  std::unordered_set<std::string> arabic_seen;
  for (const Pair& p : pairs) {
    const names::NameToken a = OneToken(p.arabic), b = OneToken(p.latin);
    if (a.text.empty() || b.text.empty()) continue;
    const auto ka = LookedUpKeys(a);
    if (arabic_seen.insert(p.arabic).second) {
      size_t r = 0;  // an upper bound: tokens under two keys count twice
      for (const uint64_t k : ka) {
        const auto it = bucket.find(k);
        if (it != bucket.end()) r += it->second;
      }
      reach.push_back(r);
    }
    const double s = names::TokenSimilarity(a, b);
    if (s < close) continue;
    ++close_pairs;
    close_weighted += p.count;
    const auto kb = PostedKeys(b);
    bool shared = false;
    for (const uint64_t k : ka)
      shared |= std::binary_search(kb.begin(), kb.end(), k);
    if (shared) continue;
    ++nokey;
    nokey_weighted += p.count;
    if (show > 0) {
      --show;
      std::printf("nokey %s/%s [%s/%s] = %.2f (count %d)\n", p.arabic.c_str(),
                  p.latin.c_str(), a.code.c_str(), b.code.c_str(), s, p.count);
    }
  }
  // The other side: how often an Arabic token is as close to the Latin
  // spelling of another token (random pairs, fixed seed).
  size_t random_close = 0;
  const size_t random_pairs = 200000;
  {
    std::mt19937_64 rng(7);
    std::vector<names::NameToken> arabic_tokens, latin_tokens;
    for (const Pair& p : pairs) {
      arabic_tokens.push_back(OneToken(p.arabic));
      latin_tokens.push_back(OneToken(p.latin));
    }
    for (size_t k = 0; k < random_pairs && !pairs.empty(); ++k) {
      const size_t i = rng() % pairs.size(), j = rng() % pairs.size();
      if (pairs[i].arabic == pairs[j].arabic) continue;
      if (names::TokenSimilarity(arabic_tokens[i], latin_tokens[j]) >= close)
        ++random_close;
    }
  }
  std::printf(
      "random pairs (an Arabic token, another token's Latin spelling): %zu of "
      "%zu (%.3f%%) at similarity >= %.2f\n",
      random_close, random_pairs, 100.0 * random_close / random_pairs, close);
  std::sort(reach.begin(), reach.end());
  double sum = 0;
  for (const size_t r : reach) sum += static_cast<double>(r);
  const auto pct = [&](double q) {
    return reach.empty() ? size_t{0}
                         : reach[static_cast<size_t>(q * (reach.size() - 1))];
  };
  std::printf(
      "%s part: %zu pairs; %zu at similarity >= %.2f, of which %zu (%.2f%%) "
      "share no key (by sightings: %.2f%%)\n",
      train ? "train (80%)" : "test (20%)", pairs.size(), close_pairs, close,
      nokey, close_pairs ? 100.0 * nokey / close_pairs : 0.0,
      close_weighted ? 100.0 * nokey_weighted / close_weighted : 0.0);
  std::printf(
      "dictionary %zu Latin spellings, %zu keys; dictionary tokens an Arabic "
      "token's keys reach: mean %.1f, p50 %zu, p99 %zu\n",
      latin_seen.size(), bucket.size(),
      reach.empty() ? 0.0 : sum / reach.size(), pct(0.5), pct(0.99));
  return 0;
}
