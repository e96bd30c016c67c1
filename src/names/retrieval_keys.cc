#include "names/retrieval_keys.h"

#include <algorithm>

#include "names/phonetic.h"

namespace jisr::names {
namespace {

uint64_t HashKey(std::string_view key) {
  uint64_t h = 1469598103934665603ull;
  for (const unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  // splitmix64 finaliser: spread the bits (index shards use the top byte).
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

void AddSkeleton(const std::string& key, std::vector<std::string>* out) {
  if (key.empty()) return;
  out->push_back(key);
  if (key.size() >= 4) {
    for (size_t i = 0; i < key.size(); ++i) {
      if (i > 0 && key[i] == key[i - 1]) continue;
      std::string del = key.substr(0, i) + key.substr(i + 1);
      out->push_back(std::move(del));
    }
  }
}

void AddCodeKeys(std::string_view code, std::vector<std::string>* out) {
  const std::string key = SkeletonKey(code);
  AddSkeleton(key, out);
  std::string no_semivowels;
  for (const char c : key) {
    if (c != 'w' && c != 'y' &&
        (no_semivowels.empty() || no_semivowels.back() != c)) {
      no_semivowels.push_back(c);
    }
  }
  if (no_semivowels != key) AddSkeleton(no_semivowels, out);
  // The coarse skeleton: g, j and q in one class (ج is g in Egyptian
  // spellings, "ge/gi" is j in Italian, ق is g in Maghrebi ones: regeni ~
  // ريجيني, gader ~ قدر), without h, y and the ayn (a final ة or ه that Latin
  // leaves out, a medial one it writes: faiza ~ فايزه, rafeh ~ رافع, chacha ~
  // شاشه). No deletion variants: they would make most tokens neighbours.
  std::string coarse;
  for (const char c : code) {
    char k = c;
    if (IsCodeVowel(c) || c == 'h' || c == 'y' || c == 'E') continue;
    switch (c) {
      case 'j':
      case 'q':
        k = 'g';
        break;
      case 'p':
        k = 'b';
        break;
      case 'v':
        k = 'f';
        break;
      case 'T':
        k = 't';
        break;
      case 'D':
        k = 'd';
        break;
      default:
        break;
    }
    if (!coarse.empty() && coarse.back() == k) continue;
    coarse.push_back(k);
  }
  if (!coarse.empty()) out->push_back(std::move(coarse));
}

// The two cross-script keys of a code (see retrieval_keys.h).
void AddCrossScriptCodeKeys(std::string_view code,
                            std::vector<std::string>* out) {
  std::string sibilant, cls;
  for (const char c : code) {
    if (IsCodeVowel(c) || c == 'h' || c == 'y' || c == 'E') continue;
    // The coarse skeleton, sibilants, labials and kh merged.
    char k = c;
    switch (c) {
      case 'j':
      case 'q':
        k = 'g';
        break;
      case 'p':
        k = 'b';
        break;
      case 'v':
      case 'w':
        k = 'f';
        break;
      case 'T':
      case 'z':
      case 'c':
        k = 's';
        break;
      case 'D':
        k = 'z';
        break;
      case 'x':
        k = 'k';
        break;
      default:
        break;
    }
    if (sibilant.empty() || sibilant.back() != k) sibilant.push_back(k);
    // The class skeleton: j is left out (y, zh, kh or g by language).
    if (c == 'j') continue;
    switch (c) {
      case 'g':
      case 'q':
      case 'x':
      case 'c':
        k = 'k';
        break;
      case 'z':
      case 'T':
      case 'D':
        k = 's';
        break;
      case 'p':
      case 'f':
      case 'v':
      case 'w':
        k = 'b';
        break;
      case 'd':
        k = 't';
        break;
      default:
        k = c;
        break;
    }
    if (cls.empty() || cls.back() != k) cls.push_back(k);
  }
  // Distinct prefixes: the two keys of one code never collide with each
  // other, nor with the keys of RetrievalKeyStrings.
  if (!sibilant.empty()) out->push_back("~s" + sibilant);
  if (!cls.empty()) out->push_back("~c" + cls);
}

std::vector<uint64_t> TaggedHashes(const std::vector<std::string>& keys,
                                   TokenScript script) {
  const char tag = script == TokenScript::kArabic ? 'A' : 'L';
  std::vector<uint64_t> out;
  out.reserve(keys.size());
  std::string tagged;
  for (const auto& k : keys) {
    tagged.assign(1, tag);
    tagged += k;
    out.push_back(HashKey(tagged));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::vector<std::string> CrossScriptKeyStrings(const NameToken& t) {
  std::vector<std::string> keys;
  if (t.initial || t.number) return keys;
  AddCrossScriptCodeKeys(t.code, &keys);
  if (t.particle != Particle::kNone) AddCrossScriptCodeKeys(t.core_code, &keys);
  for (const std::string& alt : t.alt_codes) AddCrossScriptCodeKeys(alt, &keys);
  // The French and Spanish readings of a Latin token meet the Arabic-script
  // spelling under the ordinary keys of both ("~n": Dubois read dubwa ~
  // دوبوا, Juan read khuan ~ خوان).
  std::vector<std::string> narrow;
  if (t.script == TokenScript::kArabic) {
    AddCodeKeys(t.code, &narrow);
    if (t.particle != Particle::kNone) AddCodeKeys(t.core_code, &narrow);
    for (const std::string& alt : t.alt_codes) AddCodeKeys(alt, &narrow);
  } else {
    for (const std::string* reading : t.readings()) {
      if (reading->empty()) continue;
      AddCodeKeys(*reading, &narrow);
      AddCrossScriptCodeKeys(*reading, &keys);
    }
  }
  for (auto& k : narrow) keys.push_back("~n" + k);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<uint64_t> CrossScriptPostingKeys(const NameToken& t) {
  return TaggedHashes(CrossScriptKeyStrings(t), t.script);
}

std::vector<uint64_t> CrossScriptLookupKeys(const NameToken& t,
                                            CrossScriptKeySet set) {
  std::vector<std::string> keys = CrossScriptKeyStrings(t);
  if (set != CrossScriptKeySet::kAll) {
    const bool reading = set == CrossScriptKeySet::kReading;
    std::erase_if(keys, [&](const std::string& k) {
      return (k.compare(0, 2, "~n") == 0) != reading;
    });
  }
  return TaggedHashes(keys, t.script == TokenScript::kArabic
                                ? TokenScript::kLatin
                                : TokenScript::kArabic);
}

std::vector<std::string> RetrievalKeyStrings(const NameToken& t) {
  std::vector<std::string> keys;
  if (t.initial) return keys;
  if (t.number) {
    keys.push_back("#" + t.text);
    return keys;
  }
  AddCodeKeys(t.code, &keys);
  if (t.particle != Particle::kNone) AddCodeKeys(t.core_code, &keys);
  for (const std::string& alt : t.alt_codes) AddCodeKeys(alt, &keys);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<uint64_t> RetrievalKeys(const NameToken& t) {
  std::vector<uint64_t> out;
  for (const auto& k : RetrievalKeyStrings(t)) out.push_back(HashKey(k));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace jisr::names
