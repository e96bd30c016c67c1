// Development driver: `jisr_screen_dev screen ...` and `jisr_screen_dev match
// ...` behave like `jisr screen` and `jisr match` (the real entry point is the
// `jisr` binary, src/cli/).
#include <CLI/CLI.hpp>

#include "screening/screen_command.h"

int main(int argc, char** argv) {
  CLI::App app{"jisr screening commands (development driver)"};
  app.require_subcommand(1);
  jisr::screening::AddScreeningCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}
