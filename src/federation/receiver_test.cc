#include "federation/receiver.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "db/test_stores.h"
#include "federation/store.h"

namespace jisr::federation {
namespace {

// A receiver at FR-DGPN with MA-DGSN registered as a peer, and a test kind
// "note.set" whose handler stores {"text"} per record in a test table.
class ReceiverTest : public ::testing::TestWithParam<std::string> {
 protected:
  ReceiverTest()
      : store_(GetParam()), audit_(clock_), receiver_(store_.db(), audit_, clock_, Options()) {
    EXPECT_TRUE(db().Run(db::TxMode::kWrite, [&](db::Transaction& tx) -> absl::Status {
                      JISR_RETURN_IF_ERROR(tx.ExecuteScript(
                          "CREATE TABLE test_notes (record TEXT PRIMARY KEY, version BIGINT NOT "
                          "NULL, text TEXT NOT NULL);"));
                      Peer peer;
                      peer.card.agency = "MA-DGSN";
                      peer.card.country = "MA";
                      peer.card.name_en = peer.card.name_fr = peer.card.name_ar = "MA";
                      peer.card.federation_url = "https://127.0.0.1:8443";
                      peer.card.tls_fingerprint = kMaCert;
                      peer.card.signing_key = ma_.public_key;
                      peer.added_by = "cli:test";
                      peer.added_at = clock_.Now();
                      return InsertPeer(tx, peer);
                    }).ok());
    EXPECT_TRUE(receiver_
                    .Register("note.set",
                              [](db::Transaction& tx, const Envelope& e) -> absl::Status {
                                JISR_ASSIGN_OR_RETURN(boost::json::object body,
                                                      ParseJsonObject(e.body));
                                const std::string text(body["text"].as_string());
                                if (text == "refuse") {
                                  return absl::PermissionDeniedError("notes saying refuse are refused");
                                }
                                if (text == "later") return RetryLater("not yet");
                                if (text == "store down") {
                                  return absl::UnavailableError("the store is down");
                                }
                                return tx
                                    .Execute(
                                        "INSERT INTO test_notes (record, version, text) VALUES "
                                        "($1, $2, $3) ON CONFLICT (record) DO UPDATE SET version "
                                        "= excluded.version, text = excluded.text",
                                        {e.record_id, e.version, text})
                                    .status();
                              })
                    .ok());
  }

  static ReceiverOptions Options() {
    ReceiverOptions o;
    o.agency = "FR-DGPN";
    return o;
  }
  db::Database& db() { return store_.db(); }

  Envelope Note(std::string record, int64_t version, std::string text) {
    Envelope e;
    e.id = NewUuidV7(clock_.Now());
    clock_.Advance(absl::Milliseconds(1));
    e.from = "MA-DGSN";
    e.to = "FR-DGPN";
    e.kind = "note.set";
    e.record_id = std::move(record);
    e.version = version;
    e.sent_at = TruncateToMillis(clock_.Now());
    e.body = ToJson(boost::json::object{{"text", text}});
    Sign(ma_, &e);
    return e;
  }

  // Posts `envelopes` as one batch with certificate `cert`; returns the
  // response and, for 200, the status of each envelope.
  FederationResponse Post(const std::vector<Envelope>& envelopes,
                          std::vector<std::string>* statuses = nullptr,
                          std::string cert = kMaCert) {
    boost::json::array list;
    for (const Envelope& e : envelopes) list.push_back(EnvelopeToJson(e));
    FederationRequest req;
    req.peer_fingerprint = std::move(cert);
    req.method = "POST";
    req.target = std::string(kEnvelopesPath);
    req.body = ToJson(boost::json::object{{"envelopes", std::move(list)}});
    FederationResponse r = receiver_.Handle(req);
    if (statuses != nullptr && r.status == 200) {
      statuses->clear();
      boost::json::object body = *ParseJsonObject(r.body);
      for (const auto& v : body["results"].as_array()) {
        statuses->emplace_back(v.as_object().at("status").as_string());
      }
    }
    return r;
  }

  std::string NoteText(std::string_view record) {
    std::string text = "(none)";
    EXPECT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
                      JISR_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                                            tx.QueryOptional("SELECT text FROM test_notes WHERE "
                                                             "record = $1",
                                                             {std::string(record)}));
                      if (row) text = row->GetText(0);
                      return absl::OkStatus();
                    }).ok());
    return text;
  }

  int64_t AuditCount(std::string_view action) {
    int64_t n = 0;
    EXPECT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
                      JISR_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                                            tx.QueryOptional("SELECT COUNT(*) FROM audit_log "
                                                             "WHERE action = $1",
                                                             {std::string(action)}));
                      n = row->GetInt(0);
                      return absl::OkStatus();
                    }).ok());
    return n;
  }

  static constexpr const char* kMaCert =
      "sha256:1111111111111111111111111111111111111111111111111111111111111111";
  FakeClock clock_;
  db::testing::TestStore store_;
  audit::AuditLog audit_;
  SigningKey ma_ = GenerateSigningKey();
  Receiver receiver_;
};

TEST_P(ReceiverTest, AppliesOnceAndAnswersDuplicatesOfReplays) {
  const Envelope e = Note("note:1", 1, "hello");
  std::vector<std::string> st;
  ASSERT_EQ(Post({e}, &st).status, 200);
  EXPECT_EQ(st, std::vector<std::string>{"accepted"});
  EXPECT_EQ(NoteText("note:1"), "hello");
  EXPECT_EQ(AuditCount("federation.receive"), 1);
  // The same envelope again (a replay, or a retry after a lost answer).
  ASSERT_EQ(Post({e}, &st).status, 200);
  EXPECT_EQ(st, std::vector<std::string>{"duplicate"});
  EXPECT_EQ(AuditCount("federation.receive"), 1);
  EXPECT_EQ(AuditCount("federation.replay"), 1);
}

TEST_P(ReceiverTest, NewerVersionWinsWhateverTheOrderOfArrival) {
  const Envelope v1 = Note("note:1", 1, "first");
  const Envelope v2 = Note("note:1", 2, "second");
  const Envelope v3 = Note("note:1", 3, "third");
  std::vector<std::string> st;
  ASSERT_EQ(Post({v3, v1}, &st).status, 200);
  EXPECT_EQ(st, (std::vector<std::string>{"accepted", "superseded"}));
  ASSERT_EQ(Post({v2}, &st).status, 200);
  EXPECT_EQ(st, std::vector<std::string>{"superseded"});
  EXPECT_EQ(NoteText("note:1"), "third");
}

TEST_P(ReceiverTest, RefusesForgedTamperedMisaddressedStaleAndUnknownEnvelopes) {
  Envelope forged = Note("note:f", 1, "forged");
  Sign(GenerateSigningKey(), &forged);
  Envelope tampered = Note("note:t", 1, "original");
  tampered.body = ToJson(boost::json::object{{"text", "altered"}});
  Envelope impostor = Note("note:i", 1, "x");
  impostor.from = "ES-PN";
  Sign(ma_, &impostor);
  Envelope misaddressed = Note("note:m", 1, "x");
  misaddressed.to = "ES-PN";
  Sign(ma_, &misaddressed);
  Envelope stale = Note("note:s", 1, "x");
  stale.sent_at -= absl::Minutes(11);
  Sign(ma_, &stale);
  Envelope unknown = Note("note:u", 1, "x");
  unknown.kind = "note.unknown";
  Sign(ma_, &unknown);
  const Envelope good = Note("note:g", 1, "good");
  std::vector<std::string> st;
  ASSERT_EQ(Post({forged, tampered, impostor, misaddressed, stale, unknown, good}, &st).status,
            200);
  EXPECT_EQ(st, (std::vector<std::string>{"rejected", "rejected", "rejected", "rejected",
                                          "rejected", "rejected", "accepted"}));
  for (const char* r : {"note:f", "note:t", "note:i", "note:m", "note:s", "note:u"}) {
    EXPECT_EQ(NoteText(r), "(none)") << r;
  }
  EXPECT_EQ(NoteText("note:g"), "good");
  EXPECT_EQ(AuditCount("federation.reject"), 6);
}

TEST_P(ReceiverTest, AHandlersRefusalRejectsThatEnvelopeOnly) {
  std::vector<std::string> st;
  ASSERT_EQ(Post({Note("note:a", 1, "a"), Note("note:b", 1, "refuse"), Note("note:c", 1, "c")},
                 &st)
                .status,
            200);
  EXPECT_EQ(st, (std::vector<std::string>{"accepted", "rejected", "accepted"}));
  EXPECT_EQ(NoteText("note:a"), "a");
  EXPECT_EQ(NoteText("note:b"), "(none)");
  EXPECT_EQ(NoteText("note:c"), "c");
  EXPECT_EQ(AuditCount("federation.reject"), 1);
}

TEST_P(ReceiverTest, ARetryLaterDefersThatEnvelopeOnlyUnrecordedAndUnaudited) {
  std::vector<std::string> st;
  const Envelope later = Note("note:b", 1, "later");
  ASSERT_EQ(Post({Note("note:a", 1, "a"), later, Note("note:c", 1, "c")}, &st).status, 200);
  EXPECT_EQ(st, (std::vector<std::string>{"accepted", "deferred", "accepted"}));
  EXPECT_EQ(NoteText("note:a"), "a");
  EXPECT_EQ(NoteText("note:b"), "(none)");
  EXPECT_EQ(NoteText("note:c"), "c");
  EXPECT_EQ(AuditCount("federation.reject"), 0);
  EXPECT_EQ(AuditCount("federation.receive"), 2);
  // Not recorded: the same envelope sent again is handled again, not a
  // duplicate.
  ASSERT_EQ(Post({later}, &st).status, 200);
  EXPECT_EQ(st, (std::vector<std::string>{"deferred"}));
  EXPECT_EQ(AuditCount("federation.replay"), 0);
  // A plain Unavailable is the store's: the whole batch fails, nothing applied.
  ASSERT_EQ(Post({Note("note:d", 1, "d"), Note("note:e", 1, "store down")}, &st).status, 503);
  EXPECT_EQ(NoteText("note:d"), "(none)");
  EXPECT_FALSE(IsRetryLater(absl::UnavailableError("x")));
  EXPECT_TRUE(IsRetryLater(RetryLater("x")));
}

TEST_P(ReceiverTest, BadRequestsAreProblems) {
  EXPECT_EQ(Post({Note("note:1", 1, "x")}, nullptr, "sha256:" + std::string(64, '9')).status,
            403);
  FederationRequest req;
  req.peer_fingerprint = kMaCert;
  req.method = "POST";
  req.target = std::string(kEnvelopesPath);
  req.body = "{\"envelopes\": 3}";
  FederationResponse r = receiver_.Handle(req);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("\"field\":\"envelopes\""), std::string::npos) << r.body;
  req.body = "{not json";
  EXPECT_EQ(receiver_.Handle(req).status, 400);
  req.target = "/federation/v1/other";
  EXPECT_EQ(receiver_.Handle(req).status, 404);
  req.target = std::string(kEnvelopesPath);
  req.method = "GET";
  EXPECT_EQ(receiver_.Handle(req).status, 405);
  // A malformed envelope in a batch is rejected naming its member.
  req.method = "POST";
  req.body = R"({"envelopes":[{"id":"0192f1d4-5b6c-7000-8000-000000000001"}]})";
  r = receiver_.Handle(req);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("envelopes[0].from"), std::string::npos) << r.body;
}

TEST_P(ReceiverTest, PinsAreTheRegisteredCertificates) {
  EXPECT_TRUE(receiver_.IsPinned(kMaCert));
  EXPECT_FALSE(receiver_.IsPinned("sha256:" + std::string(64, '2')));
  receiver_.HandshakeRejected("sha256:" + std::string(64, '2'), "127.0.0.1:5555", "unknown");
  EXPECT_EQ(AuditCount("federation.handshake"), 1);
}

TEST_P(ReceiverTest, RefusedHandshakesAreAuditedAtABoundedRate) {
  const std::string stranger = "sha256:" + std::string(64, '3');
  for (int i = 0; i < Receiver::kMaxHandshakeAuditsPerMinute + 10; ++i) {
    receiver_.HandshakeRejected(stranger, "127.0.0.1:4000", "not pinned");
  }
  EXPECT_EQ(AuditCount("federation.handshake"), Receiver::kMaxHandshakeAuditsPerMinute);
  clock_.Advance(absl::Minutes(1));
  receiver_.HandshakeRejected(stranger, "127.0.0.1:4000", "not pinned");
  // The ten not audited one by one, as one entry, then the new one.
  EXPECT_EQ(AuditCount("federation.handshake"), Receiver::kMaxHandshakeAuditsPerMinute + 2);
  int64_t summarised = 0;
  ASSERT_TRUE(db().Run(db::TxMode::kRead, [&](db::Transaction& tx) -> absl::Status {
                    JISR_ASSIGN_OR_RETURN(
                        std::optional<db::Row> row,
                        tx.QueryOptional("SELECT details FROM audit_log WHERE object = "
                                         "'certificate:many'"));
                    if (row) summarised = ParseJsonObject(row->GetText(0))->at("count").as_int64();
                    return absl::OkStatus();
                  }).ok());
  EXPECT_EQ(summarised, 10);
}

INSTANTIATE_TEST_SUITE_P(Stores, ReceiverTest, ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::federation
