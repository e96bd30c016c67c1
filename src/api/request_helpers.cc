#include "api/request_helpers.h"

#include <charconv>

#include <fmt/format.h>

#include "common/json.h"
#include "common/status.h"

namespace jisr::api {

absl::StatusOr<security::Principal> Authenticate(security::SessionService& sessions,
                                                 http::Request& req) {
  const std::optional<std::string_view> header = req.Header("Authorization");
  if (!header) return absl::UnauthenticatedError("missing Authorization: Bearer token");
  constexpr std::string_view kScheme = "bearer ";
  if (header->size() <= kScheme.size() ||
      !http::EqualsIgnoreCase(header->substr(0, kScheme.size()), kScheme)) {
    return absl::UnauthenticatedError("the Authorization header must be \"Bearer <token>\"");
  }
  absl::StatusOr<security::Principal> who = sessions.Authenticate(header->substr(kScheme.size()));
  if (who.ok()) req.set_user(who->username);
  return who;
}

absl::StatusOr<std::string> Purpose(const http::Request& req) {
  const std::optional<std::string_view> p = req.Header("X-Purpose");
  if (!p) return std::string();
  if (p->size() > kMaxPurposeBytes) {
    return InvalidField("X-Purpose",
                        fmt::format("X-Purpose is longer than {} bytes", kMaxPurposeBytes));
  }
  // Browsers put only ISO-8859-1 in header values: other text (Arabic,
  // accents) comes as an RFC 8187 extended value, utf-8''<percent-encoded>.
  constexpr std::string_view kExtended = "utf-8''";
  if (p->size() >= kExtended.size() &&
      http::EqualsIgnoreCase(p->substr(0, kExtended.size()), kExtended)) {
    const auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    std::string out;
    for (size_t i = kExtended.size(); i < p->size(); ++i) {
      if ((*p)[i] != '%') {
        out.push_back((*p)[i]);
        continue;
      }
      if (i + 2 >= p->size() || hex((*p)[i + 1]) < 0 || hex((*p)[i + 2]) < 0) {
        return InvalidField("X-Purpose", "X-Purpose has a malformed percent-encoding");
      }
      out.push_back(static_cast<char>(hex((*p)[i + 1]) * 16 + hex((*p)[i + 2])));
      i += 2;
    }
    return out;  // UTF-8 and control characters are checked with the purpose
  }
  return std::string(*p);
}

absl::StatusOr<boost::json::object> Body(const http::Request& req) {
  if (req.body().empty()) return absl::InvalidArgumentError("the request body is empty");
  return ParseJsonObject(req.body());
}

absl::StatusOr<std::optional<int64_t>> IntParam(const http::Request& req,
                                                std::string_view name, int64_t min,
                                                int64_t max) {
  const std::optional<std::string_view> text = req.Query(name);
  if (!text) return std::nullopt;
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size() || v < min || v > max) {
    return InvalidField(name, fmt::format("{} must be an integer from {} to {}", name, min, max));
  }
  return v;
}

absl::StatusOr<Caller> AuthenticateWithPurpose(security::SessionService& sessions,
                                               http::Request& req) {
  Caller c;
  JISR_ASSIGN_OR_RETURN(c.who, Authenticate(sessions, req));
  JISR_ASSIGN_OR_RETURN(c.purpose, Purpose(req));
  return c;
}

std::string PathParam(const http::Request& req, std::string_view name) {
  return std::string(req.PathParam(name).value_or(""));
}

absl::StatusOr<std::pair<int64_t, int64_t>> PageParams(const http::Request& req,
                                                       int64_t max_size,
                                                       int64_t default_size) {
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> page, IntParam(req, "page", 1, 1000000));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size, IntParam(req, "page_size", 1, max_size));
  return std::make_pair(page.value_or(1), size.value_or(default_size));
}

http::Response CreatedResponse(const boost::json::object& o, std::string_view location) {
  http::Response r = http::JsonResponse(201, o);
  r.AddHeader("Location", std::string(location));
  return r;
}

}  // namespace jisr::api
