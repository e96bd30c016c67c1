// `jisr peer ...`: pairing with partner nodes (see docs/federation.md).
//
//   jisr peer card --data DIR [--output FILE]
//       Prints this node's card (JSON): agency, names, federation URL, TLS
//       certificate fingerprint and Ed25519 signing key. Give it to the
//       partner's operator, who registers it with `jisr peer add`.
//   jisr peer add --data DIR --card FILE
//       Registers a partner from its card (audited peer.add). The running
//       node starts sending to it and accepts its certificate within seconds.
//   jisr peer list --data DIR
//       The partners, each with its delivery health (pending, delivered,
//       received, oldest pending age, last error) as JSON Lines.
//   jisr peer remove --data DIR --agency CODE
//       Unregisters a partner (its certificate is refused from then on).
//   jisr peer digest --data DIR --owner CODE --partner CODE
//       The digest of the alerts of OWNER shared with PARTNER as this node
//       holds them (run it on both nodes: equal digests, equal shared state).
//
// Failures print "jisr: error: ..." and exit 1.
//
// Thread-safety: called once from main() while building the command line.
#ifndef JISR_CLI_PEER_COMMAND_H_
#define JISR_CLI_PEER_COMMAND_H_

#include <CLI/CLI.hpp>

namespace jisr::cli {

// Adds the `peer` subcommand and its subcommands to `app`.
void AddPeerCommands(CLI::App& app);

}  // namespace jisr::cli

#endif  // JISR_CLI_PEER_COMMAND_H_
