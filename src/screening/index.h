// The screening index: every name variant of every listed person, searchable
// by cross-script phonetic keys, and the screening of a person against it.
//
// Structure (see docs/names.md):
//   - a token dictionary: each distinct analysed name token (names/) once;
//   - a key table: consonant-skeleton keys of each dictionary token and their
//     one-deletion variants -> token ids (finds spelling variants and typos
//     without scanning);
//   - postings: token id -> listed persons whose names contain it;
//   - persons: slot -> listed person (names as token ids, birth date,
//     nationalities, gender, documents).
// Screening a person analyses its names, looks up its tokens' keys, keeps the
// dictionary tokens similar enough, gathers the persons posted under them
// (skipping the most frequent query token as a generator, since a real match
// must share the other tokens too), ranks them by an upper bound and scores
// the best max_candidates fully (scorer.h).
//
// Concurrency: all tables are copy-on-write (cow_vector.h). A writer
// (Upsert/UpsertBatch/Remove, serialised by a mutex) derives a new Snapshot
// that shares every untouched chunk with the old one and publishes it
// atomically; readers take the current snapshot (one atomic load) and screen
// from it without locks while writers go on. Upserting one person copies a
// few small chunks, never the whole index.
//
// Thread-safety: Index is thread-safe. Snapshot is immutable and may be used
// from any number of threads.
#ifndef JISR_SCREENING_INDEX_H_
#define JISR_SCREENING_INDEX_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "screening/person.h"
#include "screening/scorer.h"

namespace jisr::screening {

// The default match threshold of screening (justified in docs/names.md by
// the benchmarks of bench/).
inline constexpr double kDefaultThreshold = 0.80;

struct IndexOptions {
  ScoringOptions scoring;
  // Persons fully scored per query name: those whose optimistic name score
  // (from the tokens retrieval found) can reach the threshold, best first, at
  // most this many. Default 200.
  size_t max_candidates = 200;
  // Threads used by UpsertBatch to analyse names (0: hardware concurrency).
  // Default 0.
  int build_threads = 0;
};

struct ScreenOptions {
  // Matches below this score are not returned. Default kDefaultThreshold.
  double threshold = kDefaultThreshold;
  // At most this many matches, best first (0: no limit). Default 10.
  size_t top_k = 10;
  // Build the explanation of each match. Default true.
  bool explain = true;
};

struct Match {
  // Id of the listed person.
  std::string person_id;
  // Score in [0, 1].
  double score = 0.0;
  // The listed person's name (primary or alias) that matched best.
  std::string matched_name;
  // The screened person's name that matched it.
  std::string query_name;
  // Empty unless ScreenOptions::explain (see ExplainMatch in scorer.h).
  boost::json::object explanation;
};

// Returns OK when `query` can be screened: at least one name with letters.
absl::Status ValidateQuery(const Person& query);

struct IndexData;       // the tables of one version (index.cc)
struct PreparedPerson;  // a person with analysed names (index.cc)

// One immutable version of the index.
class Snapshot {
 public:
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // Number of listed persons.
  size_t size() const;
  // Number of distinct name tokens in the dictionary.
  size_t token_count() const;

  // Screens `query` (names must be valid, see ValidateQuery; invalid names
  // simply give no match). Returns matches at or above options.threshold,
  // best first, at most options.top_k.
  std::vector<Match> Screen(const Person& query, const ScreenOptions& options) const;

  // What candidate retrieval did for one query (candidate-recall benchmark).
  struct CandidateStats {
    size_t tokens_compared = 0;  // dictionary tokens the keys reached
    size_t retrieved = 0;        // persons the keys reached
    size_t scored = 0;           // persons kept for full scoring (default threshold)
    bool found_retrieved = false;  // `person_id` among the retrieved
    bool found_scored = false;     // `person_id` among the scored
  };
  // Candidate retrieval for `query` at the default threshold, and whether
  // `person_id` is among the candidates.
  CandidateStats Candidates(const Person& query, std::string_view person_id) const;

 private:
  friend class Index;
  Snapshot(std::shared_ptr<const IndexData> data,
           std::shared_ptr<const IndexOptions> options);

  std::shared_ptr<const IndexData> data_;
  std::shared_ptr<const IndexOptions> options_;
};

class Index {
 public:
  explicit Index(IndexOptions options = {});
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Adds `person`, or replaces the listed person with the same id. Returns
  // InvalidArgument (naming the field) when ValidatePerson fails; the index
  // is then unchanged.
  absl::Status Upsert(const Person& person);

  // Upserts all `persons` and publishes one new snapshot. Validates all
  // first: on error returns InvalidArgument naming the first bad person's
  // position and id, and changes nothing. A later person with the same id
  // as an earlier one replaces it.
  absl::Status UpsertBatch(std::span<const Person> persons);

  // Removes the listed person `id`. Returns true if it was listed.
  bool Remove(std::string_view id);

  // Returns the current snapshot (never null). Keeping it alive keeps that
  // version readable however the index changes afterwards.
  std::shared_ptr<const Snapshot> snapshot() const;

  // Convenience: validates `query` and screens it against the current
  // snapshot. InvalidArgument when the query has no usable name.
  absl::StatusOr<std::vector<Match>> Screen(const Person& query, double threshold,
                                            size_t top_k) const;

  // Number of listed persons in the current snapshot.
  size_t size() const;

  const IndexOptions& options() const { return *options_; }

 private:
  struct WriterState;

  // Applies `prepared` (validated) persons and removals to a new version and
  // publishes it.
  void Apply(std::span<const PreparedPerson> prepared,
             std::span<const std::string> removals)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);

  const std::shared_ptr<const IndexOptions> options_;
  absl::Mutex writer_mu_;
  std::unique_ptr<WriterState> writer_ ABSL_GUARDED_BY(writer_mu_);
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace jisr::screening

#endif  // JISR_SCREENING_INDEX_H_
