// The records of groups/: joint working groups (members, case file, tasks),
// the joint action plan (plan -> objectives -> actions -> milestones, with
// indicators) and joint operations; their validation, their JSON form (the
// same form is answered by the API, stored in the `body` column and sent to
// partners) and the road map of a plan with progress rolled up and what is
// late.
//
// Ownership: every record has one owner agency, the only one whose node may
// change it. A working group, a plan and an operation are owned by the
// agency that created them; each objective and each action of a plan by its
// own `owner` agency (so each agency edits only its own actions, and the
// versions of one action never come from two nodes). Milestones and
// indicators belong to their action (or objective).
//
// Thread-safety: value types and pure functions; safe from any thread.
#ifndef JISR_GROUPS_GROUPS_H_
#define JISR_GROUPS_GROUPS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jisr::groups {

// Limits of the texts and lists.
inline constexpr size_t kMaxNameBytes = 200;     // names, titles, code names
inline constexpr size_t kMaxTextBytes = 20000;   // descriptions, reports
inline constexpr size_t kMaxShortBytes = 500;    // notes, units, areas
inline constexpr size_t kMaxListItems = 500;     // members, tasks, links, ...
inline constexpr int64_t kMaxPageSize = 200;

// The names each enumerated member accepts.
std::span<const std::string_view> DomainNames();      // organised_crime, ...
std::span<const std::string_view> MemberRoleNames();  // lead|member|liaison
std::span<const std::string_view> CaseLinkKindNames();  // alert|thread|assistance_request|event
std::span<const std::string_view> TaskStateNames();   // open|in_progress|done|cancelled
std::span<const std::string_view> GroupStateNames();  // active|closed
std::span<const std::string_view> ItemStateNames();   // planned|in_progress|done|cancelled
std::span<const std::string_view> OperationStateNames();  // planned|active|completed|cancelled

// How a JSON object is read: a creation (no id, owner or version), an
// update (the editable members and the `version` the caller saw), or a copy
// that crossed from a partner (everything, with id, owner and version).
enum class JsonForm { kCreate, kUpdate, kShared };

// ---- working groups ---------------------------------------------------------

// A member: a local user (agency = this node's, reference = the user's id)
// or a partner's member by reference (the partner's user id or staff
// number: nothing more of the partner's staff is kept here).
struct Member {
  std::string agency;
  std::string reference;
  std::string name;
  std::string role = "member";  // lead|member|liaison
  bool operator==(const Member&) const = default;
};

// One entry of a group's case file: a link to an alert, a message thread, an
// assistance request or an event (by id; the linked record stays in its
// module and under its own access rules).
struct CaseLink {
  std::string kind;  // alert|thread|assistance_request|event
  std::string ref;   // the linked record's id
  std::string note;
  bool operator==(const CaseLink&) const = default;
};

struct Task {
  std::string id;  // UUID; given by the node when absent at creation
  std::string title;
  std::string owner_agency;  // the agency that carries it out
  std::string assignee;      // a member reference, or ""
  std::optional<absl::Time> due_at;
  std::string state = "open";  // open|in_progress|done|cancelled
  bool operator==(const Task&) const = default;
};

struct WorkingGroup {
  std::string id;
  std::string owner;
  std::string name;
  std::string domain;  // DomainNames()
  std::string description;
  std::vector<std::string> agencies;  // member agencies, the owner first
  std::vector<Member> members;
  std::vector<CaseLink> case_file;
  std::vector<Task> tasks;
  std::string state = "active";  // active|closed
  int64_t version = 0;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time updated_at = absl::UnixEpoch();
  std::string envelope_id;  // local: the partner's latest envelope
};

// ---- the joint action plan --------------------------------------------------

struct Plan {
  std::string id;
  std::string owner;
  std::string title;
  std::string description;
  std::vector<std::string> agencies;  // the plan's agencies, the owner first
  std::optional<absl::Time> starts_at;
  std::optional<absl::Time> ends_at;
  std::string state = "active";  // active|closed
  int64_t version = 0;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time updated_at = absl::UnixEpoch();
  std::string envelope_id;
};

// "internationally wanted persons located": target 50, measured 12.
struct Indicator {
  std::string name;
  std::string unit;
  double target = 0;
  double measured = 0;
  std::optional<absl::Time> measured_at;
  bool operator==(const Indicator&) const = default;
};

struct Milestone {
  std::string id;  // UUID; given by the node when absent
  std::string title;
  std::optional<absl::Time> due_at;
  std::string state = "planned";  // ItemStateNames()
  int64_t progress = 0;           // 0..100
  bool operator==(const Milestone&) const = default;
};

enum class ItemKind { kObjective, kAction };

// An objective or an action of a plan.
struct PlanItem {
  ItemKind kind = ItemKind::kAction;
  std::string id;
  std::string plan_id;
  std::string objective_id;  // actions: the objective they serve
  std::string owner;         // the owner agency, who alone edits it
  std::string title;
  std::string description;
  std::optional<absl::Time> due_at;
  std::string state = "planned";  // ItemStateNames()
  int64_t progress = 0;           // 0..100, used when nothing below it
  std::vector<Milestone> milestones;  // actions only
  std::vector<Indicator> indicators;
  int64_t version = 0;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time updated_at = absl::UnixEpoch();
  std::string envelope_id;
};

// ---- joint operations -------------------------------------------------------

struct Unit {
  std::string agency;
  std::string name;
  bool operator==(const Unit&) const = default;
};

struct LiaisonOfficer {
  std::string agency;      // the officer's agency
  std::string reference;   // user id or staff number
  std::string name;
  std::string posted_with; // the agency hosting the officer
  bool operator==(const LiaisonOfficer&) const = default;
};

struct AfterActionReport {
  std::string summary;
  std::string results;
  std::string lessons;
  absl::Time submitted_at = absl::UnixEpoch();
  bool operator==(const AfterActionReport&) const = default;
};

struct Operation {
  std::string id;
  std::string owner;
  std::string code_name;
  std::string description;
  absl::Time starts_at = absl::UnixEpoch();
  absl::Time ends_at = absl::UnixEpoch();
  std::string area;
  std::vector<std::string> agencies;  // participating, the owner first
  std::vector<Unit> units;
  std::vector<LiaisonOfficer> liaison_officers;
  std::string group_id;  // the linked working group, or ""
  std::string state = "planned";  // OperationStateNames()
  std::optional<AfterActionReport> report;
  int64_t version = 0;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time updated_at = absl::UnixEpoch();
  std::string envelope_id;
};

// ---- validation and JSON ----------------------------------------------------

// Returns OK for an agency code such as FR-DGPN; InvalidField(`field`) else.
absl::Status ValidateAgencyCode(std::string_view code, std::string_view field);

// Parse `o` in `form` (see JsonForm). The ids of new tasks and milestones
// are left empty (the service gives them). Every error is InvalidArgument
// naming the member at fault ("tasks[2].due_at"); unknown members are
// refused. The parsed record is also checked (Validate* below).
absl::StatusOr<WorkingGroup> GroupFromJson(const boost::json::object& o, JsonForm form);
absl::StatusOr<Plan> PlanFromJson(const boost::json::object& o, JsonForm form);
absl::StatusOr<PlanItem> ItemFromJson(const boost::json::object& o, ItemKind kind,
                                      JsonForm form);
absl::StatusOr<Operation> OperationFromJson(const boost::json::object& o, JsonForm form);

// Progress on one task of a group, reported by the agency that carries it
// out (or set by the group's owner): its state and assignee. The rest of a
// task (title, owner agency, due date) is the group owner's to change.
struct TaskProgress {
  std::string group_id;
  std::string task_id;
  std::string state;                    // TaskStateNames()
  std::optional<std::string> assignee;  // unchanged when absent
};
// Reads {state, assignee?} (kUpdate: ids from the path) or, in kShared, also
// {group_id, task_id}. Errors: InvalidArgument naming the member.
absl::StatusOr<TaskProgress> TaskProgressFromJson(const boost::json::object& o, JsonForm form);
// {group_id, task_id, state, assignee?}: what crosses to the group's owner.
boost::json::object TaskProgressToJson(const TaskProgress& p);

// Cross-member checks (dates in order, lists within their limits, agencies
// of members/tasks/units/officers among the record's agencies, ...).
// InvalidField naming the member at fault.
absl::Status ValidateGroup(const WorkingGroup& g);
absl::Status ValidatePlan(const Plan& p);
absl::Status ValidateItem(const PlanItem& i);
absl::Status ValidateOperation(const Operation& op);

// The JSON form of each record (id, owner, version and every member; the
// local columns are left out). What the API answers and what crosses.
boost::json::object GroupToJson(const WorkingGroup& g);
boost::json::object PlanToJson(const Plan& p);
boost::json::object ItemToJson(const PlanItem& i);
boost::json::object OperationToJson(const Operation& op);

// ---- the road map -----------------------------------------------------------

// Something past its due date and neither done nor cancelled.
struct LateItem {
  std::string kind;  // objective|action|milestone
  std::string id;
  std::string title;
  std::string owner;
  absl::Time due_at;
  int64_t days_late = 0;  // whole days past due_at
};

// A plan's road map at `now`. Progress is rolled up from the bottom: a done
// item counts 100, a cancelled one is left out; a milestone counts its own
// progress; an action the mean of its milestones (its own progress when it
// has none); an objective the mean of its actions (likewise); the plan the
// mean of its objectives (0 without any). Rounded to one decimal.
struct Roadmap {
  double progress = 0;
  std::map<std::string, double> objective_progress;  // by id
  std::map<std::string, double> action_progress;     // by id
  std::vector<LateItem> late;  // by due date, then id
  // Items (objectives and actions) by state name.
  std::map<std::string, int64_t> objectives_by_state;
  std::map<std::string, int64_t> actions_by_state;
  boost::json::object json;  // the whole tree, see BuildRoadmap
};

// Builds the road map of `plan` from its `objectives` and `actions` (any
// order; actions naming an unknown objective are listed under
// "unassigned"). json: {plan: {...}, generated_at, progress, counts,
// late: [...], objectives: [{..., progress, late, actions: [{..., progress,
// late, milestones: [{..., late}]}]}], unassigned_actions: [...]}.
Roadmap BuildRoadmap(const Plan& plan, std::vector<PlanItem> objectives,
                     std::vector<PlanItem> actions, absl::Time now);

}  // namespace jisr::groups

#endif  // JISR_GROUPS_GROUPS_H_
