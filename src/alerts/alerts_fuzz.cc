// libFuzzer target for every file format alerts/ reads from users and
// partners: the first byte chooses the reader (0: INTERPOL notice JSON, 1:
// FollowTheMoney JSON Lines, 2: CSV, 3: an alert as the API receives it, 4: a
// person to screen, 5: a UN/EDIFACT PAXLST message, 6: an alert as a partner
// node sends it, 7: a hit report as a partner sends it, 8: a batch of
// envelopes as the federation listener receives it, 9: a partner's card),
// the rest is the input.
// Invariants: nothing crashes; every record an importer accepts is a valid
// alert; every problem has a reason and a line within the input; an accepted
// alert survives a JSON round trip. Built with -DJISR_FUZZ=ON (clang); the unit
// test alerts_fuzz_test.cc replays the test files and mutations of them through
// the same function.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "alerts/alert.h"
#include "alerts/alert_io.h"
#include "alerts/alert_sharing.h"
#include "alerts/hit_service.h"
#include "common/status.h"
#include "federation/envelope.h"
#include "federation/identity.h"
#include "alerts/paxlst.h"
#include "alerts/screening_service.h"
#include "common/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace jisr::alerts;
  if (size == 0) return 0;
  const uint8_t selector = data[0] % 10;
  const std::string_view text(reinterpret_cast<const char*>(data + 1),
                              size - 1);
  const absl::CivilDay today(2026, 1, 1);
  if (selector <= 2) {
    const AlertFormat format = static_cast<AlertFormat>(selector);
    const ParsedImport parsed = ParseImport(format, text, {}, today);
    const size_t lines =
        static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const ImportRecord& r : parsed.records) {
      if (!ValidateContent(r.content, today).ok()) std::abort();
      if (r.line == 0 || r.line > lines || r.source.empty()) std::abort();
    }
    for (const ImportProblem& p : parsed.problems) {
      if (p.reason.empty() || p.line > lines) std::abort();
    }
    if (format != AlertFormat::kInterpol && !parsed.records.empty()) {
      std::vector<Alert> alerts;
      for (const ImportRecord& r : parsed.records) {
        Alert a;
        a.id = "0192f1d4-5b6c-7000-8000-000000000001";
        a.source = r.source;
        a.content = r.content;
        alerts.push_back(std::move(a));
      }
      absl::StatusOr<std::string> out = ExportAlerts(format, alerts);
      if (!out.ok()) std::abort();
      // What we export we can read again.
      if (!ParseImport(format, *out, {}, today).problems.empty()) std::abort();
    }
    return 0;
  }
  if (selector == 5) {
    absl::StatusOr<PaxlstMessage> m = ParsePaxlst(text, today);
    if (!m.ok()) {
      if (std::string(m.status().message()).rfind("PAXLST", 0) != 0)
        std::abort();
      return 0;
    }
    for (const PaxlstPerson& p : m->persons) {
      if (p.family_name.empty()) std::abort();
    }
    if (PaxlstPersons(*m).size() != m->persons.size()) std::abort();
    return 0;
  }
  if (selector == 9) {
    absl::StatusOr<jisr::federation::PeerCard> card = jisr::federation::PeerCardFromJson(text);
    if (!card.ok()) {
      if (!jisr::FieldOf(card.status()).has_value()) std::abort();  // errors name a member
      return 0;
    }
    absl::StatusOr<jisr::federation::PeerCard> back =
        jisr::federation::PeerCardFromJson(jisr::ToJson(jisr::federation::PeerCardToJson(*card)));
    if (!back.ok() || !(*back == *card)) std::abort();
    return 0;
  }
  absl::StatusOr<boost::json::object> json = jisr::ParseJsonObject(text);
  if (!json.ok()) return 0;
  if (selector == 6) {
    absl::StatusOr<Alert> alert = SharedAlertFromJson(*json);
    if (!alert.ok()) return 0;
    // What a partner sends survives the node's own round trip.
    absl::StatusOr<Alert> back = SharedAlertFromJson(SharedAlertJson(*alert));
    if (!back.ok() || !(*back == *alert)) std::abort();
    return 0;
  }
  if (selector == 7) {
    absl::StatusOr<Hit> hit = HitFromJson(*json);
    if (!hit.ok()) return 0;
    absl::StatusOr<Hit> back = HitFromJson(HitToJson(*hit));
    if (!back.ok() || !(*back == *hit)) std::abort();
    return 0;
  }
  if (selector == 8) {
    const boost::json::value* list = json->if_contains("envelopes");
    if (list == nullptr || !list->is_array()) return 0;
    static const jisr::federation::SigningKey key = jisr::federation::GenerateSigningKey();
    for (const boost::json::value& v : list->get_array()) {
      if (!v.is_object()) continue;
      absl::StatusOr<jisr::federation::Envelope> e =
          jisr::federation::EnvelopeFromJson(v.get_object(), "envelopes[0].");
      if (!e.ok()) {
        if (!jisr::FieldOf(e.status()).has_value()) std::abort();
        continue;
      }
      // A random signature never verifies; the node's own does.
      if (jisr::federation::VerifySignature(*e, key.public_key)) std::abort();
      jisr::federation::Sign(key, &*e);
      if (!jisr::federation::VerifySignature(*e, key.public_key)) std::abort();
      absl::StatusOr<jisr::federation::Envelope> back =
          jisr::federation::EnvelopeFromJson(jisr::federation::EnvelopeToJson(*e), "");
      if (!back.ok() || !(*back == *e)) std::abort();
    }
    return 0;
  }
  if (selector == 3) {
    absl::StatusOr<AlertContent> content = AlertContentFromJson(*json);
    if (!content.ok()) return 0;
    if (!ValidateContent(*content, today).ok()) return 0;
    absl::StatusOr<AlertContent> back =
        AlertContentFromJson(AlertContentToJson(*content));
    if (!back.ok() || !(*back == *content)) std::abort();
    return 0;
  }
  absl::StatusOr<ScreeningSubject> subject = SubjectFromJson(*json);
  if (!subject.ok()) return 0;
  if (subject->names.empty()) std::abort();
  return 0;
}
