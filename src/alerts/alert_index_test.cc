#include "alerts/alert_index.h"

#include <gtest/gtest.h>

#include "alerts/test_alerts.h"
#include "common/status.h"

namespace jisr::alerts {
namespace {

Alert MakeAlert(std::string id, std::vector<std::string> names,
                AlertStatus status, int64_t version = 1) {
  Alert a;
  a.id = std::move(id);
  a.owner = "MA-DGSN";
  a.status = status;
  a.version = version;
  for (size_t i = 0; i < names.size(); ++i) {
    a.content.names.push_back(testing::Name(
        names[i], i == 0 ? NameKind::kPrimary : NameKind::kAlias));
  }
  a.content.action = "Report";
  return a;
}

ScreeningSubject Subject(std::string name) {
  ScreeningSubject s;
  s.names.push_back(std::move(name));
  return s;
}

TEST(AlertIndexTest, ListsOnlyActiveAlertsAndIgnoresOlderVersions) {
  AlertIndex index;
  ASSERT_TRUE(
      index.Sync(MakeAlert("a1", {"Karim Testaoui"}, AlertStatus::kDraft))
          .ok());
  EXPECT_FALSE(index.Contains("a1"));
  EXPECT_EQ(index.size(), 0u);
  ASSERT_TRUE(
      index.Sync(MakeAlert("a1", {"Karim Testaoui"}, AlertStatus::kActive, 2))
          .ok());
  EXPECT_TRUE(index.Contains("a1"));
  EXPECT_EQ(index.size(), 1u);

  absl::StatusOr<std::vector<IndexMatch>> m =
      index.Screen(Subject("Karim Testaoui"), DefaultThreshold(), 10);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].alert_id, "a1");
  EXPECT_GT((*m)[0].score, 0.9);
  EXPECT_EQ((*m)[0].matched_name, "Karim Testaoui");
  EXPECT_FALSE((*m)[0].explanation.empty());

  // A stale notification (version 1, draft) does not unlist version 2.
  ASSERT_TRUE(
      index.Sync(MakeAlert("a1", {"Karim Testaoui"}, AlertStatus::kDraft, 1))
          .ok());
  EXPECT_TRUE(index.Contains("a1"));
  // Suspension (version 3) does.
  ASSERT_TRUE(
      index
          .Sync(MakeAlert("a1", {"Karim Testaoui"}, AlertStatus::kSuspended, 3))
          .ok());
  EXPECT_FALSE(index.Contains("a1"));
  EXPECT_EQ(index.size(), 0u);
  m = index.Screen(Subject("Karim Testaoui"), DefaultThreshold(), 10);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->empty());
}

TEST(AlertIndexTest, ReloadReplacesEverything) {
  AlertIndex index;
  ASSERT_TRUE(
      index.Sync(MakeAlert("a1", {"Karim Testaoui"}, AlertStatus::kActive))
          .ok());
  ASSERT_TRUE(
      index.Sync(MakeAlert("a2", {"Nadia Exemplia"}, AlertStatus::kActive))
          .ok());
  const std::vector<Alert> store = {
      MakeAlert("a2", {"Nadia Exemplia"}, AlertStatus::kActive),
      MakeAlert("a3", {"Youssef Fictif", "يوسف فكتيف"}, AlertStatus::kActive),
      MakeAlert("a4", {"Samir Draftson"}, AlertStatus::kDraft),
  };
  absl::StatusOr<size_t> n = index.Reload(store);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 2u);
  EXPECT_FALSE(index.Contains("a1"));
  EXPECT_TRUE(index.Contains("a2"));
  EXPECT_TRUE(index.Contains("a3"));
  EXPECT_FALSE(index.Contains("a4"));
  absl::StatusOr<std::vector<IndexMatch>> m =
      index.Screen(Subject("Karim Testaoui"), DefaultThreshold(), 10);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->empty());
  m = index.Screen(Subject("Youssef Fictif"), DefaultThreshold(), 10);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].alert_id, "a3");
}

TEST(AlertIndexTest, RefusesUnscreenableNamesAndQueries) {
  AlertContent c;
  c.names = {testing::Name("Karim Testaoui", NameKind::kPrimary),
             testing::Name("!!!")};
  absl::Status s = AlertIndex::CheckIndexable(c);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(s), "names[1].full");
  c.names.pop_back();
  EXPECT_TRUE(AlertIndex::CheckIndexable(c).ok());

  AlertIndex index;
  absl::StatusOr<std::vector<IndexMatch>> m =
      index.Screen(Subject("!!! ---"), 0.8, 10);
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(m.status()), "person.name");
}

TEST(AlertIndexTest, SearchKeyFoldsCaseAndAccents) {
  EXPECT_EQ(SearchKey("ÉLODIE"), SearchKey("elodie"));
  EXPECT_EQ(SearchKey("  Karim  "), "karim");
}

}  // namespace
}  // namespace jisr::alerts
