#include "exchange/attachment_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <vector>

#include "common/ids.h"
#include "common/status.h"
#include "fmt/format.h"

namespace jisr::exchange {
namespace {

namespace fs = std::filesystem;

absl::Status WriteAll(int fd, std::string_view bytes, const fs::path& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::UnavailableError(fmt::format(
          "cannot write {}: {}", path.string(), std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// fsync of a directory, so that a rename into it survives a power loss.
void SyncDir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string AttachmentHash(std::string_view bytes) {
  std::array<unsigned char, 32> hash{};
  crypto_generichash(hash.data(), hash.size(),
                     reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  return ToHex(std::string_view(reinterpret_cast<const char*>(hash.data()),
                                hash.size()));
}

bool IsAttachmentHash(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

AttachmentStore::AttachmentStore(fs::path dir) : dir_(std::move(dir)) {}

absl::Status AttachmentStore::Init() {
  std::error_code ec;
  for (const fs::path& d : {dir_, dir_ / "tmp"}) {
    if (fs::is_directory(d, ec)) continue;
    fs::create_directories(d, ec);
    if (ec) {
      return absl::UnavailableError(
          fmt::format("cannot create the attachments directory {}: {}",
                      d.string(), ec.message()));
    }
    ::chmod(d.c_str(), 0700);
  }
  return absl::OkStatus();
}

fs::path AttachmentStore::PathOf(std::string_view hash) const {
  return dir_ / std::string(hash.substr(0, 2)) / std::string(hash);
}

bool AttachmentStore::Contains(std::string_view hash) const {
  if (!IsAttachmentHash(hash)) return false;
  std::error_code ec;
  return fs::is_regular_file(PathOf(hash), ec);
}

absl::StatusOr<AttachmentStore::Stored> AttachmentStore::Put(
    std::string_view bytes, std::string_view expected_hash) {
  Stored out;
  out.hash = AttachmentHash(bytes);
  out.size = static_cast<int64_t>(bytes.size());
  if (!expected_hash.empty() && expected_hash != out.hash) {
    return absl::DataLossError(fmt::format(
        "the bytes do not match hash {} (they hash to {}): not stored",
        expected_hash, out.hash));
  }
  const fs::path final_path = PathOf(out.hash);
  std::error_code ec;
  if (fs::is_regular_file(final_path, ec)) return out;
  JISR_RETURN_IF_ERROR(Init());
  const fs::path shard = final_path.parent_path();
  fs::create_directories(shard, ec);
  if (ec) {
    return absl::UnavailableError(
        fmt::format("cannot create {}: {}", shard.string(), ec.message()));
  }
  const fs::path tmp =
      dir_ / "tmp" / fmt::format("{}.{}", out.hash, ToHex(RandomBytes(8)));
  const int fd =
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(fmt::format(
        "cannot create {}: {}", tmp.string(), std::strerror(errno)));
  }
  absl::Status written = WriteAll(fd, bytes, tmp);
  if (written.ok() && ::fsync(fd) != 0) {
    written = absl::UnavailableError(
        fmt::format("cannot flush {}: {}", tmp.string(), std::strerror(errno)));
  }
  ::close(fd);
  if (!written.ok()) {
    fs::remove(tmp, ec);
    return written;
  }
  fs::rename(tmp, final_path, ec);  // atomic; the same bytes if it raced
  if (ec) {
    fs::remove(tmp, ec);
    return absl::UnavailableError(
        fmt::format("cannot store attachment {}: {}", out.hash, ec.message()));
  }
  SyncDir(shard);
  out.created = true;
  return out;
}

absl::StatusOr<std::string> AttachmentStore::Get(std::string_view hash) const {
  if (!IsAttachmentHash(hash)) {
    return absl::InvalidArgumentError(
        "an attachment hash is 64 lower-case hex digits");
  }
  const fs::path path = PathOf(hash);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(fmt::format("no stored attachment {}", hash));
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (in.bad())
    return absl::UnavailableError(fmt::format("cannot read {}", path.string()));
  if (AttachmentHash(bytes) != hash) {
    return absl::DataLossError(
        fmt::format("attachment {} is corrupted on disk (its bytes no longer "
                    "match the hash)",
                    hash));
  }
  return bytes;
}

absl::StatusOr<int64_t> AttachmentStore::RemoveUnreferenced(
    const std::function<bool(std::string_view)>& referenced,
    absl::Duration min_age) {
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return int64_t{0};
  const auto now = fs::file_time_type::clock::now();
  const auto old_enough = [&](const fs::path& p) {
    std::error_code e;
    const auto t = fs::last_write_time(p, e);
    if (e) return false;
    const auto age =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - t);
    return absl::Milliseconds(age.count()) >= min_age;
  };
  int64_t removed = 0;
  std::vector<fs::path> victims;
  for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    const bool in_tmp = p.parent_path().filename() == "tmp";
    if (in_tmp) {
      if (old_enough(p)) victims.push_back(p);
    } else if (IsAttachmentHash(name) && !referenced(name) && old_enough(p)) {
      victims.push_back(p);
    }
  }
  if (ec) {
    return absl::UnavailableError(
        fmt::format("cannot list {}: {}", dir_.string(), ec.message()));
  }
  for (const fs::path& p : victims) {
    std::error_code e;
    if (fs::remove(p, e)) ++removed;
  }
  return removed;
}

}  // namespace jisr::exchange
