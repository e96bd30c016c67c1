// The node's configuration file, DIR/jisr.json, written by `jisr init` and read
// by every command that opens the node. Example:
//   {"database": "sqlite:jisr.db", "listen": "127.0.0.1:8080", "http_threads": 0,
//    "session_hours": 12, "log_level": "info", "access_log": ""}
// Relative SQLite paths are relative to DIR.
//
// Thread-safety: plain data and free functions; safe from any thread.
#ifndef JISR_NODE_NODE_CONFIG_H_
#define JISR_NODE_NODE_CONFIG_H_

#include <cstdint>
#include <filesystem>
#include <string>

#include "absl/status/statusor.h"

namespace jisr::node {

struct NodeConfig {
  // Store URL: "sqlite:PATH" (PATH relative to the data directory unless
  // absolute) or "postgres://user@host/db" (libpq URL; several processes may
  // share one PostgreSQL store, see docs/deploy.md). Default "sqlite:jisr.db".
  std::string database = "sqlite:jisr.db";
  // HTTP listen address HOST:PORT. Default "127.0.0.1:8080".
  std::string listen = "127.0.0.1:8080";
  // HTTP worker threads; 0 = one per core (at least 2). Default 0.
  int http_threads = 0;
  // Lifetime of a login session in hours (1..168). Default 12.
  int session_hours = 12;
  // Process log level: trace, debug, info, warn, error. Default "info".
  std::string log_level = "info";
  // Access log: "" = stdout, "off" = none, otherwise a file (relative to the
  // data directory unless absolute). Default "".
  std::string access_log;
  // Directory of the built web interface (web/dist) served at "/": relative
  // to the data directory unless absolute. "" = the default, the directory
  // <dir of the jisr binary>/../../web/dist when it holds index.html (a
  // source build), else no web interface; "off" = no web interface.
  // Default "".
  std::string web_root;
  // Federation listener HOST:PORT (mutual TLS, see docs/federation.md), or
  // "off" for a node that exchanges with no partner. Default "127.0.0.1:8443".
  std::string federation_listen = "127.0.0.1:8443";
  // The URL partners reach that listener at, written into this node's card.
  // "" = https://<federation_listen>. Default "".
  std::string federation_url;
  // Longest wait between two delivery attempts to a partner that is down
  // (capped exponential back-off), in seconds (1..3600). Default 300.
  int federation_retry_max_seconds = 300;
  // How long a sender's claim on a batch lasts before another process (or
  // this one after a crash) may send it again, in seconds (1..600).
  // Default 30.
  int federation_lease_seconds = 30;
  // Refusals (a partner answering "rejected", not "deferred", not a
  // transport failure) after which an outbox envelope is dead-lettered and
  // no longer sent until an administrator retries it (1..1000). Default 8.
  int federation_max_refusals = 8;
  // --- exchange (src/exchange): the largest message attachment accepted,
  // uploaded here or received from a partner, in bytes (1024..1073741824;
  // the HTTP body limit is raised to match). Default 52428800 (50 MiB).
  int64_t attachment_max_bytes = 50 * 1024 * 1024;
  // --- alerts/events: a list uploaded in parts (an accreditation campaign)
  // that is neither given a part nor started for this many hours is deleted
  // with the applicants uploaded (1..720). Default 24.
  int upload_expiry_hours = 24;

  // The federation URL in effect (federation_url, or derived from the
  // listen address).
  std::string FederationUrl() const;
};

// The path of the configuration file in `data_dir`.
std::filesystem::path ConfigPath(const std::filesystem::path& data_dir);

// Reads and validates DIR/jisr.json. Errors: NotFound when the file is missing
// (the directory was not initialised), InvalidArgument naming the file, the
// member and what is wrong otherwise.
absl::StatusOr<NodeConfig> LoadNodeConfig(const std::filesystem::path& data_dir);

// Writes `config` to DIR/jisr.json atomically (temp file + rename), mode 0640.
absl::Status SaveNodeConfig(const std::filesystem::path& data_dir, const NodeConfig& config);

// The store URL with a relative SQLite path resolved against `data_dir`.
std::string ResolveDatabaseUrl(const std::filesystem::path& data_dir, const std::string& url);

// Splits "HOST:PORT" (IPv6 as "[::1]:8080"). InvalidArgument naming `field`
// when malformed or the port is out of range.
absl::Status ParseListen(const std::string& listen, const std::string& field,
                         std::string* host, uint16_t* port);

}  // namespace jisr::node

#endif  // JISR_NODE_NODE_CONFIG_H_
