// Router: maps (method, path) to a named route and its handler. Patterns are
// literal segments and whole-segment parameters ("/api/v1/users/{id}",
// "/api/v1/alerts/{id}/activate"); lookup walks a segment tree (no regex) and
// prefers a literal segment over a parameter, backtracking when the literal
// branch does not lead to a route. HEAD falls back to the GET route.
//
// Thread-safety: Add is not thread-safe; call it while building the router,
// before the server starts. Afterwards the router is immutable and Find,
// Routes and handler may be called from any number of threads.
#ifndef JISR_API_ROUTER_H_
#define JISR_API_ROUTER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "api/http_types.h"

namespace jisr::http {

// The route label used in metrics and logs for requests no route matched.
inline constexpr std::string_view kUnmatchedRoute = "unmatched";

class Router {
 public:
  // One registered route, as returned by Routes().
  struct RouteInfo {
    Method method;
    std::string pattern;  // as given to Add, e.g. "/api/v1/users/{id}"
    std::string name;     // e.g. "users.get"

    friend bool operator==(const RouteInfo&, const RouteInfo&) = default;
  };

  // The outcome of Find.
  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed };
    Kind kind = Kind::kNotFound;
    // Index of the route (valid when kind == kFound); see info()/handler().
    size_t route_index = 0;
    // For kMethodNotAllowed: the Allow header value, e.g. "GET, HEAD, POST".
    std::string allow;
  };

  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registers `handler` for `method` and `pattern` under `route_name`.
  // A pattern starts with '/', has no empty segment (no "//", no trailing
  // '/', except the root "/"), each segment is either literal text (letters,
  // digits and -._~!$&'()*+,;=:@) or a parameter "{name}" filling the whole
  // segment (name: [A-Za-z_][A-Za-z0-9_]*, unique in the pattern, and the same
  // name as other patterns use at that position). `route_name` is non-empty,
  // at most 100 bytes of [A-Za-z0-9_.-] and not "unmatched".
  // Returns InvalidArgument naming the fault for a bad method (kOther), pattern
  // or name, or an empty handler; AlreadyExists when (method, pattern) or the
  // route name is already registered.
  absl::Status Add(Method method, std::string_view pattern,
                   std::string_view route_name, Handler handler);

  // Every registered route, in registration order.
  std::vector<RouteInfo> Routes() const;
  size_t route_count() const;
  const RouteInfo& info(size_t route_index) const;
  const Handler& handler(size_t route_index) const;

  // Looks up `request`'s method and path segments. On kFound sets the
  // request's path parameters and route name. kMethodNotAllowed means the path
  // matches some route but not with this method.
  Match Find(Request& request) const;

 private:
  struct Node;
  struct Route;
  std::unique_ptr<Node> root_;
  std::vector<Route> routes_;
};

}  // namespace jisr::http

#endif  // JISR_API_ROUTER_H_
