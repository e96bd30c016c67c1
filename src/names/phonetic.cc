#include "names/phonetic.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "names/normalize.h"

namespace jisr::names {
namespace {

bool IsLatinVowelLetter(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// True when `t` is made of lower-case ASCII letters only (a word the
// French and Spanish readings can read).
bool IsLowerAsciiWord(std::string_view t) {
  return std::all_of(t.begin(), t.end(),
                     [](char c) { return c >= 'a' && c <= 'z'; });
}

// True when `t` ends in `e` and is longer than it.
bool EndsAfterMore(std::string_view t, std::string_view e) {
  return t.size() > e.size() &&
         t.compare(t.size() - e.size(), e.size(), e) == 0;
}

// Appends `sym`, collapsing a repeat of the previous symbol (doubled letters).
void Emit(char sym, std::string* out) {
  if (!out->empty() && out->back() == sym) return;
  out->push_back(sym);
}

}  // namespace

std::string FrenchReading(std::string_view s) {
  const auto vowel = [](char c) { return IsLatinVowelLetter(c); };
  std::string t(s);
  if (!IsLowerAsciiWord(t)) return t;  // digits or other bytes: no word
  // Endings: -ault -> au; the closed e of -ier -cher -ger -quet -quer and
  // of -et after a doubled consonant, and of a final -ai(s), as "ih", the
  // way Arabic script writes it (يه: Didier ديدييه, Roger روجيه, Jacquet
  // جاكيه, Millais ميليه); the silent consonants of French endings (-aud
  // -aut -ot -it -ois -oux -eux -aux, -ais in longer words, and d t s after
  // r or n: Bernard, Laurent). Not -er -ed -id -ad -oud -at -is -as -us:
  // Samer, Nasser, Ahmed, Walid, Mahmoud, Younis and Abbas are no French
  // words (Samer read "samih" would be سامح, another name).
  bool marked = false;  // a French ending was read
  const auto ends = [&](std::string_view e) { return EndsAfterMore(t, e); };
  const auto doubled_et = [&] {
    return t.size() >= 5 && ends("et") && t[t.size() - 3] == t[t.size() - 4] &&
           !vowel(t[t.size() - 3]);
  };
  if (ends("ault")) {
    t.resize(t.size() - 2);
    marked = true;
  } else if (t.size() >= 5 && (ends("ier") || ends("cher") || ends("ger") ||
                               ends("quet") || ends("quer") || doubled_et())) {
    t.resize(t.size() - (ends("ier") ? 3 : 2));
    t += "ih";
    marked = true;
  } else if (t.size() >= 6 || (t.size() >= 4 && !ends("ais") && !ends("ait"))) {
    // (-ais -ait only in longer words: not Rais, Sait.)
    for (const std::string_view e :
         {"aud", "aut", "ot",  "ots", "it",  "ois", "oix",
          "ais", "ait", "oux", "eux", "aux", "rd",  "rds",
          "rt",  "rts", "rs",  "nd",  "nds", "nt",  "nts"}) {
      if (!ends(e)) continue;
      size_t k = t.size();
      while (std::string_view("tdsxz").find(t[k - 1]) != std::string_view::npos)
        --k;
      t.resize(k);
      marked = true;
      break;
    }
  }
  if (marked && t.size() >= 4 && ends("ai")) {  // millais: the same e
    t.resize(t.size() - 2);
    t += "ih";
  }
  const size_t n = t.size();
  auto at = [&](size_t i) -> char { return i < n ? t[i] : '\0'; };
  // A nasal vowel: n or m followed by a consonant other than n/m, or by
  // nothing.
  auto nasal_after = [&](size_t i) {
    const char c = at(i), next = at(i + 1);
    return (c == 'n' || c == 'm') &&
           (next == '\0' || (!vowel(next) && next != 'n' && next != 'm'));
  };
  // The mute e of a first syllable is read only in a word that has another
  // French feature (Leroux, Renaud, Benoît, Petit; not Reda: رضا, not روضة).
  const auto scan = [&](bool mute_e) {
    std::string out;
    out.reserve(t.size() + 4);
    for (size_t i = 0; i < n;) {
      const char c = t[i], n1 = at(i + 1), n2 = at(i + 2);
      if (c == 'c' && (n1 == 'e' || n1 == 'i' || n1 == 'y')) {
        out += 's';
        ++i;
      } else if (c == 'c' && n1 == 'o' && n2 == 'i') {  // ascii "francois"
        out += 's';
        ++i;
      } else if (c == 'g' && (n1 == 'e' || n1 == 'i' || n1 == 'y')) {
        out += 'j';
        ++i;
      } else if (c == 'c' && n1 == 'q') {
        ++i;  // jacquet
      } else if (c == 'q' && n1 == 'u') {
        out += 'k';
        i += 2;
      } else if (c == 't' && n1 == 'h') {
        out += 't';
        i += 2;
      } else if (c == 'g' && n1 == 'n') {
        out += "ny";
        i += 2;
      } else if (c == 'e' && n1 == 'a' && n2 == 'u') {
        out += 'o';
        i += 3;
      } else if (c == 'a' && n1 == 'u') {
        out += 'o';
        i += 2;
      } else if (c == 'o' && n1 == 'i') {
        out += "wa";
        i += 2;
      } else if (c == 'a' && n1 == 'i' && !nasal_after(i + 2)) {
        out += 'e';  // lemaire, millais
        i += 2;
      } else if (c == 'e' && n1 == 'u') {
        out += "ou";
        i += 2;
      } else if (c == 'i' && n1 == 'l' && n2 == 'l' && vowel(at(i + 3))) {
        out += "iy";
        i += 3;
      } else if (c == 'e' && nasal_after(i + 1) && i > 0 && !vowel(t[i - 1])) {
        // en, em (Vincent, Laurent, Clément). Not in/ain/ein: Amin, Hussein
        // and Hussain are no French words either.
        out += "an";
        i += 2;
      } else if (mute_e && c == 'e' && i == 1 && !vowel(t[0]) && n1 != '\0' &&
                 !vowel(n1) && vowel(n2)) {
        out += "ou";  // the mute e of a first syllable: le-roux, re-naud
        ++i;
      } else {
        out += c;
        ++i;
      }
    }
    return out;
  };
  std::string out = scan(false);
  if (marked || out != t) out = scan(true);
  return out;
}

std::string SpanishReading(std::string_view s) {
  const auto vowel = [](char c) { return IsLatinVowelLetter(c); };
  std::string t(s);
  if (!IsLowerAsciiWord(t)) return t;  // digits or other bytes: no word
  const auto ends = [&](std::string_view e) { return EndsAfterMore(t, e); };
  // French and Maghrebi orthography (dj, ou: Djamel, Jaouad, Najoua) is
  // never Spanish; nor are Portuguese words, whose j is ج.
  if (t.find("dj") != std::string::npos || t.find("ou") != std::string::npos)
    return t;
  // A final e after a consonant (or the silent u of -que -gue) is said.
  const bool final_e = t.size() >= 4 && ends("e") &&
                       (!vowel(t[t.size() - 2]) || ends("que") || ends("gue"));
  // What there is to read: j, and the soft g, ll and qu (before e i).
  bool j = false, other = false;
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i], n1 = i + 1 < t.size() ? t[i + 1] : '\0',
               n2 = i + 2 < t.size() ? t[i + 2] : '\0';
    const bool front = n1 == 'e' || n1 == 'i';  // after c: soft g
    j = j || c == 'j';
    other = other || (c == 'g' && front) || (c == 'l' && n1 == 'l') ||
            (c == 'q' && n1 == 'u' && (n2 == 'e' || n2 == 'i'));
  }
  // Spanish morphology: -o -os -ez, ua ue oa, with any of them; the weaker
  // -es and said final e only with a soft g, ll or qu (Jorge, Enrique,
  // Borges): English names end so too (James, Jane, Jake, Jude: James read
  // "khames" would be خميس Khamis), and so do French spellings of Arabic
  // names (Jihane, Najate). Moore and Irene have nothing to read.
  const bool strong = t.size() >= 3 && (ends("o") || ends("os") || ends("ez") ||
                                        t.find("ua") != std::string::npos ||
                                        t.find("ue") != std::string::npos ||
                                        t.find("oa") != std::string::npos);
  const bool weak = t.size() >= 4 && (ends("es") || final_e);
  if (!((strong && (j || other)) || (weak && other))) return t;
  const size_t n = t.size();
  auto at = [&](size_t i) -> char { return i < n ? t[i] : '\0'; };
  std::string out;
  out.reserve(n + 4);
  for (size_t i = 0; i < n;) {
    const char c = t[i], n1 = at(i + 1), n2 = at(i + 2);
    if (c == 'j') {
      out += "kh";
      ++i;
    } else if (c == 'g' && n1 == 'u' && (n2 == 'e' || n2 == 'i')) {
      out += 'g';  // guerrero, guillermo
      i += 2;
    } else if (c == 'g' && (n1 == 'e' || n1 == 'i')) {
      out += "kh";  // jorge, sergio
      ++i;
    } else if (c == 'q' && n1 == 'u' && (n2 == 'e' || n2 == 'i')) {
      out += 'k';  // enrique, joaquin (not qua: Pasquale, Quaresma)
      i += 2;
    } else if (c == 'v') {
      out += 'b';  // said b: vallejo باييخو
      ++i;
    } else if (c == 'l' && n1 == 'l') {
      out += 'y';  // vallejo, castillo
      i += 2;
    } else if (final_e && i + 1 == n) {
      out += 'i';  // jorge, vicente
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

namespace {

// The code of `reading` (a reading of `token`), or "" when it codes the same
// as the token. Most tokens read as written: then no code is computed.
std::string ReadingCode(std::string_view token, std::string_view reading) {
  if (reading == token) return "";
  std::string code = LatinPhoneticCode(reading);
  if (code == LatinPhoneticCode(token)) code.clear();
  return code;
}

}  // namespace

std::string SpanishReadingCode(std::string_view token) {
  return ReadingCode(token, SpanishReading(token));
}

std::string FrenchReadingCode(std::string_view token) {
  return ReadingCode(token, FrenchReading(token));
}

std::string LatinPhoneticCode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const size_t n = s.size();
  auto at = [&](size_t i) -> char { return i < n ? s[i] : '\0'; };
  size_t i = 0;
  while (i < n) {
    const char c = s[i];
    const char n1 = at(i + 1);
    const char n2 = at(i + 2);
    if (c >= '0' && c <= '9') {
      out.push_back(c);  // digits never collapse
      ++i;
      continue;
    }
    switch (c) {
      case 'a':
        Emit('a', &out);
        ++i;
        break;
      case 'e':
        if (n1 == 'e') {
          Emit('i', &out);
          i += 2;
        } else if (i + 1 == n && n >= 4 && !IsLatinVowelLetter(at(i - 1))) {
          ++i;  // French silent final e: "abderrahmane", "amine"
        } else {
          Emit('e', &out);
          ++i;
        }
        break;
      case 'i':
        Emit('i', &out);
        i += (n1 == 'e' && i + 2 == n) ? 2 : 1;
        break;
      case 'o':
        if (n1 == 'u') {
          // French "ou": a consonant w before a vowel at the start
          // ("ouahid"), the vowel u elsewhere ("youssef", "houcine").
          if (i == 0 && n2 != '\0' && IsLatinVowelLetter(n2) && n2 != 'y') {
            Emit('w', &out);
          } else {
            Emit('u', &out);
          }
          i += 2;
        } else if (n1 == 'o') {
          Emit('u', &out);
          i += 2;
        } else {
          Emit('o', &out);
          ++i;
        }
        break;
      case 'u':
        Emit('u', &out);
        ++i;
        break;
      case 'y': {
        const bool prev_vowel = i > 0 && IsLatinVowelLetter(at(i - 1));
        const bool next_vowel =
            n1 != '\0' && IsLatinVowelLetter(n1) && n1 != 'y';
        if ((i == 0 && next_vowel) || (prev_vowel && next_vowel)) {
          Emit('y', &out);
        } else {
          Emit('i', &out);
        }
        ++i;
        break;
      }
      case 'w':
        Emit('w', &out);
        ++i;
        break;
      case 's':
        if (n1 == 'c' && n2 == 'h') {
          Emit('c', &out);
          i += 3;
        } else if (n1 == 'h' || n1 == 'z') {
          Emit('c', &out);
          i += 2;
        } else {
          Emit('s', &out);
          ++i;
        }
        break;
      case 'c':
        if (n1 == 'c' && n2 == 'h') {
          Emit('k', &out);  // Italian "cch": "picchio"
          i += 3;
        } else if (n1 == 'c' && (n2 == 'e' || n2 == 'i')) {
          Emit('c', &out);  // Italian "cci/cce": "puccio", "coluccio"
          i += 2;
        } else if (n1 == 'h') {
          if (i == 0 && (n2 == 'r' || n2 == 'l')) {
            Emit('k', &out);  // "chris", "chloe"
          } else {
            Emit('c', &out);
          }
          i += 2;
        } else if (n1 == 'k' || n1 == 'q') {
          Emit('k', &out);
          i += 2;
        } else if (n1 == 'z') {
          Emit('c', &out);
          i += 2;
        } else if (n1 == 'e' || n1 == 'i' || n1 == 'y') {
          Emit('s', &out);
          ++i;
        } else {
          Emit('k', &out);
          ++i;
        }
        break;
      case 't':
        if (n1 == 'c' && n2 == 'h') {
          Emit('c', &out);
          i += 3;
        } else if (n1 == 's' && n2 == 'c' && at(i + 3) == 'h') {
          Emit('c', &out);
          i += 4;
        } else if (n1 == 'h') {
          Emit('T', &out);
          i += 2;
        } else {
          Emit('t', &out);
          ++i;
        }
        break;
      case 'd':
        if (n1 == 'h') {
          Emit('D', &out);
          i += 2;
        } else if (n1 == 'j') {
          Emit('j', &out);
          i += 2;
        } else if (n1 == 'z' && n2 == 'h') {
          Emit('j', &out);
          i += 3;
        } else {
          Emit('d', &out);
          ++i;
        }
        break;
      case 'k':
        if (n1 == 'h') {
          Emit('x', &out);
          i += 2;
        } else {
          Emit('k', &out);
          ++i;
        }
        break;
      case 'g':
        if (n1 == 'h') {
          Emit('g', &out);
          i += 2;
        } else if (n1 == 'u' && (n2 == 'e' || n2 == 'i')) {
          Emit('g', &out);  // French "gu" before e/i: "guelma"
          i += 2;
        } else {
          Emit('g', &out);
          ++i;
        }
        break;
      case 'p':
        if (n1 == 'h') {
          Emit('f', &out);
          i += 2;
        } else {
          Emit('p', &out);
          ++i;
        }
        break;
      case 'z':
        if (n1 == 'h') {
          Emit('j', &out);
          i += 2;
        } else {
          Emit('z', &out);
          ++i;
        }
        break;
      case 'q':
        Emit('q', &out);
        ++i;
        break;
      case 'x':
        Emit('k', &out);
        Emit('s', &out);
        ++i;
        break;
      case 'b':
      case 'f':
      case 'h':
      case 'j':
      case 'l':
      case 'm':
      case 'n':
      case 'r':
      case 'v':
        Emit(c, &out);
        ++i;
        break;
      default:
        ++i;  // not a letter of the Latin alphabet
    }
  }
  return out;
}

std::string ArabicPhoneticCode(std::string_view token) {
  std::vector<char32_t> letters;
  letters.reserve(token.size() / 2 + 1);
  for (size_t pos = 0; pos < token.size();) {
    const char32_t cp = DecodeUtf8(token, &pos);
    if (IsArabicLetter(cp) || (cp >= '0' && cp <= '9')) letters.push_back(cp);
  }
  std::string out;
  out.reserve(letters.size() + 2);
  const size_t n = letters.size();
  constexpr char32_t kAlef = 0x0627, kWaw = 0x0648, kYeh = 0x064A;
  auto at = [&](size_t k) -> char32_t { return k < n ? letters[k] : 0; };
  for (size_t k = 0; k < n; ++k) {
    const char32_t c = letters[k];
    const char32_t prev = k > 0 ? letters[k - 1] : 0;
    const char32_t next = at(k + 1);
    if (c >= '0' && c <= '9') {
      out.push_back(static_cast<char>(c));
      continue;
    }
    char sym = 0;
    switch (c) {
      case kAlef:
        // An initial alef carrying the vowel of و or ي before a consonant
        // (اوليفييه = olivier, ايزابو = isabeau): the vowel alone.
        if (k == 0 && (next == kWaw || next == kYeh) && k + 2 < n &&
            at(k + 2) != kAlef && at(k + 2) != kWaw && at(k + 2) != kYeh) {
          Emit(next == kWaw ? 'u' : 'i', &out);
          ++k;
          continue;
        }
        sym = 'a';
        break;
      case 0x0628:
        sym = 'b';
        break;
      case 0x062A:
        if (next == 0x0634) {  // تش: the "ch" of foreign names
          sym = 'c';
          ++k;
          break;
        }
        sym = 't';
        break;
      case 0x0637:
        sym = 't';
        break;
      case 0x062B:
        sym = 'T';
        break;
      case 0x062C:
      case 0x0698:
        sym = 'j';
        break;
      case 0x062D:
        sym = 'h';
        break;
      case 0x062E:
        sym = 'x';
        break;
      case 0x062F:
      case 0x0636:
        sym = 'd';
        break;
      case 0x0630:
        sym = 'D';
        break;
      case 0x0631:
        sym = 'r';
        break;
      case 0x0632:
      case 0x0638:
        sym = 'z';
        break;
      case 0x0633:
      case 0x0635:
        sym = 's';
        break;
      case 0x0634:
      case 0x0686:
        sym = 'c';
        break;
      case 0x0639:
        sym = 'E';
        break;
      case 0x063A:
      case 0x06AF:
        sym = 'g';
        break;
      case 0x0641:
        sym = 'f';
        break;
      case 0x06A4:
        sym = 'v';
        break;
      case 0x0642:
        sym = 'q';
        break;
      case 0x0643:
        sym = 'k';
        break;
      case 0x0644:
        sym = 'l';
        break;
      case 0x0645:
        sym = 'm';
        break;
      case 0x0646:
        sym = 'n';
        break;
      case 0x067E:
        sym = 'p';
        break;
      case 0x0647:
        if (k + 1 == n && k > 0 && prev != kAlef && prev != kWaw &&
            prev != kYeh) {
          // Final teh marbuta, or the heh that writes a final vowel of
          // foreign names (تبه = tepe): a vowel, no h (fatima, faiza).
          Emit('a', &out);
          continue;
        }
        sym = 'h';
        break;
      case kWaw:
        sym = (k == 0 || prev == kAlef || next == kAlef) ? 'w' : 'u';
        break;
      case kYeh:
        sym = (k == 0 || prev == kAlef || next == kAlef) ? 'y' : 'i';
        break;
      default:
        break;  // rare letters outside the reduced alphabet
    }
    if (sym != 0) Emit(sym, &out);
  }
  return out;
}

std::string SkeletonKey(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (IsCodeVowel(c) || c == 'E') continue;
    switch (c) {
      case 'T':
        c = 't';
        break;
      case 'D':
        c = 'd';
        break;
      case 'q':
        c = 'k';
        break;
      case 'p':
        c = 'b';
        break;
      case 'v':
        c = 'f';
        break;
      case 'x':
        c = 'h';
        break;
      default:
        break;
    }
    if (!out.empty() && out.back() == c && !(c >= '0' && c <= '9')) continue;
    out.push_back(c);
  }
  return out;
}

namespace {

enum class Side { kSame, kLatinVsArabic, kArabicVsLatin };

double IndelWeight(char c, Side side) {
  if (IsCodeVowel(c)) {
    switch (side) {
      case Side::kSame:
        return 0.35;
      case Side::kLatinVsArabic:
        return 0.05;
      case Side::kArabicVsLatin:
        return 0.45;
    }
  }
  if (c == 'E') return side == Side::kSame ? 0.25 : 0.1;
  if (c == 'h' || c == 'w' || c == 'y') return 0.5;
  if (c >= '0' && c <= '9') return 1.5;
  return 1.0;
}

int VowelIndex(char c) {
  switch (c) {
    case 'a':
      return 0;
    case 'e':
      return 1;
    case 'i':
      return 2;
    case 'o':
      return 3;
    case 'u':
      return 4;
    default:
      return -1;
  }
}

// Distance between vowel qualities, 0..1.
constexpr std::array<std::array<double, 5>, 5> kVowelDistance = {{
    //  a    e    i    o    u
    {0.0, 0.4, 0.7, 0.6, 0.8},  // a
    {0.4, 0.0, 0.3, 0.6, 0.7},  // e
    {0.7, 0.3, 0.0, 0.8, 0.7},  // i
    {0.6, 0.6, 0.8, 0.0, 0.3},  // o
    {0.8, 0.7, 0.7, 0.3, 0.0},  // u
}};

// Cost of substituting consonant-like symbols that spellings confuse; 1.0 for
// unrelated consonants.
double ConsonantSubstitution(char a, char b) {
  if (a > b) std::swap(a, b);
  switch (a) {
    case 'D':
      if (b == 'd') return 0.3;
      if (b == 'z') return 0.35;
      if (b == 'T') return 0.4;
      if (b == 't') return 0.5;
      break;
    case 'T':
      if (b == 't') return 0.3;
      if (b == 's') return 0.4;
      if (b == 'd') return 0.5;
      break;
    case 'E':
      if (b == 'h') return 0.4;
      if (b == 'g') return 0.6;
      if (b == 'w' || b == 'y') return 0.5;
      break;
    case 'b':
      if (b == 'p') return 0.2;
      if (b == 'v') return 0.5;
      if (b == 'f') return 0.6;
      break;
    case 'c':
      if (b == 's') return 0.45;
      if (b == 'j') return 0.5;
      if (b == 'k') return 0.6;
      if (b == 'x') return 0.6;
      if (b == 'z') return 0.7;
      break;
    case 'd':
      if (b == 't') return 0.5;
      if (b == 'j') return 0.7;
      if (b == 'z') return 0.7;
      break;
    case 'f':
      if (b == 'v') return 0.2;
      if (b == 'p') return 0.4;
      if (b == 'w') return 0.6;
      break;
    case 'g':
      if (b == 'q') return 0.3;
      if (b == 'j') return 0.35;
      if (b == 'k') return 0.45;
      if (b == 'x') return 0.5;
      if (b == 'h') return 0.7;
      if (b == 'r') return 0.7;
      break;
    case 'h':
      if (b == 'x') return 0.35;
      if (b == 'k') return 0.7;
      break;
    case 'j':
      if (b == 'y') return 0.4;
      if (b == 'z') return 0.5;
      if (b == 's') return 0.7;
      break;
    case 'k':
      if (b == 'q') return 0.15;
      if (b == 'x') return 0.4;
      break;
    case 'l':
      if (b == 'r') return 0.8;
      if (b == 'n') return 0.8;
      break;
    case 'm':
      if (b == 'n') return 0.6;
      break;
    case 'q':
      if (b == 'x') return 0.5;
      break;
    case 's':
      if (b == 'z') return 0.4;
      if (b == 't') return 0.8;
      break;
    case 'v':
      if (b == 'w') return 0.35;
      break;
    default:
      break;
  }
  return 1.0;
}

double Substitution(char a, char b, Side side) {
  if (a == b) return 0.0;
  const double cap =
      IndelWeight(a, side) + IndelWeight(b, side == Side::kSame ? Side::kSame
                                            : side == Side::kLatinVsArabic
                                                ? Side::kArabicVsLatin
                                                : Side::kLatinVsArabic);
  const int va = VowelIndex(a);
  const int vb = VowelIndex(b);
  if (va >= 0 && vb >= 0) return std::min(cap, kVowelDistance[va][vb] * 0.45);
  if (va >= 0 || vb >= 0) {
    const char v = va >= 0 ? a : b;
    const char o = va >= 0 ? b : a;
    if (o == 'E') return 0.05;
    if ((v == 'u' && o == 'w') || (v == 'i' && o == 'y')) return 0.1;
    if ((v == 'o' && o == 'w') || (v == 'e' && o == 'y')) return 0.2;
    return cap;
  }
  if ((a >= '0' && a <= '9') || (b >= '0' && b <= '9')) return cap;
  return std::min(cap, ConsonantSubstitution(a, b));
}

Side OtherSide(Side s) {
  switch (s) {
    case Side::kLatinVsArabic:
      return Side::kArabicVsLatin;
    case Side::kArabicVsLatin:
      return Side::kLatinVsArabic;
    default:
      return Side::kSame;
  }
}

Side FirstSide(CodePair pair) {
  switch (pair) {
    case CodePair::kLatinArabic:
      return Side::kLatinVsArabic;
    case CodePair::kArabicLatin:
      return Side::kArabicVsLatin;
    default:
      return Side::kSame;
  }
}

// The code alphabet, densely numbered for the cost tables.
constexpr std::string_view kSymbols = "aeiouEwyhbpfvtdszcjgkqxrlmnTD0123456789";
constexpr size_t kNumSymbols = kSymbols.size();
constexpr uint8_t kUnknown = 0xFF;

// Cost tables, built once: indel[side][sym] and sub[side][a][b] for the first
// string's side (the second string's side is OtherSide).
struct CostTables {
  std::array<uint8_t, 256> index{};
  float indel[3][kNumSymbols + 1];
  float sub[3][kNumSymbols + 1][kNumSymbols + 1];

  CostTables() {
    index.fill(kUnknown);
    for (size_t i = 0; i < kNumSymbols; ++i)
      index[static_cast<unsigned char>(kSymbols[i])] = i;
    for (int side = 0; side < 3; ++side) {
      const Side sa = static_cast<Side>(side);
      for (size_t i = 0; i <= kNumSymbols; ++i) {
        // The extra last row/column is "unknown symbol": a full consonant.
        const char a = i < kNumSymbols ? kSymbols[i] : '#';
        indel[side][i] = static_cast<float>(IndelWeight(a, sa));
        for (size_t j = 0; j <= kNumSymbols; ++j) {
          const char b = j < kNumSymbols ? kSymbols[j] : '#';
          sub[side][i][j] = i == j && i < kNumSymbols
                                ? 0.0f
                                : static_cast<float>(Substitution(a, b, sa));
        }
      }
    }
  }

  uint8_t Index(char c) const {
    const uint8_t i = index[static_cast<unsigned char>(c)];
    return i == kUnknown ? static_cast<uint8_t>(kNumSymbols) : i;
  }
};

const CostTables& Tables() {
  static const CostTables* const tables = new CostTables();
  return *tables;
}

double TotalWeight(std::string_view code, Side side) {
  const CostTables& t = Tables();
  double w = 0;
  for (const char c : code) w += t.indel[static_cast<int>(side)][t.Index(c)];
  return w;
}

// Weighted edit distance; stops early (returning a value above
// `max_distance`) once every cell of a row exceeds `max_distance`.
double Distance(std::string_view a, std::string_view b, Side sa,
                double max_distance) {
  const CostTables& t = Tables();
  const Side sb = OtherSide(sa);
  const int ia = static_cast<int>(sa);
  const int ib = static_cast<int>(sb);
  const size_t m = b.size();
  constexpr size_t kStack = 64;
  std::array<float, kStack + 1> stack_prev, stack_cur;
  std::array<uint8_t, kStack> stack_bi;
  std::vector<float> heap_prev, heap_cur;
  std::vector<uint8_t> heap_bi;
  float* prev = stack_prev.data();
  float* cur = stack_cur.data();
  uint8_t* bi = stack_bi.data();
  if (m > kStack) {
    heap_prev.resize(m + 1);
    heap_cur.resize(m + 1);
    heap_bi.resize(m);
    prev = heap_prev.data();
    cur = heap_cur.data();
    bi = heap_bi.data();
  }
  prev[0] = 0.0f;
  for (size_t j = 1; j <= m; ++j) {
    bi[j - 1] = t.Index(b[j - 1]);
    prev[j] = prev[j - 1] + t.indel[ib][bi[j - 1]];
  }
  const float limit = static_cast<float>(max_distance);
  for (size_t i = 1; i <= a.size(); ++i) {
    const uint8_t ai = t.Index(a[i - 1]);
    const float del_a = t.indel[ia][ai];
    const float* sub_row = t.sub[ia][ai];
    cur[0] = prev[0] + del_a;
    float row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      const float v =
          std::min({prev[j] + del_a, cur[j - 1] + t.indel[ib][bi[j - 1]],
                    prev[j - 1] + sub_row[bi[j - 1]]});
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > limit) return row_min;
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace

double PhoneticDistance(std::string_view a, std::string_view b, CodePair pair) {
  return Distance(a, b, FirstSide(pair),
                  std::numeric_limits<double>::infinity());
}

double PhoneticSimilarity(std::string_view a, std::string_view b, CodePair pair,
                          double min_similarity) {
  const Side sa = FirstSide(pair);
  const double wa = TotalWeight(a, sa);
  const double wb = TotalWeight(b, OtherSide(sa));
  const double denom = std::max(wa, wb);
  if (denom <= 0.0) return 1.0;
  // A distance above this cannot reach min_similarity: stop early.
  const double max_distance = min_similarity > 0.0
                                  ? (1.0 - min_similarity) * denom + 1e-6
                                  : std::numeric_limits<double>::infinity();
  const double d = Distance(a, b, sa, max_distance);
  return std::clamp(1.0 - d / denom, 0.0, 1.0);
}

}  // namespace jisr::names
