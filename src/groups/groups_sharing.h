// What of groups/ crosses to partners (through federation/), and the
// handlers that apply it on the receiving node.
//
// Publishing (in the transaction of the change, by the owner only: a node
// publishes only records its own agency owns, never a partner's copy):
//  - a working group to every other agency of its `agencies`
//    ("group.upsert", record "group:<id>", body GroupToJson);
//  - a plan to every other agency of the plan ("plan.upsert", "plan:<id>");
//  - each objective and action to every other agency of its plan
//    ("plan.item", "plan-objective:<id>" / "plan-action:<id>"), by the
//    node of its owner agency: each agency's actions travel from that
//    agency's node directly, never relayed by a third;
//  - an operation to every other participating agency ("operation.upsert",
//    "operation:<id>");
//  - progress on a task (state, assignee) by the partner agency that
//    carries it out, to the group's owner only ("group.task", record
//    "group-task:<task id>", body TaskProgressToJson); the owner applies it
//    to its group and publishes the group's new version to every agency;
//  - an agency removed from a group's, plan's or operation's agencies gets
//    "group.purge" / "plan.purge" / "operation.purge" (body {"id"}) and
//    deletes its copy.
// The envelope's version is the record's: the receiver applies a record's
// versions newest-wins whatever their order of arrival.
//
// Receiving: for "group.task", the group must be this agency's and the
// sender the task's owner agency (PermissionDenied otherwise); an unknown
// group or task is NotFound (the task may have been removed meanwhile).
// Otherwise the sender must be the record's owner (PermissionDenied
// otherwise, audited federation.reject by the receiver) and this agency one
// of its agencies; a copy held here with another owner is never replaced;
// an objective or action needs its plan (and an action its objective) here,
// and is deferred (federation::RetryLater) until they arrive; both the sender
// and this agency among the plan's agencies; an envelope older than the
// copy held changes nothing. Each applied envelope adds the audit entry
// "<group|plan|operation>.apply" or ".purge" (actor peer:<sender>). When a
// plan arrives with an agency newly added, this node publishes its own
// objectives and actions of that plan to the new agency (so it gets the
// whole road map from each owner).
//
// Thread-safety: free functions over the caller's transaction.
#ifndef JISR_GROUPS_GROUPS_SHARING_H_
#define JISR_GROUPS_GROUPS_SHARING_H_

#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "federation/receiver.h"
#include "groups/groups.h"

namespace jisr::groups {

inline constexpr std::string_view kGroupKind = "group.upsert";
inline constexpr std::string_view kGroupPurgeKind = "group.purge";
inline constexpr std::string_view kTaskProgressKind = "group.task";
inline constexpr std::string_view kPlanKind = "plan.upsert";
inline constexpr std::string_view kPlanPurgeKind = "plan.purge";
inline constexpr std::string_view kItemKind = "plan.item";
inline constexpr std::string_view kOperationKind = "operation.upsert";
inline constexpr std::string_view kOperationPurgeKind = "operation.purge";

std::string GroupRecord(std::string_view id);      // "group:<id>"
std::string PlanRecord(std::string_view id);       // "plan:<id>"
std::string ItemRecord(const PlanItem& item);      // "plan-action:<id>", ...
std::string OperationRecord(std::string_view id);  // "operation:<id>"
std::string TaskRecord(std::string_view id);       // "group-task:<id>"

// Publish the record (owned by `agency`, this node's) to its other agencies
// and a purge to each of `removed`. Errors: FailedPrecondition when `agency`
// is not the record's owner (a copy is never passed on); the store's.
absl::Status PublishGroup(db::Transaction& tx, const WorkingGroup& g, std::string_view agency,
                          std::span<const std::string> removed, absl::Time now);
absl::Status PublishPlan(db::Transaction& tx, const Plan& p, std::string_view agency,
                         std::span<const std::string> removed, absl::Time now);
absl::Status PublishOperation(db::Transaction& tx, const Operation& op,
                              std::string_view agency, std::span<const std::string> removed,
                              absl::Time now);
// `plan` is the item's plan (its agencies are the recipients); `to` when
// not empty restricts the recipients to those agencies.
absl::Status PublishItem(db::Transaction& tx, const PlanItem& item, const Plan& plan,
                         std::string_view agency, absl::Time now,
                         std::span<const std::string> to = {});

// Sends progress `p` on a task of partner group `g` (this agency carries the
// task out; g's owner is a partner) to g's owner only, as version `version`
// of record "group-task:<task id>" (newest wins at the owner). Errors:
// FailedPrecondition when this agency owns `g` (it publishes the group) or
// does not carry the task out; the store's.
absl::Status PublishTaskProgress(db::Transaction& tx, const WorkingGroup& g,
                                 const TaskProgress& p, std::string_view agency,
                                 int64_t version, absl::Time now);

// Registers the handlers of every kind above on `receiver`. `agency` is this
// node's code; `audit` and `clock` must outlive the receiver. Errors: the
// receiver's (a kind registered twice).
absl::Status RegisterGroupsHandlers(federation::Receiver& receiver, std::string agency,
                                    const audit::AuditLog& audit, const Clock& clock);

}  // namespace jisr::groups

#endif  // JISR_GROUPS_GROUPS_SHARING_H_
