// The federation listener and client: the only translation unit of
// jisr_federation_transport that includes Beast and Asio.
//
// Both sides use TLS 1.3 only, no session resumption (every connection runs a
// full handshake, so every connection is checked against the current pins),
// and replace OpenSSL's chain verification with one callback
// (SSL_CTX_set_cert_verify_callback) that decides on the SHA-256 fingerprint
// of the peer's leaf certificate and its validity period: the certificates
// are self-signed, the pin is the trust.
#include "federation/openssl_ptr.h"
#include "federation/transport.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

namespace jisr::federation {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;
using TlsStream = ssl::stream<beast::tcp_stream>;

constexpr auto kTok = asio::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 16 * 1024;
constexpr uint32_t kHeaderLimit = 16 * 1024;

std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

// Converts to the steady clock, capped at one year (an infinite duration
// would overflow now() + d).
SteadyClock::duration ToSteady(absl::Duration d) {
  d = std::clamp(d, absl::ZeroDuration(), absl::Hours(24 * 365));
  return std::chrono::duration_cast<SteadyClock::duration>(absl::ToChronoNanoseconds(d));
}

std::string ExceptionMessage(const std::exception_ptr& e) {
  if (!e) return {};
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

std::string FormatEndpoint(const tcp::endpoint& endpoint) {
  const asio::ip::address address = endpoint.address();
  if (address.is_v6()) return fmt::format("[{}]:{}", address.to_string(), endpoint.port());
  return fmt::format("{}:{}", address.to_string(), endpoint.port());
}

bool IsValidFieldValue(std::string_view value) {
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) return false;
  }
  return true;
}

// ---- OpenSSL ------------------------------------------------------------

using internal::BioPtr;
using internal::PkeyPtr;
using internal::X509Ptr;

int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return -1; }

std::string OpenSslErrors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(e, buf.data(), buf.size());
    if (!out.empty()) out.append("; ");
    out.append(buf.data());
  }
  return out;
}

// "sha256:<hex>" of the certificate's DER encoding; "" if OpenSSL fails.
std::string FingerprintOf(X509* cert) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (cert == nullptr || X509_digest(cert, EVP_sha256(), md.data(), &len) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xF]);
  }
  return out;
}

// What one TLS connection's certificate check needs and found. Attached to
// the connection's SSL object (ex_data) for VerifyPeerCertificate.
struct PeerVerification {
  // Server side: asks this whether a client certificate is pinned.
  const PeerPinCheck* pin_check = nullptr;
  // Client side: the fingerprint the server certificate must have.
  std::string pinned;

  bool called = false;    // the peer presented a certificate
  bool accepted = false;  // ... and it passed
  std::string fingerprint;
  std::string reason;  // why it was refused

  void Reset() {
    called = false;
    accepted = false;
    fingerprint.clear();
    reason.clear();
  }
};

int VerificationIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// Replaces OpenSSL's chain verification (called once per handshake, only
// when the peer presented a certificate): accepts the peer's leaf
// certificate when its fingerprint is pinned and it is within its validity
// period. Returns 1 to accept, 0 to fail the handshake (with an alert).
int VerifyPeerCertificate(X509_STORE_CTX* store, void* /*arg*/) {
  const auto reject = [store](int error) {
    X509_STORE_CTX_set_error(store, error);
    return 0;
  };
  auto* ssl_handle =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  if (ssl_handle == nullptr) return reject(X509_V_ERR_APPLICATION_VERIFICATION);
  auto* v = static_cast<PeerVerification*>(SSL_get_ex_data(ssl_handle, VerificationIndex()));
  if (v == nullptr) return reject(X509_V_ERR_APPLICATION_VERIFICATION);
  v->called = true;
  v->accepted = false;
  X509* cert = X509_STORE_CTX_get0_cert(store);
  v->fingerprint = FingerprintOf(cert);
  if (v->fingerprint.empty()) {
    v->reason = "the peer's certificate could not be hashed";
    return reject(X509_V_ERR_APPLICATION_VERIFICATION);
  }
  if (v->pin_check != nullptr) {
    bool pinned = false;
    try {
      pinned = (*v->pin_check)(v->fingerprint);
    } catch (const std::exception& e) {
      spdlog::error("federation: the peer pin check threw: {}", e.what());
    } catch (...) {
      spdlog::error("federation: the peer pin check threw a non-standard exception");
    }
    if (!pinned) {
      v->reason =
          fmt::format("client certificate {} is not pinned to a registered peer", v->fingerprint);
      return reject(X509_V_ERR_CERT_REJECTED);
    }
  } else if (v->fingerprint != v->pinned) {
    v->reason =
        fmt::format("server certificate {} is not the one pinned ({})", v->fingerprint, v->pinned);
    return reject(X509_V_ERR_CERT_REJECTED);
  }
  const char* side = v->pin_check != nullptr ? "client" : "server";
  if (X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0) {
    v->reason = fmt::format("{} certificate {} is not valid yet", side, v->fingerprint);
    return reject(X509_V_ERR_CERT_NOT_YET_VALID);
  }
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0) {
    v->reason = fmt::format("{} certificate {} has expired", side, v->fingerprint);
    return reject(X509_V_ERR_CERT_HAS_EXPIRED);
  }
  v->accepted = true;
  X509_STORE_CTX_set_error(store, X509_V_OK);
  return 1;
}

// Sets up a context for either side: TLS 1.3 only, this node's certificate
// and key, peer certificate required and checked by VerifyPeerCertificate,
// no session cache and no tickets. Errors: InvalidArgument when OpenSSL
// refuses the identity.
absl::Status ConfigureContext(SSL_CTX* ctx, const TlsIdentity& identity, bool server) {
  ERR_clear_error();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1) {
    return absl::InternalError(fmt::format("cannot require TLS 1.3: {}", OpenSslErrors()));
  }
  X509Ptr cert;
  PkeyPtr key;
  if (identity.certificate_pem.size() < (1u << 20) &&
      identity.private_key_pem.size() < (1u << 20)) {
    BioPtr cert_bio(BIO_new_mem_buf(identity.certificate_pem.data(),
                                    static_cast<int>(identity.certificate_pem.size())));
    if (cert_bio) cert.reset(PEM_read_bio_X509(cert_bio.get(), nullptr, NoPassphrase, nullptr));
    BioPtr key_bio(BIO_new_mem_buf(identity.private_key_pem.data(),
                                   static_cast<int>(identity.private_key_pem.size())));
    if (key_bio) {
      key.reset(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr));
    }
  }
  if (!cert) {
    ERR_clear_error();
    return absl::InvalidArgumentError("the TLS certificate is not a parseable PEM certificate");
  }
  if (!key) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        "the TLS private key is not a parseable, unencrypted PEM private key");
  }
  if (SSL_CTX_use_certificate(ctx, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return absl::InvalidArgumentError(
        fmt::format("OpenSSL refuses the TLS identity: {}", OpenSslErrors()));
  }
  SSL_CTX_set_verify(
      ctx, server ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT : SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_cert_verify_callback(ctx, VerifyPeerCertificate, nullptr);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  if (server) SSL_CTX_set_num_tickets(ctx, 0);
  ERR_clear_error();
  return absl::OkStatus();
}

// Builds a context; never throws. Errors as ConfigureContext.
absl::Status MakeContext(std::optional<ssl::context>* out, const TlsIdentity& identity,
                         bool server) {
  try {
    out->emplace(server ? ssl::context::tls_server : ssl::context::tls_client);
  } catch (const std::exception& e) {
    out->reset();
    return absl::InternalError(fmt::format("cannot create a TLS context: {}", e.what()));
  }
  absl::Status status = ConfigureContext((*out)->native_handle(), identity, server);
  if (!status.ok()) out->reset();
  return status;
}

// The OpenSSL reason code of a TLS error, or -1 for other errors.
int SslReason(const ErrorCode& ec) {
  if (ec.category() != asio::error::get_ssl_category()) return -1;
  return ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
}

// Whether `ec` is the alert a peer sends when it refuses our certificate.
bool IsCertificateRefusal(const ErrorCode& ec) {
  switch (SslReason(ec)) {
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
    case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
    case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
    case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
      return true;
    default:
      return false;
  }
}

// Why a server-side handshake failed, for HandshakeRejected.
std::string DescribeServerHandshakeError(const ErrorCode& ec, absl::Duration timeout) {
  if (ec == beast::error::timeout) {
    return fmt::format("the TLS handshake was not completed within {}",
                       absl::FormatDuration(timeout));
  }
  if (ec == asio::error::eof || ec == ssl::error::stream_truncated ||
      ec == asio::error::connection_reset) {
    return "the client closed the connection during the TLS handshake";
  }
  const std::string message = ec.message();
  switch (SslReason(ec)) {
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_VERSION_TOO_LOW:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
      return fmt::format("the client does not offer TLS 1.3 ({})", message);
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
      return "the client presented no certificate";
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST:
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_UNKNOWN_PROTOCOL:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_RECORD_LENGTH_MISMATCH:
    case SSL_R_UNEXPECTED_RECORD:
      return fmt::format("not a TLS handshake ({})", message);
    default:
      break;
  }
  if (IsCertificateRefusal(ec)) {
    return fmt::format("the client refused this node's certificate ({})", message);
  }
  return fmt::format("the TLS handshake failed: {}", message);
}

std::string ProblemJson(int status, std::string_view title, std::string_view detail) {
  return fmt::format(R"({{"type":"about:blank","title":"{}","status":{},"detail":"{}"}})", title,
                     status, detail);
}

// The server whose io thread this is (null on other threads).
thread_local const void* tls_io_server = nullptr;

class Session;

// ---- server state ---------------------------------------------------------

struct ServerCore {
  ServerCore(FederationServerOptions opts, TlsIdentity id, PeerPinCheck check,
             HandshakeRejected rejected, FederationHandler h)
      : options(std::move(opts)),
        identity(std::move(id)),
        pin_check(std::move(check)),
        on_rejected(std::move(rejected)),
        handler(std::move(h)),
        io(static_cast<int>(std::clamp<size_t>(options.threads, 1, 1024))),
        control(asio::make_strand(io)),
        acceptor(control),
        grace_timer(control) {}

  absl::Status Start();
  void Stop();
  void BeginShutdown();
  void ForceCloseAll();
  asio::awaitable<void> AcceptLoop();
  void Rejected(std::string_view fingerprint, std::string_view remote, std::string_view reason);

  const FederationServerOptions options;
  const TlsIdentity identity;
  const PeerPinCheck pin_check;
  const HandshakeRejected on_rejected;
  const FederationHandler handler;
  SteadyClock::duration handshake_timeout{};
  SteadyClock::duration read_timeout{};
  SteadyClock::duration idle_timeout{};
  SteadyClock::duration grace{};
  SteadyClock::duration linger{};

  std::optional<ssl::context> tls;
  // Asio objects (declared after `io`, so destroyed before it).
  asio::io_context io;
  asio::strand<asio::io_context::executor_type> control;  // acceptor, grace timer
  tcp::acceptor acceptor;
  asio::steady_timer grace_timer;

  std::mutex lifecycle_mu;
  bool started = false;  // guarded by lifecycle_mu
  std::mutex join_mu;
  std::vector<std::thread> threads;

  std::atomic<bool> stopping{false};
  std::atomic<uint16_t> port{0};

  std::mutex conn_mu;
  std::unordered_set<Session*> sessions;  // guarded by conn_mu
};

// One client connection: the TLS handshake, then requests one after the
// other (keep-alive) until the client closes, a time-out, an error or Stop.
// Everything runs on the connection's strand; the handler runs inline.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerCore* server, tcp::socket socket, std::string remote)
      : server_(server),
        remote_(std::move(remote)),
        stream_(beast::tcp_stream(std::move(socket)), *server->tls),
        executor_(stream_.get_executor()) {
    verification_.pin_check = &server_->pin_check;
    std::lock_guard<std::mutex> lock(server_->conn_mu);
    server_->sessions.insert(this);
  }

  ~Session() {
    std::lock_guard<std::mutex> lock(server_->conn_mu);
    server_->sessions.erase(this);
    if (server_->stopping.load() && server_->sessions.empty()) {
      ServerCore* s = server_;
      asio::post(s->control, [s] { s->grace_timer.cancel(); });
    }
  }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    asio::co_spawn(
        executor_, [self = shared_from_this()]() { return self->Run(); },
        [](const std::exception_ptr& e) {
          if (e) {
            spdlog::error("federation: connection ended with an exception: {}",
                          ExceptionMessage(e));
          }
        });
  }

  // Asks the connection (on its strand) to close once it is not in the
  // middle of a request. Called with the server's conn_mu held.
  void PostShutdown() {
    asio::post(executor_, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->OnShutdown();
    });
  }
  void PostForceClose() {
    asio::post(executor_, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->Close();
    });
  }

 private:
  enum class Phase { kHandshake, kIdle, kReading, kHandling, kWriting, kDraining };

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  asio::awaitable<void> Run();
  asio::awaitable<bool> Handshake();
  asio::awaitable<void> Serve();
  asio::awaitable<void> AnswerReadError(ErrorCode ec);
  FederationResponse Handle(bhttp::request<bhttp::string_body>& msg);
  asio::awaitable<ErrorCode> Write(FederationResponse response, bool keep_alive);

  void OnShutdown() {
    shutdown_requested_ = true;
    if (phase_ == Phase::kHandshake || phase_ == Phase::kIdle || phase_ == Phase::kDraining) {
      Lowest().cancel();
    }
  }

  void Close() {
    closed_ = true;
    ErrorCode ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().close();
  }

  ServerCore* const server_;
  const std::string remote_;
  PeerVerification verification_;  // outlives stream_, which points to it
  TlsStream stream_;
  const asio::any_io_executor executor_;
  Phase phase_ = Phase::kHandshake;
  bool closed_ = false;
  bool shutdown_requested_ = false;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
};

asio::awaitable<void> Session::Run() {
  try {
    if (co_await Handshake()) co_await Serve();
  } catch (const std::exception& e) {
    spdlog::error("federation: connection from {} failed: {}", remote_, e.what());
  }
  Close();
}

asio::awaitable<bool> Session::Handshake() {
  SSL_set_ex_data(stream_.native_handle(), VerificationIndex(), &verification_);
  phase_ = Phase::kHandshake;
  if (server_->stopping.load() || shutdown_requested_) co_return false;
  Lowest().expires_after(server_->handshake_timeout);
  auto [ec] = co_await stream_.async_handshake(ssl::stream_base::server, kTok);
  Lowest().expires_never();
  if (!ec && verification_.accepted) co_return true;
  std::string reason;
  if (!verification_.reason.empty()) {
    reason = verification_.reason;
  } else if (shutdown_requested_ || server_->stopping.load()) {
    co_return false;  // cancelled by Stop: not a refusal
  } else if (ec) {
    reason = DescribeServerHandshakeError(ec, server_->options.handshake_timeout);
  } else {
    reason = "the client's certificate was not checked";
  }
  server_->Rejected(verification_.fingerprint, remote_, reason);
  co_return false;
}

asio::awaitable<void> Session::Serve() {
  while (!closed_) {
    if (buffer_.size() == 0) {
      if (server_->stopping.load() || shutdown_requested_) break;
      phase_ = Phase::kIdle;
      Lowest().expires_after(server_->idle_timeout);
      auto [idle_ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kTok);
      if (idle_ec) break;  // idle time-out, Stop, or the client closed
      buffer_.commit(n);
    }
    phase_ = Phase::kReading;
    Lowest().expires_after(server_->read_timeout);
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(server_->options.body_limit);
    auto [ec, unused_read] = co_await bhttp::async_read(stream_, buffer_, *parser_, kTok);
    if (ec) {
      co_await AnswerReadError(ec);
      break;
    }
    Lowest().expires_never();
    phase_ = Phase::kHandling;
    bhttp::request<bhttp::string_body> msg = parser_->release();
    parser_.reset();
    FederationResponse response = Handle(msg);
    const bool keep_alive = msg.keep_alive() && !server_->stopping.load() && !shutdown_requested_;
    phase_ = Phase::kWriting;
    const ErrorCode write_ec = co_await Write(std::move(response), keep_alive);
    if (write_ec || !keep_alive) break;
  }
}

FederationResponse Session::Handle(bhttp::request<bhttp::string_body>& msg) {
  FederationRequest request;
  request.peer_fingerprint = verification_.fingerprint;
  request.remote = remote_;
  request.method = std::string(Sv(msg.method_string()));
  request.target = std::string(Sv(msg.target()));
  if (auto it = msg.find(bhttp::field::content_type); it != msg.end()) {
    request.content_type = std::string(Sv(it->value()));
  }
  request.body = std::move(msg.body());
  FederationResponse response;
  const auto internal_error = [] {
    FederationResponse r;
    r.status = 500;
    r.content_type = "application/problem+json";
    r.body = ProblemJson(500, "Internal Server Error", "an internal error occurred");
    return r;
  };
  try {
    response = server_->handler(request);
  } catch (const std::exception& e) {
    spdlog::error("federation: the handler threw on {} {} from {}: {}", request.method,
                  request.target, remote_, e.what());
    return internal_error();
  } catch (...) {
    spdlog::error("federation: the handler threw a non-standard exception on {} {}", request.method,
                  request.target);
    return internal_error();
  }
  if (response.status < 200 || response.status > 599) {
    spdlog::error("federation: the handler returned invalid status {} on {} {}", response.status,
                  request.method, request.target);
    return internal_error();
  }
  return response;
}

asio::awaitable<ErrorCode> Session::Write(FederationResponse response, bool keep_alive) {
  bhttp::response<bhttp::string_body> res;
  res.version(11);
  res.result(static_cast<unsigned>(response.status));
  if (!response.content_type.empty()) {
    if (IsValidFieldValue(response.content_type)) {
      res.set(bhttp::field::content_type, response.content_type);
    } else {
      spdlog::error("federation: the handler set an invalid Content-Type; dropped");
    }
  }
  res.set(bhttp::field::cache_control, "no-store");
  if (response.status != 204 && response.status != 304) res.body() = std::move(response.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  Lowest().expires_after(server_->read_timeout);
  auto [ec, unused_written] = co_await bhttp::async_write(stream_, res, kTok);
  Lowest().expires_never();
  co_return ec;
}

// Answers a request that could not be read (413/431/400) and closes, or
// closes silently when the client went away or was too slow.
asio::awaitable<void> Session::AnswerReadError(ErrorCode ec) {
  FederationResponse response;
  response.content_type = "application/problem+json";
  if (ec == bhttp::error::body_limit) {
    response.status = 413;
    response.body = ProblemJson(
        413, "Content Too Large",
        fmt::format("the request body exceeds the limit of {} bytes", server_->options.body_limit));
  } else if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    response.status = 431;
    response.body =
        ProblemJson(431, "Request Header Fields Too Large",
                    fmt::format("the request header exceeds the limit of {} bytes", kHeaderLimit));
  } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
             ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    response.status = 400;
    response.body = ProblemJson(400, "Bad Request", "malformed HTTP request");
  } else {
    co_return;  // socket error, time-out, end of stream, Stop
  }
  phase_ = Phase::kWriting;
  const ErrorCode write_ec = co_await Write(std::move(response), /*keep_alive=*/false);
  if (write_ec || server_->stopping.load() || shutdown_requested_) co_return;
  // Read and discard what the client is still sending (the rest of an
  // oversized body) for a while, so that closing with unread data does not
  // reset the connection before the client has read the answer.
  phase_ = Phase::kDraining;
  Lowest().expires_after(server_->linger);
  while (!closed_) {
    buffer_.clear();
    auto [drain_ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kTok);
    if (drain_ec) break;
  }
}

// ---- ServerCore -----------------------------------------------------------

void ServerCore::Rejected(std::string_view fingerprint, std::string_view remote,
                          std::string_view reason) {
  spdlog::warn("federation: refused a TLS connection from {}: {}", remote, reason);
  if (!on_rejected) return;
  try {
    on_rejected(fingerprint, remote, reason);
  } catch (const std::exception& e) {
    spdlog::error("federation: the handshake-rejected callback threw: {}", e.what());
  } catch (...) {
    spdlog::error("federation: the handshake-rejected callback threw a non-standard exception");
  }
}

asio::awaitable<void> ServerCore::AcceptLoop() {
  while (acceptor.is_open()) {
    tcp::socket socket(asio::make_strand(io));
    auto [ec] = co_await acceptor.async_accept(socket, kTok);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
      // E.g. out of file descriptors: back off instead of spinning.
      spdlog::warn("federation: accept failed: {}", ec.message());
      asio::steady_timer pause(control);
      pause.expires_after(std::chrono::milliseconds(50));
      co_await pause.async_wait(kTok);
      continue;
    }
    if (stopping.load()) {
      ErrorCode close_ec;
      socket.close(close_ec);
      continue;
    }
    ErrorCode opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    const tcp::endpoint remote = socket.remote_endpoint(opt_ec);
    std::string remote_text = opt_ec ? std::string("unknown") : FormatEndpoint(remote);
    try {
      std::make_shared<Session>(this, std::move(socket), std::move(remote_text))->Start();
    } catch (const std::exception& e) {
      spdlog::error("federation: cannot set up a connection: {}", e.what());
    }
  }
}

absl::Status ServerCore::Start() {
  std::lock_guard<std::mutex> lock(lifecycle_mu);
  if (started) return absl::FailedPreconditionError("the federation server is already started");
  const FederationServerOptions& o = options;
  if (!pin_check || !handler) {
    return absl::InvalidArgumentError("the federation server needs a pin check and a handler");
  }
  if (o.threads == 0 || o.threads > 1024) {
    return absl::InvalidArgumentError("threads must be between 1 and 1024");
  }
  if (o.body_limit == 0) return absl::InvalidArgumentError("body_limit must be positive");
  if (o.handshake_timeout <= absl::ZeroDuration() || o.read_timeout <= absl::ZeroDuration() ||
      o.idle_timeout <= absl::ZeroDuration() || o.shutdown_grace < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "the time-outs must be positive and shutdown_grace not negative");
  }
  handshake_timeout = ToSteady(o.handshake_timeout);
  read_timeout = ToSteady(o.read_timeout);
  idle_timeout = ToSteady(o.idle_timeout);
  grace = ToSteady(o.shutdown_grace);
  linger = std::min(read_timeout, ToSteady(absl::Seconds(5)));
  if (absl::Status s = MakeContext(&tls, identity, /*server=*/true); !s.ok()) return s;

  ErrorCode ec;
  tcp::endpoint endpoint;
  const asio::ip::address address = asio::ip::make_address(o.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, o.port);
  } else {
    tcp::resolver resolver(io);
    const auto results =
        resolver.resolve(o.host, std::to_string(o.port),
                         tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
      return absl::InvalidArgumentError(fmt::format("cannot resolve listen host \"{}\": {}", o.host,
                                                    ec ? ec.message() : "no address"));
    }
    endpoint = results.begin()->endpoint();
  }
  const auto fail = [&](std::string_view what) {
    ErrorCode close_ec;
    acceptor.close(close_ec);
    return absl::UnavailableError(
        fmt::format("cannot listen on {}:{}: {} failed: {}", o.host, o.port, what, ec.message()));
  };
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) return fail("setsockopt");
  acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  port = acceptor.local_endpoint(ec).port();

  asio::co_spawn(control, AcceptLoop(), [](const std::exception_ptr& e) {
    if (e) spdlog::error("federation: the accept loop ended: {}", ExceptionMessage(e));
  });
  started = true;
  threads.reserve(o.threads);
  for (size_t i = 0; i < o.threads; ++i) {
    threads.emplace_back([this] {
      tls_io_server = this;
      while (true) {
        try {
          io.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("federation: an io thread caught an exception: {}", e.what());
        } catch (...) {
          spdlog::error("federation: an io thread caught a non-standard exception");
        }
      }
    });
  }
  spdlog::info("federation: listening on {} with {} io thread(s)",
               FormatEndpoint(tcp::endpoint(endpoint.address(), port.load())), o.threads);
  return absl::OkStatus();
}

void ServerCore::BeginShutdown() {
  if (stopping.exchange(true)) return;
  asio::post(control, [this] {
    ErrorCode ec;
    acceptor.close(ec);
    std::lock_guard<std::mutex> lock(conn_mu);
    if (!sessions.empty()) {
      grace_timer.expires_after(grace);
      grace_timer.async_wait(asio::bind_executor(control, [this](ErrorCode wait_ec) {
        if (!wait_ec) ForceCloseAll();
      }));
    }
  });
  std::lock_guard<std::mutex> lock(conn_mu);
  for (Session* s : sessions) s->PostShutdown();
}

void ServerCore::ForceCloseAll() {
  std::lock_guard<std::mutex> lock(conn_mu);
  if (!sessions.empty()) {
    spdlog::warn("federation: shutdown grace over; closing {} connection(s)", sessions.size());
  }
  for (Session* s : sessions) s->PostForceClose();
}

void ServerCore::Stop() {
  {
    std::lock_guard<std::mutex> lock(lifecycle_mu);
    if (!started) return;
  }
  BeginShutdown();
  if (tls_io_server == this) return;  // called by a handler: cannot join itself
  std::lock_guard<std::mutex> lock(join_mu);
  for (std::thread& t : threads) {
    if (t.joinable()) t.join();
  }
}

// ---- client ---------------------------------------------------------------

// Splits "https://HOST[:PORT][/]" into host and port.
absl::Status ParseBaseUrl(std::string_view url, std::string* host, std::string* port) {
  const auto invalid = [url](std::string_view why) {
    return absl::InvalidArgumentError(fmt::format("invalid federation URL \"{}\": {}", url, why));
  };
  constexpr std::string_view kScheme = "https://";
  if (url.size() < kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), url.begin(),
                  [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? b + 32 : b); })) {
    return invalid("it must start with https://");
  }
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@ \t\r\n") != std::string_view::npos) {
    return invalid("expected https://HOST:PORT with no path, query or user");
  }
  std::string_view host_part;
  std::string_view port_part;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return invalid("unterminated IPv6 address");
    host_part = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("expected :PORT after the IPv6 address");
      port_part = after.substr(1);
    } else {
      port_part = "443";
    }
  } else {
    const size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
      host_part = rest;
      port_part = "443";
    } else {
      host_part = rest.substr(0, colon);
      port_part = rest.substr(colon + 1);
    }
  }
  if (host_part.empty()) return invalid("no host");
  if (port_part.empty() || port_part.size() > 5 ||
      !std::all_of(port_part.begin(), port_part.end(),
                   [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoi(std::string(port_part)) < 1 || std::stoi(std::string(port_part)) > 65535) {
    return invalid("the port must be a number from 1 to 65535");
  }
  *host = std::string(host_part);
  *port = std::string(port_part);
  return absl::OkStatus();
}

}  // namespace

// ---- FederationServer -----------------------------------------------------

struct FederationServer::Impl final : ServerCore {
  using ServerCore::ServerCore;
};

FederationServer::FederationServer(FederationServerOptions options, TlsIdentity identity,
                                   PeerPinCheck pin_check, HandshakeRejected on_rejected,
                                   FederationHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(identity), std::move(pin_check),
                                   std::move(on_rejected), std::move(handler))) {}

FederationServer::~FederationServer() { Stop(); }

absl::Status FederationServer::Start() { return impl_->Start(); }

uint16_t FederationServer::port() const { return impl_->port.load(); }

void FederationServer::Stop() { impl_->Stop(); }

// ---- FederationClient -----------------------------------------------------

struct FederationClient::Impl {
  Impl(TlsIdentity id, std::string url, std::string pin, FederationClientOptions opts)
      : identity(std::move(id)), base_url(std::move(url)), options(opts) {
    verification.pinned = std::move(pin);
  }
  ~Impl() { Close(); }

  absl::Status Init();
  absl::StatusOr<FederationResponse> Exchange(bhttp::verb verb, std::string_view target,
                                              std::string_view content_type, std::string_view body);
  absl::Status Connect();
  asio::awaitable<ErrorCode> ConnectOp();
  asio::awaitable<ErrorCode> ExchangeOp(bhttp::request<bhttp::string_body>* request,
                                        bhttp::response_parser<bhttp::string_body>* parser);
  ErrorCode RunFor(asio::awaitable<ErrorCode> op, absl::Duration timeout);
  absl::Status Failure(const ErrorCode& ec, absl::Duration timeout) const;
  bool IsStale();
  void Close();

  const TlsIdentity identity;
  const std::string base_url;
  const FederationClientOptions options;
  bool initialized = false;
  absl::Status init_status;
  std::string host;
  std::string port;
  std::string host_header;
  bool host_is_ip = false;

  PeerVerification verification;  // outlives stream
  asio::io_context io{1};
  tcp::resolver resolver{io};
  std::optional<ssl::context> tls;
  std::optional<TlsStream> stream;
  beast::flat_buffer buffer;
  int exchanges_on_connection = 0;

  // Of the last operation, for the error message.
  std::string stage;
  bool timed_out = false;
  std::string exception_message;
};

absl::Status FederationClient::Impl::Init() {
  if (initialized) return init_status;
  initialized = true;
  init_status = ParseBaseUrl(base_url, &host, &port);
  if (!init_status.ok()) return init_status;
  ErrorCode ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  host_is_ip = !ec;
  host_header = (host_is_ip && address.is_v6() ? "[" + host + "]" : host) + ":" + port;
  if (verification.pinned.empty()) {
    init_status = absl::InvalidArgumentError(
        fmt::format("no certificate fingerprint is pinned for {}", base_url));
    return init_status;
  }
  init_status = MakeContext(&tls, identity, /*server=*/false);
  return init_status;
}

ErrorCode FederationClient::Impl::RunFor(asio::awaitable<ErrorCode> op, absl::Duration timeout) {
  std::optional<ErrorCode> result;
  timed_out = false;
  exception_message.clear();
  asio::co_spawn(io, std::move(op), [&](const std::exception_ptr& e, ErrorCode ec) {
    if (e) {
      exception_message = ExceptionMessage(e);
      ec = make_error_code(boost::system::errc::io_error);
    }
    result = ec;
  });
  io.restart();
  io.run_for(ToSteady(timeout));
  if (!result) {
    timed_out = true;
    resolver.cancel();
    if (stream) beast::get_lowest_layer(*stream).close();
    io.restart();
    io.run();  // the cancelled operations complete
  }
  if (timed_out) return asio::error::timed_out;
  return result.value_or(asio::error::timed_out);
}

absl::Status FederationClient::Impl::Failure(const ErrorCode& ec, absl::Duration timeout) const {
  std::string why;
  if (timed_out) {
    why = fmt::format("timed out after {}", absl::FormatDuration(timeout));
  } else if (!exception_message.empty()) {
    why = exception_message;
  } else if (verification.called && !verification.accepted) {
    why = verification.reason;
  } else if (IsCertificateRefusal(ec)) {
    why = fmt::format("the partner refused this node's certificate ({})", ec.message());
  } else if (ec == bhttp::error::body_limit) {
    why = fmt::format("the response exceeds the limit of {} bytes", options.response_limit);
  } else if (ec == asio::error::eof || ec == ssl::error::stream_truncated ||
             ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
    why = "the partner closed the connection";
  } else {
    why = ec.message();
  }
  return absl::UnavailableError(fmt::format("{}: {} failed: {}", base_url, stage, why));
}

void FederationClient::Impl::Close() {
  if (stream) {
    ErrorCode ec;
    beast::get_lowest_layer(*stream).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(*stream).close();
    stream.reset();
  }
  buffer.clear();
  exchanges_on_connection = 0;
}

// A connection waiting between exchanges has nothing to read unless the
// server closed it (TCP FIN, reset, or a TLS alert or close_notify).
bool FederationClient::Impl::IsStale() {
  pollfd p{};
  p.fd = beast::get_lowest_layer(*stream).socket().native_handle();
  p.events = POLLIN;
  return ::poll(&p, 1, 0) != 0;
}

asio::awaitable<ErrorCode> FederationClient::Impl::ConnectOp() {
  stage = "resolving the host";
  auto [resolve_ec, results] =
      co_await resolver.async_resolve(host, port, tcp::resolver::numeric_service, kTok);
  if (resolve_ec) co_return resolve_ec;
  stream.emplace(beast::tcp_stream(io), *tls);
  verification.Reset();
  SSL* handle = stream->native_handle();
  SSL_set_ex_data(handle, VerificationIndex(), &verification);
  if (!host_is_ip) SSL_set_tlsext_host_name(handle, host.c_str());
  stage = "connecting";
  auto [connect_ec, unused_endpoint] =
      co_await beast::get_lowest_layer(*stream).async_connect(results, kTok);
  if (connect_ec) co_return connect_ec;
  ErrorCode opt_ec;
  beast::get_lowest_layer(*stream).socket().set_option(tcp::no_delay(true), opt_ec);
  stage = "the TLS handshake";
  auto [handshake_ec] = co_await stream->async_handshake(ssl::stream_base::client, kTok);
  if (!handshake_ec && !verification.accepted) {
    co_return make_error_code(boost::system::errc::permission_denied);
  }
  co_return handshake_ec;
}

absl::Status FederationClient::Impl::Connect() {
  Close();
  const ErrorCode ec = RunFor(ConnectOp(), options.connect_timeout);
  if (ec) {
    absl::Status status = Failure(ec, options.connect_timeout);
    Close();
    return status;
  }
  return absl::OkStatus();
}

asio::awaitable<ErrorCode> FederationClient::Impl::ExchangeOp(
    bhttp::request<bhttp::string_body>* request,
    bhttp::response_parser<bhttp::string_body>* parser) {
  stage = "sending the request";
  auto [write_ec, unused_written] = co_await bhttp::async_write(*stream, *request, kTok);
  if (write_ec) co_return write_ec;
  stage = "reading the response";
  auto [read_ec, unused_read] = co_await bhttp::async_read(*stream, buffer, *parser, kTok);
  co_return read_ec;
}

absl::StatusOr<FederationResponse> FederationClient::Impl::Exchange(bhttp::verb verb,
                                                                    std::string_view target,
                                                                    std::string_view content_type,
                                                                    std::string_view body) {
  if (absl::Status s = Init(); !s.ok()) return s;
  if (target.empty() || target.front() != '/' ||
      target.find_first_of(" \t\r\n") != std::string_view::npos || !IsValidFieldValue(target)) {
    return absl::InvalidArgumentError(
        fmt::format("invalid request target \"{}\": it must be a path starting with /", target));
  }
  if (!IsValidFieldValue(content_type)) {
    return absl::InvalidArgumentError("the content type holds control characters");
  }
  try {
    bhttp::request<bhttp::string_body> request;
    request.method(verb);
    request.target(beast::string_view(target.data(), target.size()));
    request.version(11);
    request.set(bhttp::field::host, host_header);
    request.set(bhttp::field::user_agent, "jisr-federation");
    if (!content_type.empty()) {
      request.set(bhttp::field::content_type,
                  beast::string_view(content_type.data(), content_type.size()));
    }
    request.body().assign(body.data(), body.size());
    request.keep_alive(true);
    request.prepare_payload();

    // A reused connection the partner has closed meanwhile (idle time-out,
    // restart) fails before any byte of the answer arrives: then the request
    // was not processed and is sent once more on a fresh connection.
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (stream && exchanges_on_connection > 0 && IsStale()) Close();
      const bool reused = stream.has_value();
      if (!stream) {
        if (absl::Status s = Connect(); !s.ok()) return s;
      }
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(options.response_limit);
      parser.header_limit(kHeaderLimit);
      buffer.clear();
      const ErrorCode ec = RunFor(ExchangeOp(&request, &parser), options.request_timeout);
      if (!ec) {
        ++exchanges_on_connection;
        bhttp::response<bhttp::string_body> msg = parser.release();
        FederationResponse response;
        response.status = static_cast<int>(msg.result_int());
        auto it = msg.find(bhttp::field::content_type);
        response.content_type = it != msg.end() ? std::string(Sv(it->value())) : std::string();
        response.body = std::move(msg.body());
        if (!msg.keep_alive()) Close();
        return response;
      }
      absl::Status status = Failure(ec, options.request_timeout);
      const bool retry =
          reused && attempt == 0 && !timed_out && !parser.got_some() && exception_message.empty();
      Close();
      if (!retry) return status;
    }
    return absl::UnavailableError(fmt::format("{}: the request failed twice", base_url));
  } catch (const std::exception& e) {
    Close();
    return absl::UnavailableError(fmt::format("{}: the request failed: {}", base_url, e.what()));
  }
}

FederationClient::FederationClient(TlsIdentity identity, std::string base_url,
                                   std::string pinned_fingerprint, FederationClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(identity), std::move(base_url),
                                   std::move(pinned_fingerprint), options)) {}

FederationClient::~FederationClient() = default;

absl::StatusOr<FederationResponse> FederationClient::Post(std::string_view target,
                                                          std::string_view content_type,
                                                          std::string_view body) {
  return impl_->Exchange(bhttp::verb::post, target, content_type, body);
}

absl::StatusOr<FederationResponse> FederationClient::Get(std::string_view target) {
  return impl_->Exchange(bhttp::verb::get, target, {}, {});
}

}  // namespace jisr::federation
