#include "db/store_copy.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <map>
#include <set>

#include "common/status.h"

namespace jisr::db {
namespace {

constexpr int64_t kPageRows = 1000;
constexpr size_t kMaxParamsPerInsert = 900;

struct TableInfo {
  std::string name;
  std::vector<std::string> columns;  // sorted by name
  std::vector<size_t> key;           // indexes into columns, in key order
  std::vector<bool> key_is_text;     // per key column
  std::set<std::string> parents;     // tables it references (not itself)
};

std::string Quote(std::string_view identifier) {
  std::string out = "\"";
  for (char c : identifier) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

bool IsTextType(Dialect dialect, std::string type) {
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) {
    return static_cast<char>(std::toupper(c));
  });
  if (dialect == Dialect::kPostgres) {
    return type == "TEXT" || type == "CHARACTER VARYING" ||
           type == "CHARACTER" || type == "NAME";
  }
  return type.find("CHAR") != std::string::npos ||
         type.find("CLOB") != std::string::npos ||
         type.find("TEXT") != std::string::npos;
}

absl::StatusOr<std::vector<std::string>> ListTables(Transaction& tx,
                                                    Dialect dialect) {
  std::vector<Row> rows;
  if (dialect == Dialect::kSqlite) {
    // Ordinary tables only: a virtual table (exchange's FTS5 search index)
    // and its shadow tables are derived data that their module rebuilds.
    JISR_ASSIGN_OR_RETURN(
        rows, tx.Query("SELECT name FROM pragma_table_list WHERE schema = 'main' "
                       "AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"));
  } else {
    JISR_ASSIGN_OR_RETURN(
        rows,
        tx.Query("SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                 "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
                 "AND n.nspname = current_schema()"));
  }
  std::vector<std::string> tables;
  for (const Row& r : rows) tables.push_back(r.GetText(0));
  std::sort(tables.begin(), tables.end());
  return tables;
}

absl::StatusOr<TableInfo> DescribeTable(Transaction& tx, Dialect dialect,
                                        const std::string& table) {
  TableInfo info;
  info.name = table;
  // (name, declared type, position in the primary key or 0)
  std::vector<std::tuple<std::string, std::string, int64_t>> columns;
  if (dialect == Dialect::kSqlite) {
    JISR_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query("SELECT name, type, pk FROM pragma_table_info($1)", {table}));
    for (const Row& r : rows)
      columns.emplace_back(r.GetText(0), r.GetText(1), r.GetInt(2));
    JISR_ASSIGN_OR_RETURN(
        std::vector<Row> fks,
        tx.Query("SELECT \"table\" FROM pragma_foreign_key_list($1)", {table}));
    for (const Row& r : fks) info.parents.insert(r.GetText(0));
  } else {
    JISR_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query(
            "SELECT c.column_name, c.data_type, COALESCE(k.ordinal_position, "
            "0) "
            "FROM information_schema.columns c "
            "LEFT JOIN (SELECT kcu.column_name, kcu.ordinal_position "
            "  FROM information_schema.table_constraints tc "
            "  JOIN information_schema.key_column_usage kcu "
            "    ON kcu.constraint_name = tc.constraint_name "
            "   AND kcu.constraint_schema = tc.constraint_schema "
            "   AND kcu.table_name = tc.table_name "
            "  WHERE tc.constraint_type = 'PRIMARY KEY' "
            "    AND tc.table_schema = current_schema() AND tc.table_name = "
            "$1) k "
            "  ON k.column_name = c.column_name "
            "WHERE c.table_schema = current_schema() AND c.table_name = $1 "
            "ORDER BY c.ordinal_position",
            {table}));
    for (const Row& r : rows)
      columns.emplace_back(r.GetText(0), r.GetText(1), r.GetInt(2));
    JISR_ASSIGN_OR_RETURN(
        std::vector<Row> fks,
        tx.Query(
            "SELECT DISTINCT ccu.table_name FROM "
            "information_schema.table_constraints tc "
            "JOIN information_schema.constraint_column_usage ccu "
            "  ON ccu.constraint_name = tc.constraint_name "
            " AND ccu.constraint_schema = tc.constraint_schema "
            "WHERE tc.constraint_type = 'FOREIGN KEY' "
            "  AND tc.table_schema = current_schema() AND tc.table_name = $1",
            {table}));
    for (const Row& r : fks) info.parents.insert(r.GetText(0));
  }
  info.parents.erase(table);
  std::sort(columns.begin(), columns.end());
  std::vector<std::pair<int64_t, size_t>>
      key;  // (position in key, column index)
  for (size_t i = 0; i < columns.size(); ++i) {
    info.columns.push_back(std::get<0>(columns[i]));
    if (std::get<2>(columns[i]) > 0)
      key.emplace_back(std::get<2>(columns[i]), i);
  }
  if (info.columns.empty()) {
    return absl::NotFoundError(fmt::format("table {} has no columns", table));
  }
  if (key.empty()) {
    return absl::FailedPreconditionError(fmt::format(
        "table {} has no primary key, so its rows cannot be compared", table));
  }
  std::sort(key.begin(), key.end());
  for (const auto& [position, index] : key) {
    info.key.push_back(index);
    info.key_is_text.push_back(
        IsTextType(dialect, std::get<1>(columns[index])));
  }
  return info;
}

// Every table of the store, parents before the tables that reference them
// (ties by name).
absl::StatusOr<std::vector<TableInfo>> DescribeStore(Transaction& tx,
                                                     Dialect dialect) {
  JISR_ASSIGN_OR_RETURN(std::vector<std::string> names,
                        ListTables(tx, dialect));
  std::map<std::string, TableInfo> pending;
  for (const std::string& name : names) {
    JISR_ASSIGN_OR_RETURN(TableInfo info, DescribeTable(tx, dialect, name));
    pending.emplace(name, std::move(info));
  }
  std::vector<TableInfo> ordered;
  std::set<std::string> done;
  while (!pending.empty()) {
    auto ready =
        std::find_if(pending.begin(), pending.end(), [&](const auto& entry) {
          for (const std::string& parent : entry.second.parents) {
            if (!done.count(parent) && pending.count(parent)) return false;
          }
          return true;
        });
    if (ready == pending.end()) {
      return absl::FailedPreconditionError(
          fmt::format("the tables' foreign keys form a cycle (among {})",
                      pending.begin()->first));
    }
    done.insert(ready->first);
    ordered.push_back(std::move(ready->second));
    pending.erase(ready);
  }
  return ordered;
}

class Hasher {
 public:
  Hasher() {
    if (sodium_init() < 0) std::abort();
    crypto_generichash_init(&state_, nullptr, 0, kBytes);
  }
  void Tag(char c) { Update(&c, 1); }
  void U64(uint64_t v) {
    std::array<char, 8> b{};
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (56 - 8 * i));
    Update(b.data(), b.size());
  }
  void Field(std::string_view s) {
    U64(s.size());
    Update(s.data(), s.size());
  }
  void Value(const db::Value& v) {
    if (std::holds_alternative<Null>(v)) {
      Tag('N');
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      Tag('I');
      U64(static_cast<uint64_t>(*n));
    } else if (const auto* d = std::get_if<double>(&v)) {
      Tag('D');
      uint64_t bits = 0;
      std::memcpy(&bits, d, sizeof bits);
      U64(bits);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      Tag('T');
      Field(*s);
    } else {
      Tag('B');
      Field(std::get<Bytes>(v).data);
    }
  }
  std::string HexDigest() {
    std::array<unsigned char, kBytes> out{};
    crypto_generichash_final(&state_, out.data(), out.size());
    std::array<char, 2 * kBytes + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
    return std::string(hex.data(), 2 * kBytes);
  }

 private:
  static constexpr size_t kBytes = 32;
  void Update(const char* p, size_t n) {
    crypto_generichash_update(&state_,
                              reinterpret_cast<const unsigned char*>(p), n);
  }
  crypto_generichash_state state_;
};

void StartTable(Hasher& h, const TableInfo& t) {
  h.Field("jisr.table.v1");
  h.Field(t.name);
  std::string names;
  for (const std::string& c : t.columns) {
    if (!names.empty()) names.push_back(',');
    names += c;
  }
  h.Field(names);
}

// Calls `fn` with each page of the table's rows (columns in t.columns order)
// in primary-key order, byte-wise for text.
absl::Status ForEachPage(
    Transaction& tx, Dialect dialect, const TableInfo& t,
    const std::function<absl::Status(const std::vector<Row>&)>& fn) {
  std::string columns;
  for (const std::string& c : t.columns) {
    if (!columns.empty()) columns += ", ";
    columns += Quote(c);
  }
  std::string order;
  for (size_t k = 0; k < t.key.size(); ++k) {
    if (!order.empty()) order += ", ";
    order += Quote(t.columns[t.key[k]]);
    if (dialect == Dialect::kPostgres && t.key_is_text[k])
      order += " COLLATE \"C\"";
  }
  std::string after;
  for (size_t k = 0; k < t.key.size(); ++k) {
    if (!after.empty()) after += ", ";
    after += fmt::format("${}", k + 1);
  }
  const std::string first_sql = fmt::format(
      "SELECT {} FROM {} ORDER BY {} LIMIT $1", columns, Quote(t.name), order);
  const std::string next_sql = fmt::format(
      "SELECT {} FROM {} WHERE ({}) > ({}) ORDER BY {} LIMIT ${}", columns,
      Quote(t.name), order, after, order, t.key.size() + 1);
  std::vector<Value> params;
  bool first = true;
  for (;;) {
    std::vector<Row> rows;
    if (first) {
      JISR_ASSIGN_OR_RETURN(rows, tx.Query(first_sql, {kPageRows}));
    } else {
      JISR_ASSIGN_OR_RETURN(rows, tx.Query(next_sql, Params(params)));
    }
    first = false;
    if (rows.empty()) return absl::OkStatus();
    JISR_RETURN_IF_ERROR(fn(rows));
    if (rows.size() < static_cast<size_t>(kPageRows)) return absl::OkStatus();
    params.clear();
    for (size_t index : t.key) params.push_back(rows.back().value(index));
    params.push_back(kPageRows);
  }
}

absl::StatusOr<TableDigest> DigestTable(Transaction& tx, Dialect dialect,
                                        const TableInfo& t) {
  Hasher h;
  StartTable(h, t);
  TableDigest out;
  out.table = t.name;
  JISR_RETURN_IF_ERROR(
      ForEachPage(tx, dialect, t, [&](const std::vector<Row>& rows) {
        for (const Row& row : rows) {
          for (size_t c = 0; c < row.size(); ++c) h.Value(row.value(c));
        }
        out.rows += static_cast<int64_t>(rows.size());
        return absl::OkStatus();
      }));
  out.digest = h.HexDigest();
  return out;
}

absl::Status InsertRows(Transaction& tx, const TableInfo& t,
                        const std::vector<Row>& rows) {
  const size_t per_batch =
      std::max<size_t>(1, kMaxParamsPerInsert / t.columns.size());
  std::string columns;
  for (const std::string& c : t.columns) {
    if (!columns.empty()) columns += ", ";
    columns += Quote(c);
  }
  for (size_t start = 0; start < rows.size(); start += per_batch) {
    const size_t end = std::min(rows.size(), start + per_batch);
    std::string sql =
        fmt::format("INSERT INTO {} ({}) VALUES ", Quote(t.name), columns);
    std::vector<Value> params;
    params.reserve((end - start) * t.columns.size());
    for (size_t r = start; r < end; ++r) {
      sql += r == start ? "(" : ", (";
      for (size_t c = 0; c < t.columns.size(); ++c) {
        params.push_back(rows[r].value(c));
        sql += c == 0 ? fmt::format("${}", params.size())
                      : fmt::format(", ${}", params.size());
      }
      sql += ")";
    }
    absl::StatusOr<int64_t> n = tx.Execute(sql, Params(params));
    if (!n.ok()) {
      return absl::Status(n.status().code(),
                          fmt::format("copying table {} failed: {}", t.name,
                                      std::string(n.status().message())));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<TableDigest>> DigestStore(Database& db) {
  std::vector<TableDigest> out;
  JISR_RETURN_IF_ERROR(
      db.Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
        out.clear();
        JISR_ASSIGN_OR_RETURN(std::vector<TableInfo> tables,
                              DescribeStore(tx, db.dialect()));
        std::sort(tables.begin(), tables.end(),
                  [](const TableInfo& a, const TableInfo& b) {
                    return a.name < b.name;
                  });
        for (const TableInfo& t : tables) {
          JISR_ASSIGN_OR_RETURN(TableDigest d,
                                DigestTable(tx, db.dialect(), t));
          out.push_back(std::move(d));
        }
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<CopyResult> CopyStore(Database& from, Database& to,
                                     std::span<const Migration> migrations) {
  JISR_RETURN_IF_ERROR(Migrate(from, migrations));
  JISR_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> source,
                        from.Begin(TxMode::kRead));
  JISR_ASSIGN_OR_RETURN(std::vector<TableInfo> tables,
                        DescribeStore(*source, from.dialect()));
  JISR_ASSIGN_OR_RETURN(
      std::optional<Row> version,
      source->QueryOptional(
          "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  CopyResult result;
  result.schema_version =
      version.has_value() ? static_cast<int>(version->GetInt(0)) : 0;

  JISR_RETURN_IF_ERROR(
      to.Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
        result.tables.clear();
        result.rows = 0;
        JISR_ASSIGN_OR_RETURN(std::vector<std::string> existing,
                              ListTables(tx, to.dialect()));
        if (!existing.empty()) {
          return absl::FailedPreconditionError(
              fmt::format("the target store is not empty (it holds {} "
                          "table(s), e.g. {}): migrate only into "
                          "an empty database",
                          existing.size(), existing.front()));
        }
        JISR_RETURN_IF_ERROR(MigrateInTransaction(tx, migrations));
        JISR_ASSIGN_OR_RETURN(std::vector<TableInfo> target,
                              DescribeStore(tx, to.dialect()));
        std::map<std::string, const TableInfo*> by_name;
        for (const TableInfo& t : target) by_name[t.name] = &t;
        if (target.size() != tables.size()) {
          return absl::FailedPreconditionError(
              fmt::format("the source has {} tables but the migrated target "
                          "{}: the source holds tables "
                          "jisr's migrations do not create",
                          tables.size(), target.size()));
        }
        for (const TableInfo& t : tables) {
          auto it = by_name.find(t.name);
          if (it == by_name.end() || it->second->columns != t.columns) {
            return absl::FailedPreconditionError(fmt::format(
                "table {} differs between the source and the migrated target",
                t.name));
          }
        }
        // Rows the migrations seeded (e.g. audit_head) make way for the
        // source's.
        for (auto it = target.rbegin(); it != target.rend(); ++it) {
          JISR_RETURN_IF_ERROR(
              tx.Execute(fmt::format("DELETE FROM {}", Quote(it->name)))
                  .status());
        }
        for (const TableInfo& t : tables) {
          Hasher h;
          StartTable(h, t);
          TableDigest source_digest;
          source_digest.table = t.name;
          JISR_RETURN_IF_ERROR(ForEachPage(
              *source, from.dialect(), t, [&](const std::vector<Row>& rows) {
                for (const Row& row : rows) {
                  for (size_t c = 0; c < row.size(); ++c) h.Value(row.value(c));
                }
                source_digest.rows += static_cast<int64_t>(rows.size());
                return InsertRows(tx, t, rows);
              }));
          source_digest.digest = h.HexDigest();
          JISR_ASSIGN_OR_RETURN(
              TableDigest copied,
              DigestTable(tx, to.dialect(), *by_name[t.name]));
          if (copied != source_digest) {
            return absl::DataLossError(
                fmt::format("table {} differs after the copy ({} rows, digest "
                            "{} in the source; {} rows, "
                            "digest {} in the target); nothing was committed",
                            t.name, source_digest.rows, source_digest.digest,
                            copied.rows, copied.digest));
          }
          result.rows += copied.rows;
          result.tables.push_back(std::move(copied));
        }
        return absl::OkStatus();
      }));
  return result;
}

}  // namespace jisr::db
