// Replays the test files through the fuzz target's function (alerts_fuzz.cc)
// with every reader selector, and deterministic mutations of them (truncated,
// bytes flipped, bytes inserted), so that the invariants the fuzzer checks
// are also checked by every ordinary test run. A failed invariant aborts.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "alerts/alert_sharing.h"
#include "alerts/hit_service.h"
#include "common/json.h"
#include "federation/identity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

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

void Feed(uint8_t selector, const std::string& input) {
  std::string bytes(1, static_cast<char>(selector));
  bytes += input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()),
                         bytes.size());
}

TEST(AlertsFuzzReplayTest, TestFilesAndMutationsKeepTheInvariants) {
  const std::vector<std::string> files = {
      "interpol_red_notice.json", "interpol_notices.json",
      "interpol_broken.json",     "ftm_persons.jsonl",
      "ftm_broken.jsonl",         "persons.csv",
      "persons_broken.csv",       "paxlst_passengers.edi",
      "paxlst_crew.edi",
  };
  std::mt19937 rng(20260101);
  int runs = 0;
  for (const std::string& name : files) {
    const std::string data = ReadTestFile(name);
    for (uint8_t selector = 0; selector < 10; ++selector) {
      Feed(selector, data);
      ++runs;
      for (int i = 0; i < 40; ++i) {
        std::string m = data;
        switch (rng() % 3) {
          case 0:
            m.resize(rng() % (m.size() + 1));
            break;
          case 1:
            if (!m.empty())
              m[rng() % m.size()] = static_cast<char>(rng() % 256);
            break;
          default:
            m.insert(m.begin() + static_cast<ptrdiff_t>(rng() % (m.size() + 1)),
                     "\"{}[],:|\n\\'+?"[rng() % 13]);
            break;
        }
        Feed(selector, m);
        ++runs;
      }
    }
  }
  Feed(
      3,
      R"({"category":"locate","names":[{"full":"Nadia Exemplia"}],"action":"Report"})");
  Feed(
      4,
      R"({"name":"Nadia Exemplia","aliases":["N. Exemplia"],"nationality":"ma"})");
  // What partner nodes send (selectors 6-9): valid samples and mutations.
  const std::vector<std::pair<uint8_t, std::string>> partner = {
      {6, R"({"id":"0192f1d4-5b6c-7000-8000-000000000001","owner":"MA-DGSN","source":null,)"
          R"("status":"active","version":2,"category":"locate","names":[{"full":"Nadia )"
          R"(Exemplia","given":"","family":"","kind":"primary"}],"birth_date":"1990-07",)"
          R"("birth_place":"","nationalities":["MA"],"gender":"female","documents":[],)"
          R"("distinguishing_marks":[],"offence":"","warrant":null,"action":"Report",)"
          R"("warnings":[],"handling_code":"H1","share_with":["FR-DGPN"],"review_at":null,)"
          R"("created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z",)"
          R"("activated_at":"2026-01-01T00:00:00.000Z","status_reason":"","execution":null})"},
      {7, R"({"id":"0192f1d4-5b6c-7000-8000-000000000002","alert_id":"0192f1d4-5b6c-7000-8000-)"
          R"(000000000001","alert_owner":"MA-DGSN","reporting_agency":"FR-DGPN","state":)"
          R"("reported","false_match":false,"place":"Marseille","occurred_at":"2026-01-01T00:)"
          R"(00:00.000Z","circumstances":"Seen, synthetic","action_taken":"Checked","contact":)"
          R"("Duty officer","reply":"","reported_by":"user:x:y","reported_at":"2026-01-01T00:)"
          R"(00:00.000Z","updated_by":"user:x:y","updated_at":"2026-01-01T00:00:00.000Z",)"
          R"("version":1})"},
      {8, R"({"envelopes":[{"id":"0192f1d4-5b6c-7000-8000-000000000003","from":"MA-DGSN",)"
          R"("to":"FR-DGPN","kind":"alert.upsert","record_id":"alert:x","version":2,)"
          R"("sent_at":1767225600000,"body":"{}","signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA)"
          R"(AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="}]})"},
      {9, R"({"card":"jisr.peer.v1","agency":"FR-DGPN","country":"FR","names":{"en":"a",)"
          R"("fr":"b","ar":"c"},"federation_url":"https://127.0.0.1:8444","tls_fingerprint":)"
          R"("sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",)"
          R"("signing_key":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="})"},
  };
  // The samples themselves are valid, so the round trips above are exercised.
  EXPECT_TRUE(jisr::alerts::SharedAlertFromJson(*jisr::ParseJsonObject(partner[0].second)).ok());
  EXPECT_TRUE(jisr::alerts::HitFromJson(*jisr::ParseJsonObject(partner[1].second)).ok());
  EXPECT_TRUE(jisr::federation::PeerCardFromJson(partner[3].second).ok());
  for (const auto& [selector, sample] : partner) {
    Feed(selector, sample);
    for (int i = 0; i < 200; ++i) {
      std::string m = sample;
      m[rng() % m.size()] = static_cast<char>(rng() % 256);
      Feed(selector, m);
    }
  }
  EXPECT_EQ(runs, 9 * 10 * 41);
}

}  // namespace
