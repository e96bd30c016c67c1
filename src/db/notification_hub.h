// Internal to db/: the pieces both stores share to implement
// Transaction::Notify, Database::Listen and Database::RunExclusive.
//
//  - CheckChannel / CheckPayload validate what Notify and Listen accept.
//  - NotificationHub keeps the handlers registered on one Database and calls
//    them, in publication order and one at a time, on a thread of its own
//    (started by the first Subscribe).
//  - ProcessLocks is a process-wide set of held lock names (SQLite's
//    RunExclusive).
//
// Thread-safety: all of it is safe to use from any thread.
#ifndef JISR_DB_NOTIFICATION_HUB_H_
#define JISR_DB_NOTIFICATION_HUB_H_

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "db/database.h"

namespace jisr::db::internal {

// OK when `channel` is [a-z][a-z0-9_]{0,62}; InvalidArgument naming the rule
// otherwise.
absl::Status CheckChannel(std::string_view channel);

// OK when `payload` is at most kMaxNotificationPayload bytes without NUL;
// InvalidArgument otherwise.
absl::Status CheckPayload(std::string_view payload);

class NotificationHub {
 public:
  NotificationHub() = default;
  // Stops the delivery thread; notifications not yet delivered are dropped.
  // Every Subscription must have been destroyed before.
  ~NotificationHub();
  NotificationHub(const NotificationHub&) = delete;
  NotificationHub& operator=(const NotificationHub&) = delete;

  // Registers `handler` for `channel` (already validated). `on_cancel`, when
  // set, runs after the registration is removed (from the destroying thread).
  std::unique_ptr<Subscription> Subscribe(const std::string& channel,
                                          NotificationHandler handler,
                                          std::function<void()> on_cancel = {});

  // Queues `n` for the handlers registered on n.channel (dropped at once when
  // there are none).
  void Publish(Notification n);

  // Queues a `missed` notification for every channel that has handlers.
  void PublishMissed();

  // The channels that have at least one handler.
  std::vector<std::string> Channels() const;

 private:
  struct Entry {
    std::string channel;
    NotificationHandler handler;
    std::mutex run_mu;   // held while the handler runs
    bool active = true;  // guarded by run_mu
  };
  class Registration;

  void Unsubscribe(const std::shared_ptr<Entry>& entry);
  void DeliveryLoop();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<std::string, std::shared_ptr<Entry>>
      entries_;                     // guarded by mu_
  std::deque<Notification> queue_;  // guarded by mu_
  bool stopping_ = false;           // guarded by mu_
  std::thread thread_;              // started under mu_
  std::thread::id thread_id_;       // guarded by mu_
};

// A process-wide set of held lock names.
class ProcessLocks {
 public:
  // Takes `key` and returns true, or returns false when it is held.
  static bool TryAcquire(const std::string& key);
  // Releases `key` (taken by TryAcquire).
  static void Release(const std::string& key);
};

}  // namespace jisr::db::internal

#endif  // JISR_DB_NOTIFICATION_HUB_H_
