// The training service: programmes and their sessions (provided by this
// agency or read-only copies of a partner's), enrolments of participants
// per agency with the provider's decision (capacity), attendance and
// completion, and the technical-assistance catalogue.
//
// Every call asks the policy table first (training.read, training.manage,
// training.enrol) and leaves one audit entry ("success" with the change or
// read, "denied", "failure"); every change is one write transaction with
// its audit entry and its outbox envelopes (training_sharing.h). A change
// names the version the caller saw (stale: FailedPrecondition, HTTP 409); a
// partner's record is read-only here (FailedPrecondition naming its owner).
// Participants are personal data: reading them needs a purpose
// (InvalidField "purpose" without one) and is audited with it.
//
// Capacity: the provider decides each enrolment when it is made (its own
// staff) or arrives (a partner's): confirmed while the confirmed
// enrolments are below the session's capacity and the session is planned
// or open, refused otherwise ("session_full", "session_not_open"); the
// decision crosses back to the partner. There is no waiting list: a refused
// participant may be enrolled again once a place is free (a new
// enrolment). A local enrolment that would be refused is not recorded
// (FailedPrecondition naming the reason).
//
// Thread-safety: TrainingService is safe to share between threads.
#ifndef JISR_TRAINING_TRAINING_SERVICE_H_
#define JISR_TRAINING_TRAINING_SERVICE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "db/database.h"
#include "federation/store.h"
#include "security/policy.h"
#include "training/training.h"
#include "training/training_repository.h"

namespace jisr::training {

struct TrainingOptions {
  std::string agency;  // this node's agency code: the owner of what is created here
};

struct ProgrammeView {
  Programme programme;
  std::vector<Session> sessions;
};

struct SessionView {
  Session session;
  int64_t confirmed = 0;  // confirmed enrolments held here (all agencies at the provider)
};

// Counts of a session's enrolments of one agency, by status.
struct AgencyCounts {
  int64_t pending = 0;
  int64_t confirmed = 0;
  int64_t refused = 0;
  int64_t withdrawn = 0;
};

struct EnrolmentList {
  Session session;
  std::vector<Enrolment> enrolments;           // by agency
  std::map<std::string, AgencyCounts> by_agency;
};

// A catalogue item and, for a partner's copy, the envelope that brought it.
struct CatalogueView {
  CatalogueItem item;
  std::optional<federation::Provenance> provenance;
};

class TrainingService {
 public:
  // `db`, `audit` and `clock` must outlive the service.
  TrainingService(db::Database& db, const audit::AuditLog& audit, const Clock& clock,
                  TrainingOptions options);
  TrainingService(const TrainingService&) = delete;
  TrainingService& operator=(const TrainingService&) = delete;

  // ---- programmes (training.manage to change, training.read to read)
  // Creates `input` (ProgrammeFromJson kCreate) owned by this agency,
  // version 1; every share_with agency must be a registered partner
  // ("share_with[i]"). Errors: PermissionDenied; InvalidArgument naming the
  // member; the store's.
  absl::StatusOr<Programme> CreateProgramme(const security::Principal& who, Programme input,
                                            std::string_view purpose);
  // Errors: PermissionDenied; InvalidArgument "id"; NotFound; the store's.
  absl::StatusOr<ProgrammeView> GetProgramme(const security::Principal& who,
                                             std::string_view id, std::string_view purpose);
  absl::StatusOr<Page<Programme>> ListProgrammes(const security::Principal& who, int64_t page,
                                                 int64_t page_size, std::string_view purpose);
  // Replaces the editable members at `input.version`. Agencies removed from
  // share_with get a purge; agencies added get the programme and its
  // sessions. Errors: as Create; NotFound; FailedPrecondition when stale or
  // a partner's.
  absl::StatusOr<Programme> UpdateProgramme(const security::Principal& who,
                                            std::string_view id, Programme input,
                                            std::string_view purpose);

  // ---- sessions
  // Adds a session to this agency's programme `programme_id`.
  absl::StatusOr<Session> CreateSession(const security::Principal& who,
                                        std::string_view programme_id, Session input,
                                        std::string_view purpose);
  absl::StatusOr<SessionView> GetSession(const security::Principal& who, std::string_view id,
                                         std::string_view purpose);
  absl::StatusOr<std::vector<Session>> ListSessions(const security::Principal& who,
                                                    std::string_view programme_id,
                                                    std::string_view purpose);
  // Replaces dates, place, capacity and state at `input.version`.
  absl::StatusOr<Session> UpdateSession(const security::Principal& who, std::string_view id,
                                        Session input, std::string_view purpose);

  // ---- enrolments (training.enrol; personal data: purpose required)
  // Enrols `participant` of this agency into session `session_id` (this
  // agency's or a partner's copy, planned or open). At the provider the
  // decision is made at once; a partner's enrolment is "pending" until the
  // provider's decision arrives. Errors: PermissionDenied; InvalidArgument;
  // NotFound; FailedPrecondition ("session_full", "session_not_open").
  absl::StatusOr<Enrolment> Enrol(const security::Principal& who, std::string_view session_id,
                                  Participant participant, std::string_view purpose);
  // Withdraws this agency's enrolment `id` (crosses to the provider).
  // Errors: NotFound; FailedPrecondition for another agency's participant.
  absl::StatusOr<Enrolment> Withdraw(const security::Principal& who, std::string_view id,
                                     std::string_view purpose);
  absl::StatusOr<Enrolment> GetEnrolment(const security::Principal& who, std::string_view id,
                                         std::string_view purpose);
  // Every enrolment held here for the session (at the provider: every
  // agency's; at a partner: its own) with counts per agency.
  absl::StatusOr<EnrolmentList> ListEnrolments(const security::Principal& who,
                                               std::string_view session_id,
                                               std::string_view purpose);
  // The provider records attendance and completion of a confirmed
  // enrolment (training.manage); crosses to the participant's agency.
  // Errors: InvalidArgument; NotFound; FailedPrecondition when this agency
  // is not the provider or the enrolment is not confirmed.
  absl::StatusOr<Enrolment> RecordOutcome(const security::Principal& who, std::string_view id,
                                          Outcome outcome, std::string_view purpose);

  // ---- the technical-assistance catalogue
  absl::StatusOr<CatalogueItem> CreateCatalogueItem(const security::Principal& who,
                                                    CatalogueItem input,
                                                    std::string_view purpose);
  absl::StatusOr<CatalogueView> GetCatalogueItem(const security::Principal& who,
                                                 std::string_view id, std::string_view purpose);
  // `domain` (one of DomainNames() or "") and `owner` (agency or "") filter.
  absl::StatusOr<Page<CatalogueView>> ListCatalogue(const security::Principal& who,
                                                    std::string_view domain,
                                                    std::string_view owner, int64_t page,
                                                    int64_t page_size,
                                                    std::string_view purpose);
  absl::StatusOr<CatalogueItem> UpdateCatalogueItem(const security::Principal& who,
                                                    std::string_view id, CatalogueItem input,
                                                    std::string_view purpose);

  const TrainingOptions& options() const { return options_; }

 private:
  absl::Status Run(const security::Principal& who, security::Action action, std::string object,
                   std::string_view purpose,
                   absl::FunctionRef<absl::Status(db::Transaction&, boost::json::object&,
                                                  std::string&)>
                       fn);
  absl::Status CheckPartners(db::Transaction& tx, const std::vector<std::string>& agencies);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  TrainingOptions options_;
};

}  // namespace jisr::training

#endif  // JISR_TRAINING_TRAINING_SERVICE_H_
