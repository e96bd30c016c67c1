// The tables of groups/ (migration 0009_groups.sql): one row per working
// group, plan, objective, action and operation, its whole record as JSON in
// `body` and its keys in columns. Local columns (created_by, created_at,
// updated_at, envelope_id) never cross.
//
// Thread-safety: free functions over the caller's transaction.
#ifndef JISR_GROUPS_GROUPS_REPOSITORY_H_
#define JISR_GROUPS_GROUPS_REPOSITORY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "db/database.h"
#include "groups/groups.h"

namespace jisr::groups {

// Inserts the record or replaces the stored one with the same id (its
// created_by and created_at are kept). `created_by` is the audit actor or
// "peer:<agency>". Errors: the store's.
absl::Status SaveGroup(db::Transaction& tx, const WorkingGroup& g, std::string_view created_by);
absl::Status SavePlan(db::Transaction& tx, const Plan& p, std::string_view created_by);
absl::Status SaveItem(db::Transaction& tx, const PlanItem& i, std::string_view created_by);
absl::Status SaveOperation(db::Transaction& tx, const Operation& op,
                           std::string_view created_by);

// The record `id`, or nullopt. Errors: DataLoss when a stored body does not
// parse; the store's.
absl::StatusOr<std::optional<WorkingGroup>> FindGroup(db::Transaction& tx, std::string_view id);
absl::StatusOr<std::optional<Plan>> FindPlan(db::Transaction& tx, std::string_view id);
absl::StatusOr<std::optional<PlanItem>> FindItem(db::Transaction& tx, ItemKind kind,
                                                 std::string_view id);
absl::StatusOr<std::optional<Operation>> FindOperation(db::Transaction& tx,
                                                       std::string_view id);

// One page of records, most recently updated first, and the total.
template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;
};
// `domain` ("" for all) keeps the groups of that domain.
absl::StatusOr<Page<WorkingGroup>> ListGroups(db::Transaction& tx, int64_t offset,
                                              int64_t limit, std::string_view domain = {});
absl::StatusOr<Page<Plan>> ListPlans(db::Transaction& tx, int64_t offset, int64_t limit);
absl::StatusOr<Page<Operation>> ListOperations(db::Transaction& tx, int64_t offset,
                                               int64_t limit);

// Every objective (or action) of plan `plan_id`.
absl::StatusOr<std::vector<PlanItem>> ListItems(db::Transaction& tx, ItemKind kind,
                                                std::string_view plan_id);

// Deletes a partner's copy (a plan with its objectives and actions).
// Returns true when something was deleted. Errors: the store's.
absl::StatusOr<bool> DeleteGroup(db::Transaction& tx, std::string_view id);
absl::StatusOr<bool> DeletePlan(db::Transaction& tx, std::string_view id);
absl::StatusOr<bool> DeleteOperation(db::Transaction& tx, std::string_view id);

}  // namespace jisr::groups

#endif  // JISR_GROUPS_GROUPS_REPOSITORY_H_
