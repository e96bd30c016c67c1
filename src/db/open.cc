#include <string>

#include <fmt/format.h>

#include "db/database.h"
#include "db/sqlite/sqlite_database.h"

namespace jisr::db {

absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(std::string_view url,
                                                       const DatabaseOptions& options) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    const std::string path(url.substr(kSqlite.size()));
    if (path.empty()) {
      return absl::InvalidArgumentError("database URL \"sqlite:\" names no file");
    }
    return OpenSqlite(path, options);
  }
  return absl::InvalidArgumentError(
      fmt::format("unsupported database URL \"{}\": expected sqlite:PATH", url));
}

}  // namespace jisr::db
