// Hit reports (SIRENE form G in spirit): an officer who found the subject of
// an alert (or checked a screening match and judged it false) files a report
// {place, occurred_at, circumstances, action_taken, contact, false_match};
// the owning agency's hit inbox follows it up through the states
//
//   reported --acknowledge--> acknowledged --close--> closed
//   reported --close--> closed
//
// each step with an optional reply, and may record on closing that the match
// was false. Reports on a partner's alert are stored here with that
// partner as owner (the federation module will carry them to the owner); only
// the owner's node acknowledges and closes.
//
// Every call is authorised by the policy table (hit.report, hit.read,
// hit.update) and audited like the alerts service (success in the same
// transaction; denied and failure in their own).
//
// Thread-safety: HitService is safe to share between threads.
#ifndef JISR_ALERTS_HIT_SERVICE_H_
#define JISR_ALERTS_HIT_SERVICE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "security/policy.h"

namespace jisr::alerts {

enum class HitState : uint8_t { kReported, kAcknowledged, kClosed };
// "reported", "acknowledged", "closed".
std::string_view HitStateName(HitState s);
std::optional<HitState> HitStateFromName(std::string_view name);
std::span<const std::string_view> HitStateNames();

// What the reporting officer writes.
struct HitReport {
  std::string place;          // required, at most 500 bytes
  absl::Time occurred_at;     // required; not in the future
  std::string circumstances;  // required, at most 4000 bytes
  std::string action_taken;   // required unless false_match
  std::string contact;        // how to reach the reporter; required
  bool false_match = false;   // the match was checked and is not the subject

  bool operator==(const HitReport&) const = default;
};

// Returns OK for a report filed at `now`, else InvalidArgument naming
// "place", "occurred_at", "circumstances", "action_taken" or "contact".
absl::Status ValidateHitReport(const HitReport& report, absl::Time now);

struct Hit {
  std::string id;  // UUIDv7
  std::string alert_id;
  std::string alert_owner;       // whose inbox holds it
  std::string reporting_agency;  // this node's agency when filed here
  HitState state = HitState::kReported;
  HitReport report;
  std::string reply;  // the owner's latest reply
  std::string reported_by;
  absl::Time reported_at;
  std::string updated_by;
  absl::Time updated_at;
  int64_t version = 1;

  bool operator==(const Hit&) const = default;
};

// {id, alert_id, alert_owner, reporting_agency, state, false_match, place,
// occurred_at, circumstances, action_taken, contact, reply, reported_by,
// reported_at, updated_by, updated_at, version}.
boost::json::object HitToJson(const Hit& hit);

// Reads HitToJson's form (hits received from a partner). Errors:
// InvalidArgument naming the member.
absl::StatusOr<Hit> HitFromJson(const boost::json::object& json);

struct HitPage {
  std::vector<Hit> hits;  // newest first
  int64_t total = 0;
  int64_t page = 1;
  int64_t page_size = 50;
};

class HitService {
 public:
  // `db`, `audit` and `clock` must outlive the service; `agency` is this
  // node's agency code.
  HitService(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
             std::string agency);
  HitService(const HitService&) = delete;
  HitService& operator=(const HitService&) = delete;

  // Files a report on alert `alert_id`, which must be active (action
  // hit.report). Returns the hit (state reported).
  // Errors: PermissionDenied; InvalidArgument naming "alert_id", "place",
  // "occurred_at", "circumstances", "action_taken" or "contact"; NotFound;
  // FailedPrecondition when the alert is not active; the store's error.
  absl::StatusOr<Hit> Report(const security::Principal& who,
                             std::string_view alert_id, const HitReport& report,
                             std::string_view purpose);

  // Returns the hits on alert `alert_id`, newest first (action hit.read).
  // Errors: PermissionDenied; InvalidArgument naming "alert_id"; NotFound
  // when there is no such alert; the store's error.
  absl::StatusOr<std::vector<Hit>> ForAlert(const security::Principal& who,
                                            std::string_view alert_id,
                                            std::string_view purpose);

  // The inbox: hits on this agency's alerts, newest first, optionally in one
  // state (action hit.read). Errors: PermissionDenied; InvalidArgument naming
  // "page" or "page_size"; the store's error.
  absl::StatusOr<HitPage> Inbox(const security::Principal& who,
                                std::optional<HitState> state, int64_t page,
                                int64_t page_size, std::string_view purpose);

  // Returns hit `id` (action hit.read). Errors: PermissionDenied;
  // InvalidArgument naming "id"; NotFound; the store's error.
  absl::StatusOr<Hit> Get(const security::Principal& who, std::string_view id,
                          std::string_view purpose);

  // Moves hit `id` at `version` from reported to acknowledged, with an
  // optional reply (action hit.update). Errors: PermissionDenied;
  // InvalidArgument naming "id" or "reply"; NotFound; FailedPrecondition for
  // a stale version, another state, or a hit on a partner's alert; the
  // store's error.
  absl::StatusOr<Hit> Acknowledge(const security::Principal& who,
                                  std::string_view id, int64_t version,
                                  std::string_view reply,
                                  std::string_view purpose);

  // Closes hit `id` at `version` (from reported or acknowledged), with an
  // optional reply; `false_match` (when given) records whether the match
  // was false. Errors as Acknowledge.
  absl::StatusOr<Hit> Close(const security::Principal& who, std::string_view id,
                            int64_t version, std::string_view reply,
                            std::optional<bool> false_match,
                            std::string_view purpose);

 private:
  absl::StatusOr<Hit> Transition(const security::Principal& who,
                                 std::string_view id, int64_t version,
                                 std::string_view reply,
                                 std::optional<bool> false_match, HitState to,
                                 std::string_view purpose);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  std::string agency_;
};

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_HIT_SERVICE_H_
