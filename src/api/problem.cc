#include "api/problem.h"

#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "common/status.h"

namespace jisr::http {
namespace {

struct CodeInfo {
  std::string_view slug;
  std::string_view title;
};

CodeInfo InfoFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return {"invalid-argument", "Invalid argument"};
    case absl::StatusCode::kOutOfRange:
      return {"out-of-range", "Out of range"};
    case absl::StatusCode::kNotFound:
      return {"not-found", "Not found"};
    case absl::StatusCode::kAlreadyExists:
      return {"already-exists", "Already exists"};
    case absl::StatusCode::kFailedPrecondition:
      return {"failed-precondition", "Failed precondition"};
    case absl::StatusCode::kAborted:
      return {"aborted", "Conflict, try again"};
    case absl::StatusCode::kPermissionDenied:
      return {"permission-denied", "Permission denied"};
    case absl::StatusCode::kUnauthenticated:
      return {"unauthenticated", "Authentication required"};
    case absl::StatusCode::kResourceExhausted:
      return {"resource-exhausted", "Too many requests"};
    case absl::StatusCode::kUnavailable:
      return {"unavailable", "Service unavailable"};
    case absl::StatusCode::kDeadlineExceeded:
      return {"deadline-exceeded", "Deadline exceeded"};
    case absl::StatusCode::kUnimplemented:
      return {"unimplemented", "Not implemented"};
    default:
      return {"internal", "Internal error"};
  }
}

}  // namespace

int HttpStatusFromCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kFailedPrecondition:
      return 409;
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kUnimplemented:
      return 501;
    default:
      return 500;
  }
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Content";
    case 423:
      return "Locked";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown Status";
  }
}

Response MakeProblem(int http_status, std::string_view type_slug,
                     std::string_view detail, std::string_view title,
                     std::optional<std::string_view> field,
                     std::string_view instance) {
  boost::json::object body;
  body.reserve(6);
  std::string type = "urn:jisr:problem:";
  type.append(type_slug);
  body.emplace("type", type);
  body.emplace("title", title.empty() ? ReasonPhrase(http_status) : title);
  body.emplace("status", http_status);
  body.emplace("detail", detail);
  if (!instance.empty()) body.emplace("instance", instance);
  if (field.has_value()) body.emplace("field", *field);
  Response response;
  response.status = http_status;
  response.content_type = std::string(kProblemContentType);
  response.body = boost::json::serialize(body);
  return response;
}

Response ProblemFromStatus(const absl::Status& status,
                           std::string_view instance) {
  const int http_status = status.ok() ? 500 : HttpStatusFromCode(status.code());
  const CodeInfo info =
      InfoFor(status.ok() ? absl::StatusCode::kInternal : status.code());
  if (http_status == 500) {
    // Internal errors may carry file names, SQL or other internals: log them,
    // answer with a generic detail.
    spdlog::error("internal error answered as 500 ({}): {}",
                  status.ok()
                      ? std::string("OK status passed as an error")
                      : std::string(absl::StatusCodeToString(status.code())),
                  std::string(status.message()));
    return MakeProblem(500, info.slug,
                       "an internal error occurred; it has been logged",
                       info.title, std::nullopt, instance);
  }
  const std::optional<std::string> field = FieldOf(status);
  Response response = MakeProblem(
      http_status, info.slug, FromAbsl(status.message()), info.title,
      field ? std::optional<std::string_view>(*field) : std::nullopt, instance);
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    response.AddHeader("WWW-Authenticate", "Bearer");
  }
  return response;
}

Response JsonResponse(int http_status, const boost::json::value& body) {
  Response response;
  response.status = http_status;
  response.body = boost::json::serialize(body);
  return response;
}

}  // namespace jisr::http
