#include "api/test_client.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>

namespace jisr::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

bool HasHeader(const TestHeaders& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (EqualsNoCase(n, name)) return true;
  }
  return false;
}

absl::Status FromError(const ErrorCode& ec, std::string_view what) {
  if (ec == asio::error::would_block || ec == asio::error::try_again ||
      ec == asio::error::timed_out) {
    return absl::DeadlineExceededError(fmt::format("{}: timed out", what));
  }
  if (ec.category() ==
          bhttp::make_error_code(bhttp::error::bad_target).category() &&
      ec != bhttp::error::end_of_stream &&
      ec != bhttp::error::partial_message) {
    return absl::DataLossError(
        fmt::format("{}: malformed response: {}", what, ec.message()));
  }
  return absl::UnavailableError(fmt::format("{}: {}", what, ec.message()));
}

}  // namespace

std::optional<std::string> TestResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsNoCase(n, name)) return v;
  }
  return std::nullopt;
}

struct TestHttpClient::Impl {
  std::string host;
  uint16_t port;
  TestClientOptions options;
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;
  int opened = 0;

  // Starts an async operation with `start(handler)` and runs it for at most
  // io_timeout; on expiry cancels it and returns timed_out.
  template <typename Start>
  ErrorCode RunWithTimeout(Start start) {
    ErrorCode result;
    bool done = false;
    start([&](ErrorCode ec, auto&&...) {
      result = ec;
      done = true;
    });
    io.restart();
    io.run_for(std::chrono::microseconds(
        absl::ToInt64Microseconds(options.io_timeout)));
    if (!done) {
      ErrorCode ignored;
      socket.cancel(ignored);
      io.restart();
      io.run();
      return asio::error::timed_out;
    }
    return result;
  }
};

TestHttpClient::TestHttpClient(std::string host, uint16_t port,
                               TestClientOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->options = options;
}

TestHttpClient::~TestHttpClient() { Close(); }

absl::Status TestHttpClient::Connect() {
  Impl& d = *impl_;
  if (d.socket.is_open()) return absl::OkStatus();
  ErrorCode ec;
  tcp::resolver resolver(d.io);
  const auto endpoints = resolver.resolve(d.host, std::to_string(d.port), ec);
  if (ec) return FromError(ec, "resolve");
  ec = d.RunWithTimeout(
      [&](auto handler) { asio::async_connect(d.socket, endpoints, handler); });
  if (ec) {
    ErrorCode ignored;
    d.socket.close(ignored);
    return FromError(ec, "connect");
  }
  d.socket.set_option(tcp::no_delay(true), ec);
  d.buffer.clear();
  ++d.opened;
  return absl::OkStatus();
}

absl::StatusOr<TestResponse> TestHttpClient::Request(
    std::string_view method, std::string_view target, std::string_view body,
    const TestHeaders& headers) {
  std::string raw;
  raw.reserve(256 + body.size());
  raw.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  if (!HasHeader(headers, "host")) {
    raw.append("Host: ")
        .append(impl_->host)
        .append(":")
        .append(std::to_string(impl_->port));
    raw.append("\r\n");
  }
  const bool wants_length =
      !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (wants_length && !HasHeader(headers, "content-length") &&
      !HasHeader(headers, "transfer-encoding")) {
    raw.append("Content-Length: ")
        .append(std::to_string(body.size()))
        .append("\r\n");
  }
  for (const auto& [name, value] : headers)
    raw.append(name).append(": ").append(value).append("\r\n");
  raw.append("\r\n");
  raw.append(body);
  if (absl::Status s = SendRaw(raw); !s.ok()) return s;
  return ReadResponse(method == "HEAD");
}

absl::Status TestHttpClient::SendRaw(std::string_view bytes) {
  if (absl::Status s = Connect(); !s.ok()) return s;
  Impl& d = *impl_;
  const ErrorCode ec = d.RunWithTimeout([&](auto handler) {
    asio::async_write(d.socket, asio::buffer(bytes.data(), bytes.size()),
                      handler);
  });
  if (ec) {
    Close();
    return FromError(ec, "write");
  }
  return absl::OkStatus();
}

absl::StatusOr<TestResponse> TestHttpClient::ReadResponse(bool head_request) {
  Impl& d = *impl_;
  if (!d.socket.is_open())
    return absl::FailedPreconditionError("not connected");
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(d.options.body_limit);
  parser.header_limit(1024 * 1024);
  if (head_request) parser.skip(true);
  const ErrorCode ec = d.RunWithTimeout([&](auto handler) {
    bhttp::async_read(d.socket, d.buffer, parser, handler);
  });
  if (ec) {
    Close();
    return FromError(ec, "read response");
  }
  auto& msg = parser.get();
  TestResponse out;
  out.status = static_cast<int>(msg.result_int());
  for (const auto& field : msg) {
    out.headers.emplace_back(std::string(field.name_string()),
                             std::string(field.value()));
  }
  out.body = std::move(msg.body());
  if (!msg.keep_alive()) Close();
  return out;
}

absl::StatusOr<std::string> TestHttpClient::ReadUntilClose() {
  Impl& d = *impl_;
  if (!d.socket.is_open())
    return absl::FailedPreconditionError("not connected");
  std::string out(static_cast<const char*>(d.buffer.data().data()),
                  d.buffer.size());
  d.buffer.clear();
  char chunk[4096];
  while (true) {
    size_t n = 0;
    const ErrorCode ec = d.RunWithTimeout([&](auto handler) {
      d.socket.async_read_some(asio::buffer(chunk),
                               [&n, handler](ErrorCode e, size_t got) mutable {
                                 n = got;
                                 handler(e);
                               });
    });
    out.append(chunk, n);
    if (ec == asio::error::eof || ec == asio::error::connection_reset) break;
    if (ec) {
      Close();
      return FromError(ec, "read until close");
    }
  }
  Close();
  return out;
}

absl::Status TestHttpClient::ShutdownWrite() {
  ErrorCode ec;
  impl_->socket.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return FromError(ec, "shutdown");
  return absl::OkStatus();
}

void TestHttpClient::Close() {
  ErrorCode ec;
  if (impl_->socket.is_open()) {
    impl_->socket.shutdown(tcp::socket::shutdown_both, ec);
    impl_->socket.close(ec);
  }
  impl_->buffer.clear();
}

bool TestHttpClient::connected() const { return impl_->socket.is_open(); }

int TestHttpClient::connections_opened() const { return impl_->opened; }

}  // namespace jisr::http
