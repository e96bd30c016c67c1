#include "alerts/screening_jobs.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "alerts/test_alerts.h"
#include "common/status.h"

namespace jisr::alerts {
namespace {

using testing::AllEntries;
using testing::ArrestContent;
using testing::LocateContent;

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

constexpr std::string_view kList =
    "id,name,aliases,birth_date,nationality,gender,document\n"
    "A1,Karim Testaoui,,1984-03-12,MA,male,\n"
    "A2,Jean Innocent,,1970,FR,male,\n"
    "A3,Nadia Exemplia,,,,,\n";

class ScreeningJobsTest : public testing::AlertsServiceTest {
 protected:
  ScreeningJobsTest()
      : jobs_(store_.db(), audit_, clock_, index_, JobOptions()) {}
  static ScreeningJobOptions JobOptions() {
    ScreeningJobOptions o;
    o.block = 2;  // several blocks per job
    return o;
  }
  ScreeningJobService jobs_;
};

TEST_P(ScreeningJobsTest, ScreensAListInBlocksWithProgressAndResults) {
  const Alert karim = Active(ArrestContent());
  const Alert nadia = Active(LocateContent());
  absl::StatusOr<ScreeningJob> job =
      jobs_.Submit(officer_, kList, {}, "event accreditation");
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ(job->state, JobState::kQueued);
  EXPECT_EQ(job->total, 3);
  EXPECT_EQ(job->processed, 0);

  absl::StatusOr<int> ran = jobs_.RunPending();
  ASSERT_TRUE(ran.ok()) << ran.status();
  EXPECT_EQ(*ran, 1);
  absl::StatusOr<ScreeningJob> done =
      jobs_.Get(officer_, job->id, "check progress");
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state, JobState::kDone);
  EXPECT_EQ(done->processed, 3);
  EXPECT_EQ(done->matched, 2);
  EXPECT_TRUE(done->finished_at.has_value());
  // Nor are the persons of the list (stored row by row): the results name
  // those with a match.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM screening_job_inputs"), 0);

  absl::StatusOr<JobResultPage> page =
      jobs_.Results(officer_, job->id, 1, 1, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->results.size(), 1u);
  EXPECT_EQ(page->results[0].item, 0);
  EXPECT_EQ(page->results[0].input_id, "A1");
  EXPECT_EQ(page->results[0].alert_id, karim.id);
  EXPECT_EQ(page->results[0].category, "arrest_extradition");
  EXPECT_EQ(page->results[0].warnings, std::vector<std::string>{"violent"});
  page = jobs_.Results(officer_, job->id, 2, 1, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->results.size(), 1u);
  EXPECT_EQ(page->results[0].input_id, "A3");
  EXPECT_EQ(page->results[0].alert_id, nadia.id);

  absl::StatusOr<std::string> csv =
      jobs_.ResultsCsv(supervisor_, job->id, "review");
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_NE(csv->find(",0,A1,Karim Testaoui," + karim.id + ","),
            std::string::npos)
      << *csv;

  // Nothing left to run.
  ran = jobs_.RunPending();
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(*ran, 0);

  // The completion is audited for the submitter with what came back.
  bool completed = false;
  for (const audit::AuditEntry& e : AllEntries(audit_, db())) {
    if (e.action == "screen.batch" &&
        e.details.find("\"completed\"") != std::string::npos) {
      completed = true;
      EXPECT_EQ(e.actor, officer_.Actor());
      EXPECT_EQ(e.purpose, "event accreditation");
      EXPECT_NE(e.details.find(karim.id), std::string::npos);
    }
  }
  EXPECT_TRUE(completed);
}

TEST_P(ScreeningJobsTest, ScreensAFlightFromPaxlst) {
  const Alert karim = Active(ArrestContent());
  SubmitOptions o;
  o.format = JobFormat::kPaxlst;
  absl::StatusOr<ScreeningJob> job = jobs_.Submit(
      analyst_, ReadTestFile("paxlst_passengers.edi"), o, "API check DA1234");
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ(job->total, 3);
  EXPECT_EQ(job->description, "flight DA1234 CDG-RAK, 3 passengers, 0 crew");
  // The message (every passenger) is held while the job waits ...
  EXPECT_EQ(Count("SELECT COUNT(*) FROM screening_jobs WHERE input <> ''"), 1);
  ASSERT_TRUE(jobs_.RunPending().ok());
  // ... and not once it is done: the results name the passenger matched.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM screening_jobs WHERE input <> ''"), 0);
  absl::StatusOr<JobResultPage> page =
      jobs_.Results(analyst_, job->id, 1, 100, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->results[0].input_id, "PAX001-1");
  EXPECT_EQ(page->results[0].alert_id, karim.id);
  EXPECT_GT(page->results[0].score, 0.9);
}

// A job whose stored message cannot be read back (a damaged store) fails
// with the reason, and the message (every passenger) is not kept either.
TEST_P(ScreeningJobsTest, AFailedJobKeepsNeitherItsMessageNorItsPersons) {
  SubmitOptions o;
  o.format = JobFormat::kPaxlst;
  absl::StatusOr<ScreeningJob> job = jobs_.Submit(
      analyst_, ReadTestFile("paxlst_passengers.edi"), o, "API check DA1234");
  ASSERT_TRUE(job.ok()) << job.status();
  ASSERT_TRUE(store_.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) {
                         return tx
                             .Execute("UPDATE screening_jobs SET input = $1 WHERE id = $2",
                                      {std::string("UNH+1+PAXLST'damaged"), job->id})
                             .status();
                       })
                  .ok());
  ASSERT_TRUE(jobs_.RunPending().ok());
  absl::StatusOr<ScreeningJob> failed = jobs_.Get(analyst_, job->id, "check");
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(failed->state, JobState::kFailed);
  EXPECT_FALSE(failed->error.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM screening_jobs WHERE input <> ''"), 0);
}

TEST_P(ScreeningJobsTest, BadInputsAreRefusedWithTheirLine) {
  absl::StatusOr<ScreeningJob> job =
      jobs_.Submit(officer_,
                   "id,name,aliases,birth_date,nationality,gender,document\nA1,"
                   "Karim,,1984-13,MA,,\n",
                   {}, "check");
  EXPECT_EQ(job.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(job.status()), "input");
  EXPECT_NE(std::string(job.status().message()).find("input:2:"),
            std::string::npos)
      << job.status();
  SubmitOptions pax;
  pax.format = JobFormat::kPaxlst;
  job = jobs_.Submit(officer_, "UNH+1+PAXLST'", pax, "check");
  EXPECT_EQ(FieldOf(job.status()), "input");
  EXPECT_EQ(FieldOf(jobs_.Submit(officer_, kList, {}, "").status()), "purpose");
  // The permission comes first: a caller who may not screen lists is
  // denied whatever the purpose, and the denial is audited.
  EXPECT_EQ(jobs_.Submit(admin_, kList, {}, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  SubmitOptions staged_options;
  EXPECT_EQ(jobs_.CreateStaged(auditor_, staged_options, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  SubmitOptions o;
  o.top_k = 0;
  EXPECT_EQ(FieldOf(jobs_.Submit(officer_, kList, o, "check").status()),
            "top_k");
  o = {};
  o.threshold = -0.1;
  EXPECT_EQ(FieldOf(jobs_.Submit(officer_, kList, o, "check").status()),
            "threshold");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM screening_jobs"), 0);
}

TEST_P(ScreeningJobsTest, OnlyTheSubmitterAndSupervisorsReadAJob) {
  absl::StatusOr<ScreeningJob> job = jobs_.Submit(officer_, kList, {}, "check");
  ASSERT_TRUE(job.ok());
  EXPECT_TRUE(jobs_.Get(officer_, job->id, "").ok());
  EXPECT_TRUE(jobs_.Get(supervisor_, job->id, "").ok());
  EXPECT_EQ(jobs_.Get(officer2_, job->id, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(jobs_.Results(analyst_, job->id, 1, 10, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(jobs_.Submit(auditor_, kList, {}, "check").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(jobs_.Get(officer_, "0192f1d4-5b6c-7000-8000-00000000ffff", "")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(ScreeningJobsTest, AStaleJobIsTakenOverAndResumed) {
  Active(LocateContent());
  absl::StatusOr<ScreeningJob> job = jobs_.Submit(officer_, kList, {}, "check");
  ASSERT_TRUE(job.ok());
  // A worker claimed it, did one block, then its process died.
  ASSERT_TRUE(db().Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) {
                         return tx
                             .Execute(
                                 "UPDATE screening_jobs SET state = 'running', "
                                 "processed = 2, "
                                 "heartbeat_at = $1 WHERE id = $2",
                                 {ToUnixMillis(clock_.Now()), job->id})
                             .status();
                       })
                  .ok());
  absl::StatusOr<int> ran = jobs_.RunPending();
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(*ran, 0);  // still fresh: not taken over
  clock_.Advance(absl::Minutes(6));
  ran = jobs_.RunPending();
  ASSERT_TRUE(ran.ok()) << ran.status();
  EXPECT_EQ(*ran, 1);
  absl::StatusOr<ScreeningJob> done = jobs_.Get(officer_, job->id, "");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, JobState::kDone);
  EXPECT_EQ(done->processed, 3);
  EXPECT_EQ(done->matched, 1);  // only the third person was screened here
}

TEST_P(ScreeningJobsTest, TheWorkerRunsSubmittedJobs) {
  Active(LocateContent());
  jobs_.StartWorker();
  absl::StatusOr<ScreeningJob> job = jobs_.Submit(officer_, kList, {}, "check");
  ASSERT_TRUE(job.ok());
  bool done = false;
  for (int i = 0; i < 1000 && !done; ++i) {
    absl::StatusOr<ScreeningJob> j = jobs_.Get(officer_, job->id, "");
    done = j.ok() && j->state == JobState::kDone;
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(done);
}

INSTANTIATE_TEST_SUITE_P(Stores, ScreeningJobsTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::alerts
