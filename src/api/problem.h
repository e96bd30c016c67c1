// RFC 9457 problem details (application/problem+json) and JSON responses, and
// the ONE place that maps absl::StatusCode to an HTTP status.
//
// A problem body is {"type", "title", "status", "detail"[, "instance"][,
// "field"]}. Types are URNs "urn:jisr:problem:<slug>":
//   from a Status:  invalid-argument, out-of-range, not-found, already-exists,
//                   failed-precondition, aborted, permission-denied,
//                   unauthenticated, resource-exhausted, unavailable,
//                   deadline-exceeded, unimplemented, internal
//   from the HTTP layer: malformed-request, route-not-found,
//                   method-not-allowed, payload-too-large,
//                   header-fields-too-large, request-timeout, not-ready
//
// Thread-safety: stateless functions; safe from any thread.
#ifndef JISR_API_PROBLEM_H_
#define JISR_API_PROBLEM_H_

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "api/http_types.h"

namespace jisr::http {

// Returns the HTTP status for `code`: OK 200; InvalidArgument 400;
// OutOfRange 400; NotFound 404; AlreadyExists 409; FailedPrecondition 409;
// Aborted 409; PermissionDenied 403; Unauthenticated 401; ResourceExhausted
// 429; Unavailable 503; DeadlineExceeded 504; Unimplemented 501; every other
// code 500.
int HttpStatusFromCode(absl::StatusCode code);

// Returns the standard reason phrase for `status` ("Not Found"), or
// "Unknown Status" for a code without one.
std::string_view ReasonPhrase(int status);

// Returns a problem+json response for a non-OK `status`: HTTP status from
// HttpStatusFromCode, `detail` = the status message, `field` =
// jisr::FieldOf(status) when present, `instance` when non-empty.
// Unauthenticated adds "WWW-Authenticate: Bearer". For codes answered with
// 500 (and for an OK status, which is a caller bug) the detail is a generic
// text and the real message is logged at error level instead of being sent.
Response ProblemFromStatus(const absl::Status& status,
                           std::string_view instance = {});

// Returns a problem+json response with the given members; `type_slug` is the
// part after "urn:jisr:problem:"; `title` empty means ReasonPhrase(status).
Response MakeProblem(int http_status, std::string_view type_slug,
                     std::string_view detail, std::string_view title = {},
                     std::optional<std::string_view> field = std::nullopt,
                     std::string_view instance = {});

// Returns a response with content type application/json and `body`
// serialized compactly.
Response JsonResponse(int http_status, const boost::json::value& body);

}  // namespace jisr::http

#endif  // JISR_API_PROBLEM_H_
