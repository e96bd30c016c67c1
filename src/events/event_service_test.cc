// The events service on both stores: events, incidents and deployments
// (permissions, checks, audit), and an accreditation campaign of a few
// thousand applicants screened as one job in blocks, reviewed (clear, refer,
// refuse) with the counts per campaign.
#include "events/event_service.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "alerts/test_alerts.h"
#include "common/status.h"
#include "events/test_events.h"

namespace jisr::events {
namespace {

using testing::Afcon;
using testing::Fight;
using testing::Side;
using testing::TestUser;

alerts::ScreeningJobOptions Blocks() {
  alerts::ScreeningJobOptions o;
  o.block = 250;
  return o;
}

// `n` synthetic applicants with names that match no alert, but the fictional
// Karim Testaoui at items 10 and n-1000 and Nadia Exemplia at item n-1.
std::string Applicants(int n) {
  static constexpr std::string_view kGiven[] = {"Louis",  "Camille", "Hugo",   "Ines",
                                                "Yanis",  "Salma",   "Omar",   "Lina",
                                                "Adam",   "Chloe",   "Rayan",  "Sofia",
                                                "Mehdi",  "Jade",    "Ilyas",  "Manon"};
  static constexpr std::string_view kFamily[] = {
      "Martin", "Bernard", "Dubois", "Lambert", "Alaoui", "Bennani", "Tazi",   "Fassi",
      "Roux",   "Fournier", "Girard", "Bonnet", "Idrissi", "Chraibi", "Berrada", "Lefevre",
      "Moreau", "Laurent", "Simon",  "Michel",  "Garnier", "Faure",  "Andre",  "Mercier"};
  std::string csv = "id,name,aliases,birth_date,nationality,gender,document\n";
  for (int i = 0; i < n; ++i) {
    if (i == 10 || i == n - 1000) {
      csv += fmt::format("ACC{:06d},Karim Testaoui,,1984-03-12,MA,male,\n", i);
    } else if (i == n - 1) {
      csv += fmt::format("ACC{:06d},Nadia Exemplia,,1990-07,MA,female,\n", i);
    } else {
      csv += fmt::format("ACC{:06d},{} {},,{}-0{}-1{},FR,,\n", i, kGiven[i % 16],
                         kFamily[(i / 16) % 24], 1960 + i % 40, 1 + i % 9, i % 9);
    }
  }
  return csv;
}

class EventServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  EventServiceTest() : ma_(GetParam(), "MA-DGSN", clock_, Blocks()) {}

  void TearDown() override {
    absl::StatusOr<audit::VerifyResult> v = ma_.audit.Verify(ma_.db());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << v->reason;
  }

  alerts::Alert Active(const alerts::AlertContent& content) {
    absl::StatusOr<alerts::Alert> a = ma_.alerts.Create(officer_, content, "test");
    EXPECT_TRUE(a.ok()) << a.status();
    absl::StatusOr<alerts::Alert> active =
        ma_.alerts.Activate(supervisor_, a->id, a->version, "test");
    EXPECT_TRUE(active.ok()) << active.status();
    return *active;
  }

  Event Created() {
    absl::StatusOr<Event> e = ma_.events.CreateEvent(supervisor_, Afcon(), "test");
    EXPECT_TRUE(e.ok()) << e.status();
    return *e;
  }

  FakeClock clock_;
  Side ma_;
  security::Principal officer_ = TestUser("000000000001", "officer.one", security::Role::kOfficer);
  security::Principal supervisor_ =
      TestUser("000000000003", "super.one", security::Role::kSupervisor);
  security::Principal analyst_ = TestUser("000000000005", "analyst.one", security::Role::kAnalyst);
  security::Principal admin_ = TestUser("000000000007", "admin.one", security::Role::kAdmin);
};

TEST_P(EventServiceTest, CreatesAnEventOnlySupervisorsMayAndPublishesItToPartners) {
  EXPECT_EQ(ma_.events.CreateEvent(officer_, Afcon(), "test").status().code(),
            absl::StatusCode::kPermissionDenied);
  const Event e = Created();
  EXPECT_EQ(e.host, "MA-DGSN");
  EXPECT_EQ(e.partners, std::vector<std::string>{"FR-DGPN"});
  EXPECT_EQ(ma_.Count("SELECT COUNT(*) FROM outbox WHERE recipient = 'FR-DGPN' AND kind = "
                      "'event.upsert'"),
            1);
  absl::StatusOr<Event> got = ma_.events.GetEvent(analyst_, e.id, "");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->name, "AFCON 2025");
  EXPECT_EQ(got->venues.size(), 2u);
  EXPECT_EQ(got->starts_on, absl::CivilDay(2025, 12, 21));
  EXPECT_EQ(ma_.events.GetEvent(admin_, e.id, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ma_.events.GetEvent(analyst_, "0192f1d4-5b6c-7000-8000-000000000099", "")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<Event>> list = ma_.events.ListEvents(officer_, 1, 50, "");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
}

TEST_P(EventServiceTest, IncidentsAndDeploymentsAreCheckedAndShared) {
  const Event e = Created();
  absl::StatusOr<Incident> i = ma_.events.AddIncident(officer_, e.id, Fight(clock_), "test");
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->owner, "MA-DGSN");
  absl::Status bad = ma_.events.AddIncident(officer_, e.id, Fight(clock_, "NOWHERE"), "t").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(bad).value_or(""), "venue");
  EXPECT_EQ(ma_.events.AddIncident(analyst_, e.id, Fight(clock_), "t").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ma_.Count("SELECT COUNT(*) FROM outbox WHERE kind = 'event.incident'"), 1);
  absl::StatusOr<std::vector<Incident>> list =
      ma_.events.ListIncidents(analyst_, e.id, Severity::kHigh, 1, 50, "event security");
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].persons, std::vector<std::string>{"Person Fictif"});
  list = ma_.events.ListIncidents(analyst_, e.id, Severity::kCritical, 1, 50, "");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());

  DeploymentContent d;
  d.agency = "MA-DGSN";
  d.officer_name = "Officer Fictif";
  d.role = "liaison officer";
  d.venue = "CAS-MV";
  d.starts_at = clock_.Now();
  d.ends_at = clock_.Now() + absl::Hours(8);
  ASSERT_TRUE(ma_.events.AddDeployment(officer_, e.id, d, "test").ok());
  d.agency = "FR-DGPN";
  absl::Status other = ma_.events.AddDeployment(officer_, e.id, d, "test").status();
  EXPECT_EQ(FieldOf(other).value_or(""), "agency");
  absl::StatusOr<std::vector<Deployment>> deployed = ma_.events.ListDeployments(analyst_, e.id, "");
  ASSERT_TRUE(deployed.ok());
  ASSERT_EQ(deployed->size(), 1u);
  EXPECT_EQ((*deployed)[0].venue, "CAS-MV");
  EXPECT_EQ(ma_.Count("SELECT COUNT(*) FROM outbox WHERE kind = 'event.deployment'"), 1);
}

TEST_P(EventServiceTest, ACampaignScreensThousandsOfApplicantsAsOneJobAndCountsTheReview) {
  const alerts::Alert karim = Active(alerts::testing::ArrestContent());
  const alerts::Alert nadia = Active(alerts::testing::LocateContent());
  const Event e = Created();
  constexpr int kApplicants = 3000;
  CampaignUpload upload;
  upload.name = "Stewards and volunteers, wave 1";
  upload.csv = Applicants(kApplicants);
  EXPECT_EQ(ma_.events.CreateCampaign(analyst_, e.id, upload, "accreditation").status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::Status no_purpose = ma_.events.CreateCampaign(officer_, e.id, upload, "").status();
  EXPECT_EQ(FieldOf(no_purpose).value_or(""), "purpose");
  absl::StatusOr<Campaign> c =
      ma_.events.CreateCampaign(officer_, e.id, upload, "AFCON 2025 accreditation");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->counts.total, kApplicants);
  EXPECT_EQ(c->counts.screened, 0);
  EXPECT_EQ(CampaignToJson(*c).at("state").as_string(), "screening");

  absl::StatusOr<int> ran = ma_.jobs.RunPending();
  ASSERT_TRUE(ran.ok()) << ran.status();
  EXPECT_EQ(*ran, 1);

  absl::StatusOr<Campaign> done = ma_.events.GetCampaign(analyst_, c->id, "");
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->counts.screened, kApplicants);
  EXPECT_EQ(done->counts.matched, 3);
  EXPECT_EQ(done->counts.pending, 3);
  EXPECT_TRUE(done->finished_at.has_value());
  EXPECT_EQ(CampaignToJson(*done).at("state").as_string(), "reviewing");
  // The job of alerts/ agrees.
  absl::StatusOr<alerts::ScreeningJob> job = ma_.jobs.Get(officer_, c->job_id, "check");
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ(job->matched, 3);

  absl::StatusOr<ApplicantPage> queue =
      ma_.events.ListApplicants(officer_, c->id, Decision::kPending, 1, 2, "review");
  ASSERT_TRUE(queue.ok()) << queue.status();
  EXPECT_EQ(queue->total, 3);
  ASSERT_EQ(queue->applicants.size(), 2u);
  EXPECT_EQ(queue->applicants[0].item, 10);
  EXPECT_EQ(queue->applicants[0].input_id, "ACC000010");
  EXPECT_EQ(queue->applicants[0].alert_id, karim.id);
  EXPECT_EQ(queue->applicants[1].item, kApplicants - 1000);

  EXPECT_EQ(ma_.events.Review(analyst_, c->id, 10, Decision::kCleared, "x", "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(FieldOf(ma_.events.Review(officer_, c->id, 10, Decision::kCleared, "", "").status())
                .value_or(""),
            "reason");
  EXPECT_EQ(ma_.events.Review(officer_, c->id, 11, Decision::kCleared, "no match", "")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<Applicant> cleared = ma_.events.Review(
      officer_, c->id, 10, Decision::kCleared, "Different person: document checked", "review");
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_EQ(cleared->decision, Decision::kCleared);
  EXPECT_EQ(cleared->reviewer, officer_.Actor());
  EXPECT_EQ(ma_.events.Review(supervisor_, c->id, 10, Decision::kRefused, "again", "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(ma_.events
                  .Review(supervisor_, c->id, kApplicants - 1000, Decision::kRefused,
                          "Wanted: arrest alert confirmed", "review")
                  .ok());
  ASSERT_TRUE(ma_.events
                  .Review(officer_, c->id, kApplicants - 1, Decision::kReferred,
                          "Referred to the SIRENE desk", "review")
                  .ok());
  absl::StatusOr<Campaign> reviewed = ma_.events.GetCampaign(officer_, c->id, "");
  ASSERT_TRUE(reviewed.ok());
  EXPECT_EQ(reviewed->counts.matched, 3);
  EXPECT_EQ(reviewed->counts.pending, 0);
  EXPECT_EQ(reviewed->counts.cleared, 1);
  EXPECT_EQ(reviewed->counts.referred, 1);
  EXPECT_EQ(reviewed->counts.refused, 1);
  EXPECT_EQ(CampaignToJson(*reviewed).at("state").as_string(), "complete");
  queue = ma_.events.ListApplicants(officer_, c->id, Decision::kReferred, 1, 10, "review");
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->applicants.size(), 1u);
  EXPECT_EQ(queue->applicants[0].alert_id, nadia.id);
  absl::StatusOr<std::vector<Campaign>> all = ma_.events.ListCampaigns(officer_, e.id, "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
  EXPECT_EQ(ma_.Count("SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.review' AND "
                      "outcome = 'success'"),
            3);
}

TEST_P(EventServiceTest, ABadUploadStoresNeitherCampaignNorJob) {
  const Event e = Created();
  CampaignUpload upload;
  upload.name = "wave 2";
  upload.csv = "id,name,aliases,birth_date,nationality,gender,document\nA1,Jean Test,,1999-13-01,,,\n";
  absl::Status s = ma_.events.CreateCampaign(officer_, e.id, upload, "accreditation").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(s).value_or(""), "input");
  EXPECT_NE(s.message().find(":2:"), absl::string_view::npos) << s.message();
  EXPECT_EQ(ma_.Count("SELECT COUNT(*) FROM event_campaigns"), 0);
  EXPECT_EQ(ma_.Count("SELECT COUNT(*) FROM screening_jobs"), 0);
  upload.name = "";
  EXPECT_EQ(FieldOf(ma_.events.CreateCampaign(officer_, e.id, upload, "a").status()).value_or(""),
            "name");
}

INSTANTIATE_TEST_SUITE_P(Stores, EventServiceTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::events
