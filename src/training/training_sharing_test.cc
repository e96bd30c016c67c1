// training/ across nodes in one process: Rabat (MA-DGSN) provides a
// programme to Paris (FR-DGPN); Madrid (ES-PN) is a third agency that must
// never receive what is not shared with it. Envelopes go through the real
// federation::Receiver.
#include "training/training_sharing.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "assistance/assistance_service.h"
#include "assistance/assistance_sharing.h"
#include "common/ids.h"
#include "training/training_report.h"
#include "training/training_repository.h"
#include "training/test_training.h"

namespace jisr::training {
namespace {

using testing::CountAt;
using testing::Deliver;
using testing::Entries;
using testing::Pair;
using testing::Person;
using testing::Send;
using testing::Side;

class TrainingSharingTest : public ::testing::TestWithParam<std::string> {
 protected:
  TrainingSharingTest()
      : ma_(GetParam(), "MA-DGSN", clock_),
        fr_(GetParam(), "FR-DGPN", clock_),
        es_(GetParam(), "ES-PN", clock_) {
    for (Side* a : {&ma_, &fr_, &es_}) {
      for (Side* b : {&ma_, &fr_, &es_}) {
        if (a != b) Pair(*a, *b, clock_);
      }
    }
  }
  void TearDown() override {
    for (Side* side : {&ma_, &fr_, &es_}) {
      absl::StatusOr<audit::VerifyResult> v = side->audit.Verify(side->db());
      ASSERT_TRUE(v.ok()) << v.status();
      EXPECT_TRUE(v->ok()) << side->agency << ": " << v->reason;
    }
  }
  void Settle(int rounds = 3) {
    for (int i = 0; i < rounds; ++i) {
      clock_.Advance(absl::Milliseconds(2));
      for (Side* a : {&ma_, &fr_, &es_}) {
        for (Side* b : {&ma_, &fr_, &es_}) {
          if (a != b) Deliver(*a, *b, clock_);
        }
      }
    }
  }
  // Rabat's programme shared with Paris and one open session of `capacity`.
  void MakeProgramme(int capacity) {
    absl::StatusOr<Programme> p = ma_.service.CreateProgramme(
        sup_,
        testing::ProgrammeInput(R"({"title":"Digital evidence [synthetic]","topic":"cybercrime",
            "languages":["fr","ar"],"share_with":["FR-DGPN"]})"),
        "training");
    ASSERT_TRUE(p.ok()) << p.status();
    programme_ = *p;
    clock_.Advance(absl::Milliseconds(5));
    absl::StatusOr<Session> s = ma_.service.CreateSession(
        sup_, programme_.id,
        testing::SessionInput(fmt::format(
            R"({{"starts_at":"2026-03-02T08:00:00Z","ends_at":"2026-03-06T16:00:00Z",
                "place":"Kenitra [synthetic]","capacity":{},"state":"open"}})",
            capacity)),
        "training");
    ASSERT_TRUE(s.ok()) << s.status();
    session_ = *s;
    Settle();
  }

  FakeClock clock_;
  Side ma_;
  Side fr_;
  Side es_;
  Programme programme_;
  Session session_;
  security::Principal sup_ = testing::Supervisor();
  security::Principal officer_ = testing::Officer();
  security::Principal analyst_ = testing::Analyst();
};

TEST_P(TrainingSharingTest, EnrolmentCapacityAndCompletionCrossBetweenTwoNodes) {
  MakeProgramme(2);
  // Paris holds read-only copies; Madrid holds nothing.
  absl::StatusOr<ProgrammeView> at_fr = fr_.service.GetProgramme(analyst_, programme_.id, "x");
  ASSERT_TRUE(at_fr.ok()) << at_fr.status();
  EXPECT_EQ(at_fr->programme.owner, "MA-DGSN");
  ASSERT_EQ(at_fr->sessions.size(), 1u);
  EXPECT_EQ(at_fr->sessions[0].capacity, 2);
  Programme edit = at_fr->programme;
  EXPECT_EQ(fr_.service.UpdateProgramme(sup_, edit.id, edit, "x").status().code(),
            absl::StatusCode::kFailedPrecondition);
  Session sedit = at_fr->sessions[0];
  EXPECT_EQ(fr_.service.UpdateSession(sup_, sedit.id, sedit, "x").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(es_.service.GetProgramme(analyst_, programme_.id, "x").status().code(),
            absl::StatusCode::kNotFound);

  // Rabat enrols one of its own (confirmed at once); Paris two.
  absl::StatusOr<Enrolment> own = ma_.service.Enrol(officer_, session_.id, Person("Local One"),
                                                    "course");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->status, "confirmed");
  absl::StatusOr<Enrolment> p1 =
      fr_.service.Enrol(officer_, session_.id, Person("Partner One"), "course");
  clock_.Advance(absl::Milliseconds(3));
  absl::StatusOr<Enrolment> p2 =
      fr_.service.Enrol(officer_, session_.id, Person("Partner Two"), "course");
  ASSERT_TRUE(p1.ok() && p2.ok()) << p1.status() << p2.status();
  EXPECT_EQ(p1->status, "pending");
  EXPECT_EQ(p1->provider, "MA-DGSN");
  EXPECT_EQ(Deliver(fr_, ma_, clock_), (std::vector<std::string>{"accepted", "accepted"}));

  // The provider sees who is enrolled per agency and enforced the capacity.
  absl::StatusOr<EnrolmentList> list = ma_.service.ListEnrolments(officer_, session_.id, "course");
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->enrolments.size(), 3u);
  EXPECT_EQ(list->by_agency["MA-DGSN"].confirmed, 1);
  EXPECT_EQ(list->by_agency["FR-DGPN"].confirmed, 1);
  EXPECT_EQ(list->by_agency["FR-DGPN"].refused, 1);
  absl::StatusOr<Enrolment> at_ma1 = ma_.service.GetEnrolment(officer_, p1->id, "course");
  ASSERT_TRUE(at_ma1.ok());
  EXPECT_EQ(at_ma1->participant.name, "Partner One");
  EXPECT_EQ(at_ma1->status, "confirmed");
  // Reading participants needs a purpose.
  EXPECT_EQ(ma_.service.ListEnrolments(officer_, session_.id, "").status().code(),
            absl::StatusCode::kInvalidArgument);

  // The decisions cross back.
  EXPECT_EQ(Deliver(ma_, fr_, clock_), (std::vector<std::string>{"accepted", "accepted"}));
  absl::StatusOr<Enrolment> fr1 = fr_.service.GetEnrolment(officer_, p1->id, "course");
  absl::StatusOr<Enrolment> fr2 = fr_.service.GetEnrolment(officer_, p2->id, "course");
  ASSERT_TRUE(fr1.ok() && fr2.ok());
  EXPECT_EQ(fr1->status, "confirmed");
  EXPECT_EQ(fr2->status, "refused");
  EXPECT_EQ(fr2->status_reason, "session_full");
  // Paris holds only its own participants.
  absl::StatusOr<EnrolmentList> fr_list = fr_.service.ListEnrolments(officer_, session_.id, "c");
  ASSERT_TRUE(fr_list.ok());
  EXPECT_EQ(fr_list->enrolments.size(), 2u);
  EXPECT_EQ(fr_list->by_agency.count("MA-DGSN"), 0u);

  // Only the provider records attendance; completion crosses back.
  Outcome done{true, "completed", "CERT-2026-001"};
  EXPECT_EQ(fr_.service.RecordOutcome(sup_, p1->id, done, "x").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ma_.service.RecordOutcome(sup_, p2->id, done, "x").status().code(),
            absl::StatusCode::kFailedPrecondition);  // refused: not a participant
  EXPECT_EQ(ma_.service.RecordOutcome(officer_, p1->id, done, "x").status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<Enrolment> recorded = ma_.service.RecordOutcome(sup_, p1->id, done, "x");
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ASSERT_TRUE(ma_.service.RecordOutcome(sup_, own->id, Outcome{true, "not_completed", ""}, "x")
                  .ok());
  EXPECT_EQ(Deliver(ma_, fr_, clock_), std::vector<std::string>{"accepted"});
  fr1 = fr_.service.GetEnrolment(officer_, p1->id, "course");
  EXPECT_EQ(fr1->attended, std::optional<bool>(true));
  EXPECT_EQ(fr1->completion, "completed");
  EXPECT_EQ(fr1->certificate_number, "CERT-2026-001");
  EXPECT_EQ(Entries(fr_, "training.record.apply").size(), 3u);

  // Paris withdraws its refused participant; the provider sees it.
  ASSERT_TRUE(fr_.service.Withdraw(officer_, p2->id, "course").ok());
  EXPECT_EQ(ma_.service.Withdraw(officer_, p1->id, "x").status().code(),
            absl::StatusCode::kFailedPrecondition);  // Paris's participant
  Settle();
  EXPECT_EQ(ma_.service.GetEnrolment(officer_, p2->id, "c")->status, "withdrawn");
  EXPECT_EQ(fr_.service.GetEnrolment(officer_, p2->id, "c")->status, "withdrawn");

  // Figures for the cooperation report, from both sides.
  const int64_t from = absl::ToUnixMillis(absl::FromCivil(absl::CivilDay(2026, 1, 1),
                                                          absl::UTCTimeZone()));
  const int64_t to = absl::ToUnixMillis(absl::FromCivil(absl::CivilDay(2027, 1, 1),
                                                        absl::UTCTimeZone()));
  for (Side* side : {&ma_, &fr_}) {
    auto tx = *side->db().Begin(db::TxMode::kRead);
    absl::StatusOr<std::vector<PartnerTrainingFigures>> f =
        TrainingFiguresByPartner(*tx, side->agency, from, to);
    ASSERT_TRUE(f.ok()) << f.status();
    ASSERT_EQ(f->size(), 1u) << side->agency;
    EXPECT_EQ((*f)[0].agency, side == &ma_ ? "FR-DGPN" : "MA-DGSN");
    EXPECT_EQ((*f)[0].sessions_provided, side == &ma_ ? 1 : 0);
    EXPECT_EQ((*f)[0].sessions_attended, side == &ma_ ? 0 : 1);
    EXPECT_EQ((*f)[0].participants_trained, 1);
  }

  // Madrid received nothing of it, and nothing of Paris's participants.
  EXPECT_EQ(CountAt(es_, "SELECT COUNT(*) FROM training_enrolments"), 0);
  EXPECT_EQ(CountAt(es_, "SELECT COUNT(*) FROM training_sessions"), 0);
  EXPECT_EQ(CountAt(ma_, "SELECT COUNT(*) FROM outbox WHERE recipient = 'ES-PN'"), 0);
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM outbox WHERE recipient = 'ES-PN'"), 0);
}

TEST_P(TrainingSharingTest, AThirdAgencyIsRefusedAndCopiesAreNeverPassedOn) {
  MakeProgramme(5);
  // Paris never publishes Rabat's programme or session (a copy).
  {
    auto tx = *fr_.db().Begin(db::TxMode::kWrite);
    absl::StatusOr<std::optional<Programme>> copy = FindProgramme(*tx, programme_.id);
    ASSERT_TRUE(copy.ok() && copy->has_value());
    EXPECT_EQ(PublishProgramme(*tx, **copy, "FR-DGPN", {}, clock_.Now()).code(),
              absl::StatusCode::kFailedPrecondition);
  }
  // Madrid is not offered the session: its enrolment is rejected by Rabat.
  Enrolment forged;
  forged.id = NewUuidV7(clock_.Now());
  forged.session_id = session_.id;
  forged.programme_id = programme_.id;
  forged.provider = "MA-DGSN";
  forged.agency = "ES-PN";
  forged.session_starts_at = session_.starts_at;
  forged.participant = Person("Third One");
  forged.version = 1;
  federation::Envelope e;
  e.id = NewUuidV7(clock_.Now());
  e.kind = std::string(kEnrolmentKind);
  e.record_id = EnrolmentRecord(forged.id);
  e.version = 1;
  e.body = ToJson(EnrolmentRequestToJson(forged));
  auto res = Send(es_, ma_, {e}, clock_);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0].first, "rejected");
  EXPECT_NE(res[0].second.find("not offered to ES-PN"), std::string::npos) << res[0].second;
  // Madrid may not speak for Paris either.
  forged.agency = "FR-DGPN";
  e.id = NewUuidV7(clock_.Now());
  e.body = ToJson(EnrolmentRequestToJson(forged));
  res = Send(es_, ma_, {e}, clock_);
  EXPECT_EQ(res[0].first, "rejected");
  // Nor may Paris send a programme version of Rabat's to Madrid.
  Programme p = programme_;
  p.share_with = {"ES-PN"};
  federation::Envelope pe;
  pe.id = NewUuidV7(clock_.Now());
  pe.kind = std::string(kProgrammeKind);
  pe.record_id = ProgrammeRecord(p.id);
  pe.version = 9;
  pe.body = ToJson(ProgrammeToJson(p));
  res = Send(fr_, es_, {pe}, clock_);
  EXPECT_EQ(res[0].first, "rejected");
  EXPECT_NE(res[0].second.find("owned by MA-DGSN"), std::string::npos) << res[0].second;
  EXPECT_EQ(CountAt(ma_, "SELECT COUNT(*) FROM training_enrolments"), 0);
  EXPECT_EQ(CountAt(es_, "SELECT COUNT(*) FROM training_programmes"), 0);
  EXPECT_EQ(Entries(ma_, "federation.reject", audit::AuditOutcome::kDenied).size(), 2u);

  // Adding Madrid later sends it the programme and its sessions; removing
  // Paris purges Paris's copies.
  Programme edit = programme_;
  edit.share_with = {"ES-PN"};
  ASSERT_TRUE(ma_.service.UpdateProgramme(sup_, edit.id, edit, "x").ok());
  Settle();
  absl::StatusOr<ProgrammeView> at_es = es_.service.GetProgramme(analyst_, programme_.id, "x");
  ASSERT_TRUE(at_es.ok()) << at_es.status();
  EXPECT_EQ(at_es->sessions.size(), 1u);
  EXPECT_EQ(fr_.service.GetProgramme(analyst_, programme_.id, "x").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CountAt(fr_, "SELECT COUNT(*) FROM training_sessions"), 0);
  EXPECT_EQ(Entries(fr_, "training-programme.purge").size(), 1u);
}

TEST_P(TrainingSharingTest, TheCatalogueIsSharedReadOnlyWithProvenance) {
  absl::StatusOr<CatalogueItem> item = ma_.service.CreateCatalogueItem(
      sup_,
      testing::CatalogueInput(R"({"domain":"dog_units","title":"Explosives detection dogs",
          "contact_unit":"K9 unit [synthetic]","languages":["fr"],"share_with":["FR-DGPN"]})"),
      "catalogue");
  ASSERT_TRUE(item.ok()) << item.status();
  Settle();
  absl::StatusOr<Page<CatalogueView>> at_fr =
      fr_.service.ListCatalogue(analyst_, "dog_units", "", 1, 50, "x");
  ASSERT_TRUE(at_fr.ok()) << at_fr.status();
  ASSERT_EQ(at_fr->items.size(), 1u);
  EXPECT_EQ(at_fr->items[0].item.owner, "MA-DGSN");
  ASSERT_TRUE(at_fr->items[0].provenance.has_value());
  EXPECT_EQ(at_fr->items[0].provenance->sender, "MA-DGSN");
  EXPECT_EQ(fr_.service.ListCatalogue(analyst_, "dna", "", 1, 50, "x")->items.size(), 0u);
  EXPECT_EQ(es_.service.ListCatalogue(analyst_, "", "", 1, 50, "x")->total, 0);
  CatalogueItem edit = at_fr->items[0].item;
  EXPECT_EQ(fr_.service.UpdateCatalogueItem(sup_, edit.id, edit, "x").status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The owner's own item has no provenance; unsharing purges the copy.
  EXPECT_FALSE(ma_.service.GetCatalogueItem(analyst_, item->id, "x")->provenance.has_value());
  edit = *item;
  edit.share_with = {};
  edit.active = false;
  ASSERT_TRUE(ma_.service.UpdateCatalogueItem(sup_, edit.id, edit, "x").ok());
  Settle();
  EXPECT_EQ(fr_.service.GetCatalogueItem(analyst_, item->id, "x").status().code(),
            absl::StatusCode::kNotFound);
}

// A session that arrives before its programme is deferred, not rejected,
// and applied once the programme is there.
TEST_P(TrainingSharingTest, ASessionBeforeItsProgrammeIsDeferred) {
  absl::StatusOr<Programme> p = ma_.service.CreateProgramme(
      sup_, testing::ProgrammeInput(R"({"title":"Border checks","topic":"border_security",
          "languages":["es"],"share_with":["FR-DGPN"]})"),
      "x");
  ASSERT_TRUE(p.ok());
  clock_.Advance(absl::Milliseconds(5));
  ASSERT_TRUE(ma_.service
                  .CreateSession(sup_, p->id,
                                 testing::SessionInput(R"({"starts_at":"2026-04-01T08:00:00Z",
                                     "ends_at":"2026-04-01T16:00:00Z","place":"Tanger",
                                     "capacity":10})"),
                                 "x")
                  .ok());
  std::vector<federation::PendingEnvelope> batch = testing::Claim(ma_, "FR-DGPN", clock_);
  ASSERT_EQ(batch.size(), 2u);
  ASSERT_EQ(batch[1].envelope.kind, kSessionKind);
  auto [http1, first] = federation::testing::Post(ma_, fr_, {batch[1].envelope}, clock_);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].first, "deferred") << first[0].second;
  auto [http2, rest] =
      federation::testing::Post(ma_, fr_, {batch[0].envelope, batch[1].envelope}, clock_);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].first, "accepted");
  EXPECT_EQ(rest[1].first, "accepted") << rest[1].second;
  EXPECT_EQ(fr_.service.GetProgramme(analyst_, p->id, "x")->sessions.size(), 1u);
  EXPECT_TRUE(Entries(fr_, "federation.reject").empty());
}

// A partner's catalogue item, shared with Paris, is what Paris's request
// for technical assistance to Rabat points to; the request crosses with it.
TEST_P(TrainingSharingTest, AnAssistanceRequestPointsToThePartnersCatalogueItem) {
  assistance::AssistanceService fr_assistance(fr_.db(), fr_.audit, clock_,
                                              assistance::AssistanceOptions{"FR-DGPN"});
  assistance::AssistanceService ma_assistance(ma_.db(), ma_.audit, clock_,
                                              assistance::AssistanceOptions{"MA-DGSN"});
  ASSERT_TRUE(
      assistance::RegisterAssistanceHandlers(ma_.receiver, "MA-DGSN", ma_.audit, clock_).ok());
  absl::StatusOr<CatalogueItem> item = ma_.service.CreateCatalogueItem(
      sup_,
      testing::CatalogueInput(R"({"domain":"ballistics","title":"Cartridge comparison",
          "contact_unit":"Forensic lab [synthetic]","languages":["fr","ar"],
          "share_with":["FR-DGPN","ES-PN"]})"),
      "catalogue");
  absl::StatusOr<CatalogueItem> own = fr_.service.CreateCatalogueItem(
      sup_,
      testing::CatalogueInput(R"({"domain":"dna","title":"DNA profiles",
          "contact_unit":"Lab","languages":["fr"]})"),
      "catalogue");
  ASSERT_TRUE(item.ok() && own.ok());
  Settle();

  assistance::RequestContent c;
  c.requested_agency = "MA-DGSN";
  c.type = assistance::RequestType::kTechnicalAssistance;
  c.subject = "Cartridge comparison [synthetic]";
  c.description = "Compare two cartridges.";
  c.grounds = "Joint investigation.";
  c.catalogue_item_id = item->id;
  const auto field_of = [&](const assistance::RequestContent& content) {
    return FieldOf(fr_assistance.Create(officer_, content, "case").status()).value_or("<ok>");
  };
  assistance::RequestContent wrong = c;
  wrong.type = assistance::RequestType::kInformation;
  EXPECT_EQ(field_of(wrong), "catalogue_item_id");  // technical assistance only
  wrong = c;
  wrong.catalogue_item_id = own->id;  // Paris's own item, not Rabat's
  EXPECT_EQ(field_of(wrong), "catalogue_item_id");
  wrong.catalogue_item_id = "0192f1d4-5b6c-7000-8000-0000000000ff";  // unknown
  EXPECT_EQ(field_of(wrong), "catalogue_item_id");
  wrong.catalogue_item_id = "not-a-uuid";
  EXPECT_EQ(field_of(wrong), "catalogue_item_id");

  absl::StatusOr<assistance::AssistanceRequest> r = fr_assistance.Create(officer_, c, "case");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->content.catalogue_item_id, item->id);
  Deliver(fr_, ma_, clock_);
  absl::StatusOr<assistance::AssistanceRequest> at_ma = ma_assistance.Get(officer_, r->id, "case");
  ASSERT_TRUE(at_ma.ok()) << at_ma.status();
  EXPECT_EQ(at_ma->content.catalogue_item_id, item->id);
  // Madrid holds the item too, but nothing of the request.
  EXPECT_EQ(CountAt(es_, "SELECT COUNT(*) FROM training_catalogue"), 1);
  EXPECT_EQ(CountAt(es_, "SELECT COUNT(*) FROM assistance_requests"), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, TrainingSharingTest,
                         ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::training
