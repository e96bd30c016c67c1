// Benchmark 4, speed: a reproducible generator (fixed seed) makes N listed
// persons (default 1,000,000) and M persons to screen (default 100,000, 10%
// of them true variants of listed persons); the program reports the index
// build time, memory, screening throughput with T threads (default 2) and
// per-input latency (p50, p99), and the recall of the true variants.
//
// Names are drawn from the translit-coling2018 vocabulary (all of it: this
// benchmark measures speed, not accuracy), token weight ~ count^0.75:
// 2-4 tokens, primary name in Latin script (60%, most frequent spellings) or
// Arabic script (40%), an alias in the other script (50%) and one in other
// Latin spellings (30%); birth dates full (70%), year-month (10%) or year
// (20%); 1-2 nationalities; gender; a passport number for half of them.
// A true variant takes a listed person's name in the other script or in
// other Latin spellings, sometimes with a typo (20%), a dropped middle name
// (10%) or the "FAMILY, GIVEN" form (10%), and keeps the birth date (full or
// year only) and nationality.
//
// With --pg-dir DIR it also writes DIR/listed.csv (id,name: one row per name
// variant), DIR/queries.csv (qid,name) and DIR/truth.csv (qid,twin) for the
// PostgreSQL pg_trgm baseline of scripts/bench-names-speed.sh.
//
// Usage: jisr_bench_speed [DATA_DIR] [--persons N] [--inputs M] [--threads T]
//                         [--pg-dir DIR] [--seed S] [--generator-min S]
//                         [--stats-inputs K]  (retrieval statistics on the
//                         first K inputs, default 1000)
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "names/bench_data.h"
#include "screening/index.h"

namespace {

using jisr::screening::PartialDate;
using jisr::screening::Person;

struct Vocab {
  std::vector<std::string> arabic;
  std::vector<std::vector<std::string>> latin;  // most frequent first
  std::discrete_distribution<size_t> pick;
};

constexpr const char* kNationalities[] = {
    "MA", "FR", "DZ", "TN", "ES", "BE", "EG", "SN", "ML", "LY",
    "SY", "IQ", "SA", "TR", "DE", "IT", "NL", "GB", "PT", "MR"};

class Generator {
 public:
  Generator(const Vocab& vocab, uint64_t seed)
      : vocab_(vocab), pick_(vocab.pick), rng_(seed) {}

  std::vector<size_t> Tokens() {
    const double r = Uniform();
    const size_t n = r < 0.15 ? 2 : (r < 0.85 ? 3 : 4);
    std::vector<size_t> t;
    for (size_t i = 0; i < n; ++i) t.push_back(pick_(rng_));
    return t;
  }

  std::string LatinName(const std::vector<size_t>& t, bool variants) {
    std::string out;
    for (const size_t k : t) {
      const auto& sp = vocab_.latin[k];
      const std::string& s =
          variants && sp.size() > 1 ? sp[1 + rng_() % (sp.size() - 1)] : sp[0];
      out += (out.empty() ? "" : " ") + s;
    }
    return out;
  }

  std::string ArabicName(const std::vector<size_t>& t) {
    std::string out;
    for (const size_t k : t) out += (out.empty() ? "" : " ") + vocab_.arabic[k];
    return out;
  }

  Person Listed(const std::string& id, std::vector<size_t>* tokens_out) {
    Person p;
    p.id = id;
    const std::vector<size_t> t = Tokens();
    const bool latin_primary = Uniform() < 0.6;
    p.names.push_back(latin_primary ? LatinName(t, false) : ArabicName(t));
    if (Uniform() < 0.5)
      p.names.push_back(latin_primary ? ArabicName(t) : LatinName(t, false));
    if (Uniform() < 0.3) {
      std::string alt = LatinName(t, true);
      if (std::find(p.names.begin(), p.names.end(), alt) == p.names.end())
        p.names.push_back(alt);
    }
    PartialDate d;
    d.year = 1940 + static_cast<int>(rng_() % 67);
    const double r = Uniform();
    if (r < 0.8) d.month = 1 + static_cast<int>(rng_() % 12);
    if (r < 0.7) d.day = 1 + static_cast<int>(rng_() % 28);
    p.birth_date = d;
    p.nationalities.push_back(
        kNationalities[rng_() % std::size(kNationalities)]);
    if (Uniform() < 0.15)
      p.nationalities.push_back(
          kNationalities[rng_() % std::size(kNationalities)]);
    p.gender = Uniform() < 0.5 ? jisr::screening::Gender::kMale
                               : jisr::screening::Gender::kFemale;
    if (Uniform() < 0.5)
      p.documents.push_back("P" + std::to_string(10000000 + rng_() % 90000000));
    if (tokens_out != nullptr) *tokens_out = t;
    return p;
  }

  Person Variant(const Person& listed, const std::vector<size_t>& tokens,
                 const std::string& id) {
    Person q;
    q.id = id;
    std::vector<size_t> t = tokens;
    if (t.size() >= 3 && Uniform() < 0.1)
      t.erase(t.begin() + 1);  // drop a middle name
    const bool listed_latin =
        static_cast<unsigned char>(listed.names[0][0]) < 0x80;
    std::string name =
        listed_latin && Uniform() < 0.6 ? ArabicName(t) : LatinName(t, true);
    if (static_cast<unsigned char>(name[0]) < 0x80 && Uniform() < 0.2) {
      // A typo: swap two neighbouring letters of one token.
      const size_t pos = 1 + rng_() % std::max<size_t>(1, name.size() - 2);
      const auto ascii_letter = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      };
      if (pos + 1 < name.size() && ascii_letter(name[pos]) &&
          ascii_letter(name[pos + 1])) {
        std::swap(name[pos], name[pos + 1]);
      }
    }
    if (Uniform() < 0.1) {
      const size_t sp = name.rfind(' ');
      if (sp != std::string::npos)
        name = name.substr(sp + 1) + ", " + name.substr(0, sp);
    }
    q.names.push_back(name);
    if (listed.birth_date) {
      PartialDate d = *listed.birth_date;
      if (Uniform() < 0.5) d.month = d.day = 0;
      q.birth_date = d;
    }
    q.nationalities = {listed.nationalities[0]};
    q.gender = listed.gender;
    return q;
  }

 private:
  double Uniform() {
    return std::uniform_real_distribution<double>(0, 1)(rng_);
  }

  const Vocab& vocab_;
  std::discrete_distribution<size_t> pick_;
  std::mt19937_64 rng_;
};

std::string CsvQuote(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

double Seconds(std::chrono::steady_clock::time_point a,
               std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// CPU time consumed by the calling thread, in seconds.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         static_cast<double>(ts.tv_nsec) * 1e-9;
}

// CPU time consumed by the whole process (all threads), in seconds.
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Resident set size now, in MiB.
double RssMiB() {
  std::ifstream in("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  in >> pages_total >> pages_resident;
  return static_cast<double>(pages_resident) * 4096.0 / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace jisr;
  std::string dir = "../shared/data", pg_dir;
  size_t n_persons = 1000000, n_inputs = 100000;
  int threads = 2;
  uint64_t seed = 42;
  double generator_min = -1;
  double scale = -1;
  size_t stats_inputs = 1000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--persons" && i + 1 < argc)
      n_persons = std::stoul(argv[++i]);
    else if (a == "--inputs" && i + 1 < argc)
      n_inputs = std::stoul(argv[++i]);
    else if (a == "--threads" && i + 1 < argc)
      threads = std::stoi(argv[++i]);
    else if (a == "--pg-dir" && i + 1 < argc)
      pg_dir = argv[++i];
    else if (a == "--seed" && i + 1 < argc)
      seed = std::stoull(argv[++i]);
    else if (a == "--stats-inputs" && i + 1 < argc)
      stats_inputs = std::stoul(argv[++i]);
    else if (a == "--scale" && i + 1 < argc)
      scale = std::stod(argv[++i]);
    else if (a == "--generator-min" && i + 1 < argc)
      generator_min = std::stod(argv[++i]);
    else
      dir = a;
  }
  dir = bench::DataDir(dir);
  std::ifstream in(dir + "/translit-coling2018/wd_arabic.tokens.tsv");
  if (!in) {
    std::fprintf(stderr, "cannot read the translit-coling2018 data under %s\n",
                 dir.c_str());
    return 1;
  }
  std::map<std::string, std::vector<std::pair<int, std::string>>> by_arabic;
  std::string line;
  while (std::getline(in, line)) {
    const size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    if (t1 == std::string::npos || t2 == std::string::npos) continue;
    std::string arabic;
    for (const char c : line.substr(t1 + 1, t2 - t1 - 1)) {
      if (c != ' ') arabic.push_back(c);
    }
    by_arabic[arabic].push_back(
        {std::stoi(line.substr(t2 + 1)), line.substr(0, t1)});
  }
  Vocab vocab;
  std::vector<double> weights;
  for (auto& [ar, sp] : by_arabic) {
    std::stable_sort(sp.begin(), sp.end(), [](const auto& x, const auto& y) {
      return x.first > y.first;
    });
    int total = 0;
    std::vector<std::string> latin;
    for (const auto& [c, s] : sp) {
      total += c;
      latin.push_back(s);
    }
    vocab.arabic.push_back(ar);
    vocab.latin.push_back(std::move(latin));
    weights.push_back(std::pow(static_cast<double>(total), 0.75));
  }
  vocab.pick =
      std::discrete_distribution<size_t>(weights.begin(), weights.end());

  const auto g0 = std::chrono::steady_clock::now();
  Generator gen(vocab, seed);
  std::vector<Person> listed;
  std::vector<std::vector<size_t>> listed_tokens;
  listed.reserve(n_persons);
  listed_tokens.reserve(n_persons);
  for (size_t i = 0; i < n_persons; ++i) {
    std::vector<size_t> t;
    listed.push_back(gen.Listed("p" + std::to_string(i), &t));
    listed_tokens.push_back(std::move(t));
  }
  Generator qgen(vocab, seed ^ 0x9e3779b97f4a7c15ull);
  std::vector<Person> inputs;
  std::vector<std::string> twin;  // "" for non-variants
  std::mt19937_64 pick_rng(seed + 1);
  for (size_t i = 0; i < n_inputs; ++i) {
    const std::string id = "q" + std::to_string(i);
    if (i % 10 == 0) {
      const size_t k = pick_rng() % n_persons;
      inputs.push_back(qgen.Variant(listed[k], listed_tokens[k], id));
      twin.push_back(listed[k].id);
    } else {
      Person p = qgen.Listed(id, nullptr);
      p.names.resize(1);
      inputs.push_back(std::move(p));
      twin.emplace_back();
    }
  }
  listed_tokens.clear();
  listed_tokens.shrink_to_fit();
  const auto g1 = std::chrono::steady_clock::now();
  const double rss_data = RssMiB();

  if (!pg_dir.empty()) {
    std::ofstream l(pg_dir + "/listed.csv"), q(pg_dir + "/queries.csv"),
        t(pg_dir + "/truth.csv");
    l << "id,name\n";
    for (const auto& p : listed) {
      for (const auto& n : p.names) l << p.id << ',' << CsvQuote(n) << '\n';
    }
    q << "qid,name\n";
    t << "qid,twin\n";
    for (size_t i = 0; i < inputs.size(); ++i) {
      q << inputs[i].id << ',' << CsvQuote(inputs[i].names[0]) << '\n';
      if (!twin[i].empty()) t << inputs[i].id << ',' << twin[i] << '\n';
    }
  }

  screening::IndexOptions io;
  io.build_threads = threads;
  if (generator_min >= 0) io.generator_min_similarity = generator_min;
  if (scale >= 0) io.scoring.name.cross_script_scale = scale;
  screening::Index index(io);
  const double build_cpu0 = ProcessCpuSeconds();
  const auto b0 = std::chrono::steady_clock::now();
  if (auto s = index.UpsertBatch(listed); !s.ok()) {
    std::fprintf(stderr, "index: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  const auto b1 = std::chrono::steady_clock::now();
  const double build_cpu = ProcessCpuSeconds() - build_cpu0;
  malloc_trim(0);  // return freed build buffers to the system before measuring
  const double rss_index = RssMiB();
  const auto snap = index.snapshot();

  // Retrieval statistics on a sample.
  std::vector<double> tok, ret, sco, pst, nsc;
  size_t compared = 0, similar = 0;
  for (size_t i = 0; i < inputs.size() && i < stats_inputs; ++i) {
    const auto st = snap->Candidates(inputs[i], twin[i]);
    tok.push_back(static_cast<double>(st.tokens_compared));
    compared += st.tokens_compared;
    similar += st.tokens_similar;
    ret.push_back(static_cast<double>(st.retrieved));
    sco.push_back(static_cast<double>(st.scored));
    pst.push_back(static_cast<double>(st.postings_read));
    nsc.push_back(static_cast<double>(st.name_scored));
  }
  std::printf(
      "retrieval, first %zu inputs (cold token cache): %zu of %zu dictionary "
      "tokens "
      "compared were similar; ",
      tok.size(), similar, compared);
  std::printf(
      "per input: dictionary tokens compared p50 %.0f p99 %.0f; persons "
      "retrieved p50 %.0f p99 %.0f; persons scored p50 %.0f p99 %.0f; "
      "posting entries read p50 %.0f p99 %.0f; names scored (after the "
      "feature check) p50 %.0f p99 %.0f\n",
      bench::Percentile(&tok, 50), bench::Percentile(&tok, 99),
      bench::Percentile(&ret, 50), bench::Percentile(&ret, 99),
      bench::Percentile(&sco, 50), bench::Percentile(&sco, 99),
      bench::Percentile(&pst, 50), bench::Percentile(&pst, 99),
      bench::Percentile(&nsc, 50), bench::Percentile(&nsc, 99));
  // Screening with `threads` workers; each records its per-input latency.
  std::vector<std::vector<screening::Match>> results(inputs.size());
  std::vector<double> latency_us(inputs.size());
  std::vector<double> cpu_us(inputs.size());
  std::atomic<size_t> next{0};
  screening::ScreenOptions so;  // default threshold, top 10, explanations on
  const auto s0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  std::vector<double> cpu_s(threads, 0.0);
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const double c0 = ThreadCpuSeconds();
      while (true) {
        const size_t i = next.fetch_add(1);
        if (i >= inputs.size()) break;
        const auto a = std::chrono::steady_clock::now();
        const double ca = ThreadCpuSeconds();
        results[i] = snap->Screen(inputs[i], so);
        cpu_us[i] = (ThreadCpuSeconds() - ca) * 1e6;
        latency_us[i] = Seconds(a, std::chrono::steady_clock::now()) * 1e6;
      }
      cpu_s[t] = ThreadCpuSeconds() - c0;
    });
  }
  for (auto& th : pool) th.join();
  const auto s1 = std::chrono::steady_clock::now();

  size_t variants = 0, found = 0, matches = 0, others_matched = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    matches += results[i].size();
    if (twin[i].empty()) {
      others_matched += results[i].empty() ? 0 : 1;
      continue;
    }
    ++variants;
    for (const auto& m : results[i]) {
      if (m.person_id == twin[i]) {
        ++found;
        break;
      }
    }
  }
  const double screen_s = Seconds(s0, s1);
  std::printf(
      "generated %zu listed persons (%zu names) and %zu inputs in %.1f s (seed "
      "%llu)\n",
      listed.size(),
      [&] {
        size_t n = 0;
        for (const auto& p : listed) n += p.names.size();
        return n;
      }(),
      inputs.size(), Seconds(g0, g1), static_cast<unsigned long long>(seed));
  std::printf(
      "index: %zu persons, %zu distinct tokens, built in %.2f s (%.2f CPU-s) "
      "with %d threads; RSS "
      "%.0f MiB after generating the data, %.0f MiB with the index (index "
      "~%.0f MiB); "
      "peak RSS %.0f MiB\n",
      snap->size(), snap->token_count(), Seconds(b0, b1), build_cpu, threads,
      rss_data, rss_index, rss_index - rss_data, bench::PeakRssMiB());
  std::printf(
      "screening: %zu inputs in %.2f s with %d threads = %.0f inputs/s; "
      "latency p50 %.0f "
      "us, p99 %.0f us, max %.0f us\n",
      inputs.size(), screen_s, threads, inputs.size() / screen_s,
      bench::Percentile(&latency_us, 50), bench::Percentile(&latency_us, 99),
      bench::Percentile(&latency_us, 100));
  double cpu_total = 0;
  for (const double c : cpu_s) cpu_total += c;
  std::printf(
      "screening CPU time: %.2f s over %d threads = %.0f inputs per CPU-second "
      "(%.0f "
      "inputs/s if %d cores were free); CPU time per input p50 %.0f us, p99 "
      "%.0f us\n",
      cpu_total, threads, inputs.size() / cpu_total,
      inputs.size() / cpu_total * threads, threads,
      bench::Percentile(&cpu_us, 50), bench::Percentile(&cpu_us, 99));
  std::printf(
      "true variants: %zu, twin found at threshold %.2f: %zu (recall %.4f); "
      "other inputs "
      "with at least one match: %zu of %zu; matches in total: %zu\n",
      variants, screening::kDefaultThreshold, found,
      variants ? double(found) / variants : 0.0, others_matched,
      inputs.size() - variants, matches);
  return 0;
}
