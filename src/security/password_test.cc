#include "security/password.h"

#include <gtest/gtest.h>

#include <string>

#include "common/status.h"

namespace jisr::security {
namespace {

TEST(PasswordRulesTest, LengthIsCountedInCharactersAndCappedInBytes) {
  EXPECT_TRUE(ValidatePassword("abcdefghijkl").ok());
  const absl::Status short_one = ValidatePassword("abcdefghijk");
  EXPECT_EQ(short_one.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(short_one), "password");
  EXPECT_EQ(std::string(short_one.message()),
            "the password must be at least 12 characters");

  // 12 two-byte characters pass; 11 Arabic letters (22 bytes) do not.
  EXPECT_TRUE(ValidatePassword("éééééééééééé").ok());
  EXPECT_FALSE(ValidatePassword("كلمةالمرورا").ok());
  EXPECT_TRUE(ValidatePassword("كلمةالمرورطويلة").ok());

  EXPECT_TRUE(ValidatePassword(std::string(256, 'x')).ok());
  const absl::Status long_one = ValidatePassword(std::string(257, 'x'));
  EXPECT_EQ(FieldOf(long_one), "password");
  EXPECT_EQ(std::string(long_one.message()),
            "the password must be at most 256 bytes");
}

TEST(PasswordRulesTest, RejectsInvalidUtf8AndNul) {
  for (const std::string& bad :
       {std::string("abcdefghijkl\xff"), std::string("abcdefghijkl\xc3"),
        std::string("abcdefghij\xed\xa0\x80kl"),  // a UTF-16 surrogate
        std::string("abcdefghij\xc0\xafkl"),      // overlong '/'
        std::string("abcdef\0ghijkl", 13)}) {
    const absl::Status s = ValidatePassword(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldOf(s), "password");
  }
}

TEST(PasswordHashTest, HashesWithArgon2idAndVerifies) {
  const PasswordOptions fast = PasswordOptions::Minimum();
  absl::StatusOr<std::string> hash =
      HashPassword("correct horse battery", fast);
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse battery", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));

  absl::StatusOr<std::string> again =
      HashPassword("correct horse battery", fast);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *hash) << "each hash has its own salt";
  EXPECT_TRUE(VerifyPassword("correct horse battery", *again));
}

TEST(PasswordHashTest, MalformedHashesNeverVerify) {
  EXPECT_FALSE(VerifyPassword("correct horse battery", ""));
  EXPECT_FALSE(VerifyPassword("correct horse battery", "$argon2id$garbage"));
  EXPECT_FALSE(VerifyPassword("correct horse battery", std::string(1000, '$')));
  EXPECT_FALSE(
      VerifyPassword("correct horse battery", std::string("$argon2id\0$", 11)));
}

TEST(PasswordHashTest, RejectsBadPasswordsAndLimits) {
  EXPECT_EQ(FieldOf(HashPassword("short", PasswordOptions::Minimum()).status()),
            "password");
  PasswordOptions zero = PasswordOptions::Minimum();
  zero.ops_limit = 0;
  EXPECT_EQ(HashPassword("long enough password", zero).status().code(),
            absl::StatusCode::kInvalidArgument);
  PasswordOptions tiny = PasswordOptions::Minimum();
  tiny.mem_limit = 1;
  EXPECT_EQ(HashPassword("long enough password", tiny).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PasswordHashTest, NeedsRehashWhenLimitsChange) {
  const std::string hash =
      *HashPassword("long enough password", PasswordOptions::Minimum());
  EXPECT_FALSE(PasswordNeedsRehash(hash, PasswordOptions::Minimum()));
  EXPECT_TRUE(PasswordNeedsRehash(hash, PasswordOptions::Interactive()));
  EXPECT_TRUE(PasswordNeedsRehash("not a hash", PasswordOptions::Minimum()));
  EXPECT_TRUE(PasswordNeedsRehash("", PasswordOptions::Minimum()));
}

TEST(PasswordHashTest, DefaultsAreInteractive) {
  const PasswordOptions defaults;
  EXPECT_EQ(defaults.ops_limit, PasswordOptions::Interactive().ops_limit);
  EXPECT_EQ(defaults.mem_limit, PasswordOptions::Interactive().mem_limit);
  EXPECT_LT(PasswordOptions::Minimum().mem_limit, defaults.mem_limit);
  EXPECT_GT(PasswordOptions::Moderate().mem_limit, defaults.mem_limit);
}

TEST(GeneratePasswordTest, MakesValidUnambiguousRandomPasswords) {
  const std::string a = GeneratePassword();
  const std::string b = GeneratePassword();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(ValidatePassword(a).ok());
  EXPECT_EQ(GeneratePassword(4).size(), 16u);
  EXPECT_EQ(GeneratePassword(40).size(), 40u);
  for (char c : GeneratePassword(200)) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << c;
    EXPECT_EQ(std::string("0O1lI").find(c), std::string::npos) << c;
  }
}

}  // namespace
}  // namespace jisr::security
