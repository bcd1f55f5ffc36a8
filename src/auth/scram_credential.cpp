// SCRAM-SHA-256 credential derivation (RFC 5802 §3: SaltedPassword, ClientKey, StoredKey, ServerKey) and storage format.
#include "auth/scram_credential.hpp"

#include "auth/crypto_util.hpp"
#include "auth/saslprep.hpp"
#include "base/base64.hpp"
#include "base/strings.hpp"

namespace claret::auth {

namespace {
constexpr std::string_view kPrefix = "SCRAM-SHA-256$";
}  // namespace

ScramCredential derive_scram_sha256(std::string_view password, std::string_view salt, uint32_t iterations) {
  std::string normalized = saslprep_map(password);
  std::string salted = pbkdf2_sha256(normalized, salt, iterations);
  ScramCredential c;
  c.iterations = iterations;
  c.salt = std::string(salt);
  c.stored_key = sha256(hmac_sha256(salted, "Client Key"));
  c.server_key = hmac_sha256(salted, "Server Key");
  return c;
}

std::string format_scram_sha256(const ScramCredential& c) {
  return std::string(kPrefix) + std::to_string(c.iterations) + ":" + base64_encode(c.salt) + "$" +
         base64_encode(c.stored_key) + ":" + base64_encode(c.server_key);
}

std::string make_scram_sha256(std::string_view password) {
  return format_scram_sha256(derive_scram_sha256(password, random_bytes(kScramSaltBytes), kScramIterations));
}

Result<ScramCredential> parse_scram_sha256(std::string_view stored) {
  if (stored.substr(0, kPrefix.size()) != kPrefix) return make_error("SCRAM credential must start with SCRAM-SHA-256$");
  std::string_view rest = stored.substr(kPrefix.size());
  size_t dollar = rest.find('$');
  if (dollar == std::string_view::npos) return make_error("SCRAM credential: missing '$' before the keys");
  std::string_view params = rest.substr(0, dollar);
  std::string_view keys = rest.substr(dollar + 1);
  size_t colon = params.find(':');
  size_t key_colon = keys.find(':');
  if (colon == std::string_view::npos || key_colon == std::string_view::npos) {
    return make_error("SCRAM credential: expected <iterations>:<salt>$<StoredKey>:<ServerKey>");
  }
  auto iterations = parse_u64(params.substr(0, colon));
  if (!iterations || *iterations < kScramMinIterations || *iterations > kScramMaxIterations) {
    return make_error("SCRAM credential: iteration count must be between 4096 and 10000000");
  }
  auto salt = base64_decode(params.substr(colon + 1));
  auto stored_key = base64_decode(keys.substr(0, key_colon));
  auto server_key = base64_decode(keys.substr(key_colon + 1));
  if (!salt || salt->empty()) return make_error("SCRAM credential: salt is not non-empty base64");
  if (!stored_key || stored_key->size() != 32) return make_error("SCRAM credential: StoredKey is not 32 bytes of base64");
  if (!server_key || server_key->size() != 32) return make_error("SCRAM credential: ServerKey is not 32 bytes of base64");
  return ScramCredential{static_cast<uint32_t>(*iterations), std::move(*salt), std::move(*stored_key),
                         std::move(*server_key)};
}

}  // namespace claret::auth
