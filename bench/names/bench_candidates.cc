// Benchmark 3, candidate recall: the list is positives_un_untreated.csv (683
// UN-listed persons) plus negatives_global.csv (50,000 synthetic distractors);
// the inputs are positives_un_treated.csv (the same persons with typos,
// reordering and split words). Every input must find its untreated twin.
// Reports the share of inputs whose twin is among the candidates retrieved
// and among those scored, candidate counts, and the end-to-end recall at the
// default threshold.
//
// Usage: jisr_bench_candidates [DATA_DIR]   (default ../shared/data)
#include <chrono>
#include <cstdio>

#include "names/bench_data.h"
#include "screening/index.h"

int main(int argc, char** argv) {
  using namespace jisr;
  const std::string dir = bench::DataDir(argc > 1 ? argv[1] : "../shared/data");
  const std::string fx = dir + "/opensanctions-screening-fixtures/";
  auto untreated = bench::ReadCsvTable(fx + "positives_un_untreated.csv");
  auto treated = bench::ReadCsvTable(fx + "positives_un_treated.csv");
  auto negatives = bench::ReadCsvTable(fx + "negatives_global.csv");
  if (!untreated.ok() || !treated.ok() || !negatives.ok()) {
    std::fprintf(stderr, "cannot read the fixtures under %s\n", fx.c_str());
    return 1;
  }
  std::vector<screening::Person> list = bench::FixturePersons(*untreated, "un");
  std::vector<screening::Person> neg = bench::FixturePersons(*negatives, "neg");
  list.insert(list.end(), neg.begin(), neg.end());
  const std::vector<screening::Person> inputs =
      bench::FixturePersons(*treated, "un");

  screening::Index index;
  const auto t0 = std::chrono::steady_clock::now();
  if (auto s = index.UpsertBatch(list); !s.ok()) {
    std::fprintf(stderr, "index: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  const auto snap = index.snapshot();

  size_t found_retrieved = 0, found_scored = 0, found_match = 0, top1 = 0,
         others = 0;
  std::vector<double> retrieved, scored, tokens, name_scored, postings;
  size_t compared_total = 0, similar_total = 0;
  std::vector<std::string> missed;
  const auto t1 = std::chrono::steady_clock::now();
  for (const auto& q : inputs) {
    const auto st = snap->Candidates(q, q.id);
    found_retrieved += st.found_retrieved;
    found_scored += st.found_scored;
    retrieved.push_back(static_cast<double>(st.retrieved));
    scored.push_back(static_cast<double>(st.scored));
    name_scored.push_back(static_cast<double>(st.name_scored));
    postings.push_back(static_cast<double>(st.postings_read));
    tokens.push_back(static_cast<double>(st.tokens_compared));
    compared_total += st.tokens_compared;
    similar_total += st.tokens_similar;
    screening::ScreenOptions so;
    so.explain = false;
    const auto matches = snap->Screen(q, so);
    bool hit = false;
    for (size_t k = 0; k < matches.size(); ++k) {
      if (matches[k].person_id == q.id) {
        hit = true;
        if (k == 0) ++top1;
      } else {
        ++others;
      }
    }
    found_match += hit;
    if (!st.found_scored || !hit) missed.push_back(q.names[0]);
  }
  const double screen_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t1)
          .count();
  const double n = static_cast<double>(inputs.size());
  std::printf(
      "list: %zu persons (683 UN + 50,000 distractors), inputs: %zu treated "
      "rows\n",
      list.size(), inputs.size());
  std::printf("index build: %.2f s\n", build_s);
  std::printf(
      "candidate recall (twin among scored candidates): %.4f (%zu/%zu)\n",
      found_scored / n, found_scored, inputs.size());
  std::printf(
      "retrieval recall (twin among all retrieved):     %.4f (%zu/%zu)\n",
      found_retrieved / n, found_retrieved, inputs.size());
  std::printf(
      "end-to-end recall at threshold %.2f:               %.4f (%zu/%zu), twin "
      "ranked first %zu, other persons above threshold %zu\n",
      screening::kDefaultThreshold, found_match / n, found_match, inputs.size(),
      top1, others);
  std::printf(
      "candidates retrieved per input: p50 %.0f, p99 %.0f; scored: p50 %.0f, "
      "p99 %.0f; "
      "dictionary tokens compared: p50 %.0f, p99 %.0f\n",
      bench::Percentile(&retrieved, 50), bench::Percentile(&retrieved, 99),
      bench::Percentile(&scored, 50), bench::Percentile(&scored, 99),
      bench::Percentile(&tokens, 50), bench::Percentile(&tokens, 99));
  std::printf(
      "names scored (candidates the other features leave able to reach the "
      "threshold): p50 %.0f, p99 %.0f; posting entries read: p50 %.0f, p99 "
      "%.0f\n",
      bench::Percentile(&name_scored, 50), bench::Percentile(&name_scored, 99),
      bench::Percentile(&postings, 50), bench::Percentile(&postings, 99));
  std::printf("dictionary tokens compared in total %zu, similar %zu\n",
              compared_total, similar_total);
  std::printf(
      "time: %.2f s for %zu inputs (candidates + screening, 1 thread)\n",
      screen_s, inputs.size());
  for (const auto& m : missed) std::printf("missed: %s\n", m.c_str());
  return 0;
}
