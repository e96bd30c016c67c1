#include "training/training_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "common/ids.h"
#include "common/json.h"
#include "common/record_errors.h"
#include "common/status.h"
#include "security/audited_call.h"
#include "security/service_util.h"
#include "training/training_sharing.h"

namespace jisr::training {

using security::Action;
using security::Principal;
using security::internal::SanitizeText;

namespace {

std::string Object(std::string_view what, std::string_view id) {
  return fmt::format("{}/{}", what, SanitizeText(id, 64));
}

absl::Status NeedPurpose(std::string_view purpose) {
  if (purpose.empty()) {
    return InvalidField("purpose",
                        "participants are personal data: give the purpose (X-Purpose)");
  }
  return absl::OkStatus();
}

std::vector<std::string> Minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  }
  return out;
}

absl::StatusOr<Session> SessionHere(db::Transaction& tx, std::string_view id) {
  JISR_RETURN_IF_ERROR(CheckUuid(id));
  JISR_ASSIGN_OR_RETURN(std::optional<Session> s, FindSession(tx, id));
  if (!s) return absl::NotFoundError(fmt::format("no training session with id {}", id));
  return *std::move(s);
}

absl::StatusOr<Enrolment> EnrolmentHere(db::Transaction& tx, std::string_view id) {
  JISR_RETURN_IF_ERROR(CheckUuid(id));
  JISR_ASSIGN_OR_RETURN(std::optional<Enrolment> e, FindEnrolment(tx, id));
  if (!e) return absl::NotFoundError(fmt::format("no enrolment with id {}", id));
  return *std::move(e);
}

}  // namespace

TrainingService::TrainingService(db::Database& db, const audit::AuditLog& audit,
                                 const Clock& clock, TrainingOptions options)
    : db_(db), audit_(audit), clock_(clock), options_(std::move(options)) {}

absl::Status TrainingService::Run(
    const Principal& who, Action action, std::string object, std::string_view purpose,
    absl::FunctionRef<absl::Status(db::Transaction&, boost::json::object&, std::string&)> fn) {
  return security::AuditedWrite(db_, audit_, who, action, std::move(object), purpose, fn);
}

absl::Status TrainingService::CheckPartners(db::Transaction& tx,
                                            const std::vector<std::string>& agencies) {
  for (size_t i = 0; i < agencies.size(); ++i) {
    if (agencies[i] == options_.agency) {
      return InvalidField(fmt::format("share_with[{}]", i),
                          "share_with names the partners, not this agency");
    }
    JISR_ASSIGN_OR_RETURN(std::optional<federation::Peer> peer,
                          federation::FindPeer(tx, agencies[i]));
    if (!peer) {
      return InvalidField(fmt::format("share_with[{}]", i),
                          fmt::format("{} is not a registered partner of this node", agencies[i]));
    }
  }
  return absl::OkStatus();
}

// ---- programmes -------------------------------------------------------------

absl::StatusOr<Programme> TrainingService::CreateProgramme(const Principal& who, Programme input,
                                                           std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  Programme p = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingManage, "training-programme", purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string& object) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckPartners(tx, p.share_with));
    p.id = NewUuidV7(now);
    p.owner = options_.agency;
    p.version = 1;
    p.created_at = p.updated_at = now;
    JISR_RETURN_IF_ERROR(ValidateProgramme(p));
    JISR_RETURN_IF_ERROR(SaveProgramme(tx, p, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishProgramme(tx, p, options_.agency, {}, now));
    object = Object("training-programme", p.id);
    details["version"] = p.version;
    details["share_with"] = boost::json::value_from(p.share_with);
    return absl::OkStatus();
  }));
  return p;
}

absl::StatusOr<ProgrammeView> TrainingService::GetProgramme(const Principal& who,
                                                            std::string_view id,
                                                            std::string_view purpose) {
  ProgrammeView v;
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingRead, Object("training-programme", id), purpose,
                           [&](db::Transaction& tx, boost::json::object&,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(id));
    JISR_ASSIGN_OR_RETURN(std::optional<Programme> p, FindProgramme(tx, id));
    if (!p) return absl::NotFoundError(fmt::format("no training programme with id {}", id));
    v.programme = *std::move(p);
    JISR_ASSIGN_OR_RETURN(v.sessions, training::ListSessions(tx, id));
    return absl::OkStatus();
  }));
  return v;
}

absl::StatusOr<Page<Programme>> TrainingService::ListProgrammes(const Principal& who,
                                                                int64_t page, int64_t page_size,
                                                                std::string_view purpose) {
  Page<Programme> out;
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingRead, "training-programme", purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(auto paging, PageWindow(page, page_size, kMaxPageSize));
    JISR_ASSIGN_OR_RETURN(out, training::ListProgrammes(tx, paging.first, paging.second));
    details["returned"] = static_cast<int64_t>(out.items.size());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Programme> TrainingService::UpdateProgramme(const Principal& who,
                                                           std::string_view id, Programme input,
                                                           std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  Programme p = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingManage, Object("training-programme", id),
                           purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(id));
    JISR_ASSIGN_OR_RETURN(std::optional<Programme> stored, FindProgramme(tx, id));
    if (!stored) return absl::NotFoundError(fmt::format("no training programme with id {}", id));
    if (stored->owner != options_.agency) {
      return NotOwnedHere("training programme", id, stored->owner);
    }
    if (stored->version != p.version) {
      return StaleVersion("the training programme", p.version, stored->version);
    }
    JISR_RETURN_IF_ERROR(CheckPartners(tx, p.share_with));
    p.id = stored->id;
    p.owner = stored->owner;
    p.version = stored->version + 1;
    p.created_at = stored->created_at;
    p.updated_at = now;
    JISR_RETURN_IF_ERROR(ValidateProgramme(p));
    JISR_RETURN_IF_ERROR(SaveProgramme(tx, p, who.Actor()));
    const std::vector<std::string> removed = Minus(stored->share_with, p.share_with);
    const std::vector<std::string> added = Minus(p.share_with, stored->share_with);
    JISR_RETURN_IF_ERROR(PublishProgramme(tx, p, options_.agency, removed, now));
    if (!added.empty()) {
      // Stamped a millisecond later: the outbox orders by UUIDv7, random
      // within one millisecond, and a session needs its programme first.
      JISR_ASSIGN_OR_RETURN(std::vector<Session> sessions, training::ListSessions(tx, p.id));
      for (const Session& s : sessions) {
        JISR_RETURN_IF_ERROR(
            PublishSession(tx, s, p, options_.agency, now + absl::Milliseconds(1), added));
      }
    }
    details["version"] = p.version;
    details["removed"] = boost::json::value_from(removed);
    details["added"] = boost::json::value_from(added);
    return absl::OkStatus();
  }));
  return p;
}

// ---- sessions ---------------------------------------------------------------

absl::StatusOr<Session> TrainingService::CreateSession(const Principal& who,
                                                       std::string_view programme_id,
                                                       Session input, std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  Session s = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingManage,
                           Object("training-programme", programme_id), purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string& object) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(programme_id));
    JISR_ASSIGN_OR_RETURN(std::optional<Programme> p, FindProgramme(tx, programme_id));
    if (!p) {
      return absl::NotFoundError(fmt::format("no training programme with id {}", programme_id));
    }
    if (p->owner != options_.agency) return NotOwnedHere("training programme", p->id, p->owner);
    s.id = NewUuidV7(now);
    s.programme_id = p->id;
    s.owner = options_.agency;
    s.version = 1;
    s.created_at = s.updated_at = now;
    JISR_RETURN_IF_ERROR(ValidateSession(s));
    JISR_RETURN_IF_ERROR(SaveSession(tx, s, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishSession(tx, s, *p, options_.agency, now));
    object = Object("training-session", s.id);
    details["version"] = s.version;
    details["programme"] = p->id;
    return absl::OkStatus();
  }));
  return s;
}

absl::StatusOr<SessionView> TrainingService::GetSession(const Principal& who,
                                                        std::string_view id,
                                                        std::string_view purpose) {
  SessionView v;
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingRead, Object("training-session", id), purpose,
                           [&](db::Transaction& tx, boost::json::object&,
                               std::string&) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(v.session, SessionHere(tx, id));
    JISR_ASSIGN_OR_RETURN(v.confirmed, CountConfirmed(tx, id));
    return absl::OkStatus();
  }));
  return v;
}

absl::StatusOr<std::vector<Session>> TrainingService::ListSessions(const Principal& who,
                                                                   std::string_view programme_id,
                                                                   std::string_view purpose) {
  std::vector<Session> out;
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingRead,
                           Object("training-programme", programme_id), purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(programme_id));
    JISR_ASSIGN_OR_RETURN(std::optional<Programme> p, FindProgramme(tx, programme_id));
    if (!p) {
      return absl::NotFoundError(fmt::format("no training programme with id {}", programme_id));
    }
    JISR_ASSIGN_OR_RETURN(out, training::ListSessions(tx, programme_id));
    details["returned"] = static_cast<int64_t>(out.size());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Session> TrainingService::UpdateSession(const Principal& who, std::string_view id,
                                                       Session input,
                                                       std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  Session s = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingManage, Object("training-session", id), purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(Session stored, SessionHere(tx, id));
    if (stored.owner != options_.agency) return NotOwnedHere("training session", id, stored.owner);
    if (stored.version != s.version) return StaleVersion("the training session", s.version, stored.version);
    JISR_ASSIGN_OR_RETURN(std::optional<Programme> p, FindProgramme(tx, stored.programme_id));
    if (!p) return absl::NotFoundError("the session's programme is missing");
    s.id = stored.id;
    s.programme_id = stored.programme_id;
    s.owner = stored.owner;
    s.version = stored.version + 1;
    s.created_at = stored.created_at;
    s.updated_at = now;
    JISR_RETURN_IF_ERROR(ValidateSession(s));
    JISR_RETURN_IF_ERROR(SaveSession(tx, s, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishSession(tx, s, *p, options_.agency, now));
    details["version"] = s.version;
    details["state"] = s.state;
    return absl::OkStatus();
  }));
  return s;
}

// ---- enrolments -------------------------------------------------------------

absl::StatusOr<Enrolment> TrainingService::Enrol(const Principal& who,
                                                 std::string_view session_id,
                                                 Participant participant,
                                                 std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  Enrolment e;
  JISR_RETURN_IF_ERROR(NeedPurpose(purpose));
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingEnrol, Object("training-session", session_id),
                           purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string& object) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(Session s, SessionHere(tx, session_id));
    if (s.state != "planned" && s.state != "open") {
      return absl::FailedPreconditionError(fmt::format(
          "session_not_open: training session {} is {}, not open for enrolment", s.id, s.state));
    }
    e.id = NewUuidV7(now);
    e.session_id = s.id;
    e.programme_id = s.programme_id;
    e.provider = s.owner;
    e.agency = options_.agency;
    e.session_starts_at = s.starts_at;
    e.participant = std::move(participant);
    e.version = 1;
    e.created_at = e.updated_at = now;
    if (s.owner == options_.agency) {
      JISR_RETURN_IF_ERROR(DecideEnrolment(tx, s, &e));
      if (e.status != "confirmed") {
        return absl::FailedPreconditionError(fmt::format(
            "{}: training session {} holds {} participants", e.status_reason, s.id, s.capacity));
      }
      e.record_version = 1;
    }
    JISR_RETURN_IF_ERROR(SaveEnrolment(tx, e, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishEnrolment(tx, e, options_.agency, now));
    object = Object("training-session", s.id) + "/enrolment/" + e.id;
    details["status"] = e.status;
    details["provider"] = e.provider;
    return absl::OkStatus();
  }));
  return e;
}

absl::StatusOr<Enrolment> TrainingService::Withdraw(const Principal& who, std::string_view id,
                                                    std::string_view purpose) {
  JISR_RETURN_IF_ERROR(NeedPurpose(purpose));  // the answer names the participant
  const absl::Time now = TruncateToMillis(clock_.Now());
  Enrolment e;
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingEnrol, Object("training-enrolment", id), purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(e, EnrolmentHere(tx, id));
    if (e.agency != options_.agency) {
      return absl::FailedPreconditionError(fmt::format(
          "enrolment {} is a participant of {}: only {} withdraws it", id, e.agency, e.agency));
    }
    if (e.withdrawn) return absl::OkStatus();
    e.withdrawn = true;
    ++e.version;
    e.updated_at = now;
    if (e.provider == options_.agency) {
      e.status = "withdrawn";
      e.status_reason = "";
      ++e.record_version;
    }
    JISR_RETURN_IF_ERROR(SaveEnrolment(tx, e, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishEnrolment(tx, e, options_.agency, now));
    details["version"] = e.version;
    return absl::OkStatus();
  }));
  return e;
}

absl::StatusOr<Enrolment> TrainingService::GetEnrolment(const Principal& who,
                                                        std::string_view id,
                                                        std::string_view purpose) {
  Enrolment e;
  JISR_RETURN_IF_ERROR(NeedPurpose(purpose));
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingEnrol, Object("training-enrolment", id), purpose,
                           [&](db::Transaction& tx, boost::json::object&,
                               std::string&) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(e, EnrolmentHere(tx, id));
    return absl::OkStatus();
  }));
  return e;
}

absl::StatusOr<EnrolmentList> TrainingService::ListEnrolments(const Principal& who,
                                                              std::string_view session_id,
                                                              std::string_view purpose) {
  EnrolmentList out;
  JISR_RETURN_IF_ERROR(NeedPurpose(purpose));
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingEnrol, Object("training-session", session_id),
                           purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_ASSIGN_OR_RETURN(out.session, SessionHere(tx, session_id));
    JISR_ASSIGN_OR_RETURN(out.enrolments, training::ListEnrolments(tx, session_id));
    for (const Enrolment& e : out.enrolments) {
      AgencyCounts& c = out.by_agency[e.agency];
      if (e.status == "confirmed") ++c.confirmed;
      else if (e.status == "refused") ++c.refused;
      else if (e.status == "withdrawn") ++c.withdrawn;
      else ++c.pending;
    }
    details["returned"] = static_cast<int64_t>(out.enrolments.size());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Enrolment> TrainingService::RecordOutcome(const Principal& who,
                                                         std::string_view id, Outcome outcome,
                                                         std::string_view purpose) {
  JISR_RETURN_IF_ERROR(NeedPurpose(purpose));  // the answer names the participant
  const absl::Time now = TruncateToMillis(clock_.Now());
  Enrolment e;
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingManage, Object("training-enrolment", id),
                           purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(ValidateOutcome(outcome));
    JISR_ASSIGN_OR_RETURN(e, EnrolmentHere(tx, id));
    if (e.provider != options_.agency) {
      return absl::FailedPreconditionError(fmt::format(
          "enrolment {} is in a session of {}: only {} records attendance", id, e.provider,
          e.provider));
    }
    if (e.status != "confirmed") {
      return absl::FailedPreconditionError(
          fmt::format("enrolment {} is {}: only a confirmed participant attends", id, e.status));
    }
    e.attended = outcome.attended;
    e.completion = outcome.completion;
    e.certificate_number = outcome.certificate_number;
    ++e.record_version;
    e.updated_at = now;
    JISR_RETURN_IF_ERROR(SaveEnrolment(tx, e, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishOutcome(tx, e, options_.agency, now));
    details["record_version"] = e.record_version;
    details["agency"] = e.agency;
    if (!e.completion.empty()) details["completion"] = e.completion;
    return absl::OkStatus();
  }));
  return e;
}

// ---- catalogue --------------------------------------------------------------

absl::StatusOr<CatalogueItem> TrainingService::CreateCatalogueItem(const Principal& who,
                                                                   CatalogueItem input,
                                                                   std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  CatalogueItem c = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingManage, "training-catalogue", purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string& object) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckPartners(tx, c.share_with));
    c.id = NewUuidV7(now);
    c.owner = options_.agency;
    c.version = 1;
    c.created_at = c.updated_at = now;
    JISR_RETURN_IF_ERROR(ValidateCatalogueItem(c));
    JISR_RETURN_IF_ERROR(SaveCatalogueItem(tx, c, who.Actor()));
    JISR_RETURN_IF_ERROR(PublishCatalogueItem(tx, c, options_.agency, {}, now));
    object = Object("training-catalogue", c.id);
    details["version"] = c.version;
    details["domain"] = c.domain;
    return absl::OkStatus();
  }));
  return c;
}

absl::StatusOr<CatalogueView> TrainingService::GetCatalogueItem(const Principal& who,
                                                                std::string_view id,
                                                                std::string_view purpose) {
  CatalogueView v;
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingRead, Object("training-catalogue", id), purpose,
                           [&](db::Transaction& tx, boost::json::object&,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(id));
    JISR_ASSIGN_OR_RETURN(std::optional<CatalogueItem> c, FindCatalogueItem(tx, id));
    if (!c) return absl::NotFoundError(fmt::format("no catalogue item with id {}", id));
    v.item = *std::move(c);
    if (!v.item.envelope_id.empty()) {
      JISR_ASSIGN_OR_RETURN(v.provenance, federation::FindProvenance(tx, v.item.envelope_id));
    }
    return absl::OkStatus();
  }));
  return v;
}

absl::StatusOr<Page<CatalogueView>> TrainingService::ListCatalogue(
    const Principal& who, std::string_view domain, std::string_view owner, int64_t page,
    int64_t page_size, std::string_view purpose) {
  Page<CatalogueView> out;
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingRead, "training-catalogue", purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    if (!domain.empty() &&
        std::find(DomainNames().begin(), DomainNames().end(), domain) == DomainNames().end()) {
      return InvalidField("domain", "domain must be one of the catalogue's domains");
    }
    if (!owner.empty()) JISR_RETURN_IF_ERROR(ValidateAgencyCode(owner, "owner"));
    JISR_ASSIGN_OR_RETURN(auto paging, PageWindow(page, page_size, kMaxPageSize));
    JISR_ASSIGN_OR_RETURN(Page<CatalogueItem> items,
                          training::ListCatalogue(tx, domain, owner, paging.first, paging.second));
    out.total = items.total;
    for (CatalogueItem& c : items.items) {
      CatalogueView v;
      v.item = std::move(c);
      if (!v.item.envelope_id.empty()) {
        JISR_ASSIGN_OR_RETURN(v.provenance, federation::FindProvenance(tx, v.item.envelope_id));
      }
      out.items.push_back(std::move(v));
    }
    details["returned"] = static_cast<int64_t>(out.items.size());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<CatalogueItem> TrainingService::UpdateCatalogueItem(const Principal& who,
                                                                   std::string_view id,
                                                                   CatalogueItem input,
                                                                   std::string_view purpose) {
  const absl::Time now = TruncateToMillis(clock_.Now());
  CatalogueItem c = std::move(input);
  JISR_RETURN_IF_ERROR(Run(who, Action::kTrainingManage, Object("training-catalogue", id),
                           purpose,
                           [&](db::Transaction& tx, boost::json::object& details,
                               std::string&) -> absl::Status {
    JISR_RETURN_IF_ERROR(CheckUuid(id));
    JISR_ASSIGN_OR_RETURN(std::optional<CatalogueItem> stored, FindCatalogueItem(tx, id));
    if (!stored) return absl::NotFoundError(fmt::format("no catalogue item with id {}", id));
    if (stored->owner != options_.agency) return NotOwnedHere("catalogue item", id, stored->owner);
    if (stored->version != c.version) return StaleVersion("the catalogue item", c.version, stored->version);
    JISR_RETURN_IF_ERROR(CheckPartners(tx, c.share_with));
    c.id = stored->id;
    c.owner = stored->owner;
    c.version = stored->version + 1;
    c.created_at = stored->created_at;
    c.updated_at = now;
    JISR_RETURN_IF_ERROR(ValidateCatalogueItem(c));
    JISR_RETURN_IF_ERROR(SaveCatalogueItem(tx, c, who.Actor()));
    const std::vector<std::string> removed = Minus(stored->share_with, c.share_with);
    JISR_RETURN_IF_ERROR(PublishCatalogueItem(tx, c, options_.agency, removed, now));
    details["version"] = c.version;
    details["removed"] = boost::json::value_from(removed);
    return absl::OkStatus();
  }));
  return c;
}

}  // namespace jisr::training
