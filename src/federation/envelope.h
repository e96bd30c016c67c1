// Envelopes: the unit one node sends another. An envelope
//   {id (UUIDv7), from, to, kind, version, sent_at, body}
// is signed by its sender with Ed25519 over its canonical bytes
//
//   "jisr.envelope.v1" || F(id) || F(from) || F(to) || F(kind) || F(record_id)
//   || F(decimal version) || F(decimal sent_at in Unix ms) || F(body)
//
// where F(x) is x's length as 8 bytes big-endian followed by x (so no two
// envelopes share their bytes). The body is JSON text, signed byte for byte
// as sent. See docs/federation.md.
//
// Also the node's signing key (libsodium Ed25519), Base64 helpers and the
// JSON form of envelopes in a batch.
//
// Thread-safety: values and pure functions.
#ifndef JISR_FEDERATION_ENVELOPE_H_
#define JISR_FEDERATION_ENVELOPE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jisr::federation {

struct Envelope {
  std::string id;    // UUIDv7, unique for ever
  std::string from;  // sender agency code
  std::string to;    // recipient agency code
  std::string kind;  // e.g. "alert.upsert"
  std::string record_id;  // the record it carries, e.g. "alert:<uuid>" (inside body too)
  int64_t version = 0;    // the record's version (newer wins)
  absl::Time sent_at;     // millisecond precision
  std::string body;       // JSON text
  std::string signature;  // detached Ed25519 signature (64 raw bytes)

  bool operator==(const Envelope&) const = default;
};

// The bytes signed (see above).
std::string CanonicalBytes(const Envelope& envelope);

inline constexpr size_t kPublicKeyBytes = 32;
inline constexpr size_t kSecretKeyBytes = 64;
inline constexpr size_t kSignatureBytes = 64;

// An Ed25519 key pair (raw libsodium form).
struct SigningKey {
  std::string public_key;  // 32 bytes
  std::string secret_key;  // 64 bytes
};

// A fresh random key pair.
SigningKey GenerateSigningKey();

// Sets envelope->signature. Precondition: key.secret_key has 64 bytes.
void Sign(const SigningKey& key, Envelope* envelope);

// True when envelope.signature is a valid signature of its canonical bytes
// by `public_key` (32 bytes; any other size is false).
bool VerifySignature(const Envelope& envelope, std::string_view public_key);

// Standard Base64 with padding (libsodium's ORIGINAL variant).
std::string ToBase64(std::string_view bytes);
// Errors: InvalidArgument (naming `field`) when `text` is not Base64.
absl::StatusOr<std::string> FromBase64(std::string_view text, std::string_view field);

// BLAKE2b-256 of `bytes` as 64 lowercase hex digits.
std::string BodyHash(std::string_view bytes);

// {id, from, to, kind, record_id, version, sent_at (Unix ms), body (string),
// signature (Base64)}.
boost::json::object EnvelopeToJson(const Envelope& envelope);

// Reads the form above. Errors: InvalidArgument naming the member (e.g.
// "envelopes[3].signature") that is missing, of the wrong type, too long
// (body over kMaxBodyBytes, codes over 64 bytes), or malformed (id not a
// UUID, version < 1, signature not 64 bytes of Base64). `prefix` is put
// before member names ("envelopes[3].").
absl::StatusOr<Envelope> EnvelopeFromJson(const boost::json::object& json, std::string_view prefix);

inline constexpr size_t kMaxBodyBytes = 4 * 1024 * 1024;

}  // namespace jisr::federation

#endif  // JISR_FEDERATION_ENVELOPE_H_
