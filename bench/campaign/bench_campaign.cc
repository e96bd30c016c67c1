// Accreditation campaign benchmark (issue 8, docs/performance.md): a
// synthetic campaign (events/campaign_synth.h, fixed seed) run through the
// services in one process, as a node runs them — active alerts created and
// activated, the campaign created for an upload in parts, the applicants
// uploaded in parts of --part (generated part by part: the whole list never
// exists in memory), the job started and run by the screening-job runner in
// blocks of --block. Prints the time of each phase, applicants/s, the
// resident memory (VmRSS before the job, VmHWM: the process's peak) and the
// counts, and checks them: exit 1 unless screened == applicants and the
// matches are exactly the planted variants.
//
// Usage: jisr_bench_campaign [--applicants N] [--alerts N] [--part N]
//          [--block N] [--seed N] [--store URL]   (default: SQLite in a
//          temporary directory, synchronous=FULL)
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "alerts/alert_index.h"
#include "alerts/alert_service.h"
#include "alerts/screening_jobs.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "db/migrations.h"
#include "events/campaign_synth.h"
#include "events/event_service.h"

namespace {

using jisr::security::Principal;
using jisr::security::Role;

int64_t ProcStatusKb(std::string_view key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0 && line.size() > key.size() && line[key.size()] == ':')
      return std::stoll(line.substr(key.size() + 1));
  }
  return 0;
}

[[noreturn]] void Fail(std::string_view what, const absl::Status& s) {
  std::fprintf(stderr, "bench-campaign: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               std::string(s.message()).c_str());
  std::exit(1);
}

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

int main(int argc, char** argv) {
  int applicants = 200000;
  int alert_count = 2000;
  int part = 10000;
  int64_t block = 2000;
  uint64_t seed = 20251125;
  std::string store;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* v = argv[i + 1];
    if (flag == "--applicants")
      applicants = std::atoi(v);
    else if (flag == "--alerts")
      alert_count = std::atoi(v);
    else if (flag == "--part")
      part = std::atoi(v);
    else if (flag == "--block")
      block = std::atoll(v);
    else if (flag == "--seed")
      seed = std::strtoull(v, nullptr, 10);
    else if (flag == "--store")
      store = v;
    else {
      std::fprintf(stderr, "bench-campaign: unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  if (applicants < 1 || alert_count < 1 || alert_count > 10000 || part < 1 || block < 1) {
    std::fprintf(stderr, "bench-campaign: bad arguments\n");
    return 2;
  }
  std::filesystem::path dir;
  if (store.empty()) {
    dir = std::filesystem::temp_directory_path() /
          fmt::format("jisr-bench-campaign-{}", static_cast<long>(::getpid()));
    std::filesystem::create_directories(dir);
    store = "sqlite:" + (dir / "jisr.db").string();
  }
  int code = 0;
  {
    absl::StatusOr<std::unique_ptr<jisr::db::Database>> db = jisr::db::OpenDatabase(store);
    if (!db.ok()) Fail("open", db.status());
    if (absl::Status s = jisr::db::Migrate(**db); !s.ok()) Fail("migrate", s);
    const jisr::Clock& clock = jisr::SystemClock::Instance();
    jisr::audit::AuditLog audit(clock);
    jisr::alerts::AlertIndex index;
    jisr::alerts::AlertServiceOptions alert_options;
    alert_options.agency = "MA-DGSN";
    jisr::alerts::AlertService alerts(**db, audit, clock, &index, alert_options);
    jisr::alerts::ScreeningJobOptions job_options;
    job_options.block = block;
    jisr::alerts::ScreeningJobService jobs(**db, audit, clock, index, job_options);
    jisr::events::EventService events(**db, audit, clock, jisr::events::EventOptions{"MA-DGSN"},
                                      &jobs);
    jobs.AddBlockObserver([&](jisr::db::Transaction& tx, const jisr::alerts::ScreeningJob& job,
                              int64_t end, const std::vector<jisr::alerts::BlockMatch>& m) {
      return events.ObserveBlock(tx, job, end, m);
    });
    const Principal officer = Principal::ForUser("0192f1d4-5b6c-7000-8000-000000000001",
                                                 "officer.bench", "Bench Officer", Role::kOfficer);
    const Principal supervisor =
        Principal::ForUser("0192f1d4-5b6c-7000-8000-000000000003", "super.bench",
                           "Bench Supervisor", Role::kSupervisor);
    const jisr::events::testing::CampaignSynth synth(seed, alert_count, applicants, 0.005);

    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::string> alert_ids;
    for (int i = 0; i < alert_count; ++i) {
      absl::StatusOr<jisr::alerts::Alert> a = alerts.Create(officer, synth.Alert(i), "bench");
      if (!a.ok()) Fail("alert", a.status());
      absl::StatusOr<jisr::alerts::Alert> active =
          alerts.Activate(supervisor, a->id, a->version, "bench");
      if (!active.ok()) Fail("activate", active.status());
      alert_ids.push_back(a->id);
    }
    jisr::events::EventContent event;
    event.name = "Bench Cup 2030";
    event.starts_on = absl::CivilDay(2030, 6, 13);
    event.ends_on = absl::CivilDay(2030, 7, 21);
    event.venues = {{"RBT-PMA", "Synthetic Stadium", "Rabat"}};
    event.partners = {"FR-DGPN"};
    absl::StatusOr<jisr::events::Event> e = events.CreateEvent(supervisor, event, "bench");
    if (!e.ok()) Fail("event", e.status());
    jisr::events::CampaignUpload upload;
    upload.name = "Synthetic applicants";
    upload.parts = true;
    absl::StatusOr<jisr::events::Campaign> c =
        events.CreateCampaign(officer, e->id, upload, "bench accreditation");
    if (!c.ok()) Fail("campaign", c.status());

    const auto t1 = std::chrono::steady_clock::now();
    int parts = 0;
    for (int begin = 0; begin < applicants; begin += part) {
      const int end = std::min(applicants, begin + part);
      absl::StatusOr<jisr::alerts::InputPart> p =
          events.AddApplicants(officer, c->id, synth.Applicants(begin, end), "bench accreditation");
      if (!p.ok()) Fail("part", p.status());
      ++parts;
    }
    absl::StatusOr<jisr::events::Campaign> started =
        events.StartCampaign(officer, c->id, "bench accreditation");
    if (!started.ok()) Fail("start", started.status());
    const auto t2 = std::chrono::steady_clock::now();
    const int64_t hwm_before = ProcStatusKb("VmHWM");
    const int64_t rss_before = ProcStatusKb("VmRSS");
    absl::StatusOr<int> ran = jobs.RunPending();
    if (!ran.ok()) Fail("job", ran.status());
    const auto t3 = std::chrono::steady_clock::now();
    const int64_t hwm_after = ProcStatusKb("VmHWM");

    absl::StatusOr<jisr::events::Campaign> done = events.GetCampaign(officer, c->id, "bench");
    if (!done.ok()) Fail("read", done.status());
    // Exactly the planted variants, each with its own alert.
    int64_t exact = 0;
    int64_t wrong = 0;
    for (int64_t page = 1; page <= 100000; ++page) {
      absl::StatusOr<jisr::events::ApplicantPage> p = events.ListApplicants(
          officer, c->id, std::nullopt, page, jisr::events::kMaxPageSize, "bench");
      if (!p.ok()) Fail("applicants", p.status());
      for (const jisr::events::Applicant& a : p->applicants) {
        const int item = static_cast<int>(a.item);
        if (synth.IsVariant(item) &&
            a.alert_id == alert_ids[static_cast<size_t>(synth.VariantOf(item))]) {
          ++exact;
        } else {
          ++wrong;
        }
      }
      if (p->applicants.size() < static_cast<size_t>(jisr::events::kMaxPageSize)) break;
    }
    const double job_s = Seconds(t2, t3);
    std::printf(
        "store            %s\n"
        "applicants       %d (parts of %d: %d parts), blocks of %lld, seed %llu\n"
        "active alerts    %d\n"
        "alerts created   %.1f s\n"
        "upload           %.1f s (%.0f applicants/s)\n"
        "job              %.1f s (%.0f applicants/s)\n"
        "memory           VmRSS before the job %lld MiB, VmHWM before %lld MiB, after %lld MiB\n"
        "counts           total %lld, screened %lld, matched %lld, pending %lld; planted "
        "variants %d, found exactly %lld, other matches %lld\n",
        store.rfind("sqlite:", 0) == 0 ? "sqlite (synchronous=FULL)" : "postgresql", applicants,
        part, parts, static_cast<long long>(block), static_cast<unsigned long long>(seed),
        alert_count, Seconds(t0, t1), Seconds(t1, t2), applicants / std::max(Seconds(t1, t2), 1e-9),
        job_s, applicants / std::max(job_s, 1e-9), static_cast<long long>(rss_before / 1024),
        static_cast<long long>(hwm_before / 1024), static_cast<long long>(hwm_after / 1024),
        static_cast<long long>(done->counts.total), static_cast<long long>(done->counts.screened),
        static_cast<long long>(done->counts.matched), static_cast<long long>(done->counts.pending),
        synth.variants(), static_cast<long long>(exact), static_cast<long long>(wrong));
    if (done->counts.screened != applicants || exact != synth.variants() || wrong != 0) {
      std::fprintf(stderr, "bench-campaign: the counts are wrong\n");
      code = 1;
    }
  }
  if (!dir.empty()) std::filesystem::remove_all(dir);
  return code;
}
