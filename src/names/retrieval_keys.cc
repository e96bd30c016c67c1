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

}  // namespace

std::vector<std::string> RetrievalKeyStrings(const NameToken& t) {
  std::vector<std::string> keys;
  if (t.initial) return keys;
  if (t.number) {
    keys.push_back("#" + t.text);
    return keys;
  }
  AddCodeKeys(t.code, &keys);
  if (t.particle != Particle::kNone) AddCodeKeys(t.core_code, &keys);
  if (!t.alt_code.empty()) AddCodeKeys(t.alt_code, &keys);
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
