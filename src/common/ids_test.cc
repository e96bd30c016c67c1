#include "common/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace jisr {
namespace {

TEST(IdsTest, UuidV7HasVersionVariantAndTimeOrder) {
  const absl::Time t = absl::FromUnixMillis(1767225600123);
  const std::string a = NewUuidV7(t);
  const std::string b = NewUuidV7(t + absl::Milliseconds(1));
  ASSERT_TRUE(IsUuid(a)) << a;
  EXPECT_EQ(a[14], '7');
  EXPECT_TRUE(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b') << a;
  EXPECT_EQ(a.substr(0, 13), "019b76da-a87b");   // 48-bit millisecond timestamp
  EXPECT_LT(a, b);
}

TEST(IdsTest, UuidsAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(NewUuidV7(absl::UnixEpoch()));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(IdsTest, IdsOfOneMillisecondIncreaseInCreationOrder) {
  const absl::Time t = absl::FromUnixMillis(1767225600456);
  std::string previous = NewUuidV7(t);
  for (int i = 0; i < 1000; ++i) {
    const std::string next = NewUuidV7(t);
    ASSERT_LT(previous, next) << "id " << i;
    ASSERT_EQ(next[14], '7');
    previous = next;
  }
  // Past 4096 in one millisecond they stay unique (no longer ordered).
  std::set<std::string> seen;
  const absl::Time u = absl::FromUnixMillis(1767225600789);
  for (int i = 0; i < 6000; ++i) seen.insert(NewUuidV7(u));
  EXPECT_EQ(seen.size(), 6000u);
}

TEST(IdsTest, IsUuidRejectsBadText) {
  EXPECT_FALSE(IsUuid("019b7788-307b-7000-8000-00000000000"));
  EXPECT_FALSE(IsUuid("019B7788-307B-7000-8000-000000000000"));
  EXPECT_FALSE(IsUuid("019b7788x307b-7000-8000-000000000000"));
  EXPECT_TRUE(IsUuid("019b7788-307b-7000-8000-000000000000"));
}

TEST(IdsTest, Encodings) {
  EXPECT_EQ(ToHex(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(ToBase64Url("\xfb\xff"), "-_8");
  EXPECT_EQ(RandomBytes(32).size(), 32u);
  EXPECT_NE(RandomBytes(16), RandomBytes(16));
}

}  // namespace
}  // namespace jisr
