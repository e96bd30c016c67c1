#include "federation/envelope.h"

#include <gtest/gtest.h>

#include "common/status.h"

namespace jisr::federation {
namespace {

Envelope Sample() {
  Envelope e;
  e.id = "0192f1d4-5b6c-7000-8000-000000000001";
  e.from = "MA-DGSN";
  e.to = "FR-DGPN";
  e.kind = "alert.upsert";
  e.record_id = "alert:0192f1d4-5b6c-7000-8000-0000000000aa";
  e.version = 3;
  e.sent_at = absl::FromUnixMillis(1767225600123);
  e.body = R"({"id":"x","names":["Nadia Exemplia"]})";
  return e;
}

TEST(EnvelopeTest, SignedEnvelopeVerifiesWithTheSignersKeyOnly) {
  const SigningKey key = GenerateSigningKey();
  const SigningKey other = GenerateSigningKey();
  Envelope e = Sample();
  Sign(key, &e);
  EXPECT_EQ(e.signature.size(), kSignatureBytes);
  EXPECT_TRUE(VerifySignature(e, key.public_key));
  EXPECT_FALSE(VerifySignature(e, other.public_key));
  EXPECT_FALSE(VerifySignature(e, "short"));
}

TEST(EnvelopeTest, AnyChangedFieldBreaksTheSignature) {
  const SigningKey key = GenerateSigningKey();
  Envelope signed_e = Sample();
  Sign(key, &signed_e);
  const std::vector<std::function<void(Envelope&)>> changes = {
      [](Envelope& e) { e.id[35] = '2'; },
      [](Envelope& e) { e.from = "ES-PN"; },
      [](Envelope& e) { e.to = "ES-PN"; },
      [](Envelope& e) { e.kind = "alert.purge"; },
      [](Envelope& e) { e.record_id += "b"; },
      [](Envelope& e) { e.version = 4; },
      [](Envelope& e) { e.sent_at += absl::Milliseconds(1); },
      [](Envelope& e) { e.body[10] = 'y'; },
      [](Envelope& e) { e.signature[0] ^= 1; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    Envelope e = signed_e;
    changes[i](e);
    EXPECT_FALSE(VerifySignature(e, key.public_key)) << "change " << i;
  }
}

TEST(EnvelopeTest, CanonicalBytesSeparateFieldsUnambiguously) {
  Envelope a = Sample();
  Envelope b = Sample();
  a.from = "MA-DGSNX";
  a.to = "FR-DGPN";
  b.from = "MA-DGSN";
  b.to = "XFR-DGPN";
  EXPECT_NE(CanonicalBytes(a), CanonicalBytes(b));
  EXPECT_EQ(CanonicalBytes(Sample()), CanonicalBytes(Sample()));
  EXPECT_EQ(CanonicalBytes(Sample()).rfind("jisr.envelope.v1", 0), 0u);
}

TEST(EnvelopeTest, JsonRoundTripKeepsTheBodyByteForByte) {
  const SigningKey key = GenerateSigningKey();
  Envelope e = Sample();
  e.body = "  {\"a\": 1}\n";  // spaces and newline kept
  Sign(key, &e);
  absl::StatusOr<Envelope> back = EnvelopeFromJson(EnvelopeToJson(e), "");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, e);
  EXPECT_TRUE(VerifySignature(*back, key.public_key));
}

TEST(EnvelopeTest, MalformedEnvelopesNameTheMember) {
  const SigningKey key = GenerateSigningKey();
  Envelope e = Sample();
  Sign(key, &e);
  const auto field_of = [&](const std::function<void(boost::json::object&)>& change) {
    boost::json::object o = EnvelopeToJson(e);
    change(o);
    absl::StatusOr<Envelope> r = EnvelopeFromJson(o, "envelopes[2].");
    EXPECT_FALSE(r.ok());
    return FieldOf(r.status()).value_or("(none)");
  };
  EXPECT_EQ(field_of([](auto& o) { o["id"] = "not-a-uuid"; }), "envelopes[2].id");
  EXPECT_EQ(field_of([](auto& o) { o.erase("from"); }), "envelopes[2].from");
  EXPECT_EQ(field_of([](auto& o) { o["version"] = 0; }), "envelopes[2].version");
  EXPECT_EQ(field_of([](auto& o) { o["version"] = "3"; }), "envelopes[2].version");
  EXPECT_EQ(field_of([](auto& o) { o["body"] = 5; }), "envelopes[2].body");
  EXPECT_EQ(field_of([](auto& o) { o["signature"] = "@@@"; }), "envelopes[2].signature");
  EXPECT_EQ(field_of([](auto& o) { o["signature"] = ToBase64("short"); }),
            "envelopes[2].signature");
  EXPECT_EQ(field_of([](auto& o) { o["extra"] = 1; }), "envelopes[2].extra");
}

TEST(EnvelopeTest, Base64AndBodyHash) {
  EXPECT_EQ(ToBase64("jisr"), "amlzcg==");
  EXPECT_EQ(*FromBase64("amlzcg==", "x"), "jisr");
  EXPECT_FALSE(FromBase64("amlzcg=", "x").ok());
  EXPECT_EQ(FieldOf(FromBase64("**", "signing_key").status()), "signing_key");
  EXPECT_EQ(BodyHash("a").size(), 64u);
  EXPECT_NE(BodyHash("a"), BodyHash("b"));
}

}  // namespace
}  // namespace jisr::federation
