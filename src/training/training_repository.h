// The tables of training/ (migration 0011_training.sql): programmes,
// sessions and catalogue items (whole record as JSON in `body`, keys in
// columns) and enrolments (columns only: the participant part and the
// provider's part). Local columns (created_by, created_at, updated_at,
// envelope_id) never cross.
//
// Thread-safety: free functions over the caller's transaction.
#ifndef JISR_TRAINING_TRAINING_REPOSITORY_H_
#define JISR_TRAINING_TRAINING_REPOSITORY_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "db/database.h"
#include "training/training.h"

namespace jisr::training {

// Inserts the record or replaces the stored one with the same id (its
// created_by and created_at are kept). `created_by` is the audit actor or
// "peer:<agency>". Errors: the store's.
absl::Status SaveProgramme(db::Transaction& tx, const Programme& p, std::string_view created_by);
absl::Status SaveSession(db::Transaction& tx, const Session& s, std::string_view created_by);
absl::Status SaveCatalogueItem(db::Transaction& tx, const CatalogueItem& c,
                               std::string_view created_by);
absl::Status SaveEnrolment(db::Transaction& tx, const Enrolment& e, std::string_view created_by);

// The record `id`, or nullopt. Errors: DataLoss when a stored body does not
// parse; the store's.
absl::StatusOr<std::optional<Programme>> FindProgramme(db::Transaction& tx, std::string_view id);
absl::StatusOr<std::optional<Session>> FindSession(db::Transaction& tx, std::string_view id);
absl::StatusOr<std::optional<CatalogueItem>> FindCatalogueItem(db::Transaction& tx,
                                                               std::string_view id);
absl::StatusOr<std::optional<Enrolment>> FindEnrolment(db::Transaction& tx, std::string_view id);

template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;
};

// Most recently updated first.
absl::StatusOr<Page<Programme>> ListProgrammes(db::Transaction& tx, int64_t offset,
                                               int64_t limit);
// The sessions of a programme, by start.
absl::StatusOr<std::vector<Session>> ListSessions(db::Transaction& tx,
                                                  std::string_view programme_id);
// Catalogue items, by domain then title; `domain` and `owner` filter when
// not empty.
absl::StatusOr<Page<CatalogueItem>> ListCatalogue(db::Transaction& tx, std::string_view domain,
                                                  std::string_view owner, int64_t offset,
                                                  int64_t limit);
// The enrolments of a session, by agency then creation.
absl::StatusOr<std::vector<Enrolment>> ListEnrolments(db::Transaction& tx,
                                                      std::string_view session_id);
// How many enrolments of the session are confirmed.
absl::StatusOr<int64_t> CountConfirmed(db::Transaction& tx, std::string_view session_id);

// Deletes a partner's copy (a programme with its sessions). Returns true
// when something was deleted. Errors: the store's.
absl::StatusOr<bool> DeleteProgramme(db::Transaction& tx, std::string_view id);
absl::StatusOr<bool> DeleteCatalogueItem(db::Transaction& tx, std::string_view id);

}  // namespace jisr::training

#endif  // JISR_TRAINING_TRAINING_REPOSITORY_H_
