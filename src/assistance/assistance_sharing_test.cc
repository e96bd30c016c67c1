// Requests between two agencies in one process: Rabat (MA-DGSN, the
// requester) and Paris (FR-DGPN, the requested agency), their envelopes
// carried through the real federation::Receiver (signatures, versions,
// inbox). The request arrives and is acknowledged, Paris answers, Rabat
// closes; wrong-party transitions are refused and audited; envelopes out of
// order are resolved by version; a close crossing an answer converges.
#include "assistance/assistance_sharing.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "assistance/deadline.h"
#include "assistance/test_assistance.h"

namespace jisr::assistance {
namespace {

using audit::AuditOutcome;
using federation::Envelope;
using testing::At;
using testing::Claim;
using testing::CountAt;
using testing::Deliver;
using testing::Entries;
using testing::InfoRequest;
using testing::Send;
using testing::Side;

class AssistanceSharingTest : public testing::TwoNodeTest {
 protected:
  // An envelope of `kind` carrying `body` for request `id` at `version`.
  Envelope Craft(std::string_view kind, const std::string& id, int64_t version,
                 const boost::json::object& body) {
    Envelope e;
    e.id = NewUuidV7(clock_.Now());
    e.kind = std::string(kind);
    e.record_id = RequestRecord(id);
    e.version = version;
    e.body = ToJson(body);
    return e;
  }

  // `side`'s request as it would cross, plus a forged transition.
  boost::json::object Forged(Side& side, const std::string& id,
                             std::string_view agency, Transition t,
                             RequestState state) {
    std::optional<AssistanceRequest> r = At(side, id);
    EXPECT_TRUE(r.has_value());
    boost::json::object o = SharedRequestJson(*r);
    const int64_t version = r->version + 1;
    o["history"].as_array().push_back(boost::json::object{
        {"version", version},
        {"agency", agency},
        {"transition", TransitionName(t)},
        {"at", FormatRfc3339(clock_.Now())},
        {"reason", ""},
        {"note", t == Transition::kAnswer ? "forged" : ""}});
    o["version"] = version;
    o["state"] = StateName(state);
    if (t == Transition::kAnswer) {
      o["answer"] = "forged";
      o["answered_at"] = FormatRfc3339(clock_.Now());
    }
    if (t == Transition::kClose) o["closed_at"] = FormatRfc3339(clock_.Now());
    return o;
  }

  // The request's history as (version, agency, transition) lines.
  static std::vector<std::string> Lines(const AssistanceRequest& r) {
    std::vector<std::string> out;
    for (const HistoryEntry& e : r.history) {
      out.push_back(fmt::format("{} {} {} {}", e.version, e.agency,
                                TransitionName(e.transition), e.note));
    }
    return out;
  }
};

TEST_P(AssistanceSharingTest, ARoundTripBetweenRabatAndParis) {
  absl::StatusOr<AssistanceRequest> created = ma_.service.Create(
      officer_, InfoRequest(Urgency::kUrgent, true), "case 42");
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string id = created->id;
  clock_.Advance(absl::Minutes(2));  // in transit
  const absl::Time arrival = clock_.Now();

  // The request arrives at Paris and is received at once.
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  std::optional<AssistanceRequest> fr = At(fr_, id);
  ASSERT_TRUE(fr.has_value());
  EXPECT_EQ(fr->state, RequestState::kReceived);
  EXPECT_EQ(fr->version, 2);
  EXPECT_EQ(fr->received_at, arrival);
  EXPECT_EQ(fr->deadline_at, arrival + absl::Hours(8));
  EXPECT_EQ(fr->content, created->content);
  EXPECT_EQ(fr->created_by, "peer:MA-DGSN");
  ASSERT_EQ(fr->history.size(), 2u);
  EXPECT_EQ(fr->history[0].actor,
            "peer:MA-DGSN");  // Rabat's officer stays in Rabat
  EXPECT_EQ(fr->history[1].transition, Transition::kReceive);
  EXPECT_EQ(fr->history[1].actor, "system");
  EXPECT_EQ(Entries(fr_, "assistance.receive").size(), 1u);
  EXPECT_EQ(Entries(fr_, "assistance.apply").size(), 1u);
  // The acknowledgement goes back and Rabat sees the deadline.
  EXPECT_EQ(
      CountAt(
          fr_,
          "SELECT COUNT(*) FROM outbox WHERE recipient = 'MA-DGSN' AND kind = "
          "'assistance.update' AND version = 2"),
      1);
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  std::optional<AssistanceRequest> ma = At(ma_, id);
  EXPECT_EQ(ma->state, RequestState::kReceived);
  EXPECT_EQ(ma->version, 2);
  EXPECT_EQ(ma->deadline_at, arrival + absl::Hours(8));
  EXPECT_EQ(ma->history[0].actor, officer_.Actor());

  // Paris starts and answers; Rabat sees the answer and where it came from.
  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE(fr_.service.Start(officer_, id, 2, "").ok());
  clock_.Advance(absl::Hours(2));
  absl::StatusOr<AssistanceRequest> answered = fr_.service.Answer(
      supervisor_, id, 3, "Registered to a fictional company.", "");
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(Deliver(fr_, ma_, clock_),
            (std::vector<std::string>{"accepted", "accepted"}));
  absl::StatusOr<AssistanceRequest> seen =
      ma_.service.Get(officer_, id, "follow-up");
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->state, RequestState::kAnswered);
  EXPECT_EQ(seen->version, 4);
  EXPECT_EQ(seen->answer, "Registered to a fictional company.");
  EXPECT_EQ(seen->answered_at, answered->answered_at);
  EXPECT_TRUE(RespondedInTime(*seen->deadline_at, *seen->answered_at));
  ASSERT_TRUE(seen->provenance.has_value());
  EXPECT_EQ(seen->provenance->sender, "FR-DGPN");
  EXPECT_EQ(seen->history.back().actor, "peer:FR-DGPN");

  // Rabat closes; Paris follows.
  ASSERT_TRUE(ma_.service.Close(officer_, id, 4, "Thank you.", "").ok());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  fr = At(fr_, id);
  ma = At(ma_, id);
  EXPECT_EQ(fr->state, RequestState::kClosed);
  EXPECT_EQ(fr->close_note, "Thank you.");
  EXPECT_EQ(fr->version, 5);
  EXPECT_EQ(ma->version, 5);
  EXPECT_EQ(Lines(*fr), Lines(*ma));
  EXPECT_EQ(SharedRequestJson(*fr),
            SharedRequestJson(*ma));  // the same request on both sides
  EXPECT_EQ(Entries(fr_, "assistance.apply").size(), 2u);
  EXPECT_EQ(Entries(ma_, "assistance.apply").size(), 3u);
  EXPECT_EQ(Entries(ma_, "federation.receive").size(), 3u);
}

TEST_P(AssistanceSharingTest, ClarificationRoundTrip) {
  const AssistanceRequest r = Exchanged();
  ASSERT_TRUE(
      fr_.service.RequestClarification(officer_, r.id, 2, "Which car?", "")
          .ok());
  Deliver(fr_, ma_, clock_);
  ASSERT_TRUE(ma_.service.Clarify(officer_, r.id, 3, "The blue one.", "").ok());
  Deliver(ma_, fr_, clock_);
  ASSERT_TRUE(fr_.service.Start(officer_, r.id, 4, "").ok());
  ASSERT_TRUE(
      fr_.service.RequestClarification(officer_, r.id, 5, "Which day?", "")
          .ok());
  Deliver(fr_, ma_, clock_);
  ASSERT_TRUE(ma_.service.Clarify(officer_, r.id, 6, "Monday.", "").ok());
  Deliver(ma_, fr_, clock_);
  ASSERT_TRUE(fr_.service
                  .Refuse(supervisor_, r.id, 7,
                          RefusalReason::kDisproportionate,
                          "Too broad for a plate check.", "")
                  .ok());
  Deliver(fr_, ma_, clock_);
  std::optional<AssistanceRequest> ma = At(ma_, r.id);
  std::optional<AssistanceRequest> fr = At(fr_, r.id);
  EXPECT_EQ(ma->state, RequestState::kRefused);
  EXPECT_EQ(ma->refusal_reason, RefusalReason::kDisproportionate);
  EXPECT_EQ(ma->refusal_text, "Too broad for a plate check.");
  EXPECT_EQ(ma->clarification, "Monday.");
  EXPECT_EQ(ma->clarification_question, "Which day?");
  EXPECT_EQ(ma->version, 8);
  EXPECT_EQ(Lines(*ma), Lines(*fr));
  EXPECT_EQ(SharedRequestJson(*fr), SharedRequestJson(*ma));
}

TEST_P(AssistanceSharingTest, WrongPartyTransitionsAreRefusedAndAudited) {
  const AssistanceRequest r = Exchanged();
  // Paris pretends to close Rabat's request.
  auto results = Send(fr_, ma_,
                      {Craft(kUpdateKind, r.id, 3,
                             Forged(fr_, r.id, "FR-DGPN", Transition::kClose,
                                    RequestState::kClosed))},
                      clock_);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].first, "rejected");
  EXPECT_NE(results[0].second.find("only the requester (MA-DGSN)"),
            std::string::npos)
      << results[0].second;
  // Rabat pretends to answer its own request at Paris.
  results = Send(ma_, fr_,
                 {Craft(kUpdateKind, r.id, 3,
                        Forged(ma_, r.id, "MA-DGSN", Transition::kAnswer,
                               RequestState::kAnswered))},
                 clock_);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].first, "rejected");
  EXPECT_NE(results[0].second.find("only the requested (FR-DGPN)"),
            std::string::npos)
      << results[0].second;
  // Rabat claims a transition made by Paris that Paris never made.
  results = Send(ma_, fr_,
                 {Craft(kUpdateKind, r.id, 3,
                        Forged(ma_, r.id, "FR-DGPN", Transition::kStart,
                               RequestState::kInProgress))},
                 clock_);
  EXPECT_EQ(results[0].first, "rejected");
  EXPECT_NE(results[0].second.find("never made"), std::string::npos)
      << results[0].second;
  // Paris may not submit a request in Rabat's name.
  boost::json::object fake = SharedRequestJson(*At(fr_, r.id));
  results = Send(fr_, ma_, {Craft(kRequestKind, r.id, 3, fake)}, clock_);
  EXPECT_EQ(results[0].first, "rejected");
  EXPECT_NE(results[0].second.find("only the requester (MA-DGSN) submits"),
            std::string::npos)
      << results[0].second;
  // The content a requester submitted never changes.
  boost::json::object changed =
      Forged(ma_, r.id, "MA-DGSN", Transition::kClose, RequestState::kClosed);
  changed["subject"] = "Something else";
  results = Send(ma_, fr_, {Craft(kUpdateKind, r.id, 3, changed)}, clock_);
  EXPECT_EQ(results[0].first, "rejected");
  EXPECT_NE(results[0].second.find("content cannot change"), std::string::npos);
  // Nothing changed on either side; every refusal audited.
  EXPECT_EQ(At(ma_, r.id)->state, RequestState::kReceived);
  EXPECT_EQ(At(ma_, r.id)->version, 2);
  EXPECT_EQ(At(fr_, r.id)->state, RequestState::kReceived);
  EXPECT_EQ(At(fr_, r.id)->version, 2);
  const auto at_ma = Entries(ma_, "federation.reject", AuditOutcome::kDenied);
  const auto at_fr = Entries(fr_, "federation.reject", AuditOutcome::kDenied);
  EXPECT_EQ(at_ma.size(), 2u);
  EXPECT_EQ(at_fr.size(), 3u);
  ASSERT_FALSE(at_ma.empty());
  EXPECT_EQ(at_ma[0].object, RequestRecord(r.id));
  EXPECT_EQ(at_ma[0].actor, "peer:FR-DGPN");
}

TEST_P(AssistanceSharingTest, AThirdAgencyIsRefused) {
  Side es(GetParam(), "ES-PN", clock_);
  testing::Pair(es, ma_, clock_);
  testing::Pair(ma_, es, clock_);
  const AssistanceRequest r = Exchanged();
  // Madrid sends Rabat a version of a request between Rabat and Paris.
  boost::json::object forged = Forged(fr_, r.id, "FR-DGPN", Transition::kStart,
                                      RequestState::kInProgress);
  auto results = Send(es, ma_, {Craft(kUpdateKind, r.id, 3, forged)}, clock_);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].first, "rejected");
  EXPECT_NE(results[0].second.find("ES-PN may not send it"), std::string::npos)
      << results[0].second;
  EXPECT_EQ(At(ma_, r.id)->version, 2);
}

TEST_P(AssistanceSharingTest, EnvelopesOutOfOrderAreResolvedByVersion) {
  absl::StatusOr<AssistanceRequest> created =
      ma_.service.Create(officer_, InfoRequest(), "");
  ASSERT_TRUE(created.ok());
  const std::string id = created->id;
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  ASSERT_TRUE(fr_.service.Start(officer_, id, 2, "").ok());
  ASSERT_TRUE(
      fr_.service.Answer(officer_, id, 3, "Done (synthetic).", "").ok());
  // Paris's receipt (2), start (3) and answer (4) reach Rabat newest first.
  const std::vector<std::string> statuses =
      Deliver(fr_, ma_, clock_, /*reverse=*/true);
  EXPECT_EQ(statuses,
            (std::vector<std::string>{"accepted", "superseded", "superseded"}));
  std::optional<AssistanceRequest> ma = At(ma_, id);
  EXPECT_EQ(ma->state, RequestState::kAnswered);
  EXPECT_EQ(ma->version, 4);
  EXPECT_EQ(ma->history.size(),
            4u);  // the skipped versions came in the newest one
  EXPECT_EQ(Lines(*ma), Lines(*At(fr_, id)));
  EXPECT_EQ(ma->deadline_at, At(fr_, id)->deadline_at);
  // An older state sent again (a new envelope, same content) changes nothing.
  std::optional<AssistanceRequest> fr = At(fr_, id);
  fr->history.resize(3);
  fr->version = 3;
  fr->state = RequestState::kInProgress;
  fr->answer.clear();
  fr->answered_at.reset();
  auto results = Send(
      fr_, ma_, {Craft(kUpdateKind, id, 3, SharedRequestJson(*fr))}, clock_);
  EXPECT_EQ(results[0].first, "superseded");
  EXPECT_EQ(At(ma_, id)->state, RequestState::kAnswered);
  EXPECT_EQ(At(ma_, id)->version, 4);
}

TEST_P(AssistanceSharingTest, ACloseCrossingAnAnswerConverges) {
  const AssistanceRequest r = Exchanged();
  // Both move from version 2 before hearing from the other.
  ASSERT_TRUE(
      ma_.service.Close(officer_, r.id, 2, "Found it ourselves.", "").ok());
  ASSERT_TRUE(fr_.service.Start(officer_, r.id, 2, "").ok());
  ASSERT_TRUE(
      fr_.service.Answer(officer_, r.id, 3, "Crossed (synthetic).", "").ok());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  EXPECT_EQ(Deliver(fr_, ma_, clock_),
            (std::vector<std::string>{"accepted", "accepted"}));
  std::optional<AssistanceRequest> ma = At(ma_, r.id);
  std::optional<AssistanceRequest> fr = At(fr_, r.id);
  // Closed on both sides (the requester's close wins), with every
  // transition of both in the history and the same version.
  EXPECT_EQ(ma->state, RequestState::kClosed);
  EXPECT_EQ(fr->state, RequestState::kClosed);
  EXPECT_EQ(ma->version, 4);
  EXPECT_EQ(fr->version, 4);
  EXPECT_EQ(Lines(*ma), Lines(*fr));
  EXPECT_EQ(ma->history.size(), 5u);
  EXPECT_EQ(ma->answer,
            "Crossed (synthetic).");  // kept, though it came after the close
  EXPECT_EQ(ma->close_note, "Found it ourselves.");
  EXPECT_EQ(SharedRequestJson(*fr), SharedRequestJson(*ma));
  // Nothing more may happen.
  EXPECT_EQ(fr_.service.Answer(officer_, r.id, 4, "again", "").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(AssistanceSharingTest, AWithdrawalOvertakingItsRequestIsNotReceived) {
  absl::StatusOr<AssistanceRequest> created =
      ma_.service.Create(officer_, InfoRequest(), "");
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(
      ma_.service.Close(officer_, created->id, 1, "Sent by mistake.", "").ok());
  // The close (version 2) arrives first: it carries the whole request.
  EXPECT_EQ(Deliver(ma_, fr_, clock_, /*reverse=*/true),
            (std::vector<std::string>{"accepted", "superseded"}));
  std::optional<AssistanceRequest> fr = At(fr_, created->id);
  ASSERT_TRUE(fr.has_value());
  EXPECT_EQ(fr->state, RequestState::kClosed);
  EXPECT_FALSE(fr->received_at.has_value());
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM outbox"),
            0);  // no acknowledgement
  EXPECT_EQ(Entries(fr_, "assistance.receive").size(), 0u);
}

TEST_P(AssistanceSharingTest, AWithdrawalAfterItsRequestIsKeptWithTheReceipt) {
  absl::StatusOr<AssistanceRequest> created =
      ma_.service.Create(officer_, InfoRequest(), "");
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(
      ma_.service.Close(officer_, created->id, 1, "Sent by mistake.", "").ok());
  // In order: received at once, then closed (the receipt crossed the close).
  EXPECT_EQ(Deliver(ma_, fr_, clock_),
            (std::vector<std::string>{"accepted", "accepted"}));
  EXPECT_EQ(Deliver(fr_, ma_, clock_), std::vector<std::string>{"accepted"});
  std::optional<AssistanceRequest> fr = At(fr_, created->id);
  std::optional<AssistanceRequest> ma = At(ma_, created->id);
  EXPECT_EQ(fr->state, RequestState::kClosed);
  EXPECT_EQ(ma->state, RequestState::kClosed);
  EXPECT_EQ(Lines(*fr), Lines(*ma));
  EXPECT_EQ(SharedRequestJson(*fr), SharedRequestJson(*ma));
}

TEST_P(AssistanceSharingTest, AReplayIsADuplicate) {
  ASSERT_TRUE(ma_.service.Create(officer_, InfoRequest(), "").ok());
  std::vector<federation::PendingEnvelope> batch =
      Claim(ma_, "FR-DGPN", clock_);
  ASSERT_EQ(batch.size(), 1u);
  auto first = Send(ma_, fr_, {batch[0].envelope}, clock_);
  auto again = Send(ma_, fr_, {batch[0].envelope}, clock_);
  EXPECT_EQ(first[0].first, "accepted");
  EXPECT_EQ(again[0].first, "duplicate");
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM assistance_history"), 2);
  EXPECT_EQ(Entries(fr_, "assistance.receive").size(), 1u);
}

TEST_P(AssistanceSharingTest,
       AnUnknownRequestUpdateFromTheRequestedSideIsRefused) {
  const AssistanceRequest r = Exchanged();
  // Paris sends an update for a request Rabat does not hold.
  boost::json::object o = Forged(fr_, r.id, "FR-DGPN", Transition::kStart,
                                 RequestState::kInProgress);
  const std::string other = "0192f1d4-5b6c-7000-8000-00000000beef";
  o["id"] = other;
  auto results = Send(fr_, ma_, {Craft(kUpdateKind, other, 3, o)}, clock_);
  EXPECT_EQ(results[0].first, "rejected");
  EXPECT_NE(results[0].second.find("no request"), std::string::npos);
  // A body that is not a request at all.
  results = Send(
      fr_, ma_,
      {Craft(kUpdateKind, r.id, 3, boost::json::object{{"id", r.id}})}, clock_);
  EXPECT_EQ(results[0].first, "rejected");
}

INSTANTIATE_TEST_SUITE_P(Stores, AssistanceSharingTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::assistance
