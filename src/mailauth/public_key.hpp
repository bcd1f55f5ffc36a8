// A DKIM public key parsed from its DNS key record (RFC 6376 §3.6.1, RFC 8463 §4, RFC 8301 §3.2).
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "mailauth/crypto.hpp"

namespace claret::mailauth {

class PublicKey {
 public:
  // Parses "v=DKIM1; k=rsa; p=...". Errors: bad tag list, v= not DKIM1 or not first, unknown k=, h= without
  // sha256, s= without email or *, empty p= (a revoked key), undecodable key, RSA shorter than 1024 bits.
  // RSA p= is a DER SubjectPublicKeyInfo; a bare PKCS#1 RSAPublicKey is accepted too, as some publish it.
  static Result<PublicKey> from_record(std::string_view record);

  KeyAlgorithm algorithm() const { return alg_; }
  int bits() const;
  bool testing() const { return testing_; }                  // t=y: the domain is testing DKIM
  bool strict_identity() const { return strict_identity_; }  // t=s: i= must be exactly d=, no subdomain
  bool verify(std::string_view data, std::string_view signature) const {
    return verify_data(key_, alg_, data, signature);
  }

 private:
  PublicKey(KeyHandle key, KeyAlgorithm alg) : key_(std::move(key)), alg_(alg) {}

  KeyHandle key_;
  KeyAlgorithm alg_;
  bool testing_ = false;
  bool strict_identity_ = false;
};

}  // namespace claret::mailauth
