// Moving a node's whole store to another (`jisr db migrate`, e.g. from SQLite
// to PostgreSQL) and per-table digests to prove two stores hold the same data.
//
// Digest of a table: BLAKE2b-256 over F("jisr.table.v1") || F(table) ||
// F(column names, sorted, joined by ',') and then, for each row in primary-key
// order (text compared byte-wise, as SQLite's BINARY collation and
// PostgreSQL's "C" collation do), each column in that sorted order encoded as
// one tag byte and its value: 'N' (NULL), 'I' + 8-byte big-endian two's
// complement integer, 'D' + 8-byte big-endian IEEE-754 bits, 'T' + F(UTF-8
// text), 'B' + F(bytes); where F(x) = 8-byte big-endian length of x, then x.
// Equal digests mean equal rows whichever store holds them.
//
// Every table must have a primary key (all jisr tables do).
//
// Thread-safety: free functions; each uses the stores it is given.
#ifndef JISR_DB_STORE_COPY_H_
#define JISR_DB_STORE_COPY_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "db/database.h"
#include "db/migrations.h"

namespace jisr::db {

struct TableDigest {
  std::string table;
  int64_t rows = 0;
  std::string digest;  // 64 lower-case hex digits
  bool operator==(const TableDigest&) const = default;
};

// The digests of every table of `db` (sorted by table name), read in one
// read transaction. Errors: FailedPrecondition naming a table without a
// primary key; the store's errors.
absl::StatusOr<std::vector<TableDigest>> DigestStore(Database& db);

struct CopyResult {
  int schema_version = 0;
  // The tables copied, in the order they were filled (parents before the
  // tables that reference them), each with its digest, equal on both stores.
  std::vector<TableDigest> tables;
  int64_t rows = 0;  // rows copied in all
};

// Copies every row of every table of `from` into `to`:
//  1. brings `from` to the schema of `migrations` (as opening a node does);
//  2. in ONE write transaction on `to`: refuses unless `to` holds no table at
//     all, creates the schema by applying `migrations`, removes the rows the
//     migrations seed, copies each table in dependency order (reading `from`
//     in one snapshot), replaces schema_migrations with the source's history,
//     and compares every table's digest on both sides;
//  3. commits only when all digests agree.
// On any error `to` is left as it was (empty).
// Errors: FailedPrecondition when `to` is not empty, a table lacks a primary
// key, or the two schemas differ after migration; DataLoss when a digest
// differs after the copy (nothing is committed); the stores' errors.
absl::StatusOr<CopyResult> CopyStore(Database& from, Database& to,
                                     std::span<const Migration> migrations);
inline absl::StatusOr<CopyResult> CopyStore(Database& from, Database& to) {
  return CopyStore(from, to, EmbeddedMigrations());
}

}  // namespace jisr::db

#endif  // JISR_DB_STORE_COPY_H_
