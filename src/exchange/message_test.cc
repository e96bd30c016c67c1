// The exchange model: reading drafts (every error names its member), the
// handling and evaluation codes, the form that crosses to partners, and the
// folding of text for search.
#include "exchange/message.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "common/status.h"

namespace jisr::exchange {
namespace {

constexpr std::string_view kDraft = R"json({
  "subject": "Synthetic route of a trafficking network",
  "link": {"type": "alert", "id": "0192f1d4-5b6c-7000-8000-0000000000a1"},
  "text": "Synthetic information: a vehicle was seen crossing at Tanger Med.",
  "handling_code": "H1",
  "source_reliability": "B",
  "information_accuracy": 2,
  "recipients": [{"type": "agency", "code": "FR-DGPN"}, {"type": "unit", "code": "DPJ"}],
  "attachments": [{"hash": "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
                   "name": "photo.jpg", "media_type": "image/jpeg"}],
  "ack_requested": true
})json";

boost::json::object Json(std::string_view text) {
  return *ParseJsonObject(text);
}

// The draft with member `key` replaced by `value` (JSON text).
boost::json::object With(std::string_view key, std::string_view value) {
  boost::json::object o = Json(kDraft);
  o[key] = *ParseJson(value);
  return o;
}

boost::json::object Without(std::string_view key) {
  boost::json::object o = Json(kDraft);
  o.erase(key);
  return o;
}

// The field named by the first error of reading then validating `json`.
std::string FieldOfDraft(const boost::json::object& json) {
  absl::StatusOr<Draft> d = DraftFromJson(json);
  absl::Status s = d.ok() ? ValidateDraft(*d) : d.status();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  return FieldOf(s).value_or("<none>");
}

TEST(MessageTest, ReadsAValidDraft) {
  absl::StatusOr<Draft> d = DraftFromJson(Json(kDraft));
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_TRUE(ValidateDraft(*d).ok());
  EXPECT_EQ(d->subject, "Synthetic route of a trafficking network");
  ASSERT_TRUE(d->link.has_value());
  EXPECT_EQ(d->link->type, LinkType::kAlert);
  EXPECT_EQ(d->handling.code, HandlingCode::kH1);
  EXPECT_EQ(d->evaluation, (Evaluation{SourceReliability::kB, 2}));
  ASSERT_EQ(d->recipients.size(), 2u);
  EXPECT_EQ(d->recipients[1], (Recipient{RecipientType::kUnit, "DPJ"}));
  ASSERT_EQ(d->attachments.size(), 1u);
  EXPECT_EQ(d->attachments[0].media_type, "image/jpeg");
  EXPECT_TRUE(d->ack_requested);
}

TEST(MessageTest, EveryBadDraftNamesItsMember) {
  EXPECT_EQ(FieldOfDraft(With("handling_code", R"("H4")")), "handling_code");
  EXPECT_EQ(FieldOfDraft(With("handling_code", R"("h1")")), "handling_code");
  EXPECT_EQ(FieldOfDraft(Without("handling_code")), "handling_code");
  // H3 needs its restrictions; the others refuse a text.
  EXPECT_EQ(FieldOfDraft(With("handling_code", R"("H3")")), "handling_text");
  {
    boost::json::object o = With("handling_code", R"("H3")");
    o["handling_text"] = "   ";
    EXPECT_EQ(FieldOfDraft(o), "handling_text");
  }
  EXPECT_EQ(FieldOfDraft(With("handling_text", R"("not for H1")")),
            "handling_text");
  EXPECT_EQ(FieldOfDraft(With("source_reliability", R"("D")")),
            "source_reliability");
  EXPECT_EQ(FieldOfDraft(With("information_accuracy", "5")),
            "information_accuracy");
  EXPECT_EQ(FieldOfDraft(With("information_accuracy", "0")),
            "information_accuracy");
  EXPECT_EQ(FieldOfDraft(With("information_accuracy", R"("2")")),
            "information_accuracy");
  EXPECT_EQ(FieldOfDraft(With("recipients", "[]")), "recipients");
  EXPECT_EQ(FieldOfDraft(Without("recipients")), "recipients");
  EXPECT_EQ(FieldOfDraft(With("recipients",
                              R"([{"type": "agency", "code": "france"}])")),
            "recipients[0].code");
  EXPECT_EQ(
      FieldOfDraft(With("recipients", R"([{"type": "person", "code": "X"}])")),
      "recipients[0].type");
  EXPECT_EQ(FieldOfDraft(With("recipients",
                              R"([{"type": "unit", "code": "dpj lower"}])")),
            "recipients[0].code");
  EXPECT_EQ(
      FieldOfDraft(With("recipients", R"([{"type": "agency", "code": "FR-DGPN"},
                                                {"type": "agency", "code": "FR-DGPN"}])")),
      "recipients[1].code");
  EXPECT_EQ(
      FieldOfDraft(With("recipients",
                        R"([{"type": "agency", "code": "FR-DGPN", "x": 1}])")),
      "recipients[0].x");
  EXPECT_EQ(FieldOfDraft(Without("subject")), "subject");
  EXPECT_EQ(FieldOfDraft(With("subject", R"("line\nbreak")")), "subject");
  EXPECT_EQ(FieldOfDraft(Without("text")), "text");
  EXPECT_EQ(FieldOfDraft(With("text", R"("nul\u0000byte")")), "text");
  EXPECT_EQ(FieldOfDraft(With(
                "text", "\"" + std::string(kMaxTextBytes + 1, 'a') + "\"")),
            "text");
  EXPECT_EQ(FieldOfDraft(With("link", R"({"type": "case", "id": "x"})")),
            "link.type");
  EXPECT_EQ(FieldOfDraft(With("link", R"({"type": "event", "id": "x"})")),
            "link.id");
  EXPECT_EQ(FieldOfDraft(
                With("attachments", R"([{"hash": "abc", "name": "a.pdf"}])")),
            "attachments[0].hash");
  EXPECT_EQ(
      FieldOfDraft(With(
          "attachments",
          R"([{"hash": "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8", "name": "../etc/passwd"}])")),
      "attachments[0].name");
  EXPECT_EQ(
      FieldOfDraft(With(
          "attachments",
          R"([{"hash": "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8", "name": "a", "media_type": "text"}])")),
      "attachments[0].media_type");
  EXPECT_EQ(FieldOfDraft(With("surprise", "1")), "surprise");
  // A reply takes its thread's subject and link; a new thread has no parent.
  EXPECT_EQ(FieldOfDraft(
                With("thread_id", R"("0192f1d4-5b6c-7000-8000-0000000000b1")")),
            "subject");
  {
    boost::json::object o = Without("subject");
    o.erase("link");
    o["thread_id"] = "not-a-uuid";
    EXPECT_EQ(FieldOfDraft(o), "thread_id");
  }
  EXPECT_EQ(FieldOfDraft(With("in_reply_to",
                              R"("0192f1d4-5b6c-7000-8000-0000000000b1")")),
            "in_reply_to");
}

TEST(MessageTest, MarkingsStateEachRule) {
  EXPECT_EQ(Marking(HandlingCode::kH0, ""), "H0: police purposes only");
  EXPECT_EQ(Marking(HandlingCode::kH1, ""),
            "H1: not to be used in judicial proceedings without the sender's "
            "permission");
  EXPECT_EQ(Marking(HandlingCode::kH2, ""),
            "H2: not to be passed on without the sender's permission");
  EXPECT_EQ(Marking(HandlingCode::kH3, "liaison officers only"),
            "H3: other restrictions: liaison officers only");
  for (std::string_view name : HandlingCodeNames()) {
    EXPECT_EQ(HandlingCodeName(*HandlingCodeFromName(name)), name);
  }
  EXPECT_EQ(HandlingCodeFromName("H9"), std::nullopt);
  EXPECT_EQ(AccuracyMeaning(1), "known to be true without reservation");
  EXPECT_EQ(AccuracyMeaning(7), "");
}

Message SampleMessage() {
  Message m;
  m.id = "0192f1d4-5b6c-7000-8000-0000000000c1";
  m.thread_id = "0192f1d4-5b6c-7000-8000-0000000000c2";
  m.origin = m.content_origin = "MA-DGSN";
  m.sender = Sender{"MA-DGSN", "officer.one", "Test Officer", "local-user-id"};
  m.text = "Synthetic text\nwith two lines.";
  m.handling = Handling{HandlingCode::kH1, ""};
  m.evaluation = Evaluation{SourceReliability::kA, 3};
  m.ack_requested = true;
  m.recipients = {Recipient{RecipientType::kAgency, "FR-DGPN"},
                  Recipient{RecipientType::kUnit, "DPJ"}};
  m.attachments = {
      AttachmentRef{std::string(64, 'a'), "note.pdf", "application/pdf", 1234}};
  m.sent_at = absl::FromUnixMillis(1767225600123);
  return m;
}

Thread SampleThread() {
  Thread t;
  t.id = "0192f1d4-5b6c-7000-8000-0000000000c2";
  t.subject = "Synthetic subject";
  t.origin = "MA-DGSN";
  t.link = Link{LinkType::kEvent, "0192f1d4-5b6c-7000-8000-0000000000c3"};
  return t;
}

TEST(MessageTest, TheJsonOfAnH1MessageCarriesItsMarking) {
  const boost::json::object o = MessageToJson(SampleMessage());
  EXPECT_EQ(o.at("handling").at("code").as_string(), "H1");
  EXPECT_EQ(o.at("handling").at("marking").as_string(),
            "H1: not to be used in judicial proceedings without the sender's "
            "permission");
  EXPECT_EQ(o.at("evaluation").at("source_reliability").as_string(), "A");
  EXPECT_EQ(o.at("evaluation").at("information_accuracy").as_int64(), 3);
  EXPECT_FALSE(o.contains("user_id"));
  EXPECT_EQ(ToJson(o).find("local-user-id"), std::string::npos);
}

TEST(MessageTest, WhatCrossesReadsBackWithoutUnitsOrLocalUsers) {
  const Message m = SampleMessage();
  const boost::json::object shared = SharedMessageJson(SampleThread(), m);
  const std::string text = ToJson(shared);
  EXPECT_EQ(text.find("DPJ"), std::string::npos)
      << "internal units never cross";
  EXPECT_EQ(text.find("local-user-id"), std::string::npos);
  absl::StatusOr<std::pair<Thread, Message>> back =
      SharedMessageFromJson(*ParseJsonObject(text));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->first.subject, "Synthetic subject");
  EXPECT_EQ(back->first.link, SampleThread().link);
  Message expected = m;
  expected.sender.user_id.clear();
  expected.recipients = {Recipient{RecipientType::kAgency, "FR-DGPN"}};
  EXPECT_EQ(back->second, expected);
}

TEST(MessageTest, WhatCrossesIsCheckedLikeADraft) {
  const auto field = [](auto mutate) {
    boost::json::object shared =
        SharedMessageJson(SampleThread(), SampleMessage());
    mutate(shared);
    absl::StatusOr<std::pair<Thread, Message>> r =
        SharedMessageFromJson(shared);
    EXPECT_FALSE(r.ok());
    return FieldOf(r.status()).value_or("<none>");
  };
  EXPECT_EQ(field([](boost::json::object& o) {
              o["message"].as_object()["handling"].as_object()["code"] = "H3";
            }),
            "message.handling.text");
  EXPECT_EQ(field([](boost::json::object& o) {
              o["message"].as_object()["recipients"] =
                  *ParseJson(R"([{"type": "unit", "code": "DPJ"}])");
            }),
            "message.recipients[0].type");
  EXPECT_EQ(field([](boost::json::object& o) {
              o["message"].as_object()["sender"].as_object()["agency"] =
                  "ES-PN";
            }),
            "message.sender.agency");
  EXPECT_EQ(field([](boost::json::object& o) {
              o["message"].as_object()["thread_id"] =
                  "0192f1d4-5b6c-7000-8000-0000000000ff";
            }),
            "message.thread_id");
  EXPECT_EQ(field([](boost::json::object& o) {
              o["thread"].as_object()["subject"] = "";
            }),
            "thread.subject");
}

TEST(MessageTest, SearchTextFoldsCaseAccentsAndArabicVowels) {
  EXPECT_EQ(SearchText("Réseau à TANGER, l'équipe"),
            "reseau a tanger l equipe");
  EXPECT_EQ(SearchText("كَرِيم"), "كريم");
  EXPECT_EQ(SearchText("  "), "");
  EXPECT_EQ(SearchTerms("Tanger tanger TANGÉR port"),
            (std::vector<std::string>{"tanger", "port"}));
  EXPECT_TRUE(SearchTerms("?!").empty());
  std::string many;
  for (int i = 0; i < 40; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_EQ(SearchTerms(many).size(), 16u);
}

}  // namespace
}  // namespace jisr::exchange
