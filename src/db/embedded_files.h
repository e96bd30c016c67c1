// Files embedded into the binary at build time (generated source).
// Thread-safety: immutable data.
#ifndef JISR_DB_EMBEDDED_FILES_H_
#define JISR_DB_EMBEDDED_FILES_H_

#include <cstddef>
#include <string_view>

namespace jisr::db::internal {

struct EmbeddedFile {
  std::string_view name;
  std::string_view contents;
};

// Every src/db/migrations/*.sql, sorted by file name.
extern const EmbeddedFile kEmbeddedMigrationFiles[];
extern const size_t kEmbeddedMigrationFileCount;

}  // namespace jisr::db::internal

#endif  // JISR_DB_EMBEDDED_FILES_H_
