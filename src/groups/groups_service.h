// The groups service: joint working groups, the joint action plan (plans,
// objectives, actions with milestones and indicators, the road map) and
// joint operations.
//
// Every change is one write transaction that checks the version the caller
// saw (optimistic concurrency: a stale version is FailedPrecondition, HTTP
// 409), checks that this node's agency owns the record (a partner's copy is
// read-only here: FailedPrecondition naming the owner), raises the version,
// publishes the record to its other agencies through federation::Publish
// (groups_sharing.h) and writes the audit entry. Every call asks
// security::Authorize() first (group.*, plan.*, operation.*) and leaves one
// audit entry ("success" with the change or read, "denied", "failure").
//
// Thread-safety: GroupsService is safe to share between threads.
#ifndef JISR_GROUPS_GROUPS_SERVICE_H_
#define JISR_GROUPS_GROUPS_SERVICE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include <boost/json/object.hpp>
#include "absl/status/statusor.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "groups/groups.h"
#include "groups/groups_repository.h"
#include "security/policy.h"

namespace jisr::groups {

struct GroupsOptions {
  // This node's agency code ("MA-DGSN"): the owner of what is created here.
  // Required.
  std::string agency;
};

// A plan with its objectives and actions.
struct PlanView {
  Plan plan;
  std::vector<PlanItem> objectives;
  std::vector<PlanItem> actions;
};

class GroupsService {
 public:
  // `db`, `audit` and `clock` must outlive the service.
  GroupsService(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
                GroupsOptions options);
  GroupsService(const GroupsService&) = delete;
  GroupsService& operator=(const GroupsService&) = delete;

  // ---- working groups (group.create, group.read, group.update)
  // Creates `input` (GroupFromJson kCreate) owned by this agency, version 1;
  // `agencies` gets this agency first when missing; every other agency must
  // be a registered partner ("agencies[i]"); tasks get ids. Errors:
  // PermissionDenied; InvalidArgument naming the member; the store's.
  absl::StatusOr<WorkingGroup> CreateGroup(const security::Principal& who,
                                           WorkingGroup input, std::string_view purpose);
  // Errors: PermissionDenied; InvalidArgument "id"; NotFound; the store's.
  absl::StatusOr<WorkingGroup> GetGroup(const security::Principal& who, std::string_view id,
                                        std::string_view purpose);
  // `domain` ("" for all) must be one of DomainNames() ("domain").
  absl::StatusOr<Page<WorkingGroup>> ListGroups(const security::Principal& who, int64_t page,
                                                int64_t page_size, std::string_view purpose,
                                                std::string_view domain = {});
  // Replaces the editable members of group `id` at `input.version`.
  // Agencies removed get a purge. Errors: as CreateGroup; NotFound;
  // FailedPrecondition when stale or a partner's group.
  absl::StatusOr<WorkingGroup> UpdateGroup(const security::Principal& who, std::string_view id,
                                           WorkingGroup input, std::string_view purpose);

  // Sets the state (and, when given, the assignee) of task `task_id` of
  // group `group_id` (group.update). The group's owner changes any task:
  // the group gets a new version, published to every agency. The agency
  // that carries a task out (its owner_agency) changes it on a partner's
  // group: the copy here shows the change at once and the progress goes to
  // the owner, which applies it and publishes the group's next version.
  // Errors: PermissionDenied; InvalidArgument "group_id"/"task_id"/"state";
  // NotFound (group or task); FailedPrecondition naming who may change the
  // task when this agency neither owns the group nor carries the task out;
  // the store's.
  absl::StatusOr<WorkingGroup> UpdateTask(const security::Principal& who,
                                          std::string_view group_id, std::string_view task_id,
                                          TaskProgress progress, std::string_view purpose);

  // ---- the action plan (plan.create, plan.read, plan.update)
  absl::StatusOr<Plan> CreatePlan(const security::Principal& who, Plan input,
                                  std::string_view purpose);
  absl::StatusOr<PlanView> GetPlan(const security::Principal& who, std::string_view id,
                                   std::string_view purpose);
  absl::StatusOr<Page<Plan>> ListPlans(const security::Principal& who, int64_t page,
                                       int64_t page_size, std::string_view purpose);
  absl::StatusOr<Plan> UpdatePlan(const security::Principal& who, std::string_view id,
                                  Plan input, std::string_view purpose);
  // Adds an objective or action (owned by this agency) to plan `plan_id`,
  // of which this agency must be one of the agencies; an action's
  // objective must be of the plan ("objective_id"). Milestones get ids.
  absl::StatusOr<PlanItem> CreateItem(const security::Principal& who,
                                      std::string_view plan_id, PlanItem input,
                                      std::string_view purpose);
  // Replaces the editable members of this agency's objective or action `id`
  // of plan `plan_id` at `input.version`. Errors: FailedPrecondition naming
  // the owner when it is a partner's ("each agency edits only its own
  // actions"), or when the version is stale; NotFound; as CreateItem.
  absl::StatusOr<PlanItem> UpdateItem(const security::Principal& who,
                                      std::string_view plan_id, std::string_view id,
                                      PlanItem input, std::string_view purpose);
  // The road map of plan `id` now (plan.read). Errors: as GetPlan.
  absl::StatusOr<Roadmap> GetRoadmap(const security::Principal& who, std::string_view id,
                                     std::string_view purpose);

  // ---- joint operations (operation.create, operation.read, operation.update)
  // The linked group, when given, must be held here ("group_id"). A report
  // is accepted once the operation is completed ("report"); its
  // submitted_at is set when first given.
  absl::StatusOr<Operation> CreateOperation(const security::Principal& who, Operation input,
                                            std::string_view purpose);
  absl::StatusOr<Operation> GetOperation(const security::Principal& who, std::string_view id,
                                         std::string_view purpose);
  absl::StatusOr<Page<Operation>> ListOperations(const security::Principal& who,
                                                 int64_t page, int64_t page_size,
                                                 std::string_view purpose);
  absl::StatusOr<Operation> UpdateOperation(const security::Principal& who,
                                            std::string_view id, Operation input,
                                            std::string_view purpose);

  const GroupsOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }

 private:
  // Runs `fn` in a write transaction after authorizing `action` on
  // `object`; audits success (on the object fn may rename, with the
  // `details` fn fills) in the same transaction, or failure.
  absl::Status Run(const security::Principal& who, security::Action action,
                   std::string object, std::string_view purpose,
                   absl::FunctionRef<absl::Status(db::Transaction&, boost::json::object&,
                                                  std::string&)>
                       fn);
  absl::Status CheckPartners(db::Transaction& tx, std::vector<std::string>& agencies);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  GroupsOptions options_;
};

}  // namespace jisr::groups

#endif  // JISR_GROUPS_GROUPS_SERVICE_H_
