#include "training/training_sharing.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "federation/handler_util.h"
#include "federation/store.h"
#include "training/training_repository.h"

namespace jisr::training {
namespace {

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::vector<std::string> Others(std::span<const std::string> agencies, std::string_view self) {
  std::vector<std::string> out;
  for (const std::string& a : agencies) {
    if (a != self) out.push_back(a);
  }
  return out;
}

absl::Status CheckOwner(std::string_view owner, std::string_view agency, std::string_view what,
                        std::string_view id) {
  if (owner != agency) {
    return absl::FailedPreconditionError(fmt::format(
        "{} {} is written by {}: {} never passes a partner's record on", what, id, owner,
        agency));
  }
  return absl::OkStatus();
}

absl::Status PublishWhole(db::Transaction& tx, const std::vector<std::string>& share_with,
                          std::string_view agency, std::span<const std::string> removed,
                          std::string_view kind, std::string_view purge_kind,
                          const std::string& record, std::string_view id, int64_t version,
                          const boost::json::object& body, absl::Time now) {
  const std::vector<std::string> to = Others(share_with, agency);
  if (!to.empty()) {
    JISR_RETURN_IF_ERROR(federation::Publish(tx, to, kind, record, version, ToJson(body), now));
  }
  const std::vector<std::string> gone = Others(removed, agency);
  if (!gone.empty()) {
    JISR_RETURN_IF_ERROR(federation::Publish(tx, gone, purge_kind, record, version,
                                             ToJson(boost::json::object{{"id", id}}), now));
  }
  return absl::OkStatus();
}

absl::Status CheckEnvelope(const federation::Envelope& e, const std::string& record,
                           std::string_view owner, const std::vector<std::string>& share_with,
                           const std::string& agency) {
  if (e.record_id != record) {
    return absl::InvalidArgumentError(
        fmt::format("record_id {} does not match the body ({})", e.record_id, record));
  }
  if (owner != e.from) {
    return absl::PermissionDeniedError(
        fmt::format("{} is owned by {}: {} may not send it", record, owner, e.from));
  }
  if (!Has(share_with, agency)) {
    return absl::PermissionDeniedError(fmt::format("{} is not shared with {}", record, agency));
  }
  return absl::OkStatus();
}

absl::Status Audit(db::Transaction& tx, const audit::AuditLog& audit,
                   const federation::Envelope& e, std::string action, std::string object,
                   boost::json::object details) {
  audit::AuditEntry entry;
  entry.actor = fmt::format("peer:{}", e.from);
  entry.action = std::move(action);
  entry.object = std::move(object);
  entry.purpose = "federation";
  details["envelope"] = e.id;
  details["version"] = e.version;
  entry.details = ToJson(details);
  return audit.Append(tx, entry).status();
}

absl::Status ApplyProgramme(db::Transaction& tx, const federation::Envelope& e,
                            const std::string& agency, const audit::AuditLog& audit,
                            const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  absl::StatusOr<Programme> parsed = ProgrammeFromJson(body, JsonForm::kShared);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), "training programme");
  Programme p = *std::move(parsed);
  p.version = e.version;
  JISR_RETURN_IF_ERROR(CheckEnvelope(e, ProgrammeRecord(p.id), p.owner, p.share_with, agency));
  JISR_ASSIGN_OR_RETURN(std::optional<Programme> stored, FindProgramme(tx, p.id));
  if (stored && stored->owner != p.owner) {
    return absl::PermissionDeniedError(
        fmt::format("training programme {} here is owned by {}", p.id, stored->owner));
  }
  if (stored && stored->version >= p.version) return absl::OkStatus();
  const absl::Time now = TruncateToMillis(clock.Now());
  p.created_at = stored ? stored->created_at : now;
  p.updated_at = now;
  p.envelope_id = e.id;
  JISR_RETURN_IF_ERROR(SaveProgramme(tx, p, fmt::format("peer:{}", e.from)));
  return Audit(tx, audit, e, "training.programme.apply", fmt::format("training-programme/{}", p.id),
               {{"from_version", stored ? stored->version : 0}});
}

absl::Status ApplySession(db::Transaction& tx, const federation::Envelope& e,
                          const std::string& agency, const audit::AuditLog& audit,
                          const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  absl::StatusOr<Session> parsed = SessionFromJson(body, JsonForm::kShared);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), "training session");
  Session s = *std::move(parsed);
  s.version = e.version;
  JISR_ASSIGN_OR_RETURN(std::optional<Programme> programme, FindProgramme(tx, s.programme_id));
  if (!programme) {
    // The programme is sent before its sessions but may still be on its
    // way (the outbox orders by UUIDv7, random within one millisecond).
    return federation::RetryLater(
        fmt::format("no training programme {} here yet", s.programme_id));
  }
  if (programme->owner != s.owner) {
    return absl::PermissionDeniedError(fmt::format(
        "training programme {} is owned by {}, not {}", programme->id, programme->owner,
        s.owner));
  }
  JISR_RETURN_IF_ERROR(
      CheckEnvelope(e, SessionRecord(s.id), s.owner, programme->share_with, agency));
  JISR_ASSIGN_OR_RETURN(std::optional<Session> stored, FindSession(tx, s.id));
  if (stored && (stored->owner != s.owner || stored->programme_id != s.programme_id)) {
    return absl::PermissionDeniedError(
        fmt::format("training session {} here is owned by {}", s.id, stored->owner));
  }
  if (stored && stored->version >= s.version) return absl::OkStatus();
  const absl::Time now = TruncateToMillis(clock.Now());
  s.created_at = stored ? stored->created_at : now;
  s.updated_at = now;
  s.envelope_id = e.id;
  JISR_RETURN_IF_ERROR(SaveSession(tx, s, fmt::format("peer:{}", e.from)));
  return Audit(tx, audit, e, "training.session.apply", fmt::format("training-session/{}", s.id),
               {{"from_version", stored ? stored->version : 0}, {"state", s.state}});
}

absl::Status ApplyCatalogue(db::Transaction& tx, const federation::Envelope& e,
                            const std::string& agency, const audit::AuditLog& audit,
                            const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  absl::StatusOr<CatalogueItem> parsed = CatalogueItemFromJson(body, JsonForm::kShared);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), "catalogue item");
  CatalogueItem c = *std::move(parsed);
  c.version = e.version;
  JISR_RETURN_IF_ERROR(CheckEnvelope(e, CatalogueRecord(c.id), c.owner, c.share_with, agency));
  JISR_ASSIGN_OR_RETURN(std::optional<CatalogueItem> stored, FindCatalogueItem(tx, c.id));
  if (stored && stored->owner != c.owner) {
    return absl::PermissionDeniedError(
        fmt::format("catalogue item {} here is owned by {}", c.id, stored->owner));
  }
  if (stored && stored->version >= c.version) return absl::OkStatus();
  const absl::Time now = TruncateToMillis(clock.Now());
  c.created_at = stored ? stored->created_at : now;
  c.updated_at = now;
  c.envelope_id = e.id;
  JISR_RETURN_IF_ERROR(SaveCatalogueItem(tx, c, fmt::format("peer:{}", e.from)));
  return Audit(tx, audit, e, "training.catalogue.apply",
               fmt::format("training-catalogue/{}", c.id),
               {{"from_version", stored ? stored->version : 0}, {"active", c.active}});
}

template <typename T, absl::StatusOr<std::optional<T>> (*kFind)(db::Transaction&,
                                                                std::string_view),
          absl::StatusOr<bool> (*kDelete)(db::Transaction&, std::string_view)>
absl::Status ApplyPurge(db::Transaction& tx, const federation::Envelope& e,
                        const audit::AuditLog& audit, std::string_view what,
                        std::string (*record_of)(std::string_view)) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  JsonObjectReader r(body);
  absl::StatusOr<std::string> id = r.RequiredString("id", 64);
  if (!id.ok()) return federation::RefusedContent(id.status(), what);
  if (!IsUuid(*id)) return absl::InvalidArgumentError("id must be a UUID");
  if (e.record_id != record_of(*id)) {
    return absl::InvalidArgumentError("record_id does not match the body");
  }
  JISR_ASSIGN_OR_RETURN(std::optional<T> held, kFind(tx, *id));
  if (!held) return absl::OkStatus();  // nothing held here
  if (held->owner != e.from) {
    return absl::PermissionDeniedError(fmt::format("{} {} is owned by {}: {} may not purge it",
                                                   what, *id, held->owner, e.from));
  }
  JISR_ASSIGN_OR_RETURN(bool deleted, kDelete(tx, *id));
  return Audit(tx, audit, e, fmt::format("{}.purge", what), fmt::format("{}/{}", what, *id),
               {{"deleted", deleted}});
}

// At the provider: a partner's participant enrols, changes or withdraws.
absl::Status ApplyEnrolment(db::Transaction& tx, const federation::Envelope& e,
                            const std::string& agency, const audit::AuditLog& audit,
                            const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  absl::StatusOr<Enrolment> parsed = EnrolmentRequestFromJson(body);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), "enrolment");
  Enrolment in = *std::move(parsed);
  if (e.record_id != EnrolmentRecord(in.id)) {
    return absl::InvalidArgumentError("record_id does not match the body");
  }
  if (in.agency != e.from) {
    return absl::PermissionDeniedError(fmt::format(
        "enrolment {} is written by {}: {} may not send it", in.id, in.agency, e.from));
  }
  if (in.provider != agency) {
    return absl::PermissionDeniedError(
        fmt::format("enrolment {} is for provider {}, not {}", in.id, in.provider, agency));
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Session> session, FindSession(tx, in.session_id));
  if (!session || session->owner != agency || session->programme_id != in.programme_id) {
    return absl::NotFoundError(
        fmt::format("no training session {} of {} here", in.session_id, agency));
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Programme> programme,
                        FindProgramme(tx, session->programme_id));
  if (!programme || !Has(programme->share_with, e.from)) {
    return absl::PermissionDeniedError(
        fmt::format("training session {} is not offered to {}", in.session_id, e.from));
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Enrolment> stored, FindEnrolment(tx, in.id));
  if (stored && (stored->agency != in.agency || stored->session_id != in.session_id)) {
    return absl::PermissionDeniedError(
        fmt::format("enrolment {} here is of {} in session {}", in.id, stored->agency,
                    stored->session_id));
  }
  if (stored && stored->version >= e.version) return absl::OkStatus();
  const absl::Time now = TruncateToMillis(clock.Now());
  Enrolment en = stored ? *stored : in;
  en.participant = in.participant;
  en.withdrawn = in.withdrawn;
  en.version = e.version;
  en.session_starts_at = session->starts_at;
  en.created_at = stored ? stored->created_at : now;
  en.updated_at = now;
  en.envelope_id = e.id;
  const std::string before = stored ? stored->status : "";
  if (en.withdrawn) {
    if (en.status != "withdrawn") {
      en.status = "withdrawn";
      en.status_reason = "";
    }
  } else if (en.status == "pending") {
    JISR_RETURN_IF_ERROR(DecideEnrolment(tx, *session, &en));
  }
  const bool changed = en.status != before;
  if (changed) ++en.record_version;
  JISR_RETURN_IF_ERROR(SaveEnrolment(tx, en, fmt::format("peer:{}", e.from)));
  if (changed) JISR_RETURN_IF_ERROR(PublishOutcome(tx, en, agency, now));
  return Audit(tx, audit, e, "training.enrolment.apply",
               fmt::format("training-session/{}/enrolment/{}", en.session_id, en.id),
               {{"from_version", stored ? stored->version : 0},
                {"status", en.status},
                {"status_reason", en.status_reason}});
}

// At the participant's agency: the provider's decision, attendance and
// completion.
absl::Status ApplyOutcome(db::Transaction& tx, const federation::Envelope& e,
                          const std::string& agency, const audit::AuditLog& audit,
                          const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  absl::StatusOr<Enrolment> parsed = EnrolmentRecordFromJson(body);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), "training record");
  const Enrolment& in = *parsed;
  if (e.record_id != OutcomeRecord(in.id)) {
    return absl::InvalidArgumentError("record_id does not match the body");
  }
  if (in.provider != e.from) {
    return absl::PermissionDeniedError(fmt::format(
        "the record of enrolment {} is written by {}: {} may not send it", in.id, in.provider,
        e.from));
  }
  if (in.agency != agency) {
    return absl::PermissionDeniedError(
        fmt::format("enrolment {} is of {}, not {}", in.id, in.agency, agency));
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Enrolment> stored, FindEnrolment(tx, in.id));
  if (!stored) return absl::NotFoundError(fmt::format("no enrolment {} here", in.id));
  if (stored->agency != agency || stored->provider != e.from ||
      stored->session_id != in.session_id) {
    return absl::PermissionDeniedError(
        fmt::format("enrolment {} here is not {}'s participant with {}", in.id, agency, e.from));
  }
  if (stored->record_version >= e.version) return absl::OkStatus();
  Enrolment en = *stored;
  en.status = in.status;
  en.status_reason = in.status_reason;
  en.attended = in.attended;
  en.completion = in.completion;
  en.certificate_number = in.certificate_number;
  en.record_version = e.version;
  en.updated_at = TruncateToMillis(clock.Now());
  en.envelope_id = e.id;
  JISR_RETURN_IF_ERROR(SaveEnrolment(tx, en, fmt::format("peer:{}", e.from)));
  boost::json::object details{{"from_version", stored->record_version}, {"status", en.status}};
  if (!en.completion.empty()) details["completion"] = en.completion;
  return Audit(tx, audit, e, "training.record.apply",
               fmt::format("training-session/{}/enrolment/{}", en.session_id, en.id),
               std::move(details));
}

}  // namespace

std::string ProgrammeRecord(std::string_view id) {
  return fmt::format("training-programme:{}", id);
}
std::string SessionRecord(std::string_view id) { return fmt::format("training-session:{}", id); }
std::string CatalogueRecord(std::string_view id) {
  return fmt::format("training-catalogue:{}", id);
}
std::string EnrolmentRecord(std::string_view id) {
  return fmt::format("training-enrolment:{}", id);
}
std::string OutcomeRecord(std::string_view id) { return fmt::format("training-record:{}", id); }

absl::Status PublishProgramme(db::Transaction& tx, const Programme& p, std::string_view agency,
                              std::span<const std::string> removed, absl::Time now) {
  JISR_RETURN_IF_ERROR(CheckOwner(p.owner, agency, "training programme", p.id));
  return PublishWhole(tx, p.share_with, agency, removed, kProgrammeKind, kProgrammePurgeKind,
                      ProgrammeRecord(p.id), p.id, p.version, ProgrammeToJson(p), now);
}

absl::Status PublishSession(db::Transaction& tx, const Session& s, const Programme& p,
                            std::string_view agency, absl::Time now,
                            std::span<const std::string> to) {
  JISR_RETURN_IF_ERROR(CheckOwner(s.owner, agency, "training session", s.id));
  std::vector<std::string> recipients;
  for (const std::string& a : Others(p.share_with, agency)) {
    if (to.empty() || std::find(to.begin(), to.end(), a) != to.end()) recipients.push_back(a);
  }
  if (recipients.empty()) return absl::OkStatus();
  return federation::Publish(tx, recipients, kSessionKind, SessionRecord(s.id), s.version,
                             ToJson(SessionToJson(s)), now);
}

absl::Status PublishCatalogueItem(db::Transaction& tx, const CatalogueItem& c,
                                  std::string_view agency,
                                  std::span<const std::string> removed, absl::Time now) {
  JISR_RETURN_IF_ERROR(CheckOwner(c.owner, agency, "catalogue item", c.id));
  return PublishWhole(tx, c.share_with, agency, removed, kCatalogueKind, kCataloguePurgeKind,
                      CatalogueRecord(c.id), c.id, c.version, CatalogueItemToJson(c), now);
}

absl::Status PublishEnrolment(db::Transaction& tx, const Enrolment& e, std::string_view agency,
                              absl::Time now) {
  JISR_RETURN_IF_ERROR(CheckOwner(e.agency, agency, "enrolment", e.id));
  if (e.provider == agency) return absl::OkStatus();
  const std::string to[] = {e.provider};
  return federation::Publish(tx, to, kEnrolmentKind, EnrolmentRecord(e.id), e.version,
                             ToJson(EnrolmentRequestToJson(e)), now);
}

absl::Status PublishOutcome(db::Transaction& tx, const Enrolment& e, std::string_view agency,
                            absl::Time now) {
  JISR_RETURN_IF_ERROR(CheckOwner(e.provider, agency, "training record", e.id));
  if (e.agency == agency) return absl::OkStatus();
  const std::string to[] = {e.agency};
  return federation::Publish(tx, to, kRecordKind, OutcomeRecord(e.id), e.record_version,
                             ToJson(EnrolmentRecordToJson(e)), now);
}

absl::Status DecideEnrolment(db::Transaction& tx, const Session& session, Enrolment* e) {
  if (session.state != "planned" && session.state != "open") {
    e->status = "refused";
    e->status_reason = "session_not_open";
    return absl::OkStatus();
  }
  JISR_ASSIGN_OR_RETURN(int64_t confirmed, CountConfirmed(tx, session.id));
  if (confirmed >= session.capacity) {
    e->status = "refused";
    e->status_reason = "session_full";
    return absl::OkStatus();
  }
  e->status = "confirmed";
  e->status_reason = "";
  return absl::OkStatus();
}

absl::Status RegisterTrainingHandlers(federation::Receiver& receiver, std::string agency,
                                      const audit::AuditLog& audit, const Clock& clock) {
  const audit::AuditLog* log = &audit;
  const Clock* clk = &clock;
  using Fn = absl::Status (*)(db::Transaction&, const federation::Envelope&,
                              const std::string&, const audit::AuditLog&, const Clock&);
  const std::pair<std::string_view, Fn> kinds[] = {{kProgrammeKind, &ApplyProgramme},
                                                   {kSessionKind, &ApplySession},
                                                   {kCatalogueKind, &ApplyCatalogue},
                                                   {kEnrolmentKind, &ApplyEnrolment},
                                                   {kRecordKind, &ApplyOutcome}};
  for (const auto& [kind, fn] : kinds) {
    JISR_RETURN_IF_ERROR(receiver.Register(
        kind, [agency, log, clk, fn = fn](db::Transaction& tx, const federation::Envelope& e) {
          return fn(tx, e, agency, *log, *clk);
        }));
  }
  JISR_RETURN_IF_ERROR(receiver.Register(
      kProgrammePurgeKind, [log](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyPurge<Programme, &FindProgramme, &DeleteProgramme>(
            tx, e, *log, "training-programme", &ProgrammeRecord);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kCataloguePurgeKind, [log](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyPurge<CatalogueItem, &FindCatalogueItem, &DeleteCatalogueItem>(
            tx, e, *log, "training-catalogue", &CatalogueRecord);
      }));
  return absl::OkStatus();
}

}  // namespace jisr::training
