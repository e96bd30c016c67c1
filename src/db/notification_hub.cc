#include "db/notification_hub.h"

#include <fmt/format.h>

namespace jisr::db::internal {

absl::Status CheckChannel(std::string_view channel) {
  bool ok = !channel.empty() && channel.size() <= 63 && channel[0] >= 'a' &&
            channel[0] <= 'z';
  for (char c : channel) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        fmt::format("notification channel \"{}\" must be a lower-case letter "
                    "followed by at "
                    "most 62 lower-case letters, digits or '_'",
                    channel.substr(0, 80)));
  }
  return absl::OkStatus();
}

absl::Status CheckPayload(std::string_view payload) {
  if (payload.size() > kMaxNotificationPayload) {
    return absl::InvalidArgumentError(
        fmt::format("notification payload is {} bytes; the limit is {}",
                    payload.size(), kMaxNotificationPayload));
  }
  if (payload.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("notification payload holds a NUL byte");
  }
  return absl::OkStatus();
}

class NotificationHub::Registration final : public Subscription {
 public:
  Registration(NotificationHub* hub, std::shared_ptr<Entry> entry,
               std::function<void()> on_cancel)
      : hub_(hub), entry_(std::move(entry)), on_cancel_(std::move(on_cancel)) {}
  ~Registration() override {
    hub_->Unsubscribe(entry_);
    if (on_cancel_) on_cancel_();
  }

 private:
  NotificationHub* hub_;
  std::shared_ptr<Entry> entry_;
  std::function<void()> on_cancel_;
};

NotificationHub::~NotificationHub() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::unique_ptr<Subscription> NotificationHub::Subscribe(
    const std::string& channel, NotificationHandler handler,
    std::function<void()> on_cancel) {
  auto entry = std::make_shared<Entry>();
  entry->channel = channel;
  entry->handler = std::move(handler);
  {
    std::lock_guard lock(mu_);
    entries_.emplace(channel, entry);
    if (!thread_.joinable()) {
      thread_ = std::thread([this] { DeliveryLoop(); });
      thread_id_ = thread_.get_id();
    }
  }
  return std::make_unique<Registration>(this, std::move(entry),
                                        std::move(on_cancel));
}

void NotificationHub::Unsubscribe(const std::shared_ptr<Entry>& entry) {
  bool on_delivery_thread = false;
  {
    std::lock_guard lock(mu_);
    auto [begin, end] = entries_.equal_range(entry->channel);
    for (auto it = begin; it != end; ++it) {
      if (it->second == entry) {
        entries_.erase(it);
        break;
      }
    }
    on_delivery_thread = std::this_thread::get_id() == thread_id_;
  }
  if (on_delivery_thread) {
    // Called from a handler: another handler of this hub cannot be running.
    entry->active = false;
    return;
  }
  std::lock_guard run(entry->run_mu);  // waits for a running handler
  entry->active = false;
}

void NotificationHub::Publish(Notification n) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || entries_.find(n.channel) == entries_.end()) return;
    queue_.push_back(std::move(n));
  }
  cv_.notify_all();
}

void NotificationHub::PublishMissed() {
  for (std::string& channel : Channels()) {
    Notification n;
    n.channel = std::move(channel);
    n.missed = true;
    Publish(std::move(n));
  }
}

std::vector<std::string> NotificationHub::Channels() const {
  std::vector<std::string> out;
  std::lock_guard lock(mu_);
  for (const auto& [channel, entry] : entries_) {
    if (out.empty() || out.back() != channel) out.push_back(channel);
  }
  return out;
}

void NotificationHub::DeliveryLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Notification n = std::move(queue_.front());
    queue_.pop_front();
    std::vector<std::shared_ptr<Entry>> targets;
    auto [begin, end] = entries_.equal_range(n.channel);
    for (auto it = begin; it != end; ++it) targets.push_back(it->second);
    lock.unlock();
    for (const std::shared_ptr<Entry>& e : targets) {
      std::lock_guard run(e->run_mu);
      if (e->active) e->handler(n);
    }
    lock.lock();
  }
}

namespace {

std::mutex& LocksMutex() {
  static std::mutex* const mu = new std::mutex();
  return *mu;
}

std::set<std::string>& HeldLocks() {
  static std::set<std::string>* const held = new std::set<std::string>();
  return *held;
}

}  // namespace

bool ProcessLocks::TryAcquire(const std::string& key) {
  std::lock_guard lock(LocksMutex());
  return HeldLocks().insert(key).second;
}

void ProcessLocks::Release(const std::string& key) {
  std::lock_guard lock(LocksMutex());
  HeldLocks().erase(key);
}

}  // namespace jisr::db::internal
