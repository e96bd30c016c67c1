#include "federation/peer_service.h"

#include <map>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "fmt/format.h"
#include "security/audited_call.h"

namespace jisr::federation {
namespace {

absl::Status AuditAlone(db::Database& db, const audit::AuditLog& log, audit::AuditEntry e) {
  return db.Run(db::TxMode::kWrite, [&](db::Transaction& tx) { return log.Append(tx, e).status(); });
}

audit::AuditEntry Entry(const security::Principal& who, std::string_view action,
                        std::string object, audit::AuditOutcome outcome,
                        const boost::json::object& details) {
  audit::AuditEntry e;
  e.actor = who.Actor();
  e.action = std::string(action);
  e.object = std::move(object);
  e.purpose = "federation pairing";
  e.outcome = outcome;
  e.details = ToJson(details);
  return e;
}

// Pairing changes who may send records here (policy row peer.manage).
absl::Status CheckAdmin(const security::Principal& who) {
  return security::Authorize(who, security::Action::kPeerManage);
}

constexpr std::string_view kDeliveryPurpose = "federation delivery";

std::string PurposeOr(std::string_view purpose) {
  return purpose.empty() ? std::string(kDeliveryPurpose) : std::string(purpose);
}

absl::Status CheckCodeAndId(std::string_view code, std::optional<std::string_view> id) {
  JISR_RETURN_IF_ERROR(CheckAgencyCode(code, "code"));
  if (id && !IsUuid(*id)) return InvalidField("id", "id must be an envelope id (a UUID)");
  return absl::OkStatus();
}

// The audit object of an action on a partner's outbox: the code and id
// only once they are valid (a malformed one, maybe not even UTF-8, would
// make the audit entry itself invalid).
std::string OutboxObject(std::string_view code, std::optional<std::string_view> id) {
  const bool valid = CheckCodeAndId(code, id).ok();
  const std::string peer = valid ? std::string(code) : std::string("(invalid)");
  if (!id) return fmt::format("peer/{}/dead-letters", peer);
  return fmt::format("peer/{}/outbox/{}", peer, valid ? std::string(*id) : "(invalid)");
}

// NotFound unless `code` is a registered partner or has outbox rows.
absl::Status CheckKnownRecipient(db::Transaction& tx, std::string_view code) {
  JISR_ASSIGN_OR_RETURN(std::optional<Peer> peer, FindPeer(tx, code));
  if (peer) return absl::OkStatus();
  JISR_ASSIGN_OR_RETURN(bool rows, HasOutboxRows(tx, code));
  if (rows) return absl::OkStatus();
  return absl::NotFoundError(fmt::format("no partner {}", code));
}

boost::json::object EntryDetails(std::string_view op, const OutboxEntry& e) {
  return {{"op", op},
          {"peer", e.recipient},
          {"envelope_id", e.id},
          {"kind", e.kind},
          {"record_id", e.record_id},
          {"version", e.version},
          {"refusals", e.refusals}};
}

boost::json::value OptionalTime(const std::optional<absl::Time>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatRfc3339(*t));
}

}  // namespace

boost::json::object PartnerToJson(const PeerCard& card) {
  return {{"agency", card.agency},
          {"country", card.country},
          {"names", boost::json::object{
                        {"en", card.name_en}, {"fr", card.name_fr}, {"ar", card.name_ar}}}};
}

boost::json::object PeerHealthToJson(const PeerHealth& h, absl::Time now) {
  boost::json::object out;
  if (h.peer.card.tls_fingerprint.empty()) {
    out["peer"] = boost::json::object{{"agency", h.peer.card.agency}, {"registered", false}};
  } else {
    boost::json::object p = PeerToJson(h.peer);
    p["registered"] = true;
    out["peer"] = std::move(p);
  }
  out["outbox"] = boost::json::object{
      {"pending", h.outbox.pending},
      {"delivered", h.outbox.delivered},
      {"dead", h.outbox.dead},
      {"oldest_pending_age_seconds",
       h.outbox.oldest_pending ? boost::json::value(absl::ToDoubleSeconds(now - *h.outbox.oldest_pending))
                               : boost::json::value(nullptr)},
      {"last_delivered", OptionalTime(h.outbox.last_delivered)},
      {"max_attempts", h.outbox.max_attempts},
      {"last_error", h.outbox.last_error},
      {"last_dead_error", h.outbox.last_dead_error}};
  out["inbox"] = boost::json::object{{"received", h.inbox.received},
                                     {"last_received", OptionalTime(h.inbox.last_received)}};
  return out;
}

PeerService::PeerService(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
                         std::string agency)
    : db_(db), audit_(audit), clock_(clock), agency_(std::move(agency)) {}

absl::StatusOr<Peer> PeerService::Add(const security::Principal& who, std::string_view card_json) {
  if (absl::Status s = CheckAdmin(who); !s.ok()) {
    (void)AuditAlone(db_, audit_, Entry(who, "peer.add", "peer", audit::AuditOutcome::kDenied, {}));
    return s;
  }
  Peer peer;
  absl::Status status = [&]() -> absl::Status {
    JISR_ASSIGN_OR_RETURN(peer.card, PeerCardFromJson(card_json));
    if (peer.card.agency == agency_) {
      return InvalidField("agency", fmt::format("the card is this node's own ({})", agency_));
    }
    peer.added_by = who.Actor();
    peer.added_at = TruncateToMillis(clock_.Now());
    return db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
      JISR_RETURN_IF_ERROR(InsertPeer(tx, peer));
      return audit_
          .Append(tx, Entry(who, "peer.add", "peer/" + peer.card.agency,
                            audit::AuditOutcome::kSuccess,
                            {{"url", peer.card.federation_url},
                             {"tls_fingerprint", peer.card.tls_fingerprint}}))
          .status();
    });
  }();
  if (!status.ok()) {
    (void)AuditAlone(db_, audit_,
                     Entry(who, "peer.add", "peer", audit::AuditOutcome::kFailure,
                           {{"error", std::string(status.message()).substr(0, 500)}}));
    return status;
  }
  return peer;
}

absl::Status PeerService::Remove(const security::Principal& who, std::string_view code) {
  const std::string object = fmt::format("peer/{}", code.substr(0, 32));
  if (absl::Status s = CheckAdmin(who); !s.ok()) {
    (void)AuditAlone(db_, audit_, Entry(who, "peer.remove", object, audit::AuditOutcome::kDenied, {}));
    return s;
  }
  absl::Status status = db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
    JISR_RETURN_IF_ERROR(DeletePeer(tx, code));
    return audit_.Append(tx, Entry(who, "peer.remove", object, audit::AuditOutcome::kSuccess, {}))
        .status();
  });
  if (!status.ok()) {
    (void)AuditAlone(db_, audit_,
                     Entry(who, "peer.remove", object, audit::AuditOutcome::kFailure,
                           {{"error", std::string(status.message()).substr(0, 500)}}));
  }
  return status;
}

absl::StatusOr<std::vector<PeerHealth>> PeerService::List(const security::Principal& who) {
  if (absl::Status s = security::Authorize(who, security::Action::kFederationRead); !s.ok()) {
    (void)AuditAlone(db_, audit_, Entry(who, "federation.read", "peers", audit::AuditOutcome::kDenied, {}));
    return s;
  }
  std::map<std::string, PeerHealth> by_code;
  JISR_RETURN_IF_ERROR(db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
    by_code.clear();
    JISR_ASSIGN_OR_RETURN(std::vector<Peer> peers, ListPeers(tx));
    for (Peer& p : peers) {
      const std::string code = p.card.agency;
      PeerHealth& h = by_code[code];
      h.peer = std::move(p);
      h.outbox.recipient = code;
      h.inbox.sender = code;
    }
    JISR_ASSIGN_OR_RETURN(std::vector<OutboxStats> outbox, OutboxStatistics(tx));
    for (OutboxStats& o : outbox) {
      PeerHealth& h = by_code[o.recipient];
      h.peer.card.agency = o.recipient;
      h.outbox = std::move(o);
    }
    JISR_ASSIGN_OR_RETURN(std::vector<InboxStats> inbox, InboxStatistics(tx));
    for (InboxStats& i : inbox) {
      PeerHealth& h = by_code[i.sender];
      h.peer.card.agency = i.sender;
      h.inbox = std::move(i);
    }
    return audit_
        .Append(tx, Entry(who, "federation.read", "peers", audit::AuditOutcome::kSuccess,
                          {{"peers", static_cast<int64_t>(by_code.size())}}))
        .status();
  }));
  std::vector<PeerHealth> out;
  out.reserve(by_code.size());
  for (auto& [code, h] : by_code) out.push_back(std::move(h));
  return out;
}

absl::StatusOr<std::vector<PeerCard>> PeerService::Directory(const security::Principal& who) {
  JISR_RETURN_IF_ERROR(security::Authorize(who, security::Action::kPartnerList));
  std::vector<PeerCard> out;
  JISR_RETURN_IF_ERROR(db_.Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(std::vector<Peer> peers, ListPeers(tx));
    out.clear();
    out.reserve(peers.size());
    for (Peer& p : peers) out.push_back(std::move(p.card));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<PeerService::DeadLetterPage> PeerService::DeadLetters(
    const security::Principal& who, std::string_view code, int64_t offset, int64_t limit) {
  const std::string object = OutboxObject(code, std::nullopt);
  if (absl::Status s = security::Authorize(who, security::Action::kFederationRead); !s.ok()) {
    (void)AuditAlone(db_, audit_,
                     Entry(who, "federation.read", object, audit::AuditOutcome::kDenied, {}));
    return s;
  }
  JISR_RETURN_IF_ERROR(CheckCodeAndId(code, std::nullopt));
  if (offset < 0) return InvalidField("offset", "offset must be 0 or more");
  if (limit < 1 || limit > 500) return InvalidField("limit", "limit must be between 1 and 500");
  DeadLetterPage page;
  JISR_RETURN_IF_ERROR(db_.Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckKnownRecipient(tx, code));
    JISR_ASSIGN_OR_RETURN(page.items, ListDeadLetters(tx, code, offset, limit));
    JISR_ASSIGN_OR_RETURN(page.total, CountDeadLetters(tx, code));
    audit::AuditEntry e = Entry(who, "federation.read", object, audit::AuditOutcome::kSuccess,
                                {{"dead", page.total},
                                 {"listed", static_cast<int64_t>(page.items.size())}});
    e.purpose = std::string(kDeliveryPurpose);
    return audit_.Append(tx, e).status();
  }));
  return page;
}

absl::StatusOr<OutboxEntry> PeerService::RetryDeadLetter(const security::Principal& who,
                                                         std::string_view code,
                                                         std::string_view id,
                                                         std::string_view purpose) {
  // Authorized first (AuditedWrite), then the input checked: a caller
  // without the permission gets 403 (audited as denied) whatever it sent.
  OutboxEntry out;
  JISR_RETURN_IF_ERROR(security::AuditedWrite(
      db_, audit_, who, security::Action::kFederationOutboxManage,
      OutboxObject(code, id), PurposeOr(purpose),
      [&](db::Transaction& tx, boost::json::object& details, std::string&) -> absl::Status {
        JISR_RETURN_IF_ERROR(CheckCodeAndId(code, id));
        JISR_RETURN_IF_ERROR(CheckKnownRecipient(tx, code));
        JISR_ASSIGN_OR_RETURN(std::optional<OutboxEntry> before, FindOutboxEntry(tx, code, id));
        JISR_ASSIGN_OR_RETURN(out, federation::RetryDeadLetter(tx, code, id, clock_.Now()));
        details = EntryDetails("retry", out);
        details["refusals"] = before ? before->refusals : 0;  // before the reset
        return absl::OkStatus();
      }));
  return out;
}

absl::Status PeerService::DiscardDeadLetter(const security::Principal& who, std::string_view code,
                                            std::string_view id, std::string_view purpose) {
  return security::AuditedWrite(
      db_, audit_, who, security::Action::kFederationOutboxManage,
      OutboxObject(code, id), PurposeOr(purpose),
      [&](db::Transaction& tx, boost::json::object& details, std::string&) -> absl::Status {
        JISR_RETURN_IF_ERROR(CheckCodeAndId(code, id));
        JISR_RETURN_IF_ERROR(CheckKnownRecipient(tx, code));
        JISR_ASSIGN_OR_RETURN(OutboxEntry gone, federation::DiscardDeadLetter(tx, code, id));
        details = EntryDetails("discard", gone);
        details["last_error"] = gone.last_error.substr(0, 300);
        return absl::OkStatus();
      });
}

absl::StatusOr<int64_t> PeerService::RetryAllDeadLetters(const security::Principal& who,
                                                         std::string_view code,
                                                         std::string_view purpose) {
  int64_t n = 0;
  JISR_RETURN_IF_ERROR(security::AuditedWrite(
      db_, audit_, who, security::Action::kFederationOutboxManage,
      OutboxObject(code, std::nullopt), PurposeOr(purpose),
      [&](db::Transaction& tx, boost::json::object& details, std::string&) -> absl::Status {
        JISR_RETURN_IF_ERROR(CheckCodeAndId(code, std::nullopt));
        JISR_RETURN_IF_ERROR(CheckKnownRecipient(tx, code));
        JISR_ASSIGN_OR_RETURN(n, federation::RetryAllDeadLetters(tx, code, clock_.Now()));
        details = {{"op", "retry_all"}, {"peer", code}, {"requeued", n}};
        return absl::OkStatus();
      }));
  return n;
}

}  // namespace jisr::federation
