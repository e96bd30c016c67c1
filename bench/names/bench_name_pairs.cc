// Benchmark 1, peer accuracy suite: OpenSanctions name_bench
// (opensanctions-name-bench/cases.csv). Scores every pair with the name score
// of `jisr match` (names::CompareNames) and reports precision, recall and F1
// at the default threshold for Person rows and for all rows, beside the
// published figures of OpenSanctions' logic_v2 (P 0.76, R 0.82, F1 0.79 at
// 0.7). Rows are also split in two halves by a hash of the row (the "tune"
// half was used to set the matcher's constants, the "held-out" half was not).
// --sweep prints the metrics for thresholds 0.50-0.95; --errors lists the
// misclassified pairs.
//
// --param NAME=VALUE overrides a NameMatchOptions field (for tuning).
//
// Usage: jisr_bench_name_pairs [DATA_DIR] [--sweep] [--errors] [--param K=V]...
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "names/analyzed_name.h"
#include "names/bench_data.h"
#include "names/name_matcher.h"
#include "screening/index.h"

namespace {

struct Case {
  std::string schema, a, b, group;
  bool match = false;
  bool held_out = false;
  double score = 0;
};

struct Prf {
  size_t tp = 0, fp = 0, fn = 0, tn = 0;
  double P() const { return tp + fp ? double(tp) / (tp + fp) : 0; }
  double R() const { return tp + fn ? double(tp) / (tp + fn) : 0; }
  double F1() const { return P() + R() > 0 ? 2 * P() * R() / (P() + R()) : 0; }
  size_t N() const { return tp + fp + fn + tn; }
};

Prf Evaluate(const std::vector<Case>& cases, double threshold,
             bool persons_only, int half) {
  Prf m;
  for (const Case& c : cases) {
    if (persons_only && c.schema != "Person") continue;
    if (half == 0 && c.held_out) continue;
    if (half == 1 && !c.held_out) continue;
    const bool predicted = c.score >= threshold;
    if (predicted && c.match) ++m.tp;
    if (predicted && !c.match) ++m.fp;
    if (!predicted && c.match) ++m.fn;
    if (!predicted && !c.match) ++m.tn;
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace jisr;
  std::string dir = "../shared/data";
  bool sweep = false, errors = false;
  names::NameMatchOptions options = screening::IndexOptions{}.scoring.name;
  double threshold = screening::kDefaultThreshold;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--param") == 0 && i + 1 < argc) {
      const std::string kv = argv[++i];
      const size_t eq = kv.find('=');
      const std::string k = kv.substr(0, eq);
      const double v = std::stod(kv.substr(eq + 1));
      if (k == "min_token_similarity")
        options.min_token_similarity = v;
      else if (k == "credit_zero")
        options.credit_zero = v;
      else if (k == "credit_knee")
        options.credit_knee = v;
      else if (k == "credit_knee_value")
        options.credit_knee_value = v;
      else if (k == "unmatched_factor")
        options.unmatched_factor = v;
      else if (k == "extra_token_weight")
        options.extra_token_weight = v;
      else if (k == "inversion_penalty")
        options.inversion_penalty = v;
      else if (k == "particle_mismatch_factor")
        options.particle_mismatch_factor = v;
      else if (k == "initial_similarity")
        options.initial_similarity = v;
      else if (k == "cross_script_scale")
        options.cross_script_scale = v;
      else if (k == "threshold")
        threshold = v;
      else {
        std::fprintf(stderr, "unknown parameter %s\n", k.c_str());
        return 2;
      }
    } else if (std::strcmp(argv[i], "--sweep") == 0) {
      sweep = true;
    } else if (std::strcmp(argv[i], "--errors") == 0) {
      errors = true;
    } else {
      dir = argv[i];
    }
  }
  dir = bench::DataDir(dir);
  auto table = bench::ReadCsvTable(dir + "/opensanctions-name-bench/cases.csv");
  if (!table.ok()) {
    std::fprintf(stderr, "%s\n", std::string(table.status().message()).c_str());
    return 1;
  }
  const int c_group = table->Column("case_group"),
            c_schema = table->Column("schema"), c_a = table->Column("name1"),
            c_b = table->Column("name2"), c_match = table->Column("is_match");
  std::vector<Case> cases;
  for (const auto& row : table->rows) {
    Case c;
    c.group = row[c_group];
    c.schema = row[c_schema];
    c.a = row[c_a];
    c.b = row[c_b];
    c.match = row[c_match] == "true";
    c.held_out = bench::StableHash(c.a + "\x1f" + c.b) % 2 == 1;
    c.score = names::CompareNames(names::AnalyzeName(c.a),
                                  names::AnalyzeName(c.b), options)
                  .score;
    cases.push_back(std::move(c));
  }
  const double t = threshold;
  std::printf(
      "OpenSanctions name_bench, %zu pairs, threshold %.2f (jisr match)\n\n",
      cases.size(), t);
  std::printf(
      "| rows | pairs | precision | recall | F1 |\n|---|---|---|---|---|\n");
  const char* kHalf[] = {"tune half", "held-out half", "all"};
  for (const bool persons : {true, false}) {
    for (const int half : {2, 0, 1}) {
      const Prf m = Evaluate(cases, t, persons, half);
      std::printf("| %s, %s | %zu | %.3f | %.3f | %.3f |\n",
                  persons ? "Person" : "all schemas", kHalf[half], m.N(), m.P(),
                  m.R(), m.F1());
    }
  }
  std::printf(
      "| logic_v2 (published, all rows, 0.7) | | 0.76 | 0.82 | 0.79 |\n");
  if (sweep) {
    std::printf(
        "\n| threshold | Person P | Person R | Person F1 | all P | all R | all "
        "F1 |\n"
        "|---|---|---|---|---|---|---|\n");
    for (int k = 50; k <= 95; k += 5) {
      const double th = k / 100.0;
      const Prf p = Evaluate(cases, th, true, 2);
      const Prf a = Evaluate(cases, th, false, 2);
      std::printf("| %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", th,
                  p.P(), p.R(), p.F1(), a.P(), a.R(), a.F1());
    }
  }
  if (errors) {
    std::printf("\nmisclassified at %.2f:\n", t);
    for (const Case& c : cases) {
      if ((c.score >= t) != c.match) {
        std::printf("%s %-7s %.3f %s | %s | %s\n", c.match ? "FN" : "FP",
                    c.schema.c_str(), c.score, c.a.c_str(), c.b.c_str(),
                    c.group.c_str());
      }
    }
  }
  return 0;
}
