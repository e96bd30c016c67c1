#include "screening/index.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/hash/hash.h"
#include "common/status.h"
#include "names/analyzed_name.h"
#include "names/name_matcher.h"
#include "names/retrieval_keys.h"
#include "screening/cow_vector.h"

namespace jisr::screening {

using names::AnalyzedName;
using names::NameToken;
using TokenId = uint32_t;
using Slot = uint32_t;

namespace {

constexpr size_t kKeyShards = 256;
constexpr size_t kTokenChunk = 4096;
constexpr size_t kSlotInfoChunk = 1024;
// Neighbours kept per dictionary token: the most similar, at least
// kNeighborFloor alike (pairs below only matter to a full score, which
// computes them when needed).
constexpr size_t kMaxNeighbors = 256;
constexpr double kNeighborFloor = 0.6;

// A listed person as stored in the index.
struct ListedPerson {
  std::string id;
  std::vector<std::string> names;
  std::vector<TokenId> tokens;      // tokens of all names, concatenated
  std::vector<uint16_t> name_ends;  // end offset in `tokens` of each name
  std::vector<float> name_weights;  // sum of token weights of each name
  std::vector<TokenId> distinct;    // distinct tokens (the person's postings)
  PersonFeatures features;
};

using KeyShard = absl::flat_hash_map<uint64_t, absl::InlinedVector<TokenId, 3>>;
using PostingList = std::vector<Slot>;  // sorted by slot

// Where a token's posting list lies (its data and length), kept beside the
// lists: retrieval reads many lists' lengths and addresses per query, one
// memory access each instead of three dependent ones.
struct PostingRef {
  const Slot* data = nullptr;
  uint32_t size = 0;
};

const std::shared_ptr<const PostingList>& EmptyPostings() {
  static const auto* const empty = new std::shared_ptr<const PostingList>(
      std::make_shared<const PostingList>());
  return *empty;
}

// The keys a dictionary token is posted under (names/retrieval_keys.h):
// its retrieval keys and its cross-script keys tagged with its script.
std::vector<uint64_t> PostingKeys(const NameToken& t) {
  std::vector<uint64_t> keys = names::RetrievalKeys(t);
  const std::vector<uint64_t> cross = names::CrossScriptPostingKeys(t);
  keys.insert(keys.end(), cross.begin(), cross.end());
  return keys;
}

// The keys that find the dictionary tokens similar to a token: first
// (`narrow` of them) its retrieval keys and the keys of its French and
// Spanish readings against Arabic script, then its wide cross-script skeletons
// (both tagged with the other script: they reach tokens of the other script
// only).
struct LookupKeys {
  explicit LookupKeys(const NameToken& t) : keys(names::RetrievalKeys(t)) {
    const auto reading =
        names::CrossScriptLookupKeys(t, names::CrossScriptKeySet::kReading);
    keys.insert(keys.end(), reading.begin(), reading.end());
    narrow = keys.size();
    const auto wide =
        names::CrossScriptLookupKeys(t, names::CrossScriptKeySet::kWide);
    keys.insert(keys.end(), wide.begin(), wide.end());
  }
  std::vector<uint64_t> keys;
  size_t narrow = 0;
};

// What makes two analysed tokens the same dictionary token.
std::string InternKey(const NameToken& t) {
  std::string k = t.text;
  k.push_back('\x1f');
  k.push_back(static_cast<char>('0' + static_cast<int>(t.particle)));
  for (const std::string& alt : t.alt_codes) {
    k.push_back('\x1f');
    k.append(alt);
  }
  return k;
}

// The key-table entry that finds a dictionary token by its intern key.
uint64_t IdentityKey(const std::string& intern_key) {
  return absl::Hash<std::string>{}("\x01" + intern_key) | (uint64_t{1} << 63);
}

struct SimilarToken {
  TokenId id : 30;  // a dictionary holds far fewer than 2^30 tokens
  // Found through a cross-script key only (no retrieval key in common): a
  // generator token's wide neighbours only complete the bounds of persons
  // its other neighbours or tokens reached (see QueryRun::Accumulate).
  TokenId wide : 1;
  // Of the other script than the token whose neighbour it is.
  TokenId cross : 1;
  float similarity;
};
static_assert(sizeof(SimilarToken) == 8);

// Order of neighbour lists: most similar first, then by id.
bool BetterSimilar(const SimilarToken& x, const SimilarToken& y) {
  return x.similarity > y.similarity ||
         (x.similarity == y.similarity && x.id < y.id);
}

// Order of stored neighbour lists: by id (binary search by the full score).
bool ById(const SimilarToken& x, const SimilarToken& y) { return x.id < y.id; }

// A cache of query tokens' similar dictionary tokens for one index version,
// shared by all threads screening from it: names repeat across the persons
// screened (Mohamed, Ali ...), and finding a token's neighbours is the costly
// part of retrieval. Sharded by key, each shard under its own mutex; a full
// shard is simply emptied.
struct SimilarCacheEntry {
  std::shared_ptr<const std::vector<SimilarToken>> by_id;  // sorted by id
  size_t volume = 0;
};

class SharedSimilarCache {
 public:
  static constexpr size_t kShards = 64;
  static constexpr size_t kMaxPerShard = 4096;

  // Copies the entry for `key` into `*out`; returns false when absent.
  bool Get(const std::string& key, SimilarCacheEntry* out) const {
    Shard& shard = shards_[absl::Hash<std::string>{}(key) % kShards];
    absl::MutexLock lock(&shard.mu);
    const auto it = shard.map.find(key);
    if (it == shard.map.end()) return false;
    *out = it->second;
    return true;
  }

  void Put(const std::string& key, const SimilarCacheEntry& entry) const {
    Shard& shard = shards_[absl::Hash<std::string>{}(key) % kShards];
    absl::MutexLock lock(&shard.mu);
    if (shard.map.size() >= kMaxPerShard) shard.map.clear();
    shard.map.emplace(key, entry);
  }

 private:
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, SimilarCacheEntry> map ABSL_GUARDED_BY(mu);
  };
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace

struct IndexData {
  CowVector<std::shared_ptr<const ListedPerson>> persons;
  // Per slot, low 32 bits: the lightest and heaviest name of the person
  // (sum of token weights, in tenths: low 16 bits floor, next 16 ceiling);
  // lets retrieval bound a candidate's score without touching the person.
  // High 32 bits: a Bloom filter of the person's document numbers
  // (DocumentBits of each; 0 without documents), which lets retrieval
  // recognise the persons that may share a document with the query. Both in
  // one word: one memory access per candidate. 0 for a free slot.
  CowVector<uint64_t, kSlotInfoChunk> slot_info;
  // The chunks of slot_info as plain pointers (slot s at
  // slot_info_chunks[s / kSlotInfoChunk][s % kSlotInfoChunk]): one memory
  // access per candidate instead of three dependent ones.
  std::vector<const uint64_t*> slot_info_chunks;

  uint64_t SlotInfo(Slot slot) const {
    return slot_info_chunks[slot / kSlotInfoChunk][slot % kSlotInfoChunk];
  }
  CowVector<std::shared_ptr<const NameToken>, kTokenChunk> tokens;
  CowVector<std::shared_ptr<const PostingList>, kTokenChunk> postings;
  // posting_refs[t] == {postings[t]->data(), postings[t]->size()}: points
  // into a list this IndexData keeps alive; DataBuilder::Build refreshes the
  // entry of every list the builder replaced (owned_postings_).
  CowVector<PostingRef, kTokenChunk> posting_refs;
  // Per dictionary token: the dictionary tokens at least kNeighborFloor
  // alike (itself included; the best kMaxNeighbors), sorted by id, computed
  // when the token enters the dictionary and completed when later ones do.
  CowVector<std::shared_ptr<const std::vector<SimilarToken>>, kTokenChunk>
      neighbors;
  std::vector<std::shared_ptr<const KeyShard>> key_shards;
  size_t live = 0;
  // Memo of query work on this version (internally synchronised).
  std::unique_ptr<SharedSimilarCache> similar_cache =
      std::make_unique<SharedSimilarCache>();

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
  return absl::InvalidArgumentError(
      "the person to screen has no name with letters");
}

// ---------------------------------------------------------------------------
// Screening.

namespace {

// One name of the screened person, analysed, with its tokens' similar
// dictionary tokens.
struct QueryName {
  AnalyzedName analyzed;
  std::vector<const NameToken*> refs;
  // Per token: similar dictionary tokens, sorted by id (the index's
  // neighbour list, not copied, or `owned`), and a similarity cache.
  std::vector<std::span<const SimilarToken>> by_id;
  std::vector<std::shared_ptr<const std::vector<SimilarToken>>> owned;
  std::vector<absl::flat_hash_map<TokenId, float>>
      cache;                   // other pairs computed
  std::vector<size_t> volume;  // postings reachable per token
};

struct Candidate {
  float bound = 0;    // sum over matched tokens of (w + 1) / 2 * credit
  uint32_t mask = 0;  // tokens matched
};

// A per-thread accumulator of the persons reached by one query name: the
// candidates in the order reached (`reached_in_order`, read densely by the
// ranking), found by slot through an open-addressing hash table of 8-byte
// cells sized for the postings the query will read (twice the sum of its
// generator postings, so it never fills), small enough to stay in the
// processor's cache where a dense array over all slots (12 bytes per listed
// person) cannot; a bitmap over all slots (one bit each, also
// cache-resident) lets the completion pass skip the postings of persons not
// reached without probing the table.
struct Accumulator {
  struct Cell {
    Slot slot = kEmpty;
    uint32_t index = 0;  // in `reached_in_order`
  };
  struct Entry {
    Slot slot;
    Candidate cand;
  };
  static constexpr Slot kEmpty = ~Slot{0};
  std::vector<Cell> table;  // power-of-two size
  size_t table_mask = 0;
  std::vector<uint64_t> reached;  // bit per slot, set for reached_in_order
  std::vector<Entry> reached_in_order;

  // Forgets the persons reached; `slots` is the size of the slot space and
  // `expected` bounds the number of persons the next pass reaches.
  void Reset(size_t slots, size_t expected) {
    if (reached.size() * 64 < slots) reached.resize((slots + 63) / 64, 0);
    for (const Entry& e : reached_in_order) reached[e.slot >> 6] = 0;
    const size_t want = std::bit_ceil(std::max<size_t>(1024, 2 * expected));
    if (table.size() != want) {
      // Shrink lazily: a large table is kept for a while (a few heavy
      // queries would otherwise reallocate it every time).
      if (table.size() < want || table.size() > 16 * want) {
        table.assign(want, Cell{});
      } else {
        ClearTable();
      }
    } else {
      ClearTable();
    }
    table_mask = table.size() - 1;
    reached_in_order.clear();
    // Like the table, a vector grown by a heavy query is released later.
    if (reached_in_order.capacity() > 16 * std::max<size_t>(1024, expected))
      std::vector<Entry>().swap(reached_in_order);
    reached_in_order.reserve(expected);  // never reallocates during a pass
  }

  size_t Home(Slot slot) const {
    return static_cast<size_t>((uint64_t{slot} * 0x9E3779B97F4A7C15ull) >> 32) &
           table_mask;
  }

  // Returns the candidate of `slot` if reached since the last Reset.
  Candidate* Find(Slot slot) {
    if (!(reached[slot >> 6] & (uint64_t{1} << (slot & 63)))) return nullptr;
    for (size_t i = Home(slot);; i = (i + 1) & table_mask) {
      const Cell& c = table[i];
      if (c.slot == slot) return &reached_in_order[c.index].cand;
      if (c.slot == kEmpty) return nullptr;  // not reached (unreachable)
    }
  }

  Candidate& At(Slot slot) {
    for (size_t i = Home(slot);; i = (i + 1) & table_mask) {
      Cell& c = table[i];
      if (c.slot == slot) return reached_in_order[c.index].cand;
      if (c.slot == kEmpty) {
        c.slot = slot;
        c.index = static_cast<uint32_t>(reached_in_order.size());
        reached[slot >> 6] |= uint64_t{1} << (slot & 63);
        reached_in_order.push_back({slot, Candidate{}});
        return reached_in_order.back().cand;
      }
    }
  }

  // Asks the processor to fetch the table cell of `slot`.
  void Prefetch(Slot slot) const { __builtin_prefetch(&table[Home(slot)]); }

 private:
  void ClearTable() {
    if (reached_in_order.size() * 8 < table.size()) {
      for (const Entry& e : reached_in_order) {  // only the cells used
        for (size_t i = Home(e.slot);; i = (i + 1) & table_mask) {
          if (table[i].slot == kEmpty) break;
          table[i].slot = kEmpty;
        }
      }
    } else {
      std::fill(table.begin(), table.end(), Cell{});
    }
  }
};

Accumulator& ThreadAccumulator() {
  thread_local Accumulator acc;
  return acc;
}

uint32_t PackWeightRange(const std::vector<float>& weights) {
  if (weights.empty()) return 0;
  const auto [lo, hi] = std::minmax_element(weights.begin(), weights.end());
  const uint32_t l =
      static_cast<uint32_t>(std::min(65535.0, std::floor(*lo * 10.0)));
  const uint32_t h =
      static_cast<uint32_t>(std::min(65535.0, std::ceil(*hi * 10.0)));
  return l | (h << 16);
}

// The two bits a normalised document number sets in a document Bloom filter.
uint32_t DocumentBits(const std::string& document) {
  const uint64_t h = absl::Hash<std::string>{}(document);
  return (uint32_t{1} << (h & 31)) | (uint32_t{1} << ((h >> 8) & 31));
}

uint32_t DocumentBloom(const std::vector<std::string>& documents) {
  uint32_t bloom = 0;
  for (const auto& d : documents) bloom |= DocumentBits(d);
  return bloom;
}

// The most a name score can be when the aligned tokens are worth at most
// `numer`, the query name weighs `wq` and the listed names weigh between `lo`
// and `hi` (see NameMatchOptions): the best listed weight is min(numer, wq)
// clamped to [lo, hi].
double OptimisticScore(double numer, double wq, double lo, double hi,
                       double extra) {
  const double wl = std::clamp(std::min(numer, wq), lo, hi);
  const double shorter = std::min(wq, wl);
  const double denom = shorter + extra * std::fabs(wq - wl);
  return denom > 0 ? std::min(numer, shorter) / denom : 0.0;
}

// The most the non-name features can add for this query (the best outcome
// each feature can have given what the query states).
// With `documents` false, leaves out the document match (retrieval finds the
// persons that may share a document through DocumentBloom instead).
double MaxFeatureBoost(const PersonFeatures& q, const FeatureWeights& w,
                       bool documents = true) {
  double boost = 0;
  if (q.birth_date) {
    double b = std::max(0.0, w.birth_same_year);
    if (q.birth_date->month != 0) b = std::max(b, w.birth_same_year_month);
    if (q.birth_date->day != 0) b = std::max(b, w.birth_exact);
    boost += b;
  }
  if (!q.nationalities.empty()) boost += std::max(0.0, w.nationality_match);
  if (documents && !q.documents.empty())
    boost += std::max(0.0, w.document_match);
  return boost;
}

class QueryRun {
 public:
  QueryRun(const IndexData& data, const IndexOptions& options,
           const Person& query)
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

  // Gathers the candidates of every query name: those whose optimistic name
  // score reaches `name_floor` (at most max_candidates, best first), and up
  // to min_candidates near misses. A person that may share a document with
  // the query (its document Bloom filter holds all bits of one of
  // `query_documents`) may gain `document_boost` more and is held to
  // name_floor - document_boost (and ranked by its bound plus the boost).
  // With `everything`, returns every person reached instead. `*retrieved`
  // (if not null) gets the number of persons reached before pruning.
  std::vector<Slot> Candidates(double name_floor, double document_boost,
                               std::span<const uint32_t> query_documents,
                               size_t* retrieved, bool everything = false) {
    std::vector<Slot> all;
    size_t total = 0;
    const double extra = options_.scoring.name.extra_token_weight;
    Accumulator& acc = ThreadAccumulator();
    // Per-thread scratch: these grow to thousands of entries per query.
    thread_local std::vector<std::pair<float, Slot>> ranked, rescue;
    for (auto& q : names_) {
      double gap = 0;  // optimistic share of the non-generator tokens
      Accumulate(q, &acc, &gap);
      const std::vector<Accumulator::Entry>& reached = acc.reached_in_order;
      total += reached.size();
      if (everything) {
        for (const Accumulator::Entry& e : reached) all.push_back(e.slot);
        continue;
      }
      double wq = 0;
      for (const auto* t : q.refs) wq += t->weight;
      ranked.clear();
      rescue.clear();
      // A person retrieval reached through too few tokens is not worth a
      // rescue: a true match of a 3+-token name shares at least two.
      const int need = q.refs.size() >= 3 ? 2 : 1;
      const float floor = static_cast<float>(name_floor);
      const float plausible =
          static_cast<float>(name_floor - options_.rescue_margin);
      const float boost = static_cast<float>(document_boost);
      const bool documents = !query_documents.empty() && boost > 0;
      constexpr size_t kAhead = 16;
      for (size_t k = 0; k < reached.size(); ++k) {
        if (k + kAhead < reached.size()) {
          const Slot ahead = reached[k + kAhead].slot;
          __builtin_prefetch(data_.slot_info_chunks[ahead / kSlotInfoChunk] +
                             ahead % kSlotInfoChunk);
        }
        const Slot slot = reached[k].slot;
        const Candidate& c = reached[k].cand;
        const uint64_t info = data_.SlotInfo(slot);
        const uint32_t range = static_cast<uint32_t>(info);
        if (range == 0) continue;  // free slot
        const double lo = (range & 0xFFFF) / 10.0;
        const double hi = (range >> 16) / 10.0;
        float best = static_cast<float>(
            OptimisticScore(c.bound + gap, wq, lo, hi, extra));
        float shift = 0;  // lowers the floors of a possible document match
        if (documents && best + 1e-6f < floor &&
            best + boost + 1e-6f >= plausible) {  // may matter: check it
          const uint32_t bloom = static_cast<uint32_t>(info >> 32);
          for (const uint32_t bits : query_documents) {
            if ((bloom & bits) == bits) {
              shift = boost;
              break;
            }
          }
        }
        best += shift;
        if (best + 1e-6f >= floor) {
          ranked.push_back({best, slot});
        } else if (best + 1e-6f >= plausible && std::popcount(c.mask) >= need) {
          rescue.push_back({best, slot});
        }
      }
      // Those whose optimistic score reaches the floor, best first; and the
      // few best of the others: the optimistic score only knows the tokens
      // retrieval reached, and a token it missed may still align.
      const auto better = [](const auto& x, const auto& y) {
        return x.first > y.first || (x.first == y.first && x.second < y.second);
      };
      const size_t keep = std::min(ranked.size(), options_.max_candidates);
      std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(),
                        better);
      for (size_t k = 0; k < keep; ++k) all.push_back(ranked[k].second);
      if (keep < options_.min_candidates) {
        const size_t more =
            std::min(rescue.size(), options_.min_candidates - keep);
        std::partial_sort(rescue.begin(), rescue.begin() + more, rescue.end(),
                          better);
        for (size_t k = 0; k < more; ++k) all.push_back(rescue[k].second);
      }
    }
    if (retrieved != nullptr) *retrieved = total;
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
  }

  struct Scored {
    double score = 0;  // clamped to [0, 1]
    double raw = 0;    // name score + feature adjustment, unclamped (ranking)
    double name_score = 0;
    size_t query_name = 0;
    size_t listed_name = 0;
  };

  // Scores `person` fully against every query name; `adjustment` is
  // FeatureAdjustment of the query and the person.
  Scored Score(const ListedPerson& person, double adjustment) {
    Scored best;
    std::vector<const NameToken*> listed;
    size_t begin = 0;
    for (size_t ln = 0; ln < person.name_ends.size(); ++ln) {
      const size_t end = person.name_ends[ln];
      listed.clear();
      for (size_t k = begin; k < end; ++k)
        listed.push_back(data_.tokens[person.tokens[k]].get());
      for (size_t qn = 0; qn < names_.size(); ++qn) {
        QueryName& q = names_[qn];
        const TokenId* ids = person.tokens.data() + begin;
        names::TokenSimilarityFn fn = [&](size_t i, size_t j) -> double {
          const auto& by_id = q.by_id[i];
          const auto pos = std::lower_bound(
              by_id.begin(), by_id.end(), ids[j],
              [](const SimilarToken& st, TokenId id) { return st.id < id; });
          if (pos != by_id.end() && pos->id == ids[j]) return pos->similarity;
          auto& cache = q.cache[i];
          const auto it = cache.find(ids[j]);
          if (it != cache.end()) return it->second;
          const double s = names::TokenSimilarity(*q.refs[i], *listed[j],
                                                  options_.scoring.name);
          cache.emplace(ids[j], static_cast<float>(s));
          return s;
        };
        const double s =
            names::NameScore(q.refs, listed, options_.scoring.name, &fn);
        if (s > best.name_score) {
          best.name_score = s;
          best.query_name = qn;
          best.listed_name = ln;
        }
      }
      begin = end;
    }
    best.raw = best.name_score + adjustment;
    best.score = CombineScore(best.raw, 0.0);
    return best;
  }

  const QueryName& name(size_t i) const { return names_[i]; }
  size_t tokens_compared() const { return tokens_compared_; }
  size_t postings_read() const { return postings_read_; }
  size_t tokens_similar() const { return tokens_similar_; }
  bool empty() const { return names_.empty(); }

 private:
  // Returns the precomputed neighbours of `qt` when the dictionary holds
  // the same token, else null.
  const std::vector<SimilarToken>* DictionaryNeighbors(
      const NameToken& qt) const {
    const std::string key = InternKey(qt);
    const uint64_t id_key = IdentityKey(key);
    const KeyShard& shard = data_.ShardOf(id_key);
    const auto it = shard.find(id_key);
    if (it == shard.end()) return nullptr;
    for (const TokenId t : it->second) {
      const NameToken& d = *data_.tokens[t];
      if (d.text == qt.text && d.particle == qt.particle &&
          d.alt_codes == qt.alt_codes) {
        const auto& n = data_.neighbors[t];
        return n != nullptr ? n.get() : nullptr;
      }
    }
    return nullptr;
  }

  void FindSimilarTokens(QueryName* q) {
    const size_t n = q->refs.size();
    q->owned.resize(n);
    q->cache.resize(n);
    q->by_id.resize(n);
    q->volume.assign(n, 0);
    const SharedSimilarCache& cache = *data_.similar_cache;
    SimilarCacheEntry hit;
    absl::flat_hash_set<TokenId> seen;
    std::string cache_key;
    for (size_t j = 0; j < n; ++j) {
      const NameToken& qt = *q->refs[j];
      cache_key = InternKey(qt);
      // A token of the dictionary has its neighbours precomputed.
      // (The snapshot outlives this run: a span is enough.)
      if (const std::vector<SimilarToken>* known = DictionaryNeighbors(qt)) {
        q->by_id[j] = *known;
        // (Wide neighbours do not count: they mostly complete. The generator
        // choice and the max_completion_postings test thus ignore them.)
        for (const SimilarToken& st : *known) {
          if (st.similarity < options_.generator_min_similarity || st.wide)
            continue;
          q->volume[j] += data_.posting_refs[st.id].size;
        }
        continue;
      }
      if (cache.Get(cache_key, &hit)) {
        q->owned[j] = std::move(hit.by_id);
        q->by_id[j] = *q->owned[j];
        q->volume[j] = hit.volume;
        continue;
      }
      auto similar = std::make_shared<std::vector<SimilarToken>>();
      seen.clear();
      const LookupKeys lookup(qt);
      for (size_t k = 0; k < lookup.keys.size(); ++k) {
        const uint64_t key = lookup.keys[k];
        const KeyShard& shard = data_.ShardOf(key);
        const auto it = shard.find(key);
        if (it == shard.end()) continue;
        for (const TokenId t : it->second) {
          if (!seen.insert(t).second) continue;
          ++tokens_compared_;
          const double s = names::TokenSimilarity(qt, *data_.tokens[t],
                                                  options_.scoring.name);
          const bool wide = k >= lookup.narrow;
          if (s < options_.scoring.name.min_token_similarity ||
              (wide && s < options_.generator_min_similarity)) {
            q->cache[j].emplace(t, static_cast<float>(s));
          } else {
            ++tokens_similar_;
            const NameToken& dt = *data_.tokens[t];
            similar->push_back(
                {t, wide, dt.script != qt.script, static_cast<float>(s)});
            if (s >= options_.generator_min_similarity && !wide)
              q->volume[j] += data_.posting_refs[t].size;
          }
        }
      }
      std::sort(similar->begin(), similar->end(), ById);
      q->owned[j] = std::move(similar);
      q->by_id[j] = *q->owned[j];
      cache.Put(cache_key, SimilarCacheEntry{q->owned[j], q->volume[j]});
    }
  }

  // Accumulates optimistic bounds of the persons reached by the query
  // name's tokens. The generator tokens (all but the one reaching the most
  // persons, two of them for names of four tokens or more, when they reach
  // many) add persons; the others only add to persons already reached — a
  // true match shares a generator token too. `*gap` gets the most tokens
  // without keys (initials) can add.
  void Accumulate(const QueryName& q, Accumulator* acc, double* gap) {
    const size_t n = std::min<size_t>(q.refs.size(), 32);
    // (Per-token scratch on the stack: at most 32 tokens take part.)
    std::array<size_t, 32> order;
    for (size_t j = 0; j < n; ++j) order[j] = j;
    std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n),
              [&](size_t x, size_t y) { return q.volume[x] > q.volume[y]; });
    constexpr size_t kFrequent = 2000;
    std::array<char, 32> generator;
    generator.fill(1);
    const size_t skip = n >= 4 ? 2 : (n >= 2 ? 1 : 0);
    for (size_t k = 0; k < skip; ++k) {
      if (q.volume[order[k]] > kFrequent) generator[order[k]] = 0;
    }
    *gap = 0;
    for (size_t j = n; j < q.refs.size(); ++j)
      *gap += (q.refs[j]->weight + 1.0) / 2.0;
    // First the posting lists to read, in order (their addresses are a few
    // dependent loads away: resolving them all first lets the processor
    // fetch the lists' first lines in parallel), then the reading.
    std::vector<PostingPass>& passes = passes_;
    passes.clear();
    // Wide neighbours (reached through a wide cross-script key only) of a
    // token that already has a close narrow neighbour in the other script
    // ("covered") do not add persons when the name has another generator:
    // they complete the bounds of persons reached otherwise (a true match
    // found through one shares another token), and a skipped frequent
    // token does not read them at all. Otherwise they would add many
    // persons for little. (A person listed under such a wide spelling then
    // lacks, or gets the narrow neighbour's, credit for that token: its
    // bound may be low by up to that token's weight; it is still scored if
    // the rest reaches the floor or it is among the near misses.)
    size_t generators = 0;
    for (size_t j = 0; j < n; ++j)
      generators += generator[j] && !q.refs[j]->initial;
    std::array<char, 32> covered{};
    for (size_t j = 0; j < n; ++j) {
      covered[j] = std::any_of(
          q.by_id[j].begin(), q.by_id[j].end(), [&](const SimilarToken& st) {
            return !st.wide &&
                   st.similarity >= options_.generator_min_similarity &&
                   st.cross;
          });
    }
    // A covered generator's wide spellings complete only while they are
    // rare (max_wide_completion_postings): those of a common name would read
    // many postings for the few persons listed under an unusual spelling.
    std::array<size_t, 32> wide_volume{};
    for (size_t j = 0; j < n; ++j) {
      if (!covered[j] || !generator[j]) continue;
      for (const SimilarToken& st : q.by_id[j]) {
        if (st.wide && st.similarity >= options_.generator_min_similarity)
          wide_volume[j] += data_.posting_refs[st.id].size;
      }
    }
    for (const bool adding : {true, false}) {
      for (size_t j = 0; j < n; ++j) {
        const bool generates = static_cast<bool>(generator[j]);
        if (adding && !generates) continue;
        const float w = static_cast<float>((q.refs[j]->weight + 1.0) / 2.0);
        if (q.refs[j]->initial) {  // initials have no keys
          if (adding) *gap += w;
          continue;
        }
        if (!adding && !generates &&
            q.volume[j] > options_.max_completion_postings) {
          // Completing from a very frequent token would read more postings
          // than it saves: count it as matched for everyone instead.
          *gap += w;
          continue;
        }
        const uint32_t bit = uint32_t{1} << j;
        const size_t group = passes.size();
        for (const SimilarToken& st : q.by_id[j]) {
          // Only close tokens count here (a true match has them); weaker
          // pairs are left to the full score of the candidates.
          if (st.similarity < options_.generator_min_similarity) continue;
          const bool wide_covered = st.wide && covered[j];
          if (wide_covered &&
              (!generates ||
               (generators > 1 &&
                wide_volume[j] > options_.max_wide_completion_postings))) {
            continue;
          }
          const bool read_adding =
              generates && (!wide_covered || generators <= 1);
          if (read_adding != adding) continue;
          const float credit = static_cast<float>(names::TokenCredit(
                                   st.similarity, options_.scoring.name)) *
                               w;
          const PostingRef postings = data_.posting_refs[st.id];
          if (postings.size == 0) continue;
          __builtin_prefetch(postings.data);
          if (postings.size > 16) __builtin_prefetch(postings.data + 16);
          passes.push_back({postings.data, postings.size, credit, bit, adding});
        }
        // Most similar first: a person listed under several of them counts
        // the best one only (the first to set its bit; the order of equal
        // credits does not matter).
        std::sort(passes.begin() + static_cast<std::ptrdiff_t>(group),
                  passes.end(), [](const PostingPass& x, const PostingPass& y) {
                    return x.credit > y.credit;
                  });
      }
    }
    size_t expected = 0;  // persons the adding passes can reach, at most
    for (const PostingPass& pass : passes) {
      if (pass.adding) expected += pass.size;
    }
    acc->Reset(data_.persons.size(), expected);
    for (const PostingPass& pass : passes) {
      const uint32_t bit = pass.bit;
      const float credit = pass.credit;
      const auto add = [&](Candidate* c) {
        if (c == nullptr || (c->mask & bit)) return;  // best similarity counted
        c->mask |= bit;
        c->bound += credit;
      };
      const Slot* const p = pass.postings;
      const size_t m = pass.size;
      postings_read_ += m;
      constexpr size_t kAhead = 8;
      if (pass.adding) {
        for (size_t k = 0; k < m; ++k) {
          if (k + kAhead < m) acc->Prefetch(p[k + kAhead]);
          add(&acc->At(p[k]));
        }
      } else {  // completing: only persons already reached
        for (size_t k = 0; k < m; ++k) add(acc->Find(p[k]));
      }
    }
  }

  // One posting list read by Accumulate.
  struct PostingPass {
    const Slot* postings;
    size_t size;
    float credit;  // added to the bound of each person listed
    uint32_t bit;  // the query token (mask bit)
    bool adding;   // generator (adds persons) or completion
  };

  const IndexData& data_;
  const IndexOptions& options_;
  std::vector<QueryName> names_;
  size_t tokens_compared_ = 0;
  size_t tokens_similar_ = 0;
  size_t postings_read_ = 0;
  std::vector<PostingPass> passes_;  // scratch of Accumulate
};

AnalyzedName ListedAnalyzedName(const IndexData& data,
                                const ListedPerson& person, size_t name_index) {
  AnalyzedName a;
  a.original = person.names[name_index];
  const size_t begin = name_index == 0 ? 0 : person.name_ends[name_index - 1];
  const size_t end = person.name_ends[name_index];
  for (size_t k = begin; k < end; ++k)
    a.tokens.push_back(*data.tokens[person.tokens[k]]);
  return a;
}

}  // namespace

Snapshot::Snapshot(std::shared_ptr<const IndexData> data,
                   std::shared_ptr<const IndexOptions> options)
    : data_(std::move(data)), options_(std::move(options)) {}

Snapshot::~Snapshot() = default;

size_t Snapshot::size() const { return data_->live; }
size_t Snapshot::token_count() const { return data_->tokens.size(); }

std::vector<Match> Snapshot::Screen(const Person& query,
                                    const ScreenOptions& options) const {
  std::vector<Match> out;
  QueryRun run(*data_, *options_, query);
  if (run.empty()) return out;
  const PersonFeatures qf = FeaturesOf(query);
  const FeatureWeights& fw = options_->scoring.features;
  const double name_floor =
      options.threshold - MaxFeatureBoost(qf, fw, /*documents=*/false);
  std::vector<uint32_t> query_documents;
  for (const auto& d : qf.documents) query_documents.push_back(DocumentBits(d));
  struct Hit {
    Slot slot;
    QueryRun::Scored scored;
  };
  std::vector<Hit> hits;
  for (const Slot slot :
       run.Candidates(name_floor, std::max(0.0, fw.document_match),
                      query_documents, nullptr)) {
    const auto& person = data_->persons[slot];
    if (person == nullptr) continue;
    // A name score is at most 1: a person whom the other features alone
    // keep below the threshold (born years apart, another nationality ...)
    // needs no name scoring.
    const double adjustment = FeatureAdjustment(qf, person->features, fw);
    if (CombineScore(1.0, adjustment) < options.threshold) continue;
    const QueryRun::Scored s = run.Score(*person, adjustment);
    if (s.score >= options.threshold) hits.push_back({slot, s});
  }
  // Best first; the unclamped score ranks two perfect names by the rest.
  std::sort(hits.begin(), hits.end(), [&](const Hit& x, const Hit& y) {
    if (x.scored.raw != y.scored.raw) return x.scored.raw > y.scored.raw;
    return data_->persons[x.slot]->id < data_->persons[y.slot]->id;
  });
  if (options.top_k > 0 && hits.size() > options.top_k)
    hits.resize(options.top_k);
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
      const AnalyzedName listed =
          ListedAnalyzedName(*data_, person, h.scored.listed_name);
      const names::NameComparison cmp =
          names::CompareNames(qn.analyzed, listed, options_->scoring.name);
      m.explanation =
          ExplainMatch(cmp, qn.analyzed.original, m.matched_name, qf,
                       person.features, options_->scoring.features);
    }
    out.push_back(std::move(m));
  }
  return out;
}

Snapshot::CandidateStats Snapshot::Candidates(
    const Person& query, std::string_view person_id) const {
  CandidateStats stats;
  QueryRun run(*data_, *options_, query);
  if (run.empty()) return stats;
  const PersonFeatures qf = FeaturesOf(query);
  const FeatureWeights& fw = options_->scoring.features;
  const double name_floor =
      kDefaultThreshold - MaxFeatureBoost(qf, fw, /*documents=*/false);
  std::vector<uint32_t> query_documents;
  for (const auto& d : qf.documents) query_documents.push_back(DocumentBits(d));
  const double document_boost = std::max(0.0, fw.document_match);
  size_t retrieved = 0;
  const std::vector<Slot> scored =
      run.Candidates(name_floor, document_boost, query_documents, &retrieved);
  stats.retrieved = retrieved;
  stats.tokens_compared = run.tokens_compared();
  stats.tokens_similar = run.tokens_similar();
  stats.postings_read = run.postings_read();
  stats.scored = scored.size();
  for (const Slot slot : scored) {
    const auto& p = data_->persons[slot];
    if (p == nullptr) continue;
    if (p->id == person_id) stats.found_scored = true;
    if (CombineScore(1.0, FeatureAdjustment(qf, p->features, fw)) >=
        kDefaultThreshold) {
      ++stats.name_scored;
    }
  }
  stats.found_retrieved = stats.found_scored;
  if (!stats.found_scored) {
    // Look again without pruning.
    for (const Slot slot :
         run.Candidates(name_floor, document_boost, query_documents, nullptr,
                        /*everything=*/true)) {
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

std::vector<PreparedPerson> Prepare(std::span<const Person> persons,
                                    int threads) {
  std::vector<PreparedPerson> out(persons.size());
  auto work = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      out[i].person = &persons[i];
      out[i].names.reserve(persons[i].names.size());
      for (const auto& n : persons[i].names)
        out[i].names.push_back(names::AnalyzeName(n));
    }
  };
  size_t n_threads = threads > 0
                         ? static_cast<size_t>(threads)
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
  DataBuilder(const IndexData& base, const IndexOptions& options)
      : options_(options),
        persons_(base.persons),
        slot_info_(base.slot_info),
        tokens_(base.tokens),
        postings_(base.postings),
        posting_refs_(base.posting_refs),
        neighbors_(base.neighbors),
        key_shards_(base.key_shards),
        shard_owned_(kKeyShards, false),
        live_(base.live) {}

  void Remove(Slot slot) {
    const auto person = persons_[slot];
    if (person == nullptr) return;
    for (const TokenId t : person->distinct) {
      PostingList& list = MutablePostings(t);  // kept sorted
      const auto it = std::lower_bound(list.begin(), list.end(), slot);
      if (it != list.end() && *it == slot) list.erase(it);
    }
    persons_.Mutable(slot) = nullptr;
    slot_info_.Mutable(slot) = 0;
    --live_;
  }

  Slot NewSlot() {
    slot_info_.PushBack(0);
    return static_cast<Slot>(persons_.PushBack(nullptr));
  }

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
    listed->distinct.erase(
        std::unique(listed->distinct.begin(), listed->distinct.end()),
        listed->distinct.end());
    for (const TokenId t : listed->distinct) {
      PostingList& list = MutablePostings(t);  // kept sorted
      if (list.empty() || list.back() < slot) {
        list.push_back(slot);
      } else {
        list.insert(std::lower_bound(list.begin(), list.end(), slot), slot);
      }
    }
    slot_info_.Mutable(slot) =
        PackWeightRange(listed->name_weights) |
        (uint64_t{DocumentBloom(listed->features.documents)} << 32);
    persons_.Mutable(slot) = std::move(listed);
    ++live_;
  }

  std::shared_ptr<const IndexData> Build() && {
    ComputeNeighbors();
    auto data = std::make_shared<IndexData>();
    data->persons = std::move(persons_).Build();
    data->slot_info = std::move(slot_info_).Build();
    for (size_t b = 0; b < data->slot_info.size(); b += kSlotInfoChunk)
      data->slot_info_chunks.push_back(&data->slot_info[b]);
    data->tokens = std::move(tokens_).Build();
    for (const TokenId t : owned_postings_) {
      const PostingList& list = *postings_[t];
      posting_refs_.Mutable(t) = {list.data(),
                                  static_cast<uint32_t>(list.size())};
    }
    data->postings = std::move(postings_).Build();
    data->posting_refs = std::move(posting_refs_).Build();
    data->neighbors = std::move(neighbors_).Build();
    data->key_shards = std::move(key_shards_);
    data->live = live_;
    return data;
  }

 private:
  TokenId Intern(const NameToken& tok,
                 absl::flat_hash_map<std::string, TokenId>* token_by_key) {
    std::string key = InternKey(tok);
    const auto it = token_by_key->find(key);
    if (it != token_by_key->end()) return it->second;
    const TokenId id = static_cast<TokenId>(
        tokens_.PushBack(std::make_shared<const NameToken>(tok)));
    postings_.PushBack(EmptyPostings());
    posting_refs_.PushBack(PostingRef{});
    neighbors_.PushBack(nullptr);
    new_tokens_.push_back(id);
    std::vector<uint64_t> keys = PostingKeys(tok);
    keys.push_back(IdentityKey(key));
    token_by_key->emplace(std::move(key), id);
    for (const uint64_t k : keys) {
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

  // The neighbours of every token new in this batch (in parallel: the
  // tables are only read meanwhile), then each new token is added to the
  // lists of its older neighbours (similarity is symmetric).
  void ComputeNeighbors() {
    if (new_tokens_.empty()) return;
    std::vector<std::vector<SimilarToken>> lists(new_tokens_.size());
    const TokenId first_new = new_tokens_.front();
    const double min =
        std::max(kNeighborFloor, options_.scoring.name.min_token_similarity);
    const double wide_min = std::max(min, options_.generator_min_similarity);
    auto work = [&](size_t begin, size_t end) {
      absl::flat_hash_set<TokenId> seen;
      for (size_t i = begin; i < end; ++i) {
        const TokenId t = new_tokens_[i];
        const NameToken& tok = *tokens_[t];
        seen.clear();
        std::vector<SimilarToken>& list = lists[i];
        list.push_back({t, 0, 0, 1.0f});
        seen.insert(t);
        const LookupKeys lookup(tok);
        for (size_t k = 0; k < lookup.keys.size(); ++k) {
          const uint64_t key = lookup.keys[k];
          const KeyShard& shard = *key_shards_[key >> 56];
          const auto it = shard.find(key);
          if (it == shard.end()) continue;
          for (const TokenId u : it->second) {
            if (!seen.insert(u).second) continue;
            // Pairs of two new tokens are computed once, by the later one.
            if (u >= first_new && u > t) continue;
            const double sim =
                names::TokenSimilarity(tok, *tokens_[u], options_.scoring.name);
            // A token reached through a wide key only is kept when close
            // (it may then complete or add persons); a weaker one would only
            // lengthen the list (a full score computes it when needed).
            const bool wide = k >= lookup.narrow;
            if (sim >= (wide ? wide_min : min))
              list.push_back({u, wide, tokens_[u]->script != tok.script,
                              static_cast<float>(sim)});
          }
        }
      }
    };
    size_t threads = options_.build_threads > 0
                         ? static_cast<size_t>(options_.build_threads)
                         : std::max(1u, std::thread::hardware_concurrency());
    threads = std::min(threads, std::max<size_t>(1, new_tokens_.size() / 1024));
    if (threads <= 1) {
      work(0, new_tokens_.size());
    } else {
      std::vector<std::thread> pool;
      const size_t per = (new_tokens_.size() + threads - 1) / threads;
      for (size_t k = 0; k < threads; ++k) {
        const size_t b = k * per;
        const size_t e = std::min(new_tokens_.size(), b + per);
        if (b < e) pool.emplace_back(work, b, e);
      }
      for (auto& th : pool) th.join();
    }
    // Complete the lists: the pairs of two new tokens computed by the later
    // one, and the new tokens close to older ones. New tokens are numbered
    // consecutively from first_new.
    absl::flat_hash_map<TokenId, std::vector<SimilarToken>> additions;
    for (size_t i = 0; i < new_tokens_.size(); ++i) {
      const TokenId t = new_tokens_[i];
      for (const SimilarToken& st : lists[i]) {
        if (st.id == t) continue;
        additions[st.id].push_back({t, st.wide, st.cross, st.similarity});
      }
    }
    for (size_t i = 0; i < new_tokens_.size(); ++i) {
      const TokenId t = new_tokens_[i];
      auto it = additions.find(t);
      if (it != additions.end()) {
        lists[i].insert(lists[i].end(), it->second.begin(), it->second.end());
        additions.erase(it);
      }
      std::sort(lists[i].begin(), lists[i].end(), BetterSimilar);
      if (lists[i].size() > kMaxNeighbors) lists[i].resize(kMaxNeighbors);
      std::sort(lists[i].begin(), lists[i].end(), ById);
      neighbors_.Mutable(t) = std::make_shared<const std::vector<SimilarToken>>(
          std::move(lists[i]));
    }
    for (auto& [u, add] : additions) {  // older tokens
      auto list =
          neighbors_[u] != nullptr
              ? std::make_shared<std::vector<SimilarToken>>(*neighbors_[u])
              : std::make_shared<std::vector<SimilarToken>>();
      list->insert(list->end(), add.begin(), add.end());
      std::sort(list->begin(), list->end(), BetterSimilar);
      if (list->size() > kMaxNeighbors) list->resize(kMaxNeighbors);
      std::sort(list->begin(), list->end(), ById);
      neighbors_.Mutable(u) = std::move(list);
    }
    new_tokens_.clear();
  }

  PostingList& MutablePostings(TokenId t) {
    if (!owned_postings_.contains(t)) {
      postings_.Mutable(t) = std::make_shared<PostingList>(*postings_[t]);
      owned_postings_.insert(t);
    }
    // Owned lists were created non-const by this builder.
    return const_cast<PostingList&>(*postings_[t]);
  }

  const IndexOptions& options_;
  CowVectorBuilder<std::shared_ptr<const ListedPerson>> persons_;
  CowVectorBuilder<uint64_t, kSlotInfoChunk> slot_info_;
  CowVectorBuilder<std::shared_ptr<const NameToken>, kTokenChunk> tokens_;
  CowVectorBuilder<std::shared_ptr<const PostingList>, kTokenChunk> postings_;
  CowVectorBuilder<PostingRef, kTokenChunk> posting_refs_;
  CowVectorBuilder<std::shared_ptr<const std::vector<SimilarToken>>,
                   kTokenChunk>
      neighbors_;
  std::vector<TokenId> new_tokens_;  // interned in this batch
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

std::shared_ptr<const Snapshot> Index::snapshot() const {
  return current_.load();
}

size_t Index::size() const { return snapshot()->size(); }

absl::Status Index::Upsert(const Person& person) {
  return UpsertBatch(std::span<const Person>(&person, 1));
}

absl::Status Index::UpsertBatch(std::span<const Person> persons) {
  for (size_t i = 0; i < persons.size(); ++i) {
    if (absl::Status s = ValidatePerson(persons[i]); !s.ok()) {
      return absl::InvalidArgumentError(
          persons.size() == 1
              ? std::string(s.message())
              : fmt::format("person {} (id \"{}\"): {}", i + 1, persons[i].id,
                            std::string(s.message())));
    }
  }
  absl::MutexLock lock(&writer_mu_);
  Apply(persons, {});
  return absl::OkStatus();
}

bool Index::Remove(std::string_view id) {
  absl::MutexLock lock(&writer_mu_);
  if (!writer_->slot_by_id.contains(std::string(id))) return false;
  const std::string ids[] = {std::string(id)};
  Apply(std::span<const Person>(), ids);
  return true;
}

void Index::Apply(std::span<const Person> persons,
                  std::span<const std::string> removals) {
  const std::shared_ptr<const Snapshot> base = current_.load();
  DataBuilder builder(*base->data_, *options_);
  WriterState& w = *writer_;
  for (const std::string& id : removals) {
    const auto it = w.slot_by_id.find(id);
    if (it == w.slot_by_id.end()) continue;
    builder.Remove(it->second);
    w.free_slots.push_back(it->second);
    w.slot_by_id.erase(it);
  }
  // Names are analysed in chunks (in parallel), so that a large batch never
  // holds every analysed name in memory at once.
  constexpr size_t kChunk = 16384;
  for (size_t begin = 0; begin < persons.size(); begin += kChunk) {
    const std::span<const Person> chunk =
        persons.subspan(begin, std::min(kChunk, persons.size() - begin));
    const std::vector<PreparedPerson> prepared =
        Prepare(chunk, options_->build_threads);
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
  }
  current_.store(std::shared_ptr<const Snapshot>(
      new Snapshot(std::move(builder).Build(), options_)));
}

absl::StatusOr<std::vector<Match>> Index::Screen(const Person& query,
                                                 double threshold,
                                                 size_t top_k) const {
  JISR_RETURN_IF_ERROR(ValidateQuery(query));
  ScreenOptions options;
  options.threshold = threshold;
  options.top_k = top_k;
  return snapshot()->Screen(query, options);
}

}  // namespace jisr::screening
