#include "training/training_report.h"

#include <map>

#include "common/status.h"

namespace jisr::training {

absl::StatusOr<std::vector<PartnerTrainingFigures>> TrainingFiguresByPartner(
    db::Transaction& tx, std::string_view self_agency, int64_t from_ms, int64_t to_ms) {
  std::map<std::string, PartnerTrainingFigures> by;
  const db::Value self{std::string(self_agency)};
  // Provided by us: partner = the participant's agency.
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> provided,
      tx.Query("SELECT agency, COUNT(DISTINCT session_id), "
               "SUM(CASE WHEN completion = 'completed' THEN 1 ELSE 0 END) "
               "FROM training_enrolments WHERE provider = $1 AND agency <> $1 "
               "AND attended = 1 AND session_starts_at >= $2 AND session_starts_at < $3 "
               "GROUP BY agency",
               {self, from_ms, to_ms}));
  for (const db::Row& r : provided) {
    PartnerTrainingFigures& f = by[r.GetText(0)];
    f.agency = r.GetText(0);
    f.sessions_provided = r.GetInt(1);
    f.participants_trained += r.GetInt(2);
  }
  // Provided to us: partner = the provider.
  JISR_ASSIGN_OR_RETURN(
      std::vector<db::Row> attended,
      tx.Query("SELECT provider, COUNT(DISTINCT session_id), "
               "SUM(CASE WHEN completion = 'completed' THEN 1 ELSE 0 END) "
               "FROM training_enrolments WHERE agency = $1 AND provider <> $1 "
               "AND attended = 1 AND session_starts_at >= $2 AND session_starts_at < $3 "
               "GROUP BY provider",
               {self, from_ms, to_ms}));
  for (const db::Row& r : attended) {
    PartnerTrainingFigures& f = by[r.GetText(0)];
    f.agency = r.GetText(0);
    f.sessions_attended = r.GetInt(1);
    f.participants_trained += r.GetInt(2);
  }
  std::vector<PartnerTrainingFigures> out;
  for (auto& [agency, f] : by) {
    if (f.sessions_provided || f.sessions_attended || f.participants_trained) {
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace jisr::training
