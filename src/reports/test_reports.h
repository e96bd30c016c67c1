// Test support for reports/: seeds one store (this agency MA-DGSN) with
// records of every module around the period [2026-03-01, 2026-04-01), some
// inside, some outside, written with the modules' own repository functions
// (raw SQL only where a module has no insert function for the row), and the
// figures they must give (docs/reports.md).
//
// Thread-safety: test-only, single thread.
#ifndef JISR_REPORTS_TEST_REPORTS_H_
#define JISR_REPORTS_TEST_REPORTS_H_

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "alerts/alert.h"
#include "alerts/alert_repository.h"
#include "alerts/test_alerts.h"
#include "assistance/assistance.h"
#include "assistance/assistance_repository.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "db/database.h"
#include "events/event.h"
#include "events/event_repository.h"
#include "federation/store.h"
#include "groups/groups.h"
#include "groups/groups_repository.h"

namespace jisr::reports::testing {

inline constexpr std::string_view kMa = "MA-DGSN";
inline constexpr std::string_view kFr = "FR-DGPN";
inline constexpr std::string_view kEs = "ES-PN";

inline absl::Time Day(int y, int m, int d, int h = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), absl::UTCTimeZone());
}
// The period of the seeded figures: [2026-03-01, 2026-04-01).
inline absl::Time PeriodFrom() { return Day(2026, 3, 1); }
inline absl::Time PeriodTo() { return Day(2026, 4, 1); }
inline absl::Time Inside() { return Day(2026, 3, 10, 12); }
inline absl::Time Before() { return Day(2026, 2, 10); }

inline absl::Status Write(db::Database& db,
                          const std::function<absl::Status(db::Transaction&)>& fn) {
  return db.Run(db::TxMode::kWrite, fn);
}

// Registers `code` as a partner node (a fake card; nothing is sent).
inline void AddPeer(db::Database& db, std::string_view code, std::string_view name) {
  federation::Peer p;
  p.card.agency = std::string(code);
  p.card.country = std::string(code.substr(0, 2));
  p.card.name_en = p.card.name_fr = p.card.name_ar = std::string(name);
  p.card.federation_url = "https://127.0.0.1:9";
  p.card.tls_fingerprint = "sha256:" + std::string(64, code[0] == 'F'   ? 'b'
                                                       : code[0] == 'E' ? 'c'
                                                                        : 'd');
  p.card.signing_key = std::string(32, 'k');
  p.added_by = "cli:test";
  p.added_at = Day(2026, 1, 1);
  ASSERT_TRUE(Write(db, [&](db::Transaction& tx) { return federation::InsertPeer(tx, p); }).ok());
}

// ---- alerts -----------------------------------------------------------------

inline std::string AddAlert(db::Database& db, std::string_view owner, alerts::AlertStatus status,
                            std::optional<absl::Time> activated_at,
                            std::vector<std::string> share_with) {
  alerts::Alert a;
  a.id = NewUuidV7(Day(2026, 1, 1));
  a.owner = std::string(owner);
  a.status = status;
  a.content = alerts::testing::ArrestContent();
  a.content.share_with = std::move(share_with);
  a.created_by = a.updated_by = "user:test";
  a.created_at = a.updated_at = Day(2026, 1, 2);
  if (activated_at) {
    a.activated_by = "user:test";
    a.activated_at = activated_at;
    a.review_at = *activated_at + absl::Hours(24 * 365);
  }
  EXPECT_TRUE(Write(db, [&](db::Transaction& tx) { return alerts::InsertAlert(tx, a); }).ok());
  return a.id;
}

inline void AddHit(db::Database& db, const std::string& alert_id, std::string_view owner,
                   std::string_view reporter, absl::Time at) {
  const absl::Status s = Write(db, [&](db::Transaction& tx) {
    return tx
        .Execute(
            "INSERT INTO alert_hits (id, alert_id, alert_owner, reporting_agency, state, place, "
            "occurred_at, circumstances, action_taken, contact, reported_by, reported_at, "
            "updated_by, updated_at, version) VALUES ($1, $2, $3, $4, 'reported', 'Port "
            "[synthetic]', $5, 'c', 'a', 'x', 'user:test', $5, 'user:test', $5, 1)",
            {NewUuidV7(at), alert_id, std::string(owner), std::string(reporter),
             ToUnixMillis(at)})
        .status();
  });
  EXPECT_TRUE(s.ok()) << s;
}

// ---- assistance -------------------------------------------------------------

inline void AddRequest(db::Database& db, std::string_view requester, std::string_view requested,
                       absl::Time submitted, std::optional<absl::Time> answered,
                       std::optional<absl::Time> refused) {
  assistance::AssistanceRequest r;
  r.id = NewUuidV7(submitted);
  r.requester = std::string(requester);
  r.requested = std::string(requested);
  r.content.requested_agency = r.requested;
  r.content.subject = "Vehicle check (synthetic)";
  r.content.description = "Who holds the fictional plate AB-123-CD?";
  r.content.grounds = "Synthetic test case.";
  r.submitted_at = submitted;
  r.received_at = submitted + absl::Minutes(1);
  r.deadline_at = submitted + absl::Hours(24 * 7);
  r.warning_at = submitted + absl::Hours(24 * 5);
  r.state = assistance::RequestState::kReceived;
  if (answered) {
    r.state = assistance::RequestState::kAnswered;
    r.answered_at = answered;
    r.answer = "Synthetic answer.";
  }
  if (refused) {
    r.state = assistance::RequestState::kRefused;
    r.refused_at = refused;
    r.refusal_reason = assistance::RefusalReason{};
  }
  r.created_by = "user:test";
  r.created_at = r.updated_at = submitted;
  const absl::Status s =
      Write(db, [&](db::Transaction& tx) { return assistance::InsertRequest(tx, r); });
  EXPECT_TRUE(s.ok()) << s;
}

// ---- exchange ---------------------------------------------------------------

// A message from `origin` sent at `at`, addressed to `agencies` (delivery
// rows of kind agency) and `units` (kind unit).
inline void AddMessage(db::Database& db, std::string_view origin, absl::Time at,
                       const std::vector<std::string>& agencies,
                       const std::vector<std::string>& units = {}) {
  const std::string thread = NewUuidV7(at);
  const std::string id = NewUuidV7(at);
  const absl::Status s = Write(db, [&](db::Transaction& tx) -> absl::Status {
    JISR_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO exchange_threads (id, subject, origin, created_at, "
                   "last_message_at, message_count) VALUES ($1, 'Subject', $2, $3, $3, 1)",
                   {thread, std::string(origin), ToUnixMillis(at)})
            .status());
    JISR_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO exchange_messages (id, thread_id, origin, content_origin, "
                   "sender_username, sender_name, body, handling_code, source_reliability, "
                   "information_accuracy, recipients, sent_at, search_text) VALUES ($1, $2, "
                   "$3, $3, 'u', 'U', 'b', 'H1', 'B', 2, '[]', $4, 'b')",
                   {id, thread, std::string(origin), ToUnixMillis(at)})
            .status());
    for (const auto& [kind, codes] :
         {std::pair<std::string, std::vector<std::string>>{"agency", agencies},
          std::pair<std::string, std::vector<std::string>>{"unit", units}}) {
      for (const std::string& code : codes) {
        JISR_RETURN_IF_ERROR(tx.Execute("INSERT INTO exchange_deliveries (message_id, kind, "
                                        "code, state) VALUES ($1, $2, $3, 'delivered')",
                                        {id, kind, code})
                                 .status());
      }
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
}

// ---- groups -----------------------------------------------------------------

inline void AddOperation(db::Database& db, std::string_view owner,
                         std::vector<std::string> agencies, std::string_view starts,
                         std::string_view ends, std::string_view state = "active") {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(
      fmt::format(R"({{"code_name":"SIROCCO","starts_at":"{}","ends_at":"{}",
                     "area":"Strait [synthetic]"}})",
                  starts, ends));
  ASSERT_TRUE(o.ok()) << o.status();
  absl::StatusOr<groups::Operation> op = groups::OperationFromJson(*o, groups::JsonForm::kCreate);
  ASSERT_TRUE(op.ok()) << op.status();
  op->id = NewUuidV7(op->starts_at);
  op->owner = std::string(owner);
  op->agencies = std::move(agencies);
  op->state = std::string(state);
  op->version = 1;
  op->created_at = op->updated_at = Day(2026, 1, 5);
  const absl::Status s =
      Write(db, [&](db::Transaction& tx) { return groups::SaveOperation(tx, *op, "user:test"); });
  ASSERT_TRUE(s.ok()) << s;
}

// ---- events -----------------------------------------------------------------

inline std::string AddEvent(db::Database& db, std::string_view host,
                            std::vector<std::string> partners) {
  events::Event e;
  e.id = NewUuidV7(Day(2026, 1, 3));
  e.host = std::string(host);
  e.name = "Cup [synthetic]";
  e.starts_on = absl::CivilDay(2026, 6, 1);
  e.ends_on = absl::CivilDay(2026, 6, 30);
  e.venues = {events::Venue{"RBT-1", "Stadium", "Rabat"}};
  e.partners = std::move(partners);
  e.created_by = "user:test";
  e.created_at = e.updated_at = Day(2026, 1, 3);
  const absl::Status s = Write(db, [&](db::Transaction& tx) { return events::InsertEvent(tx, e); });
  EXPECT_TRUE(s.ok()) << s;
  return e.id;
}

// A campaign of `event_id` created at `at`, `screened` applicants screened,
// `decisions` the decisions of its applicants with a match.
inline void AddCampaign(db::Database& db, const std::string& event_id, absl::Time at,
                        int64_t screened, const std::vector<std::string>& decisions) {
  const std::string id = NewUuidV7(at);
  const absl::Status s = Write(db, [&](db::Transaction& tx) -> absl::Status {
    JISR_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO event_campaigns (id, event_id, name, job_id, purpose, "
                   "created_by, created_at, total, screened) VALUES ($1, $2, 'c', $3, 'p', "
                   "'user:test', $4, $5, $5)",
                   {id, event_id, NewUuidV7(at), ToUnixMillis(at), screened})
            .status());
    int64_t item = 0;
    for (const std::string& decision : decisions) {
      JISR_RETURN_IF_ERROR(
          tx.Execute("INSERT INTO event_campaign_applicants (campaign_id, item, input_id, "
                     "input_name, alert_id, score, matches, decision) VALUES ($1, $2, 'i', "
                     "'Applicant [synthetic]', 'a', 0.9, 1, $3)",
                     {id, item++, decision})
              .status());
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
}

// ---- training ---------------------------------------------------------------

// An enrolment of a participant of `agency` in session `session` of
// `provider` starting at `starts`.
inline void AddEnrolment(db::Database& db, const std::string& session, std::string_view provider,
                         std::string_view agency, absl::Time starts, bool attended,
                         bool completed) {
  const absl::Status s = Write(db, [&](db::Transaction& tx) {
    return tx
        .Execute("INSERT INTO training_enrolments (id, session_id, programme_id, provider, "
                 "agency, session_starts_at, name, version, status, attended, completion, "
                 "created_by, created_at, updated_at) VALUES ($1, $2, 'p', $3, $4, $5, "
                 "'Participant [synthetic]', 1, 'confirmed', $6, $7, 'user:test', $5, $5)",
                 {NewUuidV7(starts), session, std::string(provider), std::string(agency),
                  ToUnixMillis(starts), int64_t{attended ? 1 : 0},
                  std::string(completed ? "completed" : "")})
        .status();
  });
  EXPECT_TRUE(s.ok()) << s;
}

// ---- the whole seed ---------------------------------------------------------

// Seeds records of every module at MA-DGSN (see figures_test.cc for the
// figures each gives): FR-DGPN has figures in every module, ES-PN in some.
inline void SeedAll(db::Database& db) {
  using alerts::AlertStatus;
  const std::string fr(kFr), es(kEs), ma(kMa);
  // Alerts: a1 shared with FR activated inside; a2 (suspended) shared with
  // FR and ES activated before; a3 withdrawn; a4 activated exactly at `to`;
  // a draft; c1 a copy from FR activated exactly at `from`.
  const std::string a1 = AddAlert(db, kMa, AlertStatus::kActive, Inside(), {fr});
  AddAlert(db, kMa, AlertStatus::kSuspended, Before(), {fr, es});
  AddAlert(db, kMa, AlertStatus::kWithdrawn, Inside(), {fr});
  AddAlert(db, kMa, AlertStatus::kActive, PeriodTo(), {fr});
  AddAlert(db, kMa, AlertStatus::kDraft, std::nullopt, {fr});
  const std::string c1 = AddAlert(db, kFr, AlertStatus::kActive, PeriodFrom(), {ma});
  AddHit(db, a1, kMa, kFr, Inside());                         // counted
  AddHit(db, a1, kMa, kFr, PeriodTo());                       // after
  AddHit(db, a1, kMa, kMa, Inside());                         // our own
  AddHit(db, c1, kFr, kMa, PeriodTo() - absl::Milliseconds(1));  // counted
  AddHit(db, c1, kFr, kMa, Before());                         // before
  // Assistance: MA->FR answered in time; FR->MA refused late; MA->FR before.
  AddRequest(db, kMa, kFr, Inside(), Inside() + absl::Hours(24), std::nullopt);
  AddRequest(db, kFr, kMa, Inside(), std::nullopt, Inside() + absl::Hours(24 * 8));
  AddRequest(db, kMa, kFr, Before(), Before() + absl::Hours(1), std::nullopt);
  // Messages: to FR and ES inside; to FR before; from FR inside; from ES
  // after; to a unit only.
  AddMessage(db, kMa, Inside(), {fr, es});
  AddMessage(db, kMa, Before(), {fr});
  AddMessage(db, kFr, Inside(), {ma});
  AddMessage(db, kEs, PeriodTo(), {ma});
  AddMessage(db, kMa, Inside(), {}, {"DPJ-BNPJ"});
  // Operations: ours with FR overlapping `from`; FR's with MA and ES
  // starting inside; one starting at `to`; one cancelled.
  AddOperation(db, kMa, {ma, fr}, "2026-02-20", "2026-03-02");
  AddOperation(db, kFr, {fr, ma, es}, "2026-03-31", "2026-04-05");
  AddOperation(db, kMa, {ma, fr}, "2026-04-01", "2026-04-03");
  AddOperation(db, kMa, {ma, fr}, "2026-03-10", "2026-03-12", "cancelled");
  // Events: ours with FR; FR's with ES and MA. Campaigns inside and before.
  const std::string e1 = AddEvent(db, kMa, {fr});
  const std::string e2 = AddEvent(db, kFr, {es, ma});
  AddCampaign(db, e1, Inside(), 100, {"pending", "cleared", "refused"});
  AddCampaign(db, e2, PeriodFrom(), 10, {"referred"});
  AddCampaign(db, e1, Before(), 50, {"refused"});
  // Training: our session inside with two FR participants (one completed,
  // one absent); FR's session inside with ours (completed); ours before.
  const std::string s1 = NewUuidV7(Inside()), s2 = NewUuidV7(Inside()),
                    s3 = NewUuidV7(Before());
  AddEnrolment(db, s1, kMa, kFr, Inside(), true, true);
  AddEnrolment(db, s1, kMa, kFr, Inside(), false, false);
  AddEnrolment(db, s2, kFr, kMa, Inside(), true, true);
  AddEnrolment(db, s3, kMa, kFr, Before(), true, true);
}

}  // namespace jisr::reports::testing

#endif  // JISR_REPORTS_TEST_REPORTS_H_
