// Records kept whole as JSON with their version: the storage shape shared by
// modules whose records have one owner and cross to partners as a whole
// (groups/, training/). A table holds `id`, the record's key columns, and
// the columns of kRecordColumns: `version`, `body` (the record as JSON),
// `created_at`, `updated_at` (Unix ms) and `envelope_id` (the partner's
// envelope that brought a copy; NULL for this node's own records).
//
// A record type T has `version`, `created_at`, `updated_at` (absl::Time)
// and `envelope_id` (std::string) members.
//
// Thread-safety: free functions over the caller's transaction.
#ifndef JISR_DB_VERSIONED_RECORDS_H_
#define JISR_DB_VERSIONED_RECORDS_H_

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/json.h"
#include "common/status.h"
#include "db/database.h"

namespace jisr::db {

// The columns a versioned record is read from, in RecordFromRow's order.
inline constexpr std::string_view kRecordColumns =
    "version, body, created_at, updated_at, envelope_id";

// Parses a row selected with kRecordColumns with `parse` (body -> T) and
// sets the local members from the columns. Errors: DataLoss naming `table`
// when the stored body is not JSON or does not parse.
template <typename T, typename Parse>
absl::StatusOr<T> RecordFromRow(const Row& row, std::string_view table, Parse parse) {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(row.GetText(1));
  if (!o.ok()) {
    return absl::DataLossError(fmt::format("{}: a stored body is not JSON: {}", table,
                                           std::string(o.status().message())));
  }
  absl::StatusOr<T> t = parse(*o);
  if (!t.ok()) {
    return absl::DataLossError(fmt::format("{}: a stored body does not parse: {}", table,
                                           std::string(t.status().message())));
  }
  t->version = row.GetInt(0);
  t->created_at = absl::FromUnixMillis(row.GetInt(2));
  t->updated_at = absl::FromUnixMillis(row.GetInt(3));
  t->envelope_id = row.GetOptionalText(4).value_or("");
  return t;
}

// Record `id` of `table`, or nullopt. Errors: RecordFromRow's; the store's.
template <typename T, typename Parse>
absl::StatusOr<std::optional<T>> FindRecord(Transaction& tx, std::string_view table,
                                            std::string_view id, Parse parse) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<Row> row,
      tx.QueryOptional(fmt::format("SELECT {} FROM {} WHERE id = $1", kRecordColumns, table),
                       {std::string(id)}));
  if (!row) return std::optional<T>();
  JISR_ASSIGN_OR_RETURN(T t, RecordFromRow<T>(*row, table, parse));
  return std::optional<T>(std::move(t));
}

// Inserts or replaces record `id` of `table`: `keys` are its key columns
// (after id), `values` their values; `created_by` and `created_at` are kept
// from the first insert. An empty `envelope_id` is stored as NULL.
absl::Status UpsertRecord(Transaction& tx, std::string_view table, std::string_view id,
                          const std::vector<std::string_view>& keys, std::vector<Value> values,
                          int64_t version, const boost::json::object& body,
                          std::string_view created_by, absl::Time created_at,
                          absl::Time updated_at, std::string_view envelope_id);

}  // namespace jisr::db

#endif  // JISR_DB_VERSIONED_RECORDS_H_
