#include "alerts/alert.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/json.h"
#include "common/status.h"

namespace jisr::alerts {
namespace {

const absl::CivilDay kToday(2026, 1, 15);

// A valid arrest alert for a fictional person.
constexpr std::string_view kArrestJson = R"json({
  "category": "arrest_extradition",
  "names": [
    {"full": "Karim Testaoui", "given": "Karim", "family": "Testaoui", "kind": "primary"},
    {"full": "كريم تستاوي", "kind": "alias"},
    {"full": "Karim Test-Aoui"}
  ],
  "birth_date": "1984-03",
  "birth_place": "Fictionville",
  "nationalities": ["ma", "FR"],
  "gender": "male",
  "documents": [{"type": "passport", "number": "ZX-000111", "country": "MA",
                 "expires_on": "2030-06-30"}],
  "distinguishing_marks": ["scar on the left hand"],
  "offence": "Organised fraud (synthetic test case)",
  "warrant": {"reference": "W-2025-0001", "authority": "Test Court of Rabat",
              "issued_on": "2025-11-02"},
  "action": "Arrest with a view to extradition; inform the SIRENE desk.",
  "warnings": ["violent", "armed"],
  "handling_code": "H2",
  "share_with": ["fr-dgpn"]
})json";

AlertContent Parse(std::string_view text) {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(text);
  EXPECT_TRUE(o.ok()) << o.status();
  absl::StatusOr<AlertContent> c = AlertContentFromJson(*o);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *c : AlertContent{};
}

// Parses and validates `text`; returns the field named by the error ("" if OK).
std::string FieldOfError(std::string_view text) {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(text);
  EXPECT_TRUE(o.ok()) << o.status();
  absl::StatusOr<AlertContent> c = AlertContentFromJson(*o);
  absl::Status s = c.ok() ? ValidateContent(*c, kToday) : c.status();
  if (s.ok()) return "";
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  return FieldOf(s).value_or("<no field>");
}

// kArrestJson with member `key` replaced by `value` (JSON text; "" removes it).
std::string With(std::string_view key, std::string_view value) {
  boost::json::object o = *ParseJsonObject(kArrestJson);
  if (value.empty()) {
    o.erase(key);
  } else {
    o[key] = *ParseJson(value);
  }
  return ToJson(o);
}

TEST(AlertTest, ParsesAFullAlert) {
  const AlertContent c = Parse(kArrestJson);
  EXPECT_EQ(c.category, Category::kArrestExtradition);
  ASSERT_EQ(c.names.size(), 3u);
  EXPECT_EQ(c.names[0].kind, NameKind::kPrimary);
  EXPECT_EQ(c.names[1].full, "كريم تستاوي");
  EXPECT_EQ(c.names[2].kind, NameKind::kAlias);  // default for later names
  EXPECT_EQ(c.PrimaryName(), "Karim Testaoui");
  ASSERT_TRUE(c.birth_date.has_value());
  EXPECT_EQ(c.birth_date->ToString(), "1984-03");
  EXPECT_EQ(c.nationalities, (std::vector<std::string>{"MA", "FR"}));
  EXPECT_EQ(c.gender, Gender::kMale);
  ASSERT_EQ(c.documents.size(), 1u);
  EXPECT_EQ(c.documents[0].expires_on, absl::CivilDay(2030, 6, 30));
  ASSERT_TRUE(c.warrant.has_value());
  EXPECT_EQ(c.warrant->issued_on, absl::CivilDay(2025, 11, 2));
  // Warnings are kept in vocabulary order.
  EXPECT_EQ(c.warnings, (std::vector<WarningFlag>{WarningFlag::kArmed,
                                                  WarningFlag::kViolent}));
  EXPECT_EQ(c.handling_code, HandlingCode::kH2);
  EXPECT_EQ(c.share_with, (std::vector<std::string>{"FR-DGPN"}));
  EXPECT_TRUE(ValidateContent(c, kToday).ok()) << ValidateContent(c, kToday);
}

TEST(AlertTest, JsonRoundTrips) {
  const AlertContent c = Parse(kArrestJson);
  const boost::json::object json = AlertContentToJson(c);
  absl::StatusOr<AlertContent> back = AlertContentFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, c);
  EXPECT_EQ(json.at("birth_date").as_string(), "1984-03");
  EXPECT_EQ(json.at("warnings").as_array().size(), 2u);
  EXPECT_EQ(json.at("warrant").as_object().at("issued_on").as_string(),
            "2025-11-02");
}

TEST(AlertTest, EveryInvalidFieldIsNamed) {
  EXPECT_EQ(FieldOfError(kArrestJson), "");
  EXPECT_EQ(FieldOfError(With("category", "\"wanted\"")), "category");
  EXPECT_EQ(FieldOfError(With("category", "")), "category");
  EXPECT_EQ(FieldOfError(With("names", "[]")), "names");
  EXPECT_EQ(FieldOfError(With("names", "{}")), "names");
  EXPECT_EQ(FieldOfError(With("names", R"([{"full": ""}])")), "names[0].full");
  EXPECT_EQ(FieldOfError(With("names", R"([{"given": "A"}])")),
            "names[0].full");
  EXPECT_EQ(
      FieldOfError(With("names", R"([{"full": "A B"}, {"full": "1234"}])")),
      "names[1].full");
  EXPECT_EQ(
      FieldOfError(
          With("names", R"([{"full": "A B"}, {"full": "C", "kind": "nick"}])")),
      "names[1].kind");
  EXPECT_EQ(FieldOfError(With("names", R"([{"full": "A", "kind": "alias"}])")),
            "names");
  EXPECT_EQ(
      FieldOfError(With(
          "names", R"([{"full": "A"}, {"full": "B", "kind": "primary"}])")),
      "names[1].kind");
  EXPECT_EQ(FieldOfError(With("names", R"([{"full": "A", "nick": "B"}])")),
            "names[0].nick");
  EXPECT_EQ(FieldOfError(With("names", R"([{"full": "A\u0001B"}])")),
            "names[0].full");
  EXPECT_EQ(FieldOfError(With("names", R"([{"full": 7}])")), "names[0].full");
  EXPECT_EQ(FieldOfError(With("birth_date", "\"1984-13\"")), "birth_date");
  EXPECT_EQ(FieldOfError(With("birth_date", "\"84\"")), "birth_date");
  EXPECT_EQ(FieldOfError(With("birth_date", "\"2027\"")),
            "birth_date");  // future
  EXPECT_EQ(FieldOfError(With("nationalities", R"(["MA", "QQ"])")),
            "nationalities[1]");
  EXPECT_EQ(FieldOfError(With("nationalities", R"(["MA", "ma"])")),
            "nationalities[1]");
  EXPECT_EQ(FieldOfError(With("nationalities", R"(["MAR"])")),
            "nationalities[0]");
  EXPECT_EQ(FieldOfError(With("nationalities", R"([5])")), "nationalities[0]");
  EXPECT_EQ(FieldOfError(With("gender", "\"m\"")), "gender");
  EXPECT_EQ(
      FieldOfError(With("documents",
                        R"([{"type":"passport","number":"A1","country":"MA"},
                                  {"type":"passport","number":"B2","country":"ZZ"}])")),
      "documents[1].country");
  EXPECT_EQ(
      FieldOfError(With("documents", R"([{"type":"passport","number":"A1"}])")),
      "");  // the issuing country may be unknown
  EXPECT_EQ(
      FieldOfError(With("documents",
                        R"([{"type":"passport","number":"A1","country":""}])")),
      "");
  EXPECT_EQ(FieldOfError(
                With("documents", R"([{"type":"passport","country":"MA"}])")),
            "documents[0].number");
  EXPECT_EQ(
      FieldOfError(With("documents", R"([{"number":"A1","country":"MA"}])")),
      "documents[0].type");
  EXPECT_EQ(FieldOfError(
                With("documents",
                     R"([{"type":"passport","number":"--","country":"MA"}])")),
            "documents[0].number");
  EXPECT_EQ(
      FieldOfError(With("documents",
                        R"([{"type":"passport","number":"A1","country":"MA",
                                   "expires_on":"2030-02-30"}])")),
      "documents[0].expires_on");
  EXPECT_EQ(FieldOfError(With("distinguishing_marks", R"([""])")),
            "distinguishing_marks[0]");
  EXPECT_EQ(FieldOfError(With("offence", "")),
            "offence");  // required for arrest
  EXPECT_EQ(FieldOfError(With("warrant", "")),
            "warrant");  // required for arrest
  EXPECT_EQ(
      FieldOfError(With("warrant", R"({"reference":"R","authority":"A"})")),
      "warrant.issued_on");
  EXPECT_EQ(FieldOfError(With("warrant", R"({"reference":"R","authority":"A",
                                           "issued_on":"2026-02-01"})")),
            "warrant.issued_on");  // in the future
  EXPECT_EQ(FieldOfError(With("warrant",
                              R"({"authority":"A","issued_on":"2025-02-01"})")),
            "warrant.reference");
  EXPECT_EQ(FieldOfError(With("action", "")), "action");
  EXPECT_EQ(FieldOfError(With("action", "\"   \"")), "action");
  EXPECT_EQ(FieldOfError(With("warnings", R"(["armed", "grumpy"])")),
            "warnings[1]");
  EXPECT_EQ(FieldOfError(With("warnings", R"(["armed", "armed"])")),
            "warnings[1]");
  EXPECT_EQ(FieldOfError(With("handling_code", "\"H4\"")), "handling_code");
  EXPECT_EQ(FieldOfError(With("share_with", R"(["FR-DGPN", "nope"])")),
            "share_with[1]");
  EXPECT_EQ(FieldOfError(With("share_with", R"(["FR-DGPN", "FR-DGPN"])")),
            "share_with[1]");
  EXPECT_EQ(FieldOfError(With("surprise", "1")), "surprise");
}

TEST(AlertTest, OnlyArrestAlertsNeedAWarrantAndOffence) {
  std::string text = With("category", "\"locate\"");
  boost::json::object o = *ParseJsonObject(text);
  o.erase("warrant");
  o.erase("offence");
  EXPECT_EQ(FieldOfError(ToJson(o)), "");
}

TEST(AlertTest, ApplyPatchReportsChangedFields) {
  AlertContent c = Parse(kArrestJson);
  const boost::json::object patch = *ParseJsonObject(
      R"({"version": 3, "birth_place": "Elsewhere", "gender": "male",
                           "distinguishing_marks": null})");
  static constexpr std::string_view kVersion[] = {"version"};
  absl::StatusOr<std::vector<std::string>> changed =
      ApplyPatch(patch, c, kVersion);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed,
            (std::vector<std::string>{"birth_place", "distinguishing_marks"}));
  EXPECT_EQ(c.birth_place, "Elsewhere");
  EXPECT_TRUE(c.distinguishing_marks.empty());

  // A bad member leaves the content as it was.
  const AlertContent before = c;
  absl::StatusOr<std::vector<std::string>> bad =
      ApplyPatch(*ParseJsonObject(R"({"birth_place": "X", "gender": "robot"})"),
                 c, kVersion);
  EXPECT_EQ(FieldOf(bad.status()), "gender");
  EXPECT_EQ(c, before);
  EXPECT_EQ(
      FieldOf(
          ApplyPatch(*ParseJsonObject(R"({"category": null})"), c).status()),
      "category");
  EXPECT_EQ(
      FieldOf(ApplyPatch(*ParseJsonObject(R"({"version": 1})"), c).status()),
      "version");
}

TEST(AlertTest, DatesAndAgencyCodes) {
  EXPECT_EQ(*ParseDay("2024-02-29", "d"), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(FieldOf(ParseDay("2023-02-29", "d").status()), "d");
  EXPECT_FALSE(ParseDay("2024-2-29", "d").ok());
  EXPECT_FALSE(ParseDay("2024-02-29x", "d").ok());
  EXPECT_FALSE(ParseDay("１９８４-01-01", "d").ok());
  EXPECT_EQ(FormatDay(absl::CivilDay(2024, 2, 9)), "2024-02-09");
  EXPECT_TRUE(ValidateAgencyCode("MA-DGSN", "x").ok());
  EXPECT_TRUE(ValidateAgencyCode("FR-DGPN2", "x").ok());
  EXPECT_FALSE(ValidateAgencyCode("QQ-DGSN", "x").ok());
  EXPECT_FALSE(ValidateAgencyCode("MA_DGSN", "x").ok());
  EXPECT_FALSE(ValidateAgencyCode("MA-D", "x").ok());
  EXPECT_FALSE(ValidateAgencyCode("ma-dgsn", "x").ok());
  EXPECT_TRUE(HasLetter("ـكريم"));
  EXPECT_TRUE(HasLetter("Ωmega"));
  EXPECT_FALSE(HasLetter("12-34 !"));
  EXPECT_FALSE(HasLetter("\xff\xfe"));
}

TEST(AlertTest, VocabulariesRoundTrip) {
  for (std::string_view name : CategoryNames()) {
    ASSERT_TRUE(CategoryFromName(name).has_value()) << name;
    EXPECT_EQ(CategoryName(*CategoryFromName(name)), name);
  }
  for (std::string_view name : StatusNames()) {
    ASSERT_TRUE(StatusFromName(name).has_value()) << name;
    EXPECT_EQ(StatusName(*StatusFromName(name)), name);
  }
  EXPECT_FALSE(CategoryFromName("Locate").has_value());
  EXPECT_TRUE(IsTerminal(AlertStatus::kExpired));
  EXPECT_FALSE(IsTerminal(AlertStatus::kSuspended));
}

}  // namespace
}  // namespace jisr::alerts
