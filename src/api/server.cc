// The only translation unit of jisr_http that includes Beast and Asio.
#include "api/server.h"

#include <fmt/format.h>
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
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "api/access_log.h"
#include "api/http_metrics.h"
#include "api/problem.h"
#include "common/ids.h"
#include "common/status.h"

namespace jisr::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

constexpr auto kTok = asio::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 8192;
constexpr std::string_view kGenericInternalDetail =
    "an internal error occurred; it has been logged";

std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

SteadyClock::duration ToSteady(absl::Duration d) {
  return std::chrono::duration_cast<SteadyClock::duration>(
      absl::ToChronoNanoseconds(d));
}

void AppendUint(std::string& out, uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

// "Sun, 06 Nov 1994 08:49:37 GMT", cached per thread for the current second.
std::string_view HttpDate() {
  static constexpr std::array<const char*, 7> kDays = {
      "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun",
      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t cached = -1;
  thread_local char buf[40];
  thread_local size_t len = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    len = fmt::format_to_n(
              buf, sizeof(buf), "{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} GMT",
              kDays[static_cast<size_t>(tm.tm_wday) % 7], tm.tm_mday,
              kMonths[static_cast<size_t>(tm.tm_mon) % 12], tm.tm_year + 1900,
              tm.tm_hour, tm.tm_min, tm.tm_sec)
              .size;
    cached = now;
  }
  return {buf, len};
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9'))
    return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), IsTokenChar);
}

bool IsValidHeaderValue(std::string_view value) {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) return false;
  }
  return true;
}

// Header fields the server owns; a handler may not set them.
bool IsReservedHeader(std::string_view name) {
  for (std::string_view reserved :
       {"content-length", "transfer-encoding", "connection", "date",
        "x-request-id", "content-type", "keep-alive", "upgrade"}) {
    if (EqualsIgnoreCase(name, reserved)) return true;
  }
  return false;
}

// Whether `ec` comes from Beast's HTTP parser (malformed input) as opposed to
// the socket.
bool IsParseError(const ErrorCode& ec) {
  static const ErrorCode kSample =
      bhttp::make_error_code(bhttp::error::bad_target);
  return ec.category() == kSample.category();
}

struct LogException {
  const char* what;
  void operator()(const std::exception_ptr& e) const {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("http: {} ended with an exception: {}", what, ex.what());
    } catch (...) {
      spdlog::error("http: {} ended with an unknown exception", what);
    }
  }
};

class Connection;

// The server whose io thread this is (null on other threads).
thread_local const void* tls_io_server = nullptr;

}  // namespace

struct Server::Impl {
  Impl(ServerOptions opts, const Router* r, metrics::Registry* reg)
      : options(std::move(opts)),
        router(r),
        registry(reg != nullptr ? reg : &private_registry),
        thread_count(
            options.threads != 0
                ? options.threads
                : std::max<size_t>(2, std::thread::hardware_concurrency())),
        io(static_cast<int>(std::min<size_t>(thread_count, 1024))),
        control(asio::make_strand(io)),
        acceptor(control),
        grace_timer(control) {}

  void BeginShutdown();
  void ForceCloseAll();
  void Join();
  bool OnIoThread() const;
  asio::awaitable<void> AcceptLoop();
  void NextRequestId(Request* request);

  ServerOptions options;
  const Router* router;
  metrics::Registry private_registry;
  metrics::Registry* registry;
  std::unique_ptr<HttpMetrics> metrics;
  std::vector<RouteStats*> route_stats;  // by route index
  RouteStats* unmatched = nullptr;
  SteadyClock::duration read_timeout{};
  SteadyClock::duration idle_timeout{};
  SteadyClock::duration grace{};
  SteadyClock::duration linger{};
  size_t thread_count;

  // Asio objects (declared after `io`, so destroyed before it).
  asio::io_context io;
  asio::strand<asio::io_context::executor_type>
      control;  // acceptor, grace timer
  tcp::acceptor acceptor;
  asio::steady_timer grace_timer;

  std::mutex signal_mu;
  std::optional<asio::signal_set> signals;  // guarded by signal_mu

  std::mutex lifecycle_mu;
  bool started = false;  // guarded by lifecycle_mu
  std::mutex join_mu;
  std::vector<std::thread> threads;

  std::atomic<bool> stopping{false};
  std::atomic<uint16_t> port{0};

  std::mutex conn_mu;
  std::unordered_set<Connection*> connections;  // guarded by conn_mu

  char id_prefix[9] = {};
  std::atomic<uint64_t> next_request_id{1};
};

namespace {

// One client connection. Two coroutines run on its strand: Run (read,
// dispatch, write, repeat) and Watchdog (enforces the current deadline by
// cancelling the socket's operations). Deadlines are plain stores on the hot
// path; the timer is re-armed only when a deadline moves earlier.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server::Impl* server, tcp::socket socket)
      : server_(server),
        socket_(std::move(socket)),
        executor_(socket_.get_executor()),
        timer_(executor_) {
    ErrorCode ec;
    const tcp::endpoint remote = socket_.remote_endpoint(ec);
    if (!ec) remote_ = remote.address().to_string();
    server_->metrics->open_connections()->Increment();
    std::lock_guard<std::mutex> lock(server_->conn_mu);
    server_->connections.insert(this);
  }

  ~Connection() {
    server_->metrics->open_connections()->Decrement();
    std::lock_guard<std::mutex> lock(server_->conn_mu);
    server_->connections.erase(this);
    if (server_->stopping.load() && server_->connections.empty()) {
      Server::Impl* s = server_;
      asio::post(s->control, [s] { s->grace_timer.cancel(); });
    }
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start() {
    auto self = shared_from_this();
    asio::co_spawn(
        executor_, [self]() { return self->Run(); },
        LogException{"connection"});
    asio::co_spawn(
        executor_, [self]() { return self->Watchdog(); },
        LogException{"watchdog"});
  }

  // Called with the server's conn_mu held: asks the connection (on its
  // strand) to close if it is idle.
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
  enum class Phase { kIdle, kReading, kHandling, kWriting, kLingering };

  asio::awaitable<void> Run();
  asio::awaitable<void> Serve();
  asio::awaitable<void> Watchdog();
  asio::awaitable<void> AnswerReadError(ErrorCode ec,
                                        SteadyClock::time_point start);
  void Handle(SteadyClock::time_point start);
  void Dispatch();
  void SerializeHead(bool keep_alive, unsigned version);
  void Finish(SteadyClock::time_point start, RouteStats* stats, Method method);

  void SetDeadline(SteadyClock::time_point t) {
    deadline_ = t;
    if (t < armed_) {
      armed_ = t;
      timer_.expires_at(t);  // wakes the watchdog, which re-arms
    }
  }
  void ClearDeadline() { deadline_ = SteadyClock::time_point::max(); }

  void OnShutdown() {
    if (phase_ == Phase::kIdle || phase_ == Phase::kLingering) {
      ErrorCode ec;
      socket_.cancel(ec);
    }
  }

  void Close() {
    closed_ = true;
    ErrorCode ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    timer_.cancel();
  }

  Server::Impl* const server_;
  tcp::socket socket_;
  const asio::any_io_executor executor_;
  asio::steady_timer timer_;
  SteadyClock::time_point deadline_ = SteadyClock::time_point::max();
  SteadyClock::time_point armed_ = SteadyClock::time_point::max();
  bool timed_out_ = false;
  bool closed_ = false;
  Phase phase_ = Phase::kIdle;

  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;
  Response response_;
  RouteStats* stats_ = nullptr;  // of the current request
  bool keep_alive_ = false;
  bool head_request_ = false;
  std::string_view body_view_;  // what is written after head_
  std::string head_;
  std::string log_scratch_;
};

asio::awaitable<void> Connection::Watchdog() {
  while (!closed_) {
    armed_ = deadline_;
    timer_.expires_at(armed_);
    co_await timer_.async_wait(kTok);
    if (closed_) break;
    if (SteadyClock::now() >= deadline_) {
      timed_out_ = true;
      ClearDeadline();
      ErrorCode ec;
      socket_.cancel(ec);
    }
  }
}

asio::awaitable<void> Connection::Run() {
  try {
    co_await Serve();
  } catch (const std::exception& e) {
    spdlog::error("http: connection from {} failed: {}", remote_, e.what());
  }
  Close();
}

asio::awaitable<void> Connection::Serve() {
  const ServerOptions& options = server_->options;
  while (!closed_) {
    if (buffer_.size() == 0) {
      if (server_->stopping.load()) break;
      phase_ = Phase::kIdle;
      SetDeadline(SteadyClock::now() + server_->idle_timeout);
      auto [idle_ec, n] =
          co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kTok);
      if (idle_ec) break;  // idle timeout, shutdown, or the client closed
      buffer_.commit(n);
    }
    phase_ = Phase::kReading;
    const SteadyClock::time_point start = SteadyClock::now();
    SetDeadline(start + server_->read_timeout);
    parser_.emplace();
    parser_->header_limit(options.header_limit);
    parser_->body_limit(options.body_limit);
    auto [ec, unused_header_bytes] =
        co_await bhttp::async_read_header(socket_, buffer_, *parser_, kTok);
    if (!ec && !parser_->is_done()) {
      const auto& msg = parser_->get();
      if (msg.version() >= 11 &&
          EqualsIgnoreCase(Sv(msg[bhttp::field::expect]), "100-continue")) {
        static constexpr std::string_view kContinue =
            "HTTP/1.1 100 Continue\r\n\r\n";
        auto [continue_ec, unused_continue_bytes] =
            co_await asio::async_write(socket_, asio::buffer(kContinue), kTok);
        ec = continue_ec;
      }
      if (!ec) {
        auto [body_ec, unused_body_bytes] =
            co_await bhttp::async_read(socket_, buffer_, *parser_, kTok);
        ec = body_ec;
      }
    }
    if (ec) {
      co_await AnswerReadError(ec, start);
      break;
    }
    ClearDeadline();
    phase_ = Phase::kHandling;
    server_->metrics->in_flight()->Increment();
    Handle(start);
    phase_ = Phase::kWriting;
    SetDeadline(SteadyClock::now() + server_->read_timeout);
    const std::array<asio::const_buffer, 2> buffers = {
        asio::buffer(head_),
        asio::buffer(body_view_.data(), body_view_.size())};
    auto [write_ec, unused_written] =
        co_await asio::async_write(socket_, buffers, kTok);
    server_->metrics->in_flight()->Decrement();
    Finish(start, stats_, request_.method());
    if (write_ec || !keep_alive_) break;
  }
}

// Answers a request that could not be read (408/413/431/400) and closes, or
// closes silently when the client went away.
asio::awaitable<void> Connection::AnswerReadError(
    ErrorCode ec, SteadyClock::time_point start) {
  const ServerOptions& options = server_->options;
  if (timed_out_ && phase_ == Phase::kReading) {
    response_ =
        MakeProblem(408, "request-timeout",
                    fmt::format("the request was not received within {}",
                                absl::FormatDuration(options.read_timeout)));
  } else if (ec == bhttp::error::body_limit) {
    response_ = MakeProblem(
        413, "payload-too-large",
        fmt::format("the request body exceeds the limit of {} bytes",
                    options.body_limit));
  } else if (ec == bhttp::error::header_limit ||
             ec == bhttp::error::buffer_overflow) {
    response_ = MakeProblem(
        431, "header-fields-too-large",
        fmt::format("the request line and header fields exceed the limit of "
                    "{} bytes",
                    options.header_limit));
  } else if (IsParseError(ec) && ec != bhttp::error::end_of_stream &&
             ec != bhttp::error::partial_message) {
    response_ =
        MakeProblem(400, "malformed-request",
                    fmt::format("malformed HTTP request: {}", ec.message()));
  } else {
    co_return;  // socket error, end of stream, cancelled by shutdown
  }
  // What is known of the request, for the log and the metrics.
  request_.Reset();
  if (parser_ && parser_->is_header_done()) {
    const auto& msg = parser_->get();
    request_.SetMethod(Sv(msg.method_string()));
    (void)request_.SetTarget(
        Sv(msg.target()));  // path for the log only; errors ignored
  } else {
    request_.SetMethod("");
  }
  request_.set_remote_address(remote_);
  server_->NextRequestId(&request_);
  keep_alive_ = false;
  head_request_ = request_.method() == Method::kHead;
  stats_ = server_->unmatched;
  SerializeHead(/*keep_alive=*/false, 11);
  phase_ = Phase::kWriting;
  timed_out_ = false;
  SetDeadline(SteadyClock::now() + server_->read_timeout);
  const std::array<asio::const_buffer, 2> buffers = {
      asio::buffer(head_), asio::buffer(body_view_.data(), body_view_.size())};
  auto [write_ec, unused_written] =
      co_await asio::async_write(socket_, buffers, kTok);
  Finish(start, stats_, request_.method());
  if (write_ec || server_->stopping.load()) co_return;
  // Lingering close: stop sending, then read and discard what the client is
  // still sending (e.g. the rest of an oversized body) for a while, so that
  // closing with unread data does not reset the connection before the client
  // has read our answer.
  ErrorCode shutdown_ec;
  socket_.shutdown(tcp::socket::shutdown_send, shutdown_ec);
  phase_ = Phase::kLingering;
  SetDeadline(SteadyClock::now() + server_->linger);
  while (!closed_) {
    buffer_.clear();
    auto [drain_ec, n] =
        co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kTok);
    if (drain_ec) break;
  }
}

void Connection::Handle(SteadyClock::time_point start) {
  (void)start;
  auto& msg = parser_->get();
  request_.Reset();
  request_.SetMethod(Sv(msg.method_string()));
  request_.set_remote_address(remote_);
  server_->NextRequestId(&request_);
  for (const auto& field : msg)
    request_.AddHeader(Sv(field.name_string()), Sv(field.value()));
  request_.mutable_body().swap(msg.body());
  head_request_ = request_.method() == Method::kHead;
  stats_ = server_->unmatched;
  const absl::Status target_status = request_.SetTarget(Sv(msg.target()));
  bool malformed = true;  // HTTP-level errors close the connection
  if (msg.version() >= 11 && msg.find(bhttp::field::host) == msg.end()) {
    response_ = MakeProblem(400, "malformed-request",
                            "an HTTP/1.1 request needs a Host header");
  } else if (!target_status.ok()) {
    response_ = MakeProblem(400, "malformed-request",
                            FromAbsl(target_status.message()));
  } else if (!msg.chunked() &&
             msg.find(bhttp::field::transfer_encoding) != msg.end()) {
    // RFC 9112 §6.3: a request whose final transfer coding is not chunked
    // cannot be framed.
    response_ =
        MakeProblem(400, "malformed-request",
                    "unsupported Transfer-Encoding (only chunked is accepted)");
  } else {
    malformed = false;
    Dispatch();
  }
  keep_alive_ = !malformed && msg.keep_alive() && !server_->stopping.load();
  SerializeHead(keep_alive_, msg.version());
}

void Connection::Dispatch() {
  const Router& router = *server_->router;
  Router::Match match = router.Find(request_);
  switch (match.kind) {
    case Router::Match::Kind::kNotFound:
      response_ = MakeProblem(
          404, "route-not-found",
          fmt::format("no resource at path \"{}\"", request_.path()));
      return;
    case Router::Match::Kind::kMethodNotAllowed:
      response_ =
          MakeProblem(405, "method-not-allowed",
                      fmt::format("method {} is not allowed here; allowed: {}",
                                  request_.method_name(), match.allow));
      response_.AddHeader("Allow", match.allow);
      return;
    case Router::Match::Kind::kFound:
      break;
  }
  stats_ = server_->route_stats[match.route_index];
  try {
    response_ = router.handler(match.route_index)(request_);
  } catch (const std::exception& e) {
    spdlog::error("http: handler of route {} threw (request {}): {}",
                  request_.route_name(), request_.request_id(), e.what());
    response_ =
        MakeProblem(500, "internal", kGenericInternalDetail, "Internal error");
  } catch (...) {
    spdlog::error(
        "http: handler of route {} threw a non-standard exception (request {})",
        request_.route_name(), request_.request_id());
    response_ =
        MakeProblem(500, "internal", kGenericInternalDetail, "Internal error");
  }
  if (response_.status < 200 || response_.status > 599) {
    spdlog::error(
        "http: handler of route {} returned invalid status {} (request {})",
        request_.route_name(), response_.status, request_.request_id());
    response_ =
        MakeProblem(500, "internal", kGenericInternalDetail, "Internal error");
  }
}

void Connection::SerializeHead(bool keep_alive, unsigned version) {
  const Response& r = response_;
  const bool no_body = r.status == 204 || r.status == 304;
  body_view_ = (no_body || head_request_) ? std::string_view()
                                          : std::string_view(r.body);
  std::string& h = head_;
  h.clear();
  h.append("HTTP/1.1 ");
  AppendUint(h, static_cast<uint64_t>(r.status));
  h.push_back(' ');
  h.append(ReasonPhrase(r.status));
  h.append("\r\n");
  if (!r.content_type.empty() && !no_body) {
    if (IsValidHeaderValue(r.content_type)) {
      h.append("Content-Type: ").append(r.content_type).append("\r\n");
    } else {
      spdlog::error("http: route {} set an invalid Content-Type; dropped",
                    request_.route_name());
    }
  }
  if (!no_body) {
    h.append("Content-Length: ");
    AppendUint(h, r.body.size());
    h.append("\r\n");
  }
  h.append("Date: ").append(HttpDate()).append("\r\n");
  h.append("X-Request-Id: ").append(request_.request_id()).append("\r\n");
  h.append("X-Content-Type-Options: nosniff\r\n");
  bool has_cache_control = false;
  bool has_frame_options = false;
  bool has_referrer_policy = false;
  for (const auto& [name, value] : r.headers) {
    if (!IsValidHeaderName(name) || !IsValidHeaderValue(value) ||
        IsReservedHeader(name) ||
        EqualsIgnoreCase(name, "x-content-type-options")) {
      spdlog::error(
          "http: route {} set a header that is invalid or reserved (\"{}\"); "
          "dropped",
          request_.route_name(), name);
      continue;
    }
    has_cache_control |= EqualsIgnoreCase(name, "cache-control");
    has_frame_options |= EqualsIgnoreCase(name, "x-frame-options");
    has_referrer_policy |= EqualsIgnoreCase(name, "referrer-policy");
    h.append(name).append(": ").append(value).append("\r\n");
  }
  if (!has_cache_control) h.append("Cache-Control: no-store\r\n");
  if (!has_frame_options) h.append("X-Frame-Options: DENY\r\n");
  if (!has_referrer_policy) h.append("Referrer-Policy: no-referrer\r\n");
  if (!keep_alive) {
    h.append("Connection: close\r\n");
  } else if (version < 11) {
    h.append("Connection: keep-alive\r\n");
  }
  h.append("\r\n");
}

void Connection::Finish(SteadyClock::time_point start, RouteStats* stats,
                        Method method) {
  const double seconds =
      std::chrono::duration<double>(SteadyClock::now() - start).count();
  server_->metrics->Record(stats, method, response_.status, seconds);
  if (!server_->options.access_log) return;
  AccessLogEntry entry;
  entry.time = absl::Now();
  entry.request_id = request_.request_id();
  entry.remote = remote_;
  entry.method = request_.method_name();
  entry.path = request_.path();
  entry.route = stats->route();
  entry.status = response_.status;
  entry.bytes = body_view_.size();
  entry.duration_ms = seconds * 1000.0;
  entry.user = request_.user();
  WriteAccessLog(entry, &log_scratch_);
}

}  // namespace

// ---- Server::Impl
// ------------------------------------------------------------

void Server::Impl::NextRequestId(Request* request) {
  char buf[32];
  std::memcpy(buf, id_prefix, 8);
  buf[8] = '-';
  const uint64_t n = next_request_id.fetch_add(1, std::memory_order_relaxed);
  const auto r = std::to_chars(buf + 9, buf + sizeof(buf), n, 16);
  request->set_request_id(
      std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

asio::awaitable<void> Server::Impl::AcceptLoop() {
  while (acceptor.is_open()) {
    tcp::socket socket(asio::make_strand(io));
    auto [ec] = co_await acceptor.async_accept(socket, kTok);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
      // E.g. out of file descriptors: back off instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
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
    metrics->connections_accepted()->Increment();
    ErrorCode opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    std::make_shared<Connection>(this, std::move(socket))->Start();
  }
}

void Server::Impl::BeginShutdown() {
  if (stopping.exchange(true)) return;
  spdlog::info("http: shutting down (grace {})",
               absl::FormatDuration(options.shutdown_grace));
  {
    std::lock_guard<std::mutex> lock(signal_mu);
    if (signals) {
      ErrorCode ec;
      signals->cancel(ec);
    }
  }
  asio::post(control, [this] {
    ErrorCode ec;
    acceptor.close(ec);
    std::lock_guard<std::mutex> lock(conn_mu);
    if (!connections.empty()) {
      grace_timer.expires_after(grace);
      grace_timer.async_wait(
          asio::bind_executor(control, [this](ErrorCode wait_ec) {
            if (!wait_ec) ForceCloseAll();
          }));
    }
  });
  std::lock_guard<std::mutex> lock(conn_mu);
  for (Connection* c : connections) c->PostShutdown();
}

void Server::Impl::ForceCloseAll() {
  std::lock_guard<std::mutex> lock(conn_mu);
  if (!connections.empty()) {
    spdlog::warn("http: shutdown grace over; closing {} connection(s)",
                 connections.size());
  }
  for (Connection* c : connections) c->PostForceClose();
}

bool Server::Impl::OnIoThread() const { return tls_io_server == this; }

void Server::Impl::Join() {
  if (OnIoThread()) return;
  std::lock_guard<std::mutex> lock(join_mu);
  for (std::thread& t : threads) {
    if (t.joinable()) t.join();
  }
}

// ---- Server
// ------------------------------------------------------------------

Server::Server(ServerOptions options, const Router* router,
               metrics::Registry* registry)
    : impl_(std::make_unique<Impl>(std::move(options), router, registry)) {}

Server::~Server() { Stop(); }

absl::Status Server::Start() {
  Impl& d = *impl_;
  std::lock_guard<std::mutex> lock(d.lifecycle_mu);
  if (d.started)
    return absl::FailedPreconditionError("the HTTP server is already started");
  const ServerOptions& o = d.options;
  if (d.router == nullptr)
    return absl::InvalidArgumentError("the HTTP server needs a router");
  if (o.body_limit == 0)
    return absl::InvalidArgumentError("body_limit must be positive");
  if (o.header_limit < 256)
    return absl::InvalidArgumentError("header_limit must be >= 256 bytes");
  if (o.read_timeout <= absl::ZeroDuration() ||
      o.idle_timeout <= absl::ZeroDuration() ||
      o.shutdown_grace < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "read_timeout and idle_timeout must be positive and shutdown_grace not "
        "negative");
  }
  if (o.backlog <= 0)
    return absl::InvalidArgumentError("backlog must be positive");
  if (o.threads > 1024)
    return absl::InvalidArgumentError("threads must be at most 1024");

  JISR_ASSIGN_OR_RETURN(d.metrics, HttpMetrics::Create(d.registry));
  d.route_stats.clear();
  for (size_t i = 0; i < d.router->route_count(); ++i) {
    d.route_stats.push_back(d.metrics->ForRoute(d.router->info(i).name));
  }
  d.unmatched = d.metrics->ForRoute(kUnmatchedRoute);
  d.read_timeout = ToSteady(o.read_timeout);
  d.idle_timeout = ToSteady(o.idle_timeout);
  d.grace = ToSteady(o.shutdown_grace);
  d.linger = std::min(d.read_timeout, ToSteady(absl::Seconds(5)));

  ErrorCode ec;
  tcp::endpoint endpoint;
  const asio::ip::address address = asio::ip::make_address(o.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, o.port);
  } else {
    tcp::resolver resolver(d.io);
    const auto results = resolver.resolve(
        o.host, std::to_string(o.port),
        tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
      return absl::InvalidArgumentError(
          fmt::format("cannot resolve listen host \"{}\": {}", o.host,
                      ec ? ec.message() : "no address"));
    }
    endpoint = results.begin()->endpoint();
  }
  const auto fail = [&](std::string_view what) {
    ErrorCode close_ec;
    d.acceptor.close(close_ec);
    return absl::UnavailableError(
        fmt::format("cannot listen on {}:{}: {} failed: {}", o.host, o.port,
                    what, ec.message()));
  };
  d.acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  d.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) return fail("setsockopt");
  d.acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  d.acceptor.listen(o.backlog, ec);
  if (ec) return fail("listen");
  d.port = d.acceptor.local_endpoint(ec).port();

  const std::string prefix = ToHex(RandomBytes(4));
  std::memcpy(d.id_prefix, prefix.data(), 8);

  asio::co_spawn(d.control, d.AcceptLoop(), LogException{"accept loop"});
  const size_t n = d.thread_count;
  d.started = true;
  d.threads.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    d.threads.emplace_back([&d] {
      tls_io_server = &d;
      while (true) {
        try {
          d.io.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("http: io thread caught an exception: {}", e.what());
        } catch (...) {
          spdlog::error("http: io thread caught a non-standard exception");
        }
      }
    });
  }
  spdlog::info("http: listening on {}:{} with {} io threads",
               endpoint.address().to_string(), d.port.load(), n);
  return absl::OkStatus();
}

uint16_t Server::port() const { return impl_->port.load(); }

bool Server::stopping() const { return impl_->stopping.load(); }

void Server::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->lifecycle_mu);
    if (!impl_->started) return;
  }
  impl_->BeginShutdown();
  impl_->Join();
}

void Server::Wait() {
  {
    std::lock_guard<std::mutex> lock(impl_->lifecycle_mu);
    if (!impl_->started) return;
  }
  impl_->Join();
}

absl::Status Server::RunUntilSignal() {
  Impl& d = *impl_;
  // Install the handler first, so that once port() is non-zero (when this
  // call starts the server) signals are already handled.
  {
    std::lock_guard<std::mutex> lock(d.signal_mu);
    if (!d.stopping.load() && !d.signals) {
      d.signals.emplace(d.io, SIGTERM, SIGINT);
      d.signals->async_wait(
          asio::bind_executor(d.control, [&d](ErrorCode ec, int signal_number) {
            if (ec) return;
            spdlog::info("http: received signal {}", signal_number);
            d.BeginShutdown();
          }));
    }
  }
  bool started;
  {
    std::lock_guard<std::mutex> lock(d.lifecycle_mu);
    started = d.started;
  }
  if (!started) {
    if (absl::Status s = Start();
        !s.ok() && s.code() != absl::StatusCode::kFailedPrecondition) {
      std::lock_guard<std::mutex> lock(d.signal_mu);
      d.signals.reset();
      return s;
    }
  }
  d.Join();
  std::lock_guard<std::mutex> lock(d.signal_mu);
  d.signals.reset();
  return absl::OkStatus();
}

}  // namespace jisr::http
