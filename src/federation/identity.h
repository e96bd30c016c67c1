// A node's federation identity and its partners' cards.
//
// Identity: an Ed25519 signing key (envelopes) and a TLS certificate with its
// key (the federation listener and the sender's client certificate), kept in
// DATA/federation/ (signing.key, tls.key mode 0600; tls.crt). `jisr init`
// creates them.
//
// Card: what a partner needs to pair with this node, as JSON
//   {"card": "jisr.peer.v1", "agency": "MA-DGSN", "country": "MA",
//    "names": {"en", "fr", "ar"}, "federation_url": "https://HOST:PORT",
//    "tls_fingerprint": "sha256:<64 hex>", "signing_key": "<Base64 32 bytes>"}
// printed by `jisr peer card` and read by `jisr peer add`.
//
// Thread-safety: values and free functions.
#ifndef JISR_FEDERATION_IDENTITY_H_
#define JISR_FEDERATION_IDENTITY_H_

#include <boost/json/object.hpp>
#include <filesystem>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "federation/envelope.h"
#include "federation/transport.h"

namespace jisr::federation {

struct NodeIdentity {
  SigningKey signing;
  TlsIdentity tls;
  std::string tls_fingerprint;  // "sha256:..."
};

// DATA/federation.
std::filesystem::path IdentityDir(const std::filesystem::path& data_dir);

// Creates the identity files for agency `agency_code` in DATA/federation
// (the directory mode 0700, keys 0600) and returns the identity.
// Errors: AlreadyExists when signing.key is already there; Unavailable when a
// file cannot be written; Internal from key generation.
absl::StatusOr<NodeIdentity> CreateIdentity(const std::filesystem::path& data_dir,
                                            std::string_view agency_code, absl::Time now);

// Loads the identity files. Errors: NotFound when they are missing (a node
// made before federation existed: run CreateIdentity); DataLoss when a file
// is corrupt or the certificate and key do not match.
absl::StatusOr<NodeIdentity> LoadIdentity(const std::filesystem::path& data_dir);

struct PeerCard {
  std::string agency;   // "FR-DGPN"
  std::string country;  // "FR"
  std::string name_en, name_fr, name_ar;
  std::string federation_url;   // "https://127.0.0.1:9444"
  std::string tls_fingerprint;  // "sha256:..."
  std::string signing_key;      // 32 raw bytes

  bool operator==(const PeerCard&) const = default;
};

boost::json::object PeerCardToJson(const PeerCard& card);

// Reads a card. Errors: InvalidArgument naming the member at fault ("card",
// "agency", "country", "names.fr", "federation_url" (must be
// https://HOST:PORT), "tls_fingerprint", "signing_key"), or "card" itself
// when the text is not a JSON object (with line and column).
absl::StatusOr<PeerCard> PeerCardFromJson(std::string_view text);

// Returns OK for an agency code: ISO 3166-1 alpha-2 country letters, '-',
// 2..16 of [A-Z0-9]; InvalidArgument naming `field` otherwise.
absl::Status CheckAgencyCode(std::string_view code, std::string_view field);

// Splits "https://HOST:PORT" into host and port. InvalidArgument naming
// `field` otherwise.
absl::Status ParseFederationUrl(std::string_view url, std::string_view field, std::string* host,
                                uint16_t* port);

}  // namespace jisr::federation

#endif  // JISR_FEDERATION_IDENTITY_H_
