#include "common/status.h"

#include "absl/strings/cord.h"

namespace jisr {
namespace {
constexpr std::string_view kFieldPayload = "jisr.field";
}  // namespace

absl::Status InvalidField(std::string_view field, std::string_view message) {
  return WithField(absl::InvalidArgumentError(std::string(message)), field);
}

absl::Status WithField(absl::Status status, std::string_view field) {
  if (!status.ok()) status.SetPayload(std::string(kFieldPayload), absl::Cord(std::string(field)));
  return status;
}

std::optional<std::string> FieldOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(std::string(kFieldPayload));
  if (!payload) return std::nullopt;
  return std::string(*payload);
}

}  // namespace jisr
