// A reader of UN/EDIFACT PAXLST messages (Advance Passenger Information,
// WCO/IATA/ICAO API guidelines, directories D02B/D05B), so that a flight's
// passengers and crew can be screened.
//
// Syntax: the optional UNA service string advice sets the six service
// characters (component ':', element '+', decimal '.', release '?',
// repetition ' ', segment terminator '\''); the release character makes the
// next character literal ("O?'BRIEN" is O'BRIEN); line breaks between
// segments are ignored. Structure read:
//   UNB ... UNH (message type PAXLST) BGM (745 passengers, 250 crew)
//   TDT+20+<flight>  LOC+125+<departure>  DTM+189:<time>
//                    LOC+87+<arrival>     DTM+232:<time>
//   per person: NAD+FL|DDT (passenger) or NAD+FM|DDU (crew) with the name
//     FAMILY:GIVEN:GIVEN...; ATT+2++M|F|U|X gender; DTM+329:YYMMDD birth
//     date; NAT+2+<alpha-3> nationality; DOC+<type>+<number>, then
//     DTM+36:YYMMDD expiry and LOC+91+<alpha-3> issuing country;
//   CNT+42:<passengers> and CNT+41:<crew> (cross-checked against the persons
//   read); UNT (its segment count is checked) ... UNZ.
// Other segments (COM, RFF, FTX, GEI, EMP, LOC+178/179/174, ...) are skipped.
// Country codes are ISO 3166-1 alpha-3 (ICAO 9303 codes of no country, such
// as XXA for stateless persons, give no nationality); they are returned as
// alpha-2.
//
// Every error names the segment and the line it starts on: "PAXLST segment
// 14 (DTM) at line 14: birth date 840230 is not a date".
//
// Thread-safety: pure functions.
#ifndef JISR_ALERTS_PAXLST_H_
#define JISR_ALERTS_PAXLST_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "screening/person.h"

namespace jisr::alerts {

struct PaxlstDocument {
  std::string type;  // the DOC code: P passport, I identity card, V visa, ...
  std::string number;
  std::string country;  // issuing country, ISO alpha-2, "" when not given
  std::optional<absl::CivilDay> expires_on;
};

struct PaxlstPerson {
  bool crew = false;  // NAD+FM / NAD+DDU
  size_t line = 0;    // line of its NAD segment
  std::string family_name;
  std::vector<std::string> given_names;
  std::string gender;  // "M", "F", "U", "X" or ""
  std::optional<screening::PartialDate> birth_date;
  std::vector<std::string> nationalities;  // ISO alpha-2
  std::vector<PaxlstDocument> documents;

  // "GIVEN NAMES FAMILY".
  std::string FullName() const;
};

struct PaxlstMessage {
  std::string interchange_ref;        // UNB control reference
  std::string message_ref;            // UNH message reference
  std::string list_type;              // BGM code: "745" passengers, "250" crew
  std::string flight;                 // TDT journey identifier, e.g. "AF1234"
  std::string departure;              // LOC+125 airport code
  std::string arrival;                // LOC+87 airport code
  std::string departure_time;         // DTM+189 as written, e.g. "2501011200"
  std::string arrival_time;           // DTM+232 as written
  std::vector<PaxlstPerson> persons;  // in message order
};

// The largest message read. 16 MiB.
inline constexpr size_t kMaxPaxlstBytes = 16u << 20;

// Parses one interchange holding one PAXLST message. `today` decides the
// century of two-digit birth years (a year after today's is in the 1900s).
// Errors: InvalidArgument naming the segment and line as above.
absl::StatusOr<PaxlstMessage> ParsePaxlst(std::string_view data,
                                          absl::CivilDay today);

// The persons as screening persons (id "<message ref>-<n>", n from 1; names
// "GIVEN FAMILY"; birth date; nationalities; gender; document numbers).
std::vector<screening::Person> PaxlstPersons(const PaxlstMessage& message);

// The ISO 3166-1 alpha-2 code of an alpha-3 code ("MAR" -> "MA"), or nullopt.
std::optional<std::string> CountryFromAlpha3(std::string_view alpha3);

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_PAXLST_H_
