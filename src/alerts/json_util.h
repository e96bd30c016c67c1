// Internal helpers of alerts/ for reading JSON input member by member, with
// errors that name the member at fault (jisr::InvalidField), including array
// elements and nested members ("names[2].full"). Complements
// common/json.h's JsonObjectReader, which reads flat objects of scalars.
//
// Thread-safety: stateless functions; safe from any thread.
#ifndef JISR_ALERTS_JSON_UTIL_H_
#define JISR_ALERTS_JSON_UTIL_H_

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace jisr::alerts::internal {

// `s` without surrounding spaces, tabs and line breaks.
std::string_view Trim(std::string_view s);
// `s` with ASCII letters upper-cased.
std::string Upper(std::string_view s);
// "field[i]".
std::string Indexed(std::string_view field, size_t i);

// Refuses (InvalidField "<prefix><key>") the first member of `object` that is
// neither in `allowed` nor in `extra`.
absl::Status CheckKnown(const boost::json::object& object,
                        std::string_view prefix,
                        std::span<const std::string_view> allowed,
                        std::span<const std::string_view> extra = {});

// The string `v` trimmed; InvalidField(field) when it is not a string or is
// longer than `max_bytes`.
absl::StatusOr<std::string> StringValue(const boost::json::value& v,
                                        std::string_view field,
                                        size_t max_bytes);

// Member `key` of `o` as a trimmed string, "" when absent or null. The field
// named in errors is prefix + key.
absl::StatusOr<std::string> OptionalText(const boost::json::object& o,
                                         std::string_view key,
                                         std::string_view prefix,
                                         size_t max_bytes);

// `v` as an array of at most `max_items`; InvalidField(field) otherwise.
absl::StatusOr<const boost::json::array*> ArrayValue(
    const boost::json::value& v, std::string_view field, size_t max_items);

// `v` as an array of at most `max_items` strings of at most `max_bytes` each
// (trimmed); errors name "field[i]" for a bad element.
absl::StatusOr<std::vector<std::string>> StringList(const boost::json::value& v,
                                                    std::string_view field,
                                                    size_t max_items,
                                                    size_t max_bytes);

// The position of the string `v` in `names`; InvalidField(field) listing the
// allowed values otherwise.
absl::StatusOr<size_t> EnumValue(const boost::json::value& v,
                                 std::string_view field,
                                 std::span<const std::string_view> names);

}  // namespace jisr::alerts::internal

#endif  // JISR_ALERTS_JSON_UTIL_H_
