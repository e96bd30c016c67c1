#include "screening/index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "screening/batch.h"

namespace jisr::screening {
namespace {

Person P(std::string id, std::vector<std::string> names, std::string birth = "",
         std::vector<std::string> nationalities = {},
         Gender gender = Gender::kUnknown,
         std::vector<std::string> documents = {}) {
  Person p;
  p.id = std::move(id);
  p.names = std::move(names);
  if (!birth.empty()) p.birth_date = *ParsePartialDate(birth);
  p.nationalities = std::move(nationalities);
  p.gender = gender;
  p.documents = std::move(documents);
  return p;
}

std::vector<std::string> Ids(const std::vector<Match>& matches) {
  std::vector<std::string> ids;
  for (const auto& m : matches) ids.push_back(m.person_id);
  return ids;
}

// Synthetic watch list (invented names).
std::vector<Person> SampleList() {
  return {
      P("w1", {"Youcef Abdellatif Benali", "يوسف عبد اللطيف بن علي"},
        "1980-03-14", {"DZ"}, Gender::kMale, {"P1234567"}),
      P("w2", {"Karim Bouzid"}, "1975", {"MA"}, Gender::kMale),
      P("w3", {"Fatima Zahra El Idrissi"}, "1990-07", {"MA"}, Gender::kFemale),
      P("w4", {"Houcine Mansouri", "Hussein Al-Mansouri"}, "1968-11-02",
        {"TN"}),
      P("w5", {"Pierre Martin"}, "1971-01-01", {"FR"}, Gender::kMale),
  };
}

class IndexTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(index_.UpsertBatch(SampleList()).ok()); }
  Index index_;
};

TEST_F(IndexTest, FindsArabicScriptQueryOfLatinListing) {
  auto r = index_.Screen(P("q", {"حسين منصوري"}), kDefaultThreshold, 10);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->empty());
  EXPECT_EQ(r->front().person_id, "w4");
}

// Latin spellings that share no retrieval key with their Arabic-script
// form, only a cross-script key (names/retrieval_keys.h). Invented persons.
TEST(IndexCrossScriptTest, FindsSpellingsReachedOnlyByCrossScriptKeys) {
  Index index;
  const std::vector<Person> list = {
      P("a", {"Janusz Wittig Kochavi"}), P("b", {"Joseph"}),
      P("c", {"Janusz Kowalski"}), P("d", {"Yanush Nowak"}),
      P("e", {"Pierre Martin"})};
  ASSERT_TRUE(index.UpsertBatch(list).ok());
  // Every token of the name only through a cross-script key.
  auto r = index.Screen(P("q1", {"يانوش فيتيغ كوخافي"}), kDefaultThreshold, 10);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->empty());
  EXPECT_EQ(r->front().person_id, "a");
  // A one-token name.
  r = index.Screen(P("q2", {"جوزيف"}), kDefaultThreshold, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Ids(*r), testing::ElementsAre("b"));
  // يانوش is close to the listed "Yanush" through a retrieval key, so
  // "Janusz" only completes the persons its other token reaches: c is
  // reached through Kowalski and scored with both tokens.
  r = index.Screen(P("q3", {"يانوش كوالسكي"}), kDefaultThreshold, 10);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->empty());
  EXPECT_EQ(r->front().person_id, "c");
  EXPECT_GE(r->front().score, 0.9);
  // ... and "a", listed under Janusz but not Kowalski, is not even reached.
  const auto snap = index.snapshot();
  EXPECT_FALSE(
      snap->Candidates(P("q3", {"يانوش كوالسكي"}), "a").found_retrieved);
  EXPECT_TRUE(snap->Candidates(P("q3", {"يانوش كوالسكي"}), "c").found_scored);
}

// A one-token name adds the persons its wide spellings reach, however many:
// max_wide_completion_postings only limits completion.
TEST(IndexCrossScriptTest, AOneTokenNameAddsThroughCommonWideSpellings) {
  IndexOptions options;
  options.max_wide_completion_postings = 5;
  Index index(options);
  std::vector<Person> list = {P("y", {"Yanush"})};
  for (int i = 0; i < 20; ++i)
    list.push_back(P("j" + std::to_string(i), {"Janusz"}));
  ASSERT_TRUE(index.UpsertBatch(list).ok());
  auto r = index.Screen(P("q", {"يانوش"}), kDefaultThreshold, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 21u);  // Yanush and the 20 listed as Janusz
}

// An Arabic-script token that the dictionary holds (another listed person
// bears it) still reaches the Latin spellings only a cross-script key or
// its French reading finds: its own entry is no neighbour in the other
// script.
TEST(IndexCrossScriptTest, ArabicTokensOfTheDictionaryReachLatinSpellings) {
  Index index;
  const std::vector<Person> list = {
      P("l", {"Thibault Leroux"}), P("r", {"تيبو لورو"}),
      P("j", {"Janusz Wittig"}), P("k", {"يانوش فيتيغ"})};
  ASSERT_TRUE(index.UpsertBatch(list).ok());
  auto r = index.Screen(P("q1", {"تيبو لورو"}), kDefaultThreshold, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Ids(*r), testing::UnorderedElementsAre("l", "r"));
  r = index.Screen(P("q2", {"يانوش فيتيغ"}), kDefaultThreshold, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Ids(*r), testing::UnorderedElementsAre("j", "k"));
}

// Spanish names: the index finds the Latin spelling from the Arabic one and
// back through the Spanish reading's keys, among other persons.
TEST(IndexCrossScriptTest, SpanishNamesAcrossScripts) {
  Index index;
  const std::vector<Person> list = {
      P("s", {"Jorge Vallejo Jurado"}), P("a", {"خوان سانخورخو"}),
      P("x", {"Jamal Jalil"}), P("y", {"Khalil Khamis"})};
  ASSERT_TRUE(index.UpsertBatch(list).ok());
  auto r =
      index.Screen(P("q1", {"خورخي باييخو خورادو"}), kDefaultThreshold, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Ids(*r), testing::ElementsAre("s"));
  r = index.Screen(P("q2", {"Juan Sanjurjo"}), kDefaultThreshold, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Ids(*r), testing::ElementsAre("a"));
}

TEST_F(IndexTest, FindsLatinSpellingVariants) {
  auto r = index_.Screen(P("q", {"Youssef Abd el-Latif Ben Ali"}),
                         kDefaultThreshold, 10);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->empty());
  EXPECT_EQ(r->front().person_id, "w1");
  EXPECT_FALSE(r->front().matched_name.empty());
  EXPECT_GE(r->front().score, kDefaultThreshold);
  EXPECT_LE(r->front().score, 1.0);
}

TEST_F(IndexTest, NoMatchForAnUnrelatedName) {
  auto r = index_.Screen(P("q", {"Jonathan Smithers"}), kDefaultThreshold, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST_F(IndexTest, BirthDateAndGenderMoveTheScore) {
  ScreenOptions all;
  all.threshold = 0.0;
  const auto snap = index_.snapshot();
  auto score_of = [&](const Person& q) {
    for (const auto& m : snap->Screen(q, all)) {
      if (m.person_id == "w2") return m.score;
    }
    return -1.0;
  };
  // A near name (not a perfect one, whose score the features cannot raise).
  const double none = score_of(P("q", {"Karim Bouzidi"}));
  const double same_year = score_of(P("q", {"Karim Bouzidi"}, "1975-06-01"));
  const double conflict = score_of(P("q", {"Karim Bouzidi"}, "1990"));
  const double woman =
      score_of(P("q", {"Karim Bouzidi"}, "", {}, Gender::kFemale));
  ASSERT_GT(none, 0.0);
  ASSERT_LT(none, 0.97);
  EXPECT_GT(same_year, none);
  EXPECT_LT(conflict, none);
  EXPECT_LT(woman, none);
}

TEST_F(IndexTest, EqualDocumentIsStrongEvidence) {
  ScreenOptions all;
  all.threshold = 0.0;
  const auto snap = index_.snapshot();
  double with_doc = -1, without = -1;
  for (const auto& m : snap->Screen(
           P("q", {"Youcef Karimi"}, "", {}, Gender::kUnknown, {"p-123 4567"}),
           all)) {
    if (m.person_id == "w1") with_doc = m.score;
  }
  for (const auto& m : snap->Screen(P("q", {"Youcef Karimi"}), all)) {
    if (m.person_id == "w1") without = m.score;
  }
  EXPECT_GT(with_doc, without + 0.2);
}

TEST_F(IndexTest, FeaturesBreakTiesBetweenPerfectNames) {
  ASSERT_TRUE(index_.Upsert(P("w0", {"Karim Bouzid"}, "1950", {"FR"})).ok());
  auto r = index_.Screen(P("q", {"Karim Bouzid"}, "1975", {"MA"}), 0.5, 10);
  ASSERT_TRUE(r.ok());
  ASSERT_GE(r->size(), 1u);
  EXPECT_EQ(r->front().person_id,
            "w2");  // same year and nationality ranks first
}

TEST_F(IndexTest, ExplanationCarriesTokensAndFeatures) {
  auto r =
      index_.Screen(P("q", {"Houcine Mansouri"}, "1968"), kDefaultThreshold, 1);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  const boost::json::object& e = r->front().explanation;
  ASSERT_TRUE(e.contains("name"));
  ASSERT_TRUE(e.contains("features"));
  const auto& features = e.at("features").as_object();
  EXPECT_EQ(features.at("birth_date").as_object().at("outcome").as_string(),
            "same_year");
  EXPECT_EQ(features.at("gender").as_object().at("outcome").as_string(),
            "missing");
  EXPECT_EQ(e.at("name").as_object().at("aligned").as_array().size(), 2u);
}

TEST_F(IndexTest, TopKAndThreshold) {
  ASSERT_TRUE(index_.Upsert(P("w6", {"Karim Bouzidi"})).ok());
  auto two = index_.Screen(P("q", {"Karim Bouzid"}), 0.5, 10);
  ASSERT_TRUE(two.ok());
  EXPECT_GE(two->size(), 2u);
  EXPECT_EQ(two->front().person_id, "w2");  // best first
  for (size_t i = 1; i < two->size(); ++i)
    EXPECT_GE((*two)[i - 1].score, (*two)[i].score);
  auto one = index_.Screen(P("q", {"Karim Bouzid"}), 0.5, 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
  auto none = index_.Screen(P("q", {"Karim Bouzid"}), 1.0 + 1e-9, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(IndexTest, UpsertReplacesAndRemoveRemoves) {
  EXPECT_EQ(index_.size(), 5u);
  ASSERT_TRUE(index_.Upsert(P("w2", {"Samir Haddad"})).ok());
  EXPECT_EQ(index_.size(), 5u);
  EXPECT_TRUE(
      index_.Screen(P("q", {"Karim Bouzid"}), kDefaultThreshold, 10)->empty());
  EXPECT_THAT(
      Ids(*index_.Screen(P("q", {"Samir Haddad"}), kDefaultThreshold, 10)),
      testing::ElementsAre("w2"));
  EXPECT_TRUE(index_.Remove("w2"));
  EXPECT_FALSE(index_.Remove("w2"));
  EXPECT_EQ(index_.size(), 4u);
  EXPECT_TRUE(
      index_.Screen(P("q", {"Samir Haddad"}), kDefaultThreshold, 10)->empty());
  // The freed slot is reused without confusion.
  ASSERT_TRUE(index_.Upsert(P("w7", {"Nadia Cherif"})).ok());
  EXPECT_THAT(
      Ids(*index_.Screen(P("q", {"Nadia Cherif"}), kDefaultThreshold, 10)),
      testing::ElementsAre("w7"));
  EXPECT_TRUE(
      index_.Screen(P("q", {"Samir Haddad"}), kDefaultThreshold, 10)->empty());
}

TEST_F(IndexTest, OldSnapshotIsUnchangedByLaterWrites) {
  const auto before = index_.snapshot();
  ASSERT_TRUE(index_.Remove("w5"));
  ASSERT_TRUE(index_.Upsert(P("w8", {"Pierre Martine"})).ok());
  ScreenOptions o;
  EXPECT_THAT(Ids(before->Screen(P("q", {"Pierre Martin"}), o)),
              testing::ElementsAre("w5"));
  EXPECT_EQ(before->size(), 5u);
  EXPECT_THAT(Ids(index_.snapshot()->Screen(P("q", {"Pierre Martin"}), o)),
              testing::ElementsAre("w8"));
}

TEST_F(IndexTest, InvalidPersonsAreRejectedAndChangeNothing) {
  EXPECT_EQ(index_.Upsert(P("", {"A B"})).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index_.Upsert(P("x", {})).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index_.Upsert(P("x", {"---"})).code(),
            absl::StatusCode::kInvalidArgument);
  const std::vector<Person> batch = {P("ok", {"Valid Name"}),
                                     P("bad", {"Good", "..."})};
  const auto s = index_.UpsertBatch(batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), testing::HasSubstr("person 2"));
  EXPECT_THAT(std::string(s.message()), testing::HasSubstr("alias 1"));
  EXPECT_EQ(index_.size(), 5u);
  EXPECT_EQ(index_.Screen(P("q", {"..."}), 0.5, 10).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(IndexTest, BatchScreeningKeepsOrderAndReportsProgress) {
  std::vector<Person> queries = {
      P("a", {"Karim Bouzid"}), P("b", {"Nobody Known"}),
      P("c", {"حسين منصوري"}), P("d", {"Pierre Martin"})};
  BatchOptions o;
  o.threads = 2;
  o.block = 1;
  std::atomic<size_t> last{0}, calls{0};
  o.progress = [&](size_t done, size_t total) {
    EXPECT_EQ(total, 4u);
    EXPECT_LE(done, total);
    last = std::max(last.load(), done);
    ++calls;
  };
  const auto results = ScreenBatch(*index_.snapshot(), queries, o);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_THAT(Ids(results[0]), testing::Contains("w2"));
  EXPECT_TRUE(results[1].empty());
  EXPECT_THAT(Ids(results[2]), testing::Contains("w4"));
  EXPECT_THAT(Ids(results[3]), testing::Contains("w5"));
  EXPECT_EQ(last.load(), 4u);
  EXPECT_GE(calls.load(), 1u);
}

TEST(IndexIncrementalTest, LaterSpellingsBecomeNeighboursOfEarlierTokens) {
  Index index;
  ASSERT_TRUE(index.Upsert(P("a", {"Mohamed Lazrak"})).ok());
  ASSERT_TRUE(index.Upsert(P("b", {"Muhammad Benjelloun"})).ok());
  ASSERT_TRUE(index.Upsert(P("c", {"محمد الفاسي"})).ok());
  // "mohamed" entered the dictionary first; the later spellings must still
  // be found through it, and the other way round.
  EXPECT_THAT(
      Ids(*index.Screen(P("q", {"Mohamed Benjelloun"}), kDefaultThreshold, 10)),
      testing::ElementsAre("b"));
  EXPECT_THAT(
      Ids(*index.Screen(P("q", {"Mohamed El Fassi"}), kDefaultThreshold, 10)),
      testing::ElementsAre("c"));
  EXPECT_THAT(Ids(*index.Screen(P("q", {"محمد لزرق"}), kDefaultThreshold, 10)),
              testing::ElementsAre("a"));
}

TEST(IndexConcurrencyTest, ReadersScreenWhileAWriterChangesTheIndex) {
  Index index;
  ASSERT_TRUE(index.UpsertBatch(SampleList()).ok());
  std::atomic<bool> stop{false};
  std::atomic<size_t> found{0}, screened{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        const auto snap = index.snapshot();
        // w4 is never touched by the writer: it must always be found.
        const auto m =
            snap->Screen(P("q", {"Houcine Mansouri"}), ScreenOptions{});
        for (const auto& x : m) found += x.person_id == "w4";
        ++screened;
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    const std::string id = "tmp" + std::to_string(i % 10);
    ASSERT_TRUE(
        index.Upsert(P(id, {"Temporary Person " + std::to_string(i)})).ok());
    if (i % 3 == 0) index.Remove(id);
  }
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(found.load(), screened.load());
  EXPECT_GT(screened.load(), 0u);
}

// Retrieval holds a person that may share a document with the query to a
// floor lowered by the document bonus (through a per-slot Bloom filter of
// document numbers), and everyone else to the floor without it. No near
// misses are rescued here, so only that path can find the person.
TEST(IndexCandidatesTest, SharedDocumentLowersTheFloorForThatPersonOnly) {
  IndexOptions options;
  options.min_candidates = 0;
  Index index(options);
  const std::vector<Person> list = {
      P("d1", {"Karim Bouzid"}, "", {}, Gender::kUnknown, {"X9988776"}),
      P("d2", {"Karim Tahiri"}, "", {}, Gender::kUnknown, {"Y1122334"}),
      P("d3", {"Karim Lamrani"})};
  ASSERT_TRUE(index.UpsertBatch(list).ok());
  // One of two tokens in common: name score about 0.43, +0.25 for the
  // document; the name alone cannot reach 0.6.
  const Person with_doc =
      P("q", {"Karim Benslimane"}, "", {}, Gender::kUnknown, {"x-998 8776"});
  auto r = index.Screen(with_doc, 0.6, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Ids(*r), testing::ElementsAre("d1"));
  EXPECT_GE(r->front().score, 0.6);
  r = index.Screen(P("q", {"Karim Benslimane"}), 0.6, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  const auto st = index.snapshot()->Candidates(with_doc, "d1");
  EXPECT_TRUE(st.found_retrieved);
  EXPECT_EQ(st.retrieved, 3u);  // all three share "Karim"
  EXPECT_GE(st.postings_read, 3u);
  // A changed document number changes the filter; a removed person leaves
  // it.
  ASSERT_TRUE(index
                  .Upsert(P("d1", {"Karim Bouzid"}, "", {}, Gender::kUnknown,
                            {"Z5555555"}))
                  .ok());
  r = index.Screen(with_doc, 0.6, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  ASSERT_TRUE(index
                  .Upsert(P("d4", {"Karim Tazi"}, "", {}, Gender::kUnknown,
                            {"X9988776"}))
                  .ok());
  r = index.Screen(with_doc, 0.6, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Ids(*r), testing::ElementsAre("d4"));
  EXPECT_TRUE(index.Remove("d4"));
  r = index.Screen(with_doc, 0.6, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST(IndexCandidatesTest, ReportsRetrieval) {
  Index index;
  ASSERT_TRUE(index.UpsertBatch(SampleList()).ok());
  const auto st =
      index.snapshot()->Candidates(P("q", {"Houssine Mansouri"}), "w4");
  EXPECT_TRUE(st.found_retrieved);
  EXPECT_TRUE(st.found_scored);
  EXPECT_GE(st.retrieved, 1u);
  EXPECT_FALSE(index.snapshot()
                   ->Candidates(P("q", {"Houssine Mansouri"}), "w5")
                   .found_scored);
}

}  // namespace
}  // namespace jisr::screening
