#include "db/store_copy.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <tuple>

#include "common/status.h"
#include "db/test_stores.h"

namespace jisr::db {
namespace {

// A schema with what a copy must get right: paging (> 1000 rows), text keys
// that sort differently byte-wise and by locale, a composite key, a child
// table whose name sorts before its parent's, NULLs, bytes with NUL, doubles,
// and a row the migration seeds.
constexpr Migration kSchema[] = {
    {1, "0001_people",
     "CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, born "
     "BIGINT, "
     "  score DOUBLE PRECISION, photo BYTEA);"
     "CREATE TABLE arrivals (person_id TEXT NOT NULL REFERENCES people (id), "
     "  day BIGINT NOT NULL, note TEXT, PRIMARY KEY (person_id, day));"},
    {2, "0002_seeded",
     "CREATE TABLE seeded (id BIGINT PRIMARY KEY, v TEXT NOT NULL);"
     "INSERT INTO seeded (id, v) VALUES (1, 'seed');"},
};

std::string PersonId(int i) {
  static const char* const kPrefixes[] = {"B", "a", "\xC3\xA9", "_", "b.", "Z"};
  return fmt::format("{}{:05d}", kPrefixes[i % 6], i);
}

absl::Status Fill(Database& db) {
  return db.Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
    for (int i = 0; i < 2500; ++i) {
      JISR_RETURN_IF_ERROR(
          tx.Execute(
                "INSERT INTO people (id, name, born, score, photo) VALUES ($1, "
                "$2, $3, $4, $5)",
                {PersonId(i), fmt::format("Test Person {} \xD8\xB3", i),
                 i % 7 == 0 ? Value(Null{}) : Value(int64_t{-86400000LL * i}),
                 i % 5 == 0 ? Value(Null{}) : Value(i / 3.0),
                 i % 3 == 0 ? Value(Null{})
                            : Value(Bytes{std::string("\0\x01\xff", 3) +
                                          std::to_string(i)})})
              .status());
    }
    for (int i = 0; i < 1200; ++i) {
      JISR_RETURN_IF_ERROR(
          tx.Execute("INSERT INTO arrivals (person_id, day, note) VALUES ($1, "
                     "$2, $3)",
                     {PersonId(i % 400), int64_t{i / 400},
                      i % 2 == 0 ? Value(Null{}) : Value(std::string("ok"))})
              .status());
    }
    JISR_RETURN_IF_ERROR(
        tx.Execute("UPDATE seeded SET v = 'changed' WHERE id = 1").status());
    return tx.Execute("INSERT INTO seeded (id, v) VALUES (2, 'two')").status();
  });
}

std::vector<std::string> TableNames(Database& db) {
  absl::StatusOr<std::vector<TableDigest>> digests = DigestStore(db);
  EXPECT_TRUE(digests.ok()) << digests.status();
  std::vector<std::string> out;
  if (digests.ok()) {
    for (const TableDigest& d : *digests) out.push_back(d.table);
  }
  return out;
}

class StoreCopyTest
    : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {
 protected:
  StoreCopyTest()
      : from_(std::get<0>(GetParam()), /*migrate=*/false),
        to_(std::get<1>(GetParam()), /*migrate=*/false) {}
  testing::TestStore from_;
  testing::TestStore to_;
};

TEST_P(StoreCopyTest, CopiesEveryRowInDependencyOrder) {
  ASSERT_TRUE(Migrate(from_.db(), kSchema).ok());
  ASSERT_TRUE(Fill(from_.db()).ok());
  absl::StatusOr<CopyResult> r = CopyStore(from_.db(), to_.db(), kSchema);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->schema_version, 2);
  std::vector<std::string> order;
  for (const TableDigest& t : r->tables) order.push_back(t.table);
  EXPECT_EQ(order, (std::vector<std::string>{"people", "arrivals",
                                             "schema_migrations", "seeded"}));
  EXPECT_EQ(r->rows, 2500 + 1200 + 2 + 2);

  absl::StatusOr<std::vector<TableDigest>> source = DigestStore(from_.db());
  absl::StatusOr<std::vector<TableDigest>> target = DigestStore(to_.db());
  ASSERT_TRUE(source.ok() && target.ok());
  EXPECT_EQ(*source, *target);
  ASSERT_EQ(source->size(), 4u);
  EXPECT_EQ((*source)[0].table, "arrivals");
  EXPECT_EQ((*source)[0].rows, 1200);
  EXPECT_EQ((*source)[3].table, "seeded");
  EXPECT_EQ((*source)[3].rows, 2);

  // The target holds the source's values, not the migration's seed, and is a
  // working store at the same schema version.
  auto tx = *to_.db().Begin(TxMode::kRead);
  auto seeded = *tx->Query("SELECT v FROM seeded ORDER BY id");
  ASSERT_EQ(seeded.size(), 2u);
  EXPECT_EQ(seeded[0].GetText(0), "changed");
  auto photo = *tx->QueryOptional(
      "SELECT photo, score, born FROM people WHERE id = $1", {PersonId(1)});
  ASSERT_TRUE(photo.has_value());
  EXPECT_EQ(photo->GetBytes(0), std::string("\0\x01\xff"
                                            "1",
                                            4));
  EXPECT_DOUBLE_EQ(photo->GetDouble(1), 1 / 3.0);
  EXPECT_EQ(photo->GetInt(2), -86400000);
  EXPECT_EQ(*SchemaVersion(to_.db()), 2);
  EXPECT_TRUE(Migrate(to_.db(), kSchema).ok());
}

TEST_P(StoreCopyTest, CopiesTheRealSchema) {
  ASSERT_TRUE(Migrate(from_.db()).ok());
  ASSERT_TRUE(
      from_.db()
          .Run(TxMode::kWrite,
               [](Transaction& tx) -> absl::Status {
                 JISR_RETURN_IF_ERROR(
                     tx.Execute(
                           "INSERT INTO agency (id, code, country, name_ar, "
                           "created_at) VALUES (1, 'MA-DGSN', 'MA', $1, 1)",
                           {std::string(
                               "\xD8\xA7\xD9\x84\xD8\xA3\xD9\x85\xD9\x86")})
                         .status());
                 return tx.Execute("UPDATE audit_head SET seq = 0 WHERE id = 1")
                     .status();
               })
          .ok());
  absl::StatusOr<CopyResult> r = CopyStore(from_.db(), to_.db());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->schema_version, EmbeddedMigrations().back().version);
  EXPECT_EQ(*DigestStore(from_.db()), *DigestStore(to_.db()));
  auto tx = *to_.db().Begin(TxMode::kRead);
  EXPECT_EQ((*tx->Query("SELECT COUNT(*) FROM audit_head"))[0].GetInt(0), 1);
  EXPECT_EQ((*tx->Query("SELECT code FROM agency"))[0].GetText(0), "MA-DGSN");
}

TEST_P(StoreCopyTest, RefusesATargetThatIsNotEmpty) {
  ASSERT_TRUE(Migrate(from_.db(), kSchema).ok());
  ASSERT_TRUE(Migrate(to_.db(), kSchema).ok());
  absl::StatusOr<CopyResult> r = CopyStore(from_.db(), to_.db(), kSchema);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(r.status().message()).find("not empty"),
            std::string::npos)
      << r.status();
  auto tx = *to_.db().Begin(TxMode::kRead);
  EXPECT_EQ((*tx->Query("SELECT v FROM seeded"))[0].GetText(0),
            "seed");  // untouched
}

TEST_P(StoreCopyTest, AFailedCopyLeavesTheTargetEmpty) {
  ASSERT_TRUE(Migrate(from_.db(), kSchema).ok());
  ASSERT_TRUE(Fill(from_.db()).ok());
  // A table the migrations do not know.
  ASSERT_TRUE(from_.db()
                  .Run(TxMode::kWrite,
                       [](Transaction& tx) {
                         return tx.ExecuteScript(
                             "CREATE TABLE stray (id BIGINT PRIMARY KEY)");
                       })
                  .ok());
  absl::StatusOr<CopyResult> r = CopyStore(from_.db(), to_.db(), kSchema);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition)
      << r.status();
  EXPECT_TRUE(TableNames(to_.db()).empty());
}

TEST_P(StoreCopyTest, RefusesTablesWithoutPrimaryKey) {
  const Migration keyless[] = {
      {1, "0001_keyless", "CREATE TABLE loose (v TEXT);"}};
  ASSERT_TRUE(Migrate(from_.db(), keyless).ok());
  absl::StatusOr<CopyResult> r = CopyStore(from_.db(), to_.db(), keyless);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition)
      << r.status();
  EXPECT_NE(std::string(r.status().message()).find("loose"), std::string::npos);
  EXPECT_TRUE(TableNames(to_.db()).empty());
}

TEST_P(StoreCopyTest, DigestsDetectAnyDifference) {
  ASSERT_TRUE(Migrate(from_.db(), kSchema).ok());
  ASSERT_TRUE(Fill(from_.db()).ok());
  ASSERT_TRUE(CopyStore(from_.db(), to_.db(), kSchema).ok());
  const std::vector<TableDigest> before = *DigestStore(to_.db());
  // A NULL becomes an empty string in one row of one table.
  ASSERT_TRUE(to_.db()
                  .Run(TxMode::kWrite,
                       [](Transaction& tx) {
                         return tx
                             .Execute(
                                 "UPDATE arrivals SET note = '' WHERE "
                                 "person_id = $1 AND day = 0",
                                 {PersonId(0)})
                             .status();
                       })
                  .ok());
  const std::vector<TableDigest> after = *DigestStore(to_.db());
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i].table == "arrivals") {
      EXPECT_NE(before[i].digest, after[i].digest);
      EXPECT_EQ(before[i].rows, after[i].rows);
    } else {
      EXPECT_EQ(before[i], after[i]);
    }
  }
}

std::string PairName(
    const ::testing::TestParamInfo<std::tuple<std::string, std::string>>&
        info) {
  return std::get<0>(info.param) + "_to_" + std::get<1>(info.param);
}

INSTANTIATE_TEST_SUITE_P(
    Stores, StoreCopyTest,
    ::testing::Combine(::testing::ValuesIn(testing::StoreKinds()),
                       ::testing::ValuesIn(testing::StoreKinds())),
    PairName);

}  // namespace
}  // namespace jisr::db
