#include "db/versioned_records.h"

namespace jisr::db {

absl::Status UpsertRecord(Transaction& tx, std::string_view table, std::string_view id,
                          const std::vector<std::string_view>& keys, std::vector<Value> values,
                          int64_t version, const boost::json::object& body,
                          std::string_view created_by, absl::Time created_at,
                          absl::Time updated_at, std::string_view envelope_id) {
  std::vector<Value> params;
  params.push_back(std::string(id));
  for (Value& v : values) params.push_back(std::move(v));
  params.push_back(version);
  params.push_back(ToJson(body));
  params.push_back(std::string(created_by));
  params.push_back(absl::ToUnixMillis(created_at));
  params.push_back(absl::ToUnixMillis(updated_at));
  params.push_back(envelope_id.empty() ? Value(Null{}) : Value(std::string(envelope_id)));
  std::string columns = "id";
  std::string placeholders = "$1";
  std::string updates;
  size_t n = 1;
  for (std::string_view k : keys) {
    columns += fmt::format(", {}", k);
    placeholders += fmt::format(", ${}", ++n);
    updates += fmt::format("{} = excluded.{}, ", k, k);
  }
  for (std::string_view k :
       {"version", "body", "created_by", "created_at", "updated_at", "envelope_id"}) {
    columns += fmt::format(", {}", k);
    placeholders += fmt::format(", ${}", ++n);
  }
  updates +=
      "version = excluded.version, body = excluded.body, updated_at = excluded.updated_at, "
      "envelope_id = excluded.envelope_id";
  return tx
      .Execute(fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}",
                           table, columns, placeholders, updates),
               Params(params.data(), params.size()))
      .status();
}

}  // namespace jisr::db
