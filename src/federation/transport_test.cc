#include "federation/transport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jisr::federation {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using ::testing::HasSubstr;

// Identities are slow-ish to make (key generation): one set for all tests.
struct Identities {
  TlsIdentity a, b, c;
  std::string fa, fb, fc;
};

const Identities& Ids() {
  static const Identities* ids = [] {
    auto* out = new Identities;
    const absl::Time now = absl::Now() - absl::Hours(1);
    out->a = *CreateSelfSignedIdentity("MA-DGSN", now, absl::Hours(24));
    out->b = *CreateSelfSignedIdentity("FR-DGPN", now, absl::Hours(24));
    out->c = *CreateSelfSignedIdentity("XX-UNKNOWN", now, absl::Hours(24));
    out->fa = *CertificateFingerprint(out->a.certificate_pem);
    out->fb = *CertificateFingerprint(out->b.certificate_pem);
    out->fc = *CertificateFingerprint(out->c.certificate_pem);
    return out;
  }();
  return *ids;
}

// Waits (bounded) until `done` holds.
bool WaitFor(const std::function<bool()>& done, absl::Duration limit = absl::Seconds(5)) {
  const absl::Time end = absl::Now() + limit;
  while (absl::Now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

struct Rejection {
  std::string fingerprint, remote, reason;
};

// A server with identity A that accepts only B's certificate and echoes.
class Harness {
 public:
  explicit Harness(FederationServerOptions options = {}) {
    server_ = std::make_unique<FederationServer>(
        options, Ids().a,
        [this](std::string_view fingerprint) {
          ++pin_checks;
          return fingerprint == Ids().fb;
        },
        [this](std::string_view fingerprint, std::string_view remote, std::string_view reason) {
          std::lock_guard<std::mutex> lock(mu_);
          rejections_.push_back(
              {std::string(fingerprint), std::string(remote), std::string(reason)});
        },
        [this](const FederationRequest& request) {
          {
            std::lock_guard<std::mutex> lock(mu_);
            requests_.push_back(request);
          }
          FederationResponse response;
          response.status = request.target == "/teapot" ? 418 : 200;
          response.content_type = "application/octet-stream";
          response.body = "echo:" + request.body;
          return response;
        });
  }

  absl::Status Start() { return server_->Start(); }
  void Stop() { server_->Stop(); }
  uint16_t port() const { return server_->port(); }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port()); }

  std::vector<Rejection> rejections() {
    std::lock_guard<std::mutex> lock(mu_);
    return rejections_;
  }
  std::vector<FederationRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  std::atomic<int> pin_checks{0};

 private:
  std::mutex mu_;
  std::vector<Rejection> rejections_;
  std::vector<FederationRequest> requests_;
  std::unique_ptr<FederationServer> server_;
};

TEST(TlsIdentityTest, CreatesAMatchingPairWithAStableFingerprint) {
  const Identities& ids = Ids();
  EXPECT_THAT(ids.a.certificate_pem, HasSubstr("-----BEGIN CERTIFICATE-----"));
  EXPECT_THAT(ids.a.private_key_pem, HasSubstr("-----BEGIN PRIVATE KEY-----"));
  EXPECT_TRUE(CheckIdentity(ids.a).ok());
  ASSERT_EQ(ids.fa.size(), 7u + 64u);
  EXPECT_EQ(ids.fa.substr(0, 7), "sha256:");
  EXPECT_EQ(ids.fa.find_first_not_of("0123456789abcdef", 7), std::string::npos);
  EXPECT_EQ(*CertificateFingerprint(ids.a.certificate_pem), ids.fa);
  EXPECT_NE(ids.fa, ids.fb);
}

TEST(TlsIdentityTest, FingerprintIsTheSha256OfTheDer) {
  // Compare with a digest computed independently from the DER bytes.
  BIO* bio = BIO_new_mem_buf(Ids().a.certificate_pem.data(),
                             static_cast<int>(Ids().a.certificate_pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(cert, nullptr);
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  ASSERT_GT(len, 0);
  unsigned char md[32];
  SHA256(der, static_cast<size_t>(len), md);
  OPENSSL_free(der);
  std::string hex = "sha256:";
  for (unsigned char byte : md) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xF]);
  }
  EXPECT_EQ(hex, Ids().fa);

  // Subject, SAN and validity as documented.
  char cn[128] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof(cn));
  EXPECT_STREQ(cn, "MA-DGSN");
  EXPECT_EQ(X509_check_host(cert, "MA-DGSN", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_get_version(cert), X509_VERSION_3);
  EXPECT_EQ(X509_get_signature_nid(cert), NID_ecdsa_with_SHA256);
  X509_free(cert);
}

TEST(TlsIdentityTest, RejectsBadInput) {
  EXPECT_EQ(CreateSelfSignedIdentity("", absl::Now(), absl::Hours(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CertificateFingerprint("not a certificate").status().code(),
            absl::StatusCode::kInvalidArgument);
  TlsIdentity mixed{Ids().a.certificate_pem, Ids().b.private_key_pem};
  const absl::Status mismatch = CheckIdentity(mixed);
  EXPECT_EQ(mismatch.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(mismatch.message()), HasSubstr("does not match"));
  TlsIdentity no_key{Ids().a.certificate_pem, "garbage"};
  EXPECT_THAT(std::string(CheckIdentity(no_key).message()), HasSubstr("private key"));
  TlsIdentity no_cert{"garbage", Ids().a.private_key_pem};
  EXPECT_THAT(std::string(CheckIdentity(no_cert).message()), HasSubstr("certificate"));
}

TEST(FederationTransportTest, PinnedClientRoundTripsAndReusesTheConnection) {
  Harness h;
  ASSERT_TRUE(h.Start().ok());
  ASSERT_NE(h.port(), 0);
  FederationClient client(Ids().b, h.url(), Ids().fa);

  absl::StatusOr<FederationResponse> r1 =
      client.Post("/federation/v1/envelopes", "application/json", R"({"n":1})");
  ASSERT_TRUE(r1.ok()) << r1.status();
  EXPECT_EQ(r1->status, 200);
  EXPECT_EQ(r1->content_type, "application/octet-stream");
  EXPECT_EQ(r1->body, R"(echo:{"n":1})");

  absl::StatusOr<FederationResponse> r2 = client.Post("/teapot", "text/plain", "second");
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_EQ(r2->status, 418);
  EXPECT_EQ(r2->body, "echo:second");

  absl::StatusOr<FederationResponse> r3 = client.Get("/federation/v1/health");
  ASSERT_TRUE(r3.ok()) << r3.status();
  EXPECT_EQ(r3->body, "echo:");

  // One handshake for three exchanges: keep-alive.
  EXPECT_EQ(h.pin_checks.load(), 1);
  const std::vector<FederationRequest> requests = h.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].peer_fingerprint, Ids().fb);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/federation/v1/envelopes");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].body, R"({"n":1})");
  EXPECT_THAT(requests[0].remote, HasSubstr("127.0.0.1:"));
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_TRUE(h.rejections().empty());
  h.Stop();
}

TEST(FederationTransportTest, ConcurrentClientsOnSeveralIoThreads) {
  FederationServerOptions options;
  options.threads = 2;
  Harness h(options);
  ASSERT_TRUE(h.Start().ok());
  constexpr int kClients = 4;
  constexpr int kRequests = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      FederationClient client(Ids().b, h.url(), Ids().fa);
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = std::to_string(c) + "/" + std::to_string(i);
        absl::StatusOr<FederationResponse> r = client.Post("/x", "text/plain", body);
        if (r.ok() && r->body == "echo:" + body) ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
  EXPECT_EQ(h.pin_checks.load(), kClients);  // one connection per client
  EXPECT_EQ(h.requests().size(), static_cast<size_t>(kClients * kRequests));
}

TEST(FederationTransportTest, UnpinnedClientIsRefusedAtTheHandshake) {
  Harness h;
  ASSERT_TRUE(h.Start().ok());
  FederationClient client(Ids().c, h.url(), Ids().fa);
  absl::StatusOr<FederationResponse> r = client.Post("/x", "application/json", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("refused this node's certificate"));
  ASSERT_TRUE(WaitFor([&] { return !h.rejections().empty(); }));
  const Rejection rejection = h.rejections().front();
  EXPECT_EQ(rejection.fingerprint, Ids().fc);
  EXPECT_THAT(rejection.remote, HasSubstr("127.0.0.1:"));
  EXPECT_THAT(rejection.reason, HasSubstr("not pinned"));
  EXPECT_TRUE(h.requests().empty());
}

TEST(FederationTransportTest, ClientRefusesAServerThatIsNotPinned) {
  Harness h;
  ASSERT_TRUE(h.Start().ok());
  // B pins C's fingerprint, but the server presents A's certificate.
  FederationClient client(Ids().b, h.url(), Ids().fc);
  absl::StatusOr<FederationResponse> r = client.Post("/x", "application/json", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  const std::string message(r.status().message());
  EXPECT_THAT(message, HasSubstr(Ids().fa));  // presented
  EXPECT_THAT(message, HasSubstr(Ids().fc));  // pinned
  EXPECT_THAT(message, HasSubstr("is not the one pinned"));
  EXPECT_TRUE(h.requests().empty());
  EXPECT_EQ(h.pin_checks.load(), 0);  // the client gave up before sending its certificate
}

// A raw TLS client whose context the test configures.
bool RawHandshake(uint16_t port, const std::function<void(ssl::context&)>& configure,
                  std::string* error) {
  asio::io_context io;
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_verify_mode(ssl::verify_none);
  configure(ctx);
  ssl::stream<tcp::socket> stream(io, ctx);
  boost::system::error_code ec;
  stream.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) {
    *error = "connect: " + ec.message();
    return false;
  }
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) {
    *error = ec.message();
    return false;
  }
  // TLS 1.3: the server checks the client's certificate after the client
  // considers the handshake done; the refusal arrives on the first read.
  const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  asio::write(stream, asio::buffer(request), ec);
  char buf[256];
  stream.read_some(asio::buffer(buf), ec);
  if (ec) {
    *error = ec.message();
    return false;
  }
  return true;
}

void UseIdentity(ssl::context& ctx, const TlsIdentity& id) {
  ctx.use_certificate(asio::buffer(id.certificate_pem), ssl::context::pem);
  ctx.use_private_key(asio::buffer(id.private_key_pem), ssl::context::pem);
}

TEST(FederationTransportTest, Tls12ClientIsRefused) {
  Harness h;
  ASSERT_TRUE(h.Start().ok());
  std::string error;
  EXPECT_FALSE(RawHandshake(
      h.port(),
      [](ssl::context& ctx) {
        UseIdentity(ctx, Ids().b);  // a pinned certificate: only the version is wrong
        SSL_CTX_set_max_proto_version(ctx.native_handle(), TLS1_2_VERSION);
      },
      &error));
  ASSERT_TRUE(WaitFor([&] { return !h.rejections().empty(); }));
  const Rejection rejection = h.rejections().front();
  EXPECT_EQ(rejection.fingerprint, "");
  EXPECT_THAT(rejection.reason, HasSubstr("TLS 1.3"));
  EXPECT_EQ(h.pin_checks.load(), 0);
  EXPECT_TRUE(h.requests().empty());
}

TEST(FederationTransportTest, ClientWithoutCertificateIsRefused) {
  Harness h;
  ASSERT_TRUE(h.Start().ok());
  std::string error;
  EXPECT_FALSE(RawHandshake(
      h.port(), [](ssl::context&) {}, &error));
  ASSERT_TRUE(WaitFor([&] { return !h.rejections().empty(); }));
  const Rejection rejection = h.rejections().front();
  EXPECT_EQ(rejection.fingerprint, "");
  EXPECT_THAT(rejection.reason, HasSubstr("no certificate"));
  EXPECT_TRUE(h.requests().empty());
}

TEST(FederationTransportTest, PlainHttpIsRefused) {
  Harness h;
  ASSERT_TRUE(h.Start().ok());
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), h.port()));
  const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  asio::write(socket, asio::buffer(request));
  boost::system::error_code ec;
  std::string reply;
  asio::read(socket, asio::dynamic_buffer(reply), ec);  // until the server closes
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  ASSERT_TRUE(WaitFor([&] { return !h.rejections().empty(); }));
  EXPECT_THAT(h.rejections().front().reason, HasSubstr("not a TLS handshake"));
}

TEST(FederationTransportTest, BodyOverTheLimitGets413) {
  FederationServerOptions options;
  options.body_limit = 1024;
  Harness h(options);
  ASSERT_TRUE(h.Start().ok());
  FederationClient client(Ids().b, h.url(), Ids().fa);
  absl::StatusOr<FederationResponse> small =
      client.Post("/x", "text/plain", std::string(1024, 'x'));
  ASSERT_TRUE(small.ok()) << small.status();
  EXPECT_EQ(small->status, 200);

  absl::StatusOr<FederationResponse> big = client.Post("/x", "text/plain", std::string(1025, 'x'));
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_EQ(big->status, 413);
  EXPECT_THAT(big->body, HasSubstr("1024"));

  // Larger than the socket buffers: the server drains it to deliver the 413.
  absl::StatusOr<FederationResponse> huge =
      client.Post("/x", "text/plain", std::string(4 << 20, 'x'));
  ASSERT_TRUE(huge.ok()) << huge.status();
  EXPECT_EQ(huge->status, 413);

  // The client reconnects after the server closed the connection.
  absl::StatusOr<FederationResponse> again = client.Post("/x", "text/plain", "ok");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(h.requests().size(), 2u);
}

TEST(FederationTransportTest, StopWithConnectedClientsReturnsPromptly) {
  FederationServerOptions options;
  options.shutdown_grace = absl::Seconds(20);
  options.idle_timeout = absl::Seconds(60);
  options.handshake_timeout = absl::Seconds(60);
  Harness h(options);
  ASSERT_TRUE(h.Start().ok());
  FederationClient client(Ids().b, h.url(), Ids().fa);
  ASSERT_TRUE(client.Post("/x", "text/plain", "hi").ok());  // an idle keep-alive connection
  // And a connection that never starts its handshake.
  asio::io_context io;
  tcp::socket silent(io);
  silent.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), h.port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));

  const absl::Time start = absl::Now();
  h.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  EXPECT_TRUE(h.rejections().empty());  // closing at Stop is not a refusal

  absl::StatusOr<FederationResponse> after = client.Post("/x", "text/plain", "hi");
  EXPECT_EQ(after.status().code(), absl::StatusCode::kUnavailable);
}

TEST(FederationTransportTest, ClientReconnectsAfterARestartOnTheSamePort) {
  auto first = std::make_unique<Harness>();
  ASSERT_TRUE(first->Start().ok());
  const uint16_t port = first->port();
  FederationClient client(Ids().b, first->url(), Ids().fa);
  ASSERT_TRUE(client.Post("/x", "text/plain", "one").ok());
  first->Stop();
  first.reset();

  absl::StatusOr<FederationResponse> down = client.Post("/x", "text/plain", "lost");
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);

  FederationServerOptions options;
  options.port = port;
  Harness second(options);
  ASSERT_TRUE(second.Start().ok());
  ASSERT_EQ(second.port(), port);
  absl::StatusOr<FederationResponse> r = client.Post("/x", "text/plain", "two");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, "echo:two");
  EXPECT_EQ(second.pin_checks.load(), 1);
}

TEST(FederationTransportTest, ClientReusesAfterRestartWithoutAFailedCall) {
  // The server goes away while the client holds an idle connection; the
  // first call afterwards succeeds on a fresh connection.
  auto first = std::make_unique<Harness>();
  ASSERT_TRUE(first->Start().ok());
  const uint16_t port = first->port();
  FederationClient client(Ids().b, first->url(), Ids().fa);
  ASSERT_TRUE(client.Post("/x", "text/plain", "one").ok());
  first->Stop();
  first.reset();
  FederationServerOptions options;
  options.port = port;
  Harness second(options);
  ASSERT_TRUE(second.Start().ok());
  absl::StatusOr<FederationResponse> r = client.Post("/x", "text/plain", "two");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, "echo:two");
}

TEST(FederationTransportTest, ExpiredCertificatesAreRefusedEvenWhenPinned) {
  absl::StatusOr<TlsIdentity> expired =
      CreateSelfSignedIdentity("OLD-NODE", absl::Now() - absl::Hours(48), absl::Hours(24));
  ASSERT_TRUE(expired.ok());
  const std::string expired_fp = *CertificateFingerprint(expired->certificate_pem);
  const auto echo = [](const FederationRequest&) { return FederationResponse{}; };

  // An expired client certificate, although the pin check accepts it.
  std::mutex mu;
  std::vector<Rejection> rejections;
  FederationServer server(
      FederationServerOptions{}, Ids().a, [](std::string_view) { return true; },
      [&](std::string_view fingerprint, std::string_view remote, std::string_view reason) {
        std::lock_guard<std::mutex> lock(mu);
        rejections.push_back({std::string(fingerprint), std::string(remote), std::string(reason)});
      },
      echo);
  ASSERT_TRUE(server.Start().ok());
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port());
  FederationClient old_client(*expired, url, Ids().fa);
  EXPECT_EQ(old_client.Post("/x", "", "").status().code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE(WaitFor([&] {
    std::lock_guard<std::mutex> lock(mu);
    return !rejections.empty();
  }));
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(rejections.front().fingerprint, expired_fp);
    EXPECT_THAT(rejections.front().reason, HasSubstr("has expired"));
  }

  // An expired server certificate, although pinned by the client.
  FederationServer old_server(
      FederationServerOptions{}, *expired, [](std::string_view) { return true; }, nullptr, echo);
  ASSERT_TRUE(old_server.Start().ok());
  FederationClient client(Ids().b, "https://127.0.0.1:" + std::to_string(old_server.port()),
                          expired_fp);
  absl::StatusOr<FederationResponse> r = client.Post("/x", "", "");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("has expired"));
}

TEST(FederationTransportTest, IdleConnectionsAreClosedAndTheClientReconnects) {
  FederationServerOptions options;
  options.idle_timeout = absl::Milliseconds(150);
  Harness h(options);
  ASSERT_TRUE(h.Start().ok());
  FederationClient client(Ids().b, h.url(), Ids().fa);
  ASSERT_TRUE(client.Post("/x", "text/plain", "one").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  absl::StatusOr<FederationResponse> r = client.Post("/x", "text/plain", "two");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, "echo:two");
  EXPECT_EQ(h.pin_checks.load(), 2);  // a second handshake
  EXPECT_TRUE(h.rejections().empty());
}

TEST(FederationTransportTest, SilentConnectionTimesOutInTheHandshake) {
  FederationServerOptions options;
  options.handshake_timeout = absl::Milliseconds(150);
  Harness h(options);
  ASSERT_TRUE(h.Start().ok());
  asio::io_context io;
  tcp::socket silent(io);
  silent.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), h.port()));
  ASSERT_TRUE(WaitFor([&] { return !h.rejections().empty(); }));
  EXPECT_THAT(h.rejections().front().reason, HasSubstr("not completed within"));
  boost::system::error_code ec;
  std::string rest;
  asio::read(silent, asio::dynamic_buffer(rest), ec);  // the server closed it
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
}

TEST(FederationTransportTest, ClientTimesOutOnASilentServer) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const uint16_t port = acceptor.local_endpoint().port();
  FederationClientOptions options;
  options.connect_timeout = absl::Milliseconds(300);
  FederationClient client(Ids().b, "https://127.0.0.1:" + std::to_string(port), Ids().fa, options);
  const absl::Time start = absl::Now();
  absl::StatusOr<FederationResponse> r = client.Post("/x", "text/plain", "x");
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("timed out"));
}

TEST(FederationTransportTest, RejectsBadArguments) {
  FederationClient bad_url(Ids().b, "http://127.0.0.1:1", Ids().fa);
  EXPECT_EQ(bad_url.Post("/x", "", "").status().code(), absl::StatusCode::kInvalidArgument);
  FederationClient with_path(Ids().b, "https://127.0.0.1:1/api", Ids().fa);
  EXPECT_EQ(with_path.Get("/x").status().code(), absl::StatusCode::kInvalidArgument);
  FederationClient good(Ids().b, "https://127.0.0.1:1", Ids().fa);
  EXPECT_EQ(good.Get("no-slash").status().code(), absl::StatusCode::kInvalidArgument);

  FederationServerOptions options;
  FederationServer bad_identity(
      options, TlsIdentity{Ids().a.certificate_pem, Ids().b.private_key_pem},
      [](std::string_view) { return true; }, nullptr,
      [](const FederationRequest&) { return FederationResponse{}; });
  EXPECT_EQ(bad_identity.Start().code(), absl::StatusCode::kInvalidArgument);

  FederationServer ok(
      options, Ids().a, [](std::string_view) { return true; }, nullptr,
      [](const FederationRequest&) { return FederationResponse{}; });
  ASSERT_TRUE(ok.Start().ok());
  EXPECT_EQ(ok.Start().code(), absl::StatusCode::kFailedPrecondition);
  ok.Stop();
  ok.Stop();  // idempotent
}

}  // namespace
}  // namespace jisr::federation
