// The exchange routes end to end, in-process: a real server on a loopback
// port, a migrated store, the security and exchange services, a federation
// receiver (to bring in a partner's message), and a client signing in as
// each role. Bad input gets a 4xx problem+json naming the field and writes
// nothing; the permission matrix is walked through the API; another agency's
// H2 content cannot be forwarded through it.
#include "exchange/exchange_routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/test_route_node.h"
#include "common/ids.h"
#include "common/json.h"
#include "exchange/exchange_sharing.h"
#include "federation/envelope.h"
#include "federation/receiver.h"

namespace jisr::exchange {
namespace {

using http::TestHeaders;
using http::TestResponse;

constexpr int64_t kMaxAttachment = 256 * 1024;

class ExchangeRoutesTest : public http::testing::RouteTest {
 protected:
  ExchangeRoutesTest()
      : clock_(node_.clock()),
        attachments_(node_.dir() / "attachments"),
        exchange_(node_.db(), node_.audit(), clock_, attachments_, Options(), &node_.users()),
        receiver_(node_.db(), node_.audit(), clock_, federation::ReceiverOptions{"MA-DGSN"}) {
    EXPECT_TRUE(exchange_.Init().ok());
    EXPECT_TRUE(RegisterExchangeHandlers(receiver_, exchange_.sharing_options(), clock_).ok());
    context_.sessions = &node_.sessions();
    context_.exchange = &exchange_;
    fr_key_ = node_.AddPartner("FR-DGPN");  // certificate sha256:bbbb...
    node_.AddPartner("ES-PN");
    const auto op = security::Principal::CliOperator("test");
    EXPECT_TRUE(exchange_
                    .PutUnit(op, "DPJ", "Judicial police",
                             {node_.UserId("officer1"), node_.UserId("officer2"),
                              node_.UserId("analyst1")},
                             "setup")
                    .ok());
    EXPECT_TRUE(AddExchangeRoutes(node_.router(), context_).ok());
    node_.Start(kMaxAttachment + 1024);
  }

  static ExchangeOptions Options() {
    ExchangeOptions o;
    o.agency = "MA-DGSN";
    o.max_attachment_bytes = kMaxAttachment;
    return o;
  }

  TestResponse Call(std::string_view method, std::string_view target,
                    std::string_view body = {}, const std::string& token = "",
                    TestHeaders headers = {},
                    std::string_view content_type = "application/json") {
    if (!body.empty()) headers.emplace_back("Content-Type", std::string(content_type));
    return node_.Call(method, target, body, token, std::move(headers));
  }

  // A read of content: with X-Purpose.
  TestResponse Read(std::string_view method, std::string_view target,
                    const std::string& user, std::string_view body = {}) {
    return Call(method, target, body, Token(user),
                {{"X-Purpose", "case 2026/7 (synthetic)"}});
  }

  // A new thread's body with `members` (JSON text) replaced.
  static std::string Message(
      std::string_view extra = {}, std::string_view handling = "H0",
      std::string_view recipients =
          R"([{"type": "agency", "code": "FR-DGPN"}, {"type": "unit", "code": "DPJ"}])") {
    return fmt::format(R"({{"subject": "Synthetic joint case",
      "text": "Synthetic information about a vehicle seen at the port.",
      "handling_code": "{}", "source_reliability": "B", "information_accuracy": 2,
      "recipients": {}{}{}}})",
                       handling, recipients, extra.empty() ? "" : ", ", extra);
  }

  // Brings in a message of FR-DGPN to this agency, as the federation would.
  std::string PartnerMessage(HandlingCode code) {
    const absl::Time now = TruncateToMillis(clock_.Now());
    Thread t;
    t.id = NewUuidV7(now);
    t.subject = "Synthetic case of Paris";
    t.origin = "FR-DGPN";
    exchange::Message m;
    m.id = NewUuidV7(now);
    m.thread_id = t.id;
    m.origin = m.content_origin = "FR-DGPN";
    m.sender = Sender{"FR-DGPN", "fr.officer", "Test fr.officer", ""};
    m.text = "Synthetic restricted information of Paris.";
    m.handling.code = code;
    m.evaluation = Evaluation{SourceReliability::kB, 2};
    m.recipients = {Recipient{RecipientType::kAgency, "MA-DGSN"}};
    m.sent_at = now;
    federation::Envelope e;
    e.id = NewUuidV7(now);
    e.from = "FR-DGPN";
    e.to = "MA-DGSN";
    e.kind = std::string(kMessageKind);
    e.record_id = MessageRecord(m.id);
    e.version = 1;
    e.sent_at = now;
    e.body = ToJson(SharedMessageJson(t, m));
    federation::Sign(fr_key_, &e);
    federation::FederationRequest req;
    req.peer_fingerprint = "sha256:" + std::string(64, 'b');
    req.method = "POST";
    req.target = std::string(federation::kEnvelopesPath);
    req.body = ToJson(boost::json::object{
        {"envelopes", boost::json::array{federation::EnvelopeToJson(e)}}});
    federation::FederationResponse r = receiver_.Handle(req);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("accepted"), std::string::npos) << r.body;
    return m.id;
  }

  FakeClock& clock_;
  AttachmentStore attachments_;
  ExchangeService exchange_;
  federation::Receiver receiver_;
  federation::SigningKey fr_key_;
  ExchangeRoutesContext context_;
};

TEST_P(ExchangeRoutesTest, TwoOfficersExchangeAMessageWithAnAttachment) {
  const std::string bytes = RandomBytes(60 * 1024);  // one chunk
  TestResponse up = Call("POST", "/api/v1/attachments", bytes,
                         Token("officer1"), {}, "application/pdf");
  ASSERT_EQ(up.status, 201) << up.body;
  const std::string hash(Json(up)["hash"].as_string());
  EXPECT_EQ(hash, AttachmentHash(bytes));
  EXPECT_EQ(Json(up)["size"].as_int64(), 60 * 1024);
  EXPECT_EQ(Json(up)["algorithm"].as_string(), "blake2b-256");

  TestResponse sent = Call(
      "POST", "/api/v1/messages",
      Message(
          fmt::format(
              R"("attachments": [{{"hash": "{}", "name": "Synthetic report.pdf",
                              "media_type": "application/pdf"}}], "ack_requested": true)",
              hash),
          "H1"),
      Token("officer1"));
  ASSERT_EQ(sent.status, 201) << sent.body;
  boost::json::object m = Json(sent);
  const std::string id(m["id"].as_string());
  const std::string thread(m["thread_id"].as_string());
  EXPECT_EQ(sent.Header("Location").value_or(""), "/api/v1/threads/" + thread);
  EXPECT_EQ(m["handling"].at("marking").as_string(),
            "H1: not to be used in judicial proceedings without the sender's "
            "permission");
  EXPECT_EQ(m["deliveries"].as_array().size(), 2u);
  EXPECT_EQ(Count("outbox"), 2);  // the message and its one chunk, to FR-DGPN

  // officer2 (same unit) lists, opens, searches, reads and acknowledges it.
  TestResponse list = Read("GET", "/api/v1/threads?page_size=10", "officer2");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Json(list)["total"].as_int64(), 1);
  boost::json::object summary = Json(list)["threads"].as_array()[0].as_object();
  EXPECT_EQ(summary["unread"].as_int64(), 1);
  EXPECT_EQ(summary["markings"].as_array()[0].as_string(),
            "H1: not to be used in judicial proceedings without the sender's "
            "permission");
  TestResponse view = Read("GET", "/api/v1/threads/" + thread, "officer2");
  ASSERT_EQ(view.status, 200) << view.body;
  boost::json::object first = Json(view)["messages"].as_array()[0].as_object();
  EXPECT_EQ(first["handling"].at("code").as_string(), "H1");
  EXPECT_EQ(first["read"].as_bool(), false);
  EXPECT_EQ(first["attachments"].as_array()[0].at("available").as_bool(), true);
  TestResponse found =
      Read("GET", "/api/v1/messages/search?q=VEHICLE%20port", "officer2");
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_EQ(Json(found)["total"].as_int64(), 1);
  EXPECT_EQ(Json(found)["results"]
                .as_array()[0]
                .at("handling")
                .at("marking")
                .as_string(),
            "H1: not to be used in judicial proceedings without the sender's "
            "permission");
  TestResponse read =
      Read("POST", "/api/v1/messages/" + id + "/read", "officer2");
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(Json(read)["read"].as_bool());
  TestResponse ack = Call("POST", "/api/v1/messages/" + id + "/ack",
                          R"({"note": "Seen."})", Token("officer2"));
  ASSERT_EQ(ack.status, 200) << ack.body;
  bool unit_acknowledged = false;
  const boost::json::object acked = Json(ack);
  for (const auto& d : acked.at("deliveries").as_array()) {
    if (d.at("code").as_string() == "DPJ") {
      unit_acknowledged = d.at("state").as_string() == "acknowledged";
      EXPECT_EQ(d.at("note").as_string(), "Seen.");
    }
  }
  EXPECT_TRUE(unit_acknowledged) << ack.body;
  TestResponse again =
      Call("POST", "/api/v1/messages/" + id + "/ack", "", Token("officer2"));
  ExpectProblem(again, 409);

  TestResponse exported =
      Read("GET", "/api/v1/threads/" + thread + "/export", "officer2");
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.Header("Content-Type").value_or(""),
            "text/plain; charset=utf-8");
  EXPECT_NE(exported.body.find(
                "[H1 - NOT TO BE USED IN JUDICIAL PROCEEDINGS WITHOUT THE "
                "SENDER'S PERMISSION]"),
            std::string::npos)
      << exported.body;

  TestResponse file = Read("GET", "/api/v1/attachments/" + hash, "officer2");
  ASSERT_EQ(file.status, 200) << file.body.substr(0, 200);
  EXPECT_EQ(file.body, bytes);
  EXPECT_EQ(file.Header("X-Attachment-Hash").value_or(""),
            "blake2b-256=" + hash);
  EXPECT_EQ(file.Header("X-Handling-Codes").value_or(""), "H1");
  EXPECT_EQ(file.Header("Content-Type").value_or(""),
            "application/octet-stream");
  EXPECT_NE(file.Header("Content-Disposition")
                .value_or("")
                .find("Synthetic_report.pdf"),
            std::string::npos);
  // officer3 is in no unit addressed: the thread and the file do not exist
  // for them.
  ExpectProblem(Read("GET", "/api/v1/threads/" + thread, "officer3"), 404);
  ExpectProblem(Read("GET", "/api/v1/attachments/" + hash, "officer3"), 404);
  EXPECT_EQ(Json(Read("GET", "/api/v1/messages/search?q=vehicle",
                      "officer3"))["total"]
                .as_int64(),
            0);
}

TEST_P(ExchangeRoutesTest, BadInputIsAnsweredNamingTheFieldAndWritesNothing) {
  const std::string& token = Token("officer1");
  ExpectProblem(Call("POST", "/api/v1/messages", Message({}, "H4"), token), 400,
                "handling_code");
  ExpectProblem(Call("POST", "/api/v1/messages", Message({}, "H3"), token), 400,
                "handling_text");
  ExpectProblem(
      Call("POST", "/api/v1/messages",
           Message({}, "H0", R"([{"type": "agency", "code": "DE-BKA"}])"),
           token),
      400, "recipients[0].code");
  ExpectProblem(
      Call("POST", "/api/v1/messages",
           Message({}, "H0", R"([{"type": "unit", "code": "GHOST"}])"), token),
      400, "recipients[0].code");
  ExpectProblem(Call("POST", "/api/v1/messages",
                     Message(R"("information_accuracy": 9)"), token),
                400);
  ExpectProblem(Call("POST", "/api/v1/messages", R"({"subject": )", token),
                400);
  ExpectProblem(Call("POST", "/api/v1/messages", "", token), 400);
  ExpectProblem(
      Call("POST", "/api/v1/messages",
           Message(fmt::format(
               R"("attachments": [{{"hash": "{}", "name": "x.pdf"}}])",
               std::string(64, 'a'))),
           token),
      400, "attachments[0].hash");
  // An oversized attachment: 413 naming the body, nothing stored.
  ExpectProblem(
      Call("POST", "/api/v1/attachments", std::string(kMaxAttachment + 1, 'x'),
           token, {}, "application/octet-stream"),
      413, "body");
  EXPECT_EQ(Count("exchange_attachments"), 0);
  // Reads need a purpose; parameters are checked.
  ExpectProblem(Call("GET", "/api/v1/threads", "", token), 400, "purpose");
  ExpectProblem(Read("GET", "/api/v1/threads?page=0", "officer1"), 400, "page");
  ExpectProblem(Read("GET", "/api/v1/threads?link_type=case", "officer1"), 400,
                "link_type");
  ExpectProblem(Read("GET", "/api/v1/threads?handling_code=H7", "officer1"),
                400, "handling_code");
  ExpectProblem(Read("GET", "/api/v1/threads?agency=france", "officer1"), 400,
                "agency");
  ExpectProblem(Read("GET", "/api/v1/messages/search", "officer1"), 400, "q");
  ExpectProblem(Read("GET", "/api/v1/messages/search?q=%3F%21", "officer1"),
                400, "q");
  ExpectProblem(Read("GET", "/api/v1/attachments/zz", "officer1"), 400, "hash");
  ExpectProblem(Read("GET", "/api/v1/threads/not-a-uuid", "officer1"), 400,
                "id");
  ExpectProblem(
      Call("POST",
           "/api/v1/messages/0192f1d4-5b6c-7000-8000-0000000000ff/forward",
           R"({"recipients": []})", token),
      400, "recipients");
  ExpectProblem(
      Call("POST", "/api/v1/messages/0192f1d4-5b6c-7000-8000-0000000000ff/ack",
           R"({"nope": 1})", token),
      400, "nope");
  ExpectProblem(
      Call("PUT", "/api/v1/units/DPJ",
           R"({"name": "x", "members": ["nobody"]})", Token("admin1")),
      400, "members[0]");
  ExpectProblem(
      Call(
          "PUT", "/api/v1/units/DPJ",
          R"({"name": "x", "members": ["0192f1d4-5b6c-7000-8000-0000000000ff"]})",
          Token("admin1")),
      400, "members[0]");
  for (std::string_view table :
       {"exchange_threads", "exchange_messages", "exchange_deliveries",
        "exchange_attachments", "outbox"}) {
    EXPECT_EQ(Count(table), 0) << table;
  }
}

TEST_P(ExchangeRoutesTest, ThePermissionMatrixHoldsThroughTheApi) {
  // Expected HTTP status per role for: send, list, search, upload, unit put.
  struct Row {
    std::string user;
    int send, list, search, upload, units_put, units_get;
  };
  const Row rows[] = {
      {"admin1", 403, 403, 403, 403, 200, 200},
      {"super1", 201, 200, 200, 201, 200, 200},
      {"officer1", 201, 200, 200, 201, 403, 200},
      {"analyst1", 201, 200, 200, 201, 403, 200},
      {"auditor1", 403, 403, 403, 403, 403, 403},
  };
  int unit = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.user);
    ++unit;
    EXPECT_EQ(
        Call("POST", "/api/v1/messages", Message(), Token(row.user)).status,
        row.send);
    EXPECT_EQ(Read("GET", "/api/v1/threads", row.user).status, row.list);
    EXPECT_EQ(Read("GET", "/api/v1/messages/search?q=vehicle", row.user).status,
              row.search);
    EXPECT_EQ(Call("POST", "/api/v1/attachments", "bytes of " + row.user,
                   Token(row.user), {}, "text/plain")
                  .status,
              row.upload);
    EXPECT_EQ(Call("PUT", fmt::format("/api/v1/units/TEST-{}", unit),
                   R"({"name": "Test unit", "members": []})", Token(row.user))
                  .status,
              row.units_put);
    EXPECT_EQ(Call("GET", "/api/v1/units", "", Token(row.user)).status,
              row.units_get);
  }
  ExpectProblem(Call("GET", "/api/v1/threads"), 401);
  ExpectProblem(Call("POST", "/api/v1/messages", Message()), 401);
  // Forwarding is for officers and supervisors.
  const std::string id(
      Json(Call("POST", "/api/v1/messages", Message(), Token("officer1")))["id"]
          .as_string());
  ExpectProblem(Call("POST", "/api/v1/messages/" + id + "/forward",
                     R"({"recipients": [{"type": "unit", "code": "DPJ"}]})",
                     Token("analyst1")),
                403);
  EXPECT_EQ(Call("POST", "/api/v1/messages/" + id + "/forward",
                 R"({"recipients": [{"type": "unit", "code": "DPJ"}]})",
                 Token("officer1"))
                .status,
            201);
}

TEST_P(ExchangeRoutesTest, APartnersH2MessageCannotBeForwardedToAnotherAgency) {
  const std::string id = PartnerMessage(HandlingCode::kH2);
  // Every officer sees what a partner addressed to the agency.
  TestResponse list = Read("GET", "/api/v1/threads?agency=FR-DGPN", "officer3");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Json(list)["total"].as_int64(), 1);
  TestResponse refused =
      Call("POST", "/api/v1/messages/" + id + "/forward",
           R"({"recipients": [{"type": "agency", "code": "ES-PN"}]})",
           Token("officer3"));
  ExpectProblem(refused, 409, "recipients[0].code");
  EXPECT_NE(
      Json(refused)["detail"].as_string().find("only FR-DGPN may pass it on"),
      std::string::npos)
      << refused.body;
  EXPECT_EQ(Count("outbox WHERE recipient = 'ES-PN'"), 0);
  TestResponse internal = Call(
      "POST", "/api/v1/messages/" + id + "/forward",
      R"({"recipients": [{"type": "unit", "code": "DPJ"}], "note": "FYI"})",
      Token("officer3"));
  ASSERT_EQ(internal.status, 201) << internal.body;
  EXPECT_EQ(Json(internal)["handling"].at("code").as_string(), "H2");
  EXPECT_EQ(Json(internal)["content_origin"].as_string(), "FR-DGPN");
  // Reading it sends the read receipt to Paris.
  ASSERT_EQ(Read("POST", "/api/v1/messages/" + id + "/read", "officer3").status,
            200);
  EXPECT_EQ(
      Count("outbox WHERE recipient = 'FR-DGPN' AND kind = 'message.receipt'"),
      2);
}

INSTANTIATE_TEST_SUITE_P(Stores, ExchangeRoutesTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::exchange
