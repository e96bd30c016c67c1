// JSON helpers on Boost.JSON: parsing with a line/column in the error, and a
// reader that pulls typed members out of an object and names the member at
// fault in every error (InvalidField), rejecting members nobody asked for.
//
// Thread-safety: JsonObjectReader is a short-lived, single-thread object.
#ifndef JISR_COMMON_JSON_H_
#define JISR_COMMON_JSON_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jisr {

// Parses `text` as exactly one JSON value (UTF-8 is validated). On failure
// returns InvalidArgument "malformed JSON at line L, column C: reason".
absl::StatusOr<boost::json::value> ParseJson(std::string_view text);

// Parses `text` and requires an object at the top level.
absl::StatusOr<boost::json::object> ParseJsonObject(std::string_view text);

// Serialises `v` compactly.
std::string ToJson(const boost::json::value& v);

// RFC 3339 UTC with milliseconds: "2026-01-01T08:30:00.000Z".
std::string FormatRfc3339(absl::Time t);
// Parses RFC 3339 (any offset). InvalidArgument on bad text.
absl::StatusOr<absl::Time> ParseRfc3339(std::string_view text);

// Reads typed members of one JSON object.
class JsonObjectReader {
 public:
  // `prefix` is put before member names in errors, e.g. "documents[1]." .
  explicit JsonObjectReader(const boost::json::object& object,
                            std::string prefix = "");

  // A required string, non-empty after trimming, at most `max_length` bytes.
  absl::StatusOr<std::string> RequiredString(std::string_view key,
                                             size_t max_length = 1024);
  // An optional string (absent or null gives nullopt), at most `max_length` bytes.
  absl::StatusOr<std::optional<std::string>> OptionalString(
      std::string_view key, size_t max_length = 1024);
  // A required string that must be one of `allowed`.
  absl::StatusOr<std::string> RequiredEnum(std::string_view key,
                                           std::span<const std::string_view> allowed);
  absl::StatusOr<std::optional<std::string>> OptionalEnum(
      std::string_view key, std::span<const std::string_view> allowed);
  absl::StatusOr<std::optional<bool>> OptionalBool(std::string_view key);
  absl::StatusOr<std::optional<int64_t>> OptionalInt(std::string_view key);
  absl::StatusOr<int64_t> RequiredInt(std::string_view key);

  // Marks member `key` as read by the caller (e.g. a nested object it reads
  // with its own reader), so RejectUnknown does not refuse it.
  void MarkRead(std::string_view key) { seen_.emplace_back(key); }

  // Returns InvalidArgument naming the first member that no getter asked for.
  absl::Status RejectUnknown() const;

  // The full field name for `key` ("prefix" + key).
  std::string FieldName(std::string_view key) const;

 private:
  const boost::json::value* Find(std::string_view key);

  const boost::json::object& object_;
  std::string prefix_;
  std::vector<std::string> seen_;
};

}  // namespace jisr

#endif  // JISR_COMMON_JSON_H_
