// The `jisr alert` commands (CLI11 subcommands):
//
//   jisr alert import --data DIR --format interpol|ftm|csv [--skip-invalid]
//                     [--category C] [--action TEXT] [--handling-code H]
//                     [--purpose TEXT] FILE
//     Drafts one alert per record of FILE (alert_io.h). Every bad record is
//     printed to stderr as "FILE:LINE: [SOURCE: ]REASON"; by default nothing
//     is imported when any record is bad (exit 1), --skip-invalid imports the
//     good ones. Re-importing the same file changes nothing. Prints a summary
//     to stderr. The operator acts as cli:<os user> in the officer role: a
//     supervisor activates the drafts (four eyes).
//   jisr alert export --data DIR --format ftm|csv [--status S]
//                     [--purpose TEXT] FILE
//     Writes this node's alerts (of status S) to FILE ("-": standard output)
//     through a temporary file renamed at the end. The operator acts in the
//     supervisor role.
//
// On failure both print "jisr: error: ..." to stderr and exit 1 (the
// callbacks throw CLI::RuntimeError(1), which CLI::App::exit turns into the
// exit code).
//
// Thread-safety: the callbacks run on the thread that parses the command
// line.
#ifndef JISR_ALERTS_ALERT_COMMANDS_H_
#define JISR_ALERTS_ALERT_COMMANDS_H_

#include <string>

#include "absl/status/status.h"

namespace CLI {
class App;
}

namespace jisr::alerts {

// Adds the `alert` command with `import` and `export` to `app`.
void AddAlertCommands(CLI::App& app);

struct AlertImportCommand {
  std::string data;                  // --data (required)
  std::string format;                // --format (required)
  std::string file;                  // FILE (required)
  bool skip_invalid = false;         // --skip-invalid
  std::string category = "locate";   // --category
  std::string action;                // --action ("" = a text naming the source)
  std::string handling_code = "H1";  // --handling-code
  std::string purpose;               // --purpose
  std::string os_user;               // who runs the command
};

struct AlertExportCommand {
  std::string data;    // --data (required)
  std::string format;  // --format (required)
  std::string file;    // FILE (required; "-" for standard output)
  std::string status;  // --status ("" = every status)
  std::string purpose;
  std::string os_user;
};

// Run the commands; return OK or the error to print. Problems of an import
// are printed by RunAlertImport itself.
absl::Status RunAlertImport(const AlertImportCommand& c);
absl::Status RunAlertExport(const AlertExportCommand& c);

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_ALERT_COMMANDS_H_
