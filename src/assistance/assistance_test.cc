// The model: vocabularies, the state machine, DeriveState over histories,
// validation and JSON (what the API reads and what crosses to a partner).
#include "assistance/assistance.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "assistance/deadline.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::assistance {
namespace {

constexpr std::string_view kMa = "MA-DGSN";
constexpr std::string_view kFr = "FR-DGPN";

HistoryEntry E(int64_t version, std::string_view agency, Transition t) {
  HistoryEntry e;
  e.version = version;
  e.agency = std::string(agency);
  e.transition = t;
  e.at = absl::FromUnixSeconds(1767225600 + version * 60);
  return e;
}

TEST(AssistanceModelTest, NamesRoundTrip) {
  for (std::string_view n : TypeNames())
    EXPECT_EQ(TypeName(*TypeFromName(n)), n);
  for (std::string_view n : UrgencyNames())
    EXPECT_EQ(UrgencyName(*UrgencyFromName(n)), n);
  for (std::string_view n : StateNames())
    EXPECT_EQ(StateName(*StateFromName(n)), n);
  for (std::string_view n : RefusalReasonNames()) {
    EXPECT_EQ(RefusalReasonName(*RefusalReasonFromName(n)), n);
  }
  for (std::string_view n : TransitionNames()) {
    EXPECT_EQ(TransitionName(*TransitionFromName(n)), n);
  }
  EXPECT_EQ(TypeNames().size(), 5u);
  EXPECT_EQ(StateNames().size(), 8u);
  EXPECT_FALSE(TypeFromName("Information").has_value());
  EXPECT_FALSE(StateFromName("done").has_value());
  EXPECT_FALSE(RefusalReasonFromName("").has_value());
}

TEST(AssistanceModelTest, TheStateMachine) {
  using S = RequestState;
  using T = Transition;
  struct Case {
    T t;
    S from;
    bool allowed;
  };
  const Case cases[] = {
      {T::kReceive, S::kSubmitted, true},
      {T::kReceive, S::kReceived, false},
      {T::kStart, S::kReceived, true},
      {T::kStart, S::kClarified, true},
      {T::kStart, S::kInProgress, false},
      {T::kStart, S::kSubmitted, false},
      {T::kAnswer, S::kReceived, true},
      {T::kAnswer, S::kInProgress, true},
      {T::kAnswer, S::kClarified, true},
      {T::kAnswer, S::kSubmitted, false},
      {T::kAnswer, S::kClarificationRequested, false},
      {T::kAnswer, S::kAnswered, false},
      {T::kRefuse, S::kInProgress, true},
      {T::kRefuse, S::kRefused, false},
      {T::kRequestClarification, S::kInProgress, true},
      {T::kRequestClarification, S::kClarificationRequested, false},
      {T::kClarify, S::kClarificationRequested, true},
      {T::kClarify, S::kInProgress, false},
      {T::kClose, S::kSubmitted, true},
      {T::kClose, S::kAnswered, true},
      {T::kClose, S::kRefused, true},
      {T::kClose, S::kClarificationRequested, true},
      {T::kClose, S::kClosed, false},
      {T::kSubmit, S::kSubmitted, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsAllowed(c.t, c.from), c.allowed)
        << TransitionName(c.t) << " from " << StateName(c.from);
  }
  EXPECT_EQ(PartyOf(T::kClose), Party::kRequester);
  EXPECT_EQ(PartyOf(T::kClarify), Party::kRequester);
  EXPECT_EQ(PartyOf(T::kReceive), Party::kRequested);
  EXPECT_EQ(PartyOf(T::kRequestClarification), Party::kRequested);
  EXPECT_TRUE(DeadlineRuns(S::kClarified));
  EXPECT_FALSE(DeadlineRuns(S::kClarificationRequested));
  EXPECT_FALSE(DeadlineRuns(S::kSubmitted));
  EXPECT_TRUE(IsOpen(S::kClarificationRequested));
  EXPECT_FALSE(IsOpen(S::kAnswered));
}

TEST(AssistanceModelTest, DeriveStateFollowsTheChain) {
  std::vector<HistoryEntry> h = {E(1, kMa, Transition::kSubmit)};
  EXPECT_EQ(*DeriveState(h, kMa, kFr), RequestState::kSubmitted);
  h.push_back(E(2, kFr, Transition::kReceive));
  h.push_back(E(3, kFr, Transition::kRequestClarification));
  h.push_back(E(4, kMa, Transition::kClarify));
  h.push_back(E(5, kFr, Transition::kStart));
  EXPECT_EQ(*DeriveState(h, kMa, kFr), RequestState::kInProgress);
  h.push_back(E(6, kFr, Transition::kAnswer));
  EXPECT_EQ(*DeriveState(h, kMa, kFr), RequestState::kAnswered);
  h.push_back(E(7, kMa, Transition::kClose));
  EXPECT_EQ(*DeriveState(h, kMa, kFr), RequestState::kClosed);
}

TEST(AssistanceModelTest, ACloseCrossingTheRequestedAgencysWorkIsKept) {
  // Paris started and answered (3, 4) while Rabat, at version 2, closed (3).
  const std::vector<HistoryEntry> h = {
      E(1, kMa, Transition::kSubmit), E(2, kFr, Transition::kReceive),
      E(3, kFr, Transition::kStart), E(3, kMa, Transition::kClose),
      E(4, kFr, Transition::kAnswer)};
  EXPECT_EQ(*DeriveState(h, kMa, kFr), RequestState::kClosed);
}

TEST(AssistanceModelTest, DeriveStateRefusesWhatCannotHappen) {
  const auto code = [](std::vector<HistoryEntry> h) {
    return DeriveState(h, kMa, kFr).status().code();
  };
  using absl::StatusCode;
  EXPECT_EQ(code({}), StatusCode::kInvalidArgument);
  // The wrong party: Paris closes, Rabat answers, Paris submits.
  EXPECT_EQ(
      code({E(1, kMa, Transition::kSubmit), E(2, kFr, Transition::kClose)}),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(
      code({E(1, kMa, Transition::kSubmit), E(2, kFr, Transition::kReceive),
            E(3, kMa, Transition::kAnswer)}),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(code({E(1, kFr, Transition::kSubmit)}),
            StatusCode::kPermissionDenied);
  // A third agency.
  EXPECT_EQ(code({E(1, kMa, Transition::kSubmit),
                  E(2, "ES-PN", Transition::kReceive)}),
            StatusCode::kPermissionDenied);
  // A gap, a repeat, a transition not allowed in its state.
  EXPECT_EQ(
      code({E(1, kMa, Transition::kSubmit), E(3, kFr, Transition::kReceive)}),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      code({E(1, kMa, Transition::kSubmit), E(2, kFr, Transition::kReceive),
            E(2, kFr, Transition::kReceive)}),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(
      code({E(1, kMa, Transition::kSubmit), E(2, kFr, Transition::kAnswer)}),
      StatusCode::kFailedPrecondition);
  // Two parties moving at the same version outside a close: a conflict.
  EXPECT_EQ(
      code({E(1, kMa, Transition::kSubmit), E(2, kFr, Transition::kReceive),
            E(3, kFr, Transition::kRequestClarification),
            E(4, kMa, Transition::kClarify), E(4, kFr, Transition::kAnswer)}),
      StatusCode::kFailedPrecondition);
  // Two submits, two closes, the requester acting after its close.
  EXPECT_EQ(
      code({E(1, kMa, Transition::kSubmit), E(2, kMa, Transition::kSubmit)}),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(code({E(1, kMa, Transition::kSubmit), E(2, kMa, Transition::kClose),
                  E(3, kMa, Transition::kClose)}),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      code({E(1, kMa, Transition::kSubmit), E(2, kFr, Transition::kReceive),
            E(3, kFr, Transition::kRequestClarification),
            E(3, kMa, Transition::kClose), E(4, kMa, Transition::kClarify)}),
      StatusCode::kFailedPrecondition);
  // A close far ahead of what the requester could have seen.
  EXPECT_EQ(
      code({E(1, kMa, Transition::kSubmit), E(5, kMa, Transition::kClose)}),
      StatusCode::kFailedPrecondition);
}

boost::json::object Valid() {
  return *ParseJsonObject(R"json({
    "requested_agency": "FR-DGPN", "type": "information", "urgency": "urgent",
    "directly_accessible": true, "subject": "  Plate check  ",
    "description": "Who holds AB-123-CD?\nSynthetic.", "grounds": "Seen at a scene.",
    "urgency_reason": "Leaving tonight", "case_reference": "MA/1"})json");
}

TEST(AssistanceModelTest, ContentFromJsonReadsAndNamesTheMemberAtFault) {
  absl::StatusOr<RequestContent> c = ContentFromJson(Valid());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->requested_agency, "FR-DGPN");
  EXPECT_EQ(c->urgency, Urgency::kUrgent);
  EXPECT_TRUE(c->directly_accessible);
  EXPECT_EQ(c->subject, "Plate check");
  EXPECT_TRUE(ValidateContent(*c).ok());

  const auto field_of = [](boost::json::object o) -> std::string {
    absl::StatusOr<RequestContent> r = ContentFromJson(o);
    absl::Status s = r.ok() ? ValidateContent(*r) : r.status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    return FieldOf(s).value_or("(none)");
  };
  const auto with = [](std::string_view key, std::string_view value) {
    boost::json::object o = Valid();
    if (value.empty()) {
      o.erase(key);
    } else {
      o[key] = *ParseJson(value);
    }
    return o;
  };
  EXPECT_EQ(field_of(with("requested_agency", "")), "requested_agency");
  EXPECT_EQ(field_of(with("requested_agency", R"("france")")),
            "requested_agency");
  EXPECT_EQ(field_of(with("type", R"("gossip")")), "type");
  EXPECT_EQ(field_of(with("urgency", R"("asap")")), "urgency");
  EXPECT_EQ(field_of(with("directly_accessible", "")), "directly_accessible");
  EXPECT_EQ(field_of(with("directly_accessible", R"("yes")")),
            "directly_accessible");
  EXPECT_EQ(field_of(with("subject", R"("   ")")), "subject");
  EXPECT_EQ(field_of(with("subject", R"("two\nlines")")), "subject");
  EXPECT_EQ(field_of(with("description", "")), "description");
  EXPECT_EQ(field_of(with("grounds", "7")), "grounds");
  EXPECT_EQ(field_of(with("urgency_reason", "")), "urgency_reason");
  EXPECT_EQ(field_of(with("alert_id", R"("ALERT-1")")), "alert_id");
  EXPECT_EQ(field_of(with("colour", R"("blue")")), "colour");
  EXPECT_EQ(field_of(with("subject", "\"" + std::string(301, 'x') + "\"")),
            "subject");
  boost::json::object follow_up = Valid();
  follow_up["type"] = "hit_follow_up";
  EXPECT_EQ(field_of(follow_up), "hit_id");
  follow_up["hit_id"] = "0192f1d4-5b6c-7000-8000-000000000abc";
  EXPECT_TRUE(ContentFromJson(follow_up).ok());
  EXPECT_TRUE(ValidateContent(*ContentFromJson(follow_up)).ok());
  // Non-urgent: directly_accessible and urgency_reason are optional.
  boost::json::object normal = Valid();
  normal["urgency"] = "normal";
  normal.erase("directly_accessible");
  normal.erase("urgency_reason");
  absl::StatusOr<RequestContent> n = ContentFromJson(normal);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_TRUE(ValidateContent(*n).ok());
}

AssistanceRequest Sample() {
  AssistanceRequest r;
  r.id = "0192f1d4-5b6c-7000-8000-000000000001";
  r.requester = std::string(kMa);
  r.requested = std::string(kFr);
  r.content.requested_agency = r.requested;
  r.content.type = RequestType::kHitFollowUp;
  r.content.urgency = Urgency::kUrgent;
  r.content.directly_accessible = true;
  r.content.subject = "Hit follow-up";
  r.content.description = "What was found?";
  r.content.grounds = "Our alert";
  r.content.urgency_reason = "Custody ends at noon";
  r.content.hit_id = "0192f1d4-5b6c-7000-8000-000000000002";
  r.state = RequestState::kAnswered;
  r.version = 4;
  r.submitted_at = absl::FromUnixMillis(1767225600000);
  r.received_at = absl::FromUnixMillis(1767225660000);
  r.answer = "Identity confirmed (synthetic).";
  r.answered_at = absl::FromUnixMillis(1767229260000);
  r.suspended = absl::Milliseconds(1500);
  r.history = {E(1, kMa, Transition::kSubmit), E(2, kFr, Transition::kReceive),
               E(3, kFr, Transition::kStart), E(4, kFr, Transition::kAnswer)};
  for (HistoryEntry& e : r.history) e.actor = "peer:" + e.agency;
  r.history[3].note = r.answer;
  RefreshDeadline(r);
  return r;
}

TEST(AssistanceModelTest, TheSharedFormRoundTripsWithoutLocalMembers) {
  AssistanceRequest r = Sample();
  r.created_by = "user:secret:officer";
  r.warned_at = r.received_at;
  r.suspended_since = r.received_at;
  const boost::json::object shared = SharedRequestJson(r);
  EXPECT_FALSE(shared.contains("created_by"));
  EXPECT_FALSE(shared.contains("warned_at"));
  EXPECT_FALSE(shared.contains("suspended_since"));
  EXPECT_EQ(ToJson(shared).find("user:secret"), std::string::npos);
  absl::StatusOr<AssistanceRequest> back =
      SharedRequestFromJson(*ParseJsonObject(ToJson(shared)));
  ASSERT_TRUE(back.ok()) << back.status();
  AssistanceRequest expected = Sample();
  EXPECT_EQ(back->content, expected.content);
  EXPECT_EQ(back->history, expected.history);
  EXPECT_EQ(back->answer, expected.answer);
  EXPECT_EQ(back->answered_at, expected.answered_at);
  EXPECT_EQ(back->suspended, absl::Milliseconds(1500));
  EXPECT_EQ(back->deadline_at, expected.deadline_at);
  EXPECT_EQ(*back->deadline_at,
            ComputeDeadline(*r.received_at, Urgency::kUrgent, true,
                            absl::Milliseconds(1500)));

  // A partner's body with a bad member is refused, naming it.
  const auto refused = [&](std::string_view key, boost::json::value v) {
    boost::json::object o = shared;
    o[key] = std::move(v);
    absl::StatusOr<AssistanceRequest> x = SharedRequestFromJson(o);
    EXPECT_FALSE(x.ok()) << key;
    return FieldOf(x.status()).value_or("(none)");
  };
  EXPECT_EQ(refused("requester", "nobody"), "requester");
  EXPECT_EQ(refused("state", "lost"), "state");
  EXPECT_EQ(refused("answer", "\x01"), "answer");
  EXPECT_EQ(refused("suspended_ms", -1), "suspended_ms");
  EXPECT_EQ(refused("received_at", "yesterday"), "received_at");
  EXPECT_EQ(refused("spy", true), "spy");
  boost::json::object bad_history = shared;
  bad_history["history"].as_array()[1].as_object()["transition"] = "steal";
  EXPECT_EQ(FieldOf(SharedRequestFromJson(bad_history).status()),
            "history[1].transition");
}

TEST(AssistanceModelTest, DeadlineStatusAtAGlance) {
  AssistanceRequest r = Sample();
  r.state = RequestState::kInProgress;
  r.answer.clear();
  r.answered_at.reset();
  r.suspended = absl::ZeroDuration();
  RefreshDeadline(r);
  const absl::Time received = *r.received_at;
  boost::json::object s = DeadlineStatusJson(r, received + absl::Hours(5));
  EXPECT_EQ(s["rule"].as_string(), "urgent_direct");
  EXPECT_EQ(s["period_seconds"].as_int64(), 8 * 3600);
  EXPECT_TRUE(s["running"].as_bool());
  EXPECT_EQ(s["time_left_seconds"].as_int64(), 3 * 3600);
  EXPECT_FALSE(s["warning"].as_bool());
  EXPECT_FALSE(s["overdue"].as_bool());
  s = DeadlineStatusJson(r, received + absl::Hours(6));
  EXPECT_TRUE(s["warning"].as_bool());
  s = DeadlineStatusJson(r, received + absl::Hours(8));
  EXPECT_TRUE(s["overdue"].as_bool());
  EXPECT_FALSE(s["warning"].as_bool());
  EXPECT_EQ(s["time_left_seconds"].as_int64(), 0);
  // Paused while a clarification is awaited: the time left is frozen.
  r.state = RequestState::kClarificationRequested;
  r.clarification_requested_at = received + absl::Hours(2);
  s = DeadlineStatusJson(r, received + absl::Hours(30));
  EXPECT_TRUE(s["paused"].as_bool());
  EXPECT_FALSE(s["running"].as_bool());
  EXPECT_FALSE(s["overdue"].as_bool());
  EXPECT_EQ(s["time_left_seconds"].as_int64(), 6 * 3600);
  // Answered late.
  r.state = RequestState::kAnswered;
  r.answered_at = received + absl::Hours(9);
  s = DeadlineStatusJson(r, received + absl::Hours(30));
  EXPECT_FALSE(s["running"].as_bool());
  EXPECT_FALSE(s["overdue"].as_bool());
  EXPECT_TRUE(s["time_left_seconds"].is_null());
  EXPECT_FALSE(s["responded_in_time"].as_bool());
  // Not received yet: no deadline.
  r.received_at.reset();
  r.state = RequestState::kSubmitted;
  RefreshDeadline(r);
  s = DeadlineStatusJson(r, received);
  EXPECT_TRUE(s["deadline_at"].is_null());
  EXPECT_FALSE(s["running"].as_bool());
}

}  // namespace
}  // namespace jisr::assistance
