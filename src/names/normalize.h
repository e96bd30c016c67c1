// Unicode normalisation of person names for matching (ICU based).
//
// NormalizeName folds a name written in any script to a canonical form made of
// lower-case ASCII Latin letters, digits, Arabic-script letters (in a reduced
// alphabet, see below) and the separators ' ', '-', ',' and '\''. Rules, in
// order:
//   1. Invalid UTF-8 sequences become separators (never an error here; the
//      readers at the edge reject invalid UTF-8 with a position).
//   2. NFKC with case folding (ICU "nfkc_cf"): compatibility forms (Arabic
//      presentation forms, ligatures, full-width letters) become base letters,
//      upper case becomes lower case, default-ignorable code points (ZWJ,
//      ZWNJ, soft hyphen) disappear.
//   3. Letters of scripts other than Latin and Arabic (Cyrillic, Greek,
//      Armenian, Georgian, Hebrew, Devanagari, Han, Hangul, Khmer ...) are
//      romanised with ICU's "Any-Latin" transform.
//   4. Canonical decomposition, then every non-spacing mark is dropped: Latin
//      accents (é -> e), Arabic short vowels, shadda, sukun, tanwin and the
//      dagger alef, and the hamza carried by alef, waw and yeh (أ إ آ -> ا,
//      ؤ -> و, ئ -> ي). Some marks change their base letter instead:
//      c+cedilla -> "s" (ç), s+cedilla/comma below -> "sh" (ş, ș), and the
//      Slavic c+caron/acute -> "ch" (č, ć), s+caron -> "sh" (š), z+caron ->
//      "zh" (ž).
//   5. Latin letters without a decomposition: ß -> ss, æ -> ae, œ -> oe,
//      ø -> o, ł -> l, đ/ð -> d, þ -> th, ı -> i, ŋ -> ng, ħ -> h.
//   6. Arabic: tatweel (ـ) and the lone hamza (ء) are removed; alef wasla ٱ ->
//      ا; alef maksura ى -> ي; teh marbuta ة -> ه; Persian/Urdu forms: ک -> ك,
//      ی ے ې -> ي, ہ ھ ۀ ۃ -> ه, ٹ -> ت, ڈ -> د, ڑ -> ر, ں -> ن;
//      Maghrebi/Persian letters for sounds Arabic lacks are kept (پ p, چ ch, ژ
//      zh, گ ڭ ڨ g, ڤ v). Arabic-Indic and Persian digits become ASCII digits.
//   7. Apostrophe-like characters (’ ‘ ʼ ʻ ʿ ʾ ` ´) become '\''; dashes become
//      '-'; commas (, ،) stay ','; every other character (punctuation,
//      symbols, spaces of any kind) becomes one space; runs of spaces collapse
//      and the result is trimmed.
//
// Thread-safety: thread-safe. ICU normalisers are process-wide singletons; the
// Any-Latin transliterator (not thread-safe in ICU) is cloned once per thread.
#ifndef JISR_NAMES_NORMALIZE_H_
#define JISR_NAMES_NORMALIZE_H_

#include <string>
#include <string_view>

namespace jisr::names {

// How NormalizeName writes c, s and z with a cedilla, caron or acute: spelt
// out as said (č ć -> ch, š -> sh, ž -> zh, ç -> s, ş -> sh), or with the mark
// dropped (c, s, z), as ICAO Doc 9303 machine-readable zones write them
// (VUCIC for Vučić, SAHIN for Şahin, GONCALVES for Gonçalves).
enum class LatinMarks { kSpell, kDrop };

// Returns `text` normalised as described above (possibly empty), writing
// marked c s z as `marks` says. Sets `*spelt` (if not null) to whether a
// mark was spelt out: only then does LatinMarks::kDrop give another text.
// A text romanised by ICU (Cyrillic, Greek ...) always has its marks spelt
// out and reports none (Шевченко -> shevchenko, as its passport writes it).
std::string NormalizeName(std::string_view text,
                          LatinMarks marks = LatinMarks::kSpell,
                          bool* spelt = nullptr);

// Returns true when `text` holds at least one letter or digit of any script
// (what NormalizeName keeps as a token): the cheap test of a usable name.
bool HasLettersOrDigits(std::string_view text);

// Returns true when `text` is well-formed UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF). On false, sets `*bad_offset` (when not
// null) to the byte offset of the first invalid sequence.
bool IsValidUtf8(std::string_view text, size_t* bad_offset = nullptr);

// Decodes one UTF-8 code point of the well-formed `text` at `*pos`, advancing
// `*pos`; returns U+FFFD (advancing one byte) on a malformed sequence.
char32_t DecodeUtf8(std::string_view text, size_t* pos);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string* out);

// Returns true for code points of the Arabic letter blocks kept by
// NormalizeName (U+0620-U+064A, U+066E-U+06D3, U+06FA-U+06FF, U+0750-U+077F,
// U+08A0-U+08FF).
bool IsArabicLetter(char32_t cp);

}  // namespace jisr::names

#endif  // JISR_NAMES_NORMALIZE_H_
