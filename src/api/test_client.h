// A tiny synchronous HTTP/1.1 client for tests (unit, integration and
// multi-process): one TCP connection kept alive between requests, plus raw
// byte I/O for malformed-input tests. Loopback use only; not for production.
//
// Thread-safety: a TestHttpClient is used by one thread at a time.
#ifndef JISR_API_TEST_CLIENT_H_
#define JISR_API_TEST_CLIENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jisr::http {

using TestHeaders = std::vector<std::pair<std::string, std::string>>;

struct TestResponse {
  int status = 0;
  TestHeaders headers;  // in the order received
  std::string body;

  // Returns the first header named `name` (case-insensitive), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
};

struct TestClientOptions {
  // Each read or write fails with DeadlineExceeded after this long, so a
  // broken server fails a test instead of hanging it. Default 10 s.
  absl::Duration io_timeout = absl::Seconds(10);
  // Largest response body accepted. Default 64 MiB.
  uint64_t body_limit = 64ull * 1024 * 1024;
};

class TestHttpClient {
 public:
  TestHttpClient(std::string host, uint16_t port,
                 TestClientOptions options = {});
  ~TestHttpClient();
  TestHttpClient(const TestHttpClient&) = delete;
  TestHttpClient& operator=(const TestHttpClient&) = delete;

  // Opens the connection if it is not open. Returns Unavailable when the
  // connection is refused or fails.
  absl::Status Connect();

  // Sends one request on the open connection (connecting first if needed)
  // and reads the response. Adds Host, and Content-Length when `body` is
  // non-empty or the method is POST/PUT/PATCH, unless `headers` has them. When
  // the response says "Connection: close" the connection is closed, and the
  // next request opens a new one. Returns Unavailable on connection errors,
  // DeadlineExceeded on io_timeout, DataLoss when the response is malformed.
  absl::StatusOr<TestResponse> Request(std::string_view method,
                                       std::string_view target,
                                       std::string_view body = {},
                                       const TestHeaders& headers = {});

  // Writes `bytes` as they are (connecting first if needed).
  absl::Status SendRaw(std::string_view bytes);
  // Reads one HTTP response from the connection (after SendRaw). HEAD
  // responses need `head_request` so no body is expected.
  absl::StatusOr<TestResponse> ReadResponse(bool head_request = false);
  // Reads until the server closes the connection and returns the bytes
  // (possibly empty). DeadlineExceeded when it does not close in io_timeout.
  absl::StatusOr<std::string> ReadUntilClose();
  // Half-closes the connection (no more writes; reads still work).
  absl::Status ShutdownWrite();

  // Closes the connection (if open).
  void Close();
  bool connected() const;
  // Number of TCP connections this client has opened so far.
  int connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jisr::http

#endif  // JISR_API_TEST_CLIENT_H_
