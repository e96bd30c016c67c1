#include "alerts/alert_index.h"

#include <fmt/format.h>

#include <utility>

#include "common/status.h"
#include "names/normalize.h"

namespace jisr::alerts {
namespace {

screening::Gender ToEngine(Gender g) {
  switch (g) {
    case Gender::kMale:
      return screening::Gender::kMale;
    case Gender::kFemale:
      return screening::Gender::kFemale;
    case Gender::kOther:
      return screening::Gender::kOther;
    case Gender::kUnknown:
      break;
  }
  return screening::Gender::kUnknown;
}

// The listed person for `alert`: the primary name first, then the others.
screening::Person ToPerson(const std::string& id, const AlertContent& c) {
  screening::Person p;
  p.id = id;
  for (const AlertName& n : c.names) {
    if (n.kind == NameKind::kPrimary) p.names.push_back(n.full);
  }
  for (const AlertName& n : c.names) {
    if (n.kind != NameKind::kPrimary) p.names.push_back(n.full);
  }
  p.birth_date = c.birth_date;
  p.nationalities = c.nationalities;
  p.gender = ToEngine(c.gender);
  for (const Document& d : c.documents) p.documents.push_back(d.number);
  return p;
}

// The content index of the name the engine refused in `p` (names primary
// first), mapped back to the position in `c.names`.
std::string RefusedNameField(const AlertContent& c,
                             const screening::Person& p) {
  for (size_t i = 0; i < c.names.size(); ++i) {
    screening::Person one;
    one.id = p.id;
    one.names = {c.names[i].full};
    if (!screening::ValidatePerson(one).ok()) {
      return fmt::format("names[{}].full", i);
    }
  }
  return "names";
}

}  // namespace

double DefaultThreshold() { return screening::kDefaultThreshold; }

AlertIndex::AlertIndex() : AlertIndex(screening::IndexOptions()) {}

AlertIndex::AlertIndex(screening::IndexOptions options)
    : index_(std::make_unique<screening::Index>(std::move(options))) {}

AlertIndex::~AlertIndex() = default;

absl::Status AlertIndex::CheckIndexable(const AlertContent& content) {
  const screening::Person p = ToPerson("check", content);
  absl::Status s = screening::ValidatePerson(p);
  if (s.ok()) return s;
  const std::string field = RefusedNameField(content, p);
  return InvalidField(field, fmt::format("{} cannot be screened: {}", field,
                                         std::string(s.message())));
}

absl::Status AlertIndex::Sync(const Alert& alert) {
  absl::MutexLock lock(&mu_);
  Known& known = known_[alert.id];
  if (alert.version < known.version) return absl::OkStatus();
  known.version = alert.version;
  absl::Status status;
  bool listed = false;
  if (alert.status == AlertStatus::kActive) {
    status = index_->Upsert(ToPerson(alert.id, alert.content));
    listed = status.ok();
  }
  if (!listed && known.listed) index_->Remove(alert.id);
  if (listed != known.listed) {
    if (listed) {
      ++listed_count_;
    } else {
      --listed_count_;
    }
  }
  known.listed = listed;
  return status;
}

absl::StatusOr<size_t> AlertIndex::Reload(std::span<const Alert> alerts) {
  absl::MutexLock lock(&mu_);
  std::vector<screening::Person> persons;
  absl::flat_hash_map<std::string, Known> next;
  for (const Alert& a : alerts) {
    if (a.status != AlertStatus::kActive) continue;
    if (auto it = known_.find(a.id);
        it != known_.end() && it->second.version > a.version) {
      next[a.id] = it->second;  // a newer version was synced meanwhile
      continue;
    }
    screening::Person p = ToPerson(a.id, a.content);
    const bool ok = screening::ValidatePerson(p).ok();
    next[a.id] = Known{a.version, ok};
    if (ok) persons.push_back(std::move(p));
  }
  JISR_RETURN_IF_ERROR(index_->UpsertBatch(persons));
  for (const auto& [id, k] : known_) {
    if (!k.listed) continue;
    const auto it = next.find(id);
    if (it == next.end() || !it->second.listed) index_->Remove(id);
  }
  known_ = std::move(next);
  listed_count_ = 0;
  for (const auto& [id, k] : known_) {
    if (k.listed) ++listed_count_;
  }
  return listed_count_;
}

absl::StatusOr<std::vector<IndexMatch>> AlertIndex::Screen(
    const ScreeningSubject& subject, double threshold, size_t top_k) const {
  screening::Person query;
  query.id = "query";
  query.names = subject.names;
  query.birth_date = subject.birth_date;
  query.nationalities = subject.nationalities;
  query.gender = ToEngine(subject.gender);
  query.documents = subject.documents;
  if (!screening::ValidateQuery(query).ok()) {
    return InvalidField("person.name",
                        "the person to screen has no name with letters");
  }
  screening::ScreenOptions options;
  options.threshold = threshold;
  options.top_k = top_k;
  options.explain = true;
  std::vector<IndexMatch> out;
  for (screening::Match& m : index_->snapshot()->Screen(query, options)) {
    IndexMatch im;
    im.alert_id = std::move(m.person_id);
    im.score = m.score;
    im.matched_name = std::move(m.matched_name);
    im.query_name = std::move(m.query_name);
    im.explanation = std::move(m.explanation);
    out.push_back(std::move(im));
  }
  return out;
}

size_t AlertIndex::size() const {
  absl::MutexLock lock(&mu_);
  return listed_count_;
}

bool AlertIndex::Contains(std::string_view id) const {
  absl::MutexLock lock(&mu_);
  const auto it = known_.find(std::string(id));
  return it != known_.end() && it->second.listed;
}

std::string SearchKey(std::string_view text) {
  return names::NormalizeName(text);
}

}  // namespace jisr::alerts
