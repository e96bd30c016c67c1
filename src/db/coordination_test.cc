// Transaction::Notify / Database::Listen and Database::RunExclusive on every
// store.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "db/database.h"
#include "db/test_stores.h"

namespace jisr::db {
namespace {

// Collects notifications; WaitFor blocks until `n` arrived (or 60 s passed).
class Inbox {
 public:
  NotificationHandler Handler() {
    return [this](const Notification& n) {
      {
        std::lock_guard lock(mu_);
        received_.push_back(n);
      }
      cv_.notify_all();
    };
  }
  std::vector<Notification> WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(60),
                 [&] { return received_.size() >= n; });
    return received_;
  }
  std::vector<std::string> Payloads(size_t n) {
    std::vector<std::string> out;
    for (const Notification& x : WaitFor(n))
      out.push_back(x.missed ? "<missed>" : x.payload);
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Notification> received_;
};

class CoordinationTest : public ::testing::TestWithParam<std::string> {
 protected:
  CoordinationTest() : store_(GetParam(), /*migrate=*/false) {}

  absl::Status NotifyAll(const std::string& channel,
                         const std::vector<std::string>& payloads) {
    return db().Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
      for (const std::string& p : payloads)
        JISR_RETURN_IF_ERROR(tx.Notify(channel, p));
      return absl::OkStatus();
    });
  }

  Database& db() { return store_.db(); }
  testing::TestStore store_;
};

TEST_P(CoordinationTest, NotificationsArriveAfterCommitInOrder) {
  Inbox inbox;
  auto sub = db().Listen("alerts_changed", inbox.Handler());
  ASSERT_TRUE(sub.ok()) << sub.status();
  ASSERT_TRUE(NotifyAll("alerts_changed", {"a", "b"}).ok());
  ASSERT_TRUE(NotifyAll("alerts_changed", {"c"}).ok());
  EXPECT_EQ(inbox.Payloads(3), (std::vector<std::string>{"a", "b", "c"}));
  const std::vector<Notification> all = inbox.WaitFor(3);
  EXPECT_EQ(all[0].channel, "alerts_changed");
  EXPECT_FALSE(all[0].missed);
}

TEST_P(CoordinationTest, RolledBackNotificationsAreNeverDelivered) {
  Inbox inbox;
  auto sub = db().Listen("jobs", inbox.Handler());
  ASSERT_TRUE(sub.ok()) << sub.status();
  {
    auto tx = db().Begin(TxMode::kWrite);
    ASSERT_TRUE(tx.ok()) << tx.status();
    ASSERT_TRUE((*tx)->Notify("jobs", "rolled back").ok());
  }  // rolled back
  absl::Status failed =
      db().Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
        JISR_RETURN_IF_ERROR(tx.Notify("jobs", "failed"));
        return absl::AbortedError("give up");  // retried, then rolled back
      });
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(NotifyAll("jobs", {"marker"}).ok());
  // Delivery is in commit order: once the marker is in, nothing else came.
  EXPECT_EQ(inbox.Payloads(1), (std::vector<std::string>{"marker"}));
}

TEST_P(CoordinationTest, ChannelsAreSeparateAndUnsubscribingStopsDelivery) {
  Inbox one;
  Inbox two;
  Inbox dropped;
  auto sub_one = db().Listen("one", one.Handler());
  auto sub_two = db().Listen("two", two.Handler());
  auto sub_dropped = db().Listen("two", dropped.Handler());
  ASSERT_TRUE(sub_one.ok() && sub_two.ok() && sub_dropped.ok());
  ASSERT_TRUE(NotifyAll("two", {"t1"}).ok());
  EXPECT_EQ(dropped.Payloads(1), (std::vector<std::string>{"t1"}));
  sub_dropped->reset();
  ASSERT_TRUE(NotifyAll("two", {"t2"}).ok());
  ASSERT_TRUE(NotifyAll("one", {"o1"}).ok());
  EXPECT_EQ(one.Payloads(1), (std::vector<std::string>{"o1"}));
  EXPECT_EQ(two.Payloads(2), (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(dropped.Payloads(1), (std::vector<std::string>{"t1"}));
}

TEST_P(CoordinationTest, ANotificationWithoutListenersIsHarmless) {
  EXPECT_TRUE(NotifyAll("nobody_listens", {"x"}).ok());
  const std::string largest(kMaxNotificationPayload, 'p');
  Inbox inbox;
  auto sub = db().Listen("big", inbox.Handler());
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(NotifyAll("big", {largest}).ok());
  EXPECT_EQ(inbox.Payloads(1), (std::vector<std::string>{largest}));
}

TEST_P(CoordinationTest, BadChannelsAndPayloadsAreRefused) {
  Inbox inbox;
  for (const char* bad :
       {"", "Upper", "1digit", "with-dash", "quote\"d",
        "a234567890123456789012345678901234567890123456789012345678901234"}) {
    EXPECT_EQ(db().Listen(bad, inbox.Handler()).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_EQ(NotifyAll(bad, {"x"}).code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_EQ(
      NotifyAll("ok", {std::string(kMaxNotificationPayload + 1, 'x')}).code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NotifyAll("ok", {std::string("a\0b", 3)}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(CoordinationTest, RunExclusiveRunsOneHolderAtATime) {
  auto other = OpenDatabase(store_.url());  // a second pool, as another process
  ASSERT_TRUE(other.ok()) << other.status();
  int runs = 0;
  absl::StatusOr<bool> outer =
      db().RunExclusive("session.purge", [&]() -> absl::Status {
        ++runs;
        absl::StatusOr<bool> same = db().RunExclusive("session.purge", [&] {
          ++runs;
          return absl::OkStatus();
        });
        EXPECT_TRUE(same.ok() && !*same);
        absl::StatusOr<bool> elsewhere =
            (*other)->RunExclusive("session.purge", [&] {
              ++runs;
              return absl::OkStatus();
            });
        EXPECT_TRUE(elsewhere.ok() && !*elsewhere);
        absl::StatusOr<bool> different =
            (*other)->RunExclusive("alerts.expire", [&] {
              ++runs;
              return absl::OkStatus();
            });
        EXPECT_TRUE(different.ok() && *different);
        // The job may use the store meanwhile.
        return db().Run(TxMode::kRead, [](Transaction& tx) {
          return tx.Query("SELECT 1").status();
        });
      });
  ASSERT_TRUE(outer.ok()) << outer.status();
  EXPECT_TRUE(*outer);
  EXPECT_EQ(runs, 2);
  // Released afterwards, also after a failing job.
  absl::StatusOr<bool> failing = (*other)->RunExclusive(
      "session.purge", [] { return absl::UnavailableError("job failed"); });
  EXPECT_EQ(failing.status().code(), absl::StatusCode::kUnavailable);
  absl::StatusOr<bool> again =
      db().RunExclusive("session.purge", [] { return absl::OkStatus(); });
  EXPECT_TRUE(again.ok() && *again);
  EXPECT_EQ(
      db().RunExclusive("", [] { return absl::OkStatus(); }).status().code(),
      absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Stores, CoordinationTest,
                         ::testing::ValuesIn(testing::StoreKinds()));

}  // namespace
}  // namespace jisr::db
