// The adapter between alerts and the screening engine (screening/index.h):
// the one file of alerts/ that knows the engine's API. It turns an active
// alert into a listed screening::Person (id = alert id, names primary first,
// birth date, nationalities, gender, document numbers), keeps the engine's
// index equal to the set of active alerts, and screens persons against it.
//
// Thread-safety: AlertIndex is thread-safe. Screening reads an immutable
// snapshot of the engine without locks; Sync and Reload are serialised by a
// mutex (and by the engine's own writer lock).
#ifndef JISR_ALERTS_ALERT_INDEX_H_
#define JISR_ALERTS_ALERT_INDEX_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "alerts/alert.h"
#include "screening/index.h"
#include "screening/person.h"

namespace jisr::alerts {

// A person to screen.
struct ScreeningSubject {
  // The name first, then aliases; at least one name with letters.
  std::vector<std::string> names;
  std::optional<screening::PartialDate> birth_date;
  std::vector<std::string> nationalities;  // ISO 3166-1 alpha-2, upper case
  Gender gender = Gender::kUnknown;
  std::vector<std::string> documents;  // document numbers as written
};

// One alert that matched.
struct IndexMatch {
  std::string alert_id;
  double score = 0.0;               // in [0, 1]
  std::string matched_name;         // the alert's name that matched best
  std::string query_name;           // the subject's name that matched it
  boost::json::object explanation;  // the engine's explanation of the score
};

// The engine's default match threshold.
double DefaultThreshold();

class AlertIndex {
 public:
  AlertIndex();
  explicit AlertIndex(screening::IndexOptions options);
  ~AlertIndex();
  AlertIndex(const AlertIndex&) = delete;
  AlertIndex& operator=(const AlertIndex&) = delete;

  // Returns OK when `content`'s names can be indexed; otherwise
  // InvalidArgument naming the name ("names[2].full") the engine refuses.
  static absl::Status CheckIndexable(const AlertContent& content);

  // Makes the index agree with `alert`: lists it (replacing any older
  // version) when it is active, unlists it otherwise. A version older than
  // one already synced for the same id is ignored (changes may arrive twice
  // and out of order: directly after commit and through store
  // notifications). Returns the engine's InvalidArgument when an active
  // alert cannot be indexed (it is then unlisted).
  absl::Status Sync(const Alert& alert);

  // Replaces the whole content of the index with the active alerts among
  // `alerts` (the complete set of active alerts read from the store; others
  // are ignored), keeping the listed version where a newer one was already
  // synced. Alerts the engine refuses are skipped. Returns how many alerts
  // are listed.
  absl::StatusOr<size_t> Reload(std::span<const Alert> alerts);

  // Screens `subject`. Returns matches at or above `threshold`, best first,
  // at most `top_k`, each with its explanation. InvalidArgument naming
  // "person.name" when the subject has no name with letters.
  absl::StatusOr<std::vector<IndexMatch>> Screen(
      const ScreeningSubject& subject, double threshold, size_t top_k) const;

  // Number of listed alerts.
  size_t size() const;
  // True when alert `id` is listed.
  bool Contains(std::string_view id) const;

 private:
  struct Known {
    int64_t version = 0;
    bool listed = false;
  };

  std::unique_ptr<screening::Index> index_;
  mutable absl::Mutex mu_;
  // Every alert synced so far: its latest version and whether it is listed.
  absl::flat_hash_map<std::string, Known> known_ ABSL_GUARDED_BY(mu_);
  size_t listed_count_ ABSL_GUARDED_BY(mu_) = 0;
};

// The form names are compared in for ?q= searches (names/ normalisation:
// case-folded, accents dropped, scripts reduced), e.g. "Élodie" -> "elodie".
std::string SearchKey(std::string_view text);

}  // namespace jisr::alerts

#endif  // JISR_ALERTS_ALERT_INDEX_H_
