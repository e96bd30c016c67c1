// libFuzzer target: name normalisation, analysis (with the French and
// Spanish readings), retrieval and cross-script keys and the name score on
// arbitrary bytes. Checks that nothing crashes, that the normalised text is
// valid UTF-8, that a reading of raw bytes stays lower-case ASCII when it
// rewrites anything, and that scores stay in [0, 1].
// Built with -DJISR_FUZZ=ON (clang); run by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "names/analyzed_name.h"
#include "names/name_matcher.h"
#include "names/normalize.h"
#include "names/phonetic.h"
#include "names/retrieval_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace jisr::names;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string normalized = NormalizeName(text);
  if (!IsValidUtf8(normalized)) std::abort();
  (void)HasLettersOrDigits(text);
  // The readings on raw bytes: returned as given, or rewritten into
  // lower-case ASCII letters.
  for (const std::string& r : {FrenchReading(text), SpanishReading(text)}) {
    if (r == text) continue;
    for (const char ch : r) {
      if (ch < 'a' || ch > 'z') std::abort();
    }
  }
  // Split the input in two names at the first 0x1F byte (or compare with a
  // fixed name).
  const size_t cut = text.find('\x1f');
  const AnalyzedName a = AnalyzeName(text.substr(0, cut));
  const AnalyzedName b = AnalyzeName(cut == std::string_view::npos
                                         ? std::string_view("محمد بن علي")
                                         : text.substr(cut + 1));
  for (const auto& t : a.tokens) {
    (void)RetrievalKeys(t);
    (void)CrossScriptPostingKeys(t);
    (void)CrossScriptLookupKeys(t);
    // A reading is a code of the same alphabet as the token's.
    for (const std::string* reading : t.readings()) {
      for (const char ch : *reading) {
        if (ch < '0' || ch > 'z') std::abort();
      }
    }
  }
  const NameComparison c = CompareNames(a, b);
  if (!(c.score >= 0.0 && c.score <= 1.0)) std::abort();
  const double s = NameScore(b, a);
  if (!(s >= 0.0 && s <= 1.0)) std::abort();
  return 0;
}
