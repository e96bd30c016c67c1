#include "names/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <memory>
#include <mutex>

namespace jisr::names {
namespace {

const icu::Normalizer2* NfkcCasefold() {
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n =
        icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

const icu::Normalizer2* Nfd() {
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

// The romaniser for scripts other than Latin and Arabic. ICU transliterators
// are expensive to create and not thread-safe: one prototype is created once,
// each thread uses its own clone. Returns null when ICU lacks the transform.
icu::Transliterator* ThreadTransliterator() {
  static const icu::Transliterator* const prototype =
      []() -> icu::Transliterator* {
    UErrorCode status = U_ZERO_ERROR;
    icu::Transliterator* t = icu::Transliterator::createInstance(
        icu::UnicodeString::fromUTF8(
            "[^[:Arabic:][:Latin:][:Common:][:Inherited:]] Any-Latin"),
        UTRANS_FORWARD, status);
    if (U_FAILURE(status)) {
      delete t;
      return nullptr;
    }
    return t;
  }();
  if (prototype == nullptr) return nullptr;
  thread_local std::unique_ptr<icu::Transliterator> clone(prototype->clone());
  return clone.get();
}

bool NeedsRomanisation(const icu::UnicodeString& s) {
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (c < 0x250) continue;  // Latin and Latin-1 punctuation
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    if (U_FAILURE(status)) continue;
    switch (script) {
      case USCRIPT_COMMON:
      case USCRIPT_INHERITED:
      case USCRIPT_LATIN:
      case USCRIPT_ARABIC:
      case USCRIPT_UNKNOWN:
        break;
      default:
        if (u_isalpha(c)) return true;
    }
  }
  return false;
}

// Arabic-script letters folded to the reduced alphabet; 0 means "drop".
char32_t MapArabic(char32_t c) {
  switch (c) {
    case 0x0640:  // tatweel
    case 0x0621:  // lone hamza
      return 0;
    case 0x0671:  // alef wasla
    case 0x0672:
    case 0x0673:
    case 0x0675:
      return 0x0627;
    case 0x0649:  // alef maksura
    case 0x06CC:  // Farsi yeh
    case 0x06D2:  // yeh barree
    case 0x06D0:  // e
    case 0x06D1:
    case 0x06CD:
    case 0x06CE:
    case 0x0620:
    case 0x0678:
      return 0x064A;
    case 0x0629:  // teh marbuta
    case 0x06C1:  // heh goal
    case 0x06C2:
    case 0x06BE:  // heh doachashmee
    case 0x06C3:  // teh marbuta goal
    case 0x06D5:  // ae
    case 0x06C0:
      return 0x0647;
    case 0x06A9:  // keheh
    case 0x06AA:
      return 0x0643;
    case 0x0679:  // tteh
    case 0x067A:
    case 0x067B:
      return 0x062A;
    case 0x0688:  // ddal
    case 0x0689:
    case 0x068A:
      return 0x062F;
    case 0x0691:  // rreh
    case 0x0692:
      return 0x0631;
    case 0x06BA:  // noon ghunna
    case 0x06BB:
      return 0x0646;
    case 0x06AD:  // ng (Maghrebi g)
    case 0x06A8:  // Algerian qaf with three dots (g)
    case 0x06B3:
    case 0x06B1:
      return 0x06AF;
    case 0x06CB:  // ve
    case 0x06C4:
    case 0x06C5:
    case 0x06C6:
    case 0x06C7:
    case 0x06C8:
    case 0x06C9:
    case 0x06CA:
    case 0x0676:
    case 0x0677:
      return 0x0648;
    default:
      return c;
  }
}

bool IsApostrophe(char32_t c) {
  switch (c) {
    case U'\'':
    case U'`':
    case 0x00B4:
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0x2032:
    case 0x02B9:
    case 0x02BB:
    case 0x02BC:
    case 0x02BD:
    case 0x02BE:
    case 0x02BF:
    case 0x02C8:
      return true;
    default:
      return false;
  }
}

bool IsDash(char32_t c) {
  return c == U'-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 ||
         c == 0xFE63 || c == 0x00AD;
}

// Appends a separator, never two spaces in a row nor a leading space.
void AppendSpace(std::string* out) {
  if (!out->empty() && out->back() != ' ') out->push_back(' ');
}

void AppendMappedCodePoint(char32_t c, std::string* out) {
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') {
      out->push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out->push_back(static_cast<char>(c));
    } else if (c == '\'' || c == '`') {
      out->push_back('\'');
    } else if (c == '-') {
      out->push_back('-');
    } else if (c == ',') {
      out->push_back(',');
    } else {
      AppendSpace(out);
    }
    return;
  }
  switch (c) {
    case 0x00DF:
      out->append("ss");
      return;
    case 0x00E6:
      out->append("ae");
      return;
    case 0x0153:
      out->append("oe");
      return;
    case 0x00F8:
      out->push_back('o');
      return;
    case 0x0142:
      out->push_back('l');
      return;
    case 0x0111:
    case 0x00F0:
      out->push_back('d');
      return;
    case 0x00FE:
      out->append("th");
      return;
    case 0x0131:
      out->push_back('i');
      return;
    case 0x014B:
      out->append("ng");
      return;
    case 0x0127:
      out->push_back('h');
      return;
    case 0x0192:
      out->push_back('f');
      return;
    case 0x017F:
      out->push_back('s');
      return;
    case 0x0138:
      out->push_back('k');
      return;
    case 0x060C:
      out->push_back(',');
      return;  // Arabic comma
    default:
      break;
  }
  if (IsApostrophe(c)) {
    out->push_back('\'');
    return;
  }
  if (IsDash(c)) {
    out->push_back('-');
    return;
  }
  if (c >= 0x0660 && c <= 0x0669) {
    out->push_back(static_cast<char>('0' + (c - 0x0660)));
    return;
  }
  if (c >= 0x06F0 && c <= 0x06F9) {
    out->push_back(static_cast<char>('0' + (c - 0x06F0)));
    return;
  }
  if (c >= 0x0600 && c <= 0x08FF) {
    const int8_t t = u_charType(static_cast<UChar32>(c));
    if (t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK ||
        t == U_ENCLOSING_MARK || t == U_FORMAT_CHAR) {
      return;  // harakat, shadda, sukun, hamza above/below, dagger alef
    }
    const char32_t m = MapArabic(c);
    if (m == 0) return;
    if (IsArabicLetter(m)) {
      AppendUtf8(m, out);
    } else {
      AppendSpace(out);
    }
    return;
  }
  const int8_t type = u_charType(static_cast<UChar32>(c));
  switch (type) {
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_FORMAT_CHAR:
      return;
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_OTHER_LETTER:
      AppendUtf8(static_cast<char32_t>(
                     u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT)),
                 out);
      return;
    case U_MODIFIER_LETTER:
      return;
    case U_DECIMAL_DIGIT_NUMBER: {
      const int32_t v = u_charDigitValue(static_cast<UChar32>(c));
      if (v >= 0 && v <= 9) {
        out->push_back(static_cast<char>('0' + v));
      } else {
        AppendSpace(out);
      }
      return;
    }
    default:
      AppendSpace(out);
  }
}

void TrimTrailingSpace(std::string* out) {
  while (!out->empty() && out->back() == ' ') out->pop_back();
}

std::string NormalizeAscii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text)
    AppendMappedCodePoint(static_cast<unsigned char>(ch), &out);
  TrimTrailingSpace(&out);
  return out;
}

}  // namespace

bool HasLettersOrDigits(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const char32_t cp = DecodeUtf8(text, &pos);
    if (cp == 0xFFFD) continue;
    if (cp < 0x80) {
      if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
          (cp >= '0' && cp <= '9')) {
        return true;
      }
      continue;
    }
    if (cp == 0x0640 || cp == 0x0621) continue;  // tatweel, lone hamza: dropped
    if (u_isalnum(static_cast<UChar32>(cp)) &&
        u_charType(static_cast<UChar32>(cp)) != U_MODIFIER_LETTER) {
      return true;
    }
  }
  return false;
}

bool IsArabicLetter(char32_t cp) {
  return (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x06D3) ||
         (cp >= 0x06FA && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
         (cp >= 0x08A0 && cp <= 0x08FF);
}

char32_t DecodeUtf8(std::string_view text, size_t* pos) {
  const size_t i = *pos;
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    *pos = i + 1;
    return b0;
  }
  size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    *pos = i + 1;
    return 0xFFFD;
  }
  if (i + len > text.size()) {
    *pos = i + 1;
    return 0xFFFD;
  }
  for (size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      *pos = i + 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return 0xFFFD;
  }
  *pos = i + len;
  return cp;
}

bool IsValidUtf8(std::string_view text, size_t* bad_offset) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const char32_t cp = DecodeUtf8(text, &pos);
    // A literal U+FFFD (EF BF BD) is valid; a decoding failure advances 1 byte.
    if (cp == 0xFFFD && pos == start + 1) {
      if (bad_offset != nullptr) *bad_offset = start;
      return false;
    }
  }
  return true;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string NormalizeName(std::string_view text, LatinMarks marks,
                          bool* spelt) {
  if (spelt != nullptr) *spelt = false;
  bool ascii = true;
  for (const char ch : text) {
    if (static_cast<unsigned char>(ch) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return NormalizeAscii(text);

  // Decode by hand so that invalid sequences become separators.
  icu::UnicodeString us;
  for (size_t pos = 0; pos < text.size();) {
    const char32_t cp = DecodeUtf8(text, &pos);
    us.append(static_cast<UChar32>(cp == 0xFFFD ? U' ' : cp));
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = NfkcCasefold();
  const icu::Normalizer2* nfd = Nfd();
  if (nfkc_cf != nullptr) {
    icu::UnicodeString folded = nfkc_cf->normalize(us, status);
    if (U_SUCCESS(status)) us = std::move(folded);
    status = U_ZERO_ERROR;
  }
  // Marks that romanisation wrote (Cyrillic ч ш ж -> č š ž) are no marks a
  // machine-readable zone drops (Russian passports write CH SH ZH): only
  // those of a Latin text are reported as `spelt`.
  const bool romanised = NeedsRomanisation(us);
  if (romanised) {
    if (icu::Transliterator* t = ThreadTransliterator()) t->transliterate(us);
    spelt = nullptr;
    marks = LatinMarks::kSpell;
  }
  if (nfd != nullptr) {
    icu::UnicodeString decomposed = nfd->normalize(us, status);
    if (U_SUCCESS(status)) us = std::move(decomposed);
  }

  std::string out;
  out.reserve(text.size());
  for (int32_t i = 0; i < us.length();) {
    const UChar32 c = us.char32At(i);
    i += U16_LENGTH(c);
    if (c == 0x0327 || c == 0x0326) {  // cedilla, comma below
      if (!out.empty() && (out.back() == 'c' || out.back() == 's')) {
        if (spelt != nullptr) *spelt = true;
        if (marks == LatinMarks::kDrop) continue;
        if (out.back() == 'c') {
          out.back() = 's';
        } else {
          out.push_back('h');
        }
      }
      continue;
    }
    if (c == 0x030C || c == 0x0301) {  // caron, acute
      // Slavic č ć -> ch, š -> sh, ž -> zh (caron only for s and z).
      if (!out.empty() &&
          (out.back() == 'c' ||
           (c == 0x030C && (out.back() == 's' || out.back() == 'z')))) {
        if (spelt != nullptr) *spelt = true;
        if (marks == LatinMarks::kSpell) out.push_back('h');
      }
      continue;
    }
    AppendMappedCodePoint(static_cast<char32_t>(c), &out);
  }
  TrimTrailingSpace(&out);
  return out;
}

}  // namespace jisr::names
