// The records of training/: parsing, validation (errors name the member)
// and the JSON round trip of what crosses.
#include "training/training.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "common/status.h"

namespace jisr::training {
namespace {

absl::Status ProgrammeError(std::string_view json) {
  return ProgrammeFromJson(*ParseJsonObject(json), JsonForm::kCreate).status();
}
absl::Status SessionError(std::string_view json) {
  return SessionFromJson(*ParseJsonObject(json), JsonForm::kCreate).status();
}
absl::Status CatalogueError(std::string_view json) {
  return CatalogueItemFromJson(*ParseJsonObject(json), JsonForm::kCreate).status();
}
std::string Field(const absl::Status& s) { return FieldOf(s).value_or("<none>"); }

TEST(TrainingTest, ProgrammesNameTheMemberAtFault) {
  EXPECT_TRUE(ProgrammeError(R"({"title":"T","topic":"forensics","languages":["ar"]})").ok());
  EXPECT_EQ(Field(ProgrammeError(R"({"topic":"forensics","languages":["ar"]})")), "title");
  EXPECT_EQ(Field(ProgrammeError(R"({"title":"T","topic":"cooking","languages":["ar"]})")),
            "topic");
  EXPECT_EQ(Field(ProgrammeError(R"({"title":"T","topic":"other","languages":["ar","de"]})")),
            "languages[1]");
  EXPECT_EQ(Field(ProgrammeError(R"({"title":"T","topic":"other","languages":[]})")),
            "languages");
  EXPECT_EQ(Field(ProgrammeError(
                R"({"title":"T","topic":"other","languages":["en"],"share_with":["fr"]})")),
            "share_with[0]");
  EXPECT_EQ(Field(ProgrammeError(R"({"title":"T","topic":"other","languages":["en"],"x":1})")),
            "x");
  // An update needs the version.
  EXPECT_EQ(Field(ProgrammeFromJson(*ParseJsonObject(
                                        R"({"title":"T","topic":"other","languages":["en"]})"),
                                    JsonForm::kUpdate)
                      .status()),
            "version");
}

TEST(TrainingTest, SessionsNeedACapacityAndOrderedDates) {
  constexpr std::string_view kOk =
      R"({"starts_at":"2026-03-02T08:00:00Z","ends_at":"2026-03-06T16:00:00Z",
          "place":"Rabat","capacity":20})";
  absl::StatusOr<Session> s = SessionFromJson(*ParseJsonObject(kOk), JsonForm::kCreate);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, "planned");
  EXPECT_EQ(Field(SessionError(R"({"starts_at":"2026-03-02T08:00:00Z",
      "ends_at":"2026-03-06T16:00:00Z","place":"R","capacity":0})")),
            "capacity");
  EXPECT_EQ(Field(SessionError(R"({"starts_at":"2026-03-02T08:00:00Z",
      "ends_at":"2026-03-01T16:00:00Z","place":"R","capacity":3})")),
            "ends_at");
  EXPECT_EQ(Field(SessionError(R"({"starts_at":"tomorrow",
      "ends_at":"2026-03-01T16:00:00Z","place":"R","capacity":3})")),
            "starts_at");
  EXPECT_EQ(Field(SessionError(R"({"starts_at":"2026-03-02T08:00:00Z",
      "ends_at":"2026-03-06T16:00:00Z","place":"R","capacity":3,"state":"done"})")),
            "state");
}

TEST(TrainingTest, CatalogueParticipantsAndOutcomes) {
  EXPECT_EQ(Field(CatalogueError(R"({"domain":"alchemy","title":"T","contact_unit":"U",
      "languages":["fr"]})")),
            "domain");
  EXPECT_EQ(Field(CatalogueError(R"({"domain":"dna","title":"T","languages":["fr"]})")),
            "contact_unit");
  EXPECT_EQ(Field(ParticipantFromJson(*ParseJsonObject(R"({"name":"A","email":"nope"})"))
                      .status()),
            "email");
  EXPECT_EQ(Field(ParticipantFromJson(*ParseJsonObject(R"({"rank":"x"})")).status()), "name");
  EXPECT_EQ(Field(OutcomeFromJson(*ParseJsonObject(R"({"completion":"completed"})")).status()),
            "completion");
  EXPECT_EQ(Field(OutcomeFromJson(*ParseJsonObject(
                                      R"({"attended":true,"certificate_number":"C-1"})"))
                      .status()),
            "certificate_number");
  EXPECT_TRUE(OutcomeFromJson(*ParseJsonObject(
                                  R"({"attended":true,"completion":"completed",
                                      "certificate_number":"C-1"})"))
                  .ok());
}

TEST(TrainingTest, WhatCrossesRoundTrips) {
  Enrolment e;
  e.id = "0192f1d4-5b6c-7000-8000-000000000101";
  e.session_id = "0192f1d4-5b6c-7000-8000-000000000102";
  e.programme_id = "0192f1d4-5b6c-7000-8000-000000000103";
  e.provider = "MA-DGSN";
  e.agency = "FR-DGPN";
  e.session_starts_at = absl::FromUnixMillis(1772438400000);
  e.participant = {"Partner One", "Lieutenant", "OFAC", "p1@example.test"};
  e.status = "confirmed";
  e.attended = true;
  e.completion = "completed";
  e.certificate_number = "C-7";
  absl::StatusOr<Enrolment> req = EnrolmentRequestFromJson(EnrolmentRequestToJson(e));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->participant, e.participant);
  EXPECT_EQ(req->session_starts_at, e.session_starts_at);
  absl::StatusOr<Enrolment> rec = EnrolmentRecordFromJson(EnrolmentRecordToJson(e));
  ASSERT_TRUE(rec.ok()) << rec.status();
  EXPECT_EQ(rec->completion, "completed");
  EXPECT_EQ(rec->certificate_number, "C-7");
  // The record carries no personal data.
  EXPECT_FALSE(EnrolmentRecordToJson(e).contains("participant"));
  // A crossing enrolment is never the provider's own.
  e.agency = "MA-DGSN";
  EXPECT_EQ(Field(EnrolmentRequestFromJson(EnrolmentRequestToJson(e)).status()), "agency");
}

}  // namespace
}  // namespace jisr::training
