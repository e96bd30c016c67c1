// The federation transport: the node's TLS identity (a self-signed
// certificate pinned by its partners), the federation listener (TLS 1.3 only,
// mutual TLS: a client must present a certificate whose SHA-256 fingerprint
// belongs to a registered peer) and the client a sender uses to reach a
// partner (TLS 1.3, presenting this node's certificate, accepting only the
// server certificate pinned for that partner). HTTP/1.1 over TLS; Beast,
// Asio and OpenSSL stay inside transport.cc and tls_identity.cc.
//
// Nothing here knows envelopes: the server hands each request's body, with
// the fingerprint of the client certificate that carried it, to a handler.
//
// Trust: the certificates are self-signed; a peer's certificate is accepted
// when its SHA-256 fingerprint is pinned (and the current time is within its
// validity period, on both sides); OpenSSL's chain verification is not used.
// There is no TLS session resumption: every connection makes a full
// handshake, so every connection is checked against the current pins.
//
// Thread-safety: FederationServer's Start/Stop from one thread; handlers run
// on the server's io threads, concurrently. A FederationClient is used by one
// thread at a time.
#ifndef JISR_FEDERATION_TRANSPORT_H_
#define JISR_FEDERATION_TRANSPORT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jisr::federation {

// A certificate and its private key, both PEM.
struct TlsIdentity {
  std::string certificate_pem;
  std::string private_key_pem;
};

// Creates a fresh key pair (ECDSA P-256) and a self-signed X.509 v3
// certificate for it: subject and issuer CN = `common_name` (the agency
// code), subjectAltName DNS:`common_name` plus IP:127.0.0.1 and DNS:localhost,
// valid from `not_before` for `valid_for`, random 128-bit serial.
// Errors: InvalidArgument for an empty common name; Internal when OpenSSL
// fails (the message says which step).
absl::StatusOr<TlsIdentity> CreateSelfSignedIdentity(std::string_view common_name,
                                                     absl::Time not_before,
                                                     absl::Duration valid_for);

// Returns "sha256:" followed by 64 lowercase hex digits: the SHA-256 of the
// certificate's DER encoding. Errors: InvalidArgument when `certificate_pem`
// holds no parseable certificate.
absl::StatusOr<std::string> CertificateFingerprint(std::string_view certificate_pem);

// Returns OK when `pem` holds a certificate and `key_pem` the private key
// that matches it. Errors: InvalidArgument naming which is wrong.
absl::Status CheckIdentity(const TlsIdentity& identity);

// One request received by the federation listener.
struct FederationRequest {
  std::string peer_fingerprint;  // of the client certificate ("sha256:...")
  std::string remote;            // "ip:port" of the client
  std::string method;            // "POST", "GET", ...
  std::string target;            // "/federation/v1/envelopes"
  std::string content_type;
  std::string body;
};

struct FederationResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct FederationServerOptions {
  std::string host = "127.0.0.1";  // an address or a host name to listen on
  uint16_t port = 0;  // 0 picks a free port (read back with port()); SO_REUSEADDR is set
  // io threads (1..1024). The pin check and the handler run on them, inline:
  // at most `threads` requests are handled at once, and a slow handler delays
  // the other connections served by its thread.
  size_t threads = 1;
  uint64_t body_limit = 64ull * 1024 * 1024;  // larger: 413 and close
  absl::Duration handshake_timeout = absl::Seconds(10);
  absl::Duration read_timeout = absl::Seconds(60);   // a whole request; also writing its response
  absl::Duration idle_timeout = absl::Seconds(120);  // between requests
  absl::Duration shutdown_grace = absl::Seconds(10);  // for requests in flight at Stop
};

// Decides during the TLS handshake whether a client certificate is accepted:
// returns true when `fingerprint` is pinned to a registered peer. Called on
// an io thread for every handshake (may read the store).
using PeerPinCheck = std::function<bool(std::string_view fingerprint)>;
// Told about every refused handshake (unknown certificate, no certificate,
// not TLS 1.3, garbage, a client that refused our certificate, a handshake
// time-out): `fingerprint` is empty when the client presented none; `reason`
// says what was wrong, e.g. "client certificate sha256:... is not pinned to a
// registered peer", "the client does not offer TLS 1.3 (...)", "the client
// presented no certificate", "not a TLS handshake (...)". Used to audit the
// refusal. Called on an io thread; may be empty. Connections that Stop
// closes are not refusals.
using HandshakeRejected = std::function<void(std::string_view fingerprint, std::string_view remote,
                                             std::string_view reason)>;
// Answers one request; runs on an io thread (see FederationServerOptions::
// threads). A status outside 200..599 or an exception becomes a 500.
using FederationHandler = std::function<FederationResponse(const FederationRequest&)>;

class FederationServer {
 public:
  // `identity` is the node's certificate and key presented to clients.
  FederationServer(FederationServerOptions options, TlsIdentity identity, PeerPinCheck pin_check,
                   HandshakeRejected on_rejected, FederationHandler handler);
  ~FederationServer();  // Stop()
  FederationServer(const FederationServer&) = delete;
  FederationServer& operator=(const FederationServer&) = delete;

  // Binds, listens and starts the io threads; returns at once.
  // Errors: FailedPrecondition if started (also after Stop: a server starts
  // once); InvalidArgument for a bad host, bad options, a missing pin check
  // or handler, or an identity OpenSSL refuses; Unavailable when the address
  // cannot be bound.
  absl::Status Start();
  uint16_t port() const;  // after Start
  // Stops accepting, lets requests in flight finish (up to shutdown_grace),
  // closes every connection and joins the io threads. Idle connections and
  // handshakes are closed at once. A handler already running cannot be
  // interrupted: Stop waits for it. Idempotent; called from a handler it
  // does not join (it would wait for itself).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct FederationClientOptions {
  absl::Duration connect_timeout = absl::Seconds(5);  // resolve + connect + TLS handshake
  absl::Duration request_timeout = absl::Seconds(30);  // write + read of one exchange
  uint64_t response_limit = 16ull * 1024 * 1024;  // a larger response body: Unavailable
};

// A keep-alive HTTPS client for one partner. Reconnects as needed.
class FederationClient {
 public:
  // `base_url` is "https://HOST:PORT" (no path). `pinned_fingerprint` is the
  // partner's certificate fingerprint ("sha256:..."): the handshake fails
  // unless the server presents exactly that certificate.
  FederationClient(TlsIdentity identity, std::string base_url, std::string pinned_fingerprint,
                   FederationClientOptions options = {});
  ~FederationClient();
  FederationClient(const FederationClient&) = delete;
  FederationClient& operator=(const FederationClient&) = delete;

  // Sends one request and returns the response (any HTTP status). `target`
  // is a path starting with "/". When a kept-alive connection turns out to
  // have been closed by the partner (idle time-out, restart) before any byte
  // of the answer arrived, the request is sent once more on a new connection
  // (the partner did not process it).
  // Errors: InvalidArgument for a bad base URL, target or content type, an
  // empty pin, or an identity OpenSSL refuses; Unavailable when the partner
  // cannot be reached, the handshake fails (the message says why, e.g.
  // "server certificate sha256:... is not the one pinned (sha256:...)", or
  // "the partner refused this node's certificate (...)"), the connection
  // drops, the response exceeds response_limit or a time-out expires; the
  // connection is then closed and the next call reconnects.
  absl::StatusOr<FederationResponse> Post(std::string_view target, std::string_view content_type,
                                          std::string_view body);
  absl::StatusOr<FederationResponse> Get(std::string_view target);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jisr::federation

#endif  // JISR_FEDERATION_TRANSPORT_H_
