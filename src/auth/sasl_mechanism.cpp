// SASL mechanism factory, advertisement policy (RFC 4422 §3.1, RFC 4616 §6) and shared password check.
#include "auth/sasl_mechanism.hpp"

#include "auth/password_hash.hpp"
#include "auth/sasl_login.hpp"
#include "auth/sasl_plain.hpp"
#include "auth/sasl_scram.hpp"
#include "auth/verified_cache.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"

namespace claret::auth {

SaslStep sasl_challenge(std::string data) {
  SaslStep s;
  s.kind = SaslStepKind::challenge;
  s.data = std::move(data);
  return s;
}

SaslStep sasl_success(std::string authcid, std::string authzid) {
  SaslStep s;
  s.kind = SaslStepKind::success;
  s.authcid = std::move(authcid);
  s.authzid = std::move(authzid);
  return s;
}

SaslStep sasl_failure(std::string_view reason, std::string detail) {
  SaslStep s;
  s.kind = SaslStepKind::failure;
  s.reason = std::string(reason);
  s.detail = std::move(detail);
  return s;
}

bool check_password(const CredentialLookup& lookup, std::string_view authcid, std::string_view password) {
  std::optional<Credentials> creds = lookup ? lookup(authcid) : std::nullopt;
  if (!creds || creds->password_hash.empty()) {
    verify_dummy_password(password);
    return false;
  }
  // A repeated login with the same password against the same stored hash skips the slow verification.
  VerifiedCache& cache = verified_cache();
  if (cache.contains(creds->password_hash, password)) {
    log::debug("auth.cache.hit", {{"user", authcid}});
    return true;
  }
  if (!verify_password(creds->password_hash, password)) return false;
  cache.remember(creds->password_hash, password);
  return true;
}

std::unique_ptr<SaslMechanism> make_mechanism(std::string_view name, CredentialLookup lookup) {
  if (iequals(name, "PLAIN")) return std::make_unique<PlainMechanism>(std::move(lookup));
  if (iequals(name, "LOGIN")) return std::make_unique<LoginMechanism>(std::move(lookup));
  if (iequals(name, "SCRAM-SHA-256")) return std::make_unique<ScramSha256Mechanism>(std::move(lookup));
  return nullptr;
}

std::vector<std::string> mechanism_names(bool tls_active, bool plaintext_allowed) {
  std::vector<std::string> names{"SCRAM-SHA-256"};
  if (tls_active || plaintext_allowed) {
    names.emplace_back("PLAIN");
    names.emplace_back("LOGIN");
  }
  return names;
}

}  // namespace claret::auth
