// The identity of a person as screening sees it: names in any script
// (primary + aliases), a birth date that may be partial, nationalities,
// gender and identity-document numbers. Used both for listed persons (the
// watch list, fed by the alerts module) and for persons to screen.
//
// Thread-safety: plain values; the parsing functions are pure.
#ifndef JISR_SCREENING_PERSON_H_
#define JISR_SCREENING_PERSON_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace jisr::screening {

// A birth date known to the year, the month or the day. month and day are 0
// when unknown (a known day implies a known month).
struct PartialDate {
  int year = 0;
  int month = 0;
  int day = 0;

  bool operator==(const PartialDate&) const = default;
  // "YYYY", "YYYY-MM" or "YYYY-MM-DD".
  std::string ToString() const;
};

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (years 1800..2200, a real
// calendar day). Returns InvalidArgument naming what is wrong otherwise.
absl::StatusOr<PartialDate> ParsePartialDate(std::string_view text);

enum class Gender { kUnknown, kMale, kFemale, kOther };

// Parses "", "male"/"m", "female"/"f", "other"/"x", "unknown"/"u" (any case).
// Returns InvalidArgument for anything else.
absl::StatusOr<Gender> ParseGender(std::string_view text);
std::string_view GenderName(Gender g);  // "male", "female", "other", "unknown"

// Returns the upper-case ISO 3166-1 alpha-2 code for `text` (any case, e.g.
// "ma" -> "MA"), or InvalidArgument when it is not an assigned code (XK,
// Kosovo, is accepted too).
absl::StatusOr<std::string> ParseCountryCode(std::string_view text);

// Returns a document number reduced for comparison: ASCII letters upper-cased,
// everything but letters and digits removed ("ab-123 456" -> "AB123456").
std::string NormalizeDocumentNumber(std::string_view text);

struct Person {
  // Identifier, unique within a list (non-empty).
  std::string id;
  // names[0] is the primary name, the rest are aliases; at least one name.
  std::vector<std::string> names;
  std::optional<PartialDate> birth_date;
  // ISO 3166-1 alpha-2 codes, upper case.
  std::vector<std::string> nationalities;
  Gender gender = Gender::kUnknown;
  // Identity-document numbers as written.
  std::vector<std::string> documents;
};

// Returns OK when `person` can be indexed: non-empty id, at least one name,
// and every name with a letter or digit (names::HasLettersOrDigits);
// otherwise InvalidArgument naming the field.
absl::Status ValidatePerson(const Person& person);

}  // namespace jisr::screening

#endif  // JISR_SCREENING_PERSON_H_
