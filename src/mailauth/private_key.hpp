// A DKIM signing key (RSA or Ed25519) and its public key record (RFC 6376 §3.6.1, RFC 8463 §4, RFC 8301 §3.2).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "mailauth/crypto.hpp"

namespace claret::mailauth {

// RFC 8301 §3.2: signers MUST use RSA keys of at least 1024 bits and SHOULD use 2048.
constexpr int kMinRsaBits = 1024;
constexpr int kDefaultRsaBits = 2048;

class PrivateKey {
 public:
  // A new key: RSA of `rsa_bits` bits (at least kMinRsaBits), or Ed25519.
  static Result<PrivateKey> generate(KeyAlgorithm alg, int rsa_bits = kDefaultRsaBits);
  // A PEM private key (PKCS#8 "PRIVATE KEY" or traditional "RSA PRIVATE KEY"). Encrypted keys and
  // other key types are refused, as are RSA keys shorter than kMinRsaBits.
  static Result<PrivateKey> from_pem(std::string_view pem);
  static Result<PrivateKey> load(const std::filesystem::path& file);

  KeyAlgorithm algorithm() const { return alg_; }
  int bits() const;
  // Unencrypted PKCS#8 PEM.
  std::string to_pem() const;
  // The key record to publish at SELECTOR._domainkey.DOMAIN: "v=DKIM1; k=rsa; p=BASE64". For RSA, p= is
  // the DER SubjectPublicKeyInfo (RFC 6376 §3.6.1); for Ed25519 the raw 32-byte public key (RFC 8463 §4).
  std::string public_key_record() const;
  // The signature of `data` (see sign_data in crypto.hpp).
  Result<std::string> sign(std::string_view data) const { return sign_data(key_, alg_, data); }

 private:
  PrivateKey(KeyHandle key, KeyAlgorithm alg) : key_(std::move(key)), alg_(alg) {}
  static Result<PrivateKey> adopt(KeyHandle key);

  KeyHandle key_;
  KeyAlgorithm alg_;
};

}  // namespace claret::mailauth
