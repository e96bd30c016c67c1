#include "alerts/alert_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "alerts/test_alerts.h"
#include "common/json.h"
#include "common/status.h"
#include "db/test_stores.h"

namespace jisr::alerts {
namespace {

using testing::AllEntries;
using testing::ArrestContent;
using testing::LocateContent;

class AlertServiceTest : public testing::AlertsServiceTest {};

TEST_P(AlertServiceTest, OfficerDraftsAndAnotherSupervisorActivates) {
  const Alert draft = Draft(ArrestContent(), officer_);
  EXPECT_EQ(draft.status, AlertStatus::kDraft);
  EXPECT_EQ(draft.version, 1);
  EXPECT_EQ(draft.owner, "MA-DGSN");
  EXPECT_EQ(draft.created_by, officer_.Actor());
  EXPECT_FALSE(draft.review_at.has_value());
  EXPECT_FALSE(index_.Contains(draft.id));

  // Officers may not activate; the author may not either, whatever the role.
  EXPECT_EQ(service_.Activate(officer2_, draft.id, 1, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  const Alert by_super = Draft(LocateContent(), supervisor_);
  absl::Status own =
      service_.Activate(supervisor_, by_super.id, 1, "").status();
  EXPECT_EQ(own.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(std::string(own.message()).find("four eyes"), std::string::npos);

  // A supervisor who edited the draft is its last editor: not a second pair of
  // eyes.
  absl::StatusOr<Alert> edited =
      service_.Update(supervisor_, draft.id, 1,
                      Patch(R"({"birth_place": "Fictionville"})"), "");
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->version, 2);
  EXPECT_EQ(service_.Activate(supervisor_, draft.id, 2, "").status().code(),
            absl::StatusCode::kPermissionDenied);

  clock_.Advance(absl::Hours(1));
  absl::StatusOr<Alert> active =
      service_.Activate(supervisor2_, draft.id, 2, "approval");
  ASSERT_TRUE(active.ok()) << active.status();
  EXPECT_EQ(active->status, AlertStatus::kActive);
  EXPECT_EQ(active->version, 3);
  EXPECT_EQ(active->activated_by, supervisor2_.Actor());
  ASSERT_TRUE(active->review_at.has_value());
  EXPECT_EQ(*active->review_at,
            absl::FromCivil(absl::CivilSecond(2031, 1, 1, 1, 0, 0),
                            absl::UTCTimeZone()));  // 5 years for arrest
  EXPECT_TRUE(index_.Contains(draft.id));

  // What was stored is what was returned.
  absl::StatusOr<Alert> read = service_.Get(analyst_, draft.id, "case 12");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, *active);

  // The history holds every version with its snapshot.
  absl::StatusOr<std::vector<HistoryEntry>> history =
      service_.History(analyst_, draft.id, "");
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].change, "create");
  EXPECT_EQ((*history)[1].change, "update");
  EXPECT_EQ((*history)[1].fields, (std::vector<std::string>{"birth_place"}));
  EXPECT_EQ((*history)[1].actor, supervisor_.Actor());
  EXPECT_EQ((*history)[2].change, "activate");
  EXPECT_EQ((*history)[2].version, 3);
  boost::json::object snapshot = *ParseJsonObject((*history)[2].snapshot);
  EXPECT_EQ(snapshot["status"].as_string(), "active");
  EXPECT_EQ(snapshot["birth_place"].as_string(), "Fictionville");
}

TEST_P(AlertServiceTest, StaleVersionsAreRefusedAndChangeNothing) {
  const Alert a = Draft(LocateContent(), officer_);
  ASSERT_TRUE(
      service_.Update(officer_, a.id, 1, Patch(R"({"birth_place": "A"})"), "")
          .ok());
  absl::StatusOr<Alert> stale =
      service_.Update(officer2_, a.id, 1, Patch(R"({"birth_place": "B"})"), "");
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(stale.status().message()).find("version 2"),
            std::string::npos);
  EXPECT_EQ(service_.Activate(supervisor_, a.id, 1, "").status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Alert> now = service_.Get(officer_, a.id, "");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->version, 2);
  EXPECT_EQ(now->content.birth_place, "A");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alert_history"), 2);
  // Failures are audited as such.
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE action = 'alert.update' AND "
            "outcome = 'failure'"),
      1);
}

TEST_P(AlertServiceTest, UpdatesAreValidatedAndNoOpsKeepTheVersion) {
  const Alert a = Draft(LocateContent(), officer_);
  absl::StatusOr<Alert> bad = service_.Update(
      officer_, a.id, 1,
      Patch(
          R"({"documents": [{"type":"passport","number":"1","country":"XX"}]})"),
      "");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(bad.status()), "documents[0].country");
  bad = service_.Update(officer_, a.id, 1,
                        Patch(R"({"category": "arrest_extradition"})"), "");
  EXPECT_EQ(FieldOf(bad.status()), "offence");
  bad = service_.Update(officer_, a.id, 1, Patch(R"({"names": []})"), "");
  EXPECT_EQ(FieldOf(bad.status()), "names");

  absl::StatusOr<Alert> same =
      service_.Update(officer_, a.id, 1, Patch(R"({"gender": "female"})"), "");
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->version, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alert_history"), 1);

  EXPECT_EQ(
      FieldOf(
          service_.Update(officer_, "not-a-uuid", 1, Patch("{}"), "").status()),
      "id");
  EXPECT_EQ(service_
                .Update(officer_, "0192f1d4-5b6c-7000-8000-00000000ffff", 1,
                        Patch("{}"), "")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(AlertServiceTest, LifecycleFeedsTheIndex) {
  Alert a = Active(ArrestContent());
  ASSERT_TRUE(index_.Contains(a.id));

  // Suspend needs a reason; it unlists the alert; activate resumes it.
  EXPECT_EQ(
      FieldOf(service_.Suspend(supervisor_, a.id, a.version, " ", "").status()),
      "reason");
  absl::StatusOr<Alert> s =
      service_.Suspend(supervisor_, a.id, a.version, "Under review", "");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->status, AlertStatus::kSuspended);
  EXPECT_EQ(s->status_reason, "Under review");
  EXPECT_FALSE(index_.Contains(a.id));
  EXPECT_EQ(service_.Suspend(supervisor_, a.id, s->version, "again", "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Alert> resumed =
      service_.Activate(supervisor2_, a.id, s->version, "");
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->activated_at, a.activated_at);  // first activation kept
  EXPECT_EQ(resumed->review_at, a.review_at);
  EXPECT_TRUE(index_.Contains(a.id));

  // An update of an active alert re-indexes it under its new name.
  absl::StatusOr<Alert> renamed = service_.Update(
      officer_, a.id, resumed->version,
      Patch(
          R"({"names": [{"full": "Zakaria Placeholder"}, {"full": "Karim Testaoui"}]})"),
      "");
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->status, AlertStatus::kActive);
  ScreeningSubject q;
  q.names = {"Zakaria Placeholder"};
  absl::StatusOr<std::vector<IndexMatch>> m =
      index_.Screen(q, DefaultThreshold(), 5);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].alert_id, a.id);

  // Execute: date not in the future; place required; then terminal.
  Execution e{absl::CivilDay(2026, 1, 2), "Tanger Med port"};
  EXPECT_EQ(
      FieldOf(
          service_.Execute(officer_, a.id, renamed->version, e, "").status()),
      "date");
  e.date = absl::CivilDay(2026, 1, 1);
  e.place = "";
  EXPECT_EQ(
      FieldOf(
          service_.Execute(officer_, a.id, renamed->version, e, "").status()),
      "place");
  e.place = "Tanger Med port";
  absl::StatusOr<Alert> executed =
      service_.Execute(officer_, a.id, renamed->version, e, "");
  ASSERT_TRUE(executed.ok()) << executed.status();
  EXPECT_EQ(executed->status, AlertStatus::kExecuted);
  ASSERT_TRUE(executed->execution.has_value());
  EXPECT_EQ(executed->execution->place, "Tanger Med port");
  EXPECT_FALSE(index_.Contains(a.id));
  EXPECT_EQ(service_
                .Update(officer_, a.id, executed->version,
                        Patch(R"({"birth_place":"X"})"), "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_.Withdraw(supervisor_, a.id, executed->version, "late", "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Alert> read = service_.Get(officer_, a.id, "");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, *executed);
}

TEST_P(AlertServiceTest, WithdrawNeedsAReasonAndEndsTheAlert) {
  const Alert draft = Draft(LocateContent(), officer_);
  EXPECT_EQ(
      FieldOf(service_.Withdraw(supervisor_, draft.id, 1, "", "").status()),
      "reason");
  EXPECT_EQ(
      service_.Withdraw(officer_, draft.id, 1, "mine", "").status().code(),
      absl::StatusCode::kPermissionDenied);
  absl::StatusOr<Alert> w =
      service_.Withdraw(supervisor_, draft.id, 1, "Duplicate entry", "");
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->status, AlertStatus::kWithdrawn);
  EXPECT_EQ(w->status_reason, "Duplicate entry");

  Alert a = Active(LocateContent("Samira Mockvalue"));
  ASSERT_TRUE(index_.Contains(a.id));
  w = service_.Withdraw(supervisor_, a.id, a.version, "Found by family", "");
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_FALSE(index_.Contains(a.id));
  EXPECT_EQ(
      service_.Activate(supervisor2_, a.id, w->version, "").status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_P(AlertServiceTest, ReviewsWarnThenExpireUnlessExtended) {
  Alert locate = Active(LocateContent());  // review in 3 years
  Alert check = Active([] {
    AlertContent c = LocateContent("Omar Sampleman");
    c.category = Category::kDiscreetCheck;
    return c;
  }());  // review in 1 year
  EXPECT_EQ(*check.review_at,
            absl::FromCivil(absl::CivilSecond(2027, 1, 1, 0, 0, 0),
                            absl::UTCTimeZone()));
  EXPECT_EQ(*locate.review_at,
            absl::FromCivil(absl::CivilSecond(2029, 1, 1, 0, 0, 0),
                            absl::UTCTimeZone()));

  // 31 days before: nothing yet.
  clock_.Set(*check.review_at - absl::Hours(24 * 31));
  absl::StatusOr<ReviewReport> r = service_.RunReviews(clock_.Now());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->warned.empty());
  EXPECT_TRUE(r->expired.empty());

  // 29 days before: warned, once.
  clock_.Advance(absl::Hours(24 * 2));
  r = service_.RunReviews(clock_.Now());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->warned, std::vector<std::string>{check.id});
  r = service_.RunReviews(clock_.Now());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->warned.empty());
  absl::StatusOr<Alert> warned = service_.Get(supervisor_, check.id, "");
  ASSERT_TRUE(warned.ok());
  EXPECT_EQ(warned->review_warned_at, clock_.Now());
  EXPECT_EQ(warned->status, AlertStatus::kActive);

  // The review date passes: expired and unlisted.
  clock_.Set(*check.review_at);
  r = service_.RunReviews(clock_.Now());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->expired, std::vector<std::string>{check.id});
  absl::StatusOr<Alert> expired = service_.Get(supervisor_, check.id, "");
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->status, AlertStatus::kExpired);
  EXPECT_FALSE(index_.Contains(check.id));
  EXPECT_TRUE(index_.Contains(locate.id));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE actor = 'system' AND "
                  "action = 'alert.expire'"),
            1);

  // The locate alert is extended by a supervisor, with a justification.
  clock_.Set(*locate.review_at - absl::Hours(24 * 10));
  r = service_.RunReviews(clock_.Now());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->warned, std::vector<std::string>{locate.id});
  absl::StatusOr<Alert> current = service_.Get(supervisor_, locate.id, "");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(service_
                .Extend(officer_, locate.id, current->version, "still sought",
                        std::nullopt, "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(FieldOf(service_
                        .Extend(supervisor_, locate.id, current->version, "",
                                std::nullopt, "")
                        .status()),
            "justification");
  EXPECT_EQ(FieldOf(service_
                        .Extend(supervisor_, locate.id, current->version,
                                "still sought",
                                clock_.Now() + absl::Hours(24 * 365 * 4), "")
                        .status()),
            "review_at");
  absl::StatusOr<Alert> extended =
      service_.Extend(supervisor_, locate.id, current->version,
                      "Still sought by the court", std::nullopt, "");
  ASSERT_TRUE(extended.ok()) << extended.status();
  EXPECT_EQ(*extended->review_at,
            absl::FromCivil(absl::CivilSecond(2031, 12, 22, 0, 0, 0),
                            absl::UTCTimeZone()));
  EXPECT_FALSE(extended->review_warned_at.has_value());
  clock_.Set(*locate.review_at + absl::Hours(1));
  r = service_.RunReviews(clock_.Now());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->expired.empty());
  EXPECT_TRUE(index_.Contains(locate.id));

  absl::StatusOr<std::vector<HistoryEntry>> history =
      service_.History(supervisor_, locate.id, "");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->back().change, "extend");
  EXPECT_EQ(history->back().note, "Still sought by the court");
  EXPECT_EQ((*history)[history->size() - 2].change, "review_warning");
}

TEST_P(AlertServiceTest, ReviewPeriodsAreConfigurable) {
  AlertServiceOptions o = Options();
  o.review.arrest_years = 2;
  o.review.check_years = 3;
  AlertService custom(db(), audit_, clock_, nullptr, o);
  const absl::Time t = clock_.Now();
  EXPECT_EQ(custom.ReviewDate(Category::kArrestExtradition, t),
            absl::FromCivil(absl::CivilSecond(2028, 1, 1, 0, 0, 0),
                            absl::UTCTimeZone()));
  EXPECT_EQ(custom.ReviewDate(Category::kSpecificCheck, t),
            absl::FromCivil(absl::CivilSecond(2029, 1, 1, 0, 0, 0),
                            absl::UTCTimeZone()));
  EXPECT_EQ(service_.ReviewDate(Category::kWitness, t),
            absl::FromCivil(absl::CivilSecond(2029, 1, 1, 0, 0, 0),
                            absl::UTCTimeZone()));
  EXPECT_EQ(service_.ReviewDate(Category::kInquiryCheck, t),
            absl::FromCivil(absl::CivilSecond(2027, 1, 1, 0, 0, 0),
                            absl::UTCTimeZone()));
}

TEST_P(AlertServiceTest, PermissionsFollowThePolicy) {
  EXPECT_EQ(service_.Create(analyst_, LocateContent(), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.Create(auditor_, LocateContent(), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.Create(admin_, LocateContent(), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  const Alert a = Draft(LocateContent(), officer_);
  EXPECT_EQ(service_.Get(auditor_, a.id, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.Get(admin_, a.id, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.List(auditor_, {}, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.Update(analyst_, a.id, 1, Patch("{}"), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(service_.Get(analyst_, a.id, "").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied'"),
            7);
}

TEST_P(AlertServiceTest, PartnerAlertsAreReadOnly) {
  Alert partner;
  partner.id = "0192f1d4-5b6c-7000-8000-0000000000aa";
  partner.owner = "FR-DGPN";
  partner.status = AlertStatus::kActive;
  partner.content = LocateContent("Lucie Exemplaire");
  partner.created_by = partner.updated_by = "peer:FR-DGPN";
  partner.created_at = partner.updated_at = clock_.Now();
  ASSERT_TRUE(
      db().Run(db::TxMode::kWrite,
               [&](db::Transaction& tx) { return InsertAlert(tx, partner); })
          .ok());
  absl::StatusOr<Alert> read = service_.Get(officer_, partner.id, "");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->owner, "FR-DGPN");
  for (absl::Status s : {
           service_
               .Update(officer_, partner.id, 1, Patch(R"({"birth_place":"X"})"),
                       "")
               .status(),
           service_.Suspend(supervisor_, partner.id, 1, "no", "").status(),
           service_.Withdraw(supervisor_, partner.id, 1, "no", "").status(),
       }) {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_NE(std::string(s.message()).find("read-only"), std::string::npos);
  }
  // It is screened like ours once loaded.
  absl::StatusOr<size_t> loaded = service_.LoadIndex();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, 1u);
  EXPECT_TRUE(index_.Contains(partner.id));
}

TEST_P(AlertServiceTest, ListFiltersSearchesAndPages) {
  const Alert a1 = Active(ArrestContent());
  clock_.Advance(absl::Seconds(1));
  const Alert a2 = Draft(LocateContent(), officer_);
  clock_.Advance(absl::Seconds(1));
  const Alert a3 = Draft(LocateContent("Élodie Fauxnom"), officer_);

  AlertQuery q;
  absl::StatusOr<AlertPage> page = service_.List(analyst_, q, "weekly review");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->alerts.size(), 3u);
  EXPECT_EQ(page->alerts[0].id, a3.id);  // newest first

  q.status = AlertStatus::kActive;
  page = service_.List(analyst_, q, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->alerts[0].id, a1.id);

  q = {};
  q.category = Category::kLocate;
  q.page_size = 1;
  q.page = 2;
  page = service_.List(analyst_, q, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->alerts.size(), 1u);
  EXPECT_EQ(page->alerts[0].id, a2.id);

  q = {};
  q.q = "ELODIE";  // case and accents do not matter
  page = service_.List(analyst_, q, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->alerts[0].id, a3.id);
  q.q = "تستاوي";  // the Arabic alias
  page = service_.List(analyst_, q, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->alerts[0].id, a1.id);
  q.q = "100%_";
  page = service_.List(analyst_, q, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0);
  q.q = "!!!";
  page = service_.List(analyst_, q, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0);

  q = {};
  q.page_size = 0;
  EXPECT_EQ(FieldOf(service_.List(analyst_, q, "").status()), "page_size");
  q = {};
  q.page = 0;
  EXPECT_EQ(FieldOf(service_.List(analyst_, q, "").status()), "page");
  q = {};
  q.q = std::string(400, 'a');
  EXPECT_EQ(FieldOf(service_.List(analyst_, q, "").status()), "q");
}

TEST_P(AlertServiceTest, EveryReadAndChangeIsAuditedWithItsPurpose) {
  const size_t before = AllEntries(audit_, db()).size();
  const Alert a = Draft(LocateContent(), officer_);
  ASSERT_TRUE(service_.Get(analyst_, a.id, "case 2026/17").ok());
  ASSERT_TRUE(service_.List(analyst_, {}, "daily list").ok());
  ASSERT_TRUE(service_.Activate(supervisor_, a.id, 1, "approval").ok());
  std::vector<audit::AuditEntry> entries = AllEntries(audit_, db());
  ASSERT_EQ(entries.size(), before + 4);
  const audit::AuditEntry& create = entries[before];
  EXPECT_EQ(create.action, "alert.create");
  EXPECT_EQ(create.object, "alert/" + a.id);
  EXPECT_EQ(create.actor, officer_.Actor());
  const audit::AuditEntry& read = entries[before + 1];
  EXPECT_EQ(read.action, "alert.read");
  EXPECT_EQ(read.purpose, "case 2026/17");
  EXPECT_EQ(read.actor, analyst_.Actor());
  const audit::AuditEntry& list = entries[before + 2];
  EXPECT_EQ(list.action, "alert.list");
  EXPECT_EQ(list.purpose, "daily list");
  EXPECT_NE(list.details.find(a.id),
            std::string::npos);  // which alerts were shown
  const audit::AuditEntry& activate = entries[before + 3];
  EXPECT_EQ(activate.action, "alert.activate");
  EXPECT_EQ(activate.purpose, "approval");
  boost::json::object details = *ParseJsonObject(activate.details);
  EXPECT_EQ(details["from"].as_string(), "draft");
  EXPECT_EQ(details["to"].as_string(), "active");
  EXPECT_EQ(details["version"].as_int64(), 2);
  // No personal data in the audit details of changes.
  for (size_t i = before; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].details.find("Nadia"), std::string::npos)
        << entries[i].details;
  }
}

TEST_P(AlertServiceTest, AnotherProcessIndexFollowsChanges) {
  // A second service on the same store (as a second `jisr serve` process
  // would have) keeps its own index current through store notifications.
  AlertIndex other_index;
  AlertService other(db(), audit_, clock_, &other_index, Options());
  const Alert before = Active(ArrestContent());
  ASSERT_TRUE(other.FollowChanges().ok());
  EXPECT_TRUE(other_index.Contains(before.id));  // loaded at start

  const Alert later = Active(LocateContent());
  const auto wait_for = [&](auto condition) {
    for (int i = 0; i < 1000 && !condition(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
  };
  EXPECT_TRUE(wait_for([&] { return other_index.Contains(later.id); }));
  ASSERT_TRUE(
      service_.Withdraw(supervisor_, before.id, before.version, "closed", "")
          .ok());
  EXPECT_TRUE(wait_for([&] { return !other_index.Contains(before.id); }));
  EXPECT_EQ(other_index.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, AlertServiceTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::alerts
