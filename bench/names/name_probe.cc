// Developer probe: prints how names are analysed and compared.
// Usage: jisr_name_probe "NAME A" ["NAME B"]
#include <boost/json/serialize.hpp>
#include <cstdio>

#include "absl/strings/str_join.h"

#include "names/analyzed_name.h"
#include "names/name_matcher.h"
#include "names/phonetic.h"

int main(int argc, char** argv) {
  using namespace jisr::names;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s NAME [NAME]\n", argv[0]);
    return 2;
  }
  for (int k = 1; k < argc && k <= 2; ++k) {
    AnalyzedName n = AnalyzeName(argv[k]);
    std::printf("[%s] -> \"%s\"\n", argv[k], n.normalized.c_str());
    for (const auto& t : n.tokens) {
      std::printf(
          "  %-20s core=%-14s code=%-14s core_code=%-12s alt=%-10s fr=%-10s "
          "es=%-10s "
          "key=%-10s "
          "p=%s%s w=%.1f\n",
          t.text.c_str(), t.core_text.c_str(), t.code.c_str(),
          t.core_code.c_str(), absl::StrJoin(t.alt_codes, "|").c_str(), t.french_code.c_str(),
          t.spanish_code.c_str(), SkeletonKey(t.code).c_str(),
          std::string(ParticleName(t.particle)).c_str(),
          t.article ? " art" : "", t.weight);
    }
  }
  if (argc >= 3) {
    NameComparison c = CompareNames(AnalyzeName(argv[1]), AnalyzeName(argv[2]));
    std::printf("%s\n", boost::json::serialize(ComparisonToJson(c)).c_str());
  }
  return 0;
}
