// The assistance service on both stores: submission and its validation,
// permissions, optimistic concurrency, wrong-party transitions, the list
// with its filters and counts, clarification suspending the deadline,
// reminders at 75 % and overdue flags, and the per-partner statistics.
#include "assistance/assistance_service.h"

#include <gtest/gtest.h>

#include "assistance/deadline.h"
#include "assistance/test_assistance.h"

namespace jisr::assistance {
namespace {

using audit::AuditOutcome;
using testing::At;
using testing::CountAt;
using testing::Deliver;
using testing::Entries;
using testing::InfoRequest;

class AssistanceServiceTest : public testing::TwoNodeTest {};

TEST_P(AssistanceServiceTest, SubmissionIsStoredPublishedAndAudited) {
  const absl::Time now = clock_.Now();
  absl::StatusOr<AssistanceRequest> r =
      ma_.service.Create(officer_, InfoRequest(), "case 42");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->requester, "MA-DGSN");
  EXPECT_EQ(r->requested, "FR-DGPN");
  EXPECT_EQ(r->state, RequestState::kSubmitted);
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->submitted_at, now);
  EXPECT_FALSE(r->deadline_at.has_value());  // runs from the receipt
  ASSERT_EQ(r->history.size(), 1u);
  EXPECT_EQ(r->history[0].transition, Transition::kSubmit);
  EXPECT_EQ(r->history[0].actor, officer_.Actor());
  EXPECT_EQ(
      CountAt(
          ma_,
          "SELECT COUNT(*) FROM outbox WHERE recipient = 'FR-DGPN' AND kind = "
          "'assistance.request' AND version = 1"),
      1);
  const auto created =
      Entries(ma_, "assistance.create", AuditOutcome::kSuccess);
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].object, "assistance/" + r->id);
  EXPECT_EQ(created[0].purpose, "case 42");
  // Read back with its history; the read is audited with its purpose.
  absl::StatusOr<AssistanceRequest> got =
      ma_.service.Get(analyst_, r->id, "review");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->content, r->content);
  EXPECT_EQ(got->history, r->history);
  EXPECT_FALSE(got->provenance.has_value());
  const auto reads = Entries(ma_, "assistance.read", AuditOutcome::kSuccess);
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].purpose, "review");
  EXPECT_EQ(reads[0].actor, analyst_.Actor());
}

TEST_P(AssistanceServiceTest, BadSubmissionsNameTheFieldAndWriteNothing) {
  const auto with = [](auto change) {
    RequestContent c = InfoRequest();
    change(c);
    return c;
  };
  const std::pair<RequestContent, std::string> cases[] = {
      {with([](RequestContent& c) { c.requested_agency = "ES-PN"; }),
       "requested_agency"},
      {with([](RequestContent& c) { c.requested_agency = "MA-DGSN"; }),
       "requested_agency"},
      {with([](RequestContent& c) { c.requested_agency = "fr-dgpn"; }),
       "requested_agency"},
      {with([](RequestContent& c) { c.subject = ""; }), "subject"},
      {with([](RequestContent& c) { c.subject = "bad\x7f"; }), "subject"},
      {with([](RequestContent& c) {
         c.description = std::string(kMaxTextBytes + 1, 'a');
       }),
       "description"},
      {with([](RequestContent& c) { c.grounds = " "; }), "grounds"},
      {with([](RequestContent& c) { c.urgency = Urgency::kUrgent; }),
       "urgency_reason"},
      {with([](RequestContent& c) {
         c.alert_id = "0192F1D4-5B6C-7000-8000-000000000001";
       }),
       "alert_id"},
      {with([](RequestContent& c) { c.type = RequestType::kHitFollowUp; }),
       "hit_id"},
  };
  for (const auto& [content, field] : cases) {
    SCOPED_TRACE(field);
    absl::StatusOr<AssistanceRequest> r =
        ma_.service.Create(officer_, content, "test");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldOf(r.status()), field) << r.status();
  }
  EXPECT_EQ(CountAt(ma_, "SELECT COUNT(*) FROM assistance_requests"), 0);
  EXPECT_EQ(CountAt(ma_, "SELECT COUNT(*) FROM assistance_history"), 0);
  EXPECT_EQ(CountAt(ma_, "SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_EQ(Entries(ma_, "assistance.create", AuditOutcome::kFailure).size(),
            std::size(cases));
}

TEST_P(AssistanceServiceTest, PermissionsByRole) {
  // Analysts, auditors and administrators submit nothing; the denial is
  // audited.
  for (const security::Principal* who : {&analyst_, &auditor_, &admin_}) {
    EXPECT_EQ(ma_.service.Create(*who, InfoRequest(), "").status().code(),
              absl::StatusCode::kPermissionDenied);
  }
  EXPECT_EQ(Entries(ma_, "assistance.create", AuditOutcome::kDenied).size(),
            3u);
  const AssistanceRequest r = Exchanged();
  // Analysts read and list; auditors and administrators see no content.
  EXPECT_TRUE(ma_.service.Get(analyst_, r.id, "").ok());
  RequestQuery q;
  EXPECT_TRUE(ma_.service.List(analyst_, q, "").ok());
  EXPECT_TRUE(ma_.service
                  .Stats(analyst_, clock_.Now() - absl::Hours(1),
                         clock_.Now() + absl::Hours(1), "")
                  .ok());
  for (const security::Principal* who : {&auditor_, &admin_}) {
    EXPECT_EQ(ma_.service.Get(*who, r.id, "").status().code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(ma_.service.List(*who, q, "").status().code(),
              absl::StatusCode::kPermissionDenied);
  }
  // Analysts do not work requests.
  EXPECT_EQ(fr_.service.Start(analyst_, r.id, r.version, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Entries(fr_, "assistance.update", AuditOutcome::kDenied).size(),
            1u);
  // Supervisors and officers do.
  absl::StatusOr<AssistanceRequest> started =
      fr_.service.Start(supervisor_, r.id, 2, "");
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_TRUE(
      fr_.service.Answer(officer2_, r.id, 3, "Done (synthetic).", "").ok());
}

TEST_P(AssistanceServiceTest, EachPartyMakesOnlyItsOwnTransitions) {
  const AssistanceRequest r = Exchanged();
  ASSERT_EQ(r.state, RequestState::kReceived);
  ASSERT_EQ(r.version, 2);
  // Rabat may not work its own request; Paris may not clarify nor close it.
  const auto refused = [](const absl::StatusOr<AssistanceRequest>& s) {
    EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition)
        << s.status();
    return std::string(s.status().message());
  };
  EXPECT_NE(refused(ma_.service.Start(officer_, r.id, 2, ""))
                .find("only the requested"),
            std::string::npos);
  refused(ma_.service.Answer(officer_, r.id, 2, "self-answer", ""));
  refused(ma_.service.Refuse(officer_, r.id, 2, RefusalReason::kNotAvailable,
                             "", ""));
  refused(ma_.service.RequestClarification(officer_, r.id, 2, "?", ""));
  EXPECT_NE(refused(fr_.service.Close(officer_, r.id, 2, "", ""))
                .find("only the requester"),
            std::string::npos);
  refused(fr_.service.Clarify(officer_, r.id, 2, "x", ""));
  // Not in this state: a clarification nobody asked for.
  EXPECT_NE(
      refused(ma_.service.Clarify(officer_, r.id, 2, "x", "")).find("received"),
      std::string::npos);
  // Nothing changed, nothing sent; every refusal audited as a failure.
  EXPECT_EQ(At(ma_, r.id)->version, 2);
  EXPECT_EQ(At(fr_, r.id)->version, 2);
  EXPECT_EQ(
      CountAt(ma_, "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL"),
      0);
  EXPECT_EQ(
      CountAt(fr_, "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL"),
      0);
  EXPECT_EQ(Entries(ma_, "assistance.update", AuditOutcome::kFailure).size(),
            5u);
  EXPECT_EQ(Entries(fr_, "assistance.update", AuditOutcome::kFailure).size(),
            2u);
}

TEST_P(AssistanceServiceTest, AStaleVersionIsRefused) {
  const AssistanceRequest r = Exchanged();
  ASSERT_TRUE(fr_.service.Start(officer_, r.id, 2, "").ok());
  absl::StatusOr<AssistanceRequest> stale =
      fr_.service.Answer(officer2_, r.id, 2, "late", "");
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(stale.status().message()).find("version 3, not 2"),
            std::string::npos);
  EXPECT_EQ(fr_.service.Answer(officer2_, r.id, 0, "x", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(fr_.service.Answer(officer2_, "nope", 3, "x", "").status()),
            "id");
  EXPECT_EQ(FieldOf(fr_.service.Answer(officer2_, r.id, 3, " ", "").status()),
            "answer");
  EXPECT_EQ(
      FieldOf(
          fr_.service.Refuse(officer2_, r.id, 3, RefusalReason::kOther, "", "")
              .status()),
      "text");
  EXPECT_EQ(
      fr_.service.Get(officer_, "0192f1d4-5b6c-7000-8000-00000000ffff", "")
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(At(fr_, r.id)->version, 3);
}

TEST_P(AssistanceServiceTest, TheListFiltersPagesAndCounts) {
  // Three requests from Rabat: one urgent (8 hours), two normal; one
  // request from Paris to Rabat.
  const AssistanceRequest urgent =
      Exchanged(InfoRequest(Urgency::kUrgent, true));
  clock_.Advance(absl::Minutes(1));
  const AssistanceRequest normal1 = Exchanged();
  clock_.Advance(absl::Minutes(1));
  const AssistanceRequest normal2 = Exchanged();
  clock_.Advance(absl::Minutes(1));
  RequestContent to_rabat = InfoRequest();
  to_rabat.requested_agency = "MA-DGSN";
  absl::StatusOr<AssistanceRequest> incoming =
      fr_.service.Create(officer_, to_rabat, "");
  ASSERT_TRUE(incoming.ok()) << incoming.status();
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  ASSERT_TRUE(
      fr_.service.Answer(officer_, normal2.id, 2, "Done (synthetic).", "")
          .ok());
  Deliver(fr_, ma_, clock_);

  RequestQuery q;
  absl::StatusOr<RequestPage> page = ma_.service.List(officer_, q, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->total, 4);
  ASSERT_EQ(page->requests.size(), 4u);
  EXPECT_EQ(page->requests[0].id, incoming->id);  // newest first
  q.direction = Direction::kOutgoing;
  EXPECT_EQ(ma_.service.List(officer_, q, "")->total, 3);
  q.direction = Direction::kIncoming;
  EXPECT_EQ(ma_.service.List(officer_, q, "")->total, 1);
  q.direction.reset();
  q.state = RequestState::kAnswered;
  page = ma_.service.List(officer_, q, "");
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->requests[0].id, normal2.id);
  q.state.reset();
  q.open = true;
  EXPECT_EQ(ma_.service.List(officer_, q, "")->total, 3);
  q.open.reset();
  q.partner = "FR-DGPN";
  EXPECT_EQ(ma_.service.List(officer_, q, "")->total, 4);
  q.partner.reset();

  // Nine hours later the urgent one is overdue; sorted by deadline it comes
  // first; the counts say so for each direction.
  clock_.Advance(absl::Hours(9));
  q.overdue = true;
  page = ma_.service.List(officer_, q, "");
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->requests[0].id, urgent.id);
  q.overdue = false;
  EXPECT_EQ(ma_.service.List(officer_, q, "")->total, 3);
  q.overdue.reset();
  q.sort = SortOrder::kDeadline;
  q.page_size = 2;
  page = ma_.service.List(officer_, q, "");
  ASSERT_EQ(page->requests.size(), 2u);
  EXPECT_EQ(page->requests[0].id, urgent.id);
  EXPECT_EQ(page->requests[1].id, normal1.id);
  EXPECT_EQ(page->counts.open_outgoing, 2);
  EXPECT_EQ(page->counts.open_incoming, 1);
  EXPECT_EQ(page->counts.overdue_outgoing, 1);
  EXPECT_EQ(page->counts.overdue_incoming, 0);
  q.page = 2;
  page = ma_.service.List(officer_, q, "");
  ASSERT_EQ(page->requests.size(), 2u);
  EXPECT_EQ(page->requests[0].id, normal2.id);
  EXPECT_EQ(page->requests[1].id,
            incoming->id);  // received here too: its deadline is later

  q = RequestQuery();
  q.page = 0;
  EXPECT_EQ(FieldOf(ma_.service.List(officer_, q, "").status()), "page");
  q.page = 1;
  q.page_size = kMaxPageSize + 1;
  EXPECT_EQ(FieldOf(ma_.service.List(officer_, q, "").status()), "page_size");
  q.page_size = 10;
  q.partner = "paris";
  EXPECT_EQ(FieldOf(ma_.service.List(officer_, q, "").status()), "partner");
  const auto lists = Entries(ma_, "assistance.list", AuditOutcome::kSuccess);
  ASSERT_FALSE(lists.empty());
  EXPECT_NE(lists[0].details.find(incoming->id), std::string::npos);
}

TEST_P(AssistanceServiceTest, AClarificationSuspendsTheDeadline) {
  const absl::Time received = clock_.Now();
  const AssistanceRequest r = Exchanged(InfoRequest(Urgency::kUrgent, true));
  ASSERT_EQ(r.deadline_at, received + absl::Hours(8));
  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE(
      fr_.service
          .RequestClarification(officer_, r.id, 2, "Which day? (synthetic)", "")
          .ok());
  clock_.Advance(absl::Minutes(30));  // on its way
  const absl::Time asked_at_rabat = clock_.Now();
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  std::optional<AssistanceRequest> ma = At(ma_, r.id);
  EXPECT_EQ(ma->state, RequestState::kClarificationRequested);
  EXPECT_EQ(ma->suspended_since, asked_at_rabat);
  EXPECT_EQ(ma->clarification_question, "Which day? (synthetic)");
  // Paused: not overdue however long the requester takes.
  clock_.Advance(absl::Hours(10));
  boost::json::object status = DeadlineStatusJson(*ma, clock_.Now());
  EXPECT_TRUE(status["paused"].as_bool());
  EXPECT_FALSE(status["overdue"].as_bool());
  EXPECT_EQ(status["time_left_seconds"].as_int64(), 6 * 3600 + 1800);
  absl::StatusOr<AssistanceRequest> clarified =
      ma_.service.Clarify(officer_, r.id, 3, "The 3rd of January.", "");
  ASSERT_TRUE(clarified.ok()) << clarified.status();
  EXPECT_EQ(clarified->suspended, absl::Hours(10));
  EXPECT_EQ(clarified->deadline_at, received + absl::Hours(18));
  EXPECT_FALSE(clarified->suspended_since.has_value());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  std::optional<AssistanceRequest> fr = At(fr_, r.id);
  EXPECT_EQ(fr->state, RequestState::kClarified);
  EXPECT_EQ(fr->clarification, "The 3rd of January.");
  EXPECT_EQ(fr->deadline_at,
            received + absl::Hours(18));  // the same on both sides
  ASSERT_TRUE(
      fr_.service.Answer(officer_, r.id, 4, "Seen at 14:00 (synthetic).", "")
          .ok());
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  ma = At(ma_, r.id);
  EXPECT_EQ(ma->state, RequestState::kAnswered);
  EXPECT_TRUE(RespondedInTime(*ma->deadline_at, *ma->answered_at));
}

TEST_P(AssistanceServiceTest, RemindersAt75PercentAndOverdueFlagsOnBothSides) {
  const absl::Time received = clock_.Now();
  const AssistanceRequest r = Exchanged(InfoRequest(Urgency::kUrgent, true));
  clock_.Set(received + absl::Hours(6) - absl::Milliseconds(1));
  for (testing::Side* side : {&ma_, &fr_}) {
    absl::StatusOr<ReminderReport> none =
        side->service.RunReminders(clock_.Now());
    ASSERT_TRUE(none.ok()) << none.status();
    EXPECT_TRUE(none->warned.empty());
    EXPECT_TRUE(none->overdue.empty());
  }
  clock_.Set(received + absl::Hours(6));
  for (testing::Side* side : {&ma_, &fr_}) {
    absl::StatusOr<ReminderReport> warned =
        side->service.RunReminders(clock_.Now());
    ASSERT_TRUE(warned.ok()) << warned.status();
    EXPECT_EQ(warned->warned, std::vector<std::string>{r.id}) << side->agency;
    EXPECT_TRUE(warned->overdue.empty());
    // Running it again changes nothing.
    EXPECT_TRUE(side->service.RunReminders(clock_.Now())->warned.empty());
    EXPECT_EQ(Entries(*side, "assistance.deadline_warning").size(), 1u);
  }
  clock_.Set(received + absl::Hours(8) - absl::Milliseconds(1));
  EXPECT_TRUE(fr_.service.RunReminders(clock_.Now())->overdue.empty());
  clock_.Set(received + absl::Hours(8));
  for (testing::Side* side : {&ma_, &fr_}) {
    absl::StatusOr<ReminderReport> overdue =
        side->service.RunReminders(clock_.Now());
    ASSERT_TRUE(overdue.ok());
    EXPECT_EQ(overdue->overdue, std::vector<std::string>{r.id}) << side->agency;
    EXPECT_TRUE(side->service.RunReminders(clock_.Now())->overdue.empty());
    const auto flagged = Entries(*side, "assistance.overdue");
    ASSERT_EQ(flagged.size(), 1u);
    EXPECT_EQ(flagged[0].actor, "system");
    EXPECT_EQ(At(*side, r.id)->overdue_at, clock_.Now());
    EXPECT_EQ(At(*side, r.id)->version, 2);  // bookkeeping: no new version
  }
  EXPECT_EQ(
      CountAt(fr_, "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL"),
      0);
  // A late answer is recorded as late.
  absl::StatusOr<AssistanceRequest> answered =
      fr_.service.Answer(officer_, r.id, 2, "Late (synthetic).", "");
  ASSERT_TRUE(answered.ok());
  EXPECT_FALSE(RespondedInTime(*answered->deadline_at, *answered->answered_at));
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  // A request skipped straight to overdue gets no warning afterwards.
  const AssistanceRequest other =
      Exchanged(InfoRequest(Urgency::kUrgent, true));
  clock_.Advance(absl::Hours(9));
  absl::StatusOr<ReminderReport> late = fr_.service.RunReminders(clock_.Now());
  EXPECT_EQ(late->overdue, std::vector<std::string>{other.id});
  EXPECT_TRUE(late->warned.empty());
  EXPECT_TRUE(fr_.service.RunReminders(clock_.Now())->warned.empty());
}

TEST_P(AssistanceServiceTest, StatisticsPerPartner) {
  const absl::Time start = clock_.Now();
  // Answered after 1 hour, 2 hours, and 10 hours (urgent, 8 hours: late);
  // refused twice; one left pending past its deadline; one withdrawn.
  const int hours[] = {1, 2, 10};
  for (int h : hours) {
    const AssistanceRequest r = Exchanged(InfoRequest(Urgency::kUrgent, true));
    clock_.Advance(absl::Hours(h));
    ASSERT_TRUE(
        fr_.service.Answer(officer_, r.id, 2, "Answer (synthetic).", "").ok());
    Deliver(fr_, ma_, clock_);
  }
  for (RefusalReason reason :
       {RefusalReason::kLegalGrounds, RefusalReason::kOther}) {
    const AssistanceRequest r = Exchanged();
    ASSERT_TRUE(
        fr_.service
            .Refuse(supervisor_, r.id, 2, reason, "Not possible here.", "")
            .ok());
    Deliver(fr_, ma_, clock_);
  }
  const AssistanceRequest pending =
      Exchanged(InfoRequest(Urgency::kUrgent, true));
  const AssistanceRequest withdrawn = Exchanged();
  ASSERT_TRUE(
      ma_.service.Close(officer_, withdrawn.id, 2, "Solved locally.", "").ok());
  Deliver(ma_, fr_, clock_);
  clock_.Advance(absl::Hours(9));

  for (testing::Side* side : {&ma_, &fr_}) {
    absl::StatusOr<StatsReport> stats = side->service.Stats(
        supervisor_, start, clock_.Now() + absl::Hours(1), "");
    ASSERT_TRUE(stats.ok()) << stats.status();
    ASSERT_EQ(stats->partners.size(), 1u);
    const PartnerStats& p = stats->partners[0];
    const bool rabat = side->agency == "MA-DGSN";
    EXPECT_EQ(p.partner, rabat ? "FR-DGPN" : "MA-DGSN");
    const DirectionStats& d = rabat ? p.sent : p.received;
    const DirectionStats& other = rabat ? p.received : p.sent;
    EXPECT_EQ(other.requests, 0);
    EXPECT_EQ(d.requests, 7);
    EXPECT_EQ(d.answered, 3);
    EXPECT_EQ(d.refused, 2);
    EXPECT_EQ(d.pending, 1);
    EXPECT_EQ(d.withdrawn, 1);
    EXPECT_EQ(d.overdue_now, 1);
    EXPECT_EQ(d.responded_in_time, 4);
    ASSERT_TRUE(d.in_time_percent.has_value());
    EXPECT_DOUBLE_EQ(*d.in_time_percent, 80.0);
    // Response times: 0 h (the two refusals), 1 h, 2 h, 10 h.
    EXPECT_EQ(d.median_response, absl::Hours(1));
    EXPECT_EQ(d.p90_response, absl::Hours(10));
    EXPECT_EQ(
        d.refusals_by_reason[static_cast<size_t>(RefusalReason::kLegalGrounds)],
        1);
    EXPECT_EQ(d.refusals_by_reason[static_cast<size_t>(RefusalReason::kOther)],
              1);
    EXPECT_EQ(
        d.refusals_by_reason[static_cast<size_t>(RefusalReason::kNotAvailable)],
        0);
  }
  (void)pending;
  // An empty period, and a reversed one.
  absl::StatusOr<StatsReport> empty = ma_.service.Stats(
      analyst_, start - absl::Hours(48), start - absl::Hours(24), "");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->partners.empty());
  EXPECT_EQ(FieldOf(ma_.service.Stats(analyst_, start, start, "").status()),
            "from");
  EXPECT_EQ(ma_.service.Stats(admin_, start, clock_.Now(), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  boost::json::object json =
      StatsToJson(*ma_.service.Stats(analyst_, start, clock_.Now(), ""));
  const boost::json::object& sent =
      json["partners"].as_array()[0].as_object().at("sent").as_object();
  EXPECT_EQ(sent.at("median_response_seconds").as_int64(), 3600);
  EXPECT_EQ(
      sent.at("refusals_by_reason").as_object().at("legal_grounds").as_int64(),
      1);
}

TEST_P(AssistanceServiceTest, QuestionsAreBoundedAndTheRequestCanStillEnd) {
  const AssistanceRequest r = Exchanged();
  int64_t version = 2;
  ASSERT_TRUE(fr_.service.Start(officer_, r.id, version++, "").ok());
  ASSERT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  for (size_t i = 0; i < kMaxClarificationRounds; ++i) {
    ASSERT_TRUE(
        fr_.service
            .RequestClarification(officer_, r.id, version++, "Which one?", "")
            .ok())
        << i;
    ASSERT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"})
        << i;
    ASSERT_TRUE(
        ma_.service.Clarify(officer_, r.id, version++, "This one.", "").ok())
        << i;
    ASSERT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"})
        << i;
    ASSERT_TRUE(fr_.service.Start(officer_, r.id, version++, "").ok()) << i;
    ASSERT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"})
        << i;
  }
  absl::StatusOr<AssistanceRequest> more =
      fr_.service.RequestClarification(officer_, r.id, version, "And?", "");
  EXPECT_EQ(more.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(more.status().message()).find("answer or refuse it"),
            std::string::npos);
  ASSERT_TRUE(
      fr_.service.Answer(officer_, r.id, version++, "Finally (synthetic).", "")
          .ok());
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  ASSERT_TRUE(ma_.service.Close(officer_, r.id, version++, "", "").ok());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  std::optional<AssistanceRequest> fr = At(fr_, r.id);
  EXPECT_EQ(fr->state, RequestState::kClosed);
  EXPECT_EQ(fr->history.size(), 5 + 3 * kMaxClarificationRounds);
  EXPECT_LE(fr->history.size(), kMaxHistory);
}

INSTANTIATE_TEST_SUITE_P(Stores, AssistanceServiceTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::assistance
