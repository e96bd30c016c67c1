#include "screening/batch.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace jisr::screening {

std::vector<std::vector<Match>> ScreenBatch(const Snapshot& snapshot,
                                            std::span<const Person> queries,
                                            const BatchOptions& options) {
  std::vector<std::vector<Match>> results(queries.size());
  const size_t block = std::max<size_t>(1, options.block);
  size_t threads = options.threads > 0
                       ? static_cast<size_t>(options.threads)
                       : std::max(1u, std::thread::hardware_concurrency());
  threads = std::max<size_t>(
      1, std::min(threads, (queries.size() + block - 1) / block));
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex progress_mu;
  auto worker = [&] {
    while (true) {
      const size_t begin = next.fetch_add(block);
      if (begin >= queries.size()) break;
      const size_t end = std::min(queries.size(), begin + block);
      for (size_t i = begin; i < end; ++i) {
        results[i] = snapshot.Screen(queries[i], options.screen);
      }
      const size_t now = done.fetch_add(end - begin) + (end - begin);
      if (options.progress) {
        std::lock_guard<std::mutex> lock(progress_mu);
        options.progress(now, queries.size());
      }
    }
  };
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& th : pool) th.join();
  }
  if (options.progress && queries.empty()) options.progress(0, 0);
  return results;
}

}  // namespace jisr::screening
