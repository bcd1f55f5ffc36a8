// Stored SCRAM-SHA-256 credentials (RFC 5802 §3, RFC 7677): salt, iteration count, StoredKey, ServerKey.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace claret::auth {

// RFC 7677 §4 asks for at least 4096 iterations; we create twice that. The maximum bounds the work a
// stored credential can ask of a client.
inline constexpr uint32_t kScramIterations = 8192;
inline constexpr uint32_t kScramMinIterations = 4096;
inline constexpr uint32_t kScramMaxIterations = 10000000;
inline constexpr size_t kScramSaltBytes = 16;

// Raw bytes; stored_key and server_key are 32 bytes each (SHA-256 output).
struct ScramCredential {
  uint32_t iterations = 0;
  std::string salt;
  std::string stored_key;
  std::string server_key;
};

// "SCRAM-SHA-256$<iterations>:<salt b64>$<StoredKey b64>:<ServerKey b64>" (the PostgreSQL verifier
// format), with a fresh random salt and kScramIterations. The password is SASLprep-mapped first.
std::string make_scram_sha256(std::string_view password);
// Deterministic derivation, for tests and for callers that choose salt and iterations.
ScramCredential derive_scram_sha256(std::string_view password, std::string_view salt, uint32_t iterations);
std::string format_scram_sha256(const ScramCredential& credential);
// Parses the format above; rejects wrong prefix, bad base64, key lengths other than 32, empty salt and
// iteration counts outside [kScramMinIterations, kScramMaxIterations].
Result<ScramCredential> parse_scram_sha256(std::string_view stored);

}  // namespace claret::auth
