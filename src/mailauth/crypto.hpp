// The OpenSSL 3 EVP primitives DKIM needs: SHA-256, key handles, signing and verifying
// (RFC 6376 §3.3, RFC 8301, RFC 8463). Keeps OpenSSL headers out of the rest of the module.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace claret::mailauth {

enum class KeyAlgorithm { rsa, ed25519 };

// "rsa" / "ed25519": the k= value of a key record (RFC 6376 §3.6.1, RFC 8463 §4).
const char* key_algorithm_name(KeyAlgorithm a);
// "rsa-sha256" / "ed25519-sha256": the a= value of a signature.
const char* signing_algorithm_name(KeyAlgorithm a);

using KeyHandle = std::shared_ptr<evp_pkey_st>;

// SHA-256 of `data`, 32 raw bytes.
std::string sha256(std::string_view data);

// The most recent OpenSSL error as text, for error messages.
std::string openssl_error();

// Signs the DKIM data-hash input (RFC 6376 §3.7): RSA is RSASSA-PKCS1-v1_5 over SHA-256 of `data`
// (RFC 3447 §8.2); Ed25519 is PureEdDSA over the 32-byte SHA-256 of `data` (RFC 8463 §3).
Result<std::string> sign_data(const KeyHandle& key, KeyAlgorithm alg, std::string_view data);

// The reverse of sign_data: true when `signature` is valid for `data` under the public `key`.
bool verify_data(const KeyHandle& key, KeyAlgorithm alg, std::string_view data, std::string_view signature);

}  // namespace claret::mailauth
