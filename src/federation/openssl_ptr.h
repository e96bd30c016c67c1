// Owning pointers for OpenSSL objects (internal to federation/: included by
// tls_identity.cc and transport.cc only).
//
// Thread-safety: plain unique_ptr semantics.
#ifndef JISR_FEDERATION_OPENSSL_PTR_H_
#define JISR_FEDERATION_OPENSSL_PTR_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace jisr::federation::internal {

template <auto Free>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;

}  // namespace jisr::federation::internal

#endif  // JISR_FEDERATION_OPENSSL_PTR_H_
