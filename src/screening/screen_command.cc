#include "screening/screen_command.h"

#include "alerts/paxlst.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "common/status.h"
#include "names/analyzed_name.h"
#include "names/name_matcher.h"
#include "names/normalize.h"
#include "screening/batch.h"
#include "screening/index.h"
#include "screening/json_lines.h"
#include "screening/persons_csv.h"

namespace jisr::screening {
namespace {

// Writes `data` to `path` atomically: a temporary file in the same directory,
// flushed, then renamed over `path`. On failure the temporary file is removed.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& data) {
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string templ =
      (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = mkstemp(templ.data());
  if (fd < 0) {
    return absl::PermissionDeniedError(
        fmt::format("{}: cannot create a temporary file in {}: {}", path,
                    dir.string(), std::strerror(errno)));
  }
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(templ.c_str());
      return absl::DataLossError(
          fmt::format("{}: write failed: {}", path, std::strerror(err)));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(templ.c_str());
    return absl::DataLossError(
        fmt::format("{}: write failed: {}", path, std::strerror(err)));
  }
  if (::rename(templ.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(templ.c_str());
    return absl::DataLossError(fmt::format(
        "{}: cannot rename the temporary file: {}", path, std::strerror(err)));
  }
  return absl::OkStatus();
}

double Round4(double v) { return std::round(v * 10000.0) / 10000.0; }

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled)
      : enabled_(enabled), start_(Clock::now()) {}
  ~ProgressBar() {
    if (drawn_) std::fputs("\r\033[K", stderr);
  }
  void Update(size_t done, size_t total) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double pct =
        total == 0 ? 100.0 : 100.0 * static_cast<double>(done) / total;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(pct / 100.0 * kWidth);
    std::fprintf(stderr, "\r[%s%s] %5.1f%% %zu/%zu  %.0f rows/s",
                 std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, '.').c_str(), pct, done, total,
                 secs > 0 ? static_cast<double>(done) / secs : 0.0);
    std::fflush(stderr);
    drawn_ = true;
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_;
  Clock::time_point last_{};
};

}  // namespace

// Reads the passengers and crew of the PAXLST message in `path`.
absl::StatusOr<std::vector<Person>> ReadPaxlstFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("{}: cannot open", path));
  std::string data(alerts::kMaxPaxlstBytes + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  if (data.size() > alerts::kMaxPaxlstBytes) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: larger than {} bytes", path, alerts::kMaxPaxlstBytes));
  }
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  absl::StatusOr<alerts::PaxlstMessage> message = alerts::ParsePaxlst(data, today);
  if (!message.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: {}", path, std::string(message.status().message())));
  }
  return alerts::PaxlstPersons(*message);
}

absl::Status RunScreen(const ScreenCommandOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  if (!(options.threshold >= 0.0 && options.threshold <= 1.0)) {
    return absl::InvalidArgumentError(
        fmt::format("--threshold {} is outside [0, 1]", options.threshold));
  }
  if (options.top < 1)
    return absl::InvalidArgumentError("--top must be at least 1");
  if (options.threads < 0)
    return absl::InvalidArgumentError("--threads must be 0 or more");

  // Read both files before any work, so a bad input fails fast.
  absl::StatusOr<std::vector<Person>> watchlist =
      ReadPersonsCsvFile(options.watchlist);
  if (!watchlist.ok()) return watchlist.status();
  if (options.input.empty() == options.paxlst.empty()) {
    return absl::InvalidArgumentError(
        "give exactly one of --input (CSV) and --paxlst (flight manifest)");
  }
  absl::StatusOr<std::vector<Person>> inputs =
      options.paxlst.empty() ? ReadPersonsCsvFile(options.input)
                             : ReadPaxlstFile(options.paxlst);
  if (!inputs.ok()) return inputs.status();

  IndexOptions index_options;
  index_options.build_threads = options.threads;
  Index index(index_options);
  JISR_RETURN_IF_ERROR(index.UpsertBatch(*watchlist));
  const auto t_indexed = Clock::now();
  const std::shared_ptr<const Snapshot> snapshot = index.snapshot();

  BatchOptions batch;
  batch.screen.threshold = options.threshold;
  batch.screen.top_k = options.top;
  batch.screen.explain = true;
  batch.threads = options.threads;
  ProgressBar bar(options.progress);
  batch.progress = [&bar](size_t done, size_t total) {
    bar.Update(done, total);
  };
  const std::vector<std::vector<Match>> results =
      ScreenBatch(*snapshot, *inputs, batch);
  const auto t_screened = Clock::now();

  std::string out;
  size_t matches = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    for (const Match& m : results[i]) {
      boost::json::object line;
      line["input_id"] = (*inputs)[i].id;
      line["watchlist_id"] = m.person_id;
      line["score"] = Round4(m.score);
      line["matched_name"] = m.matched_name;
      line["explanation"] = m.explanation;
      AppendJson(line, &out);
      out.push_back('\n');
      ++matches;
    }
  }
  if (options.output.empty()) {
    if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() ||
        std::fflush(stdout) != 0) {
      return absl::DataLossError("cannot write to standard output");
    }
  } else {
    JISR_RETURN_IF_ERROR(WriteFileAtomically(options.output, out));
  }
  const double total_s =
      std::chrono::duration<double>(Clock::now() - t0).count();
  const double index_s = std::chrono::duration<double>(t_indexed - t0).count();
  const double screen_s =
      std::chrono::duration<double>(t_screened - t_indexed).count();
  std::fprintf(
      stderr,
      "jisr screen: %zu rows read from %s, %zu listed persons from %s; %zu "
      "matches "
      "(threshold %.2f); %.3f s (reading and indexing %.3f s, screening %.3f "
      "s), %.1f rows/s\n",
      inputs->size(),
      (options.paxlst.empty() ? options.input : options.paxlst).c_str(),
      watchlist->size(),
      options.watchlist.c_str(), matches, options.threshold, total_s, index_s,
      screen_s,
      screen_s > 0 ? static_cast<double>(inputs->size()) / screen_s : 0.0);
  return absl::OkStatus();
}

absl::Status RunMatch(const std::string& a, const std::string& b,
                      double threshold) {
  if (!(threshold >= 0.0 && threshold <= 1.0)) {
    return absl::InvalidArgumentError(
        fmt::format("--threshold {} is outside [0, 1]", threshold));
  }
  for (const std::string* n : {&a, &b}) {
    if (!names::IsValidUtf8(*n)) {
      return absl::InvalidArgumentError(
          fmt::format("name {} is not valid UTF-8", n == &a ? "A" : "B"));
    }
  }
  const names::AnalyzedName na = names::AnalyzeName(a);
  const names::AnalyzedName nb = names::AnalyzeName(b);
  if (na.tokens.empty() || nb.tokens.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("name {} has no letters", na.tokens.empty() ? "A" : "B"));
  }
  const names::NameComparison c =
      names::CompareNames(na, nb, IndexOptions{}.scoring.name);
  boost::json::object o;
  o["a"] = a;
  o["b"] = b;
  o["score"] = Round4(c.score);
  o["threshold"] = threshold;
  o["match"] = c.score >= threshold;
  o["explanation"] = names::ComparisonToJson(c, "a", "b");
  std::string out = ToJsonText(o);
  out.push_back('\n');
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return absl::OkStatus();
}

void AddScreeningCommands(CLI::App& app) {
  auto screen_opts = std::make_shared<ScreenCommandOptions>();
  screen_opts->threshold = kDefaultThreshold;
  CLI::App* screen =
      app.add_subcommand("screen",
                         "Screen a list of persons (CSV) against a watch list "
                         "(CSV); JSON Lines out");
  screen
      ->add_option("--watchlist", screen_opts->watchlist,
                   "Watch list CSV "
                   "(id,name,aliases,birth_date,nationality,gender,document)")
      ->required();
  CLI::Option* input_opt = screen->add_option(
      "--input", screen_opts->input, "Persons to screen, same CSV format");
  screen
      ->add_option("--paxlst", screen_opts->paxlst,
                   "A flight's passengers and crew (UN/EDIFACT PAXLST)")
      ->excludes(input_opt);
  screen->add_option(
      "--threshold", screen_opts->threshold,
      fmt::format("Minimum score of a reported match, 0-1 (default {})",
                  kDefaultThreshold));
  screen->add_option("--top", screen_opts->top,
                     "At most K matches per input (default 10)");
  screen->add_option("--threads", screen_opts->threads,
                     "Worker threads (default: all cores)");
  screen->add_option("--output", screen_opts->output,
                     "Write JSON Lines here instead of stdout");
  screen->callback([screen_opts] {
    ScreenCommandOptions o = *screen_opts;
    o.progress = ::isatty(STDERR_FILENO) == 1;
    if (absl::Status s = RunScreen(o); !s.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(s.message()).c_str());
      throw CLI::RuntimeError(1);
    }
  });

  auto match_a = std::make_shared<std::string>();
  auto match_b = std::make_shared<std::string>();
  auto match_threshold = std::make_shared<double>(kDefaultThreshold);
  CLI::App* match = app.add_subcommand(
      "match", "Compare two names (any script) and explain the score as JSON");
  match->add_option("name_a", *match_a, "First name")->required();
  match->add_option("name_b", *match_b, "Second name")->required();
  match->add_option(
      "--threshold", *match_threshold,
      fmt::format("Threshold for the \"match\" field (default {})",
                  kDefaultThreshold));
  match->callback([match_a, match_b, match_threshold] {
    if (absl::Status s = RunMatch(*match_a, *match_b, *match_threshold);
        !s.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(s.message()).c_str());
      throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace jisr::screening
