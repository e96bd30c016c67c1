#include "federation/envelope.h"

#include <sodium.h>

#include <array>

#include "common/ids.h"
#include "common/json.h"
#include "common/status.h"
#include "fmt/format.h"

namespace jisr::federation {
namespace {

void AppendField(std::string& out, std::string_view field) {
  const uint64_t n = field.size();
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(field);
}

}  // namespace

std::string CanonicalBytes(const Envelope& e) {
  std::string out;
  out.reserve(e.body.size() + e.id.size() + 160);
  out.append("jisr.envelope.v1");
  AppendField(out, e.id);
  AppendField(out, e.from);
  AppendField(out, e.to);
  AppendField(out, e.kind);
  AppendField(out, e.record_id);
  AppendField(out, fmt::format("{}", e.version));
  AppendField(out, fmt::format("{}", absl::ToUnixMillis(e.sent_at)));
  AppendField(out, e.body);
  return out;
}

SigningKey GenerateSigningKey() {
  SigningKey key;
  key.public_key.resize(crypto_sign_PUBLICKEYBYTES);
  key.secret_key.resize(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(key.public_key.data()),
                      reinterpret_cast<unsigned char*>(key.secret_key.data()));
  return key;
}

void Sign(const SigningKey& key, Envelope* envelope) {
  const std::string bytes = CanonicalBytes(*envelope);
  envelope->signature.resize(crypto_sign_BYTES);
  crypto_sign_detached(reinterpret_cast<unsigned char*>(envelope->signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                       reinterpret_cast<const unsigned char*>(key.secret_key.data()));
}

bool VerifySignature(const Envelope& envelope, std::string_view public_key) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES ||
      envelope.signature.size() != crypto_sign_BYTES) {
    return false;
  }
  const std::string bytes = CanonicalBytes(envelope);
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(envelope.signature.data()),
             reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
             reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

std::string ToBase64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

absl::StatusOr<std::string> FromBase64(std::string_view text, std::string_view field) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return InvalidField(field, fmt::format("{} is not Base64", field));
  }
  out.resize(len);
  return out;
}

std::string BodyHash(std::string_view bytes) {
  std::array<unsigned char, 32> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  return ToHex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

boost::json::object EnvelopeToJson(const Envelope& e) {
  boost::json::object o;
  o["id"] = e.id;
  o["from"] = e.from;
  o["to"] = e.to;
  o["kind"] = e.kind;
  o["record_id"] = e.record_id;
  o["version"] = e.version;
  o["sent_at"] = absl::ToUnixMillis(e.sent_at);
  o["body"] = e.body;
  o["signature"] = ToBase64(e.signature);
  return o;
}

absl::StatusOr<Envelope> EnvelopeFromJson(const boost::json::object& json,
                                          std::string_view prefix) {
  JsonObjectReader r(json, std::string(prefix));
  Envelope e;
  JISR_ASSIGN_OR_RETURN(e.id, r.RequiredString("id", 64));
  if (!IsUuid(e.id)) return InvalidField(r.FieldName("id"), "id is not a UUID");
  JISR_ASSIGN_OR_RETURN(e.from, r.RequiredString("from", 64));
  JISR_ASSIGN_OR_RETURN(e.to, r.RequiredString("to", 64));
  JISR_ASSIGN_OR_RETURN(e.kind, r.RequiredString("kind", 64));
  JISR_ASSIGN_OR_RETURN(e.record_id, r.RequiredString("record_id", 200));
  JISR_ASSIGN_OR_RETURN(e.version, r.RequiredInt("version"));
  if (e.version < 1) return InvalidField(r.FieldName("version"), "version must be at least 1");
  JISR_ASSIGN_OR_RETURN(const int64_t sent_ms, r.RequiredInt("sent_at"));
  e.sent_at = absl::FromUnixMillis(sent_ms);
  // The body is taken byte for byte (RequiredString would trim it).
  const boost::json::value* body = json.if_contains("body");
  if (body == nullptr || !body->is_string()) {
    return InvalidField(r.FieldName("body"), "body must be a string of JSON");
  }
  if (body->get_string().size() > kMaxBodyBytes) {
    return InvalidField(r.FieldName("body"), fmt::format("body is over {} bytes", kMaxBodyBytes));
  }
  e.body = std::string(body->get_string());
  r.MarkRead("body");
  JISR_ASSIGN_OR_RETURN(const std::string signature, r.RequiredString("signature", 200));
  JISR_ASSIGN_OR_RETURN(e.signature, FromBase64(signature, r.FieldName("signature")));
  if (e.signature.size() != kSignatureBytes) {
    return InvalidField(r.FieldName("signature"), "signature must be 64 bytes");
  }
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  return e;
}

}  // namespace jisr::federation
