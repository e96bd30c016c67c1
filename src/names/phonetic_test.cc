#include "names/phonetic.h"

#include <gtest/gtest.h>

#include "names/normalize.h"

namespace jisr::names {
namespace {

std::string Ar(const char* s) { return ArabicPhoneticCode(NormalizeName(s)); }

TEST(LatinPhoneticCodeTest, Digraphs) {
  EXPECT_EQ(LatinPhoneticCode("chaker"), "caker");  // ch -> c (sh)
  EXPECT_EQ(LatinPhoneticCode("shaker"), "caker");
  EXPECT_EQ(LatinPhoneticCode("djamel"), "jamel");    // dj -> j
  EXPECT_EQ(LatinPhoneticCode("khaled"), "xaled");    // kh -> x
  EXPECT_EQ(LatinPhoneticCode("ghali"), "gali");      // gh -> g
  EXPECT_EQ(LatinPhoneticCode("tharwat"), "Tarwat");  // th -> T
  EXPECT_EQ(LatinPhoneticCode("dhafer"), "Dafer");    // dh -> D
  EXPECT_EQ(LatinPhoneticCode("philippe"), "filip");  // ph -> f, silent e
  EXPECT_EQ(LatinPhoneticCode("christine"), "kristin");
}

TEST(LatinPhoneticCodeTest, VowelsAndSemivowels) {
  EXPECT_EQ(LatinPhoneticCode("youssef"), "yusef");  // ou -> u, ss -> s
  EXPECT_EQ(LatinPhoneticCode("ouahid"), "wahid");   // initial ou + vowel -> w
  EXPECT_EQ(LatinPhoneticCode("mohammed"), "mohamed");  // doubled letters
  EXPECT_EQ(LatinPhoneticCode("saeed"), "said");        // ee -> i
  EXPECT_EQ(LatinPhoneticCode("abderrahmane"), "abderahman");  // silent final e
  EXPECT_EQ(LatinPhoneticCode("sayed"), "sayed");  // y between vowels
  EXPECT_EQ(LatinPhoneticCode("yassine"), "yasin");
}

TEST(LatinPhoneticCodeTest, SoftAndHardC) {
  EXPECT_EQ(LatinPhoneticCode("youcef"), "yusef");
  EXPECT_EQ(LatinPhoneticCode("karim"), LatinPhoneticCode("carim"));
  EXPECT_EQ(LatinPhoneticCode("qasim"), "qasim");
}

TEST(ArabicPhoneticCodeTest, Letters) {
  EXPECT_EQ(Ar("محمد"), "mhmd");
  EXPECT_EQ(Ar("يوسف"), "yusf");  // initial yeh y, medial waw u
  EXPECT_EQ(Ar("حسين"), "hsin");
  EXPECT_EQ(Ar("مروان"), "mrwan");  // waw before alef is w
  EXPECT_EQ(Ar("فاطمة"), "fatma");  // teh marbuta -> "a" (fatima, faiza)
  EXPECT_EQ(Ar("عمر"), "Emr");      // ain
  EXPECT_EQ(Ar("خالد"), "xald");
  EXPECT_EQ(Ar("قاسم"), "qasm");
  EXPECT_EQ(Ar("ثروت"), "Trut");     // medial waw read as a vowel
  EXPECT_EQ(Ar("تشيكوف"), "cikuf");  // تش -> ch
}

TEST(ArabicPhoneticCodeTest, FinalHehIsAVowel) {
  // A final heh after a consonant writes a vowel (teh marbuta, or the final
  // e of a foreign name): no h that Latin spellings leave out.
  EXPECT_EQ(Ar("فايزه"), "fayza");
  EXPECT_EQ(Ar("تبه"), "tba");
  // After a long vowel it stays a consonant.
  EXPECT_EQ(Ar("وجيه"), "wjih");
}

TEST(ArabicPhoneticCodeTest, InitialAlefCarryingAVowel) {
  // Initial او / اي before a consonant: the vowel (o/u, i/e) alone.
  EXPECT_EQ(Ar("اوليفر"), "ulifr");
  EXPECT_EQ(Ar("ايزابيل"), "izabil");
  EXPECT_EQ(Ar("ايمن"), "imn");
  // Before a vowel letter the semivowel stays: اياد, اوان.
  EXPECT_EQ(Ar("اياد"), "ayad");
  EXPECT_EQ(Ar("اوان"), "awan");
}

TEST(LatinPhoneticCodeTest, ItalianDoubleC) {
  EXPECT_EQ(LatinPhoneticCode("puccio"), "pucio");     // cci -> ch
  EXPECT_EQ(LatinPhoneticCode("boccelli"), "boceli");  // cce -> ch
  EXPECT_EQ(LatinPhoneticCode("picchio"), "pikio");    // cch -> k
  EXPECT_EQ(LatinPhoneticCode("ricardo"), "rikardo");
}

TEST(SpanishReadingTest, ReadsNamesTheSpanishWay) {
  EXPECT_EQ(SpanishReading("juan"), "khuan");         // j (ua)
  EXPECT_EQ(SpanishReading("jorge"), "khorkhi");      // j, ge, final e
  EXPECT_EQ(SpanishReading("sergio"), "serkhio");     // gi (-o)
  EXPECT_EQ(SpanishReading("guillermo"), "giyermo");  // gui, ll
  EXPECT_EQ(SpanishReading("vallejo"), "bayekho");    // v, ll, j
  EXPECT_EQ(SpanishReading("enrique"), "enriki");     // que, final e
  EXPECT_EQ(SpanishReading("borges"), "borkhes");     // -es with soft g
  EXPECT_EQ(SpanishReading("jimenez"), "khimenez");   // -ez
  EXPECT_EQ(SpanishReading("joaquin"), "khoakin");    // oa, qui
  EXPECT_EQ(SpanishReading("pasqualo"), "pasqualo");  // qua: not k
  EXPECT_EQ(SpanishReadingCode("juan"), LatinPhoneticCode("khuan"));
  // Without Spanish morphology nothing is read: names of Arabic origin
  // written in Latin keep their j (خليل Khalil is not Jalil), and so do
  // their French spellings (dj, ou) and English names whose only cue is a
  // j with -es or a final e (James read "khames" would be خميس Khamis).
  for (const char* name :
       {"jamal",  "jalil",   "najib", "najla",  "jellal", "jaber",   "hajar",
        "jamila", "khadija", "jihad", "jaouad", "djamel", "djaouad", "najoua",
        "jihane", "najate",  "james", "jane",   "jake",   "jude",    "jones"}) {
    EXPECT_EQ(SpanishReading(name), name) << name;
    EXPECT_EQ(SpanishReadingCode(name), "") << name;
  }
  // A final e alone is no reason to read a word the Spanish way (Moore,
  // Irene: silent; Vicente فيسنتي is close as it is).
  for (const char* name : {"vicente", "moore", "irene", "eide"})
    EXPECT_EQ(SpanishReading(name), name) << name;
  // Spanish morphology without anything to read differently.
  EXPECT_EQ(SpanishReadingCode("pedro"), "");
  // Not lower-case ASCII letters, or too short: returned as given.
  for (const char* text : {"", "j12o", "jos\xc3\xa9", "jo"})
    EXPECT_EQ(SpanishReading(text), text) << text;
  EXPECT_EQ(SpanishReading("jue"), "khue");  // three letters with ue
}

TEST(FrenchReadingTest, ReadsNamesTheFrenchWay) {
  EXPECT_EQ(FrenchReading("francois"), "franswa");  // c before oi, oi, -s
  EXPECT_EQ(FrenchReading("dubois"), "dubwa");
  EXPECT_EQ(FrenchReading("thibault"), "tibo");      // th, -ault
  EXPECT_EQ(FrenchReading("renaud"), "rouno");       // mute e, au, -d
  EXPECT_EQ(FrenchReading("vincent"), "vinsan");     // soft c, nasal en, -t
  EXPECT_EQ(FrenchReading("didier"), "didih");       // closed e of -ier
  EXPECT_EQ(FrenchReading("jacquet"), "jakih");      // qu, closed e of -et
  EXPECT_EQ(FrenchReading("guillaume"), "guiyome");  // ill + vowel, au
  EXPECT_EQ(FrenchReading("bertrand"), "bertran");   // -d after n
  EXPECT_EQ(FrenchReading("bernard"), "bernar");     // -d after r
  EXPECT_EQ(FrenchReading("petit"), "pouti");        // mute e, -t
  // Names of Arabic origin keep their endings and vowels.
  EXPECT_EQ(FrenchReading("walid"), "walid");
  EXPECT_EQ(FrenchReading("younis"), "younis");
  EXPECT_EQ(FrenchReadingCode("hussein"), "");
  EXPECT_EQ(FrenchReadingCode("amin"), "");
  // Digits: not a word to read.
  EXPECT_EQ(FrenchReading("a12"), "a12");
  // The code of the reading, or nothing when it reads the same.
  EXPECT_EQ(FrenchReadingCode("dubois"), "dubwa");
  EXPECT_EQ(FrenchReadingCode("karim"), "");
}

TEST(SkeletonKeyTest, CrossScriptFamiliesShareAKey) {
  EXPECT_EQ(SkeletonKey(Ar("محمد")), "mhmd");
  EXPECT_EQ(SkeletonKey(LatinPhoneticCode("mohamed")), "mhmd");
  EXPECT_EQ(SkeletonKey(LatinPhoneticCode("muhammad")), "mhmd");
  EXPECT_EQ(SkeletonKey(LatinPhoneticCode("mhamed")), "mhmd");
  EXPECT_EQ(SkeletonKey(Ar("يوسف")), SkeletonKey(LatinPhoneticCode("youcef")));
  EXPECT_EQ(SkeletonKey(Ar("حسين")), SkeletonKey(LatinPhoneticCode("hocine")));
  EXPECT_EQ(SkeletonKey(Ar("قاسم")), SkeletonKey(LatinPhoneticCode("kacem")));
}

TEST(PhoneticSimilarityTest, ArabicShortVowelsCostLittle) {
  const double s =
      PhoneticSimilarity("mohamed", "mhmd", CodePair::kLatinArabic);
  EXPECT_GT(s, 0.9);
  EXPECT_NEAR(s, PhoneticSimilarity("mhmd", "mohamed", CodePair::kArabicLatin),
              1e-9);
  // The same vowels matter more between two Latin spellings.
  EXPECT_LT(PhoneticSimilarity("mohamed", "mhmd", CodePair::kSameScript), s);
}

TEST(PhoneticSimilarityTest, CloseSoundsAreCheap) {
  EXPECT_GT(PhoneticSimilarity("qasim", "kasim", CodePair::kSameScript), 0.95);
  EXPECT_GT(PhoneticSimilarity("Tarwat", "tarwat", CodePair::kSameScript), 0.9);
  EXPECT_LT(PhoneticSimilarity("kamal", "jamal", CodePair::kSameScript), 0.85);
}

TEST(PhoneticSimilarityTest, BoundsAndEmpty) {
  EXPECT_EQ(PhoneticSimilarity("", "", CodePair::kSameScript), 1.0);
  EXPECT_EQ(PhoneticSimilarity("abc", "abc", CodePair::kSameScript), 1.0);
  EXPECT_EQ(PhoneticSimilarity("", "mhmd", CodePair::kSameScript), 0.0);
  EXPECT_GE(PhoneticSimilarity("zzzz", "aaaa", CodePair::kSameScript), 0.0);
}

TEST(PhoneticSimilarityTest, EarlyStopStaysBelowTheFloor) {
  const double exact =
      PhoneticSimilarity("mohamed", "kristin", CodePair::kSameScript);
  const double cut =
      PhoneticSimilarity("mohamed", "kristin", CodePair::kSameScript, 0.6);
  EXPECT_LT(exact, 0.6);
  EXPECT_LT(cut, 0.6);
  // Above the floor the result is exact.
  EXPECT_DOUBLE_EQ(
      PhoneticSimilarity("mohamed", "muhamad", CodePair::kSameScript, 0.6),
      PhoneticSimilarity("mohamed", "muhamad", CodePair::kSameScript));
}

}  // namespace
}  // namespace jisr::names
