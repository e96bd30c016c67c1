// The screening index: every name variant of every listed person, searchable
// by cross-script phonetic keys, and the screening of a person against it.
//
// Structure (see docs/names.md):
//   - a token dictionary: each distinct analysed name token (names/) once;
//   - a key table: consonant-skeleton keys of each dictionary token and their
//     one-deletion variants -> token ids (finds spelling variants and typos
//     without scanning);
//   - neighbours: token id -> the dictionary tokens similar to it (computed
//     when the token enters the dictionary);
//   - postings: token id -> listed persons whose names contain it (sorted);
//   - persons: slot -> listed person (names as token ids, birth date,
//     nationalities, gender, documents).
// Screening a person analyses its names, finds each token's similar
// dictionary tokens (its neighbours if the dictionary holds it, else through
// its keys), gathers the persons posted under the close ones (skipping the
// most frequent query token as a generator, since a real match must share
// the other tokens too), bounds their name scores without touching them
// (a person that may share a document number with the query is held to a
// floor lowered by the document bonus) and scores the plausible ones fully
// (scorer.h), skipping those the other features alone keep below the
// threshold. See docs/names.md.
//
// Concurrency: all tables are copy-on-write (cow_vector.h). A writer
// (Upsert/UpsertBatch/Remove, serialised by a mutex) derives a new Snapshot
// that shares every untouched chunk with the old one and publishes it
// atomically; readers take the current snapshot (one atomic load) and screen
// from it without locks while writers go on. Upserting one person copies a
// few small chunks, never the whole index.
//
// Thread-safety: Index is thread-safe. Snapshot is immutable and may be used
// from any number of threads (it memoises query work internally, under its
// own locks). Each screening thread keeps scratch space (thread-local,
// reused across queries): a bitmap of one bit per listed person and a hash
// table sized for the largest recent query (12 bytes per person it reaches).
#ifndef JISR_SCREENING_INDEX_H_
#define JISR_SCREENING_INDEX_H_

#include <atomic>
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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
  // Retrieval adds a person through a token only when that token is at
  // least this similar to a query token (persons reached otherwise are only
  // completed). Default 0.75.
  double generator_min_similarity = 0.75;
  // A query token skipped as a generator completes the bounds of the
  // persons already reached by reading its postings, unless it has more
  // than this many (it then counts as matched for all). Default 20000.
  size_t max_completion_postings = 20000;
  // The spellings of a query token found only through a wide cross-script
  // key (names/retrieval_keys.h), when the token has close spellings of the
  // other script found the narrow way, complete the bounds of the persons
  // reached only while they hold at most this many postings in all (those
  // of a common name would read many postings for little). Default 200
  // (the cross-script benchmark's recall is unchanged with it, the speed
  // benchmark reads as many postings as without the wide keys).
  size_t max_wide_completion_postings = 200;
  // Persons fully scored per query name even when their optimistic score
  // is below the floor (the best by it, if within rescue_margin of the
  // floor): the optimistic score only knows the tokens retrieval reached.
  // Defaults 32 and 0.25.
  size_t min_candidates = 32;
  double rescue_margin = 0.25;
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

struct IndexData;  // the tables of one version (index.cc)

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
  std::vector<Match> Screen(const Person& query,
                            const ScreenOptions& options) const;

  // What candidate retrieval did for one query (candidate-recall benchmark).
  struct CandidateStats {
    size_t tokens_compared =
        0;  // dictionary tokens the keys reached (not cached)
    size_t tokens_similar = 0;  // of which similar enough to count
    size_t retrieved = 0;       // persons the keys reached
    size_t postings_read = 0;   // posting entries read to reach them
    size_t scored = 0;  // persons kept for full scoring (default threshold)
    // of which the other features leave able to reach the threshold (the
    // others are dropped without scoring their names)
    size_t name_scored = 0;
    bool found_retrieved = false;  // `person_id` among the retrieved
    bool found_scored = false;     // `person_id` among the scored
  };
  // Candidate retrieval for `query` at the default threshold, and whether
  // `person_id` is among the candidates.
  CandidateStats Candidates(const Person& query,
                            std::string_view person_id) const;

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
  // as an earlier one replaces it. Names are analysed on
  // IndexOptions::build_threads threads.
  absl::Status UpsertBatch(std::span<const Person> persons);

  // Removes the listed person `id`. Returns true if it was listed.
  bool Remove(std::string_view id);

  // Returns the current snapshot (never null). Keeping it alive keeps that
  // version readable however the index changes afterwards.
  std::shared_ptr<const Snapshot> snapshot() const;

  // Convenience: validates `query` and screens it against the current
  // snapshot. InvalidArgument when the query has no usable name.
  absl::StatusOr<std::vector<Match>> Screen(const Person& query,
                                            double threshold,
                                            size_t top_k) const;

  // Number of listed persons in the current snapshot.
  size_t size() const;

  const IndexOptions& options() const { return *options_; }

 private:
  struct WriterState;

  // Applies validated `persons` and `removals` to a new version and
  // publishes it.
  void Apply(std::span<const Person> persons,
             std::span<const std::string> removals)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);

  const std::shared_ptr<const IndexOptions> options_;
  absl::Mutex writer_mu_;
  std::unique_ptr<WriterState> writer_ ABSL_GUARDED_BY(writer_mu_);
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace jisr::screening

#endif  // JISR_SCREENING_INDEX_H_
