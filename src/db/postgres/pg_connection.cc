#include "db/postgres/pg_connection.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace jisr::db::postgres_internal {
namespace {

// Type OIDs (pg_type.dat); stable across PostgreSQL versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string Trim(std::string_view s) {
  while (!s.empty() &&
         (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes bytea's hex output ("\x0a0b..."). Returns false when malformed.
bool DecodeByteaHex(std::string_view text, std::string* out) {
  if (!text.starts_with("\\x") || text.size() % 2 != 0) return false;
  out->clear();
  out->reserve((text.size() - 2) / 2);
  for (size_t i = 2; i < text.size(); i += 2) {
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

std::optional<double> ParseDouble(std::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  const std::string s(text);
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return d;
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t n = 0;
  const auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size())
    return std::nullopt;
  return n;
}

absl::StatusOr<Value> Decode(Oid type, std::string_view text) {
  switch (type) {
    case kInt8Oid:
    case kInt4Oid:
    case kInt2Oid:
    case kOidOid:
      if (std::optional<int64_t> n = ParseInt(text)) return Value(*n);
      break;
    case kBoolOid:
      if (text == "t") return Value(int64_t{1});
      if (text == "f") return Value(int64_t{0});
      break;
    case kFloat4Oid:
    case kFloat8Oid:
      if (std::optional<double> d = ParseDouble(text)) return Value(*d);
      break;
    case kNumericOid:
      if (std::optional<int64_t> n = ParseInt(text)) return Value(*n);
      if (std::optional<double> d = ParseDouble(text)) return Value(*d);
      break;
    case kByteaOid: {
      Bytes b;
      if (DecodeByteaHex(text, &b.data)) return Value(std::move(b));
      break;
    }
    default:
      return Value(std::string(text));
  }
  return absl::InternalError(
      fmt::format("PostgreSQL returned \"{}\" for a column of type {}",
                  text.substr(0, 64), type));
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{}", d);
}

// The status for a failed command. Marks `*broken` when the connection is gone.
absl::Status ErrorStatus(PGconn* conn, const PGresult* res,
                         std::string_view what, bool* broken) {
  const char* state =
      res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res != nullptr
                            ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                            : nullptr;
  std::string message =
      primary != nullptr ? std::string(primary) : Trim(PQerrorMessage(conn));
  if (PQstatus(conn) == CONNECTION_BAD ||
      (state != nullptr && IsConnectionLost(state))) {
    *broken = true;
    return absl::UnavailableError(fmt::format(
        "{}: the connection to PostgreSQL was lost: {}", what, message));
  }
  if (state == nullptr)
    return absl::InternalError(fmt::format("{}: {}", what, message));
  return absl::Status(
      CodeForSqlState(state),
      fmt::format("{}: {} (SQLSTATE {})", what, message, state));
}

// Checks a result: OK for COMMAND_OK / TUPLES_OK / EMPTY_QUERY.
absl::Status Check(PGconn* conn, const PGresult* res, std::string_view what,
                   bool* broken) {
  if (res != nullptr) {
    switch (PQresultStatus(res)) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
        return absl::OkStatus();
      default:
        break;
    }
  }
  return ErrorStatus(conn, res, what, broken);
}

}  // namespace

absl::StatusCode CodeForSqlState(std::string_view s) {
  if (s.size() != 5) return absl::StatusCode::kInternal;
  const std::string_view cls = s.substr(0, 2);
  if (s == "23505") return absl::StatusCode::kAlreadyExists;
  if (cls == "23") return absl::StatusCode::kFailedPrecondition;
  if (s == "40001" || s == "40P01") return absl::StatusCode::kAborted;
  if (IsConnectionLost(s)) return absl::StatusCode::kUnavailable;
  if (s == "55P03" || s == "57014" || cls == "53")
    return absl::StatusCode::kUnavailable;
  if (cls == "22") return absl::StatusCode::kInvalidArgument;
  return absl::StatusCode::kInternal;
}

bool IsConnectionLost(std::string_view s) {
  return s.starts_with("08") || s == "57P01" || s == "57P02" || s == "57P03";
}

absl::StatusOr<int> CountParameters(std::string_view sql) {
  constexpr int kMaxParams = 65535;
  std::vector<bool> seen;
  const size_t n = sql.size();
  size_t i = 0;
  auto prev_is_ident = [&](size_t at) {
    return at > 0 && IsIdentChar(sql[at - 1]);
  };
  while (i < n) {
    const char c = sql[i];
    if (c == '\'') {
      const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                           (i < 2 || !IsIdentChar(sql[i - 2]));
      for (++i; i < n; ++i) {
        if (escapes && sql[i] == '\\') {
          ++i;
        } else if (sql[i] == '\'') {
          if (i + 1 < n && sql[i + 1] == '\'') {
            ++i;
          } else {
            break;
          }
        }
      }
      ++i;
    } else if (c == '"') {
      for (++i; i < n; ++i) {
        if (sql[i] == '"') {
          if (i + 1 < n && sql[i + 1] == '"') {
            ++i;
          } else {
            break;
          }
        }
      }
      ++i;
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 1;
      for (i += 2; i < n && depth > 0; ++i) {
        if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') {
          ++depth;
          ++i;
        } else if (sql[i] == '*' && i + 1 < n && sql[i + 1] == '/') {
          --depth;
          ++i;
        }
      }
    } else if (c == '$' && !prev_is_ident(i)) {
      size_t j = i + 1;
      if (j < n && sql[j] >= '0' && sql[j] <= '9') {
        int number = 0;
        while (j < n && sql[j] >= '0' && sql[j] <= '9') {
          number = number * 10 + (sql[j] - '0');
          if (number > kMaxParams) {
            return absl::InternalError(
                fmt::format("parameter number too large in \"{}\"", sql));
          }
          ++j;
        }
        if (number == 0) {
          return absl::InternalError(
              fmt::format("parameter $0 in \"{}\"", sql));
        }
        if (seen.size() < static_cast<size_t>(number))
          seen.resize(number, false);
        seen[number - 1] = true;
        i = j;
        continue;
      }
      // A dollar quote: $tag$ ... $tag$ (tag may be empty).
      while (j < n && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
      if (j < n && sql[j] == '$') {
        const std::string_view tag = sql.substr(i, j - i + 1);
        const size_t close = sql.find(tag, j + 1);
        i = close == std::string_view::npos ? n : close + tag.size();
        continue;
      }
      ++i;
    } else {
      ++i;
    }
  }
  for (size_t k = 0; k < seen.size(); ++k) {
    if (!seen[k]) {
      return absl::InternalError(
          fmt::format("parameters must be $1..${} in order of number: \"{}\"",
                      seen.size(), sql));
    }
  }
  return static_cast<int>(seen.size());
}

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  // URI form: scheme://user:password@host...
  if (const size_t scheme = out.find("://"); scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t at = out.find('@', start);
    const size_t slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at)
        out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... as a query parameter or keyword.
  for (size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    const size_t value = pos + 9;
    size_t end = out.find_first_of("& ", value);
    if (end == std::string::npos) end = out.size();
    out.replace(value, end - value, "***");
  }
  return out;
}

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Open(
    const std::string& url) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string why =
        parse_error != nullptr ? Trim(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return absl::InvalidArgumentError(
        fmt::format("bad PostgreSQL URL \"{}\": {}", RedactUrl(url), why));
  }
  PQconninfoFree(parsed);
  // Defaults first: the URL's own values win, except the client encoding.
  const char* const keys[] = {"application_name", "connect_timeout", "dbname",
                              "client_encoding", nullptr};
  const char* const values[] = {"jisr", "10", url.c_str(), "UTF8", nullptr};
  PGconn* raw = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (raw == nullptr)
    return absl::UnavailableError("cannot allocate a PostgreSQL connection");
  std::unique_ptr<PgConnection> conn(new PgConnection(raw));
  // Server NOTICEs ("relation already exists, skipping") are not errors and
  // must not reach the process's stderr.
  PQsetNoticeProcessor(
      raw, [](void*, const char*) {}, nullptr);
  if (PQstatus(raw) != CONNECTION_OK) {
    return absl::UnavailableError(
        fmt::format("cannot connect to PostgreSQL at {}: {}", RedactUrl(url),
                    Trim(PQerrorMessage(raw))));
  }
  if (absl::Status s = conn->Exec("SET bytea_output = 'hex'"); !s.ok())
    return s;
  return conn;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::broken() const {
  return broken_ || PQstatus(conn_) == CONNECTION_BAD;
}

bool PgConnection::InTransaction() const {
  const PGTransactionStatusType t = PQtransactionStatus(conn_);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

bool PgConnection::InFailedTransaction() const {
  return PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

int PgConnection::BackendPid() const { return PQbackendPID(conn_); }

absl::Status PgConnection::Exec(std::string_view sql,
                                std::string* command_tag) {
  if (broken())
    return absl::UnavailableError("the connection to PostgreSQL was lost");
  const std::string text(sql);
  Result res(PQexec(conn_, text.c_str()));
  if (absl::Status s = Check(conn_, res.get(), "SQL failed", &broken_); !s.ok())
    return s;
  if (command_tag != nullptr) *command_tag = PQcmdStatus(res.get());
  return absl::OkStatus();
}

absl::StatusOr<int64_t> PgConnection::Run(std::string_view sql, Params params,
                                          std::vector<Row>* rows) {
  if (broken())
    return absl::UnavailableError("the connection to PostgreSQL was lost");
  const int count = static_cast<int>(params.size());
  std::vector<Oid> types(params.size(), 0);
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  std::vector<int> lengths(params.size(), 0);
  std::vector<int> formats(params.size(), 0);
  std::string key(sql);
  key.push_back('\0');
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (std::holds_alternative<Null>(v)) {
      key.push_back('n');
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      types[i] = kInt8Oid;
      texts[i] = fmt::format("{}", *n);
      values[i] = texts[i].c_str();
      key.push_back('i');
    } else if (const auto* d = std::get_if<double>(&v)) {
      types[i] = kFloat8Oid;
      texts[i] = FormatDouble(*d);
      values[i] = texts[i].c_str();
      key.push_back('d');
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      if (s->find('\0') != std::string::npos) {
        return absl::InvalidArgumentError(
            fmt::format("parameter ${} is text holding a NUL byte, which "
                        "PostgreSQL cannot store",
                        i + 1));
      }
      values[i] = s->c_str();
      key.push_back('t');
    } else {
      const std::string& b = std::get<Bytes>(v).data;
      types[i] = kByteaOid;
      values[i] = b.data();
      lengths[i] = static_cast<int>(b.size());
      formats[i] = 1;
      key.push_back('b');
    }
  }

  std::string name;
  bool cached = false;
  if (auto it = prepared_.find(key); it != prepared_.end()) {
    name = it->second;
    cached = true;
  } else {
    absl::StatusOr<int> expected = CountParameters(sql);
    if (!expected.ok()) return expected.status();
    if (*expected != count) {
      return absl::InternalError(
          fmt::format("statement takes {} parameters, {} given: {}", *expected,
                      count, sql));
    }
  }
  const std::string text(sql);
  Result res;
  if (!cached && prepared_.size() < kMaxPreparedStatements) {
    name = fmt::format("jisr_{}", next_statement_++);
    Result prep(
        PQprepare(conn_, name.c_str(), text.c_str(), count, types.data()));
    if (absl::Status s =
            Check(conn_, prep.get(), fmt::format("cannot prepare \"{}\"", sql),
                  &broken_);
        !s.ok()) {
      return s;
    }
    prepared_.emplace(std::move(key), name);
    cached = true;
  }
  if (cached) {
    res.reset(PQexecPrepared(conn_, name.c_str(), count, values.data(),
                             lengths.data(), formats.data(),
                             /*resultFormat=*/0));
  } else {
    res.reset(PQexecParams(conn_, text.c_str(), count, types.data(),
                           values.data(), lengths.data(), formats.data(),
                           /*resultFormat=*/0));
  }
  if (absl::Status s = Check(conn_, res.get(), "statement failed", &broken_);
      !s.ok()) {
    return s;
  }
  if (rows != nullptr && PQresultStatus(res.get()) == PGRES_TUPLES_OK) {
    const int columns = PQnfields(res.get());
    const int tuples = PQntuples(res.get());
    std::vector<Oid> column_types(columns);
    for (int c = 0; c < columns; ++c) column_types[c] = PQftype(res.get(), c);
    rows->reserve(rows->size() + tuples);
    for (int r = 0; r < tuples; ++r) {
      std::vector<Value> row;
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          row.emplace_back(Null{});
          continue;
        }
        absl::StatusOr<Value> v = Decode(
            column_types[c], std::string_view(PQgetvalue(res.get(), r, c),
                                              PQgetlength(res.get(), r, c)));
        if (!v.ok()) return v.status();
        row.push_back(*std::move(v));
      }
      rows->emplace_back(std::move(row));
    }
  }
  const char* affected = PQcmdTuples(res.get());
  if (affected == nullptr || *affected == '\0') return int64_t{0};
  return ParseInt(affected).value_or(0);
}

}  // namespace jisr::db::postgres_internal
