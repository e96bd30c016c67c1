#include "federation/identity.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/json.h"
#include "common/status.h"
#include "fmt/format.h"

namespace jisr::federation {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kCardTag = "jisr.peer.v1";

absl::Status WriteNewFile(const fs::path& path, std::string_view content, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError(fmt::format("{} already exists", path.string()));
    return absl::UnavailableError(
        fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
  }
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return absl::UnavailableError(
          fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return absl::UnavailableError(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("{} not found", path.string()));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

fs::path IdentityDir(const fs::path& data_dir) { return data_dir / "federation"; }

absl::StatusOr<NodeIdentity> CreateIdentity(const fs::path& data_dir, std::string_view agency_code,
                                            absl::Time now) {
  const fs::path dir = IdentityDir(data_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return absl::UnavailableError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  }
  fs::permissions(dir, fs::perms::owner_all, ec);
  if (fs::exists(dir / "signing.key")) {
    return absl::AlreadyExistsError(
        fmt::format("{} already holds a federation identity", dir.string()));
  }
  NodeIdentity id;
  id.signing = GenerateSigningKey();
  // Ten years: partners pin the certificate itself, so it is replaced by
  // re-pairing, not by expiry (docs/federation.md).
  JISR_ASSIGN_OR_RETURN(id.tls, CreateSelfSignedIdentity(agency_code, now - absl::Hours(1),
                                                         absl::Hours(24 * 3653)));
  JISR_ASSIGN_OR_RETURN(id.tls_fingerprint, CertificateFingerprint(id.tls.certificate_pem));
  JISR_RETURN_IF_ERROR(WriteNewFile(dir / "tls.key", id.tls.private_key_pem, 0600));
  JISR_RETURN_IF_ERROR(WriteNewFile(dir / "tls.crt", id.tls.certificate_pem, 0644));
  // signing.key last: its presence marks a complete identity.
  JISR_RETURN_IF_ERROR(WriteNewFile(dir / "signing.key", ToBase64(id.signing.secret_key) + "\n", 0600));
  return id;
}

absl::StatusOr<NodeIdentity> LoadIdentity(const fs::path& data_dir) {
  const fs::path dir = IdentityDir(data_dir);
  NodeIdentity id;
  absl::StatusOr<std::string> secret = ReadFile(dir / "signing.key");
  if (!secret.ok()) {
    return absl::NotFoundError(fmt::format(
        "{} has no federation identity (signing.key missing); `jisr peer init-identity` creates one",
        dir.string()));
  }
  std::string text = *secret;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  absl::StatusOr<std::string> raw = FromBase64(text, "signing.key");
  if (!raw.ok() || raw->size() != kSecretKeyBytes) {
    return absl::DataLossError(fmt::format("{} is corrupt", (dir / "signing.key").string()));
  }
  id.signing.secret_key = *raw;
  // libsodium's Ed25519 secret key ends with the public key.
  id.signing.public_key = raw->substr(32);
  JISR_ASSIGN_OR_RETURN(id.tls.certificate_pem, ReadFile(dir / "tls.crt"));
  JISR_ASSIGN_OR_RETURN(id.tls.private_key_pem, ReadFile(dir / "tls.key"));
  if (absl::Status s = CheckIdentity(id.tls); !s.ok()) {
    return absl::DataLossError(
        fmt::format("{}: {}", dir.string(), std::string(s.message())));
  }
  JISR_ASSIGN_OR_RETURN(id.tls_fingerprint, CertificateFingerprint(id.tls.certificate_pem));
  return id;
}

boost::json::object PeerCardToJson(const PeerCard& card) {
  boost::json::object o;
  o["card"] = kCardTag;
  o["agency"] = card.agency;
  o["country"] = card.country;
  o["names"] = boost::json::object{{"en", card.name_en}, {"fr", card.name_fr}, {"ar", card.name_ar}};
  o["federation_url"] = card.federation_url;
  o["tls_fingerprint"] = card.tls_fingerprint;
  o["signing_key"] = ToBase64(card.signing_key);
  return o;
}

absl::Status CheckAgencyCode(std::string_view code, std::string_view field) {
  bool ok = code.size() >= 5 && code.size() <= 19 && code[2] == '-';
  for (size_t i = 0; ok && i < code.size(); ++i) {
    const char c = code[i];
    if (i == 2) continue;
    ok = (c >= 'A' && c <= 'Z') || (i > 2 && c >= '0' && c <= '9');
  }
  if (!ok) {
    return InvalidField(field, fmt::format("{} must be an agency code such as FR-DGPN", field));
  }
  return absl::OkStatus();
}

absl::Status ParseFederationUrl(std::string_view url, std::string_view field, std::string* host,
                                uint16_t* port) {
  const auto bad = [&] {
    return InvalidField(field, fmt::format("{} must be https://HOST:PORT", field));
  };
  constexpr std::string_view kScheme = "https://";
  if (url.substr(0, kScheme.size()) != kScheme) return bad();
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || rest.find('/') != std::string_view::npos) {
    return bad();
  }
  std::string_view h = rest.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  unsigned value = 0;
  const std::string_view p = rest.substr(colon + 1);
  const auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || ptr != p.data() + p.size() || value == 0 || value > 65535 ||
      h.empty()) {
    return bad();
  }
  *host = std::string(h);
  *port = static_cast<uint16_t>(value);
  return absl::OkStatus();
}

absl::StatusOr<PeerCard> PeerCardFromJson(std::string_view text) {
  absl::StatusOr<boost::json::object> parsed = ParseJsonObject(text);
  if (!parsed.ok()) {
    return InvalidField("card", fmt::format("the card is not a JSON object: {}",
                                            std::string(parsed.status().message())));
  }
  JsonObjectReader r(*parsed);
  PeerCard card;
  JISR_ASSIGN_OR_RETURN(const std::string tag, r.RequiredString("card", 32));
  if (tag != kCardTag) {
    return InvalidField("card", fmt::format("card must be \"{}\" (got \"{}\")", kCardTag, tag));
  }
  JISR_ASSIGN_OR_RETURN(card.agency, r.RequiredString("agency", 32));
  JISR_RETURN_IF_ERROR(CheckAgencyCode(card.agency, "agency"));
  JISR_ASSIGN_OR_RETURN(card.country, r.RequiredString("country", 2));
  if (card.country != card.agency.substr(0, 2)) {
    return InvalidField("country", "country must be the agency code's prefix");
  }
  const boost::json::value* names = parsed->if_contains("names");
  if (names == nullptr || !names->is_object()) {
    return InvalidField("names", "names must be an object {en, fr, ar}");
  }
  JsonObjectReader nr(names->get_object(), "names.");
  JISR_ASSIGN_OR_RETURN(card.name_en, nr.RequiredString("en", 200));
  JISR_ASSIGN_OR_RETURN(card.name_fr, nr.RequiredString("fr", 200));
  JISR_ASSIGN_OR_RETURN(card.name_ar, nr.RequiredString("ar", 200));
  JISR_RETURN_IF_ERROR(nr.RejectUnknown());
  r.MarkRead("names");
  JISR_ASSIGN_OR_RETURN(card.federation_url, r.RequiredString("federation_url", 300));
  std::string host;
  uint16_t port = 0;
  JISR_RETURN_IF_ERROR(ParseFederationUrl(card.federation_url, "federation_url", &host, &port));
  JISR_ASSIGN_OR_RETURN(card.tls_fingerprint, r.RequiredString("tls_fingerprint", 80));
  bool fp_ok = card.tls_fingerprint.size() == 71 && card.tls_fingerprint.rfind("sha256:", 0) == 0;
  for (size_t i = 7; fp_ok && i < card.tls_fingerprint.size(); ++i) {
    const char c = card.tls_fingerprint[i];
    fp_ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
  if (!fp_ok) {
    return InvalidField("tls_fingerprint", "tls_fingerprint must be sha256: and 64 lowercase hex digits");
  }
  JISR_ASSIGN_OR_RETURN(const std::string key, r.RequiredString("signing_key", 100));
  JISR_ASSIGN_OR_RETURN(card.signing_key, FromBase64(key, "signing_key"));
  if (card.signing_key.size() != kPublicKeyBytes) {
    return InvalidField("signing_key", "signing_key must be 32 bytes of Base64 (an Ed25519 key)");
  }
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return card;
}

}  // namespace jisr::federation
