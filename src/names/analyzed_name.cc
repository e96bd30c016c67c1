#include "names/analyzed_name.h"

#include <algorithm>
#include <array>
#include <optional>

#include "names/normalize.h"
#include "names/phonetic.h"

namespace jisr::names {
namespace {

struct RawToken {
  std::string text;
  TokenScript script = TokenScript::kLatin;
};

// Splits a normalised name into raw tokens (see the header for the rules).
std::vector<RawToken> SplitTokens(std::string_view normalized) {
  std::string text(normalized);
  // "LAST, FIRST" -> "FIRST LAST".
  const size_t comma = text.find(',');
  if (comma != std::string::npos &&
      text.find(',', comma + 1) == std::string::npos) {
    std::string left = text.substr(0, comma);
    std::string right = text.substr(comma + 1);
    const bool left_has = left.find_first_not_of(" -'") != std::string::npos;
    const bool right_has = right.find_first_not_of(" -'") != std::string::npos;
    if (left_has && right_has) text = right + " " + left;
  }
  std::vector<RawToken> out;
  RawToken cur;
  auto flush = [&] {
    if (!cur.text.empty()) out.push_back(std::move(cur));
    cur = RawToken{};
  };
  for (size_t pos = 0; pos < text.size();) {
    const size_t start = pos;
    const char32_t cp = DecodeUtf8(text, &pos);
    if (cp == ' ' || cp == '-' || cp == ',') {
      flush();
      continue;
    }
    if (cp == '\'') continue;  // m'hamed -> mhamed
    const TokenScript script =
        IsArabicLetter(cp) ? TokenScript::kArabic : TokenScript::kLatin;
    if (!cur.text.empty() && cur.script != script) flush();
    cur.script = script;
    cur.text.append(text, start, pos - start);
  }
  flush();
  return out;
}

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (size_t pos = 0; pos < s.size();) {
    DecodeUtf8(s, &pos);
    ++n;
  }
  return n;
}

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

bool OneOf(std::string_view s, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool IsTitle(std::string_view t) {
  return OneOf(
      t, {"mr",     "mrs",          "ms",        "miss",     "mister", "dr",
          "doctor", "prof",         "professor", "monsieur", "madame", "mme",
          "mlle",   "mademoiselle", "sir",       "herr",     "frau",   "sr",
          "sra",    "senor",        "senora",    "hon",      "rev"});
}

bool IsLowWeightWord(std::string_view t) {
  return OneOf(
      t, {"ltd",         "limited", "llc",     "inc",  "incorporated", "corp",
          "corporation", "co",      "company", "gmbh", "ag",           "sa",
          "plc",         "oao",     "ooo",     "zao",  "jsc",          "ojsc",
          "pjsc",        "cjsc",    "pao",     "llp",  "lp",           "bv",
          "nv",          "srl",     "spa",     "kg",   "sarl",         "spzoo",
          "the",         "of",      "and",     "de",   "da",           "di",
          "do",          "dos",     "das",     "del",  "della",        "van",
          "von",         "der",     "den",     "la",   "le",           "du",
          "des",         "y",       "e",       "zu",   "ten",          "ter"});
}

bool IsLatinArticle(std::string_view t) { return OneOf(t, {"al", "el", "ul"}); }

// Assimilated article ("ar" before "rahman", "ash" before "shami").
bool IsAssimilatedArticle(std::string_view t, std::string_view next) {
  static constexpr std::array<std::string_view, 20> kForms = {
      "ar", "er", "ur", "as", "es", "us", "ad", "ed", "ud",  "at",
      "et", "ut", "an", "en", "un", "az", "ez", "uz", "ash", "ech"};
  if (std::find(kForms.begin(), kForms.end(), t) == kForms.end()) return false;
  const std::string_view consonant = t.substr(1);
  if (consonant == "sh" || consonant == "ch") {
    return StartsWith(next, "sh") || StartsWith(next, "ch");
  }
  return StartsWith(next, consonant);
}

std::optional<Particle> LatinParticleWord(std::string_view t) {
  if (OneOf(t,
            {"abd", "abdel", "abdal", "abdul", "abdoul", "abdil", "abdol",
             "abdur", "abder", "abdar", "abdour", "abdus", "abdes", "abdas"})) {
    return Particle::kAbd;
  }
  if (OneOf(t, {"abu", "abou", "aboo", "abo", "bou"})) return Particle::kAbu;
  if (OneOf(t, {"ben", "bin", "ibn", "ibnu", "bn"})) return Particle::kBin;
  if (OneOf(t, {"bent", "bint", "binti"})) return Particle::kBint;
  if (OneOf(t, {"ould", "wuld", "weld", "walad"})) return Particle::kOuld;
  if (OneOf(t, {"ait", "ath"})) return Particle::kAit;
  return std::nullopt;
}

constexpr std::string_view kArAl = "ال";
constexpr std::string_view kArAbd = "عبد";
constexpr std::string_view kArBel = "بل";  // Maghrebi abu al- (بلقاسم)
constexpr std::string_view kArAbu = "ابو";

std::optional<Particle> ArabicParticleWord(std::string_view t) {
  if (t == kArAbd) return Particle::kAbd;
  if (t == kArAbu || t == "بو") return Particle::kAbu;
  if (t == "بن" || t == "ابن") return Particle::kBin;
  if (t == "بنت") return Particle::kBint;
  if (t == "ولد") return Particle::kOuld;
  if (t == "ايت") return Particle::kAit;
  return std::nullopt;
}

bool IsLatinVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// Strips a leading Latin article from the core of a compound ("allah" ->
// "lah", "errahmane" -> "rahmane") when enough remains.
std::string StripLatinCoreArticle(std::string_view core) {
  size_t v = 0;
  while (v < core.size() && v < 2 && IsLatinVowel(core[v])) ++v;
  if (v == 0) return std::string(core);
  const std::string_view rest = core.substr(v);
  if (rest.size() >= 4 && rest[0] == 'l' && !IsLatinVowel(rest[1]) &&
      rest[1] != 'l') {
    return std::string(rest.substr(1));  // "elkader" -> "kader"
  }
  if (rest.size() >= 4 && rest[0] == 'l') {
    return std::string(rest.substr(1));  // "ullah" -> "lah", "alaziz" -> "aziz"
  }
  if (rest.size() >= 4 && rest[0] == rest[1] && !IsLatinVowel(rest[0])) {
    return std::string(rest.substr(1));  // "errahmane" -> "rahmane"
  }
  return std::string(core);
}

// Splits a joined Latin "abd..." token into its core ("abdellatif" ->
// "latif", "abderrahmane" -> "rahmane", "abdirahman" -> "rahman").
std::optional<std::string> LatinAbdCore(std::string_view t) {
  if (t.size() < 7 || !StartsWith(t, "abd")) return std::nullopt;
  std::string_view rest = t.substr(3);
  std::string core = StripLatinCoreArticle(rest);
  if (core.size() == rest.size()) {
    // "abdirahman", "abdukarim": drop a linking vowel.
    size_t v = 0;
    while (v < rest.size() && v < 2 && IsLatinVowel(rest[v])) ++v;
    core = std::string(rest.substr(v));
  }
  if (core.size() < 3) return std::nullopt;
  return core;
}

// For a joined ben/bin/ibn + abd compound ("benabdelkader", "ibnabdallah"):
// the abd compound ("abdelkader"); nullopt otherwise.
std::optional<std::string> JoinedBinAbd(std::string_view t) {
  for (std::string_view p : {"ben", "bin", "ibn"}) {
    if (StartsWith(t, p) && LatinAbdCore(t.substr(p.size())))
      return std::string(t.substr(p.size()));
  }
  return std::nullopt;
}

std::optional<std::string> LatinAbuCore(std::string_view t) {
  for (std::string_view p : {"abou", "abu"}) {
    if (StartsWith(t, p) && t.size() >= p.size() + 4) {
      return StripLatinCoreArticle(t.substr(p.size()));
    }
  }
  return std::nullopt;
}

std::string StripArabicArticle(std::string_view t, bool* stripped) {
  if (StartsWith(t, kArAl) && CountCodePoints(t) >= 4) {
    if (stripped) *stripped = true;
    return std::string(t.substr(kArAl.size()));
  }
  if (stripped) *stripped = false;
  return std::string(t);
}

std::string CodeOf(std::string_view text, TokenScript script) {
  return script == TokenScript::kArabic ? ArabicPhoneticCode(text)
                                        : LatinPhoneticCode(text);
}

bool AllDigits(std::string_view t) {
  return !t.empty() && std::all_of(t.begin(), t.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

// The core code of an abd compound whose name (after abd and its article)
// is `inner`: "abd" + its code, as MakeToken codes a kAbd token.
std::string LatinAbdCoreCode(std::string_view inner) {
  return std::string(ParticleCode(Particle::kAbd)) + LatinPhoneticCode(inner);
}

// True for the particles that name a parent or a lineage (ben, bint, ould,
// abu) and may precede an abd compound: "ben abdelkader", "ould abd
// er-rahmane".
bool TakesAbdCore(Particle p) {
  return p == Particle::kBin || p == Particle::kBint || p == Particle::kOuld ||
         p == Particle::kAbu;
}

// The code of the core of a compound with `particle`: for a particle that
// takes an abd core, an abd compound written joined (ben abdelkader,
// benabdelkader, abouabdallah, بن عبدالقادر, ابوعبدالله) is coded as a kAbd
// token is — "abd" + the code of its name — so that every way of writing it
// agrees; any other core by its letters.
std::string CoreCodeOf(std::string_view core, TokenScript script,
                       Particle particle) {
  if (TakesAbdCore(particle)) {
    if (script == TokenScript::kLatin) {
      if (const auto inner = LatinAbdCore(core))
        return LatinAbdCoreCode(*inner);
    } else if (StartsWith(core, kArAbd) &&
               CountCodePoints(core) >= CountCodePoints(kArAbd) + 3) {
      return std::string(ParticleCode(Particle::kAbd)) +
             ArabicPhoneticCode(
                 StripArabicArticle(core.substr(kArAbd.size()), nullptr));
    }
  }
  return CodeOf(core, script);
}

// Gives `tok` (a compound whose abd core was written apart: "ben abd
// al-qadir", whose letters CoreCodeOf cannot split again) the core code
// `core_code`.
void SetCoreCode(NameToken& tok, std::string core_code) {
  tok.core_code = std::move(core_code);
  tok.code = std::string(ParticleCode(tok.particle)) + tok.core_code;
}

NameToken MakeToken(std::string text, std::string core_text, TokenScript script,
                    Particle particle, bool article) {
  NameToken tok;
  tok.script = script;
  tok.particle = particle;
  tok.article = article;
  tok.core_code = CoreCodeOf(core_text, script, particle);
  tok.code = std::string(ParticleCode(particle)) + tok.core_code;
  tok.text = std::move(text);
  tok.core_text = std::move(core_text);
  if (script == TokenScript::kLatin) {
    tok.initial =
        tok.text.size() == 1 && tok.text[0] >= 'a' && tok.text[0] <= 'z';
    tok.number = AllDigits(tok.text);
    if (particle == Particle::kNone && IsLowWeightWord(tok.text))
      tok.weight = 0.3;
    if (particle == Particle::kNone && !tok.initial && !tok.number) {
      tok.french_code = FrenchReadingCode(tok.text);
      // The French colonial rh for غ at the start of a word (Rhita = غيثة,
      // Rhali = غالي), read against Arabic script only: Rhonda and Rhys
      // are r + h.
      // (It replaces a French reading: Rhanem is غانم.)
      if (tok.text.size() >= 4 && StartsWith(tok.text, "rh") &&
          IsLatinVowel(tok.text[2]) && tok.text[2] != 'y') {
        tok.french_code = LatinPhoneticCode("gh" + tok.text.substr(2));
      }
      tok.spanish_code = SpanishReadingCode(tok.text);
      if (tok.spanish_code == tok.french_code) tok.spanish_code.clear();
    }
  }
  return tok;
}

// Returns `t` with each "rh" between a consonant and a vowel written "gh",
// the French colonial spelling of غ in Maghrebi names (Mrhari = Maghari,
// Belrhiti = Belghiti), or "" when it has none. An alternative only, and
// never after a vowel: Farhan, Orhan, Burhan, Sirhan, Gerhard are r + h. At
// the start of a word (Rhita, Rhali) it is a reading against Arabic script
// only (MakeToken): Rhonda and Rhys are r + h too.
std::string RhAsGh(std::string_view t) {
  std::string out;
  for (size_t i = 1; i < t.size(); ++i) {
    if (t[i] == 'r' && i + 2 < t.size() && t[i + 1] == 'h' &&
        IsLatinVowel(t[i + 2]) && t[i + 2] != 'y' && !IsLatinVowel(t[i - 1]) &&
        t[i - 1] != 'y' && t[i - 1] >= 'a' && t[i - 1] <= 'z') {
      if (out.empty()) out = std::string(t);
      out[i] = 'g';
    }
  }
  return out;
}

// Returns `t` with each "zh" read as z then h (its letters kept apart for
// LatinPhoneticCode, which reads zh as the sound of ж): in names of Arabic
// origin zh is ز + ه (Zhor = زهور, Lazhar = الأزهر, Mazhar = مظهر), while
// Russian and Chinese names (Zhukov, Zhang) keep their own code. "" when
// `t` has no zh.
std::string ZhApart(std::string_view t) {
  if (t.find("zh") == std::string_view::npos) return "";
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    out += t[i];
    if (t[i] == 'z' && i + 1 < t.size() && t[i + 1] == 'h') out += '\'';
  }
  return out;
}

// The name after the Maghrebi contraction of abu (abu al-) that begins `t`
// — bou + consonant (Boubker = Abu Bakr, Bouchaib = Abu Shuayb) or bel +
// consonant (Belkacem = Abu al-Qasim, Belhadj = Abu al-Hajj) — or "" when
// `t` does not begin so or is too short. Read as an alternative only: Bou-
// and Bel- begin French and other names too (Boucher, Belmont).
std::string BouBelCore(std::string_view t) {
  if (t.size() < 6) return "";
  for (std::string_view p : {"bou", "bel"}) {
    if (StartsWith(t, p) && !IsLatinVowel(t[p.size()]) && t[p.size()] != 'y') {
      const std::string_view rest = t.substr(p.size());
      // Names of their own: Belkis, Belqis, Belkiss (Balqis, بلقيس),
      // Belgin.
      const std::string code = LatinPhoneticCode(rest);
      if (p == "bel" &&
          (code == "kis" || code == "qis" || code == "kiz" || rest == "gin"))
        return "";
      return std::string(rest);
    }
  }
  return "";
}

// The name after بل in an Arabic-script token that contracts abu al-
// (بلقاسم = أبو القاسم, بلحاج), or "" (not بلال, too short, nor بلقيس, a name
// of its own).
std::string_view ArabicBelCore(std::string_view t) {
  if (!StartsWith(t, kArBel) ||
      CountCodePoints(t) < CountCodePoints(kArBel) + 3 || t == "بلقيس")
    return "";
  return t.substr(kArBel.size());
}

// The name after the Maghrebi article joined to it as l, or "": l directly
// before a consonant (Lhoussaine, Lmahdi, Lhaj, Lkbir = al-Husayn, al-Mahdi,
// al-Hajj, al-Kabir) — not lj, lv, ll, ly, lw (Ljung, Lvov, Lloyd), and lh
// only before a, i, ou (not Lhotak, Lhuillier, Lhomme); or la before h and
// c, s or b (Lahcen, Lahsen, Lahbib = al-Hasan, al-Habib) — not la- before
// other letters (Larsen would read Rsen; Lahtinen, Lahmann, Lahham are
// names of their own).
std::string_view WithoutJoinedArticle(std::string_view t) {
  if (t.size() < 4 || t[0] != 'l' || t[1] < 'a' || t[1] > 'z') return "";
  if (t.size() >= 6 && StartsWith(t, "lah") &&
      (t[3] == 'c' || t[3] == 's' || t[3] == 'b'))
    return t.substr(2);
  if (IsLatinVowel(t[1]) || t[1] == 'j' || t[1] == 'v' || t[1] == 'l' ||
      t[1] == 'y' || t[1] == 'w')
    return "";
  if (t[1] == 'h' &&
      !(t[2] == 'a' || t[2] == 'i' || StartsWith(t.substr(2), "ou")))
    return "";
  return t.substr(1);
}

// Returns a Latin token that mixes letters and fewer digits, and ends in a
// letter, with the digits that stand in for letters read as letters (Ig0r
// Sech1n, 4li: 0 o, 1 i, 3 e, 4 a, 5 s, 7 t, 9 g), or "" when there is
// nothing to read so (Area51, Studio54 end in their number).
std::string LettersForDigits(std::string_view t) {
  if (t.empty() || t.back() < 'a' || t.back() > 'z') return "";
  size_t letters = 0, digits = 0;
  for (const char c : t) {
    letters += c >= 'a' && c <= 'z';
    digits += c >= '0' && c <= '9';
  }
  if (digits == 0 || letters <= digits) return "";
  std::string out(t);
  for (char& c : out) {
    switch (c) {
      case '0':
        c = 'o';
        break;
      case '1':
        c = 'i';
        break;
      case '3':
        c = 'e';
        break;
      case '4':
        c = 'a';
        break;
      case '5':
        c = 's';
        break;
      case '7':
        c = 't';
        break;
      case '9':
        c = 'g';
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace

std::string_view ParticleCode(Particle p) {
  switch (p) {
    case Particle::kNone:
      return "";
    case Particle::kAbd:
      return "abd";
    case Particle::kAbu:
      return "abu";
    case Particle::kBin:
      return "bn";
    case Particle::kBint:
      return "bnt";
    case Particle::kOuld:
      return "uld";
    case Particle::kAit:
      return "ait";
  }
  return "";
}

std::string_view ParticleName(Particle p) {
  switch (p) {
    case Particle::kNone:
      return "";
    case Particle::kAbd:
      return "abd";
    case Particle::kAbu:
      return "abu";
    case Particle::kBin:
      return "bin";
    case Particle::kBint:
      return "bint";
    case Particle::kOuld:
      return "ould";
    case Particle::kAit:
      return "ait";
  }
  return "";
}

std::string TokenCode(std::string_view normalized_token) {
  size_t pos = 0;
  const char32_t first =
      normalized_token.empty() ? 0 : DecodeUtf8(normalized_token, &pos);
  return IsArabicLetter(first) ? ArabicPhoneticCode(normalized_token)
                               : LatinPhoneticCode(normalized_token);
}

namespace {

// Writes company legal forms in one way ("Aktiengesellschaft" -> "ag",
// "joint stock company" -> "jsc", "S.A." at the end -> "sa").
void CanonicalizeLegalForms(std::vector<RawToken>* raw) {
  struct Form {
    std::initializer_list<std::string_view> words;
    std::string_view canonical;
    bool at_end_only;
  };
  static const Form kForms[] = {
      // Joint-stock companies in every form as one: open, closed, public
      // (Russian OAO) name the same company as the plain form on another
      // list (OAO Gazprom ~ Gazprom JSC).
      {{"open", "joint", "stock", "company"}, "jsc", false},
      {{"closed", "joint", "stock", "company"}, "jsc", false},
      {{"public", "joint", "stock", "company"}, "jsc", false},
      {{"joint", "stock", "company"}, "jsc", false},
      {{"ojsc"}, "jsc", false},
      {{"cjsc"}, "jsc", false},
      {{"pjsc"}, "jsc", false},
      {{"oao"}, "jsc", false},  // (not zao, pao: romanised Chinese names)
      {{"ooo"}, "llc", false},
      {{"limited", "liability", "company"}, "llc", false},
      {{"public", "limited", "company"}, "plc", false},
      {{"gesellschaft", "mit", "beschrankter", "haftung"}, "gmbh", false},
      {{"societatea", "cu", "raspundere", "limitata"}, "srl", false},
      {{"sp", "z", "o", "o"}, "spzoo", true},
      {{"s", "a", "r", "l"}, "sarl", true},
      {{"l", "l", "c"}, "llc", true},
      {{"p", "l", "c"}, "plc", true},
      {{"s", "a"}, "sa", true},
      {{"l", "p"}, "lp", true},
      {{"aktiengesellschaft"}, "ag", false},
      {{"limited"}, "ltd", false},
      {{"incorporated"}, "inc", false},
      {{"corporation"}, "corp", false},
      {{"company"}, "co", false},
  };
  std::vector<RawToken> out;
  out.reserve(raw->size());
  for (size_t i = 0; i < raw->size();) {
    bool replaced = false;
    for (const Form& f : kForms) {
      const size_t n = f.words.size();
      if (i + n > raw->size() || (f.at_end_only && i + n != raw->size()))
        continue;
      bool all = true;
      size_t k = i;
      for (const std::string_view w : f.words) {
        if ((*raw)[k].script != TokenScript::kLatin || (*raw)[k].text != w) {
          all = false;
          break;
        }
        ++k;
      }
      if (!all || (n == 1 && raw->size() == 1)) continue;
      out.push_back(RawToken{std::string(f.canonical), TokenScript::kLatin});
      i += n;
      replaced = true;
      break;
    }
    if (!replaced) out.push_back(std::move((*raw)[i++]));
  }
  *raw = std::move(out);
}

// The value of an English number word below 100 that names organisations
// spell out (Brigade Forty-Four, Three Percenters, First Bank, 4th
// Battalion), or -1. With `after_tens`, the units that may follow a tens
// word (twenty one, twenty-first). Not words that are also names: "one",
// "ten" (a Dutch particle: ten Brink), "six" (a French surname), "seven" (a
// Turkish given name).
int NumberWordValue(std::string_view t, bool after_tens = false) {
  static const std::pair<std::string_view, int> kWords[] = {
      {"two", 2},        {"three", 3},     {"four", 4},      {"five", 5},
      {"eight", 8},      {"nine", 9},      {"eleven", 11},   {"twelve", 12},
      {"thirteen", 13},  {"fourteen", 14}, {"fifteen", 15},  {"sixteen", 16},
      {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},
      {"thirty", 30},    {"forty", 40},    {"fourty", 40},   {"fifty", 50},
      {"sixty", 60},     {"seventy", 70},  {"eighty", 80},   {"ninety", 90},
      {"first", 1},      {"second", 2},    {"third", 3},     {"fourth", 4},
      {"fifth", 5},      {"sixth", 6},     {"seventh", 7},   {"eighth", 8},
      {"ninth", 9}};
  static const std::pair<std::string_view, int> kUnitsAfterTens[] = {
      {"one", 1}, {"six", 6}, {"seven", 7}};
  for (const auto& [word, value] : kWords) {
    if (t == word) return value;
  }
  if (after_tens) {
    for (const auto& [word, value] : kUnitsAfterTens) {
      if (t == word) return value;
    }
  }
  return -1;
}

// Writes numbers one way: number words as digits, a tens word followed by a
// unit (word, ordinal or digit) as one number (forty four, forty-four, forty
// 4 -> 44; twenty-first -> 21), and ordinal digits without their suffix
// (1st -> 1). Only in a name of two Latin tokens or more (a lone "Nine"
// stays a name); runs after titles are dropped.
void CanonicalizeNumbers(std::vector<RawToken>* raw) {
  const size_t latin = static_cast<size_t>(std::count_if(
      raw->begin(), raw->end(),
      [](const RawToken& r) { return r.script == TokenScript::kLatin; }));
  if (latin < 2) return;
  const auto ordinal_digits = [](std::string_view t) -> std::string {
    size_t d = 0;
    while (d < t.size() && t[d] >= '0' && t[d] <= '9') ++d;
    if (d == 0 || d + 2 != t.size()) return "";
    const std::string_view suffix = t.substr(d);
    if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th")
      return std::string(t.substr(0, d));
    return "";
  };
  std::vector<RawToken> out;
  out.reserve(raw->size());
  for (size_t i = 0; i < raw->size(); ++i) {
    RawToken& r = (*raw)[i];
    if (r.script != TokenScript::kLatin) {
      out.push_back(std::move(r));
      continue;
    }
    if (std::string digits = ordinal_digits(r.text); !digits.empty()) {
      out.push_back(RawToken{std::move(digits), TokenScript::kLatin});
      continue;
    }
    int value = NumberWordValue(r.text);
    if (value < 0) {
      out.push_back(std::move(r));
      continue;
    }
    if (value >= 20 && value % 10 == 0 && i + 1 < raw->size() &&
        (*raw)[i + 1].script == TokenScript::kLatin) {
      const std::string& next = (*raw)[i + 1].text;
      const std::string next_digits = ordinal_digits(next);
      const std::string_view unit_text =
          next_digits.empty() ? std::string_view(next) : next_digits;
      const int unit =
          unit_text.size() == 1 && unit_text[0] >= '1' && unit_text[0] <= '9'
              ? unit_text[0] - '0'
              : NumberWordValue(unit_text, /*after_tens=*/true);
      if (unit >= 1 && unit <= 9) {
        value += unit;
        ++i;
      }
    }
    out.push_back(RawToken{std::to_string(value), TokenScript::kLatin});
  }
  *raw = std::move(out);
}

// Appends the tokens of `normalized` (NormalizeName's text) to `*result`.
void AnalyzeNormalized(const std::string& normalized, AnalyzedName* out) {
  AnalyzedName& result = *out;
  std::vector<RawToken> raw = SplitTokens(normalized);
  CanonicalizeLegalForms(&raw);

  // Drop courtesy titles while another token remains.
  if (raw.size() > 1) {
    std::vector<RawToken> kept;
    for (auto& r : raw) {
      if (r.script == TokenScript::kLatin && IsTitle(r.text)) continue;
      kept.push_back(std::move(r));
    }
    if (!kept.empty()) raw = std::move(kept);
  }
  CanonicalizeNumbers(&raw);

  bool pending_article = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    const RawToken& r = raw[i];
    const bool has_next = i + 1 < raw.size();
    const std::string_view next_text =
        has_next ? std::string_view(raw[i + 1].text) : "";
    const bool next_same_script = has_next && raw[i + 1].script == r.script;

    if (r.script == TokenScript::kLatin) {
      const std::string& t = r.text;
      if (has_next && next_same_script &&
          (IsLatinArticle(t) || IsAssimilatedArticle(t, next_text))) {
        pending_article = true;
        continue;
      }
      if (const auto particle = LatinParticleWord(t);
          particle && has_next && next_same_script) {
        // Particle + (article) + name.
        size_t j = i + 1;
        bool article = false;
        if (j + 1 < raw.size() && raw[j + 1].script == r.script &&
            (IsLatinArticle(raw[j].text) ||
             IsAssimilatedArticle(raw[j].text, raw[j + 1].text))) {
          article = true;
          ++j;
        }
        std::string core = raw[j].text;
        if (*particle == Particle::kAbd) core = StripLatinCoreArticle(core);
        // ben + abd (+ article) + name: one compound whose core is the abd
        // compound, coded as the joined forms are ("ben abd al-qadir" ~
        // "ben abdelkader" ~ "benabdelkader").
        if (TakesAbdCore(*particle) && !article &&
            LatinParticleWord(raw[j].text) == Particle::kAbd) {
          size_t k = j + 1;
          if (k + 1 < raw.size() && raw[k + 1].script == r.script &&
              raw[k].script == r.script &&
              (IsLatinArticle(raw[k].text) ||
               IsAssimilatedArticle(raw[k].text, raw[k + 1].text))) {
            ++k;
          }
          if (k < raw.size() && raw[k].script == r.script &&
              !LatinParticleWord(raw[k].text).has_value() &&
              !IsLatinArticle(raw[k].text)) {
            const std::string inner = StripLatinCoreArticle(raw[k].text);
            NameToken tok =
                MakeToken(t + raw[j].text + inner, raw[j].text + inner,
                          r.script, *particle, pending_article);
            SetCoreCode(tok, LatinAbdCoreCode(inner));
            result.tokens.push_back(std::move(tok));
            pending_article = false;
            i = k;
            continue;
          }
        }
        if (LatinParticleWord(raw[j].text).has_value() ||
            IsLatinArticle(core)) {
          // "abu bin x": keep the first particle as an ordinary token.
        } else {
          NameToken tok = MakeToken(t + core, core, r.script, *particle,
                                    pending_article || article);
          result.tokens.push_back(std::move(tok));
          pending_article = false;
          i = j;
          continue;
        }
      }
      if (auto core = LatinAbdCore(t)) {
        result.tokens.push_back(
            MakeToken(t, *core, r.script, Particle::kAbd, pending_article));
        pending_article = false;
        continue;
      }
      // Joined ben + abd compound: "benabdelkader", "binabdallah".
      if (auto core = JoinedBinAbd(t)) {
        result.tokens.push_back(
            MakeToken(t, *core, r.script, Particle::kBin, pending_article));
        pending_article = false;
        continue;
      }
      if (auto core = LatinAbuCore(t)) {
        result.tokens.push_back(
            MakeToken(t, *core, r.script, Particle::kAbu, pending_article));
        pending_article = false;
        continue;
      }
      NameToken tok =
          MakeToken(t, t, r.script, Particle::kNone, pending_article);
      if (t.size() >= 5 && (StartsWith(t, "al") || StartsWith(t, "el"))) {
        tok.AddAltCode(LatinPhoneticCode(std::string_view(t).substr(2)));
      } else if (pending_article && t.size() >= 3 &&
                 (IsLatinVowel(t[0]) || t[0] == 'h')) {
        // The Maghrebi spelling joins the article as l- before a vowel or h
        // (al-Hasan = Lahcen, al-Arabi = Larbi, al-Amin = Lamine, al-Akhdar
        // = Lakhdar); before a consonant the other side's l is read off
        // (WithoutJoinedArticle: Lmahdi).
        tok.AddAltCode(LatinPhoneticCode("l" + t));
      }
      result.tokens.push_back(std::move(tok));
      pending_article = false;
      continue;
    }

    // Arabic script.
    const std::string& t = r.text;
    if (t == kArAl && has_next && next_same_script) {
      pending_article = true;
      continue;
    }
    // بن + عبد + (ال)name: one compound whose core is the abd compound, as
    // in Latin ("ben abd al-qadir").
    if (const auto particle = ArabicParticleWord(t);
        particle && TakesAbdCore(*particle) && has_next && next_same_script &&
        ArabicParticleWord(next_text) == Particle::kAbd && i + 2 < raw.size() &&
        raw[i + 2].script == r.script && !ArabicParticleWord(raw[i + 2].text) &&
        raw[i + 2].text != kArAl) {
      const std::string inner = StripArabicArticle(raw[i + 2].text, nullptr);
      NameToken tok = MakeToken(t + std::string(next_text) + raw[i + 2].text,
                                std::string(next_text) + inner, r.script,
                                *particle, pending_article);
      SetCoreCode(tok, std::string(ParticleCode(Particle::kAbd)) +
                           ArabicPhoneticCode(inner));
      result.tokens.push_back(std::move(tok));
      pending_article = false;
      i += 2;
      continue;
    }
    if (const auto particle = ArabicParticleWord(t);
        particle && has_next && next_same_script &&
        !ArabicParticleWord(next_text)) {
      bool stripped = false;
      std::string core = StripArabicArticle(next_text, &stripped);
      result.tokens.push_back(MakeToken(t + std::string(next_text), core,
                                        r.script, *particle,
                                        pending_article || stripped));
      pending_article = false;
      ++i;
      continue;
    }
    bool joined_done = false;
    for (const auto& [prefix, particle] : {std::pair{kArAbd, Particle::kAbd},
                                           std::pair{kArAbu, Particle::kAbu}}) {
      if (StartsWith(t, prefix) &&
          CountCodePoints(t) >= CountCodePoints(prefix) + 3) {
        bool stripped = false;
        std::string core =
            StripArabicArticle(t.substr(prefix.size()), &stripped);
        if (!stripped && StartsWith(t.substr(prefix.size()), kArAl)) {
          core = t.substr(prefix.size() + kArAl.size());  // عبدالله -> له
        }
        result.tokens.push_back(
            MakeToken(t, core, r.script, particle, pending_article));
        joined_done = true;
        break;
      }
    }
    if (joined_done) {
      pending_article = false;
      continue;
    }
    bool stripped = false;
    std::string core = StripArabicArticle(t, &stripped);
    NameToken tok = MakeToken(core, core, r.script, Particle::kNone,
                              pending_article || stripped);
    if (stripped) tok.AddAltCode(ArabicPhoneticCode(t));
    result.tokens.push_back(std::move(tok));
    pending_article = false;
  }
}

}  // namespace

AnalyzedName AnalyzeName(std::string_view name) {
  AnalyzedName result;
  result.original = std::string(name);
  bool spelt = false;
  result.normalized = NormalizeName(name, LatinMarks::kSpell, &spelt);
  AnalyzeNormalized(result.normalized, &result);
  // The other ways each token is also written, as alternative codes.
  for (NameToken& t : result.tokens) {
    if (t.particle != Particle::kNone || t.number) continue;
    if (t.script == TokenScript::kArabic) {
      // بلقاسم is أبو القاسم.
      if (const std::string_view core = ArabicBelCore(t.text); !core.empty()) {
        t.AddAltCode(std::string(ParticleCode(Particle::kAbu)) +
                     ArabicPhoneticCode(core));
      }
      continue;
    }
    // Digits standing in for letters (Ig0r Sech1n).
    if (const std::string read = LettersForDigits(t.text); !read.empty())
      t.AddAltCode(LatinPhoneticCode(read));
    // The French colonial rh for غ (Mrhari = Maghari).
    if (const std::string gh = RhAsGh(t.text); !gh.empty())
      t.AddAltCode(LatinPhoneticCode(gh));
    // Bou-/Bel- for abu / abu al- (Boubker = Abu Bakr, Belkacem = Abu
    // al-Qasim).
    if (const std::string core = BouBelCore(t.text); !core.empty()) {
      t.AddAltCode(std::string(ParticleCode(Particle::kAbu)) +
                   LatinPhoneticCode(core));
    }
    // Lhoussaine = (al-)Husayn, Lahcen = (al-)Hasan: the name without the
    // joined article.
    if (const std::string_view bare = WithoutJoinedArticle(t.text);
        !bare.empty())
      t.AddAltCode(LatinPhoneticCode(bare));
    // zh read letter by letter (Zhor = زهور).
    if (const std::string zh = ZhApart(t.text); !zh.empty())
      t.AddAltCode(LatinPhoneticCode(zh));
  }
  if (spelt) {
    // The name as a machine-readable zone writes it (VUCIC for Vučić): each
    // token it changes gets that spelling's code as an alternative code, so
    // that both spellings match it.
    AnalyzedName dropped;
    AnalyzeNormalized(NormalizeName(name, LatinMarks::kDrop), &dropped);
    if (dropped.tokens.size() == result.tokens.size()) {
      for (size_t i = 0; i < result.tokens.size(); ++i) {
        NameToken& t = result.tokens[i];
        const NameToken& d = dropped.tokens[i];
        // (The same token in both: same script, particle and article.)
        if (d.script == t.script && d.particle == t.particle &&
            d.article == t.article && d.number == t.number)
          t.AddAltCode(d.code);
      }
    }
  }
  return result;
}

NameToken JoinTokens(const NameToken& a, const NameToken& b) {
  if (a.script != b.script) return a;
  AnalyzedName joined = AnalyzeName(a.text + b.text);
  if (joined.tokens.empty()) return a;
  NameToken tok = std::move(joined.tokens.front());
  tok.article = tok.article || a.article;
  return tok;
}

}  // namespace jisr::names
