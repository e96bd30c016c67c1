// Test support for alerts/: synthetic alert contents (clearly fictional
// persons) and helpers to read back what the audit log recorded.
//
// Thread-safety: test-only, single thread.
#ifndef JISR_ALERTS_TEST_ALERTS_H_
#define JISR_ALERTS_TEST_ALERTS_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "alerts/alert_index.h"
#include "alerts/alert_service.h"
#include "alerts/hit_service.h"
#include "alerts/screening_service.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/json.h"
#include "db/database.h"
#include "db/test_stores.h"
#include "security/policy.h"

namespace jisr::alerts::testing {

inline AlertName Name(std::string full, NameKind kind = NameKind::kAlias,
                      std::string given = "", std::string family = "") {
  AlertName n;
  n.full = std::move(full);
  n.given = std::move(given);
  n.family = std::move(family);
  n.kind = kind;
  return n;
}

// A valid locate alert for the fictional "Nadia Exemplia".
inline AlertContent LocateContent(std::string primary = "Nadia Exemplia") {
  AlertContent c;
  c.category = Category::kLocate;
  c.names = {Name(primary, NameKind::kPrimary), Name("نادية إكزمبليا")};
  c.birth_date = screening::PartialDate{1990, 7, 0};
  c.nationalities = {"MA"};
  c.gender = Gender::kFemale;
  c.action = "Locate and report the place of residence.";
  c.handling_code = HandlingCode::kH1;
  return c;
}

// A valid arrest alert for the fictional "Karim Testaoui".
inline AlertContent ArrestContent(std::string primary = "Karim Testaoui") {
  AlertContent c;
  c.category = Category::kArrestExtradition;
  c.names = {Name(primary, NameKind::kPrimary, "Karim", "Testaoui"),
             Name("كريم تستاوي")};
  c.birth_date = screening::PartialDate{1984, 3, 12};
  c.nationalities = {"MA", "FR"};
  c.gender = Gender::kMale;
  c.documents = {
      Document{DocumentType::kPassport, "ZX000111", "MA", std::nullopt}};
  c.offence = "Organised fraud (synthetic test case)";
  c.warrant = Warrant{"W-2025-0001", "Test Court", absl::CivilDay(2025, 11, 2)};
  c.action = "Arrest with a view to extradition.";
  c.warnings = {WarningFlag::kViolent};
  c.handling_code = HandlingCode::kH2;
  c.share_with = {"FR-DGPN"};
  return c;
}

// Every audit entry, oldest first.
inline std::vector<audit::AuditEntry> AllEntries(const audit::AuditLog& log,
                                                 db::Database& db) {
  std::vector<audit::AuditEntry> out;
  audit::AuditFilter filter;
  filter.limit = audit::kMaxListLimit;
  for (;;) {
    absl::StatusOr<audit::AuditPage> page = log.List(db, filter);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    out.insert(out.end(), page->entries.begin(), page->entries.end());
    if (!page->next_before_seq) break;
    filter.before_seq = page->next_before_seq;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

inline security::Principal TestUser(const std::string& id_suffix,
                                    const std::string& name,
                                    security::Role role) {
  return security::Principal::ForUser("0192f1d4-5b6c-7000-8000-" + id_suffix,
                                      name, "Test " + name, role);
}

// A fresh store of the parameter's kind with the alerts services on it (agency
// MA-DGSN), a fake clock at 2026-01-01 and one principal per role. The audit
// chain is verified after each test.
class AlertsServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  AlertsServiceTest()
      : store_(GetParam()),
        audit_(clock_),
        service_(store_.db(), audit_, clock_, &index_, Options()),
        screening_(store_.db(), audit_, index_),
        hits_(store_.db(), audit_, clock_, "MA-DGSN") {}

  static AlertServiceOptions Options() {
    AlertServiceOptions o;
    o.agency = "MA-DGSN";
    return o;
  }

  void TearDown() override {
    absl::StatusOr<audit::VerifyResult> v = audit_.Verify(db());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << v->reason;
  }

  db::Database& db() { return store_.db(); }

  Alert Draft(const AlertContent& content, const security::Principal& who) {
    absl::StatusOr<Alert> a = service_.Create(who, content, "test");
    EXPECT_TRUE(a.ok()) << a.status();
    return a.ok() ? *a : Alert{};
  }

  // Drafted by officer_, activated by supervisor_.
  Alert Active(const AlertContent& content) {
    Alert a = Draft(content, officer_);
    absl::StatusOr<Alert> active =
        service_.Activate(supervisor_, a.id, a.version, "test");
    EXPECT_TRUE(active.ok()) << active.status();
    return active.ok() ? *active : Alert{};
  }

  int64_t Count(std::string_view sql) {
    auto tx = *db().Begin(db::TxMode::kRead);
    return (*tx->Query(sql))[0].GetInt(0);
  }

  static boost::json::object Patch(std::string_view json) {
    return *ParseJsonObject(json);
  }

  FakeClock clock_;  // 2026-01-01
  db::testing::TestStore store_;
  audit::AuditLog audit_;
  AlertIndex index_;
  AlertService service_;
  ScreeningService screening_;
  HitService hits_;
  security::Principal officer_ =
      TestUser("000000000001", "officer.one", security::Role::kOfficer);
  security::Principal officer2_ =
      TestUser("000000000002", "officer.two", security::Role::kOfficer);
  security::Principal supervisor_ =
      TestUser("000000000003", "super.one", security::Role::kSupervisor);
  security::Principal supervisor2_ =
      TestUser("000000000004", "super.two", security::Role::kSupervisor);
  security::Principal analyst_ =
      TestUser("000000000005", "analyst.one", security::Role::kAnalyst);
  security::Principal auditor_ =
      TestUser("000000000006", "auditor.one", security::Role::kAuditor);
  security::Principal admin_ =
      TestUser("000000000007", "admin.one", security::Role::kAdmin);
};

}  // namespace jisr::alerts::testing

#endif  // JISR_ALERTS_TEST_ALERTS_H_
