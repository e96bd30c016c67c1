// libFuzzer target: the persons CSV reader (the format of `jisr screen`) on
// arbitrary bytes; the row-by-row reader fed in chunks (of a size taken from
// the first byte) must give the same persons or the same error as the
// whole-file parse; when a file parses, its persons are indexed and the
// first one is screened. Built with -DJISR_FUZZ=ON (clang); run by
// scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "screening/index.h"
#include "screening/persons_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace jisr::screening;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::vector<Person>> persons =
      ParsePersonsCsv(text, "fuzz.csv");
  {
    const size_t chunk = size > 0 ? 1 + data[0] % 17 : 1;
    std::vector<std::string> ids;
    PersonsCsvStream stream("fuzz.csv", [&](Person&& p, size_t) {
      ids.push_back(p.id);
      return absl::OkStatus();
    });
    absl::Status s;
    for (size_t pos = 0; pos < size && s.ok(); pos += chunk)
      s = stream.Feed(text.substr(pos, chunk));
    if (s.ok()) s = stream.Finish();
    if (s.ok() != persons.ok()) std::abort();
    if (!s.ok() && s.message() != persons.status().message()) std::abort();
    if (s.ok()) {
      if (ids.size() != persons->size()) std::abort();
      for (size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] != (*persons)[i].id) std::abort();
      }
    }
  }
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
