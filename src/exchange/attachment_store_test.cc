// The content-addressed attachment store: BLAKE2b-256 addresses, one copy of
// the same bytes, corruption detected on read, nothing written for bytes that
// do not match the hash they were announced with.
#include "exchange/attachment_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/ids.h"

namespace jisr::exchange {
namespace {

namespace fs = std::filesystem;

class AttachmentStoreTest : public ::testing::Test {
 protected:
  AttachmentStoreTest()
      : dir_(fs::temp_directory_path() /
             ("jisr-attachments-" + ToHex(RandomBytes(8)))),
        store_(dir_ / "attachments") {
    EXPECT_TRUE(store_.Init().ok());
  }
  ~AttachmentStoreTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  int Files() {
    int n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_))
      n += e.is_regular_file() ? 1 : 0;
    return n;
  }

  fs::path dir_;
  AttachmentStore store_;
};

TEST_F(AttachmentStoreTest, HashesAreBlake2b256) {
  EXPECT_EQ(AttachmentHash(""),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(AttachmentHash("abc"),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_TRUE(IsAttachmentHash(AttachmentHash("x")));
  EXPECT_FALSE(IsAttachmentHash(std::string(64, 'A')));
  EXPECT_FALSE(IsAttachmentHash(std::string(63, 'a')));
  EXPECT_FALSE(IsAttachmentHash("../" + std::string(61, 'a')));
}

TEST_F(AttachmentStoreTest, StoresOnceAndReadsBack) {
  const std::string bytes = RandomBytes(100000);
  absl::StatusOr<AttachmentStore::Stored> a = store_.Put(bytes);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->created);
  EXPECT_EQ(a->size, 100000);
  EXPECT_EQ(a->hash, AttachmentHash(bytes));
  EXPECT_TRUE(fs::is_regular_file(dir_ / "attachments" / a->hash.substr(0, 2) /
                                  a->hash));
  absl::StatusOr<AttachmentStore::Stored> again = store_.Put(bytes);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->hash, a->hash);
  EXPECT_EQ(Files(), 1);
  absl::StatusOr<std::string> read = store_.Get(a->hash);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, bytes);
  EXPECT_TRUE(store_.Contains(a->hash));
  // The empty attachment is an attachment too.
  absl::StatusOr<AttachmentStore::Stored> empty = store_.Put("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*store_.Get(empty->hash), "");
}

TEST_F(AttachmentStoreTest, BytesThatDoNotMatchTheirHashAreNotStored) {
  absl::StatusOr<AttachmentStore::Stored> s =
      store_.Put("the bytes", AttachmentHash("other bytes"));
  EXPECT_EQ(s.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Files(), 0);
  EXPECT_TRUE(store_.Put("the bytes", AttachmentHash("the bytes")).ok());
}

TEST_F(AttachmentStoreTest, CorruptionOnDiskIsReportedNotServed) {
  const std::string bytes = "synthetic document";
  const std::string hash = store_.Put(bytes)->hash;
  {
    std::ofstream out(dir_ / "attachments" / hash.substr(0, 2) / hash,
                      std::ios::binary | std::ios::trunc);
    out << "synthetic documenT";
  }
  EXPECT_EQ(store_.Get(hash).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(store_.Get(AttachmentHash("absent")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_.Get("../../etc/passwd").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(AttachmentStoreTest, RemovesOnlyOldUnreferencedFiles) {
  const std::string kept = store_.Put("referenced")->hash;
  const std::string orphan = store_.Put("orphan")->hash;
  const std::string young = store_.Put("young orphan")->hash;
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(2);
  fs::last_write_time(dir_ / "attachments" / kept.substr(0, 2) / kept, old);
  fs::last_write_time(dir_ / "attachments" / orphan.substr(0, 2) / orphan, old);
  absl::StatusOr<int64_t> removed = store_.RemoveUnreferenced(
      [&](std::string_view h) { return h == kept; }, absl::Hours(1));
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 1);
  EXPECT_TRUE(store_.Contains(kept));
  EXPECT_FALSE(store_.Contains(orphan));
  EXPECT_TRUE(store_.Contains(young));
}

}  // namespace
}  // namespace jisr::exchange
