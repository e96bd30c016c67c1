// The match score of a screened person against a listed person: the name
// score (names/name_matcher.h, best pair over both persons' names) plus the
// contributions of birth date, nationality, gender and document number,
// clamped to [0, 1]. Each contribution is reported for the explanation.
//
// Thread-safety: pure functions over values; safe from any thread.
#ifndef JISR_SCREENING_SCORER_H_
#define JISR_SCREENING_SCORER_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "names/name_matcher.h"
#include "screening/person.h"

namespace jisr::screening {

// Contributions added to the name score. Defaults justified in docs/names.md.
struct FeatureWeights {
  // Both full dates, equal. Default +0.08.
  double birth_exact = 0.08;
  // Same year and month (a day unknown on one side). Default +0.05.
  double birth_same_year_month = 0.05;
  // Same year, month unknown on one side. Default +0.03.
  double birth_same_year = 0.03;
  // Same year and month, both days known and different. Default 0.
  double birth_day_differs = 0.0;
  // Same year, both months known and different. Default -0.03.
  double birth_month_differs = -0.03;
  // Years one apart (an estimated or mistyped year). Default -0.03.
  double birth_year_plus_minus_one = -0.03;
  // Years two or more apart. Default -0.20.
  double birth_conflict = -0.20;
  // A nationality in common. Default +0.02.
  double nationality_match = 0.02;
  // Both known, none in common. Default -0.04.
  double nationality_conflict = -0.04;
  // One male, the other female. Default -0.15.
  double gender_conflict = -0.15;
  // An equal document number (strong evidence). Default +0.25.
  double document_match = 0.25;
  // Both have documents, none equal (people hold several). Default -0.05.
  double document_conflict = -0.05;
};

struct ScoringOptions {
  names::NameMatchOptions name;
  FeatureWeights features;
};

// The non-name attributes of a person, prepared for comparison.
struct PersonFeatures {
  std::optional<PartialDate> birth_date;
  std::vector<std::string> nationalities;  // upper-case alpha-2
  Gender gender = Gender::kUnknown;
  std::vector<std::string> documents;  // NormalizeDocumentNumber, non-empty
};

PersonFeatures FeaturesOf(const Person& person);

// One feature's outcome, e.g. {"birth_date", "same_year", +0.03}.
struct FeatureOutcome {
  std::string_view feature;
  std::string_view outcome;
  double contribution = 0.0;
};

// Returns the four feature outcomes (birth_date, nationality, gender,
// document), in that order. Outcomes: birth_date: exact, same_year_month,
// same_year, day_differs, month_differs, year_plus_minus_one, conflict,
// missing; nationality: match, conflict, missing; gender: match, conflict,
// missing; document: match, conflict, missing.
std::vector<FeatureOutcome> CompareFeatures(const PersonFeatures& query,
                                            const PersonFeatures& listed,
                                            const FeatureWeights& weights);

// Returns the sum of the contributions of CompareFeatures (no allocation).
double FeatureAdjustment(const PersonFeatures& query,
                         const PersonFeatures& listed,
                         const FeatureWeights& weights);

// Returns clamp(name_score + adjustment, 0, 1).
double CombineScore(double name_score, double adjustment);

// Builds the explanation object of a match: {"score", "name": <name
// comparison, query vs listed>, "features": {"name": {...}, "birth_date":
// {"query", "listed", "outcome", "contribution"}, "nationality": {...},
// "gender": {...}, "document": {...}}}.
boost::json::object ExplainMatch(const names::NameComparison& name,
                                 std::string_view query_name,
                                 std::string_view listed_name,
                                 const PersonFeatures& query,
                                 const PersonFeatures& listed,
                                 const FeatureWeights& weights);

}  // namespace jisr::screening

#endif  // JISR_SCREENING_SCORER_H_
