// Roles, actions, the principal acting, and THE permission policy: every
// permission decision of the node is made by Authorize() from the one table
// JISR_SECURITY_POLICY below. Adding an action is adding one row to it.
//
// Separation of duties: admins manage users but may not read the audit log's
// content; auditors read and export it. Both may verify the chain.
//
// Thread-safety: everything here is immutable or a value type; safe from any
// thread.
#ifndef JISR_SECURITY_POLICY_H_
#define JISR_SECURITY_POLICY_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace jisr::security {

// Keep kAuditor last (or move kLastRole) when adding a role.
enum class Role : uint8_t { kAdmin, kSupervisor, kOfficer, kAnalyst, kAuditor };
inline constexpr Role kLastRole = Role::kAuditor;

// Every role, in declaration order.
std::span<const Role> AllRoles();
// "admin", "supervisor", "officer", "analyst", "auditor".
std::string_view RoleName(Role role);
// The role named `name` (exact, lower case), or nullopt.
std::optional<Role> RoleFromName(std::string_view name);

// A set of roles, written in the policy table as `Role::kA | Role::kB`.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(Role role)
      : bits_(Bit(role)) {}  // NOLINT: implicit by design
  static constexpr RoleSet All() {
    RoleSet s;
    s.bits_ = (1u << (static_cast<uint32_t>(kLastRole) + 1)) - 1;
    return s;
  }
  constexpr bool contains(Role role) const { return (bits_ & Bit(role)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  friend constexpr RoleSet operator|(RoleSet a, RoleSet b) {
    RoleSet s;
    s.bits_ = a.bits_ | b.bits_;
    return s;
  }
  constexpr bool operator==(const RoleSet&) const = default;

 private:
  static constexpr uint32_t Bit(Role role) {
    return 1u << static_cast<uint32_t>(role);
  }
  uint32_t bits_ = 0;
};

constexpr RoleSet operator|(Role a, Role b) { return RoleSet(a) | RoleSet(b); }

inline constexpr RoleSet kEveryRole = RoleSet::All();

// THE POLICY TABLE: X(enumerator, "dotted.name", roles allowed).
// Keep rows grouped by module; names are "<module>.<verb>".
#define JISR_SECURITY_POLICY(X)                                                \
  /* users (security/) */                                                      \
  X(kUserList, "user.list", Role::kAdmin | Role::kSupervisor)                  \
  X(kUserRead, "user.read", Role::kAdmin | Role::kSupervisor)                  \
  X(kUserCreate, "user.create", Role::kAdmin)                                  \
  X(kUserUpdate, "user.update", Role::kAdmin)                                  \
  X(kUserDisable, "user.disable", Role::kAdmin)                                \
  X(kUserResetPassword, "user.reset_password", Role::kAdmin)                   \
  /* audit log (audit/): admins may verify but not read it */                  \
  X(kAuditRead, "audit.read", Role::kAuditor)                                  \
  X(kAuditVerify, "audit.verify", Role::kAdmin | Role::kAuditor)               \
  X(kAuditExport, "audit.export", Role::kAuditor)                              \
  /* the node's own agency (node/) */                                          \
  X(kAgencyRead, "agency.read", kEveryRole)                                    \
  /* sessions */                                                               \
  X(kSessionMe, "session.me", kEveryRole)                                      \
  /* wanted-person alerts (alerts/): officers draft, supervisors */            \
  /* approve; admins and auditors see no personal data */                      \
  X(kAlertCreate, "alert.create", Role::kSupervisor | Role::kOfficer)          \
  X(kAlertRead, "alert.read",                                                  \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kAlertList, "alert.list",                                                  \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kAlertUpdate, "alert.update", Role::kSupervisor | Role::kOfficer)          \
  X(kAlertActivate, "alert.activate", Role::kSupervisor)                       \
  X(kAlertSuspend, "alert.suspend", Role::kSupervisor)                         \
  X(kAlertWithdraw, "alert.withdraw", Role::kSupervisor)                       \
  X(kAlertExecute, "alert.execute", Role::kSupervisor | Role::kOfficer)        \
  X(kAlertExtend, "alert.extend", Role::kSupervisor)                           \
  X(kAlertImport, "alert.import", Role::kSupervisor | Role::kOfficer)          \
  X(kAlertExport, "alert.export", Role::kSupervisor)                           \
  /* screening against the active alerts (alerts/) */                          \
  X(kScreenPerson, "screen.person",                                            \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kScreenBatch, "screen.batch",                                              \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  /* hit reports on alerts (alerts/) */                                        \
  X(kHitReport, "hit.report", Role::kSupervisor | Role::kOfficer)              \
  X(kHitRead, "hit.read", Role::kSupervisor | Role::kOfficer | Role::kAnalyst) \
  X(kHitUpdate, "hit.update", Role::kSupervisor | Role::kOfficer)             \
  /* mutual-assistance requests (assistance/): officers and supervisors */     \
  /* submit and work them, analysts read; admins and auditors see none */      \
  X(kAssistanceCreate, "assistance.create", Role::kSupervisor | Role::kOfficer) \
  X(kAssistanceRead, "assistance.read",                                        \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kAssistanceList, "assistance.list",                                        \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kAssistanceUpdate, "assistance.update", Role::kSupervisor | Role::kOfficer) \
  X(kAssistanceStats, "assistance.stats",                                      \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  /* --- exchange (exchange/): messages between agencies. Officers, */        \
  /* supervisors and analysts read and write; forwarding (passing */           \
  /* information on) is for officers and supervisors; units are managed */    \
  /* by admins and supervisors; admins and auditors see no content */         \
  X(kMessageSend, "message.send",                                              \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kMessageForward, "message.forward", Role::kSupervisor | Role::kOfficer)    \
  X(kMessageList, "message.list",                                              \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kMessageRead, "message.read",                                              \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kMessageSearch, "message.search",                                          \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kMessageAck, "message.ack",                                                \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kMessageExport, "message.export",                                          \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kMessageAttachmentUpload, "message.attachment_upload",                     \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kMessageAttachmentRead, "message.attachment_read",                         \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kMessageUnitList, "message.unit_list",                                     \
    Role::kAdmin | Role::kSupervisor | Role::kOfficer | Role::kAnalyst)        \
  X(kMessageUnitManage, "message.unit_manage", Role::kAdmin | Role::kSupervisor) \
  /* --- end exchange */                                                       \
  /* --- groups (groups/): working groups, the joint action plan, joint */  \
  /* operations. Officers and supervisors create and work them; only */       \
  /* supervisors create plans and operations; analysts read */                \
  X(kGroupCreate, "group.create", Role::kSupervisor | Role::kOfficer)          \
  X(kGroupRead, "group.read",                                                  \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kGroupUpdate, "group.update", Role::kSupervisor | Role::kOfficer)          \
  X(kPlanCreate, "plan.create", Role::kSupervisor)                             \
  X(kPlanRead, "plan.read",                                                    \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kPlanUpdate, "plan.update", Role::kSupervisor | Role::kOfficer)            \
  X(kOperationCreate, "operation.create", Role::kSupervisor)                   \
  X(kOperationRead, "operation.read",                                          \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kOperationUpdate, "operation.update", Role::kSupervisor | Role::kOfficer)  \
  /* --- end groups */                                                         \
  /* --- events (events/): major events. Supervisors create events; */       \
  /* officers and supervisors log incidents, deploy liaison officers, run */  \
  /* and review accreditation campaigns; analysts read */                     \
  X(kEventCreate, "event.create", Role::kSupervisor)                           \
  X(kEventUpdate, "event.update", Role::kSupervisor)                           \
  X(kEventRead, "event.read",                                                  \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kEventDeploy, "event.deploy", Role::kSupervisor | Role::kOfficer)          \
  X(kCampaignCreate, "campaign.create", Role::kSupervisor | Role::kOfficer)    \
  X(kCampaignRead, "campaign.read",                                            \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  X(kCampaignReview, "campaign.review", Role::kSupervisor | Role::kOfficer)    \
  X(kIncidentCreate, "incident.create", Role::kSupervisor | Role::kOfficer)    \
  X(kIncidentRead, "incident.read",                                            \
    Role::kSupervisor | Role::kOfficer | Role::kAnalyst)                       \
  /* --- end events */                                                         \
  /* --- training (training/): programmes, sessions, enrolments, the */      \
  /* technical-assistance catalogue. Everyone reads programmes and the */     \
  /* catalogue; supervisors and admins manage them and record attendance; */  \
  /* officers and supervisors enrol participants and read them */             \
  X(kTrainingRead, "training.read", kEveryRole)                                \
  X(kTrainingManage, "training.manage", Role::kAdmin | Role::kSupervisor)      \
  X(kTrainingEnrol, "training.enrol", Role::kSupervisor | Role::kOfficer)      \
  /* --- end training */                                                       \
  /* --- reports (reports/): aggregate figures, no personal data */          \
  X(kReportRead, "report.read",                                                \
    Role::kAdmin | Role::kSupervisor | Role::kAuditor)                         \
  /* --- end reports */                                                        \
  /* partner nodes and their delivery health (federation/): no personal */    \
  /* data */                                                                 \
  X(kFederationRead, "federation.read",                                        \
    Role::kAdmin | Role::kSupervisor | Role::kAuditor)                         \
  X(kPartnerList, "partner.list", kEveryRole)                                  \
  X(kPeerManage, "peer.manage", Role::kAdmin)                                  \
  /* dead-lettered outbox envelopes: retry or discard (no body shown) */      \
  X(kFederationOutboxManage, "federation.outbox.manage", Role::kAdmin)

// Every action the node permits.
enum class Action : uint16_t {
#define JISR_SECURITY_ACTION_ENUM_(id, name, roles) id,
  JISR_SECURITY_POLICY(JISR_SECURITY_ACTION_ENUM_)
#undef JISR_SECURITY_ACTION_ENUM_
};

// Every action, in table order.
std::span<const Action> AllActions();
// The dotted name, e.g. "user.create".
std::string_view ActionName(Action action);
// The action named `name`, or nullopt.
std::optional<Action> ActionFromName(std::string_view name);
// The roles the policy table allows to perform `action`.
RoleSet AllowedRoles(Action action);

// Who is acting: a signed-in user, the operator at the command line, or the
// node itself (scheduled jobs).
struct Principal {
  enum class Kind : uint8_t { kUser, kOperator, kSystem };

  Kind kind = Kind::kUser;
  std::string user_id;   // users.id for kUser; "" otherwise
  std::string username;  // the user name; the OS user for kOperator; "system"
  std::string display_name;  // for messages and the UI
  Role role = Role::kOfficer;

  // The audit-log actor: "user:<id>:<username>", "cli:<os-user>" or "system".
  std::string Actor() const;

  // A signed-in user.
  static Principal ForUser(std::string user_id, std::string username,
                           std::string display_name, Role role);
  // The operator running `jisr` on the node's host, acting in `role` (admin
  // for user management; auditor for `jisr audit export`). Characters of
  // `os_user` outside [A-Za-z0-9._-] become '_'; at most 64 are kept; ""
  // becomes "unknown".
  static Principal CliOperator(std::string_view os_user,
                               Role role = Role::kAdmin);
  // The node itself (scheduled jobs), acting as admin.
  static Principal System();
};

// The audit-log actor text for user `user_id` / `username` (what
// Principal::Actor() gives for that user), for filtering the log by user.
std::string UserActor(std::string_view user_id, std::string_view username);

// Returns OK when `principal`'s role may perform `action` by the policy table;
// otherwise PermissionDenied "role 'officer' may not perform 'user.create'".
// A kUser principal without a user_id (e.g. default-constructed) is denied
// everything.
absl::Status Authorize(const Principal& principal, Action action);

}  // namespace jisr::security

#endif  // JISR_SECURITY_POLICY_H_
