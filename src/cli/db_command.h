// `jisr db ...`: store administration.
//
//   jisr db migrate --from URL --to URL
//       Copies a node's whole store (e.g. sqlite:var/node/jisr.db) into an
//       EMPTY store (e.g. postgres://jisr@db.example/jisr), all in one target
//       transaction, verified table by table with BLAKE2b digests of both
//       stores (db/store_copy.h); then records the move in the target's audit
//       log and verifies the target's audit chain. Stop the node first.
//   jisr db digest --db URL
//       Prints each table's row count and digest (to compare two stores, e.g.
//       a backup and its restore).
//
// Failures print "jisr: error: ..." to stderr and end the command with exit
// code 1 (thrown as CLI::RuntimeError out of App::parse, which main() turns
// into the exit code).
//
// Thread-safety: called once from main() while building the command line.
#ifndef JISR_CLI_DB_COMMAND_H_
#define JISR_CLI_DB_COMMAND_H_

#include <CLI/CLI.hpp>

namespace jisr::cli {

// Adds the `db` subcommand and its subcommands to `app`.
void AddDbCommands(CLI::App& app);

}  // namespace jisr::cli

#endif  // JISR_CLI_DB_COMMAND_H_
