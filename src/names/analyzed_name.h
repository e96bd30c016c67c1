// A person name analysed for matching: normalised (see normalize.h), split
// into tokens, with name particles and compounds resolved and a phonetic code
// (see phonetic.h) per token.
//
// Tokenisation rules:
//   - "LAST, FIRST" (exactly one comma) is read as "FIRST LAST"; other commas
//     separate tokens.
//   - Spaces and hyphens separate tokens; apostrophes inside a token vanish
//     ("M'hamed" -> "mhamed"); a change between Latin and Arabic script
//     splits a token.
//   - Courtesy titles (mr, mrs, ms, dr, prof, monsieur, madame, ...) are
//     dropped when another token remains.
//   - The Arabic article (al, el, ul; assimilated ar-, as-, ad-, ash-, ...
//     before a word starting with that consonant; Arabic-script ال, written
//     apart or joined) is removed and remembered as `article`. A Latin token
//     with a joined "al"/"el" (alassad) keeps its code and gets the code
//     without the article as an alternative code (`alt_codes`); an Arabic
//     one with a joined ال gets the stripped code as `code` and the full one
//     as an alternative (الياس). A Latin token whose article was written
//     apart gets the Maghrebi joined form l- + name as an alternative.
//   - Compounds: abd/abdel/abdul/abdoul/abder/... + the next token, and the
//     joined forms (abdellatif, abderrahmane, abdulhai, عبدالله) become one
//     token with particle kAbd whose core is the following name without its
//     article (abd el-Latif = Abdul Latif = Abdellatif = عبد اللطيف);
//     abu/abou/أبو + name (also joined: aboubakr, ابوبكر) give kAbu;
//     ben/bin/ibn/بن/ابن + name give kBin; bent/bint/بنت give kBint;
//     ould/ولد give kOuld; ait/aït/آيت give kAit. The code of a compound is
//     a canonical particle code ("abd", "abu", "bn", "bnt", "uld", "ait")
//     followed by the code of its core, so spelling differences of the
//     particle itself do not count.
//   - Legal forms are written one way (aktiengesellschaft -> ag, limited ->
//     ltd, joint stock company, open/public joint stock company and OAO ->
//     jsc, OOO -> llc, S.A. at the end -> sa, ...).
//   - In a name of two Latin tokens or more (after titles are dropped),
//     numbers are written one way: English number words as digits (not
//     one, six, seven, ten: also names), a tens word and a unit as one
//     number (forty-four, twenty-first -> 44, 21), ordinal digits without
//     suffix (4th -> 4).
//   - A Latin token without particle that mixes letters and fewer digits
//     and ends in a letter (Ig0r, Sech1n) gets the code of its digits read
//     as letters (0 o, 1 i, 3 e, 4 a, 5 s, 7 t, 9 g) as an alternative
//     code; a Latin token whose c s z carried marks gets the code of the
//     spelling without them; and the Maghrebi spellings: rh between a
//     consonant and a vowel as gh, zh as z + h, Bou-/Bel- + consonant as
//     abu, an l joined to a consonant as the article (see `alt_codes`).
//   - Legal-form words (ltd, llc, gmbh, jsc, ...) and European particles
//     (de, van, von, der, da, ...) stay, with a low weight; a lone particle at
//     the end of a name (e.g. "abdul") is an ordinary token.
//
// Thread-safety: AnalyzeName is a pure function; AnalyzedName is a value.
#ifndef JISR_NAMES_ANALYZED_NAME_H_
#define JISR_NAMES_ANALYZED_NAME_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jisr::names {

enum class TokenScript : uint8_t { kLatin, kArabic };

enum class Particle : uint8_t { kNone, kAbd, kAbu, kBin, kBint, kOuld, kAit };

// Returns the canonical phonetic code of a particle ("" for kNone).
std::string_view ParticleCode(Particle p);
// Returns a short English name of the particle ("abd", "abu", "bin", ...).
std::string_view ParticleName(Particle p);

struct NameToken {
  // Normalised surface text of the whole token, particle included
  // ("abdellatif", "عبداللطيف"), without the article.
  std::string text;
  // Surface text of the core (the name after the particle), or `text`.
  std::string core_text;
  // Phonetic code of the token: ParticleCode(particle) + core_code.
  std::string code;
  // Phonetic code of the core.
  std::string core_code;
  // Alternative phonetic codes, each a way the same name is also written
  // (see the rules above), none equal to `code`, no two alike: the code
  // without or with a joined article, the spelling with marks dropped
  // (Vučić -> vucic, as a passport's machine-readable zone writes it),
  // digits read as letters, the Maghrebi spellings (rh for gh, zh apart,
  // Bou-/Bel- for abu, the article joined as l). Usually none or one.
  std::vector<std::string> alt_codes;
  // For a Latin token without particle: the code of its French reading
  // (FrenchReadingCode in phonetic.h: how Arabic script writes the name by
  // sound), compared with Arabic-script tokens only; empty when the same.
  std::string french_code;
  // The same for its Spanish reading (SpanishReadingCode: Juan ~ خوان).
  std::string spanish_code;
  TokenScript script = TokenScript::kLatin;
  Particle particle = Particle::kNone;
  // True when an article (al-, el-, ال) preceded or was joined to the token.
  bool article = false;
  // True for a single Latin letter (an initial, "J." in "J.-C. Juncker").
  bool initial = false;
  // True for a token made only of digits.
  bool number = false;
  // Weight of the token in a name score: 1 for names, 0.3 for legal-form
  // words and European particles.
  double weight = 1.0;

  // Adds `alt` to alt_codes unless it is empty, `code` or there already.
  void AddAltCode(std::string alt) {
    if (alt.empty() || alt == code) return;
    for (const std::string& a : alt_codes)
      if (a == alt) return;
    alt_codes.push_back(std::move(alt));
  }

  // The codes of its readings (french_code, spanish_code; empty when it
  // reads as written), for the places that treat them alike.
  std::array<const std::string*, 2> readings() const {
    return {&french_code, &spanish_code};
  }
};

struct AnalyzedName {
  // The name as given.
  std::string original;
  // NormalizeName(original).
  std::string normalized;
  std::vector<NameToken> tokens;
};

// Analyses `name` (any script, UTF-8; invalid bytes act as separators).
// Never fails; a name with no letters gives no tokens.
AnalyzedName AnalyzeName(std::string_view name);

// Returns the phonetic code of a normalised single token in either script.
std::string TokenCode(std::string_view normalized_token);

// Returns the token read from the concatenated texts of `a` and `b` ("abdul"
// + "hai" -> the compound "abdulhai"); the article flag is kept from `a`.
// Tokens of different scripts give `a` unchanged.
NameToken JoinTokens(const NameToken& a, const NameToken& b);

}  // namespace jisr::names

#endif  // JISR_NAMES_ANALYZED_NAME_H_
