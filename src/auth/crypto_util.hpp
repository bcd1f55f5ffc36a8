// Cryptographic primitives used by auth: SHA-256, HMAC-SHA-256, PBKDF2 (RFC 8018 §5.2), randomness, constant-time compare.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace claret::auth {

// Byte strings are carried in std::string (raw bytes, not text).
std::string sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);
// PBKDF2-HMAC-SHA-256 with a 32-byte output: SCRAM's Hi() (RFC 5802 §2.2).
std::string pbkdf2_sha256(std::string_view password, std::string_view salt, uint32_t iterations);
// Cryptographically secure random bytes (libsodium; initialises it on first use).
std::string random_bytes(size_t n);
// Compares without a data-dependent early exit; lengths are not secret.
bool constant_time_equal(std::string_view a, std::string_view b);
// Bytewise XOR of two equal-length strings.
std::string xor_bytes(std::string_view a, std::string_view b);
// Calls sodium_init() exactly once, thread-safely; aborts the process if libsodium cannot start,
// because continuing without a working CSPRNG would silently weaken every hash and nonce.
void ensure_sodium();

}  // namespace claret::auth
