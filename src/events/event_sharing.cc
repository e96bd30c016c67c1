#include "events/event_sharing.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>

#include "common/json.h"
#include "common/status.h"
#include "events/event_repository.h"
#include "federation/handler_util.h"
#include "federation/store.h"

namespace jisr::events {
namespace {

absl::Status Audit(db::Transaction& tx, const audit::AuditLog& audit,
                   const federation::Envelope& e, std::string object, std::string_view what) {
  audit::AuditEntry entry;
  entry.actor = fmt::format("peer:{}", e.from);
  entry.action = "event.apply";
  entry.object = std::move(object);
  entry.purpose = "federation";
  entry.details = ToJson(boost::json::object{
      {"envelope", e.id}, {"kind", e.kind}, {"version", e.version}, {"what", what}});
  return audit.Append(tx, entry).status();
}

absl::Status ApplyEvent(db::Transaction& tx, const federation::Envelope& e,
                        const std::string& agency, const audit::AuditLog& audit,
                        const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  absl::StatusOr<Event> parsed = SharedEventFromJson(body);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), "event");
  Event ev = *std::move(parsed);
  if (e.record_id != fmt::format("event:{}", ev.id) || e.version != ev.version) {
    return absl::InvalidArgumentError("record_id or version does not match the body");
  }
  if (ev.host != e.from) {
    return absl::PermissionDeniedError(
        fmt::format("event {} is hosted by {}: {} may not send it", ev.id, ev.host, e.from));
  }
  if (std::find(ev.partners.begin(), ev.partners.end(), agency) == ev.partners.end()) {
    return absl::PermissionDeniedError(
        fmt::format("event {} does not list {} as a partner", ev.id, agency));
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Event> stored, GetEvent(tx, ev.id));
  const absl::Time now = TruncateToMillis(clock.Now());
  ev.envelope_id = e.id;
  ev.updated_at = now;
  if (stored) {
    if (stored->host != e.from) {
      return absl::PermissionDeniedError(
          fmt::format("event {} here is hosted by {}", ev.id, stored->host));
    }
    if (stored->version >= ev.version) return absl::OkStatus();
    ev.created_by = stored->created_by;
    ev.created_at = stored->created_at;
    JISR_RETURN_IF_ERROR(UpdateEvent(tx, ev));
    // Partners new to the event get this agency's records of it; when this
    // agency itself comes back, the others send theirs.
    std::vector<std::string> added;
    for (const std::string& p : ev.partners) {
      if (p != agency && std::find(stored->partners.begin(), stored->partners.end(), p) ==
                             stored->partners.end()) {
        added.push_back(p);
      }
    }
    JISR_RETURN_IF_ERROR(PublishOwnRecords(tx, ev, added, agency, now));
  } else {
    ev.created_by = fmt::format("peer:{}", e.from);
    ev.created_at = now;
    JISR_RETURN_IF_ERROR(InsertEvent(tx, ev));
  }
  return Audit(tx, audit, e, fmt::format("event/{}", ev.id), stored ? "updated" : "created");
}

// The host removed this agency from an event: the copy stops listing it and
// the other agencies' records of the event go.
absl::Status ApplyEventPurge(db::Transaction& tx, const federation::Envelope& e,
                             const std::string& agency, const audit::AuditLog& audit,
                             const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  const boost::json::value* id = body.if_contains("id");
  if (id == nullptr || !id->is_string() || e.record_id != fmt::format("event:{}", id->get_string().c_str())) {
    return absl::InvalidArgumentError("event.purge: body {\"id\"} must match the record_id");
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Event> stored, GetEvent(tx, id->get_string().c_str()));
  if (!stored) return absl::OkStatus();  // never held here
  if (stored->host != e.from) {
    return absl::PermissionDeniedError(fmt::format("event {} here is hosted by {}: {} may not "
                                                   "purge it",
                                                   stored->id, stored->host, e.from));
  }
  if (stored->version >= e.version) return absl::OkStatus();  // a newer version is here
  stored->partners.erase(std::remove(stored->partners.begin(), stored->partners.end(), agency),
                         stored->partners.end());
  stored->version = e.version;
  stored->envelope_id = e.id;
  stored->updated_at = TruncateToMillis(clock.Now());
  JISR_RETURN_IF_ERROR(UpdateEvent(tx, *stored));
  JISR_ASSIGN_OR_RETURN(DeletedRecords deleted, DeleteOthersRecords(tx, stored->id, agency));
  // Forgotten too, so that they apply again if this agency is added back.
  for (const std::string& gone : deleted.incidents) {
    JISR_RETURN_IF_ERROR(federation::ForgetRecord(tx, fmt::format("event-incident:{}", gone)));
  }
  for (const std::string& gone : deleted.deployments) {
    JISR_RETURN_IF_ERROR(federation::ForgetRecord(tx, fmt::format("event-deployment:{}", gone)));
  }
  audit::AuditEntry entry;
  entry.actor = fmt::format("peer:{}", e.from);
  entry.action = "event.purge";
  entry.object = fmt::format("event/{}", stored->id);
  entry.purpose = "federation";
  entry.details = ToJson(boost::json::object{{"envelope", e.id},
                                             {"version", e.version},
                                             {"incidents_deleted",
                                              static_cast<int64_t>(deleted.incidents.size())},
                                             {"deployments_deleted",
                                              static_cast<int64_t>(deleted.deployments.size())}});
  return audit.Append(tx, entry).status();
}

// The event of a record owned by `owner` (the sender), known here, with the
// sender and this node among its agencies and `venue` among its venues.
// Nullopt when this agency was removed from the event (its copy purged): a
// record still on its way to it is then dropped, not refused, so that its
// sender stops sending it.
absl::StatusOr<std::optional<Event>> EventFor(db::Transaction& tx, const federation::Envelope& e,
                                              std::string_view event_id, std::string_view owner,
                                              std::string_view venue, const std::string& agency) {
  if (owner != e.from) {
    return absl::PermissionDeniedError(
        fmt::format("the record is owned by {}: {} may not pass it on", owner, e.from));
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Event> ev, GetEvent(tx, event_id));
  if (!ev) {
    // The host's envelope may still be on its way: this one is sent again.
    return federation::RetryLater(fmt::format("event {} has not reached {} yet", event_id, agency));
  }
  if (!ev->Involves(agency)) return std::optional<Event>();
  if (!ev->Involves(e.from)) {
    return absl::PermissionDeniedError(
        fmt::format("event {} is not shared between {} and {}", event_id, e.from, agency));
  }
  if (!ev->HasVenue(venue)) {
    return absl::InvalidArgumentError(
        fmt::format("event {} has no venue {}", event_id, venue));
  }
  return ev;
}

absl::Status ApplyIncident(db::Transaction& tx, const federation::Envelope& e,
                           const std::string& agency, const audit::AuditLog& audit,
                           const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  absl::StatusOr<Incident> parsed = SharedIncidentFromJson(body);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), "incident");
  Incident i = *std::move(parsed);
  if (e.record_id != fmt::format("event-incident:{}", i.id) || e.version != i.version) {
    return absl::InvalidArgumentError("record_id or version does not match the body");
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Event> ev,
                        EventFor(tx, e, i.event_id, i.owner, i.venue, agency));
  if (!ev) return absl::OkStatus();  // this agency left the event: dropped
  JISR_ASSIGN_OR_RETURN(std::optional<Incident> stored, GetIncident(tx, i.id));
  if (stored) {
    if (stored->owner != e.from) {
      return absl::PermissionDeniedError(
          fmt::format("incident {} here is owned by {}", i.id, stored->owner));
    }
    return absl::OkStatus();  // incidents are logged once; nothing newer to apply
  }
  i.created_at = TruncateToMillis(clock.Now());
  i.envelope_id = e.id;
  JISR_RETURN_IF_ERROR(InsertIncident(tx, i));
  return Audit(tx, audit, e, fmt::format("event_incident/{}", i.id), "created");
}

absl::Status ApplyDeployment(db::Transaction& tx, const federation::Envelope& e,
                             const std::string& agency, const audit::AuditLog& audit,
                             const Clock& clock) {
  JISR_ASSIGN_OR_RETURN(boost::json::object body, federation::EnvelopeBody(e));
  absl::StatusOr<Deployment> parsed = SharedDeploymentFromJson(body);
  if (!parsed.ok()) return federation::RefusedContent(parsed.status(), "deployment");
  Deployment d = *std::move(parsed);
  if (e.record_id != fmt::format("event-deployment:{}", d.id) || e.version != d.version) {
    return absl::InvalidArgumentError("record_id or version does not match the body");
  }
  JISR_ASSIGN_OR_RETURN(std::optional<Event> ev,
                        EventFor(tx, e, d.event_id, d.agency, d.venue, agency));
  if (!ev) return absl::OkStatus();  // this agency left the event: dropped
  JISR_ASSIGN_OR_RETURN(std::optional<Deployment> stored, GetDeployment(tx, d.id));
  if (stored) {
    if (stored->agency != e.from) {
      return absl::PermissionDeniedError(
          fmt::format("deployment {} here is owned by {}", d.id, stored->agency));
    }
    return absl::OkStatus();
  }
  d.created_by = fmt::format("peer:{}", e.from);
  d.created_at = TruncateToMillis(clock.Now());
  d.envelope_id = e.id;
  JISR_RETURN_IF_ERROR(InsertDeployment(tx, d));
  return Audit(tx, audit, e, fmt::format("event_deployment/{}", d.id), "created");
}

}  // namespace

std::vector<std::string> OtherAgencies(const Event& e, std::string_view self) {
  std::vector<std::string> out;
  if (e.host != self) out.push_back(e.host);
  for (const std::string& p : e.partners)
    if (p != self) out.push_back(p);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

absl::Status PublishEvent(db::Transaction& tx, const Event& e, std::string_view agency,
                          absl::Time now) {
  if (e.host != agency)
    return absl::InvalidArgumentError(fmt::format("{} does not host event {}", agency, e.id));
  if (e.partners.empty()) return absl::OkStatus();
  return federation::Publish(tx, e.partners, kEventKind, fmt::format("event:{}", e.id), e.version,
                             ToJson(SharedEventJson(e)), now);
}

absl::Status PublishEventPurge(db::Transaction& tx, const Event& e,
                               const std::vector<std::string>& removed, std::string_view agency,
                               absl::Time now) {
  if (e.host != agency)
    return absl::InvalidArgumentError(fmt::format("{} does not host event {}", agency, e.id));
  if (removed.empty()) return absl::OkStatus();
  return federation::Publish(tx, removed, kEventPurgeKind, fmt::format("event:{}", e.id),
                             e.version, ToJson(boost::json::object{{"id", e.id}}), now);
}

absl::Status PublishOwnRecords(db::Transaction& tx, const Event& e,
                               const std::vector<std::string>& to, std::string_view agency,
                               absl::Time now) {
  if (to.empty()) return absl::OkStatus();
  constexpr int64_t kPage = 1000;
  for (int64_t offset = 0;; offset += kPage) {
    JISR_ASSIGN_OR_RETURN(std::vector<Incident> incidents,
                          ListIncidents(tx, e.id, std::nullopt, kPage, offset));
    for (const Incident& i : incidents) {
      if (i.owner != agency) continue;
      JISR_RETURN_IF_ERROR(federation::Publish(tx, to, kIncidentKind,
                                               fmt::format("event-incident:{}", i.id), i.version,
                                               ToJson(SharedIncidentJson(i)), now));
    }
    if (static_cast<int64_t>(incidents.size()) < kPage) break;
  }
  JISR_ASSIGN_OR_RETURN(std::vector<Deployment> deployments, ListDeployments(tx, e.id));
  for (const Deployment& d : deployments) {
    if (d.agency != agency) continue;
    JISR_RETURN_IF_ERROR(federation::Publish(tx, to, kDeploymentKind,
                                             fmt::format("event-deployment:{}", d.id), d.version,
                                             ToJson(SharedDeploymentJson(d)), now));
  }
  return absl::OkStatus();
}

absl::Status PublishIncident(db::Transaction& tx, const Event& e, const Incident& i,
                             std::string_view agency, absl::Time now) {
  if (i.owner != agency)
    return absl::InvalidArgumentError(fmt::format("{} does not own incident {}", agency, i.id));
  const std::vector<std::string> to = OtherAgencies(e, agency);
  if (to.empty()) return absl::OkStatus();
  return federation::Publish(tx, to, kIncidentKind, fmt::format("event-incident:{}", i.id),
                             i.version, ToJson(SharedIncidentJson(i)), now);
}

absl::Status PublishDeployment(db::Transaction& tx, const Event& e, const Deployment& d,
                               std::string_view agency, absl::Time now) {
  if (d.agency != agency)
    return absl::InvalidArgumentError(fmt::format("{} does not own deployment {}", agency, d.id));
  const std::vector<std::string> to = OtherAgencies(e, agency);
  if (to.empty()) return absl::OkStatus();
  return federation::Publish(tx, to, kDeploymentKind, fmt::format("event-deployment:{}", d.id),
                             d.version, ToJson(SharedDeploymentJson(d)), now);
}

absl::Status RegisterEventHandlers(federation::Receiver& receiver, std::string agency,
                                   const audit::AuditLog& audit, const Clock& clock) {
  JISR_RETURN_IF_ERROR(receiver.Register(
      kEventKind, [agency, &audit, &clock](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyEvent(tx, e, agency, audit, clock);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kEventPurgeKind, [agency, &audit, &clock](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyEventPurge(tx, e, agency, audit, clock);
      }));
  JISR_RETURN_IF_ERROR(receiver.Register(
      kIncidentKind, [agency, &audit, &clock](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyIncident(tx, e, agency, audit, clock);
      }));
  return receiver.Register(
      kDeploymentKind,
      [agency, &audit, &clock](db::Transaction& tx, const federation::Envelope& e) {
        return ApplyDeployment(tx, e, agency, audit, clock);
      });
}

}  // namespace jisr::events
