#include "alerts/alert_io.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "alerts/test_alerts.h"
#include "common/status.h"

namespace jisr::alerts {
namespace {

const absl::CivilDay kToday(2026, 1, 1);

std::string ReadTestFile(const std::string& name) {
  const char* src = std::getenv("JISR_SOURCE_DIR");
  const std::string dir =
      src != nullptr ? std::string(src) : std::string(JISR_ALERTS_SOURCE_DIR);
  std::ifstream in(dir + "/src/alerts/testdata/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ParsedImport Parse(AlertFormat f, const std::string& file) {
  return ParseImport(f, ReadTestFile(file), {}, kToday);
}

std::string Problems(const ParsedImport& p) {
  std::string out;
  for (const ImportProblem& problem : p.problems)
    out += FormatImportProblem(problem) + "\n";
  return out;
}

TEST(AlertIoTest, InterpolRedNotice) {
  const ParsedImport p =
      Parse(AlertFormat::kInterpol, "interpol_red_notice.json");
  ASSERT_TRUE(p.problems.empty()) << Problems(p);
  ASSERT_EQ(p.records.size(), 1u);
  const ImportRecord& r = p.records[0];
  EXPECT_EQ(r.line, 1u);
  EXPECT_EQ(r.source, "interpol:2025/90001");
  const AlertContent& c = r.content;
  EXPECT_EQ(c.category, Category::kLocate);
  ASSERT_EQ(c.names.size(), 1u);
  EXPECT_EQ(c.names[0].full, "KARIM TESTAOUI");
  EXPECT_EQ(c.names[0].given, "KARIM");
  EXPECT_EQ(c.names[0].family, "TESTAOUI");
  EXPECT_EQ(c.birth_date->ToString(), "1984-03-12");
  EXPECT_EQ(c.birth_place, "FICTIONVILLE, MA");
  EXPECT_EQ(c.nationalities, (std::vector<std::string>{"MA", "FR"}));
  EXPECT_EQ(c.gender, Gender::kMale);
  EXPECT_EQ(
      c.offence,
      "Organised fraud (synthetic sample, not a real notice) (warrant of FR)");
  EXPECT_EQ(
      c.distinguishing_marks,
      (std::vector<std::string>{"Scar on the left hand", "Height 1.78 m",
                                "Weight 80 kg", "Languages spoken: ARA, FRE"}));
  EXPECT_NE(c.action.find("INTERPOL notice 2025/90001"), std::string::npos);
}

TEST(AlertIoTest, InterpolSearchResultGivesEachNoticeItsLine) {
  const ParsedImport p = Parse(AlertFormat::kInterpol, "interpol_notices.json");
  ASSERT_TRUE(p.problems.empty()) << Problems(p);
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_EQ(p.records[0].line, 6u);
  EXPECT_EQ(p.records[1].line, 16u);
  EXPECT_EQ(p.records[2].line, 28u);
  EXPECT_EQ(p.records[0].content.birth_date->ToString(), "1990-07");
  EXPECT_EQ(p.records[1].content.gender, Gender::kUnknown);
  EXPECT_EQ(
      p.records[1].content.offence,
      "Synthetic charge B (warrant of FR); Synthetic charge C (warrant of ES)");
  EXPECT_EQ(p.records[2].content.offence, "");
}

TEST(AlertIoTest, InterpolBadNoticesAreReportedWithLineAndReason) {
  const ParsedImport p = Parse(AlertFormat::kInterpol, "interpol_broken.json");
  ASSERT_EQ(p.records.size(), 1u) << Problems(p);
  EXPECT_EQ(p.records[0].source, "interpol:2025/90013");
  ASSERT_EQ(p.problems.size(), 5u) << Problems(p);
  EXPECT_EQ(p.problems[0].line, 2u);
  EXPECT_NE(p.problems[0].reason.find("no such day"), std::string::npos)
      << p.problems[0].reason;
  EXPECT_EQ(p.problems[1].line, 3u);
  EXPECT_NE(p.problems[1].reason.find("nationalities[0]"), std::string::npos);
  EXPECT_EQ(p.problems[2].line, 4u);
  EXPECT_NE(p.problems[2].reason.find("entity_id"), std::string::npos);
  EXPECT_EQ(p.problems[3].line, 5u);
  EXPECT_NE(p.problems[3].reason.find("height"), std::string::npos);
  EXPECT_EQ(p.problems[4].line, 8u);
  EXPECT_NE(p.problems[4].reason.find("earlier"), std::string::npos);

  const ParsedImport malformed = ParseImport(
      AlertFormat::kInterpol, "[\n{\"entity_id\": \"1\",\n", {}, kToday);
  ASSERT_EQ(malformed.problems.size(), 1u);
  EXPECT_NE(malformed.problems[0].reason.find("line 3"), std::string::npos)
      << malformed.problems[0].reason;
  EXPECT_EQ(
      ParseImport(AlertFormat::kInterpol, "42", {}, kToday).problems.size(),
      1u);
  EXPECT_EQ(ParseImport(AlertFormat::kInterpol, "[1, \"x\"]", {}, kToday)
                .problems.size(),
            2u);
  EXPECT_EQ(ParseImport(AlertFormat::kInterpol, "\xff\xfe", {}, kToday)
                .problems.size(),
            1u);
}

TEST(AlertIoTest, ArrestCategoryNeedsWhatInterpolDoesNotGive) {
  ImportDefaults d;
  d.category = Category::kArrestExtradition;
  const ParsedImport p =
      ParseImport(AlertFormat::kInterpol,
                  ReadTestFile("interpol_red_notice.json"), d, kToday);
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_NE(p.problems[0].reason.find("warrant"), std::string::npos);
}

TEST(AlertIoTest, FollowTheMoneyPersons) {
  const ParsedImport p = Parse(AlertFormat::kFtm, "ftm_persons.jsonl");
  ASSERT_TRUE(p.problems.empty()) << Problems(p);
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_EQ(p.records[0].line, 1u);
  EXPECT_EQ(p.records[1].line, 2u);
  EXPECT_EQ(p.records[2].line, 4u);
  const AlertContent& karim = p.records[0].content;
  EXPECT_EQ(p.records[0].source, "ftm:demo-ftm-0001");
  ASSERT_EQ(karim.names.size(), 4u);
  EXPECT_EQ(karim.names[0].full, "Karim Testaoui");
  EXPECT_EQ(karim.names[0].kind, NameKind::kPrimary);
  EXPECT_EQ(karim.names[1].full, "كريم تستاوي");
  EXPECT_EQ(karim.names[3].full, "Karim Ahmed Testaoui");
  EXPECT_EQ(karim.nationalities, std::vector<std::string>{"MA"});
  ASSERT_EQ(karim.documents.size(), 1u);
  EXPECT_EQ(karim.documents[0].type, DocumentType::kPassport);
  EXPECT_EQ(karim.documents[0].country, "MA");
  const AlertContent& nadia = p.records[1].content;
  EXPECT_EQ(nadia.names[0].full, "Nadia Exemplia");
  EXPECT_EQ(nadia.documents[0].type, DocumentType::kIdCard);
  EXPECT_EQ(nadia.documents[0].country,
            "");  // two nationalities: issuer unknown
  EXPECT_EQ(p.records[2].content.birth_date->ToString(), "1979-01-01");
}

TEST(AlertIoTest, FollowTheMoneyBadLines) {
  const ParsedImport p = Parse(AlertFormat::kFtm, "ftm_broken.jsonl");
  ASSERT_EQ(p.records.size(), 1u) << Problems(p);
  EXPECT_EQ(p.records[0].line, 7u);
  ASSERT_EQ(p.problems.size(), 6u) << Problems(p);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(p.problems[i].line, i + 1) << Problems(p);
  EXPECT_NE(p.problems[0].reason.find("Person"), std::string::npos);
  EXPECT_NE(p.problems[1].reason.find("birthDate"), std::string::npos);
  EXPECT_NE(p.problems[2].reason.find("properties.name"), std::string::npos);
  EXPECT_NE(p.problems[3].reason.find("id"), std::string::npos);
  EXPECT_NE(p.problems[4].reason.find("nationalities[0]"), std::string::npos);
  EXPECT_NE(p.problems[5].reason.find("malformed JSON"), std::string::npos);
}

TEST(AlertIoTest, CsvWithTheScreenColumns) {
  const ParsedImport p = Parse(AlertFormat::kCsv, "persons.csv");
  ASSERT_TRUE(p.problems.empty()) << Problems(p);
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_EQ(p.records[0].line, 2u);
  EXPECT_EQ(p.records[0].source, "csv:W1");
  EXPECT_EQ(p.records[0].content.names.size(), 3u);
  EXPECT_EQ(p.records[0].content.nationalities,
            (std::vector<std::string>{"MA", "FR"}));
  EXPECT_EQ(p.records[1].content.gender, Gender::kFemale);
  EXPECT_EQ(p.records[2].content.names[0].full, "Sampleman, Omar");
  ASSERT_EQ(p.records[2].content.documents.size(), 2u);
  EXPECT_EQ(p.records[2].content.documents[1].number, "P-88");
}

TEST(AlertIoTest, CsvBadRows) {
  const ParsedImport p = Parse(AlertFormat::kCsv, "persons_broken.csv");
  ASSERT_EQ(p.records.size(), 1u) << Problems(p);
  EXPECT_EQ(p.records[0].source, "csv:B6");
  ASSERT_EQ(p.problems.size(), 6u) << Problems(p);
  EXPECT_EQ(p.problems[0].line, 2u);
  EXPECT_NE(p.problems[0].reason.find("birth_date"), std::string::npos);
  EXPECT_EQ(p.problems[1].line, 3u);
  EXPECT_NE(p.problems[1].reason.find("nationalities[0]"), std::string::npos);
  EXPECT_EQ(p.problems[2].line, 4u);
  EXPECT_NE(p.problems[2].reason.find("names[0].full"), std::string::npos);
  EXPECT_EQ(p.problems[3].line, 5u);
  EXPECT_NE(p.problems[3].reason.find("gender"), std::string::npos);
  EXPECT_EQ(p.problems[4].line, 6u);
  EXPECT_NE(p.problems[4].reason.find("7 fields"), std::string::npos);
  EXPECT_EQ(p.problems[5].line, 8u);
  const ParsedImport header =
      ParseImport(AlertFormat::kCsv, "id,name\nA,B\n", {}, kToday);
  ASSERT_EQ(header.problems.size(), 1u);
  EXPECT_EQ(header.problems[0].line, 1u);
  const ParsedImport unterminated = ParseImport(
      AlertFormat::kCsv,
      std::string(
          "id,name,aliases,birth_date,nationality,gender,document\nA,\"B\n"),
      {}, kToday);
  ASSERT_EQ(unterminated.problems.size(), 1u);
}

TEST(AlertIoTest, ExportsReadBackTheSame) {
  std::vector<Alert> alerts;
  for (const ImportRecord& r :
       Parse(AlertFormat::kFtm, "ftm_persons.jsonl").records) {
    Alert a;
    a.id =
        "0192f1d4-5b6c-7000-8000-00000000000" + std::to_string(alerts.size());
    a.source = r.source;
    a.content = r.content;
    alerts.push_back(a);
  }
  absl::StatusOr<std::string> ftm = ExportAlerts(AlertFormat::kFtm, alerts);
  ASSERT_TRUE(ftm.ok());
  const ParsedImport again = ParseImport(AlertFormat::kFtm, *ftm, {}, kToday);
  ASSERT_TRUE(again.problems.empty()) << Problems(again) << *ftm;
  ASSERT_EQ(again.records.size(), alerts.size());
  for (size_t i = 0; i < alerts.size(); ++i) {
    EXPECT_EQ(again.records[i].source,
              *alerts[i].source);  // the FTM id is kept
    EXPECT_EQ(again.records[i].content.names, alerts[i].content.names);
    EXPECT_EQ(again.records[i].content.birth_date,
              alerts[i].content.birth_date);
    EXPECT_EQ(again.records[i].content.nationalities,
              alerts[i].content.nationalities);
    EXPECT_EQ(again.records[i].content.gender, alerts[i].content.gender);
  }

  absl::StatusOr<std::string> csv = ExportAlerts(AlertFormat::kCsv, alerts);
  ASSERT_TRUE(csv.ok());
  const ParsedImport from_csv =
      ParseImport(AlertFormat::kCsv, *csv, {}, kToday);
  ASSERT_TRUE(from_csv.problems.empty()) << Problems(from_csv) << *csv;
  ASSERT_EQ(from_csv.records.size(), alerts.size());
  EXPECT_EQ(from_csv.records[0].source, "csv:" + alerts[0].id);
  EXPECT_EQ(from_csv.records[0].content.names[0].full, "Karim Testaoui");
  EXPECT_EQ(ExportAlerts(AlertFormat::kInterpol, alerts).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ---- through the service
// ----------------------------------------------------------

class AlertImportTest : public testing::AlertsServiceTest {};

TEST_P(AlertImportTest, AllOrNothingSkipInvalidAndIdempotent) {
  const std::string broken = ReadTestFile("ftm_broken.jsonl");
  absl::StatusOr<ImportResult> r =
      service_.Import(officer_, AlertFormat::kFtm, broken, {}, "");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->imported);
  EXPECT_EQ(r->problems.size(), 6u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts"), 0);

  ImportOptions skip;
  skip.skip_invalid = true;
  r = service_.Import(officer_, AlertFormat::kFtm, broken, skip, "");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->imported);
  EXPECT_EQ(r->created.size(), 1u);

  const std::string good = ReadTestFile("interpol_notices.json");
  r = service_.Import(officer_, AlertFormat::kInterpol, good, {},
                      "monthly INTERPOL import");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->created.size(), 3u);
  EXPECT_TRUE(r->unchanged.empty());
  absl::StatusOr<Alert> a = service_.Get(supervisor_, r->created[0], "");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->status, AlertStatus::kDraft);
  EXPECT_EQ(a->source, "interpol:2025/90002");
  EXPECT_EQ(a->created_by, officer_.Actor());

  // Re-importing the same file changes nothing.
  const int64_t history = Count("SELECT COUNT(*) FROM alert_history");
  r = service_.Import(officer_, AlertFormat::kInterpol, good, {}, "again");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->created.empty());
  EXPECT_EQ(r->unchanged.size(), 3u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alert_history"), history);

  // Imported drafts follow four eyes like any other.
  EXPECT_TRUE(service_.Activate(supervisor_, a->id, a->version, "").ok());
}

TEST_P(AlertImportTest, PermissionsAndExport) {
  const std::string csv = ReadTestFile("persons.csv");
  EXPECT_EQ(
      service_.Import(analyst_, AlertFormat::kCsv, csv, {}, "").status().code(),
      absl::StatusCode::kPermissionDenied);
  absl::StatusOr<ImportResult> r =
      service_.Import(supervisor_, AlertFormat::kCsv, csv, {}, "");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->created.size(), 3u);
  EXPECT_EQ(service_.Export(officer_, std::nullopt, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<std::vector<Alert>> all =
      service_.Export(supervisor_, std::nullopt, "backup");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 3u);
  absl::StatusOr<std::vector<Alert>> active =
      service_.Export(supervisor_, AlertStatus::kActive, "");
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(active->empty());
  absl::StatusOr<std::string> text = ExportAlerts(AlertFormat::kCsv, *all);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("W1,Karim Testaoui,"), std::string::npos) << *text;
}

INSTANTIATE_TEST_SUITE_P(Stores, AlertImportTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::alerts
