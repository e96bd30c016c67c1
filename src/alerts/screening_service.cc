#include "alerts/screening_service.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <utility>

#include "alerts/alert_repository.h"
#include "alerts/json_util.h"
#include "common/status.h"
#include "common/utf8.h"
#include "security/service_util.h"

namespace jisr::alerts {

using audit::AuditOutcome;
using security::Action;
using security::ActionName;
using security::Principal;
using security::internal::AuthorizeAudited;
using security::internal::MakeEntry;
using security::internal::RecordFailure;

namespace {

constexpr std::string_view kObject = "screening";

absl::Status CheckName(std::string_view name, std::string_view field) {
  if (name.empty())
    return InvalidField(field, fmt::format("{} must not be empty", field));
  if (!IsCleanUtf8(name, Utf8Rule::kNoControls)) {
    return InvalidField(
        field, fmt::format("{} must be valid UTF-8 without control characters",
                           field));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Country(std::string_view text,
                                    std::string_view field) {
  absl::StatusOr<std::string> code = screening::ParseCountryCode(text);
  if (!code.ok()) {
    return InvalidField(
        field,
        fmt::format("{} must be an ISO 3166-1 alpha-2 country code", field));
  }
  return *code;
}

}  // namespace

boost::json::object ScreenMatchToJson(const ScreenMatch& m) {
  boost::json::object o;
  o["alert_id"] = m.alert_id;
  o["score"] = m.score;
  o["matched_name"] = m.matched_name;
  o["query_name"] = m.query_name;
  o["category"] = CategoryName(m.category);
  o["owner"] = m.owner;
  o["action"] = m.action;
  boost::json::array warnings;
  for (WarningFlag w : m.warnings) warnings.emplace_back(WarningName(w));
  o["warnings"] = std::move(warnings);
  o["handling_code"] = HandlingCodeName(m.handling_code);
  o["explanation"] = m.explanation;
  return o;
}

absl::StatusOr<ScreeningSubject> SubjectFromJson(
    const boost::json::object& json, std::string_view prefix) {
  using internal::ArrayValue;
  using internal::Indexed;
  using internal::OptionalText;
  using internal::StringList;
  using internal::StringValue;
  static constexpr std::string_view kKeys[] = {
      "name", "aliases", "birth_date", "nationality", "gender", "documents"};
  JISR_RETURN_IF_ERROR(internal::CheckKnown(json, prefix, kKeys));
  const auto field = [&](std::string_view key) {
    return fmt::format("{}{}", prefix, key);
  };
  ScreeningSubject s;
  JISR_ASSIGN_OR_RETURN(std::string name,
                        OptionalText(json, "name", prefix, kMaxNameBytes));
  if (name.empty())
    return InvalidField(field("name"), field("name") + " is required");
  JISR_RETURN_IF_ERROR(CheckName(name, field("name")));
  s.names.push_back(std::move(name));
  if (const auto it = json.find("aliases");
      it != json.end() && !it->value().is_null()) {
    JISR_ASSIGN_OR_RETURN(std::vector<std::string> aliases,
                          StringList(it->value(), field("aliases"),
                                     kMaxScreenNames - 1, kMaxNameBytes));
    for (size_t i = 0; i < aliases.size(); ++i) {
      JISR_RETURN_IF_ERROR(CheckName(aliases[i], Indexed(field("aliases"), i)));
      s.names.push_back(std::move(aliases[i]));
    }
  }
  JISR_ASSIGN_OR_RETURN(std::string birth,
                        OptionalText(json, "birth_date", prefix, 32));
  if (!birth.empty()) {
    absl::StatusOr<screening::PartialDate> d =
        screening::ParsePartialDate(birth);
    if (!d.ok()) return WithField(d.status(), field("birth_date"));
    s.birth_date = *d;
  }
  if (const auto it = json.find("nationality");
      it != json.end() && !it->value().is_null()) {
    // One code or a list of codes.
    std::vector<std::string> codes;
    if (it->value().is_string()) {
      JISR_ASSIGN_OR_RETURN(std::string one,
                            StringValue(it->value(), field("nationality"), 16));
      JISR_ASSIGN_OR_RETURN(std::string code,
                            Country(one, field("nationality")));
      codes.push_back(code);
    } else {
      JISR_ASSIGN_OR_RETURN(codes, StringList(it->value(), field("nationality"),
                                              kMaxNationalities, 16));
      for (size_t i = 0; i < codes.size(); ++i) {
        JISR_ASSIGN_OR_RETURN(
            codes[i], Country(codes[i], Indexed(field("nationality"), i)));
      }
    }
    s.nationalities = std::move(codes);
  }
  JISR_ASSIGN_OR_RETURN(std::string gender,
                        OptionalText(json, "gender", prefix, 16));
  if (!gender.empty()) {
    absl::StatusOr<screening::Gender> g = screening::ParseGender(gender);
    if (!g.ok()) return WithField(g.status(), field("gender"));
    switch (*g) {
      case screening::Gender::kMale:
        s.gender = Gender::kMale;
        break;
      case screening::Gender::kFemale:
        s.gender = Gender::kFemale;
        break;
      case screening::Gender::kOther:
        s.gender = Gender::kOther;
        break;
      case screening::Gender::kUnknown:
        s.gender = Gender::kUnknown;
        break;
    }
  }
  if (const auto it = json.find("documents");
      it != json.end() && !it->value().is_null()) {
    JISR_ASSIGN_OR_RETURN(
        const boost::json::array* docs,
        ArrayValue(it->value(), field("documents"), kMaxScreenDocuments));
    for (size_t i = 0; i < docs->size(); ++i) {
      const boost::json::value& d = (*docs)[i];
      const std::string f = Indexed(field("documents"), i);
      std::string number;
      if (d.is_object()) {
        static constexpr std::string_view kDocKeys[] = {"type", "number",
                                                        "country"};
        JISR_RETURN_IF_ERROR(
            internal::CheckKnown(d.get_object(), f + ".", kDocKeys));
        JISR_ASSIGN_OR_RETURN(number,
                              OptionalText(d.get_object(), "number", f + ".",
                                           kMaxDocumentNumberBytes));
        if (number.empty())
          return InvalidField(f + ".number", f + ".number is required");
      } else {
        JISR_ASSIGN_OR_RETURN(number,
                              StringValue(d, f, kMaxDocumentNumberBytes));
      }
      if (screening::NormalizeDocumentNumber(number).empty() ||
          !IsCleanUtf8(number, Utf8Rule::kNoControls)) {
        return InvalidField(f, fmt::format("{} must be a document number", f));
      }
      s.documents.push_back(std::move(number));
    }
  }
  return s;
}

boost::json::object SubjectToJson(const ScreeningSubject& s) {
  boost::json::object o;
  o["name"] = s.names.empty() ? std::string() : s.names.front();
  boost::json::array aliases;
  for (size_t i = 1; i < s.names.size(); ++i) aliases.emplace_back(s.names[i]);
  o["aliases"] = std::move(aliases);
  o["birth_date"] =
      s.birth_date ? boost::json::value(s.birth_date->ToString()) : nullptr;
  boost::json::array nationality;
  for (const std::string& n : s.nationalities) nationality.emplace_back(n);
  o["nationality"] = std::move(nationality);
  o["gender"] = GenderName(s.gender);
  boost::json::array documents;
  for (const std::string& d : s.documents) documents.emplace_back(d);
  o["documents"] = std::move(documents);
  return o;
}

ScreeningService::ScreeningService(db::Database& db,
                                   const audit::AuditLog& audit,
                                   const AlertIndex& index)
    : db_(db), audit_(audit), index_(index) {}

absl::StatusOr<std::vector<ScreenMatch>> ScreeningService::Screen(
    const Principal& who, const ScreeningSubject& subject,
    std::string_view purpose, const ScreenOptions& options) {
  const Action action = Action::kScreenPerson;
  JISR_RETURN_IF_ERROR(
      AuthorizeAudited(db_, audit_, who, action, kObject, purpose));
  JISR_RETURN_IF_ERROR(security::internal::RequireStatedPurpose(
      purpose, "a purpose is required to screen a person"));
  boost::json::object query = SubjectToJson(subject);
  std::vector<ScreenMatch> out;
  absl::Status status = [&]() -> absl::Status {
    const double threshold = options.threshold.value_or(DefaultThreshold());
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
      return InvalidField("threshold",
                          "threshold must be a number from 0 to 1");
    }
    if (options.top_k < 1 || options.top_k > kMaxTopK) {
      return InvalidField(
          "top_k",
          fmt::format("top_k must be an integer from 1 to {}", kMaxTopK));
    }
    if (subject.names.empty() || subject.names.size() > kMaxScreenNames) {
      return InvalidField("person.name",
                          "the person needs a name (and at most 19 aliases)");
    }
    // Ask for more than top_k: alerts no longer active are dropped below.
    JISR_ASSIGN_OR_RETURN(
        std::vector<IndexMatch> found,
        index_.Screen(subject, threshold, options.top_k + 10));
    return db_.Run(db::TxMode::kWrite,
                   [&](db::Transaction& tx) -> absl::Status {
                     out.clear();
                     boost::json::array results;
                     for (IndexMatch& m : found) {
                       if (out.size() == options.top_k) break;
                       JISR_ASSIGN_OR_RETURN(std::optional<Alert> alert,
                                             GetAlert(tx, m.alert_id));
                       if (!alert || alert->status != AlertStatus::kActive)
                         continue;
                       ScreenMatch sm;
                       sm.alert_id = m.alert_id;
                       sm.score = m.score;
                       sm.matched_name = m.matched_name;
                       sm.query_name = m.query_name;
                       sm.category = alert->content.category;
                       sm.owner = alert->owner;
                       sm.action = alert->content.action;
                       sm.warnings = alert->content.warnings;
                       sm.handling_code = alert->content.handling_code;
                       sm.explanation = m.explanation;
                       boost::json::object r;
                       r["alert_id"] = sm.alert_id;
                       r["score"] = sm.score;
                       // No alert content in the append-only log: a
                       // partner's alert is purged on withdrawal (the batch
                       // audit records ids and scores only too).
                       results.push_back(std::move(r));
                       out.push_back(std::move(sm));
                     }
                     boost::json::object details;
                     details["query"] = query;
                     details["threshold"] = threshold;
                     details["matches"] = std::move(results);
                     return audit_
                         .Append(tx, MakeEntry(who.Actor(), ActionName(action),
                                               std::string(kObject), purpose,
                                               AuditOutcome::kSuccess, details))
                         .status();
                   });
  }();
  if (!status.ok()) {
    boost::json::object details;
    details["query"] = std::move(query);
    return RecordFailure(db_, audit_, who, ActionName(action),
                         std::string(kObject), purpose, status,
                         std::move(details));
  }
  return out;
}

}  // namespace jisr::alerts
