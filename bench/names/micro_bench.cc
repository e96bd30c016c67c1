// Micro-benchmarks (Google Benchmark) of the string metrics, normalisation
// and name analysis/scoring of names/. Run: build/bin/jisr_bench_names_micro
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "names/analyzed_name.h"
#include "names/name_matcher.h"
#include "names/normalize.h"
#include "names/phonetic.h"
#include "names/retrieval_keys.h"
#include "names/string_metrics.h"

namespace {

using namespace jisr::names;

void BM_Levenshtein(benchmark::State& state) {
  const std::string a = "abderrahmane", b = "abdurrahman";
  for (auto _ : state) benchmark::DoNotOptimize(Levenshtein(a, b));
}
BENCHMARK(BM_Levenshtein);

void BM_LevenshteinLong(benchmark::State& state) {
  const std::string a(100, 'a'),
      b = std::string(50, 'a') + std::string(50, 'b');
  for (auto _ : state) benchmark::DoNotOptimize(Levenshtein(a, b));
}
BENCHMARK(BM_LevenshteinLong);

void BM_OsaDistance(benchmark::State& state) {
  const std::string a = "mukulu jamil", b = "mukulu jamli";
  for (auto _ : state) benchmark::DoNotOptimize(OsaDistance(a, b));
}
BENCHMARK(BM_OsaDistance);

void BM_JaroWinkler(benchmark::State& state) {
  const std::string a = "mohammed", b = "muhamad";
  for (auto _ : state) benchmark::DoNotOptimize(JaroWinkler(a, b));
}
BENCHMARK(BM_JaroWinkler);

void BM_PhoneticSimilarityCrossScript(benchmark::State& state) {
  const std::string a = LatinPhoneticCode("abdellatif");
  const std::string b = ArabicPhoneticCode(NormalizeName("عبداللطيف"));
  for (auto _ : state)
    benchmark::DoNotOptimize(PhoneticSimilarity(a, b, CodePair::kLatinArabic));
}
BENCHMARK(BM_PhoneticSimilarityCrossScript);

void BM_PhoneticSimilarityEarlyStop(benchmark::State& state) {
  const std::string a = LatinPhoneticCode("abdellatif"),
                    b = LatinPhoneticCode("kristoffersen");
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        PhoneticSimilarity(a, b, CodePair::kSameScript, 0.6));
  }
}
BENCHMARK(BM_PhoneticSimilarityEarlyStop);

void BM_NormalizeNameAscii(benchmark::State& state) {
  const std::string s = "SALEK, Abdul-Hai M'hamed";
  for (auto _ : state) benchmark::DoNotOptimize(NormalizeName(s));
}
BENCHMARK(BM_NormalizeNameAscii);

void BM_NormalizeNameLatinAccents(benchmark::State& state) {
  const std::string s = "François Müller-Łódź";
  for (auto _ : state) benchmark::DoNotOptimize(NormalizeName(s));
}
BENCHMARK(BM_NormalizeNameLatinAccents);

void BM_NormalizeNameArabic(benchmark::State& state) {
  const std::string s = "مُحَمَّد بن عبد اللطيف الإدريسي";
  for (auto _ : state) benchmark::DoNotOptimize(NormalizeName(s));
}
BENCHMARK(BM_NormalizeNameArabic);

void BM_NormalizeNameCyrillic(benchmark::State& state) {
  const std::string s = "Владимир Владимирович Путин";
  for (auto _ : state) benchmark::DoNotOptimize(NormalizeName(s));
}
BENCHMARK(BM_NormalizeNameCyrillic);

void BM_AnalyzeName(benchmark::State& state) {
  const std::string s = "Youcef Abd el-Latif Ben Ali";
  for (auto _ : state) benchmark::DoNotOptimize(AnalyzeName(s));
}
BENCHMARK(BM_AnalyzeName);

void BM_RetrievalKeys(benchmark::State& state) {
  const AnalyzedName n = AnalyzeName("Abdellatif");
  for (auto _ : state) benchmark::DoNotOptimize(RetrievalKeys(n.tokens[0]));
}
BENCHMARK(BM_RetrievalKeys);

void BM_TokenSimilarityCrossScript(benchmark::State& state) {
  const AnalyzedName a = AnalyzeName("Houcine"), b = AnalyzeName("حسين");
  for (auto _ : state)
    benchmark::DoNotOptimize(TokenSimilarity(a.tokens[0], b.tokens[0]));
}
BENCHMARK(BM_TokenSimilarityCrossScript);

void BM_NameScoreCrossScript(benchmark::State& state) {
  const AnalyzedName a = AnalyzeName("Youcef Abdellatif Benali");
  const AnalyzedName b = AnalyzeName("يوسف عبد اللطيف بن علي");
  for (auto _ : state) benchmark::DoNotOptimize(NameScore(a, b));
}
BENCHMARK(BM_NameScoreCrossScript);

void BM_NameScoreDifferentCounts(benchmark::State& state) {
  const AnalyzedName a = AnalyzeName("Dost Mohammad");
  const AnalyzedName b = AnalyzeName("Dost Mohammad Khan Haqqani");
  for (auto _ : state) benchmark::DoNotOptimize(NameScore(a, b));
}
BENCHMARK(BM_NameScoreDifferentCounts);

void BM_AlignTokens4x4(benchmark::State& state) {
  const std::vector<double> sim = {0.9, 0.1, 0.2,  0.7, 0.3, 0.95, 0.1, 0.2,
                                   0.1, 0.2, 0.85, 0.3, 0.6, 0.1,  0.2, 0.99};
  for (auto _ : state)
    benchmark::DoNotOptimize(AlignTokens(sim, 4, 4, {}, 0.6));
}
BENCHMARK(BM_AlignTokens4x4);

}  // namespace

BENCHMARK_MAIN();
