#include "screening/scorer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <cmath>
#include <cstdlib>

namespace jisr::screening {
namespace {

FeatureOutcome BirthOutcome(const PersonFeatures& q, const PersonFeatures& l,
                            const FeatureWeights& w) {
  if (!q.birth_date || !l.birth_date) return {"birth_date", "missing", 0.0};
  const PartialDate& a = *q.birth_date;
  const PartialDate& b = *l.birth_date;
  const int dy = std::abs(a.year - b.year);
  if (dy == 1)
    return {"birth_date", "year_plus_minus_one", w.birth_year_plus_minus_one};
  if (dy > 1) return {"birth_date", "conflict", w.birth_conflict};
  if (a.month == 0 || b.month == 0)
    return {"birth_date", "same_year", w.birth_same_year};
  if (a.month != b.month)
    return {"birth_date", "month_differs", w.birth_month_differs};
  if (a.day == 0 || b.day == 0) {
    return {"birth_date", "same_year_month", w.birth_same_year_month};
  }
  if (a.day != b.day) return {"birth_date", "day_differs", w.birth_day_differs};
  return {"birth_date", "exact", w.birth_exact};
}

FeatureOutcome NationalityOutcome(const PersonFeatures& q,
                                  const PersonFeatures& l,
                                  const FeatureWeights& w) {
  if (q.nationalities.empty() || l.nationalities.empty()) {
    return {"nationality", "missing", 0.0};
  }
  for (const auto& a : q.nationalities) {
    for (const auto& b : l.nationalities) {
      if (a == b) return {"nationality", "match", w.nationality_match};
    }
  }
  return {"nationality", "conflict", w.nationality_conflict};
}

FeatureOutcome GenderOutcome(const PersonFeatures& q, const PersonFeatures& l,
                             const FeatureWeights& w) {
  // Only male versus female is evidence against a match ("other" and
  // unknown say nothing).
  const auto binary = [](Gender g) {
    return g == Gender::kMale || g == Gender::kFemale;
  };
  if (!binary(q.gender) || !binary(l.gender)) return {"gender", "missing", 0.0};
  if (q.gender == l.gender) return {"gender", "match", 0.0};
  return {"gender", "conflict", w.gender_conflict};
}

FeatureOutcome DocumentOutcome(const PersonFeatures& q, const PersonFeatures& l,
                               const FeatureWeights& w) {
  if (q.documents.empty() || l.documents.empty())
    return {"document", "missing", 0.0};
  for (const auto& a : q.documents) {
    for (const auto& b : l.documents) {
      if (a == b) return {"document", "match", w.document_match};
    }
  }
  return {"document", "conflict", w.document_conflict};
}

double Round4(double v) { return std::round(v * 10000.0) / 10000.0; }

boost::json::value ListOrNull(const std::vector<std::string>& v) {
  if (v.empty()) return nullptr;
  return boost::json::value(fmt::format("{}", fmt::join(v, "|")));
}

}  // namespace

PersonFeatures FeaturesOf(const Person& person) {
  PersonFeatures f;
  f.birth_date = person.birth_date;
  f.nationalities = person.nationalities;
  f.gender = person.gender;
  for (const auto& d : person.documents) {
    std::string n = NormalizeDocumentNumber(d);
    if (!n.empty()) f.documents.push_back(std::move(n));
  }
  return f;
}

std::vector<FeatureOutcome> CompareFeatures(const PersonFeatures& query,
                                            const PersonFeatures& listed,
                                            const FeatureWeights& weights) {
  return {BirthOutcome(query, listed, weights),
          NationalityOutcome(query, listed, weights),
          GenderOutcome(query, listed, weights),
          DocumentOutcome(query, listed, weights)};
}

double FeatureAdjustment(const PersonFeatures& query,
                         const PersonFeatures& listed,
                         const FeatureWeights& weights) {
  return BirthOutcome(query, listed, weights).contribution +
         NationalityOutcome(query, listed, weights).contribution +
         GenderOutcome(query, listed, weights).contribution +
         DocumentOutcome(query, listed, weights).contribution;
}

double CombineScore(double name_score, double adjustment) {
  return std::clamp(name_score + adjustment, 0.0, 1.0);
}

boost::json::object ExplainMatch(const names::NameComparison& name,
                                 std::string_view query_name,
                                 std::string_view listed_name,
                                 const PersonFeatures& query,
                                 const PersonFeatures& listed,
                                 const FeatureWeights& weights) {
  boost::json::object out;
  boost::json::object name_json =
      names::ComparisonToJson(name, "query", "listed");
  name_json["query_name"] = query_name;
  name_json["listed_name"] = listed_name;
  double adjustment = 0.0;
  boost::json::object features;
  {
    boost::json::object f;
    f["outcome"] = "similarity";
    f["contribution"] = Round4(name.score);
    features["name"] = std::move(f);
  }
  for (const FeatureOutcome& o : CompareFeatures(query, listed, weights)) {
    adjustment += o.contribution;
    boost::json::object f;
    if (o.feature == "birth_date") {
      f["query"] = query.birth_date
                       ? boost::json::value(query.birth_date->ToString())
                       : boost::json::value(nullptr);
      f["listed"] = listed.birth_date
                        ? boost::json::value(listed.birth_date->ToString())
                        : boost::json::value(nullptr);
    } else if (o.feature == "nationality") {
      f["query"] = ListOrNull(query.nationalities);
      f["listed"] = ListOrNull(listed.nationalities);
    } else if (o.feature == "gender") {
      f["query"] = GenderName(query.gender);
      f["listed"] = GenderName(listed.gender);
    }
    // Document numbers are not echoed: the outcome says enough.
    f["outcome"] = o.outcome;
    f["contribution"] = Round4(o.contribution);
    features[o.feature] = std::move(f);
  }
  out["score"] = Round4(CombineScore(name.score, adjustment));
  out["name"] = std::move(name_json);
  out["features"] = std::move(features);
  return out;
}

}  // namespace jisr::screening
