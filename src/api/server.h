// The HTTP/1.1 server: Boost.Beast + Asio C++20 coroutines on N io threads
// sharing one io_context, keep-alive, request limits and timeouts, routing
// through a Router, RFC 9457 problems for HTTP-level errors, Prometheus
// metrics, a JSON access log, and graceful shutdown. Beast stays inside
// server.cc (pimpl).
//
// Typical use (composition root):
//   metrics::Registry registry;
//   Router router;
//   JISR_RETURN_IF_ERROR(AddOperationalRoutes(&router, &registry, ping_db));
//   ... router.Add(...) for the API ...
//   Server server(options, &router, &registry);
//   JISR_RETURN_IF_ERROR(server.RunUntilSignal());   // blocks until
//   SIGTERM/SIGINT
//
// Each request gets an id "<8 hex chars random per server>-<hex counter>"
// (e.g. "8e146f50-1a"), sent back as X-Request-Id and written to the access
// log; a client-supplied X-Request-Id is ignored.
//
// Every response carries Content-Type (when non-empty), Content-Length, Date,
// X-Request-Id, X-Content-Type-Options: nosniff and, unless the handler set
// them, Cache-Control: no-store, X-Frame-Options: DENY and Referrer-Policy:
// no-referrer.
//
// Thread-safety: Start, Stop, Wait and RunUntilSignal may be called from any
// thread except an io thread (i.e. not from a handler; Stop from a handler
// only begins the shutdown). port() and stopping() are safe anywhere.
#ifndef JISR_API_SERVER_H_
#define JISR_API_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "api/metrics.h"
#include "api/router.h"

namespace jisr::http {

struct ServerOptions {
  // Address to listen on: an IPv4/IPv6 literal or a host name resolved at
  // Start. Default "127.0.0.1" (loopback only).
  std::string host = "127.0.0.1";
  // TCP port; 0 picks a free port (read it back with Server::port()).
  // Default 8080.
  uint16_t port = 8080;
  // Number of io threads running the io_context (handlers run on them).
  // 0 means std::thread::hardware_concurrency(), at least 2. Default 0.
  size_t threads = 0;
  // Largest request body accepted, in bytes; a larger one is answered 413
  // (problem+json) before the handler runs, and the connection is closed.
  // Default 1 MiB.
  uint64_t body_limit = 1024 * 1024;
  // Largest request line + header block, in bytes; larger is answered 431
  // and the connection is closed. Default 16 KiB.
  uint32_t header_limit = 16 * 1024;
  // Time allowed to receive a whole request once its first byte arrived; on
  // expiry the server answers 408 and closes the connection. Also bounds the
  // time to write a response. Default 30 s.
  absl::Duration read_timeout = absl::Seconds(30);
  // Time a keep-alive connection may wait for the next request's first byte
  // (and a new connection for its first request) before it is closed
  // silently. Default 60 s.
  absl::Duration idle_timeout = absl::Seconds(60);
  // On shutdown, how long in-flight requests get to finish and write their
  // responses before their connections are closed. Default 30 s.
  absl::Duration shutdown_grace = absl::Seconds(30);
  // Listen backlog. Default 1024.
  int backlog = 1024;
  // Whether to write one access-log line per request (see access_log.h).
  // Default true.
  bool access_log = true;
};

class Server {
 public:
  // `router` must outlive the server and not change after Start. `registry`
  // receives the jisr_http_* metrics and must outlive the server; null means
  // the server keeps a private registry (metrics then are not exposed).
  Server(ServerOptions options, const Router* router,
         metrics::Registry* registry);
  // Stops the server gracefully if it is running (see Stop).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Resolves the host, binds, listens and starts the io threads; returns at
  // once. Returns FailedPrecondition if already started, InvalidArgument for
  // an unresolvable host or bad options, Unavailable when the address cannot
  // be bound (e.g. in use), or the metrics registry's error.
  absl::Status Start();

  // The bound port after a successful Start (useful with port 0), else 0.
  uint16_t port() const;

  // Graceful shutdown: stops accepting (new connections are refused), closes
  // idle keep-alive connections, lets requests in flight finish and write
  // their responses (answered with "Connection: close"), and closes whatever
  // is still open after shutdown_grace. Blocks until every io thread has
  // returned (a handler that never returns blocks it). Idempotent; a no-op
  // before Start. Called from an io thread it only begins the shutdown.
  void Stop();

  // Blocks until the server has stopped (after Stop or a signal seen by
  // RunUntilSignal). Returns at once if it was never started.
  void Wait();

  // Starts the server if needed, then blocks until SIGTERM or SIGINT arrives
  // (or Stop is called), shuts down gracefully as Stop does, and returns OK.
  // Returns Start's error if starting fails.
  absl::Status RunUntilSignal();

  // True once shutdown has begun.
  bool stopping() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace jisr::http

#endif  // JISR_API_SERVER_H_
