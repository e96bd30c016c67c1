// The alerts tables (alerts, alert_history; migration 0004_alerts.sql): the
// SQL that stores, reads, lists and versions alerts. Every function works in
// the caller's transaction, so a change, its history entry and its audit
// entry commit together. No permission checks here (the service does them).
//
// Thread-safety: stateless functions; each call uses only the transaction it
// is given (which belongs to one thread at a time).
#ifndef JISR_ALERTS_ALERT_REPOSITORY_H_
#define JISR_ALERTS_ALERT_REPOSITORY_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "alerts/alert.h"
#include "db/database.h"

namespace jisr::alerts {

// Which alerts ListAlerts returns.
struct AlertQuery {
  std::optional<AlertStatus> status;  // default any
  std::optional<Category> category;   // default any
  std::optional<std::string> owner;   // default any
  // Only alerts one of whose names contains this text once both are
  // normalised (names/ normalisation: case, accents, script variants).
  // Default "" (any).
  std::string q;
  // 1-based page number. Default 1.
  int64_t page = 1;
  // Alerts per page, 1..kMaxPageSize. Default 50.
  int64_t page_size = 50;
};

inline constexpr int64_t kMaxPageSize = 200;

struct AlertPage {
  std::vector<Alert> alerts;  // newest first (by created_at, then id)
  int64_t total = 0;          // alerts matching the query on all pages
  int64_t page = 1;
  int64_t page_size = 50;
};

// One version of an alert in its history.
struct HistoryEntry {
  std::string alert_id;
  int64_t version = 0;
  absl::Time at;
  std::string actor;
  // create, update, activate, suspend, withdraw, execute, extend, expire,
  // review_warning.
  std::string change;
  std::vector<std::string> fields;  // content fields changed (update, create)
  std::string note;                 // reason, justification or place
  std::string snapshot;             // AlertToJson of the alert after the change
};

// {version, at, actor, change, fields, note, snapshot (parsed object)}.
boost::json::object HistoryEntryToJson(const HistoryEntry& entry);

// Inserts `alert`. Errors: AlreadyExists when the id, or the (owner, source)
// pair, is taken; the store's error otherwise.
absl::Status InsertAlert(db::Transaction& tx, const Alert& alert);

// Replaces the stored alert `alert.id` whose version is `expected_version`
// with `alert` (whose version the caller has already incremented).
// Errors: NotFound when there is no such alert; FailedPrecondition when its
// stored version is not `expected_version` (someone changed it meanwhile);
// the store's error otherwise.
absl::Status UpdateAlert(db::Transaction& tx, const Alert& alert,
                         int64_t expected_version);

// Returns alert `id`, or nullopt when there is none. Errors: DataLoss for a
// row that cannot be read back; the store's error otherwise.
absl::StatusOr<std::optional<Alert>> GetAlert(db::Transaction& tx,
                                              std::string_view id);

// Returns the alert imported from `source` by `owner`, or nullopt.
absl::StatusOr<std::optional<Alert>> FindAlertBySource(db::Transaction& tx,
                                                       std::string_view owner,
                                                       std::string_view source);

// Returns one page of alerts matching `query`. Errors: InvalidArgument naming
// "page" or "page_size" when out of range; DataLoss; the store's error.
absl::StatusOr<AlertPage> ListAlerts(db::Transaction& tx,
                                     const AlertQuery& query);

// Returns every alert whose status is one of `statuses`, oldest first.
absl::StatusOr<std::vector<Alert>> AlertsWithStatus(
    db::Transaction& tx, std::span<const AlertStatus> statuses);

// Returns the active or suspended alerts whose review_at is before `until`,
// by review date.
absl::StatusOr<std::vector<Alert>> AlertsDueForReview(db::Transaction& tx,
                                                      absl::Time until);

// Appends one history entry. Errors: AlreadyExists when that version is
// already recorded; the store's error otherwise.
absl::Status AppendHistory(db::Transaction& tx, const HistoryEntry& entry);

// Returns the history of alert `id`, oldest first.
absl::StatusOr<std::vector<HistoryEntry>> AlertHistory(db::Transaction& tx,
                                                       std::string_view id);

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_ALERT_REPOSITORY_H_
