#include "alerts/screening_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "alerts/test_alerts.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::alerts {
namespace {

using testing::AllEntries;
using testing::ArrestContent;
using testing::LocateContent;

class ScreeningServiceTest : public testing::AlertsServiceTest {
 protected:
  static ScreeningSubject Person(std::string_view json) {
    absl::StatusOr<ScreeningSubject> s =
        SubjectFromJson(*ParseJsonObject(json));
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : ScreeningSubject{};
  }
};

TEST_P(ScreeningServiceTest,
       FindsActiveAlertsWithExplanationsAndAuditsTheQuery) {
  const Alert arrest = Active(ArrestContent());
  const Alert draft = Draft(LocateContent("Karim Testaoui"),
                            officer_);  // drafts are not screened
  const ScreeningSubject who = Person(
      R"({"name": "KARIM TESTAOUI", "birth_date": "1984-03-12", "nationality": ["MA"],
          "gender": "m", "documents": ["zx-000111"]})");
  absl::StatusOr<std::vector<ScreenMatch>> m =
      screening_.Screen(officer_, who, "border check");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->size(), 1u);
  const ScreenMatch& match = (*m)[0];
  EXPECT_EQ(match.alert_id, arrest.id);
  EXPECT_GE(match.score, 0.95);
  EXPECT_EQ(match.matched_name, "Karim Testaoui");
  EXPECT_EQ(match.category, Category::kArrestExtradition);
  EXPECT_EQ(match.owner, "MA-DGSN");
  EXPECT_EQ(match.action, "Arrest with a view to extradition.");
  EXPECT_EQ(match.warnings, std::vector<WarningFlag>{WarningFlag::kViolent});
  EXPECT_FALSE(match.explanation.empty());
  const boost::json::object json = ScreenMatchToJson(match);
  EXPECT_EQ(json.at("category").as_string(), "arrest_extradition");
  EXPECT_EQ(json.at("warnings").as_array().at(0).as_string(), "violent");

  // The audit entry names who asked, why, the query and what came back.
  const audit::AuditEntry e = AllEntries(audit_, db()).back();
  EXPECT_EQ(e.action, "screen.person");
  EXPECT_EQ(e.actor, officer_.Actor());
  EXPECT_EQ(e.purpose, "border check");
  boost::json::object details = *ParseJsonObject(e.details);
  EXPECT_EQ(details["query"].as_object()["name"].as_string(), "KARIM TESTAOUI");
  ASSERT_EQ(details["matches"].as_array().size(), 1u);
  EXPECT_EQ(
      details["matches"].as_array()[0].as_object()["alert_id"].as_string(),
      arrest.id);
  (void)draft;
}

TEST_P(ScreeningServiceTest, CrossScriptAndAliasesMatch) {
  const Alert locate = Active(LocateContent());
  absl::StatusOr<std::vector<ScreenMatch>> m = screening_.Screen(
      analyst_, Person(R"({"name": "نادية إكزمبليا"})"), "event accreditation");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_FALSE(m->empty());
  EXPECT_EQ((*m)[0].alert_id, locate.id);
  m = screening_.Screen(
      analyst_,
      Person(R"({"name": "Somebody Else", "aliases": ["Nadia Exemplia"]})"),
      "event accreditation");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_FALSE(m->empty());
  EXPECT_EQ((*m)[0].alert_id, locate.id);
  EXPECT_EQ((*m)[0].query_name, "Nadia Exemplia");
}

TEST_P(ScreeningServiceTest, WithdrawnAlertsNoLongerMatch) {
  const Alert a = Active(LocateContent());
  ASSERT_TRUE(
      service_.Withdraw(supervisor_, a.id, a.version, "found", "").ok());
  absl::StatusOr<std::vector<ScreenMatch>> m = screening_.Screen(
      officer_, Person(R"({"name": "Nadia Exemplia"})"), "check");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->empty());
}

TEST_P(ScreeningServiceTest, PurposeIsRequiredAndPermissionsApply) {
  Active(LocateContent());
  const ScreeningSubject s = Person(R"({"name": "Nadia Exemplia"})");
  EXPECT_EQ(FieldOf(screening_.Screen(officer_, s, "").status()), "purpose");
  EXPECT_EQ(FieldOf(screening_.Screen(officer_, s, "   ").status()), "purpose");
  // The permission comes first, whatever the purpose.
  EXPECT_EQ(screening_.Screen(auditor_, s, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(screening_.Screen(auditor_, s, "curious").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(screening_.Screen(admin_, s, "curious").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(screening_.Screen(supervisor_, s, "check").ok());
  ScreenOptions o;
  o.threshold = 1.5;
  EXPECT_EQ(FieldOf(screening_.Screen(officer_, s, "check", o).status()),
            "threshold");
  o = {};
  o.top_k = 0;
  EXPECT_EQ(FieldOf(screening_.Screen(officer_, s, "check", o).status()),
            "top_k");
  EXPECT_EQ(
      FieldOf(screening_.Screen(officer_, Person(R"({"name": "!!!"})"), "check")
                  .status()),
      "person.name");
}

TEST_P(ScreeningServiceTest, BadPersonsNameTheField) {
  const auto field = [](std::string_view json) {
    absl::StatusOr<ScreeningSubject> s =
        SubjectFromJson(*ParseJsonObject(json));
    return s.ok() ? std::string() : FieldOf(s.status()).value_or("<none>");
  };
  EXPECT_EQ(field(R"({"aliases": ["A"]})"), "person.name");
  EXPECT_EQ(field(R"({"name": 5})"), "person.name");
  EXPECT_EQ(field(R"({"name": "A", "aliases": ["B", 3]})"),
            "person.aliases[1]");
  EXPECT_EQ(field(R"({"name": "A", "birth_date": "1984-02-30"})"),
            "person.birth_date");
  EXPECT_EQ(field(R"({"name": "A", "nationality": ["MA", "XX"]})"),
            "person.nationality[1]");
  EXPECT_EQ(field(R"({"name": "A", "nationality": "XX"})"),
            "person.nationality");
  EXPECT_EQ(field(R"({"name": "A", "gender": "robot"})"), "person.gender");
  EXPECT_EQ(field(R"({"name": "A", "documents": ["--"]})"),
            "person.documents[0]");
  EXPECT_EQ(field(R"({"name": "A", "documents": [{"type": "passport"}]})"),
            "person.documents[0].number");
  EXPECT_EQ(field(R"({"name": "A", "height": 180})"), "person.height");
  EXPECT_EQ(
      field(
          R"({"name": "A", "nationality": "ma", "documents": [{"number": "X1"}]})"),
      "");
}

INSTANTIATE_TEST_SUITE_P(Stores, ScreeningServiceTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::alerts
