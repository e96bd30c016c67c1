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

}  // namespace jisr::api
