// Cross-script phonetic codes for name tokens: Arabic-script and Latin tokens
// (French, English and Maghrebi spellings) are brought to one small alphabet,
// compared with a weighted edit distance, and reduced to a consonant skeleton
// for index look-ups.
//
// Code alphabet (one byte per sound):
//   vowels      a e i o u        (Arabic long vowels ا ي و give a i u)
//   glottal     E                (Arabic ع; Latin has no letter for it)
//   semivowels  w y
//   consonants  b p f v t d s z c(sh, ch, ش) j(j, dj, zh, ج, ژ) g(g, gh, غ, گ)
//               k q(ق) x(kh, خ) h r l m n T(th, ث) D(dh, ذ)
//   digits      0-9
// Latin rules: sch/sh/ch/tch -> c (ch before r/l at the start -> k),
// th -> T, dh -> D, kh -> x, gh -> g, ph -> f, dj/dzh/zh -> j, ck/c -> k,
// c before e/i/y -> s, Italian cci/cce -> c and cch -> k, x -> ks,
// gu before e/i -> g, ou before a vowel (or
// at the start before a vowel) -> w, other ou/oo -> u, ee -> i, y -> y at
// the start or between vowels and i elsewhere, a final silent e after a
// consonant is dropped, doubled letters collapse.
// Arabic rules: ا -> a (an initial او / اي before a consonant -> u / i),
// و -> w at the start, after ا or before ا and u elsewhere, ي -> y at the
// start, after ا or before ا and i elsewhere, a final ه after a consonant ->
// "a" (teh marbuta, Persian final heh, the final vowel of foreign names),
// ح ه -> h, خ -> x, ع -> E, ق -> q, ك -> k, ج ژ -> j, غ گ -> g, ش -> c,
// ص س -> s, ض د -> d, ط ت -> t, ظ ز -> z, ث -> T, ذ -> D, چ -> c, پ -> p,
// ڤ -> v.
//
// Thread-safety: pure functions; safe from any thread.
#ifndef JISR_NAMES_PHONETIC_H_
#define JISR_NAMES_PHONETIC_H_

#include <string>
#include <string_view>

namespace jisr::names {

// Returns the phonetic code of a Latin token made of lower-case ASCII letters
// and digits (other bytes are skipped). Empty input gives an empty code.
std::string LatinPhoneticCode(std::string_view token);

// Returns `token` (lower-case ASCII Latin) rewritten as a French reader
// says it, the way Arabic script writes French names by sound (François ->
// فرانسوا, Dubois -> دوبوا, Renaud -> رونو, Didier -> ديدييه): soft c and g
// (c/g before e i y -> s/j), qu -> k, th -> t, eau/au -> o, oi -> wa,
// ai -> e, eu -> ou, gn -> ny, ill before a vowel -> iy, the nasal en/em
// (before a consonant or at the end -> an), the mute e of a first syllable
// (le-, re-, de-, be- ... before one consonant and a vowel -> ou, in a word
// with another French feature), the closed e of a final -ier -cher -ger
// -quet -quer, of -et after a doubled consonant and of -ai(s) -> ih (Arabic
// يه), -ault -> o, and the silent consonants of French endings (-aud -ot -it
// -ois -oux -eux -aux, d t s after r or n). Endings and vowels that
// Maghrebi and Middle Eastern names written in Latin share (-er -id -ad -ed
// -is -as, in, ain, ein: Samer, Walid, Younis, Amin, Hussein; the e of Reda)
// are left as they are.
std::string FrenchReading(std::string_view token);

// Returns LatinPhoneticCode(FrenchReading(token)), or "" when it equals
// LatinPhoneticCode(token) (nothing French to read differently).
std::string FrenchReadingCode(std::string_view token);

// Returns `token` (lower-case ASCII Latin) rewritten as a Spanish reader
// says it, the way Arabic script writes Spanish names (Juan -> خوان, Jorge
// -> خورخي, Vallejo -> باييخو): j and g before e i -> kh, gu before e i ->
// g, qu before e i -> k, ll -> y, v -> b, a said final e -> i. Only for a
// word with Spanish morphology: ending in -o -os -ez or holding ua ue oa,
// with any of j, soft g, ll, qu; ending in -es or a said final e, with a
// soft g, ll or qu (Jorge, Enrique; not James, Jane, Jihane). Never for a
// word with dj or ou (French and Maghrebi spellings: Djamel, Jaouad).
// Otherwise `token` unchanged: names of Arabic origin written in Latin keep
// their j (Jamal, Jalil, Najib, Najla, Jellal: خليل Khalil is not Jalil).
std::string SpanishReading(std::string_view token);

// Returns LatinPhoneticCode(SpanishReading(token)), or "" when it equals
// LatinPhoneticCode(token).
std::string SpanishReadingCode(std::string_view token);

// Returns the phonetic code of an Arabic-script token in NormalizeName's
// reduced alphabet (UTF-8). Bytes that are not Arabic letters are skipped.
std::string ArabicPhoneticCode(std::string_view token);

// Returns the retrieval key of a phonetic code: its consonant skeleton with
// close sounds merged (T->t, D->d, q->k, p->b, v->f, x->h), vowels and E
// dropped, repeats collapsed. "mohamed" and "محمد" both give "mhmd".
std::string SkeletonKey(std::string_view code);

// How the two codes compared by PhoneticSimilarity were written. Arabic script
// leaves short vowels unwritten, so a Latin vowel missing on the Arabic side
// costs almost nothing in kLatinArabic, while a written Arabic long vowel
// costs more.
enum class CodePair { kSameScript, kLatinArabic, kArabicLatin };

// Returns the weighted edit distance between two phonetic codes (insertions,
// deletions and substitutions weighted by sound class; see phonetic.cc).
double PhoneticDistance(std::string_view a, std::string_view b, CodePair pair);

// Returns 1 - PhoneticDistance / max(weight(a), weight(b)) clamped to [0, 1],
// where weight is the cost of deleting the whole code; 1 for two empty codes.
// When the result is below `min_similarity` the computation may stop early
// and return any value below `min_similarity` (callers that only need to know
// "similar enough or not" save most of the work on dissimilar pairs).
double PhoneticSimilarity(std::string_view a, std::string_view b, CodePair pair,
                          double min_similarity = 0.0);

// Returns true for the vowel symbols a e i o u of the code alphabet.
inline bool IsCodeVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

}  // namespace jisr::names

#endif  // JISR_NAMES_PHONETIC_H_
