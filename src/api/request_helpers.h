// Helpers every REST handler uses, so the routes of all modules read requests
// the same way: bearer-token authentication, the X-Purpose header, JSON
// bodies, integer query parameters, and handlers written as StatusOr.
//
// Thread-safety: stateless functions; safe from any io thread.
#ifndef JISR_API_REQUEST_HELPERS_H_
#define JISR_API_REQUEST_HELPERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/object.hpp>

#include "absl/status/statusor.h"
#include "api/http_types.h"
#include "api/problem.h"
#include "security/policy.h"
#include "security/session_service.h"

namespace jisr::api {

// The longest X-Purpose accepted, in bytes.
inline constexpr size_t kMaxPurposeBytes = 2000;

// Returns the principal of the request's `Authorization: Bearer <token>` and
// names the user in the access log. Errors: Unauthenticated when the header
// is missing or malformed, or the token is unknown or expired.
absl::StatusOr<security::Principal> Authenticate(security::SessionService& sessions,
                                                 http::Request& req);

// Returns the purpose stated in X-Purpose ("" when absent); a value
// utf-8''<percent-encoded UTF-8> (RFC 8187, what browsers send for non-ASCII
// text) is decoded. Errors: InvalidArgument naming "X-Purpose" when it is
// longer than kMaxPurposeBytes or its percent-encoding is malformed.
absl::StatusOr<std::string> Purpose(const http::Request& req);

// Returns the body parsed as a JSON object. Errors: InvalidArgument for an
// empty body, malformed JSON (line and column) or a non-object.
absl::StatusOr<boost::json::object> Body(const http::Request& req);

// Returns query parameter `name` as an integer in [min, max], or nullopt when
// absent. Errors: InvalidArgument naming `name` otherwise.
absl::StatusOr<std::optional<int64_t>> IntParam(const http::Request& req,
                                                std::string_view name, int64_t min,
                                                int64_t max);

// Who calls and the purpose they state.
struct Caller {
  security::Principal who;
  std::string purpose;
};
// Authenticate + Purpose. Errors: theirs.
absl::StatusOr<Caller> AuthenticateWithPurpose(security::SessionService& sessions,
                                               http::Request& req);

// The path parameter `name`, "" when absent.
std::string PathParam(const http::Request& req, std::string_view name);

// Query parameters page (default 1, 1..1000000) and page_size (default
// `default_size`, 1..max_size), as {page, page_size}. Errors:
// InvalidArgument naming the parameter.
absl::StatusOr<std::pair<int64_t, int64_t>> PageParams(const http::Request& req,
                                                       int64_t max_size,
                                                       int64_t default_size = 50);

// 201 with `o` as JSON and Location: `location`.
http::Response CreatedResponse(const boost::json::object& o, std::string_view location);

// Turns `f` (Request& -> StatusOr<Response>) into a Handler whose errors are
// problem+json naming the request path.
template <typename F>
http::Handler Wrap(F f) {
  return [f = std::move(f)](http::Request& req) -> http::Response {
    absl::StatusOr<http::Response> r = f(req);
    if (!r.ok()) return http::ProblemFromStatus(r.status(), req.path());
    return *std::move(r);
  };
}

}  // namespace jisr::api

#endif  // JISR_API_REQUEST_HELPERS_H_
