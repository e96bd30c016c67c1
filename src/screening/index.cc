#include "screening/index.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "names/analyzed_name.h"
#include "names/name_matcher.h"
#include "names/phonetic.h"
#include "common/status.h"
#include "screening/cow_vector.h"

namespace jisr::screening {

using names::AnalyzedName;
using names::NameToken;
using TokenId = uint32_t;
using Slot = uint32_t;

namespace {

constexpr size_t kKeyShards = 256;
constexpr size_t kTokenChunk = 4096;

// A listed person as stored in the index.
struct ListedPerson {
  std::string id;
  std::vector<std::string> names;
  std::vector<TokenId> tokens;       // tokens of all names, concatenated
  std::vector<uint16_t> name_ends;   // end offset in `tokens` of each name
  std::vector<float> name_weights;   // sum of token weights of each name
  std::vector<TokenId> distinct;     // distinct tokens (the person's postings)
  PersonFeatures features;
};

using KeyShard = absl::flat_hash_map<uint64_t, absl::InlinedVector<TokenId, 3>>;
using PostingList = std::vector<Slot>;

const std::shared_ptr<const PostingList>& EmptyPostings() {
  static const auto* const empty =
      new std::shared_ptr<const PostingList>(std::make_shared<const PostingList>());
  return *empty;
}

uint64_t HashKey(std::string_view key, char kind) {
  uint64_t h = 1469598103934665603ull ^ static_cast<unsigned char>(kind);
  for (const unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  // splitmix64 finaliser: spread the bits (the top byte picks the shard).
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

// Adds the skeleton key of `code` and, for keys of 4+ symbols, its
// one-deletion variants (a typo or a spelling variant on each side still
// shares a key).
void AddCodeKeys(std::string_view code, std::vector<uint64_t>* out) {
  const std::string key = names::SkeletonKey(code);
  if (key.empty()) return;
  out->push_back(HashKey(key, 'k'));
  if (key.size() >= 4) {
    std::string del;
    for (size_t i = 0; i < key.size(); ++i) {
      if (i > 0 && key[i] == key[i - 1]) continue;
      del.assign(key, 0, i);
      del.append(key, i + 1, std::string::npos);
      out->push_back(HashKey(del, 'k'));
    }
  }
}

// The retrieval keys of a token, sorted and unique.
std::vector<uint64_t> TokenKeys(const NameToken& t) {
  std::vector<uint64_t> keys;
  if (t.initial) return keys;  // an initial alone retrieves nothing useful
  if (t.number) {
    keys.push_back(HashKey(t.text, 'n'));
    return keys;
  }
  AddCodeKeys(t.code, &keys);
  if (t.particle != names::Particle::kNone) AddCodeKeys(t.core_code, &keys);
  if (!t.alt_code.empty()) AddCodeKeys(t.alt_code, &keys);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::string InternKey(const NameToken& t) {
  std::string k = t.text;
  k.push_back('\x1f');
  k.push_back(static_cast<char>('0' + static_cast<int>(t.particle)));
  return k;
}

}  // namespace

struct IndexData {
  CowVector<std::shared_ptr<const ListedPerson>> persons;
  CowVector<std::shared_ptr<const NameToken>, kTokenChunk> tokens;
  CowVector<std::shared_ptr<const PostingList>, kTokenChunk> postings;
  std::vector<std::shared_ptr<const KeyShard>> key_shards;
  size_t live = 0;

  IndexData() {
    key_shards.reserve(kKeyShards);
    for (size_t i = 0; i < kKeyShards; ++i) {
      key_shards.push_back(std::make_shared<const KeyShard>());
    }
  }

  const KeyShard& ShardOf(uint64_t key) const { return *key_shards[key >> 56]; }
};

absl::Status ValidateQuery(const Person& query) {
  for (const auto& n : query.names) {
    if (!names::AnalyzeName(n).tokens.empty()) return absl::OkStatus();
  }
  return absl::InvalidArgumentError("the person to screen has no name with letters");
}

// ---------------------------------------------------------------------------
// Screening.

namespace {

struct SimilarToken {
  TokenId id;
  float similarity;
};

// One name of the screened person, analysed, with its tokens' similar
// dictionary tokens.
struct QueryName {
  AnalyzedName analyzed;
  std::vector<const NameToken*> refs;
  // Per token: similar dictionary tokens (best first) and a similarity cache.
  std::vector<std::vector<SimilarToken>> similar;
  std::vector<absl::flat_hash_map<TokenId, float>> cache;
  std::vector<size_t> volume;  // postings reachable per token
};

struct Candidate {
  float bound = 0;   // sum over matched generator tokens of (w + 1) / 2 * s^3
  uint32_t mask = 0;  // generator tokens matched
};

// A dense per-thread accumulator indexed by slot: no hashing on the hot
// path; `touched` lists the slots reached since the last Reset.
struct Accumulator {
  std::vector<uint32_t> stamp;
  std::vector<Candidate> cand;
  std::vector<Slot> touched;
  uint32_t epoch = 0;

  void Reset(size_t slots) {
    if (stamp.size() < slots) {
      stamp.assign(slots, 0);
      cand.resize(slots);
      epoch = 0;
    }
    touched.clear();
    if (++epoch == 0) {  // wrapped: clear the stamps once
      std::fill(stamp.begin(), stamp.end(), 0);
      epoch = 1;
    }
  }

  Candidate& At(Slot slot) {
    if (stamp[slot] != epoch) {
      stamp[slot] = epoch;
      cand[slot] = Candidate{};
      touched.push_back(slot);
    }
    return cand[slot];
  }
};

Accumulator& ThreadAccumulator() {
  thread_local Accumulator acc;
  return acc;
}

// The most the non-name features can add for this query (the best outcome
// each feature can have given what the query states).
double MaxFeatureBoost(const PersonFeatures& q, const FeatureWeights& w) {
  double boost = 0;
  if (q.birth_date) {
    double b = std::max(0.0, w.birth_same_year);
    if (q.birth_date->month != 0) b = std::max(b, w.birth_same_year_month);
    if (q.birth_date->day != 0) b = std::max(b, w.birth_exact);
    boost += b;
  }
  if (!q.nationalities.empty()) boost += std::max(0.0, w.nationality_match);
  if (!q.documents.empty()) boost += std::max(0.0, w.document_match);
  return boost;
}

class QueryRun {
 public:
  QueryRun(const IndexData& data, const IndexOptions& options, const Person& query)
      : data_(data), options_(options) {
    absl::flat_hash_set<std::string> seen;
    for (const auto& n : query.names) {
      AnalyzedName a = names::AnalyzeName(n);
      if (a.tokens.empty() || !seen.insert(a.normalized).second) continue;
      QueryName q;
      q.analyzed = std::move(a);
      names_.push_back(std::move(q));
    }
    for (auto& q : names_) {
      for (const auto& t : q.analyzed.tokens) q.refs.push_back(&t);
      FindSimilarTokens(&q);
    }
  }

  // Gathers the candidates of every query name whose optimistic name score
  // reaches `name_floor`; keeps the max_candidates best by that score.
  // Returns the slots to score; `*retrieved` (if not null) gets the number
  // of persons reached before pruning.
  std::vector<Slot> Candidates(double name_floor, size_t* retrieved) {
    absl::flat_hash_set<Slot> all;
    size_t total = 0;
    const double extra = options_.scoring.name.extra_token_weight;
    Accumulator& acc = ThreadAccumulator();
    std::vector<std::pair<float, Slot>> ranked;
    for (auto& q : names_) {
      acc.Reset(data_.persons.size());
      double gap = 0;  // optimistic share of the non-generator tokens
      Accumulate(q, &acc, &gap);
      total += acc.touched.size();
      double wq = 0;
      for (const auto* t : q.refs) wq += t->weight;
      ranked.clear();
      for (const Slot slot : acc.touched) {
        const Candidate& c = acc.cand[slot];
        const auto& person = data_.persons[slot];
        if (person == nullptr) continue;
        const double numer = c.bound + gap;
        double best = 0;
        for (const float wl : person->name_weights) {
          const double shorter = std::min<double>(wq, wl);
          const double denom = shorter + extra * std::fabs(wq - wl);
          if (denom > 0) best = std::max(best, std::min(numer, shorter) / denom);
        }
        if (best + 1e-6 >= name_floor) ranked.push_back({static_cast<float>(best), slot});
      }
      const size_t keep = std::min(ranked.size(), options_.max_candidates);
      std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(),
                        [](const auto& x, const auto& y) {
                          return x.first > y.first || (x.first == y.first && x.second < y.second);
                        });
      for (size_t i = 0; i < keep; ++i) all.insert(ranked[i].second);
    }
    if (retrieved != nullptr) *retrieved = total;
    std::vector<Slot> out(all.begin(), all.end());
    std::sort(out.begin(), out.end());
    return out;
  }

  struct Scored {
    double score = 0;
    double name_score = 0;
    size_t query_name = 0;
    size_t listed_name = 0;
  };

  // Scores `person` fully against every query name.
  Scored Score(const ListedPerson& person, const PersonFeatures& query_features) {
    Scored best;
    std::vector<const NameToken*> listed;
    size_t begin = 0;
    for (size_t ln = 0; ln < person.name_ends.size(); ++ln) {
      const size_t end = person.name_ends[ln];
      listed.clear();
      for (size_t k = begin; k < end; ++k) listed.push_back(data_.tokens[person.tokens[k]].get());
      for (size_t qn = 0; qn < names_.size(); ++qn) {
        QueryName& q = names_[qn];
        const TokenId* ids = person.tokens.data() + begin;
        names::TokenSimilarityFn fn = [&](size_t i, size_t j) -> double {
          auto& cache = q.cache[i];
          const auto it = cache.find(ids[j]);
          if (it != cache.end()) return it->second;
          const double s = names::TokenSimilarity(*q.refs[i], *listed[j], options_.scoring.name);
          cache.emplace(ids[j], static_cast<float>(s));
          return s;
        };
        const double s = names::NameScore(q.refs, listed, options_.scoring.name, &fn);
        if (s > best.name_score) {
          best.name_score = s;
          best.query_name = qn;
          best.listed_name = ln;
        }
      }
      begin = end;
    }
    best.score = CombineScore(
        best.name_score,
        FeatureAdjustment(query_features, person.features, options_.scoring.features));
    return best;
  }

  const QueryName& name(size_t i) const { return names_[i]; }
  size_t tokens_compared() const { return tokens_compared_; }
  bool empty() const { return names_.empty(); }

 private:
  void FindSimilarTokens(QueryName* q) {
    const size_t n = q->refs.size();
    q->similar.resize(n);
    q->cache.resize(n);
    q->volume.assign(n, 0);
    absl::flat_hash_set<TokenId> seen;
    for (size_t j = 0; j < n; ++j) {
      const NameToken& qt = *q->refs[j];
      seen.clear();
      for (const uint64_t key : TokenKeys(qt)) {
        const KeyShard& shard = data_.ShardOf(key);
        const auto it = shard.find(key);
        if (it == shard.end()) continue;
        for (const TokenId t : it->second) {
          if (!seen.insert(t).second) continue;
          ++tokens_compared_;
          const double s = names::TokenSimilarity(qt, *data_.tokens[t], options_.scoring.name);
          q->cache[j].emplace(t, static_cast<float>(s));
          if (s >= options_.scoring.name.min_token_similarity) {
            q->similar[j].push_back({t, static_cast<float>(s)});
            q->volume[j] += data_.postings[t]->size();
          }
        }
      }
      std::sort(q->similar[j].begin(), q->similar[j].end(),
                [](const SimilarToken& x, const SimilarToken& y) {
                  return x.similarity > y.similarity || (x.similarity == y.similarity && x.id < y.id);
                });
    }
  }

  // Accumulates optimistic bounds of the persons reached by the generator
  // tokens of `q`: all tokens but the one reaching the most persons (two of
  // them for names of four tokens or more) when it reaches many — a true
  // match shares the other tokens as well. `*gap` gets the most the skipped
  // tokens can add.
  void Accumulate(const QueryName& q, Accumulator* acc, double* gap) {
    const size_t n = std::min<size_t>(q.refs.size(), 32);
    std::vector<size_t> order(n);
    for (size_t j = 0; j < n; ++j) order[j] = j;
    std::sort(order.begin(), order.end(),
              [&](size_t x, size_t y) { return q.volume[x] > q.volume[y]; });
    constexpr size_t kFrequent = 2000;
    std::vector<char> generator(n, 1);
    const size_t skip = n >= 4 ? 2 : (n >= 2 ? 1 : 0);
    for (size_t k = 0; k < skip; ++k) {
      if (q.volume[order[k]] > kFrequent) generator[order[k]] = 0;
    }
    *gap = 0;
    for (size_t j = n; j < q.refs.size(); ++j) *gap += (q.refs[j]->weight + 1.0) / 2.0;
    for (size_t j = 0; j < n; ++j) {
      const float w = static_cast<float>((q.refs[j]->weight + 1.0) / 2.0);
      if (!generator[j] || q.refs[j]->initial) {  // initials have no keys
        *gap += w;
        continue;
      }
      const uint32_t bit = uint32_t{1} << j;
      for (const SimilarToken& st : q.similar[j]) {
        const float s3 = st.similarity * st.similarity * st.similarity * w;
        for (const Slot slot : *data_.postings[st.id]) {
          Candidate& c = acc->At(slot);
          if (c.mask & bit) continue;  // best similarity already counted
          c.mask |= bit;
          c.bound += s3;
        }
      }
    }
  }

  const IndexData& data_;
  const IndexOptions& options_;
  std::vector<QueryName> names_;
  size_t tokens_compared_ = 0;
};

AnalyzedName ListedAnalyzedName(const IndexData& data, const ListedPerson& person,
                                size_t name_index) {
  AnalyzedName a;
  a.original = person.names[name_index];
  const size_t begin = name_index == 0 ? 0 : person.name_ends[name_index - 1];
  const size_t end = person.name_ends[name_index];
  for (size_t k = begin; k < end; ++k) a.tokens.push_back(*data.tokens[person.tokens[k]]);
  return a;
}

}  // namespace

Snapshot::Snapshot(std::shared_ptr<const IndexData> data,
                   std::shared_ptr<const IndexOptions> options)
    : data_(std::move(data)), options_(std::move(options)) {}

Snapshot::~Snapshot() = default;

size_t Snapshot::size() const { return data_->live; }
size_t Snapshot::token_count() const { return data_->tokens.size(); }

std::vector<Match> Snapshot::Screen(const Person& query, const ScreenOptions& options) const {
  std::vector<Match> out;
  QueryRun run(*data_, *options_, query);
  if (run.empty()) return out;
  const PersonFeatures qf = FeaturesOf(query);
  const double name_floor =
      options.threshold - MaxFeatureBoost(qf, options_->scoring.features);
  struct Hit {
    Slot slot;
    QueryRun::Scored scored;
  };
  std::vector<Hit> hits;
  for (const Slot slot : run.Candidates(name_floor, nullptr)) {
    const auto& person = data_->persons[slot];
    if (person == nullptr) continue;
    const QueryRun::Scored s = run.Score(*person, qf);
    if (s.score >= options.threshold) hits.push_back({slot, s});
  }
  std::sort(hits.begin(), hits.end(), [&](const Hit& x, const Hit& y) {
    if (x.scored.score != y.scored.score) return x.scored.score > y.scored.score;
    return data_->persons[x.slot]->id < data_->persons[y.slot]->id;
  });
  if (options.top_k > 0 && hits.size() > options.top_k) hits.resize(options.top_k);
  out.reserve(hits.size());
  for (const Hit& h : hits) {
    const ListedPerson& person = *data_->persons[h.slot];
    Match m;
    m.person_id = person.id;
    m.score = h.scored.score;
    m.matched_name = person.names[h.scored.listed_name];
    const QueryName& qn = run.name(h.scored.query_name);
    m.query_name = qn.analyzed.original;
    if (options.explain) {
      const AnalyzedName listed = ListedAnalyzedName(*data_, person, h.scored.listed_name);
      const names::NameComparison cmp =
          names::CompareNames(qn.analyzed, listed, options_->scoring.name);
      m.explanation = ExplainMatch(cmp, qn.analyzed.original, m.matched_name, qf,
                                   person.features, options_->scoring.features);
    }
    out.push_back(std::move(m));
  }
  return out;
}

Snapshot::CandidateStats Snapshot::Candidates(const Person& query,
                                              std::string_view person_id) const {
  CandidateStats stats;
  QueryRun run(*data_, *options_, query);
  if (run.empty()) return stats;
  const PersonFeatures qf = FeaturesOf(query);
  const double name_floor =
      kDefaultThreshold - MaxFeatureBoost(qf, options_->scoring.features);
  size_t retrieved = 0;
  const std::vector<Slot> scored = run.Candidates(name_floor, &retrieved);
  stats.retrieved = retrieved;
  stats.tokens_compared = run.tokens_compared();
  stats.scored = scored.size();
  for (const Slot slot : scored) {
    const auto& p = data_->persons[slot];
    if (p != nullptr && p->id == person_id) stats.found_scored = true;
  }
  stats.found_retrieved = stats.found_scored;
  if (!stats.found_scored) {
    // Look again without pruning.
    for (const Slot slot : run.Candidates(-1.0, nullptr)) {
      const auto& p = data_->persons[slot];
      if (p != nullptr && p->id == person_id) stats.found_retrieved = true;
    }
  }
  return stats;
}

// ---------------------------------------------------------------------------
// Writing.

// A person with its names analysed (done before taking the writer lock).
struct PreparedPerson {
  const Person* person = nullptr;
  std::vector<AnalyzedName> names;
};

struct Index::WriterState {
  absl::flat_hash_map<std::string, Slot> slot_by_id;
  std::vector<Slot> free_slots;
  absl::flat_hash_map<std::string, TokenId> token_by_key;
};

namespace {

std::vector<PreparedPerson> Prepare(std::span<const Person> persons, int threads) {
  std::vector<PreparedPerson> out(persons.size());
  auto work = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      out[i].person = &persons[i];
      out[i].names.reserve(persons[i].names.size());
      for (const auto& n : persons[i].names) out[i].names.push_back(names::AnalyzeName(n));
    }
  };
  size_t n_threads = threads > 0 ? static_cast<size_t>(threads)
                                 : std::max(1u, std::thread::hardware_concurrency());
  n_threads = std::min(n_threads, std::max<size_t>(1, persons.size() / 256));
  if (n_threads <= 1) {
    work(0, persons.size());
    return out;
  }
  std::vector<std::thread> pool;
  const size_t per = (persons.size() + n_threads - 1) / n_threads;
  for (size_t t = 0; t < n_threads; ++t) {
    const size_t b = t * per;
    const size_t e = std::min(persons.size(), b + per);
    if (b < e) pool.emplace_back(work, b, e);
  }
  for (auto& th : pool) th.join();
  return out;
}

// Derives a new IndexData from a base one.
class DataBuilder {
 public:
  explicit DataBuilder(const IndexData& base)
      : persons_(base.persons),
        tokens_(base.tokens),
        postings_(base.postings),
        key_shards_(base.key_shards),
        shard_owned_(kKeyShards, false),
        live_(base.live) {}

  void Remove(Slot slot) {
    const auto person = persons_[slot];
    if (person == nullptr) return;
    for (const TokenId t : person->distinct) {
      PostingList& list = MutablePostings(t);
      const auto it = std::find(list.begin(), list.end(), slot);
      if (it != list.end()) {
        *it = list.back();
        list.pop_back();
      }
    }
    persons_.Mutable(slot) = nullptr;
    --live_;
  }

  Slot NewSlot() { return static_cast<Slot>(persons_.PushBack(nullptr)); }

  void Insert(Slot slot, const PreparedPerson& p,
              absl::flat_hash_map<std::string, TokenId>* token_by_key) {
    auto listed = std::make_shared<ListedPerson>();
    listed->id = p.person->id;
    listed->features = FeaturesOf(*p.person);
    for (size_t i = 0; i < p.names.size(); ++i) {
      const AnalyzedName& a = p.names[i];
      if (a.tokens.empty()) continue;
      listed->names.push_back(p.person->names[i]);
      float weight = 0;
      for (const NameToken& tok : a.tokens) {
        listed->tokens.push_back(Intern(tok, token_by_key));
        weight += static_cast<float>(tok.weight);
      }
      listed->name_ends.push_back(static_cast<uint16_t>(listed->tokens.size()));
      listed->name_weights.push_back(weight);
    }
    listed->distinct = listed->tokens;
    std::sort(listed->distinct.begin(), listed->distinct.end());
    listed->distinct.erase(std::unique(listed->distinct.begin(), listed->distinct.end()),
                           listed->distinct.end());
    for (const TokenId t : listed->distinct) MutablePostings(t).push_back(slot);
    persons_.Mutable(slot) = std::move(listed);
    ++live_;
  }

  std::shared_ptr<const IndexData> Build() && {
    auto data = std::make_shared<IndexData>();
    data->persons = std::move(persons_).Build();
    data->tokens = std::move(tokens_).Build();
    data->postings = std::move(postings_).Build();
    data->key_shards = std::move(key_shards_);
    data->live = live_;
    return data;
  }

 private:
  TokenId Intern(const NameToken& tok, absl::flat_hash_map<std::string, TokenId>* token_by_key) {
    std::string key = InternKey(tok);
    const auto it = token_by_key->find(key);
    if (it != token_by_key->end()) return it->second;
    const TokenId id = static_cast<TokenId>(tokens_.PushBack(std::make_shared<const NameToken>(tok)));
    postings_.PushBack(EmptyPostings());
    token_by_key->emplace(std::move(key), id);
    for (const uint64_t k : TokenKeys(tok)) {
      const size_t s = k >> 56;
      if (!shard_owned_[s]) {
        key_shards_[s] = std::make_shared<KeyShard>(*key_shards_[s]);
        shard_owned_[s] = true;
      }
      // Owned shards were created non-const by this builder.
      const_cast<KeyShard&>(*key_shards_[s])[k].push_back(id);
    }
    return id;
  }

  PostingList& MutablePostings(TokenId t) {
    if (!owned_postings_.contains(t)) {
      postings_.Mutable(t) = std::make_shared<PostingList>(*postings_[t]);
      owned_postings_.insert(t);
    }
    // Owned lists were created non-const by this builder.
    return const_cast<PostingList&>(*postings_[t]);
  }

  CowVectorBuilder<std::shared_ptr<const ListedPerson>> persons_;
  CowVectorBuilder<std::shared_ptr<const NameToken>, kTokenChunk> tokens_;
  CowVectorBuilder<std::shared_ptr<const PostingList>, kTokenChunk> postings_;
  std::vector<std::shared_ptr<const KeyShard>> key_shards_;
  std::vector<bool> shard_owned_;
  absl::flat_hash_set<TokenId> owned_postings_;
  size_t live_;
};

}  // namespace

Index::Index(IndexOptions options)
    : options_(std::make_shared<const IndexOptions>(std::move(options))),
      writer_(std::make_unique<WriterState>()) {
  current_.store(std::shared_ptr<const Snapshot>(
      new Snapshot(std::make_shared<const IndexData>(), options_)));
}

Index::~Index() = default;

std::shared_ptr<const Snapshot> Index::snapshot() const { return current_.load(); }

size_t Index::size() const { return snapshot()->size(); }

absl::Status Index::Upsert(const Person& person) {
  return UpsertBatch(std::span<const Person>(&person, 1));
}

absl::Status Index::UpsertBatch(std::span<const Person> persons) {
  const auto where = [&](size_t i, std::string_view message) {
    return absl::InvalidArgumentError(
        persons.size() == 1 ? std::string(message)
                            : fmt::format("person {} (id \"{}\"): {}", i + 1, persons[i].id,
                                          message));
  };
  for (size_t i = 0; i < persons.size(); ++i) {
    if (persons[i].id.empty()) return where(i, "id is empty");
    if (persons[i].names.empty()) return where(i, "the person has no name");
  }
  // Analysing names is the costly part: done in parallel, before the lock.
  const std::vector<PreparedPerson> prepared = Prepare(persons, options_->build_threads);
  for (size_t i = 0; i < prepared.size(); ++i) {
    for (size_t k = 0; k < prepared[i].names.size(); ++k) {
      if (prepared[i].names[k].tokens.empty()) {
        return where(i, k == 0 ? std::string("name has no letters")
                               : fmt::format("alias {} has no letters", k));
      }
    }
  }
  absl::MutexLock lock(&writer_mu_);
  Apply(prepared, {});
  return absl::OkStatus();
}

bool Index::Remove(std::string_view id) {
  absl::MutexLock lock(&writer_mu_);
  if (!writer_->slot_by_id.contains(std::string(id))) return false;
  const std::string ids[] = {std::string(id)};
  Apply({}, ids);
  return true;
}

void Index::Apply(std::span<const PreparedPerson> prepared,
                  std::span<const std::string> removals) {
  const std::shared_ptr<const Snapshot> base = current_.load();
  DataBuilder builder(*base->data_);
  WriterState& w = *writer_;
  for (const std::string& id : removals) {
    const auto it = w.slot_by_id.find(id);
    if (it == w.slot_by_id.end()) continue;
    builder.Remove(it->second);
    w.free_slots.push_back(it->second);
    w.slot_by_id.erase(it);
  }
  for (const PreparedPerson& p : prepared) {
    Slot slot;
    const auto it = w.slot_by_id.find(p.person->id);
    if (it != w.slot_by_id.end()) {
      slot = it->second;
      builder.Remove(slot);
    } else if (!w.free_slots.empty()) {
      slot = w.free_slots.back();
      w.free_slots.pop_back();
      w.slot_by_id.emplace(p.person->id, slot);
    } else {
      slot = builder.NewSlot();
      w.slot_by_id.emplace(p.person->id, slot);
    }
    builder.Insert(slot, p, &w.token_by_key);
  }
  current_.store(std::shared_ptr<const Snapshot>(
      new Snapshot(std::move(builder).Build(), options_)));
}

absl::StatusOr<std::vector<Match>> Index::Screen(const Person& query, double threshold,
                                                 size_t top_k) const {
  JISR_RETURN_IF_ERROR(ValidateQuery(query));
  ScreenOptions options;
  options.threshold = threshold;
  options.top_k = top_k;
  return snapshot()->Screen(query, options);
}

}  // namespace jisr::screening
