#include "federation/identity.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::federation {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("jisr-identity-" + ToHex(RandomBytes(6)))) {
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

mode_t Mode(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777;
}

TEST(IdentityTest, CreateThenLoadGivesTheSameKeysWithPrivateFiles) {
  TempDir dir;
  absl::StatusOr<NodeIdentity> made = CreateIdentity(dir.path(), "MA-DGSN", absl::Now());
  ASSERT_TRUE(made.ok()) << made.status();
  absl::StatusOr<NodeIdentity> loaded = LoadIdentity(dir.path());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->signing.public_key, made->signing.public_key);
  EXPECT_EQ(loaded->signing.secret_key, made->signing.secret_key);
  EXPECT_EQ(loaded->tls_fingerprint, made->tls_fingerprint);
  EXPECT_EQ(loaded->tls_fingerprint.rfind("sha256:", 0), 0u);
  EXPECT_EQ(Mode(IdentityDir(dir.path())), 0700u);
  EXPECT_EQ(Mode(IdentityDir(dir.path()) / "signing.key"), 0600u);
  EXPECT_EQ(Mode(IdentityDir(dir.path()) / "tls.key"), 0600u);
  // The key signs what the loaded public key verifies.
  Envelope e;
  e.id = "0192f1d4-5b6c-7000-8000-000000000001";
  e.body = "{}";
  Sign(made->signing, &e);
  EXPECT_TRUE(VerifySignature(e, loaded->signing.public_key));
  EXPECT_EQ(CreateIdentity(dir.path(), "MA-DGSN", absl::Now()).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST(IdentityTest, MissingOrCorruptIdentityIsReported) {
  TempDir dir;
  EXPECT_EQ(LoadIdentity(dir.path()).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(CreateIdentity(dir.path(), "MA-DGSN", absl::Now()).ok());
  {
    std::FILE* f = std::fopen((IdentityDir(dir.path()) / "signing.key").c_str(), "w");
    std::fputs("not base64 at all\n", f);
    std::fclose(f);
  }
  EXPECT_EQ(LoadIdentity(dir.path()).status().code(), absl::StatusCode::kDataLoss);
}

PeerCard SampleCard() {
  PeerCard c;
  c.agency = "FR-DGPN";
  c.country = "FR";
  c.name_en = "French National Police";
  c.name_fr = "Police nationale";
  c.name_ar = "الشرطة الوطنية الفرنسية";
  c.federation_url = "https://127.0.0.1:8444";
  c.tls_fingerprint = "sha256:" + std::string(64, 'a');
  c.signing_key = std::string(32, '\x01');
  return c;
}

TEST(IdentityTest, CardRoundTrip) {
  const PeerCard card = SampleCard();
  absl::StatusOr<PeerCard> back = PeerCardFromJson(ToJson(PeerCardToJson(card)));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, card);
}

TEST(IdentityTest, BadCardsNameTheMember) {
  const auto field_of = [](const std::function<void(boost::json::object&)>& change) {
    boost::json::object o = PeerCardToJson(SampleCard());
    change(o);
    absl::StatusOr<PeerCard> r = PeerCardFromJson(ToJson(o));
    EXPECT_FALSE(r.ok());
    return FieldOf(r.status()).value_or("(none)");
  };
  EXPECT_EQ(field_of([](auto& o) { o["card"] = "other"; }), "card");
  EXPECT_EQ(field_of([](auto& o) { o["agency"] = "fr-dgpn"; }), "agency");
  EXPECT_EQ(field_of([](auto& o) { o["country"] = "ES"; }), "country");
  EXPECT_EQ(field_of([](auto& o) { o["names"].as_object().erase("ar"); }), "names.ar");
  EXPECT_EQ(field_of([](auto& o) { o["federation_url"] = "http://127.0.0.1:8444"; }),
            "federation_url");
  EXPECT_EQ(field_of([](auto& o) { o["federation_url"] = "https://127.0.0.1:0"; }),
            "federation_url");
  EXPECT_EQ(field_of([](auto& o) { o["tls_fingerprint"] = "sha256:ABC"; }), "tls_fingerprint");
  EXPECT_EQ(field_of([](auto& o) { o["signing_key"] = ToBase64("short"); }), "signing_key");
  EXPECT_EQ(field_of([](auto& o) { o["unexpected"] = true; }), "unexpected");
  EXPECT_EQ(FieldOf(PeerCardFromJson("{not json").status()), "card");
}

TEST(IdentityTest, FederationUrls) {
  std::string host;
  uint16_t port = 0;
  ASSERT_TRUE(ParseFederationUrl("https://node.example:9443/", "u", &host, &port).ok());
  EXPECT_EQ(host, "node.example");
  EXPECT_EQ(port, 9443);
  ASSERT_TRUE(ParseFederationUrl("https://[::1]:8443", "u", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  for (const char* bad : {"https://host", "https://:80", "https://h:99999", "ftp://h:1",
                          "https://h:80/path"}) {
    EXPECT_EQ(FieldOf(ParseFederationUrl(bad, "u", &host, &port)), "u") << bad;
  }
}

}  // namespace
}  // namespace jisr::federation
