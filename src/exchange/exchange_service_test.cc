// The exchange service on every store: sending and replying, who sees what
// (listing, thread, search, attachments), handling-code enforcement on
// forwarding, attachments (limit, hash, dedupe, reference rights), reads and
// acknowledgements of internal units, the export's markings, the audit of
// every read with its purpose, and bad input that writes nothing.
#include "exchange/exchange_service.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "common/ids.h"
#include "exchange/test_exchange.h"

namespace jisr::exchange {
namespace {

using security::Principal;
using security::Role;
using testing::Agency;
using testing::NewThread;
using testing::Side;
using testing::UnitRecipient;
using testing::User;

constexpr std::string_view kPurpose = "case 2026/0042 (synthetic test)";

class ExchangeServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  ExchangeServiceTest() : ma_(GetParam(), "MA-DGSN", clock_, 256 * 1024) {
    AddPeer("FR-DGPN");
    AddPeer("ES-PN");
    ma_.AddUnit("DPJ",
                {officer1_.user_id, officer2_.user_id, analyst_.user_id});
    ma_.AddUnit("BRI", {officer3_.user_id});
  }

  void TearDown() override {
    absl::StatusOr<audit::VerifyResult> v = ma_.audit.Verify(ma_.store.db());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << v->reason;
  }

  void AddPeer(const std::string& code) {
    federation::Peer p;
    p.card.agency = code;
    p.card.country = code.substr(0, 2);
    p.card.name_en = p.card.name_fr = p.card.name_ar = code;
    p.card.federation_url = "https://127.0.0.1:9";
    p.card.tls_fingerprint =
        "sha256:" + std::string(64, code[0] == 'F' ? 'b' : 'c');
    p.card.signing_key = federation::GenerateSigningKey().public_key;
    p.added_by = "cli:test";
    p.added_at = clock_.Now();
    ASSERT_TRUE(ma_.store.db()
                    .Run(db::TxMode::kWrite,
                         [&](db::Transaction& tx) {
                           return federation::InsertPeer(tx, p);
                         })
                    .ok());
  }

  // Sends `d` one second after the previous message (so the order is known).
  MessageView Send(const Principal& who, const Draft& d) {
    clock_.Advance(absl::Seconds(1));
    absl::StatusOr<MessageView> v = ma_.service.Send(who, d, "");
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : MessageView{};
  }

  int64_t Count(std::string_view sql) { return ma_.Count(sql); }

  std::string Upload(const Principal& who, std::string_view bytes) {
    absl::StatusOr<StoredAttachment> s = ma_.service.Upload(who, bytes, "");
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? s->hash : "";
  }

  // Thread ids of the threads `who` may list.
  std::vector<std::string> Listed(const Principal& who,
                                  ThreadFilter filter = {}) {
    absl::StatusOr<ThreadPage> page =
        ma_.service.ListThreads(who, filter, kPurpose);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const ThreadSummary& s : page->threads) ids.push_back(s.thread.id);
    }
    return ids;
  }

  std::vector<std::string> Found(const Principal& who, std::string_view q) {
    absl::StatusOr<SearchPage> page =
        ma_.service.Search(who, q, 1, 50, kPurpose);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const SearchHit& h : page->hits) ids.push_back(h.message.id);
    }
    return ids;
  }

  FakeClock clock_;
  Side ma_;
  Principal officer1_ = User("000000000001", "officer.one", Role::kOfficer);
  Principal officer2_ = User("000000000002", "officer.two", Role::kOfficer);
  Principal officer3_ = User("000000000003", "officer.three", Role::kOfficer);
  Principal supervisor_ = User("000000000004", "super.one", Role::kSupervisor);
  Principal analyst_ = User("000000000005", "analyst.one", Role::kAnalyst);
  Principal auditor_ = User("000000000006", "auditor.one", Role::kAuditor);
  Principal admin_ = User("000000000007", "admin.one", Role::kAdmin);
};

TEST_P(ExchangeServiceTest, ANewThreadGoesToItsRecipientsAndRepliesStayInIt) {
  Draft d = NewThread({Agency("FR-DGPN"), UnitRecipient("DPJ")});
  d.link = Link{LinkType::kAlert, "0192f1d4-5b6c-7000-8000-0000000000a1"};
  const MessageView first = Send(officer3_, d);
  EXPECT_EQ(first.message.origin, "MA-DGSN");
  EXPECT_EQ(first.message.sender.username, "officer.three");
  ASSERT_EQ(first.deliveries.size(), 2u);
  EXPECT_EQ(first.deliveries[0].code, "FR-DGPN");
  EXPECT_EQ(first.deliveries[0].state, DeliveryState::kPending);
  EXPECT_EQ(first.deliveries[1].code, "DPJ");
  EXPECT_EQ(first.deliveries[1].state, DeliveryState::kDelivered);
  EXPECT_TRUE(first.read);
  // One envelope for the partner; the unit stays home.
  EXPECT_EQ(
      Count(
          "SELECT COUNT(*) FROM outbox WHERE recipient = 'FR-DGPN' AND kind = "
          "'message.send'"),
      1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 1);

  Draft reply;
  reply.thread_id = first.message.thread_id;
  reply.in_reply_to = first.message.id;
  reply.text = "Synthetic follow-up.";
  reply.handling.code = HandlingCode::kH2;
  reply.evaluation = Evaluation{SourceReliability::kA, 1};
  reply.recipients = {Agency("FR-DGPN")};
  const MessageView second =
      Send(officer1_, reply);  // a DPJ member sees the thread
  EXPECT_EQ(second.message.thread_id, first.message.thread_id);
  absl::StatusOr<ThreadView> thread =
      ma_.service.GetThread(officer1_, first.message.thread_id, kPurpose);
  ASSERT_TRUE(thread.ok()) << thread.status();
  EXPECT_EQ(thread->thread.message_count, 2);
  EXPECT_EQ(thread->thread.link, d.link);
  ASSERT_EQ(thread->messages.size(), 2u);
  EXPECT_EQ(thread->messages[1].message.in_reply_to, first.message.id);
  EXPECT_EQ(thread->agencies, (std::vector<std::string>{"FR-DGPN", "MA-DGSN"}));

  // A third agency cannot be brought into the thread by a reply.
  reply.recipients = {Agency("ES-PN")};
  absl::StatusOr<MessageView> leak = ma_.service.Send(officer1_, reply, "");
  EXPECT_EQ(leak.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(leak.status()), "recipients[0].code");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM exchange_messages"), 2);
  // The link filter finds the thread.
  ThreadFilter by_link;
  by_link.link_type = LinkType::kAlert;
  by_link.link_id = "0192f1d4-5b6c-7000-8000-0000000000a1";
  EXPECT_EQ(Listed(supervisor_, by_link),
            std::vector<std::string>{first.message.thread_id});
  by_link.link_type = LinkType::kEvent;
  EXPECT_TRUE(Listed(supervisor_, by_link).empty());
  ThreadFilter h2;
  h2.handling_code = HandlingCode::kH2;
  EXPECT_EQ(Listed(supervisor_, h2).size(), 1u);
  h2.handling_code = HandlingCode::kH3;
  EXPECT_TRUE(Listed(supervisor_, h2).empty());
}

TEST_P(ExchangeServiceTest, BadInputIsRefusedNamingTheFieldAndWritesNothing) {
  const auto field_of = [&](const Draft& d) {
    absl::StatusOr<MessageView> v = ma_.service.Send(officer1_, d, "");
    EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument)
        << v.status();
    return FieldOf(v.status()).value_or("<none>");
  };
  EXPECT_EQ(field_of(NewThread({Agency("DE-BKA")})),
            "recipients[0].code");  // not a peer
  EXPECT_EQ(field_of(NewThread({Agency("FR-DGPN"), UnitRecipient("NOPE")})),
            "recipients[1].code");
  EXPECT_EQ(field_of(NewThread({Agency("MA-DGSN")})),
            "recipients[0].code");  // ourselves
  Draft h3 = NewThread({Agency("FR-DGPN")});
  h3.handling.code = HandlingCode::kH3;
  EXPECT_EQ(field_of(h3), "handling_text");
  Draft unknown_file = NewThread({Agency("FR-DGPN")});
  unknown_file.attachments = {DraftAttachment{AttachmentHash("never uploaded"),
                                              "a.pdf", "application/pdf"}};
  EXPECT_EQ(field_of(unknown_file), "attachments[0].hash");
  Draft reply = NewThread({Agency("FR-DGPN")});
  reply.subject.reset();
  reply.thread_id = "0192f1d4-5b6c-7000-8000-0000000000ff";
  absl::StatusOr<MessageView> orphan = ma_.service.Send(officer1_, reply, "");
  EXPECT_EQ(orphan.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldOf(orphan.status()), "thread_id");
  for (std::string_view table :
       {"exchange_threads", "exchange_messages", "exchange_deliveries",
        "exchange_thread_access", "outbox"}) {
    EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM {}", table)), 0) << table;
  }
  // Each refusal is audited as a failure.
  int failures = 0;
  for (const audit::AuditEntry& e :
       testing::AllEntries(ma_.audit, ma_.store.db())) {
    if (e.action == "message.send") {
      EXPECT_EQ(e.outcome, audit::AuditOutcome::kFailure);
      ++failures;
    }
  }
  EXPECT_EQ(failures, 6);
}

TEST_P(ExchangeServiceTest, EachUserSeesOnlyTheThreadsMeantForThem) {
  // officer1 (DPJ) writes to the DPJ unit; officer3 (BRI) writes to FR only.
  const MessageView to_dpj = Send(
      officer1_, NewThread({UnitRecipient("DPJ")}, "Synthetic harbour watch",
                           "Container 7 at the harbour (synthetic)."));
  const MessageView to_fr = Send(
      officer3_, NewThread({Agency("FR-DGPN")}, "Synthetic ferry check",
                           "Ferry passenger list, harbour side (synthetic)."));
  EXPECT_EQ(Listed(officer2_),
            std::vector<std::string>{to_dpj.message.thread_id});
  EXPECT_EQ(Listed(analyst_),
            std::vector<std::string>{to_dpj.message.thread_id});
  EXPECT_EQ(Listed(officer3_),
            std::vector<std::string>{to_fr.message.thread_id});
  EXPECT_EQ(Listed(supervisor_).size(), 2u);
  // The thread view, search and export follow the same rule.
  EXPECT_EQ(ma_.service.GetThread(officer3_, to_dpj.message.thread_id, kPurpose)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      ma_.service.ExportThread(officer2_, to_fr.message.thread_id, kPurpose)
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(Found(officer2_, "harbour"),
            std::vector<std::string>{to_dpj.message.id});
  EXPECT_EQ(Found(officer3_, "harbour"),
            std::vector<std::string>{to_fr.message.id});
  EXPECT_EQ(Found(supervisor_, "harbour").size(), 2u);
  EXPECT_EQ(ma_.service.MarkRead(officer3_, to_dpj.message.id, kPurpose)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  // Administrators and auditors see no content at all.
  for (const Principal& p : {admin_, auditor_}) {
    EXPECT_EQ(ma_.service.ListThreads(p, {}, kPurpose).status().code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(ma_.service.Search(p, "harbour", 1, 20, kPurpose).status().code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(ma_.service.GetThread(p, to_dpj.message.thread_id, kPurpose)
                  .status()
                  .code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(ma_.service.Send(p, NewThread({UnitRecipient("DPJ")}), "")
                  .status()
                  .code(),
              absl::StatusCode::kPermissionDenied);
  }
  // Reading content requires a purpose.
  absl::StatusOr<ThreadPage> no_purpose =
      ma_.service.ListThreads(officer1_, {}, "");
  EXPECT_EQ(no_purpose.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(no_purpose.status()), "purpose");
  // The permission comes first: an auditor reads no message content,
  // whatever the purpose.
  EXPECT_EQ(ma_.service.ListThreads(auditor_, {}, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ma_.service.Search(auditor_, "tanger", 1, 10, "").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(ExchangeServiceTest, SearchFindsFoldedWordsOnBothStores) {
  const MessageView a =
      Send(officer1_, NewThread({UnitRecipient("DPJ")}, "Réseau de Tanger",
                                "Le véhicule IMMATRICULÉ 12345-A-6 a été vu "
                                "près du port (synthétique)."));
  const MessageView b =
      Send(officer1_, NewThread({UnitRecipient("DPJ")}, "متابعة",
                                "شوهدت السيارة في مِيناء طنجة (اختبار)."));
  const MessageView c =
      Send(officer1_, NewThread({UnitRecipient("DPJ")}, "Port of Marseille",
                                "Nothing about the other city (synthetic)."));
  EXPECT_EQ(Found(officer2_, "reseau"),
            std::vector<std::string>{a.message.id});  // subject, accents
  EXPECT_EQ(Found(officer2_, "IMMATRICULE"),
            std::vector<std::string>{a.message.id});
  EXPECT_EQ(Found(officer2_, "12345"), std::vector<std::string>{a.message.id});
  EXPECT_EQ(Found(officer2_, "ميناء"),
            std::vector<std::string>{b.message.id});  // vowels folded
  EXPECT_EQ(Found(officer2_, "port"),
            (std::vector<std::string>{c.message.id, a.message.id}));
  EXPECT_EQ(Found(officer2_, "port tanger"),
            std::vector<std::string>{a.message.id});  // every term
  EXPECT_TRUE(Found(officer2_, "lisbon").empty());
  absl::StatusOr<SearchPage> page =
      ma_.service.Search(officer2_, "port", 2, 1, kPurpose);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->hits.size(), 1u);
  EXPECT_EQ(page->hits[0].message.id, a.message.id);
  EXPECT_EQ(page->hits[0].subject, "Réseau de Tanger");
  absl::StatusOr<SearchPage> empty =
      ma_.service.Search(officer2_, "?!", 1, 20, kPurpose);
  EXPECT_EQ(FieldOf(empty.status()), "q");
  // The search is audited with the words and the purpose.
  const std::vector<audit::AuditEntry> entries =
      testing::AllEntries(ma_.audit, ma_.store.db());
  const auto it = std::find_if(
      entries.begin(), entries.end(), [](const audit::AuditEntry& e) {
        return e.action == "message.search" &&
               e.outcome == audit::AuditOutcome::kSuccess;
      });
  ASSERT_NE(it, entries.end());
  EXPECT_EQ(it->purpose, kPurpose);
  EXPECT_NE(it->details.find("reseau"), std::string::npos) << it->details;
}

TEST_P(ExchangeServiceTest, TheSearchIndexIsRebuiltWhenItMissesMessages) {
  const MessageView a = Send(
      officer1_, NewThread({UnitRecipient("DPJ")}, "Synthetic", "Lighthouse"));
  if (GetParam() == "sqlite") {
    ASSERT_TRUE(
        ma_.store.db()
            .Run(db::TxMode::kWrite,
                 [](db::Transaction& tx) {
                   return tx.Execute("DELETE FROM exchange_search").status();
                 })
            .ok());
    EXPECT_TRUE(Found(officer1_, "lighthouse").empty());
  } else {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM pg_indexes WHERE indexname = "
                    "'exchange_messages_search_idx'"),
              1);
  }
  ASSERT_TRUE(ma_.service.Init().ok());
  EXPECT_EQ(Found(officer1_, "lighthouse"),
            std::vector<std::string>{a.message.id});
}

TEST_P(ExchangeServiceTest, HandlingCodesTravelWithForwardedContent) {
  // This agency's own H2 message: its originator may pass it on.
  const MessageView h2 = Send(
      officer1_, NewThread({UnitRecipient("DPJ")}, "Synthetic H2",
                           "Own restricted information.", HandlingCode::kH2));
  ForwardRequest to_fr;
  to_fr.recipients = {Agency("FR-DGPN")};
  to_fr.note = "For your information.";
  absl::StatusOr<MessageView> fwd =
      ma_.service.Forward(officer2_, h2.message.id, to_fr, "");
  ASSERT_TRUE(fwd.ok()) << fwd.status();
  EXPECT_EQ(fwd->message.handling.code, HandlingCode::kH2);
  EXPECT_EQ(fwd->message.content_origin, "MA-DGSN");
  ASSERT_TRUE(fwd->message.forwarded_from.has_value());
  EXPECT_EQ(fwd->message.forwarded_from->message_id, h2.message.id);
  EXPECT_EQ(fwd->message.forwarded_from->note, "For your information.");
  EXPECT_NE(fwd->message.thread_id, h2.message.thread_id);
  EXPECT_EQ(fwd->message.text, h2.message.text);
  // H3 needs the forwarder's confirmation before it goes to an agency.
  const MessageView h3 =
      Send(officer1_, NewThread({UnitRecipient("DPJ")}, "Synthetic H3",
                                "Restricted otherwise.", HandlingCode::kH3));
  absl::StatusOr<MessageView> unconfirmed =
      ma_.service.Forward(officer2_, h3.message.id, to_fr, "");
  EXPECT_EQ(unconfirmed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(unconfirmed.status()), "h3_restrictions_respected");
  EXPECT_NE(std::string(unconfirmed.status().message())
                .find("Only for the liaison officers."),
            std::string::npos);
  ForwardRequest to_unit;
  to_unit.recipients = {UnitRecipient("BRI")};
  ASSERT_TRUE(ma_.service.Forward(officer2_, h3.message.id, to_unit, "")
                  .ok());  // internal: fine
  to_fr.h3_restrictions_respected = true;
  EXPECT_TRUE(ma_.service.Forward(officer2_, h3.message.id, to_fr, "").ok());
  // Analysts do not forward; nobody forwards what they cannot see.
  EXPECT_EQ(
      ma_.service.Forward(analyst_, h2.message.id, to_unit, "").status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ma_.service.Forward(officer3_, h2.message.id, to_unit, "")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(ExchangeServiceTest,
       AttachmentsAreLimitedDedupedAndOnlyForThoseWhoMaySeeThem) {
  const std::string bytes = RandomBytes(100 * 1024);
  absl::StatusOr<StoredAttachment> first =
      ma_.service.Upload(officer1_, bytes, "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->hash, AttachmentHash(bytes));
  absl::StatusOr<StoredAttachment> second =
      ma_.service.Upload(officer2_, bytes, "");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->created);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM exchange_attachments"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM exchange_attachment_uploads"), 2);
  // Over the limit (256 KiB here): refused, nothing stored.
  absl::StatusOr<StoredAttachment> big =
      ma_.service.Upload(officer1_, std::string(256 * 1024 + 1, 'x'), "");
  EXPECT_EQ(big.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(FieldOf(big.status()), "body");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM exchange_attachments"), 1);
  EXPECT_FALSE(ma_.attachments.Contains(
      AttachmentHash(std::string(256 * 1024 + 1, 'x'))));

  // officer3 did not upload it and sees no message carrying it.
  Draft d = NewThread({UnitRecipient("DPJ")});
  d.attachments = {
      DraftAttachment{first->hash, "synthetic-photo.jpg", "image/jpeg"}};
  absl::StatusOr<MessageView> stolen = ma_.service.Send(officer3_, d, "");
  EXPECT_EQ(FieldOf(stolen.status()), "attachments[0].hash");
  EXPECT_EQ(
      ma_.service.Download(officer1_, first->hash, kPurpose).status().code(),
      absl::StatusCode::kNotFound);  // uploaded, but in no message yet
  d.handling.code = HandlingCode::kH1;
  const MessageView sent = Send(officer1_, d);
  ASSERT_EQ(sent.message.attachments.size(), 1u);
  EXPECT_EQ(sent.message.attachments[0].size, 100 * 1024);
  EXPECT_EQ(sent.attachment_available, std::vector<bool>{true});
  absl::StatusOr<AttachmentDownload> got =
      ma_.service.Download(analyst_, first->hash, kPurpose);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->bytes, bytes);
  EXPECT_EQ(got->name, "synthetic-photo.jpg");
  EXPECT_EQ(got->handling_codes, std::vector<HandlingCode>{HandlingCode::kH1});
  EXPECT_EQ(
      ma_.service.Download(officer3_, first->hash, kPurpose).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldOf(ma_.service.Download(analyst_, "zz", kPurpose).status()),
            "hash");
  // A DPJ member may now attach it to another message: they can see it.
  Draft again = NewThread({UnitRecipient("BRI")});
  again.attachments = {DraftAttachment{first->hash, "copy.jpg", "image/jpeg"}};
  EXPECT_TRUE(ma_.service.Send(analyst_, again, "").ok());
  EXPECT_EQ(
      ma_.service.Download(officer3_, first->hash, kPurpose).status().code(),
      absl::StatusCode::kOk);  // BRI now sees a message that carries it
  // The clean-up keeps what is referenced.
  absl::StatusOr<int64_t> cleaned = ma_.service.CleanUp();
  ASSERT_TRUE(cleaned.ok()) << cleaned.status();
  EXPECT_TRUE(ma_.attachments.Contains(first->hash));
}

TEST_P(ExchangeServiceTest, UnitsReadAndAcknowledgeTheirMessages) {
  Draft d = NewThread({UnitRecipient("DPJ"), UnitRecipient("BRI")});
  d.ack_requested = true;
  const MessageView sent = Send(supervisor_, d);
  clock_.Advance(absl::Minutes(5));
  absl::StatusOr<MessageView> read =
      ma_.service.MarkRead(officer2_, sent.message.id, kPurpose);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->read);
  ASSERT_EQ(read->deliveries.size(), 2u);
  // Agencies first, then units by code: BRI, DPJ.
  EXPECT_EQ(read->deliveries[0].code, "BRI");
  EXPECT_EQ(read->deliveries[0].state, DeliveryState::kDelivered);
  EXPECT_EQ(read->deliveries[1].code, "DPJ");
  EXPECT_EQ(read->deliveries[1].state, DeliveryState::kRead);
  EXPECT_EQ(read->deliveries[1].read_by, "Test officer.two");
  // Reading again changes nothing.
  ASSERT_TRUE(ma_.service.MarkRead(officer2_, sent.message.id, kPurpose).ok());
  absl::StatusOr<MessageView> acked =
      ma_.service.Acknowledge(officer3_, sent.message.id, "Team briefed.", "");
  ASSERT_TRUE(acked.ok()) << acked.status();
  EXPECT_EQ(acked->deliveries[0].state, DeliveryState::kAcknowledged);
  EXPECT_EQ(acked->deliveries[0].note, "Team briefed.");
  EXPECT_TRUE(
      acked->deliveries[0].read_at.has_value());  // acknowledging reads it
  EXPECT_EQ(acked->deliveries[1].state, DeliveryState::kRead);
  absl::StatusOr<MessageView> twice =
      ma_.service.Acknowledge(officer3_, sent.message.id, "", "");
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(twice.status().message()).find("Test officer.three"),
            std::string::npos);
  // The sender stands for no recipient.
  EXPECT_EQ(ma_.service.Acknowledge(supervisor_, sent.message.id, "", "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(ma_.service
                        .Acknowledge(officer1_, sent.message.id,
                                     std::string(3000, 'n'), "")
                        .status()),
            "note");
  // Unread counts per user.
  ThreadFilter unread;
  unread.unread_only = true;
  EXPECT_TRUE(Listed(officer2_, unread).empty());
  EXPECT_EQ(Listed(officer1_, unread).size(), 1u);
}

TEST_P(ExchangeServiceTest, TheExportMarksH1Content) {
  const MessageView h1 =
      Send(officer1_,
           NewThread({UnitRecipient("DPJ")}, "Synthetic export",
                     "Judicially restricted content.", HandlingCode::kH1));
  absl::StatusOr<std::string> text =
      ma_.service.ExportThread(officer2_, h1.message.thread_id, kPurpose);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_NE(text->find("Handling: H1: not to be used in judicial proceedings "
                       "without the sender's "
                       "permission"),
            std::string::npos)
      << *text;
  const size_t banner =
      text->find("[H1 - NOT TO BE USED IN JUDICIAL PROCEEDINGS");
  const size_t content = text->find("Judicially restricted content.");
  const size_t end = text->find("[END OF H1 CONTENT]");
  ASSERT_NE(banner, std::string::npos);
  EXPECT_LT(banner, content);
  EXPECT_LT(content, end);
  EXPECT_NE(text->find("Evaluation: B2"), std::string::npos);
  EXPECT_NE(text->find(std::string(kPurpose)), std::string::npos);
}

TEST_P(ExchangeServiceTest, EveryReadOfContentIsAuditedWithItsPurpose) {
  const MessageView m = Send(officer1_, NewThread({UnitRecipient("DPJ")}));
  ASSERT_TRUE(
      ma_.service.GetThread(officer2_, m.message.thread_id, kPurpose).ok());
  ASSERT_TRUE(ma_.service.MarkRead(officer2_, m.message.id, kPurpose).ok());
  ASSERT_TRUE(ma_.service.ListThreads(officer2_, {}, kPurpose).ok());
  ASSERT_TRUE(
      ma_.service.ExportThread(officer2_, m.message.thread_id, kPurpose).ok());
  std::map<std::string, int> reads;
  for (const audit::AuditEntry& e :
       testing::AllEntries(ma_.audit, ma_.store.db())) {
    if (e.actor != officer2_.Actor()) continue;
    EXPECT_EQ(e.purpose, kPurpose) << e.action;
    EXPECT_EQ(e.outcome, audit::AuditOutcome::kSuccess);
    ++reads[e.action];
  }
  EXPECT_EQ(reads["message.read"], 2);
  EXPECT_EQ(reads["message.list"], 1);
  EXPECT_EQ(reads["message.export"], 1);
  // A denial is audited too.
  EXPECT_FALSE(
      ma_.service.GetThread(auditor_, m.message.thread_id, kPurpose).ok());
  const std::vector<audit::AuditEntry> entries =
      testing::AllEntries(ma_.audit, ma_.store.db());
  EXPECT_EQ(entries.back().actor, auditor_.Actor());
  EXPECT_EQ(entries.back().outcome, audit::AuditOutcome::kDenied);
}

TEST_P(ExchangeServiceTest, UnitsAreManagedByAdminsAndSupervisors) {
  absl::StatusOr<Unit> u =
      ma_.service.PutUnit(supervisor_, "SURV-1", "Surveillance",
                          {officer1_.user_id}, "reorganisation");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->members, std::vector<std::string>{officer1_.user_id});
  EXPECT_EQ(
      ma_.service.PutUnit(officer1_, "SURV-1", "x", {}, "").status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(FieldOf(ma_.service.PutUnit(admin_, "surv", "x", {}, "").status()),
            "code");
  EXPECT_EQ(FieldOf(ma_.service.PutUnit(admin_, "SURV-1", "", {}, "").status()),
            "name");
  EXPECT_EQ(
      FieldOf(
          ma_.service.PutUnit(admin_, "SURV-1", "x", {"nobody"}, "").status()),
      "members[0]");
  EXPECT_EQ(FieldOf(ma_.service
                        .PutUnit(admin_, "SURV-1", "x",
                                 {officer1_.user_id, officer1_.user_id}, "")
                        .status()),
            "members[1]");
  absl::StatusOr<std::vector<Unit>> units = ma_.service.ListUnits(officer3_);
  ASSERT_TRUE(units.ok());
  ASSERT_EQ(units->size(), 3u);
  EXPECT_EQ((*units)[2].code, "SURV-1");
  EXPECT_EQ((*units)[2].members.size(), 1u);
  EXPECT_EQ(ma_.service.ListUnits(auditor_).status().code(),
            absl::StatusCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Stores, ExchangeServiceTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::exchange
