// Small helpers for the inbox handlers of feature modules: reading an
// envelope's body and turning a content error into the refusal the receiver
// records (InvalidArgument: the envelope is rejected, the rest of the batch
// applied).
//
// Thread-safety: stateless functions.
#ifndef JISR_FEDERATION_HANDLER_UTIL_H_
#define JISR_FEDERATION_HANDLER_UTIL_H_

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/json.h"
#include "common/status.h"
#include "federation/envelope.h"

namespace jisr::federation {

// The envelope's body as a JSON object; InvalidArgument otherwise.
inline absl::StatusOr<boost::json::object> EnvelopeBody(const Envelope& e) {
  absl::StatusOr<boost::json::object> body = ParseJsonObject(e.body);
  if (!body.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("body is not a JSON object: {}", std::string(body.status().message())));
  }
  return body;
}

// InvalidArgument "invalid <what>: <message> (field <f>)" for a content
// error `s` of a received record.
inline absl::Status RefusedContent(const absl::Status& s, std::string_view what) {
  const std::optional<std::string> field = FieldOf(s);
  return absl::InvalidArgumentError(fmt::format("invalid {}: {}{}", what,
                                                std::string(s.message()),
                                                field ? " (field " + *field + ")" : ""));
}

}  // namespace jisr::federation

#endif  // JISR_FEDERATION_HANDLER_UTIL_H_
