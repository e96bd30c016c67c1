#include <fmt/format.h>

#include <string>

#include "db/database.h"
#include "db/postgres/postgres_database.h"
#include "db/sqlite/sqlite_database.h"

namespace jisr::db {

absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(
    std::string_view url, const DatabaseOptions& options) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    const std::string path(url.substr(kSqlite.size()));
    if (path.empty()) {
      return absl::InvalidArgumentError(
          "database URL \"sqlite:\" names no file");
    }
    return OpenSqlite(path, options);
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return OpenPostgres(std::string(url), options);
  }
  // Never echo what might be a connection string with a password in it.
  const std::string_view scheme =
      url.substr(0, std::min(url.find(':'), size_t{32}));
  return absl::InvalidArgumentError(fmt::format(
      "unsupported database URL (scheme \"{}\"): expected sqlite:PATH or "
      "postgres://USER@HOST:PORT/DBNAME",
      scheme));
}

}  // namespace jisr::db
