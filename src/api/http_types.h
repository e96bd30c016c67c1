// Plain HTTP types handed to route handlers: Method, ParamList, Request and
// Response, plus the Handler signature. Nothing here depends on Beast or Asio,
// so handler code and its tests compile without them.
//
// Thread-safety: a Request or Response is owned by one thread at a time (the
// io thread running the handler); none of these types is internally locked.
#ifndef JISR_API_HTTP_TYPES_H_
#define JISR_API_HTTP_TYPES_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace jisr::http {

// The request methods the router knows. Anything else parses as kOther (it
// never matches a route; a known path answers 405 to it).
enum class Method : uint8_t {
  kGet = 0,
  kHead,
  kPost,
  kPut,
  kPatch,
  kDelete,
  kOptions,
  kOther,
};
inline constexpr size_t kMethodCount = 8;

// Returns "GET", "HEAD", ... and "OTHER" for kOther.
std::string_view MethodName(Method method);
// Returns the Method for an upper-case method token ("GET" → kGet); methods
// are case-sensitive (RFC 9110 §9.1), so "get" gives kOther.
Method ParseMethod(std::string_view name);

// Returns true when `a` and `b` are equal ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// An ordered list of name/value pairs (headers, query or path parameters)
// that keeps its strings' storage across Clear(), so a connection reusing one
// Request does not allocate for every request.
class ParamList {
 public:
  using Entry = std::pair<std::string, std::string>;

  // Forgets every entry (storage is kept for reuse).
  void Clear() noexcept { size_ = 0; }
  // Appends one entry (duplicates allowed; order is kept).
  void Add(std::string_view name, std::string_view value);
  // Appends an entry with empty name and value and returns it to be filled.
  Entry& AddEmpty();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const Entry> entries() const { return {items_.data(), size_}; }

  // Returns the value of the first entry named exactly `name`, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Same, comparing names ignoring ASCII case (for header names).
  std::optional<std::string_view> GetIgnoreCase(std::string_view name) const;
  // Returns the values of every entry named exactly `name`, in order.
  std::vector<std::string_view> GetAll(std::string_view name) const;

 private:
  std::vector<Entry> items_;
  size_t size_ = 0;
};

// One HTTP request as a handler sees it. The server fills it; tests of
// handlers can build one with the setters. String accessors return views or
// references valid until the Request is changed or destroyed.
class Request {
 public:
  Request() = default;
  Request(const Request&) = default;
  Request& operator=(const Request&) = default;
  Request(Request&&) = default;
  Request& operator=(Request&&) = default;

  // --- what the client sent ---------------------------------------------
  Method method() const { return method_; }
  // The method token as sent ("GET", or e.g. "PROPFIND" for kOther).
  const std::string& method_name() const { return method_name_; }
  // The percent-decoded path without the query, e.g. "/api/v1/users/a b".
  const std::string& path() const { return path_; }
  // The request target exactly as received (path and query, still encoded).
  // It may hold secrets in its query: never log it.
  const std::string& target() const { return target_; }
  // Query parameters, percent-decoded ('+' is a space), in order; a key may
  // repeat; "?flag" gives ("flag", "").
  const ParamList& query() const { return query_; }
  // Returns the first value of query parameter `key`, or nullopt.
  std::optional<std::string_view> Query(std::string_view key) const {
    return query_.Get(key);
  }
  // Returns every value of query parameter `key`, in order.
  std::vector<std::string_view> QueryAll(std::string_view key) const {
    return query_.GetAll(key);
  }
  // Path parameters captured by the route pattern ("{id}" → "id").
  const ParamList& path_params() const { return path_params_; }
  // Returns the decoded value of path parameter `name`, or nullopt.
  std::optional<std::string_view> PathParam(std::string_view name) const {
    return path_params_.Get(name);
  }
  // Header fields in the order received (names as sent).
  const ParamList& headers() const { return headers_; }
  // Returns the first value of header `name` (case-insensitive), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const {
    return headers_.GetIgnoreCase(name);
  }
  const std::string& body() const { return body_; }
  // The client's IP address in text form ("127.0.0.1", "::1").
  const std::string& remote_address() const { return remote_address_; }
  // The id the server gave this request (also sent back as X-Request-Id).
  const std::string& request_id() const { return request_id_; }
  // The matched route's name ("" before routing or when nothing matched).
  const std::string& route_name() const { return route_name_; }
  // The path's decoded segments ("/a/b%2Fc" → "a", "b/c"); "/" has none.
  size_t segment_count() const { return segments_.size(); }
  std::string_view segment(size_t i) const {
    return std::string_view(path_).substr(segments_[i].first,
                                          segments_[i].second);
  }

  // --- set by handlers ----------------------------------------------------
  // The authenticated user (username or id) for the access log; the auth
  // layer sets it. Empty means anonymous.
  const std::string& user() const { return user_; }
  void set_user(std::string_view user) { user_.assign(user); }

  // --- builders (the server; handler tests) --------------------------------
  // Clears every field, keeping storage for reuse.
  void Reset();
  // Sets the method from its token.
  void SetMethod(std::string_view name);
  // Parses `target` (origin-form "/p?q" or absolute-form "http://h/p?q") with
  // Boost.URL into target(), path(), the segments and query(). On failure
  // returns InvalidArgument naming the problem (malformed target, bad
  // percent-encoding, NUL byte) and leaves path and query empty.
  absl::Status SetTarget(std::string_view target);
  void AddHeader(std::string_view name, std::string_view value) {
    headers_.Add(name, value);
  }
  void AddPathParam(std::string_view name, std::string_view value) {
    path_params_.Add(name, value);
  }
  void set_body(std::string body) { body_ = std::move(body); }
  std::string& mutable_body() { return body_; }
  void set_remote_address(std::string_view address) {
    remote_address_.assign(address);
  }
  void set_request_id(std::string_view id) { request_id_.assign(id); }
  void set_route_name(std::string_view name) { route_name_.assign(name); }
  ParamList& mutable_path_params() { return path_params_; }

 private:
  Method method_ = Method::kGet;
  std::string method_name_ = "GET";
  std::string target_;
  std::string path_;
  std::vector<std::pair<uint32_t, uint32_t>>
      segments_;  // (offset, length) in path_
  ParamList query_;
  ParamList path_params_;
  ParamList headers_;
  std::string body_;
  std::string remote_address_;
  std::string request_id_;
  std::string route_name_;
  std::string user_;
};

// Content types used across the API.
inline constexpr std::string_view kJsonContentType = "application/json";
inline constexpr std::string_view kProblemContentType =
    "application/problem+json";

// One HTTP response. The server adds Content-Length, Date, X-Request-Id,
// Connection, X-Content-Type-Options: nosniff, and (unless `headers` already
// sets them) Cache-Control: no-store, X-Frame-Options: DENY and
// Referrer-Policy: no-referrer.
struct Response {
  // HTTP status code, 200–599 (anything else is answered as 500).
  int status = 200;
  // Content-Type header value; empty sends none (e.g. for 204).
  std::string content_type = std::string(kJsonContentType);
  // Response body (not sent for HEAD requests, 204 and 304).
  std::string body;
  // Extra header fields. Names must be HTTP tokens and values free of CR, LF
  // and NUL; the server drops (and logs) any that are not, and any that set
  // Content-Length, Transfer-Encoding, Connection, Date or X-Request-Id.
  std::vector<std::pair<std::string, std::string>> headers;

  // Appends an extra header.
  void AddHeader(std::string_view name, std::string_view value) {
    headers.emplace_back(std::string(name), std::string(value));
  }
  // Returns the first extra header named `name` (case-insensitive), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
};

// A route handler: runs synchronously on an io thread (it may block briefly,
// e.g. on the database). It should not throw; if it does, the server answers
// 500 problem+json and logs the exception.
using Handler = std::function<Response(Request&)>;

}  // namespace jisr::http

#endif  // JISR_API_HTTP_TYPES_H_
