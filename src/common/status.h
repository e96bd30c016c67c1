// Status helpers shared by every module: a status that names the input field
// at fault, and the early-return macros the code base uses with absl::Status.
//
// Thread-safety: stateless functions; safe from any thread.
#ifndef JISR_COMMON_STATUS_H_
#define JISR_COMMON_STATUS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace jisr {

// Returns an InvalidArgument status whose message is `message` and that carries
// `field` (a JSON member name such as "username" or a path such as
// "names[2].full"), so the HTTP layer can answer with a problem+json `field`.
[[nodiscard]] absl::Status InvalidField(std::string_view field,
                                        std::string_view message);

// Returns `status` with `field` attached (same code and message).
[[nodiscard]] absl::Status WithField(absl::Status status, std::string_view field);

// Returns the field attached by InvalidField/WithField, if any.
std::optional<std::string> FieldOf(const absl::Status& status);

// Debian's Abseil is built with its own absl::string_view (not an alias of
// std::string_view); these convert between the two at the boundary.
inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view FromAbsl(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace jisr

#define JISR_STATUS_CONCAT_INNER_(a, b) a##b
#define JISR_STATUS_CONCAT_(a, b) JISR_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the enclosing function
// when it is not OK.
#define JISR_RETURN_IF_ERROR(expr) \
  JISR_RETURN_IF_ERROR_IMPL_(JISR_STATUS_CONCAT_(jisr_status_, __COUNTER__), expr)
#define JISR_RETURN_IF_ERROR_IMPL_(var, expr)               \
  do {                                                      \
    if (absl::Status var = (expr); !var.ok()) [[unlikely]] { \
      return var;                                           \
    }                                                       \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from the
// enclosing function, otherwise moves the value into `lhs` (a declaration such
// as `auto x` or an existing variable).
#define JISR_ASSIGN_OR_RETURN(lhs, rexpr) \
  JISR_ASSIGN_OR_RETURN_IMPL_(JISR_STATUS_CONCAT_(jisr_statusor_, __COUNTER__), lhs, rexpr)
#define JISR_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                \
  if (!tmp.ok()) [[unlikely]] {                      \
    return std::move(tmp).status();                  \
  }                                                  \
  lhs = std::move(tmp).value()

#endif  // JISR_COMMON_STATUS_H_
