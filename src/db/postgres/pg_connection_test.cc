// The pure helpers of the PostgreSQL store (no server needed).
#include "db/postgres/pg_connection.h"

#include <gtest/gtest.h>

namespace jisr::db::postgres_internal {
namespace {

TEST(CodeForSqlStateTest, MapsLikeSqlite) {
  EXPECT_EQ(CodeForSqlState("23505"), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CodeForSqlState("23503"), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeForSqlState("23514"), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeForSqlState("23502"), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeForSqlState("23P01"), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeForSqlState("40001"), absl::StatusCode::kAborted);
  EXPECT_EQ(CodeForSqlState("40P01"), absl::StatusCode::kAborted);
  EXPECT_EQ(CodeForSqlState("08006"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("08003"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("57P01"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("55P03"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("53300"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("22021"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeForSqlState("42601"), absl::StatusCode::kInternal);
  EXPECT_EQ(CodeForSqlState("42P01"), absl::StatusCode::kInternal);
  EXPECT_EQ(CodeForSqlState("25006"), absl::StatusCode::kInternal);
  EXPECT_EQ(CodeForSqlState(""), absl::StatusCode::kInternal);
  EXPECT_EQ(CodeForSqlState("garbage"), absl::StatusCode::kInternal);
  EXPECT_TRUE(IsConnectionLost("08006"));
  EXPECT_TRUE(IsConnectionLost("57P01"));
  EXPECT_FALSE(IsConnectionLost("23505"));
}

TEST(CountParametersTest, CountsNumberedParameters) {
  EXPECT_EQ(*CountParameters("SELECT 1"), 0);
  EXPECT_EQ(*CountParameters("SELECT $1"), 1);
  EXPECT_EQ(*CountParameters("INSERT INTO t (a, b) VALUES ($2, $1)"), 2);
  EXPECT_EQ(*CountParameters("SELECT $1 WHERE x = $1 OR y = $10 AND z IN "
                             "($2,$3,$4,$5,$6,$7,$8,$9)"),
            10);
  EXPECT_EQ(*CountParameters("SELECT pg_try_advisory_lock($1::int4, $2::int4)"),
            2);
}

TEST(CountParametersTest, IgnoresQuotedTextAndComments) {
  EXPECT_EQ(*CountParameters("SELECT '$1', \"$2\", $1 -- $3\n"), 1);
  EXPECT_EQ(
      *CountParameters("SELECT 'it''s $2', $1 /* $5 /* nested $6 */ $7 */"), 1);
  EXPECT_EQ(*CountParameters("SELECT E'\\' $2', $1"), 1);
  EXPECT_EQ(*CountParameters("SELECT $$ $1 $$, $tag$ $2 $tag$, $1"), 1);
  EXPECT_EQ(*CountParameters("SELECT a$1 FROM t"),
            0);  // an identifier, not a parameter
}

TEST(CountParametersTest, RejectsGaps) {
  EXPECT_EQ(CountParameters("SELECT $2").status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(CountParameters("SELECT $1, $3").status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(CountParameters("SELECT $0").status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(CountParameters("SELECT $99999999").status().code(),
            absl::StatusCode::kInternal);
}

TEST(RedactUrlTest, HidesPasswords) {
  EXPECT_EQ(RedactUrl("postgres://jisr:s3cret@db.example:5432/jisr"),
            "postgres://jisr:***@db.example:5432/jisr");
  EXPECT_EQ(
      RedactUrl("postgresql://db/jisr?user=x&password=s3cret&sslmode=require"),
      "postgresql://db/jisr?user=x&password=***&sslmode=require");
  EXPECT_EQ(RedactUrl("host=db password=s3cret user=x"),
            "host=db password=*** user=x");
  EXPECT_EQ(RedactUrl("postgres://jisr@db/jisr"), "postgres://jisr@db/jisr");
}

}  // namespace
}  // namespace jisr::db::postgres_internal
