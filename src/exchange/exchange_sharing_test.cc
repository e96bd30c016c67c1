// Messages between agencies in one process: Rabat (MA-DGSN), Paris (FR-DGPN)
// and Madrid (ES-PN), each with its own store, exchanging envelopes through
// the real federation::Receiver (signatures, versions, inbox) without TLS.
// Covers a message with an attachment crossing, its delivered / read /
// acknowledged receipts coming back, a reply in the same thread, a
// corrupted attachment refused and never stored, and the rules that keep a
// partner's information from reaching a third agency.
#include "exchange/exchange_sharing.h"

#include <gtest/gtest.h>

#include "common/ids.h"
#include "exchange/test_exchange.h"

namespace jisr::exchange {
namespace {

using security::Principal;
using security::Role;
using testing::Agency;
using testing::Deliver;
using testing::DeliverEdited;
using testing::Hand;
using testing::NewThread;
using testing::Side;
using testing::Statuses;
using testing::UnitRecipient;
using testing::User;

constexpr std::string_view kPurpose = "joint case (synthetic test)";

class ExchangeSharingTest : public ::testing::TestWithParam<std::string> {
 protected:
  ExchangeSharingTest()
      : ma_(GetParam(), "MA-DGSN", clock_),
        fr_(GetParam(), "FR-DGPN", clock_),
        es_(GetParam(), "ES-PN", clock_) {
    for (Side* a : {&ma_, &fr_, &es_}) {
      for (Side* b : {&ma_, &fr_, &es_}) {
        if (a != b) testing::Pair(*a, *b, clock_);
      }
    }
    fr_.AddUnit("OCRTIS", {fr_officer_.user_id});
  }

  void TearDown() override {
    for (Side* s : {&ma_, &fr_, &es_}) {
      absl::StatusOr<audit::VerifyResult> v = s->audit.Verify(s->store.db());
      ASSERT_TRUE(v.ok()) << v.status();
      EXPECT_TRUE(v->ok()) << v->reason;
    }
  }

  MessageView Send(Side& side, const Principal& who, const Draft& d) {
    clock_.Advance(absl::Seconds(1));
    absl::StatusOr<MessageView> v = side.service.Send(who, d, "");
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : MessageView{};
  }

  ThreadView Thread(Side& side, const Principal& who, const std::string& id) {
    absl::StatusOr<ThreadView> v = side.service.GetThread(who, id, kPurpose);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : ThreadView{};
  }

  // MA's delivery row for FR on message `id`.
  Delivery AtRabat(const std::string& thread_id, size_t index = 0) {
    ThreadView v = Thread(ma_, ma_officer_, thread_id);
    EXPECT_GT(v.messages.size(), index);
    if (v.messages.size() <= index || v.messages[index].deliveries.empty())
      return {};
    return v.messages[index].deliveries[0];
  }

  // A message.send envelope to `to` carrying `thread` and `message`.
  federation::Envelope MessageEnvelope(const Side& to,
                                       const exchange::Thread& thread,
                                       const Message& message) {
    federation::Envelope e;
    e.id = NewUuidV7(clock_.Now());
    e.to = to.agency;
    e.kind = std::string(kMessageKind);
    e.record_id = MessageRecord(message.id);
    e.version = 1;
    e.body = ToJson(SharedMessageJson(thread, message));
    return e;
  }

  FakeClock clock_;
  Side ma_, fr_, es_;
  Principal ma_officer_ = User("0000000000a1", "ma.officer", Role::kOfficer);
  Principal fr_officer_ = User("0000000000b1", "fr.officer", Role::kOfficer);
  Principal fr_supervisor_ =
      User("0000000000b2", "fr.supervisor", Role::kSupervisor);
  Principal es_officer_ = User("0000000000c1", "es.officer", Role::kOfficer);
};

TEST_P(ExchangeSharingTest,
       AMessageWithAnAttachmentCrossesAndItsReceiptsComeBack) {
  const std::string bytes =
      RandomBytes(200 * 1024);  // four chunks of at most 64 KiB
  absl::StatusOr<StoredAttachment> up =
      ma_.service.Upload(ma_officer_, bytes, "");
  ASSERT_TRUE(up.ok()) << up.status();
  Draft d =
      NewThread({Agency("FR-DGPN")}, "Synthetic joint case",
                "Synthetic information on a vehicle; see the attached file.",
                HandlingCode::kH1);
  d.attachments = {DraftAttachment{up->hash, "synthetic-evidence.bin",
                                   "application/octet-stream"}};
  d.ack_requested = true;
  const MessageView sent = Send(ma_, ma_officer_, d);
  EXPECT_EQ(
      ma_.Count(
          "SELECT COUNT(*) FROM outbox WHERE kind = 'message.attachment'"),
      4);
  EXPECT_EQ(Statuses(Deliver(ma_, fr_, clock_)),
            (std::vector<std::string>{
                "message.attachment:accepted", "message.attachment:accepted",
                "message.attachment:accepted", "message.attachment:accepted",
                "message.send:accepted"}));
  // At Paris: the same thread and message, its H1 marking, its provenance,
  // and the attachment's bytes checked end to end.
  ThreadView at_paris = Thread(fr_, fr_officer_, sent.message.thread_id);
  ASSERT_EQ(at_paris.messages.size(), 1u);
  const MessageView& m = at_paris.messages[0];
  EXPECT_EQ(m.message.id, sent.message.id);
  EXPECT_EQ(m.message.origin, "MA-DGSN");
  EXPECT_EQ(m.message.sender.display_name, "Test ma.officer");
  EXPECT_EQ(m.message.handling.code, HandlingCode::kH1);
  EXPECT_TRUE(m.message.received_at.has_value());
  ASSERT_TRUE(m.provenance.has_value());
  EXPECT_EQ(m.provenance->sender, "MA-DGSN");
  EXPECT_EQ(m.attachment_available, std::vector<bool>{true});
  EXPECT_FALSE(m.read);
  const std::string json = ToJson(MessageViewToJson(m));
  EXPECT_NE(json.find("H1: not to be used in judicial proceedings without the "
                      "sender's permission"),
            std::string::npos);
  absl::StatusOr<AttachmentDownload> got =
      fr_.service.Download(fr_officer_, up->hash, kPurpose);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->bytes, bytes);
  EXPECT_EQ(fr_.Count("SELECT COUNT(*) FROM exchange_attachment_chunks"), 0);

  // Delivered, read, acknowledged: each receipt travels back.
  EXPECT_EQ(AtRabat(sent.message.thread_id).state, DeliveryState::kPending);
  EXPECT_EQ(Statuses(Deliver(fr_, ma_, clock_)),
            std::vector<std::string>{"message.receipt:accepted"});
  Delivery at_rabat = AtRabat(sent.message.thread_id);
  EXPECT_EQ(at_rabat.code, "FR-DGPN");
  EXPECT_EQ(at_rabat.state, DeliveryState::kDelivered);
  EXPECT_TRUE(at_rabat.delivered_at.has_value());
  clock_.Advance(absl::Minutes(3));
  ASSERT_TRUE(
      fr_.service.MarkRead(fr_officer_, sent.message.id, kPurpose).ok());
  ASSERT_TRUE(fr_.service.MarkRead(fr_supervisor_, sent.message.id, kPurpose)
                  .ok());  // one receipt only
  EXPECT_EQ(Statuses(Deliver(fr_, ma_, clock_)),
            std::vector<std::string>{"message.receipt:accepted"});
  at_rabat = AtRabat(sent.message.thread_id);
  EXPECT_EQ(at_rabat.state, DeliveryState::kRead);
  EXPECT_EQ(at_rabat.read_by, "Test fr.officer");
  clock_.Advance(absl::Minutes(3));
  ASSERT_TRUE(fr_.service
                  .Acknowledge(fr_supervisor_, sent.message.id,
                               "Received, team informed.", "")
                  .ok());
  EXPECT_EQ(Statuses(Deliver(fr_, ma_, clock_)),
            std::vector<std::string>{"message.receipt:accepted"});
  at_rabat = AtRabat(sent.message.thread_id);
  EXPECT_EQ(at_rabat.state, DeliveryState::kAcknowledged);
  EXPECT_EQ(at_rabat.acknowledged_by, "Test fr.supervisor");
  EXPECT_EQ(at_rabat.note, "Received, team informed.");
  EXPECT_EQ(at_rabat.read_by, "Test fr.officer");

  // Paris replies in the same thread; Rabat gets it and confirms delivery.
  Draft reply;
  reply.thread_id = sent.message.thread_id;
  reply.in_reply_to = sent.message.id;
  reply.text = "Synthetic answer: the vehicle was checked.";
  reply.evaluation = Evaluation{SourceReliability::kA, 1};
  reply.recipients = {Agency("MA-DGSN")};
  const MessageView answer = Send(fr_, fr_officer_, reply);
  EXPECT_EQ(Statuses(Deliver(fr_, ma_, clock_)),
            std::vector<std::string>{"message.send:accepted"});
  ThreadView at_rabat_thread = Thread(ma_, ma_officer_, sent.message.thread_id);
  ASSERT_EQ(at_rabat_thread.messages.size(), 2u);
  EXPECT_EQ(at_rabat_thread.messages[1].message.id, answer.message.id);
  EXPECT_EQ(at_rabat_thread.messages[1].message.origin, "FR-DGPN");
  EXPECT_EQ(Statuses(Deliver(ma_, fr_, clock_)),
            std::vector<std::string>{"message.receipt:accepted"});
  EXPECT_EQ(Thread(fr_, fr_officer_, sent.message.thread_id)
                .messages[1]
                .deliveries[0]
                .state,
            DeliveryState::kDelivered);

  // The same bytes again to Paris: the message crosses, the bytes do not.
  Draft again = NewThread({Agency("FR-DGPN")});
  again.attachments = {
      DraftAttachment{up->hash, "same.bin", "application/octet-stream"}};
  Send(ma_, ma_officer_, again);
  EXPECT_EQ(
      ma_.Count(
          "SELECT COUNT(*) FROM outbox WHERE kind = 'message.attachment'"),
      4);
  EXPECT_EQ(Statuses(Deliver(ma_, fr_, clock_)),
            std::vector<std::string>{"message.send:accepted"});
}

TEST_P(ExchangeSharingTest, ACorruptedAttachmentIsRefusedAndNeverStored) {
  const std::string bytes = RandomBytes(100 * 1024);  // two chunks
  const std::string hash = ma_.service.Upload(ma_officer_, bytes, "")->hash;
  Draft d = NewThread({Agency("FR-DGPN")});
  d.attachments = {
      DraftAttachment{hash, "synthetic.bin", "application/octet-stream"}};
  const MessageView sent = Send(ma_, ma_officer_, d);
  // The second chunk's bytes are altered in transit (same length, same
  // declared chunk_hash).
  const auto corrupt = [](std::vector<federation::Envelope>& envelopes) {
    for (federation::Envelope& e : envelopes) {
      if (e.kind != kAttachmentKind || !e.record_id.ends_with(":1")) continue;
      boost::json::object body = *ParseJsonObject(e.body);
      std::string data = *federation::FromBase64(
          std::string(body["data"].as_string()), "data");
      data[100] = static_cast<char>(data[100] ^ 0x01);
      body["data"] = federation::ToBase64(data);
      e.body = ToJson(body);
    }
  };
  const std::vector<testing::Delivered> out =
      DeliverEdited(ma_, fr_, clock_, corrupt);
  ASSERT_EQ(out.size(), 3u);
  const testing::Delivered* message =
      testing::Outcome(out, MessageRecord(sent.message.id));
  const testing::Delivered* chunk0 =
      testing::Outcome(out, ChunkRecord(hash, 0));
  const testing::Delivered* chunk1 =
      testing::Outcome(out, ChunkRecord(hash, 1));
  ASSERT_TRUE(message != nullptr && chunk0 != nullptr && chunk1 != nullptr);
  EXPECT_EQ(message->status, "accepted");
  EXPECT_EQ(chunk0->status, "accepted");
  EXPECT_EQ(chunk1->status, "rejected");
  EXPECT_NE(chunk1->reason.find("corrupted"), std::string::npos)
      << chunk1->reason;
  EXPECT_FALSE(fr_.attachments.Contains(hash));
  EXPECT_EQ(fr_.Count("SELECT COUNT(*) FROM exchange_attachments"), 0);
  EXPECT_EQ(
      fr_.Count(
          "SELECT COUNT(*) FROM exchange_attachment_chunks WHERE idx = 1"),
      0);
  ThreadView v = Thread(fr_, fr_officer_, sent.message.thread_id);
  ASSERT_EQ(v.messages.size(), 1u);
  EXPECT_EQ(v.messages[0].attachment_available, std::vector<bool>{false});
  EXPECT_EQ(fr_.service.Download(fr_officer_, hash, kPurpose).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The refusal is audited at Paris.
  bool audited = false;
  for (const audit::AuditEntry& e :
       testing::AllEntries(fr_.audit, fr_.store.db())) {
    audited |= e.action == "federation.reject" &&
               e.details.find("corrupted") != std::string::npos;
  }
  EXPECT_TRUE(audited);
  // The sender retries the refused chunk: intact this time, the attachment
  // is assembled and checked.
  EXPECT_EQ(Statuses(Deliver(ma_, fr_, clock_)),
            std::vector<std::string>{"message.attachment:accepted"});
  EXPECT_TRUE(fr_.attachments.Contains(hash));
  absl::StatusOr<AttachmentDownload> got =
      fr_.service.Download(fr_officer_, hash, kPurpose);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->bytes, bytes);
}

TEST_P(ExchangeSharingTest, AnAttachmentThatDoesNotMatchItsHashIsRefused) {
  const std::string hash =
      ma_.service.Upload(ma_officer_, "synthetic small file", "")->hash;
  Draft d = NewThread({Agency("FR-DGPN")});
  d.attachments = {DraftAttachment{hash, "small.txt", "text/plain"}};
  Send(ma_, ma_officer_, d);
  // Other bytes with a matching chunk_hash: each chunk is consistent, the
  // whole is not the attachment announced.
  const auto substitute = [](std::vector<federation::Envelope>& envelopes) {
    for (federation::Envelope& e : envelopes) {
      if (e.kind != kAttachmentKind) continue;
      boost::json::object body = *ParseJsonObject(e.body);
      const std::string other = "synthetic evil file!";  // same length
      body["data"] = federation::ToBase64(other);
      body["chunk_hash"] = AttachmentHash(other);
      e.body = ToJson(body);
    }
  };
  const std::vector<testing::Delivered> out =
      DeliverEdited(ma_, fr_, clock_, substitute);
  ASSERT_EQ(out.size(), 2u);
  const testing::Delivered* chunk = testing::Outcome(out, ChunkRecord(hash, 0));
  ASSERT_NE(chunk, nullptr);
  EXPECT_EQ(chunk->status, "rejected");
  EXPECT_NE(chunk->reason.find("does not match its hash"), std::string::npos)
      << chunk->reason;
  EXPECT_FALSE(fr_.attachments.Contains(hash));
  EXPECT_FALSE(
      fr_.attachments.Contains(AttachmentHash("synthetic evil file!")));
  EXPECT_EQ(fr_.Count("SELECT COUNT(*) FROM exchange_attachments"), 0);
}

TEST_P(ExchangeSharingTest, APartnersH2ContentIsNotPassedOn) {
  const MessageView h2 =
      Send(ma_, ma_officer_,
           NewThread({Agency("FR-DGPN")}, "Synthetic H2 case",
                     "Restricted information of Rabat.", HandlingCode::kH2));
  Deliver(ma_, fr_, clock_);
  // Paris may not forward it to Madrid...
  ForwardRequest to_madrid;
  to_madrid.recipients = {Agency("ES-PN")};
  absl::StatusOr<MessageView> refused =
      fr_.service.Forward(fr_officer_, h2.message.id, to_madrid, "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(refused.status()), "recipients[0].code");
  EXPECT_NE(std::string(refused.status().message())
                .find("only MA-DGSN may pass it on"),
            std::string::npos)
      << refused.status();
  EXPECT_EQ(fr_.Count("SELECT COUNT(*) FROM outbox WHERE recipient = 'ES-PN'"),
            0);
  // ... but may pass it to its own unit, and it stays H2 of Rabat there.
  ForwardRequest internal;
  internal.recipients = {UnitRecipient("OCRTIS")};
  absl::StatusOr<MessageView> inside =
      fr_.service.Forward(fr_officer_, h2.message.id, internal, "");
  ASSERT_TRUE(inside.ok()) << inside.status();
  EXPECT_EQ(inside->message.handling.code, HandlingCode::kH2);
  EXPECT_EQ(inside->message.content_origin, "MA-DGSN");
  // A forward of that forward to Madrid is refused too.
  EXPECT_EQ(fr_.service.Forward(fr_officer_, inside->message.id, to_madrid, "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // A crafted message of Paris carrying Rabat's H2 content is refused at
  // Madrid.
  exchange::Thread t;
  t.id = NewUuidV7(clock_.Now());
  t.subject = "Crafted";
  t.origin = "FR-DGPN";
  Message crafted = h2.message;
  crafted.id = NewUuidV7(clock_.Now());
  crafted.thread_id = t.id;
  crafted.in_reply_to.reset();
  crafted.origin = "FR-DGPN";
  crafted.sender = Sender{"FR-DGPN", "fr.officer", "Test fr.officer", ""};
  crafted.recipients = {Agency("ES-PN")};
  std::vector<testing::Delivered> out =
      Hand(fr_, es_, {MessageEnvelope(es_, t, crafted)}, clock_);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, "rejected");
  EXPECT_NE(out[0].reason.find("carries H2 content of MA-DGSN"),
            std::string::npos)
      << out[0].reason;
  EXPECT_EQ(es_.Count("SELECT COUNT(*) FROM exchange_messages"), 0);
}

TEST_P(ExchangeSharingTest,
       APartnersMessageIsNeverRelayedButMayBeForwardedAsOurOwn) {
  const MessageView h0 =
      Send(ma_, ma_officer_,
           NewThread({Agency("FR-DGPN")}, "Synthetic H0 case",
                     "Police information of Rabat.", HandlingCode::kH0));
  Deliver(ma_, fr_, clock_);
  // Paris relays Rabat's message as it is: Madrid refuses it.
  ThreadView at_paris = Thread(fr_, fr_officer_, h0.message.thread_id);
  Message relayed = at_paris.messages[0].message;
  relayed.recipients = {Agency("ES-PN")};
  std::vector<testing::Delivered> out =
      Hand(fr_, es_, {MessageEnvelope(es_, at_paris.thread, relayed)}, clock_);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, "rejected");
  EXPECT_NE(
      out[0].reason.find("originates from MA-DGSN: FR-DGPN may not pass it on"),
      std::string::npos)
      << out[0].reason;
  // A forward is Paris's own message, saying where its content came from.
  ForwardRequest to_madrid;
  to_madrid.recipients = {Agency("ES-PN")};
  to_madrid.note = "Forwarded for your case.";
  absl::StatusOr<MessageView> fwd =
      fr_.service.Forward(fr_officer_, h0.message.id, to_madrid, "");
  ASSERT_TRUE(fwd.ok()) << fwd.status();
  EXPECT_EQ(Statuses(Deliver(fr_, es_, clock_)),
            std::vector<std::string>{"message.send:accepted"});
  ThreadView at_madrid = Thread(es_, es_officer_, fwd->message.thread_id);
  ASSERT_EQ(at_madrid.messages.size(), 1u);
  const Message& m = at_madrid.messages[0].message;
  EXPECT_EQ(m.origin, "FR-DGPN");
  EXPECT_EQ(m.content_origin, "MA-DGSN");
  ASSERT_TRUE(m.forwarded_from.has_value());
  EXPECT_EQ(m.forwarded_from->origin, "MA-DGSN");
  EXPECT_EQ(m.forwarded_from->note, "Forwarded for your case.");
  EXPECT_EQ(at_madrid.thread.subject, "Fwd: Synthetic H0 case");
  // Madrid never learns of the original thread.
  EXPECT_EQ(es_.Count("SELECT COUNT(*) FROM exchange_threads"), 1);
}

TEST_P(ExchangeSharingTest,
       OnlyTheAgenciesOfAThreadWriteInItOrSendItsReceipts) {
  const MessageView sent =
      Send(ma_, ma_officer_, NewThread({Agency("FR-DGPN")}));
  Deliver(ma_, fr_, clock_);
  // Madrid writes into the Rabat-Paris thread.
  exchange::Thread t;
  t.id = sent.message.thread_id;
  t.subject = "Injected";
  t.origin = "MA-DGSN";
  Message injected;
  injected.id = NewUuidV7(clock_.Now());
  injected.thread_id = t.id;
  injected.origin = injected.content_origin = "ES-PN";
  injected.sender = Sender{"ES-PN", "es.officer", "Test es.officer", ""};
  injected.text = "Synthetic injected text.";
  injected.recipients = {Agency("MA-DGSN")};
  injected.sent_at = TruncateToMillis(clock_.Now());
  std::vector<testing::Delivered> out =
      Hand(es_, ma_, {MessageEnvelope(ma_, t, injected)}, clock_);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, "rejected");
  EXPECT_NE(out[0].reason.find("ES-PN takes no part in thread"),
            std::string::npos)
      << out[0].reason;
  // Madrid sends a receipt for a message it never got, as itself or as Paris.
  for (const std::string& agency :
       {std::string("ES-PN"), std::string("FR-DGPN")}) {
    federation::Envelope e;
    e.id = NewUuidV7(clock_.Now());
    e.to = "MA-DGSN";
    e.kind = std::string(kReceiptKind);
    e.record_id = ReceiptRecord(sent.message.id, agency);
    e.version = 3;
    e.body = ToJson(
        boost::json::object{{"message_id", sent.message.id},
                            {"agency", agency},
                            {"state", "acknowledged"},
                            {"acknowledged_at", FormatRfc3339(clock_.Now())},
                            {"acknowledged_by", "Someone"}});
    out = Hand(es_, ma_, {e}, clock_);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].status, "rejected") << agency;
  }
  EXPECT_EQ(AtRabat(sent.message.thread_id).state, DeliveryState::kPending);
  EXPECT_EQ(ma_.Count("SELECT COUNT(*) FROM exchange_messages"), 1);
}

TEST_P(ExchangeSharingTest, ReceiptsArrivingOutOfOrderNeverMoveTheStateBack) {
  const MessageView sent =
      Send(ma_, ma_officer_, NewThread({Agency("FR-DGPN")}));
  Deliver(ma_, fr_, clock_);
  ASSERT_TRUE(
      fr_.service.Acknowledge(fr_officer_, sent.message.id, "ok", "").ok());
  // Delivered (version 1) and acknowledged (version 3) are both pending at
  // Paris; hand them to Rabat newest first.
  std::vector<federation::PendingEnvelope> batch;
  ASSERT_TRUE(fr_.store.db()
                  .Run(db::TxMode::kWrite,
                       [&](db::Transaction& tx) -> absl::Status {
                         JISR_ASSIGN_OR_RETURN(
                             batch, federation::ClaimBatch(
                                        tx, fr_.store.db().dialect(), "MA-DGSN",
                                        clock_.Now(), absl::Seconds(30), 10));
                         return absl::OkStatus();
                       })
                  .ok());
  ASSERT_EQ(batch.size(), 2u);
  std::vector<federation::Envelope> envelopes = {batch[1].envelope,
                                                 batch[0].envelope};
  if (envelopes[0].version < envelopes[1].version)
    std::swap(envelopes[0], envelopes[1]);
  std::vector<testing::Delivered> out = Hand(fr_, ma_, envelopes, clock_);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].status, "accepted");    // acknowledged (version 3)
  EXPECT_EQ(out[1].status, "superseded");  // delivered (version 1), older
  const Delivery d = AtRabat(sent.message.thread_id);
  EXPECT_EQ(d.state, DeliveryState::kAcknowledged);
  EXPECT_EQ(d.note, "ok");
  EXPECT_TRUE(d.delivered_at.has_value());
}

INSTANTIATE_TEST_SUITE_P(Stores, ExchangeSharingTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::exchange
