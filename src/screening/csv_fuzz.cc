// libFuzzer target: the persons CSV reader (the format of `jisr screen`) on
// arbitrary bytes; when a file parses, its persons are indexed and the first
// one is screened. Built with -DJISR_FUZZ=ON (clang); run by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "screening/index.h"
#include "screening/persons_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace jisr::screening;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::vector<Person>> persons =
      ParsePersonsCsv(text, "fuzz.csv");
  if (!persons.ok()) {
    // Every error names the source.
    if (std::string(persons.status().message()).rfind("fuzz.csv", 0) != 0)
      std::abort();
    return 0;
  }
  if (persons->empty() || persons->size() > 64) return 0;
  IndexOptions options;
  options.build_threads = 1;
  Index index(options);
  if (!index.UpsertBatch(*persons).ok())
    std::abort();  // parsed persons are valid
  const std::vector<Match> matches =
      index.snapshot()->Screen(persons->front(), ScreenOptions{});
  for (const Match& m : matches) {
    if (!(m.score >= 0.0 && m.score <= 1.0)) std::abort();
  }
  return 0;
}
