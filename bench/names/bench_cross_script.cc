// Benchmark 2, cross-script recall and precision, from translit-coling2018
// (wd_arabic.tokens.tsv: Latin spelling, Arabic letters, count).
//   - Arabic tokens are split 80/20 by a hash of the token; only the 20%
//     ("test") part is used here (the rules were developed on the 80%).
//   - N persons are composed of 3 random test tokens (given, father's,
//     family name), listed in each token's most frequent Latin spelling, with
//     a full birth date; the 50,000 persons of negatives_global.csv are
//     listed too, as distractors.
//   - Queries: each person in Arabic script, and each person in other
//     attested Latin spellings (every token that has another spelling takes
//     a random one). Both with the birth year and without any date.
//   - A query's twin found at or above the default threshold is a true
//     positive; any other listed person at or above it is a false positive.
// Results are reported for all attested spellings and for spellings seen at
// least twice (count >= 2; the data's single sightings include noise such as
// "morocco" for محمد).
//
// Usage: jisr_bench_cross_script [DATA_DIR] [--persons N] [--threshold T]
//            [--split test|train] [--scale S] [--generator-min G]
//            [--same-year Y] [--cap-below C]
//   (S: NameMatchOptions::cross_script_scale, G: IndexOptions::
//   generator_min_similarity, Y: FeatureWeights::birth_same_year, C:
//   NameMatchOptions::cross_script_cap_below, for tuning on the training
//   part)
// JISR_BENCH_DUMP_TOKENS=1 prints each query missed with the birth year:
// per position, the query and listed tokens, their codes, their similarity
// and "!nokey" when they share no retrieval key (use with --split train).
// JISR_BENCH_SHOW_FP=1 prints each false alarm without a birth date (score,
// query, listed name).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "names/analyzed_name.h"
#include "names/bench_data.h"
#include "names/name_matcher.h"
#include "names/retrieval_keys.h"
#include "screening/batch.h"
#include "screening/index.h"

namespace {

struct Spelling {
  std::string latin;
  int count = 0;
};

struct ArabicToken {
  std::string arabic;
  std::vector<Spelling> spellings;  // most frequent first
};

struct Query {
  jisr::screening::Person person;
  std::string twin;
  bool arabic = false;
  bool frequent_only = true;  // every alternative spelling used has count >= 2
};

struct Tally {
  size_t queries = 0, found = 0, false_pos = 0;
  double Recall() const { return queries ? double(found) / queries : 0; }
  double Precision() const {
    return found + false_pos ? double(found) / (found + false_pos) : 0;
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace jisr;
  std::string dir = "../shared/data";
  size_t n_persons = 5000;
  double threshold = screening::kDefaultThreshold;
  double scale = -1;
  double generator_min = -1;
  double same_year = -1;
  double cap_below = -1;
  bool use_train = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--persons") == 0 && i + 1 < argc) {
      n_persons = std::stoul(argv[++i]);
    } else if (std::strcmp(argv[i], "--split") == 0 && i + 1 < argc) {
      use_train = std::strcmp(argv[++i], "train") == 0;
    } else if (std::strcmp(argv[i], "--generator-min") == 0 && i + 1 < argc) {
      generator_min = std::stod(argv[++i]);
    } else if (std::strcmp(argv[i], "--cap-below") == 0 && i + 1 < argc) {
      cap_below = std::stod(argv[++i]);
    } else if (std::strcmp(argv[i], "--same-year") == 0 && i + 1 < argc) {
      same_year = std::stod(argv[++i]);
    } else if (std::strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
      scale = std::stod(argv[++i]);
    } else if (std::strcmp(argv[i], "--threshold") == 0 && i + 1 < argc) {
      threshold = std::stod(argv[++i]);
    } else {
      dir = argv[i];
    }
  }
  dir = bench::DataDir(dir);
  auto part =
      bench::ReadTranslitPart(dir, use_train ? bench::TranslitPart::kTrain
                                             : bench::TranslitPart::kTest);
  if (!part.ok()) {
    std::fprintf(stderr, "%s\n", std::string(part.status().message()).c_str());
    return 1;
  }
  std::map<std::string, ArabicToken> by_arabic;
  const size_t rows = part->size();
  for (bench::TranslitRow& row : *part) {
    ArabicToken& tok = by_arabic[row.arabic];
    tok.arabic = row.arabic;
    tok.spellings.push_back({std::move(row.latin), row.count});
  }
  std::vector<ArabicToken> tokens;
  for (auto& [k, t] : by_arabic) {
    std::stable_sort(
        t.spellings.begin(), t.spellings.end(),
        [](const Spelling& a, const Spelling& b) { return a.count > b.count; });
    tokens.push_back(std::move(t));
  }

  // Compose persons.
  std::mt19937_64 rng(20240611);
  std::vector<screening::Person> list;
  std::vector<std::vector<size_t>> composed;  // token indices per person
  for (size_t i = 0; i < n_persons; ++i) {
    std::vector<size_t> idx = {rng() % tokens.size(), rng() % tokens.size(),
                               rng() % tokens.size()};
    screening::Person p;
    p.id = "x" + std::to_string(i);
    std::string name;
    for (const size_t k : idx)
      name += (name.empty() ? "" : " ") + tokens[k].spellings[0].latin;
    p.names.push_back(name);
    screening::PartialDate d;
    d.year = 1950 + static_cast<int>(rng() % 56);
    d.month = 1 + static_cast<int>(rng() % 12);
    d.day = 1 + static_cast<int>(rng() % 28);
    p.birth_date = d;
    list.push_back(std::move(p));
    composed.push_back(std::move(idx));
  }
  auto negatives = bench::ReadCsvTable(
      dir + "/opensanctions-screening-fixtures/negatives_global.csv");
  if (!negatives.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(negatives.status().message()).c_str());
    return 1;
  }
  bench::FixtureOptions fo;
  fo.nationality = false;
  fo.gender = false;
  for (auto& p : bench::FixturePersons(*negatives, "neg", fo))
    list.push_back(std::move(p));

  // Queries.
  std::vector<Query> queries;
  for (size_t i = 0; i < composed.size(); ++i) {
    Query qa;
    qa.twin = list[i].id;
    qa.arabic = true;
    qa.person.id = "qa" + std::to_string(i);
    std::string name;
    for (const size_t k : composed[i])
      name += (name.empty() ? "" : " ") + tokens[k].arabic;
    qa.person.names.push_back(name);
    queries.push_back(qa);
    Query ql;
    ql.twin = list[i].id;
    ql.person.id = "ql" + std::to_string(i);
    name.clear();
    bool changed = false;
    for (const size_t k : composed[i]) {
      const auto& sp = tokens[k].spellings;
      std::string s = sp[0].latin;
      if (sp.size() > 1) {
        const Spelling& alt = sp[1 + rng() % (sp.size() - 1)];
        s = alt.latin;
        changed = true;
        if (alt.count < 2) ql.frequent_only = false;
      }
      name += (name.empty() ? "" : " ") + s;
    }
    if (!changed) continue;
    ql.person.names.push_back(name);
    queries.push_back(ql);
  }

  screening::IndexOptions io;
  if (scale >= 0) io.scoring.name.cross_script_scale = scale;
  if (generator_min >= 0) io.generator_min_similarity = generator_min;
  if (same_year >= 0) io.scoring.features.birth_same_year = same_year;
  if (cap_below >= 0) io.scoring.name.cross_script_cap_below = cap_below;
  screening::Index index(io);
  const auto t0 = std::chrono::steady_clock::now();
  if (auto s = index.UpsertBatch(list); !s.ok()) {
    std::fprintf(stderr, "index: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  const auto snap = index.snapshot();

  // [with year][kind: 0 arabic, 1 latin all, 2 latin count>=2]
  Tally tally[2][3];
  std::vector<char> found_with_year(queries.size(), 0);
  for (int with_year = 0; with_year < 2; ++with_year) {
    std::vector<screening::Person> qs;
    for (const Query& q : queries) {
      screening::Person p = q.person;
      if (with_year) {
        const size_t i = std::stoul(q.twin.substr(1));
        screening::PartialDate y;
        y.year = list[i].birth_date->year;
        p.birth_date = y;
      }
      qs.push_back(std::move(p));
    }
    screening::BatchOptions bo;
    bo.screen.threshold = threshold;
    bo.screen.top_k = 10;
    bo.screen.explain = false;
    bo.threads = 2;
    const auto results = screening::ScreenBatch(*snap, qs, bo);
    for (size_t i = 0; i < queries.size(); ++i) {
      const Query& q = queries[i];
      bool found = false;
      size_t fp = 0;
      for (const auto& m : results[i]) {
        if (m.person_id == q.twin) {
          found = true;
        } else {
          ++fp;
          if (!with_year && std::getenv("JISR_BENCH_SHOW_FP") != nullptr)
            std::printf("FP %.3f %s || %s\n", m.score,
                        q.person.names[0].c_str(), m.matched_name.c_str());
        }
      }
      if (with_year) found_with_year[i] = found;
      const int kinds[2] = {q.arabic ? 0 : 1,
                            (!q.arabic && q.frequent_only) ? 2 : -1};
      for (const int k : kinds) {
        if (k < 0) continue;
        Tally& t = tally[with_year][k];
        ++t.queries;
        t.found += found;
        t.false_pos += fp;
      }
    }
  }
  if (std::getenv("JISR_BENCH_DUMP_TOKENS") != nullptr) {
    // Per missed query (with the birth year): each position's query token
    // against the listed token, its codes and similarity.
    for (size_t qi = 0; qi < queries.size(); ++qi) {
      if (found_with_year[qi]) continue;
      const Query& q = queries[qi];
      const size_t i = std::stoul(q.twin.substr(1));
      const auto a = names::AnalyzeName(q.person.names[0]);
      const auto b = names::AnalyzeName(list[i].names[0]);
      const auto c = names::CompareNames(a, b);
      std::printf("MISS %s %s score=%.3f ntok=%zu/%zu |",
                  q.arabic ? "ar" : "la", q.twin.c_str(), c.score,
                  a.tokens.size(), b.tokens.size());
      if (a.tokens.size() == b.tokens.size()) {
        for (size_t k = 0; k < a.tokens.size(); ++k) {
          const double s = names::TokenSimilarity(a.tokens[k], b.tokens[k]);
          auto ka = names::RetrievalKeys(a.tokens[k]);
          auto kb = names::RetrievalKeys(b.tokens[k]);
          for (const uint64_t x : names::CrossScriptLookupKeys(a.tokens[k]))
            ka.push_back(x);
          for (const uint64_t x : names::CrossScriptPostingKeys(b.tokens[k]))
            kb.push_back(x);
          std::sort(kb.begin(), kb.end());
          bool shared = false;
          for (const uint64_t x : ka)
            shared |= std::binary_search(kb.begin(), kb.end(), x);
          std::printf(" %s/%s[%s/%s]=%.2f%s", a.tokens[k].text.c_str(),
                      b.tokens[k].text.c_str(), a.tokens[k].code.c_str(),
                      b.tokens[k].code.c_str(), s, shared ? "" : "!nokey");
        }
      } else {
        std::printf(" %s || %s", q.person.names[0].c_str(),
                    list[i].names[0].c_str());
      }
      std::printf("\n");
    }
  }
  if (std::getenv("JISR_BENCH_SHOW_MISSES") != nullptr) {
    size_t shown = 0, not_retrieved = 0, arabic = 0, pruned_but_good = 0,
           not_scored = 0;
    for (const Query& q : queries) {
      if (!q.arabic) continue;
      ++arabic;
      const auto st = snap->Candidates(q.person, q.twin);
      if (!st.found_retrieved) ++not_retrieved;
      if (!st.found_scored) {
        ++not_scored;
        const size_t i = std::stoul(q.twin.substr(1));
        const auto c =
            names::CompareNames(names::AnalyzeName(q.person.names[0]),
                                names::AnalyzeName(list[i].names[0]));
        if (c.score >= 0.8) ++pruned_but_good;
        if (++shown > 40) continue;
        std::printf("miss retrieved=%d score=%.3f  %s | %s\n",
                    st.found_retrieved, c.score, q.person.names[0].c_str(),
                    list[i].names[0].c_str());
      }
    }
    std::printf(
        "arabic queries %zu, twin not retrieved %zu, not scored %zu, of which "
        "name "
        "score >= 0.8: %zu\n",
        arabic, not_retrieved, not_scored, pruned_but_good);
  }
  std::printf(
      "translit-coling2018 %s part: %zu Arabic tokens (%zu rows); %zu composed "
      "persons "
      "+ %zu distractors listed (index %.1f s); threshold %.2f, top 10\n\n",
      use_train ? "train (80%)" : "test (20%)", tokens.size(), rows, n_persons,
      list.size() - n_persons, build_s, threshold);
  std::printf(
      "| queries | birth year | n | recall | precision "
      "|\n|---|---|---|---|---|\n");
  const char* kKind[] = {"Arabic script",
                         "other Latin spellings (all attested)",
                         "other Latin spellings (count >= 2)"};
  for (int k = 0; k < 3; ++k) {
    for (int y = 1; y >= 0; --y) {
      const Tally& t = tally[y][k];
      std::printf("| %s | %s | %zu | %.4f | %.4f |\n", kKind[k],
                  y ? "yes" : "no", t.queries, t.Recall(), t.Precision());
    }
  }
  return 0;
}
