// Synthetic accreditation campaigns for the scale test and `make
// bench-campaign`: `alerts` fictional wanted persons and `applicants`
// fictional applicants, of whom about `variant_rate` are planted variants of
// an alert (the alert's name, written "Given Family" or "FAMILY Given", with
// its birth date and nationality). Everything derives from the seed: the
// same arguments give the same data. The other applicants are built from
// other given names and other syllables than the alerts, so that only the
// planted variants match. No real person.
//
// Thread-safety: immutable after construction; safe to share.
#ifndef JISR_EVENTS_CAMPAIGN_SYNTH_H_
#define JISR_EVENTS_CAMPAIGN_SYNTH_H_

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "alerts/alert.h"
#include "screening/persons_csv.h"

namespace jisr::events::testing {

class CampaignSynth {
 public:
  CampaignSynth(uint64_t seed, int alerts, int applicants, double variant_rate)
      : seed_(seed), alerts_(alerts), applicants_(applicants) {
    threshold_ = static_cast<uint64_t>(variant_rate * 1000000.0);
    for (int i = 0; i < applicants_; ++i) variants_ += IsVariant(i) ? 1 : 0;
  }

  int alerts() const { return alerts_; }
  int applicants() const { return applicants_; }
  // The number of planted variants.
  int variants() const { return variants_; }

  // True when applicant `item` is a planted variant; its alert is VariantOf.
  bool IsVariant(int item) const {
    return Hash(static_cast<uint64_t>(item), 1) % 1000000 < threshold_;
  }
  int VariantOf(int item) const {
    return static_cast<int>(Hash(static_cast<uint64_t>(item), 2) % static_cast<uint64_t>(alerts_));
  }
  // The id of applicant `item`: "V…" for a variant, "A…" otherwise.
  std::string ApplicantId(int item) const {
    return fmt::format("{}{:07d}", IsVariant(item) ? 'V' : 'A', item);
  }

  // Alert `i` (0 <= i < alerts): a locate alert, active once activated.
  alerts::AlertContent Alert(int i) const {
    alerts::AlertContent c;
    c.category = alerts::Category::kLocate;
    alerts::AlertName n;
    n.full = fmt::format("{} {}", AlertGiven(i), AlertFamily(i));
    n.given = std::string(AlertGiven(i));
    n.family = AlertFamily(i);
    n.kind = alerts::NameKind::kPrimary;
    c.names = {n};
    c.birth_date = AlertBirth(i);
    c.nationalities = {std::string(kNationalities[Hash(static_cast<uint64_t>(i), 3) % 4])};
    c.gender = alerts::Gender::kMale;
    c.action = "Locate and report (synthetic test data).";
    c.handling_code = alerts::HandlingCode::kH1;
    return c;
  }

  // The CSV (with its header) of applicants [begin, end).
  std::string Applicants(int begin, int end) const {
    std::string csv(screening::kPersonsCsvHeader);
    csv.push_back('\n');
    for (int i = begin; i < end; ++i) {
      if (IsVariant(i)) {
        const int a = VariantOf(i);
        const bool swapped = Hash(static_cast<uint64_t>(i), 4) % 2 == 1;
        std::string family = AlertFamily(a);
        if (swapped) {
          for (char& ch : family) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
        }
        const std::string name = swapped ? fmt::format("{} {}", family, AlertGiven(a))
                                         : fmt::format("{} {}", AlertGiven(a), family);
        csv += fmt::format("{},{},,{},{},male,\n", ApplicantId(i), name, AlertBirth(a).ToString(),
                           kNationalities[Hash(static_cast<uint64_t>(a), 3) % 4]);
      } else {
        const uint64_t h = Hash(static_cast<uint64_t>(i), 5);
        csv += fmt::format("{},{} {},,{}-{:02d}-{:02d},{},{},P{:08d}\n", ApplicantId(i),
                           kApplicantGiven[h % kApplicantGiven.size()],
                           Family(kApplicantSyllables, h / 7, 3), 1950 + (h >> 8) % 55,
                           1 + (h >> 16) % 12, 1 + (h >> 20) % 28, kNationalities[(h >> 24) % 4],
                           (h >> 28) % 2 ? "female" : "male", (h >> 32) % 100000000);
      }
    }
    return csv;
  }

 private:
  static constexpr std::array<std::string_view, 10> kAlertSyllables = {
      "zor", "vak", "tel", "mir", "dun", "kas", "rel", "bon", "fat", "gul"};
  static constexpr std::array<std::string_view, 10> kApplicantSyllables = {
      "lo", "pe", "sa", "ni", "ru", "be", "ta", "mi", "ko", "da"};
  static constexpr std::array<std::string_view, 10> kAlertGiven = {
      "Karim",  "Nadir",  "Walid",  "Samir", "Tarek",
      "Hicham", "Rachid", "Mounir", "Jalil", "Zakaria"};
  static constexpr std::array<std::string_view, 12> kApplicantGiven = {
      "Louise", "Camille", "Hugo",  "Ines",  "Emma",  "Chloe",
      "Manon",  "Jade",    "Lucas", "Pablo", "Elena", "Sofia"};
  static constexpr std::array<std::string_view, 4> kNationalities = {"MA", "FR", "ES", "SN"};

  // splitmix64 of (seed, value, stream).
  uint64_t Hash(uint64_t value, uint64_t stream) const {
    uint64_t z = seed_ ^ (value * 0x9E3779B97F4A7C15ull) ^ (stream << 56);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  template <size_t N>
  static std::string Family(const std::array<std::string_view, N>& syllables, uint64_t v,
                            int count) {
    std::string out;
    for (int k = 0; k < count; ++k) {
      out += syllables[v % N];
      v /= N;
    }
    out[0] = static_cast<char>(out[0] - 32);
    return out;
  }
  std::string_view AlertGiven(int i) const {
    return kAlertGiven[Hash(static_cast<uint64_t>(i), 6) % kAlertGiven.size()];
  }
  // Distinct for every i < 10^4: the digits of i as syllables.
  std::string AlertFamily(int i) const {
    return Family(kAlertSyllables, static_cast<uint64_t>(i), 4);
  }
  screening::PartialDate AlertBirth(int i) const {
    const uint64_t h = Hash(static_cast<uint64_t>(i), 7);
    return screening::PartialDate{static_cast<int>(1960 + h % 40),
                                  static_cast<int>(1 + (h >> 8) % 12),
                                  static_cast<int>(1 + (h >> 16) % 28)};
  }

  uint64_t seed_;
  int alerts_;
  int applicants_;
  uint64_t threshold_ = 0;
  int variants_ = 0;
};

}  // namespace jisr::events::testing

#endif  // JISR_EVENTS_CAMPAIGN_SYNTH_H_
