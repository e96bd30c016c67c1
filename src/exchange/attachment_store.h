// The content-addressed store of message attachments in the node's data
// directory: the bytes of an attachment live in DIR/attachments/ab/<hash>,
// where <hash> is the BLAKE2b-256 of the bytes (64 lower-case hex digits)
// and "ab" its first two digits. The same bytes are stored once however many
// messages (or uploads) name them. Files are written to DIR/attachments/tmp,
// flushed to disk and renamed into place, so a file under its hash is always
// complete; Get re-hashes what it reads, so corruption on disk is reported,
// never served.
//
// Which hashes the node knows (and who may read them) is recorded in the
// store (exchange tables); this class only keeps bytes.
//
// Thread-safety: safe to share between threads and processes (writes are
// atomic renames of complete files; concurrent Puts of the same bytes agree).
#ifndef JISR_EXCHANGE_ATTACHMENT_STORE_H_
#define JISR_EXCHANGE_ATTACHMENT_STORE_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jisr::exchange {

// BLAKE2b-256 of `bytes`, 64 lower-case hex digits.
std::string AttachmentHash(std::string_view bytes);

// True when `text` has the form of an AttachmentHash.
bool IsAttachmentHash(std::string_view text);

class AttachmentStore {
 public:
  // `dir` is the attachments directory (normally DATA/attachments); it is
  // created by Init.
  explicit AttachmentStore(std::filesystem::path dir);
  AttachmentStore(const AttachmentStore&) = delete;
  AttachmentStore& operator=(const AttachmentStore&) = delete;

  // Creates the directory (mode 0700) and its tmp/ when missing.
  // Errors: Unavailable when they cannot be created.
  absl::Status Init();

  struct Stored {
    std::string hash;
    int64_t size = 0;
    bool created = false;  // false when the same bytes were stored already
  };
  // Stores `bytes` under their hash (nothing is written when that file
  // exists). Returns the hash and size. If `expected_hash` is non-empty and
  // differs from the bytes' hash, nothing is written and DataLoss is
  // returned. Errors: DataLoss as said; Unavailable when the file cannot be
  // written (disk full, permissions).
  absl::StatusOr<Stored> Put(std::string_view bytes,
                             std::string_view expected_hash = {});

  // Reads the bytes stored under `hash` and checks them against it.
  // Errors: InvalidArgument for a malformed hash; NotFound when no file;
  // DataLoss when the file's bytes do not match the hash (corrupted on
  // disk); Unavailable when it cannot be read.
  absl::StatusOr<std::string> Get(std::string_view hash) const;

  // True when a file for `hash` exists (its content is not checked).
  bool Contains(std::string_view hash) const;

  // Deletes the files (and leftover tmp files) older than `min_age` for
  // which `referenced(hash)` is false: files written by a transaction that
  // then rolled back. Returns how many files were removed.
  absl::StatusOr<int64_t> RemoveUnreferenced(
      const std::function<bool(std::string_view)>& referenced,
      absl::Duration min_age);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path PathOf(std::string_view hash) const;

  std::filesystem::path dir_;
};

}  // namespace jisr::exchange

#endif  // JISR_EXCHANGE_ATTACHMENT_STORE_H_
