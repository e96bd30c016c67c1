// The node's TLS identity: key and certificate generation, fingerprints and
// the certificate/key match check (plain OpenSSL 3; the transport itself is
// in transport.cc).
#include <fmt/format.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>

#include "federation/openssl_ptr.h"
#include "federation/transport.h"

namespace jisr::federation {
namespace {

using internal::BioPtr;
using internal::OpenSslDeleter;
using internal::PkeyPtr;
using internal::X509Ptr;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpenSslDeleter<ASN1_INTEGER_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES_free>>;

// Drains this thread's OpenSSL error queue into one line ("" when empty).
std::string OpenSslErrors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(e, buf.data(), buf.size());
    if (!out.empty()) out.append("; ");
    out.append(buf.data());
  }
  return out;
}

absl::Status OpenSslFailure(std::string_view step) {
  const std::string errors = OpenSslErrors();
  return absl::InternalError(fmt::format("creating the TLS identity: {} failed{}{}", step,
                                         errors.empty() ? "" : ": ", errors));
}

// Refuses to prompt for a passphrase: an encrypted key is not accepted.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return -1; }

BioPtr ReadOnlyBio(std::string_view pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

X509Ptr ParseCertificate(std::string_view pem) {
  if (pem.empty() || pem.size() > (1u << 20)) return nullptr;
  BioPtr bio = ReadOnlyBio(pem);
  if (!bio) return nullptr;
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr));
}

PkeyPtr ParsePrivateKey(std::string_view pem) {
  if (pem.empty() || pem.size() > (1u << 20)) return nullptr;
  BioPtr bio = ReadOnlyBio(pem);
  if (!bio) return nullptr;
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
}

// Returns what `bio` (a memory BIO) holds.
std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

// Adds an extension given in OpenSSL's configuration syntax.
absl::Status AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return OpenSslFailure(fmt::format("adding the {} extension", OBJ_nid2sn(nid)));
  }
  return absl::OkStatus();
}

// subjectAltName DNS:`common_name`, DNS:localhost, IP:127.0.0.1 (built by
// hand: the common name is not parsed as configuration syntax).
absl::Status AddSubjectAltName(X509* cert, std::string_view common_name) {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) return OpenSslFailure("allocating subjectAltName");
  const auto add = [&](int type, const unsigned char* data, size_t size) -> bool {
    ASN1_STRING* value = type == GEN_IPADD ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();
    if (value == nullptr) return false;
    if (ASN1_STRING_set(value, data, static_cast<int>(size)) != 1) {
      ASN1_STRING_free(value);
      return false;
    }
    GENERAL_NAME* name = GENERAL_NAME_new();
    if (name == nullptr) {
      ASN1_STRING_free(value);
      return false;
    }
    GENERAL_NAME_set0_value(name, type, value);
    if (sk_GENERAL_NAME_push(names.get(), name) == 0) {
      GENERAL_NAME_free(name);
      return false;
    }
    return true;
  };
  constexpr std::string_view kLocalhost = "localhost";
  constexpr std::array<unsigned char, 4> kLoopback = {127, 0, 0, 1};
  if (!add(GEN_DNS, reinterpret_cast<const unsigned char*>(common_name.data()),
           common_name.size()) ||
      (common_name != kLocalhost &&
       !add(GEN_DNS, reinterpret_cast<const unsigned char*>(kLocalhost.data()),
            kLocalhost.size())) ||
      !add(GEN_IPADD, kLoopback.data(), kLoopback.size())) {
    return OpenSslFailure("building subjectAltName");
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return OpenSslFailure("adding subjectAltName");
  }
  return absl::OkStatus();
}

absl::Status SetTime(ASN1_TIME* field, absl::Time t, std::string_view what) {
  if (ASN1_TIME_set(field, absl::ToTimeT(t)) == nullptr) {
    return OpenSslFailure(fmt::format("setting {}", what));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TlsIdentity> CreateSelfSignedIdentity(std::string_view common_name,
                                                     absl::Time not_before,
                                                     absl::Duration valid_for) {
  if (common_name.empty()) {
    return absl::InvalidArgumentError("the certificate's common name is empty");
  }
  if (common_name.size() > 64) {
    return absl::InvalidArgumentError("the certificate's common name is longer than 64 characters");
  }
  for (const char c : common_name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) {
      return absl::InvalidArgumentError("the certificate's common name must be printable ASCII");
    }
  }
  if (valid_for <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the certificate's validity must be positive");
  }
  ERR_clear_error();

  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslFailure("generating the P-256 key");

  X509Ptr cert(X509_new());
  if (!cert) return OpenSslFailure("allocating the certificate");
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return OpenSslFailure("setting the version");
  }

  // A random positive 128-bit serial number.
  std::array<unsigned char, 16> serial_bytes{};
  if (RAND_bytes(serial_bytes.data(), static_cast<int>(serial_bytes.size())) != 1) {
    return OpenSslFailure("drawing the serial number");
  }
  serial_bytes[0] &= 0x7F;
  serial_bytes[0] |= 0x40;  // keep all 16 bytes significant
  BignumPtr serial_bn(
      BN_bin2bn(serial_bytes.data(), static_cast<int>(serial_bytes.size()), nullptr));
  if (!serial_bn) return OpenSslFailure("converting the serial number");
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(serial_bn.get(), nullptr));
  if (!serial || X509_set_serialNumber(cert.get(), serial.get()) != 1) {
    return OpenSslFailure("setting the serial number");
  }

  if (absl::Status s = SetTime(X509_getm_notBefore(cert.get()), not_before, "notBefore"); !s.ok()) {
    return s;
  }
  if (absl::Status s = SetTime(X509_getm_notAfter(cert.get()), not_before + valid_for, "notAfter");
      !s.ok()) {
    return s;
  }

  X509_NAME* name = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return OpenSslFailure("setting the subject");
  }
  if (X509_set_issuer_name(cert.get(), name) != 1) {
    return OpenSslFailure("setting the issuer");
  }
  if (X509_set_pubkey(cert.get(), key.get()) != 1) {
    return OpenSslFailure("setting the public key");
  }

  for (const auto& [nid, value] : std::array<std::pair<int, const char*>, 4>{{
           {NID_basic_constraints, "critical,CA:FALSE"},
           {NID_key_usage, "critical,digitalSignature"},
           {NID_ext_key_usage, "serverAuth,clientAuth"},
           {NID_subject_key_identifier, "hash"},
       }}) {
    if (absl::Status s = AddExtension(cert.get(), nid, value); !s.ok()) return s;
  }
  if (absl::Status s = AddSubjectAltName(cert.get(), common_name); !s.ok()) return s;

  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    return OpenSslFailure("signing the certificate");
  }

  TlsIdentity identity;
  {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) {
      return OpenSslFailure("encoding the certificate");
    }
    identity.certificate_pem = BioContents(bio.get());
  }
  {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                         nullptr) != 1) {
      return OpenSslFailure("encoding the private key");
    }
    identity.private_key_pem = BioContents(bio.get());
  }
  return identity;
}

absl::StatusOr<std::string> CertificateFingerprint(std::string_view certificate_pem) {
  ERR_clear_error();
  X509Ptr cert = ParseCertificate(certificate_pem);
  ERR_clear_error();
  if (!cert) {
    return absl::InvalidArgumentError("the text holds no parseable PEM certificate");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (X509_digest(cert.get(), EVP_sha256(), md.data(), &len) != 1 || len != 32) {
    ERR_clear_error();
    return absl::InternalError("computing the certificate's SHA-256 digest failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  out.reserve(7 + 64);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xF]);
  }
  return out;
}

absl::Status CheckIdentity(const TlsIdentity& identity) {
  ERR_clear_error();
  X509Ptr cert = ParseCertificate(identity.certificate_pem);
  PkeyPtr key = ParsePrivateKey(identity.private_key_pem);
  ERR_clear_error();
  if (!cert) {
    return absl::InvalidArgumentError("the TLS certificate is not a parseable PEM certificate");
  }
  if (!key) {
    return absl::InvalidArgumentError(
        "the TLS private key is not a parseable, unencrypted PEM private key");
  }
  const int match = X509_check_private_key(cert.get(), key.get());
  ERR_clear_error();
  if (match != 1) {
    return absl::InvalidArgumentError("the TLS private key does not match the certificate");
  }
  return absl::OkStatus();
}

}  // namespace jisr::federation
