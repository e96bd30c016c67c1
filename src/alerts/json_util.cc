#include "alerts/json_util.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/status.h"
#include "security/service_util.h"

namespace jisr::alerts::internal {

using security::internal::SanitizeText;

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const size_t last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string Indexed(std::string_view field, size_t i) {
  return fmt::format("{}[{}]", field, i);
}

absl::Status CheckKnown(const boost::json::object& object,
                        std::string_view prefix,
                        std::span<const std::string_view> allowed,
                        std::span<const std::string_view> extra) {
  for (const auto& member : object) {
    const std::string_view key(member.key().data(), member.key().size());
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end() &&
        std::find(extra.begin(), extra.end(), key) == extra.end()) {
      const std::string field =
          SanitizeText(fmt::format("{}{}", prefix, key), 100);
      return InvalidField(field, fmt::format("unknown member \"{}\"", field));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> StringValue(const boost::json::value& v,
                                        std::string_view field,
                                        size_t max_bytes) {
  if (!v.is_string())
    return InvalidField(field, fmt::format("{} must be a string", field));
  const boost::json::string& s = v.get_string();
  if (s.size() > max_bytes) {
    return InvalidField(
        field, fmt::format("{} is longer than {} bytes", field, max_bytes));
  }
  return std::string(Trim(std::string_view(s.data(), s.size())));
}

absl::StatusOr<std::string> OptionalText(const boost::json::object& o,
                                         std::string_view key,
                                         std::string_view prefix,
                                         size_t max_bytes) {
  const auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::string();
  return StringValue(it->value(), fmt::format("{}{}", prefix, key), max_bytes);
}

absl::StatusOr<const boost::json::array*> ArrayValue(
    const boost::json::value& v, std::string_view field, size_t max_items) {
  if (!v.is_array())
    return InvalidField(field, fmt::format("{} must be an array", field));
  if (v.get_array().size() > max_items) {
    return InvalidField(
        field, fmt::format("{} holds more than {} items", field, max_items));
  }
  return &v.get_array();
}

absl::StatusOr<std::vector<std::string>> StringList(const boost::json::value& v,
                                                    std::string_view field,
                                                    size_t max_items,
                                                    size_t max_bytes) {
  JISR_ASSIGN_OR_RETURN(const boost::json::array* a,
                        ArrayValue(v, field, max_items));
  std::vector<std::string> out;
  for (size_t i = 0; i < a->size(); ++i) {
    JISR_ASSIGN_OR_RETURN(std::string s,
                          StringValue((*a)[i], Indexed(field, i), max_bytes));
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<size_t> EnumValue(const boost::json::value& v,
                                 std::string_view field,
                                 std::span<const std::string_view> names) {
  if (!v.is_string())
    return InvalidField(field, fmt::format("{} must be a string", field));
  const std::string_view s(v.get_string().data(), v.get_string().size());
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == s) return i;
  }
  return InvalidField(field,
                      fmt::format("{} must be one of: {} (got \"{}\")", field,
                                  fmt::join(names, ", "), SanitizeText(s, 64)));
}

}  // namespace jisr::alerts::internal
