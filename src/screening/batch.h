// Multi-threaded screening of many persons against one snapshot of the index,
// with progress reports.
//
// Thread-safety: ScreenBatch may be called from any thread; it reads the
// snapshot from its worker threads (snapshots are immutable). The progress
// callback is invoked from worker threads, one call at a time.
#ifndef JISR_SCREENING_BATCH_H_
#define JISR_SCREENING_BATCH_H_

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "screening/index.h"
#include "screening/person.h"

namespace jisr::screening {

struct BatchOptions {
  ScreenOptions screen;
  // Worker threads (0: hardware concurrency). Default 0.
  int threads = 0;
  // Called with (screened so far, total) after every block of queries and
  // once at the end; may be empty. Default none.
  std::function<void(size_t done, size_t total)> progress;
  // Queries a worker takes at a time. Default 64.
  size_t block = 64;
};

// Screens every query against `snapshot`. Returns one result list per query,
// in the order of `queries` (a query without a usable name gets no match).
std::vector<std::vector<Match>> ScreenBatch(const Snapshot& snapshot,
                                            std::span<const Person> queries,
                                            const BatchOptions& options);

}  // namespace jisr::screening

#endif  // JISR_SCREENING_BATCH_H_
