#include "db/database.h"

#include <cassert>

namespace jisr::db {

bool Row::IsNull(size_t i) const { return std::holds_alternative<Null>(values_.at(i)); }

int64_t Row::GetInt(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<int64_t>(&v)) return *p;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  assert(std::holds_alternative<Null>(v) && "column is not an integer");
  return 0;
}

double Row::GetDouble(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<double>(&v)) return *p;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  assert(std::holds_alternative<Null>(v) && "column is not a number");
  return 0;
}

std::string Row::GetText(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<std::string>(&v)) return *p;
  if (const auto* b = std::get_if<Bytes>(&v)) return b->data;
  assert(std::holds_alternative<Null>(v) && "column is not text");
  return {};
}

std::string Row::GetBytes(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* b = std::get_if<Bytes>(&v)) return b->data;
  if (const auto* p = std::get_if<std::string>(&v)) return *p;
  assert(std::holds_alternative<Null>(v) && "column is not bytes");
  return {};
}

std::optional<int64_t> Row::GetOptionalInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return GetInt(i);
}

std::optional<std::string> Row::GetOptionalText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return GetText(i);
}

absl::StatusOr<std::optional<Row>> Transaction::QueryOptional(
    std::string_view sql, std::initializer_list<Value> params) {
  absl::StatusOr<std::vector<Row>> rows = Query(sql, params);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::nullopt;
  return std::move(rows->front());
}

absl::Status Database::Run(TxMode mode,
                           absl::FunctionRef<absl::Status(Transaction&)> fn) {
  constexpr int kMaxAttempts = 5;
  absl::Status status;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    absl::StatusOr<std::unique_ptr<Transaction>> tx = Begin(mode);
    if (!tx.ok()) return tx.status();
    status = fn(**tx);
    if (status.ok()) status = (*tx)->Commit();
    if (status.code() != absl::StatusCode::kAborted) return status;
    // The transaction (if not committed) rolls back when `tx` goes out of scope.
  }
  return status;
}

}  // namespace jisr::db
