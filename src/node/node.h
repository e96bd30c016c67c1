// The composition root: builds one node (store, audit log, security services,
// HTTP API) from its data directory, creates new nodes (`jisr init`) and
// serves them (`jisr serve`).
//
// Thread-safety: a Node's services are thread-safe; Open/InitNode/Serve are
// called from the main thread.
#ifndef JISR_NODE_NODE_H_
#define JISR_NODE_NODE_H_

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "federation/identity.h"
#include "node/agency.h"
#include "node/node_config.h"
#include "security/password.h"
#include "security/policy.h"
#include "security/session_service.h"
#include "security/user_service.h"

namespace jisr::node {

struct InitOptions {
  // The node's directory; created (mode 0700) when missing. Required.
  std::filesystem::path data_dir;
  // The agency running the node (created_at is set by InitNode). Required.
  Agency agency;
  // Store URL written to jisr.json. Default "sqlite:jisr.db" (in data_dir).
  std::string database = "sqlite:jisr.db";
  // Also create the synthetic demo accounts. Default false.
  bool demo = false;
  // Cost of the password hashes. Default libsodium INTERACTIVE.
  security::PasswordOptions password;
  // Who runs the command (audited as cli:<os user>). Default "unknown".
  std::string os_user = "unknown";
  // The federation listener and the URL partners reach it at (jisr.json's
  // federation_listen and federation_url; see NodeConfig). Defaults: the
  // NodeConfig defaults.
  std::optional<std::string> federation_listen;
  std::optional<std::string> federation_url;
  // The HTTP listen address written to jisr.json. Default NodeConfig's.
  std::optional<std::string> listen;
};

struct DemoAccount {
  std::string username;
  std::string role;
  std::string password;
};

struct InitResult {
  std::string admin_password;        // also in DIR/admin-password (0600)
  std::vector<DemoAccount> demo;     // also in DIR/demo-passwords (0600)
};

// Creates a node in options.data_dir: the store (migrated), the agency, its
// federation identity (DIR/federation: signing key, TLS certificate), the
// first `admin` account with a generated password written to
// DIR/admin-password (mode 0600), the demo accounts when asked, and finally
// DIR/jisr.json. On failure nothing of what it created is left behind.
// Errors: AlreadyExists when DIR already holds a node; InvalidArgument naming
// the field for a bad agency code, country or name; Unavailable when files or
// the store cannot be written.
absl::StatusOr<InitResult> InitNode(const InitOptions& options, const Clock& clock);

// An opened node: its store migrated and its services built.
class Node {
 public:
  // Opens the node in `data_dir`. `clock` must outlive the node.
  // Errors: NotFound when DIR is not a node; InvalidArgument for a bad
  // jisr.json; the store's error; FailedPrecondition when the store is newer
  // than this binary.
  static absl::StatusOr<std::unique_ptr<Node>> Open(const std::filesystem::path& data_dir,
                                                     const Clock& clock);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const std::filesystem::path& data_dir() const { return data_dir_; }
  const NodeConfig& config() const { return config_; }
  const Agency& agency() const { return agency_; }
  const Clock& clock() const { return clock_; }
  db::Database& db() { return *db_; }
  const audit::AuditLog& audit() const { return *audit_; }
  security::UserService& users() { return *users_; }
  security::SessionService& sessions() { return *sessions_; }
  // The federation identity (created on first Open for nodes made before
  // federation existed).
  const federation::NodeIdentity& identity() const { return identity_; }

 private:
  Node(std::filesystem::path data_dir, NodeConfig config, const Clock& clock)
      : data_dir_(std::move(data_dir)), config_(std::move(config)), clock_(clock) {}

  std::filesystem::path data_dir_;
  NodeConfig config_;
  const Clock& clock_;
  Agency agency_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<security::UserService> users_;
  std::unique_ptr<security::SessionService> sessions_;
  federation::NodeIdentity identity_;
};

struct ServeOptions {
  // Overrides jisr.json's listen address (HOST:PORT; port 0 picks one).
  std::optional<std::string> listen;
  // Overrides jisr.json's access_log ("off", "" for stdout, or a file).
  std::optional<std::string> access_log;
  // Overrides jisr.json's web_root (a directory, or "off").
  std::optional<std::string> web_root;
  // Overrides jisr.json's federation_listen (HOST:PORT, or "off").
  std::optional<std::string> federation_listen;
};

// Serves `node` over HTTP until SIGTERM or SIGINT, then shuts down gracefully
// (requests in flight finish), with the federation listener (unless "off")
// and the senders to every registered peer. Prints "listening on
// http://HOST:PORT" to stdout once bound (and "federation on https://..."
// before it). Errors: InvalidArgument for a bad listen address;
// Unavailable when the address cannot be bound.
absl::Status Serve(Node& node, const ServeOptions& options);

}  // namespace jisr::node

#endif  // JISR_NODE_NODE_H_
