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

}  // namespace jisr::names

#endif  // JISR_NAMES_RETRIEVAL_KEYS_H_
