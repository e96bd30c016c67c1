#include "node/agency.h"

#include <fmt/format.h>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::node {
namespace {

bool IsUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

absl::Status ValidateAgency(const Agency& a) {
  const std::string& cc = a.country;
  if (cc.size() != 2 || !(cc[0] >= 'A' && cc[0] <= 'Z') || !(cc[1] >= 'A' && cc[1] <= 'Z')) {
    return InvalidField("country", fmt::format("country must be an ISO 3166-1 alpha-2 code "
                                               "in capitals such as MA or FR (got \"{}\")",
                                               cc));
  }
  const std::string& code = a.code;
  bool ok = code.size() >= 5 && code.size() <= 19 && code[2] == '-' &&
            code.compare(0, 2, cc) == 0;
  for (size_t i = 3; ok && i < code.size(); ++i) ok = IsUpperAlnum(code[i]);
  if (!ok) {
    return InvalidField("agency", fmt::format("agency code must be the country code, '-', and "
                                              "2 to 16 capitals or digits, such as {}-DGSN "
                                              "(got \"{}\")",
                                              cc, code));
  }
  for (const auto& [field, value] : {std::pair{"name_en", &a.name_en},
                                     std::pair{"name_fr", &a.name_fr},
                                     std::pair{"name_ar", &a.name_ar}}) {
    if (value->size() > 256) {
      return InvalidField(field, fmt::format("{} is longer than 256 bytes", field));
    }
  }
  return absl::OkStatus();
}

absl::Status InsertAgency(db::Transaction& tx, const Agency& a) {
  JISR_RETURN_IF_ERROR(ValidateAgency(a));
  absl::StatusOr<int64_t> n = tx.Execute(
      "INSERT INTO agency (id, code, country, name_en, name_fr, name_ar, created_at) "
      "VALUES (1, $1, $2, $3, $4, $5, $6)",
      {a.code, a.country, a.name_en, a.name_fr, a.name_ar, ToUnixMillis(a.created_at)});
  if (n.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError("this store already belongs to an agency");
  }
  return n.status();
}

absl::StatusOr<Agency> LoadAgency(db::Transaction& tx) {
  JISR_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      tx.QueryOptional("SELECT code, country, name_en, name_fr, name_ar, created_at "
                       "FROM agency WHERE id = 1"));
  if (!row) return absl::NotFoundError("the store has no agency: run jisr init first");
  return Agency{row->GetText(0), row->GetText(1), row->GetText(2),
                row->GetText(3), row->GetText(4), FromUnixMillis(row->GetInt(5))};
}

boost::json::object AgencyToJson(const Agency& a) {
  boost::json::object names;
  names["en"] = a.name_en;
  names["fr"] = a.name_fr;
  names["ar"] = a.name_ar;
  boost::json::object o;
  o["code"] = a.code;
  o["country"] = a.country;
  o["names"] = std::move(names);
  o["created_at"] = FormatRfc3339(a.created_at);
  return o;
}

}  // namespace jisr::node
