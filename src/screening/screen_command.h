// The `jisr screen` and `jisr match` commands (CLI11 subcommands).
//
//   jisr screen --watchlist W.csv (--input Q.csv | --paxlst FLIGHT.edi)
//               [--threshold T] [--top K] [--threads N] [--output FILE]
//     Screens every person of Q.csv against the persons of W.csv (format in
//     persons_csv.h) and writes JSON Lines, one line per (input, listed
//     person) pair at or above the threshold, best first per input:
//     {"input_id","watchlist_id","score","matched_name","explanation"}.
//     Output goes to stdout, or to FILE through a temporary file renamed at
//     the end (an error never leaves a partial file). With --paxlst the
//     passengers and crew of a PAXLST message are screened (alerts/paxlst.h). A summary goes to
//     stderr, with a progress bar when stderr is a terminal.
//   jisr match "NAME A" "NAME B" [--threshold T]
//     Prints {"a","b","score","threshold","match","explanation"} as one JSON
//     line.
// On bad input both print "error: <file>:<line>:<column>: ..." to stderr and
// fail with exit code 1 (the callbacks throw CLI::RuntimeError(1), which
// CLI::App::exit turns into the exit code without printing anything).
//
// Thread-safety: the callbacks run on the thread that parses the command
// line; `screen` uses --threads worker threads internally.
#ifndef JISR_SCREENING_SCREEN_COMMAND_H_
#define JISR_SCREENING_SCREEN_COMMAND_H_

#include <string>

#include "absl/status/status.h"

namespace CLI {
class App;
}

namespace jisr::screening {

// Adds the `screen` and `match` subcommands to `app`.
void AddScreeningCommands(CLI::App& app);

struct ScreenCommandOptions {
  std::string watchlist;  // --watchlist (required)
  std::string input;      // --input: persons CSV (this or paxlst required)
  std::string paxlst;     // --paxlst: a UN/EDIFACT PAXLST flight manifest
  double threshold = 0;   // --threshold, in [0, 1]; default kDefaultThreshold
  size_t top = 10;        // --top: matches per input, at least 1; default 10
  int threads = 0;        // --threads: 0 = all cores; default 0
  std::string output;     // --output: empty = stdout
  bool progress = false;  // draw a progress bar on stderr
};

// Runs `jisr screen`; returns OK or the error to print (file, line, column).
// Writes results to stdout or options.output, the summary to stderr.
absl::Status RunScreen(const ScreenCommandOptions& options);

// Runs `jisr match`; prints the JSON line to stdout.
absl::Status RunMatch(const std::string& a, const std::string& b,
                      double threshold);

}  // namespace jisr::screening

#endif  // JISR_SCREENING_SCREEN_COMMAND_H_
