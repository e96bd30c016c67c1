#include "federation/receiver.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <vector>

#include "absl/strings/cord.h"
#include "common/json.h"
#include "common/status.h"
#include "federation/store.h"
#include "fmt/format.h"
#include "spdlog/spdlog.h"

namespace jisr::federation {
namespace {

FederationResponse Problem(int status, std::string_view title, std::string_view detail,
                           std::optional<std::string> field = std::nullopt) {
  boost::json::object o{{"type", "about:blank"}, {"title", title}, {"status", status},
                        {"detail", detail}};
  if (field) o["field"] = *field;
  FederationResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = ToJson(o);
  return r;
}

constexpr const char* kRetryLaterPayload = "jisr.federation/retry-later";

bool IsRefusal(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::Status RetryLater(std::string_view why) {
  absl::Status s = absl::UnavailableError(std::string(why));
  s.SetPayload(kRetryLaterPayload, absl::Cord("1"));
  return s;
}

bool IsRetryLater(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable &&
         status.GetPayload(kRetryLaterPayload).has_value();
}

// One envelope of a batch and what became of it.
struct Receiver::Item {
  std::optional<Envelope> envelope;
  std::string id;      // as sent (even when unparseable), for the answer
  std::string status;  // "" = still to apply; accepted|superseded|duplicate|rejected
  std::string reason;
};

Receiver::Receiver(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
                   ReceiverOptions options)
    : db_(db), audit_(audit), clock_(clock), options_(std::move(options)) {}

absl::Status Receiver::Register(std::string_view kind, InboxHandler handler) {
  if (kind.empty()) return absl::InvalidArgumentError("empty envelope kind");
  if (!handlers_.emplace(std::string(kind), std::move(handler)).second) {
    return absl::AlreadyExistsError(fmt::format("envelope kind {} has a handler already", kind));
  }
  return absl::OkStatus();
}

bool Receiver::IsPinned(std::string_view fingerprint) {
  bool pinned = false;
  absl::Status s = db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(std::optional<Peer> peer, FindPeerByFingerprint(tx, fingerprint));
    pinned = peer.has_value();
    return absl::OkStatus();
  });
  if (!s.ok()) spdlog::warn("federation: cannot check a certificate pin: {}", std::string(s.message()));
  return pinned;
}

void Receiver::HandshakeRejected(std::string_view fingerprint, std::string_view remote,
                                 std::string_view reason) {
  // Rate limit (see the header): the first refusals of each minute are
  // audited one by one, the others summed into one entry.
  int suppressed = 0;
  {
    absl::MutexLock lock(&rejected_mu_);
    const absl::Time now = clock_.Now();
    if (now - rejected_window_ >= absl::Minutes(1)) {
      suppressed = std::max(0, rejected_in_window_ - kMaxHandshakeAuditsPerMinute);
      rejected_window_ = now;
      rejected_in_window_ = 0;
    }
    ++rejected_in_window_;
    if (rejected_in_window_ > kMaxHandshakeAuditsPerMinute && suppressed == 0) return;
  }
  if (suppressed > 0) {
    audit::AuditEntry summary;
    summary.actor = "system";
    summary.action = "federation.handshake";
    summary.object = "certificate:many";
    summary.purpose = "federation";
    summary.outcome = audit::AuditOutcome::kDenied;
    summary.details = ToJson(boost::json::object{
        {"reason", "refused handshakes not audited one by one (rate limit)"},
        {"count", suppressed}});
    (void)db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return audit_.Append(tx, summary).status();
    });
  }
  audit::AuditEntry e;
  e.actor = fmt::format("tls:{}", remote.substr(0, 100));
  e.action = "federation.handshake";
  e.object = fingerprint.empty() ? std::string("certificate:none")
                                 : fmt::format("certificate:{}", fingerprint.substr(0, 80));
  e.purpose = "federation";
  e.outcome = audit::AuditOutcome::kDenied;
  e.details = ToJson(boost::json::object{{"reason", std::string(reason.substr(0, 500))}});
  absl::Status s = db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return audit_.Append(tx, e).status();
  });
  if (!s.ok()) spdlog::warn("federation: cannot audit a refused handshake: {}", std::string(s.message()));
  spdlog::warn("federation: refused a TLS client {} ({}): {}", remote, fingerprint, reason);
}

FederationResponse Receiver::Handle(const FederationRequest& request) {
  if (request.target != kEnvelopesPath) {
    return Problem(404, "Not Found", fmt::format("no federation resource {}", request.target.substr(0, 100)));
  }
  if (request.method != "POST") {
    return Problem(405, "Method Not Allowed", "use POST");
  }
  return HandleBatch(request);
}

void Receiver::AuditRejections(std::string_view peer, std::string_view fingerprint,
                               const std::vector<Item>& items) {
  std::vector<audit::AuditEntry> entries;
  for (const Item& item : items) {
    if (item.status != "rejected" && item.status != "duplicate") continue;
    audit::AuditEntry e;
    e.actor = fmt::format("peer:{}", peer);
    e.action = item.status == "duplicate" ? "federation.replay" : "federation.reject";
    e.object = item.envelope ? item.envelope->record_id : std::string();
    e.purpose = "federation";
    e.outcome = audit::AuditOutcome::kDenied;
    boost::json::object d{{"envelope", item.id.substr(0, 64)},
                          {"reason", item.reason.substr(0, 500)},
                          {"certificate", std::string(fingerprint)}};
    if (item.envelope) {
      d["kind"] = item.envelope->kind;
      d["from"] = item.envelope->from;
      d["version"] = item.envelope->version;
    }
    e.details = ToJson(d);
    entries.push_back(std::move(e));
  }
  if (entries.empty()) return;
  absl::Status s = db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
    for (const audit::AuditEntry& e : entries) JISR_RETURN_IF_ERROR(audit_.Append(tx, e).status());
    return absl::OkStatus();
  });
  if (!s.ok()) spdlog::warn("federation: cannot audit refusals: {}", std::string(s.message()));
}

FederationResponse Receiver::HandleBatch(const FederationRequest& request) {
  // Who sent it: the peer whose certificate the TLS layer accepted.
  std::optional<Peer> peer;
  absl::Status s = db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(peer, FindPeerByFingerprint(tx, request.peer_fingerprint));
    return absl::OkStatus();
  });
  if (!s.ok()) return Problem(503, "Service Unavailable", "the store cannot be read; retry later");
  if (!peer) return Problem(403, "Forbidden", "this certificate belongs to no registered peer");
  const std::string& sender = peer->card.agency;

  absl::StatusOr<boost::json::object> body = ParseJsonObject(request.body);
  if (!body.ok()) {
    return Problem(400, "Bad Request",
                   fmt::format("the body is not a JSON object: {}", std::string(body.status().message())),
                   "envelopes");
  }
  const boost::json::value* list = body->if_contains("envelopes");
  if (list == nullptr || !list->is_array()) {
    return Problem(400, "Bad Request", "envelopes must be an array", "envelopes");
  }
  const boost::json::array& array = list->get_array();
  if (array.size() > options_.max_batch) {
    return Problem(413, "Payload Too Large",
                   fmt::format("at most {} envelopes per batch", options_.max_batch), "envelopes");
  }

  // Checks that need no transaction.
  const absl::Time now = clock_.Now();
  std::vector<Item> items(array.size());
  for (size_t i = 0; i < array.size(); ++i) {
    Item& item = items[i];
    const std::string prefix = fmt::format("envelopes[{}].", i);
    if (!array[i].is_object()) {
      item.status = "rejected";
      item.reason = fmt::format("envelopes[{}] must be an object", i);
      continue;
    }
    if (const boost::json::value* id = array[i].get_object().if_contains("id");
        id != nullptr && id->is_string()) {
      item.id = std::string(id->get_string().subview(0, std::min<size_t>(64, id->get_string().size())));
    }
    absl::StatusOr<Envelope> e = EnvelopeFromJson(array[i].get_object(), prefix);
    if (!e.ok()) {
      item.status = "rejected";
      item.reason = std::string(e.status().message());
      continue;
    }
    item.envelope = *std::move(e);
    const Envelope& env = *item.envelope;
    if (env.from != sender) {
      item.status = "rejected";
      item.reason = fmt::format("from is {} but the certificate is {}'s", env.from, sender);
    } else if (env.to != options_.agency) {
      item.status = "rejected";
      item.reason = fmt::format("addressed to {}, not to this node ({})", env.to, options_.agency);
    } else if (!VerifySignature(env, peer->card.signing_key)) {
      item.status = "rejected";
      item.reason = fmt::format("bad signature: not signed by {}'s key, or altered", sender);
    } else if (absl::AbsDuration(now - env.sent_at) > options_.max_clock_skew) {
      item.status = "rejected";
      item.reason = fmt::format("sent_at {} is more than {} from now: refused as a possible replay",
                                FormatRfc3339(env.sent_at), absl::FormatDuration(options_.max_clock_skew));
    } else if (!handlers_.contains(env.kind)) {
      item.status = "rejected";
      item.reason = fmt::format("unknown kind {}", env.kind);
    }
  }

  // Apply what is left in one transaction; a handler's refusal (or
  // RetryLater) rolls the transaction back, marks that envelope rejected (or
  // deferred) and starts again without it (at most one round per envelope).
  for (size_t round = 0; round <= items.size(); ++round) {
    std::optional<size_t> refused;
    absl::Status refusal;
    std::vector<std::string> outcomes(items.size());
    s = db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
      refused.reset();
      for (size_t i = 0; i < items.size(); ++i) {
        Item& item = items[i];
        outcomes[i].clear();
        if (!item.status.empty()) continue;
        const Envelope& env = *item.envelope;
        JISR_ASSIGN_OR_RETURN(const bool seen, InboxContains(tx, env.id));
        if (seen) {
          outcomes[i] = "duplicate";
          continue;
        }
        JISR_ASSIGN_OR_RETURN(std::optional<int64_t> applied, AppliedVersion(tx, env.from, env.record_id));
        InboxOutcome outcome = InboxOutcome::kApplied;
        if (applied && *applied >= env.version) {
          outcome = InboxOutcome::kSuperseded;
        } else {
          absl::Status h = handlers_.at(env.kind)(tx, env);
          if (!h.ok()) {
            if (!IsRefusal(h) && !IsRetryLater(h)) return h;
            refused = i;
            refusal = h;
            return absl::CancelledError("refused");  // rolls back (Run retries only Aborted)
          }
        }
        JISR_RETURN_IF_ERROR(RecordReceived(tx, env, outcome, now));
        audit::AuditEntry e;
        e.actor = fmt::format("peer:{}", sender);
        e.action = "federation.receive";
        e.object = env.record_id;
        e.purpose = "federation";
        e.outcome = audit::AuditOutcome::kSuccess;
        e.details = ToJson(boost::json::object{
            {"envelope", env.id},
            {"kind", env.kind},
            {"version", env.version},
            {"outcome", outcome == InboxOutcome::kApplied ? "applied" : "superseded"}});
        JISR_RETURN_IF_ERROR(audit_.Append(tx, e).status());
        outcomes[i] = outcome == InboxOutcome::kApplied ? "accepted" : "superseded";
      }
      return absl::OkStatus();
    });
    if (refused) {
      items[*refused].status = IsRetryLater(refusal) ? "deferred" : "rejected";
      items[*refused].reason = std::string(refusal.message());
      continue;
    }
    if (!s.ok()) {
      spdlog::warn("federation: batch from {} not applied: {}", sender, std::string(s.message()));
      return Problem(503, "Service Unavailable", "the batch could not be stored; retry later");
    }
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].status.empty()) {
        items[i].status = outcomes[i];
        if (outcomes[i] == "duplicate") items[i].reason = "envelope received before (replay or retry)";
      }
    }
    break;
  }

  AuditRejections(sender, request.peer_fingerprint, items);
  boost::json::array results;
  results.reserve(items.size());
  for (const Item& item : items) {
    boost::json::object r{{"id", item.id}, {"status", item.status}};
    if (!item.reason.empty()) r["reason"] = item.reason;
    results.push_back(std::move(r));
  }
  FederationResponse response;
  response.body = ToJson(boost::json::object{{"results", std::move(results)}});
  return response;
}

}  // namespace jisr::federation
