// CowVector: an immutable, chunked vector whose versions share unchanged
// chunks, and CowVectorBuilder, which derives a new version from an old one
// copying only the chunks it touches. The screening index keeps its tables in
// CowVectors so that a writer can publish a new snapshot after an upsert
// without copying the whole index, while readers keep using the old one.
//
// Thread-safety: a CowVector is immutable once built and may be read from any
// number of threads. A CowVectorBuilder is a single-thread object.
#ifndef JISR_SCREENING_COW_VECTOR_H_
#define JISR_SCREENING_COW_VECTOR_H_

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace jisr::screening {

template <typename T, size_t kChunkSize = 1024>
class CowVector {
 public:
  using Chunk = std::vector<T>;

  CowVector() = default;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Precondition: i < size().
  const T& operator[](size_t i) const {
    return (*chunks_[i / kChunkSize])[i % kChunkSize];
  }

 private:
  template <typename U, size_t K>
  friend class CowVectorBuilder;

  std::vector<std::shared_ptr<const Chunk>> chunks_;
  size_t size_ = 0;
};

template <typename T, size_t kChunkSize = 1024>
class CowVectorBuilder {
 public:
  using Vector = CowVector<T, kChunkSize>;
  using Chunk = typename Vector::Chunk;

  explicit CowVectorBuilder(const Vector& base)
      : chunks_(base.chunks_),
        owned_(base.chunks_.size(), false),
        size_(base.size_) {}

  size_t size() const { return size_; }

  const T& operator[](size_t i) const {
    return (*chunks_[i / kChunkSize])[i % kChunkSize];
  }

  // Returns a mutable reference to element i, copying its chunk the first
  // time this builder touches it. Precondition: i < size().
  T& Mutable(size_t i) { return OwnedChunk(i / kChunkSize)[i % kChunkSize]; }

  // Appends `value`; returns its index.
  size_t PushBack(T value) {
    const size_t i = size_;
    if (i / kChunkSize == chunks_.size()) {
      auto chunk = std::make_shared<Chunk>();
      chunk->reserve(kChunkSize);
      chunks_.push_back(std::move(chunk));
      owned_.push_back(true);
    }
    OwnedChunk(i / kChunkSize).push_back(std::move(value));
    ++size_;
    return i;
  }

  // Returns the new version. The builder must not be used afterwards.
  Vector Build() && {
    Vector v;
    v.chunks_ = std::move(chunks_);
    v.size_ = size_;
    return v;
  }

 private:
  // Returns chunk c, copied first unless this builder already owns it.
  Chunk& OwnedChunk(size_t c) {
    if (!owned_[c]) {
      auto copy = std::make_shared<Chunk>(*chunks_[c]);
      copy->reserve(kChunkSize);
      chunks_[c] = std::move(copy);
      owned_[c] = true;
    }
    // Owned chunks were created non-const by this builder (make_shared<Chunk>).
    return const_cast<Chunk&>(*chunks_[c]);
  }

  std::vector<std::shared_ptr<const Chunk>> chunks_;
  std::vector<bool> owned_;
  size_t size_ = 0;
};

}  // namespace jisr::screening

#endif  // JISR_SCREENING_COW_VECTOR_H_
