#include "screening/cow_vector.h"

#include <gtest/gtest.h>

namespace jisr::screening {
namespace {

TEST(CowVectorTest, NewVersionsShareUntouchedChunks) {
  CowVector<int, 4> v0;
  CowVectorBuilder<int, 4> b0(v0);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(b0.PushBack(i), static_cast<size_t>(i));
  const CowVector<int, 4> v1 = std::move(b0).Build();
  ASSERT_EQ(v1.size(), 10u);
  EXPECT_EQ(v1[9], 9);

  CowVectorBuilder<int, 4> b1(v1);
  b1.Mutable(5) = 50;
  b1.PushBack(10);
  const CowVector<int, 4> v2 = std::move(b1).Build();
  // The old version is unchanged; the new one sees both changes.
  EXPECT_EQ(v1[5], 5);
  EXPECT_EQ(v1.size(), 10u);
  EXPECT_EQ(v2[5], 50);
  EXPECT_EQ(v2[10], 10);
  EXPECT_EQ(v2.size(), 11u);
  // Untouched chunks are shared, not copied.
  EXPECT_EQ(&v1[0], &v2[0]);
  EXPECT_NE(&v1[5], &v2[5]);
}

TEST(CowVectorTest, EmptyVector) {
  CowVector<int> v;
  EXPECT_TRUE(v.empty());
  CowVectorBuilder<int> b(v);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_TRUE(std::move(b).Build().empty());
}

}  // namespace
}  // namespace jisr::screening
