// Retrieval keys of name tokens: short strings that a spelling variant of a
// token (in either script) shares with it, so that an index can find
// candidate tokens without scanning (see screening/index.h).
//
// Keys of a token: the consonant skeleton (SkeletonKey) of its code, of its
// core (compounds) and of its alternative code (articles); the same
// skeletons with the semivowels w and y removed (they are vowels in one
// spelling and consonants in another: "elian" ~ "اليان"); and for skeletons of
// four or more symbols their one-deletion variants (a typo or a spelling
// difference on each side still leaves a shared key); and a coarse skeleton
// in which g, j and q are one letter and h, y and the ayn are left out
// (ريجيني ~ regeni, قدر ~ gader, فايزه ~ faiza). Initials have no key;
// numbers have their digits as key.
//
// Cross-script keys (CrossScriptPostingKeys / CrossScriptLookupKeys) are
// wider still and bring an Arabic-script token only to Latin ones and back:
// a Latin spelling follows the orthography of its language (German or
// Slavic j for ي, Spanish j for خ, Turkish c for ج, Italian ch for ك, Basque
// or Chinese x for ش, z for س), which a single skeleton cannot follow. Two
// keys: the coarse skeleton with the sibilants s z sh th dh in one class,
// f v w in one and kh with k; and a class skeleton (k g q kh ch | s z th dh |
// b p f v w | t d; h y j and the ayn left out); and the keys of a Latin
// token's French and Spanish readings (analyzed_name.h) with the ordinary
// keys of the Arabic-script token (Dubois read dubwa ~ دوبوا, Juan read
// khuan ~ خوان). They are tagged with the
// token's script when a token is posted and with the other script when one
// is looked up, so they never pair two tokens of one script (spellings in
// one script have the narrower keys above; wide keys within one script
// would only make most tokens neighbours).
//
// Thread-safety: pure functions.
#ifndef JISR_NAMES_RETRIEVAL_KEYS_H_
#define JISR_NAMES_RETRIEVAL_KEYS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "names/analyzed_name.h"

namespace jisr::names {

// Returns the keys of `token` as strings, sorted and unique. Number keys
// start with '#'.
std::vector<std::string> RetrievalKeyStrings(const NameToken& token);

// Returns the keys of `token` as 64-bit hashes, sorted and unique.
std::vector<uint64_t> RetrievalKeys(const NameToken& token);

// Returns the cross-script keys of `token` as strings (without script tag),
// sorted and unique; none for initials and numbers.
std::vector<std::string> CrossScriptKeyStrings(const NameToken& token);

// Returns the cross-script keys under which `token` is posted (tagged with
// its script), sorted and unique.
std::vector<uint64_t> CrossScriptPostingKeys(const NameToken& token);

// Which cross-script keys: the ordinary keys of the French and Spanish
// readings against those of Arabic script (as selective as retrieval keys),
// the two wide skeletons, or both.
enum class CrossScriptKeySet { kReading, kWide, kAll };

// Returns the cross-script keys that find tokens of the other script
// similar to `token` (tagged with the other script), sorted and unique.
std::vector<uint64_t> CrossScriptLookupKeys(
    const NameToken& token, CrossScriptKeySet set = CrossScriptKeySet::kAll);

}  // namespace jisr::names

#endif  // JISR_NAMES_RETRIEVAL_KEYS_H_
