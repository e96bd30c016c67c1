// Clock: the source of "now" for every module, so tests can move time (review
// dates, deadlines, session expiry) without sleeping.
//
// Thread-safety: SystemClock is stateless; FakeClock is internally locked. Both
// are safe to share between threads.
#ifndef JISR_COMMON_CLOCK_H_
#define JISR_COMMON_CLOCK_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jisr {

class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current time (UTC; absl::Time has no zone).
  virtual absl::Time Now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // Returns a process-wide instance.
  static const Clock& Instance();
};

// A clock that stands still until told to move. Starts at `start`.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1767225600))  // 2026-01-01
      : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// Time stored in the databases: integer milliseconds since the Unix epoch, UTC.
// (Abseil's own functions, named here so unqualified calls are not ambiguous.)
using absl::FromUnixMillis;
using absl::ToUnixMillis;

// `t` cut to the millisecond, as the stores keep it (so a value compares
// equal to itself after a round trip through the database).
inline absl::Time TruncateToMillis(absl::Time t) {
  return absl::FromUnixMillis(absl::ToUnixMillis(t));
}

}  // namespace jisr

#endif  // JISR_COMMON_CLOCK_H_
