#include "common/status.h"

#include <gtest/gtest.h>

namespace jisr {
namespace {

absl::StatusOr<int> Half(int x) {
  if (x % 2 != 0) return InvalidField("x", "x must be even");
  return x / 2;
}

absl::StatusOr<int> Quarter(int x) {
  JISR_ASSIGN_OR_RETURN(int h, Half(x));
  JISR_ASSIGN_OR_RETURN(h, Half(h));
  return h;
}

absl::Status CheckEven(int x) {
  JISR_RETURN_IF_ERROR(Half(x).status());
  return absl::OkStatus();
}

TEST(StatusTest, InvalidFieldCarriesField) {
  absl::Status s = InvalidField("names[0].full", "names[0].full is required");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "names[0].full is required");
  ASSERT_TRUE(FieldOf(s).has_value());
  EXPECT_EQ(*FieldOf(s), "names[0].full");
  EXPECT_FALSE(FieldOf(absl::NotFoundError("x")).has_value());
}

TEST(StatusTest, WithFieldOnOkStaysOk) {
  EXPECT_TRUE(WithField(absl::OkStatus(), "x").ok());
  EXPECT_EQ(*FieldOf(WithField(absl::AlreadyExistsError("dup"), "username")), "username");
}

TEST(StatusTest, MacrosPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(*FieldOf(CheckEven(3)), "x");
}

}  // namespace
}  // namespace jisr
