#include "common/json.h"

#include <algorithm>

#include <boost/json/stream_parser.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/status.h"

namespace jisr {
namespace {

// Line and column (1-based, column in bytes) of byte offset `offset`.
std::pair<size_t, size_t> LineColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

}  // namespace

absl::StatusOr<boost::json::value> ParseJson(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  const size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (!ec && consumed < text.size() && !IsBlank(text.substr(consumed))) {
    ec = boost::json::make_error_code(boost::json::error::extra_data);
  }
  if (ec) {
    const auto [line, column] = LineColumn(text, consumed);
    return absl::InvalidArgumentError(fmt::format(
        "malformed JSON at line {}, column {}: {}", line, column, ec.message()));
  }
  return parser.release();
}

absl::StatusOr<boost::json::object> ParseJsonObject(std::string_view text) {
  JISR_ASSIGN_OR_RETURN(boost::json::value v, ParseJson(text));
  if (!v.is_object()) {
    return absl::InvalidArgumentError("the request body must be a JSON object");
  }
  return std::move(v.as_object());
}

std::string ToJson(const boost::json::value& v) { return boost::json::serialize(v); }

std::string FormatRfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseRfc3339(std::string_view text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &error)) {
    return absl::InvalidArgumentError(fmt::format("not an RFC 3339 time: \"{}\"", text));
  }
  return t;
}

JsonObjectReader::JsonObjectReader(const boost::json::object& object,
                                   std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {}

std::string JsonObjectReader::FieldName(std::string_view key) const {
  return fmt::format("{}{}", prefix_, key);
}

const boost::json::value* JsonObjectReader::Find(std::string_view key) {
  seen_.emplace_back(key);
  const auto it = object_.find(key);
  if (it == object_.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

absl::StatusOr<std::optional<std::string>> JsonObjectReader::OptionalString(
    std::string_view key, size_t max_length) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    return InvalidField(FieldName(key), FieldName(key) + " must be a string");
  }
  const boost::json::string& s = v->get_string();
  if (s.size() > max_length) {
    return InvalidField(FieldName(key), fmt::format("{} is longer than {} bytes", FieldName(key), max_length));
  }
  return std::string(s.data(), s.size());
}

absl::StatusOr<std::string> JsonObjectReader::RequiredString(std::string_view key,
                                                             size_t max_length) {
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> s, OptionalString(key, max_length));
  if (!s.has_value()) {
    return InvalidField(FieldName(key), FieldName(key) + " is required");
  }
  if (IsBlank(*s)) {
    return InvalidField(FieldName(key), FieldName(key) + " must not be empty");
  }
  return *std::move(s);
}

absl::StatusOr<std::optional<std::string>> JsonObjectReader::OptionalEnum(
    std::string_view key, std::span<const std::string_view> allowed) {
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> s, OptionalString(key, 64));
  if (s.has_value() && std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
    return InvalidField(FieldName(key),
                        fmt::format("{} must be one of: {} (got \"{}\")", FieldName(key),
                                    fmt::join(allowed, ", "), *s));
  }
  return s;
}

absl::StatusOr<std::string> JsonObjectReader::RequiredEnum(
    std::string_view key, std::span<const std::string_view> allowed) {
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> s, OptionalEnum(key, allowed));
  if (!s.has_value()) {
    return InvalidField(FieldName(key), FieldName(key) + " is required");
  }
  return *std::move(s);
}

absl::StatusOr<std::optional<bool>> JsonObjectReader::OptionalBool(std::string_view key) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    return InvalidField(FieldName(key), FieldName(key) + " must be true or false");
  }
  return v->get_bool();
}

absl::StatusOr<std::optional<int64_t>> JsonObjectReader::OptionalInt(std::string_view key) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  return InvalidField(FieldName(key), FieldName(key) + " must be an integer");
}

absl::StatusOr<int64_t> JsonObjectReader::RequiredInt(std::string_view key) {
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> v, OptionalInt(key));
  if (!v.has_value()) {
    return InvalidField(FieldName(key), FieldName(key) + " is required");
  }
  return *v;
}

absl::Status JsonObjectReader::RejectUnknown() const {
  for (const auto& member : object_) {
    const std::string_view key = member.key();
    if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) {
      return InvalidField(FieldName(key),
                          fmt::format("unknown member \"{}\"", FieldName(key)));
    }
  }
  return absl::OkStatus();
}

}  // namespace jisr
