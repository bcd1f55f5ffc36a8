// SASL PLAIN (RFC 4616 §2 message grammar, §4 server verification).
#include "auth/sasl_plain.hpp"

#include "auth/password_hash.hpp"
#include "auth/saslprep.hpp"

namespace claret::auth {

SaslStep PlainMechanism::start() {
  if (done_) return sasl_failure(kMalformed, "PLAIN: exchange already finished");
  return sasl_challenge("");
}

SaslStep PlainMechanism::step(std::string_view client_data) {
  if (done_) return sasl_failure(kMalformed, "PLAIN: exchange already finished");
  done_ = true;
  if (client_data.size() > kMaxClientMessage) return sasl_failure(kMalformed, "PLAIN: message too long");
  size_t first = client_data.find('\0');
  size_t second = first == std::string_view::npos ? first : client_data.find('\0', first + 1);
  if (second == std::string_view::npos) return sasl_failure(kMalformed, "PLAIN: expected two NUL separators");
  std::string_view authzid = client_data.substr(0, first);
  std::string_view authcid = client_data.substr(first + 1, second - first - 1);
  std::string_view password = client_data.substr(second + 1);
  // A third NUL would belong to none of the fields: SAFE excludes NUL (RFC 4616 §2).
  if (password.find('\0') != std::string_view::npos) return sasl_failure(kMalformed, "PLAIN: more than two NULs");
  if (authcid.empty() || password.empty()) return sasl_failure(kMalformed, "PLAIN: empty authcid or password");
  if (authcid.size() > kMaxIdentityLength || authzid.size() > kMaxIdentityLength ||
      password.size() > kMaxPasswordLength) {
    return sasl_failure(kMalformed, "PLAIN: field too long");
  }
  if (!is_valid_utf8(authcid) || !is_valid_utf8(authzid)) return sasl_failure(kMalformed, "PLAIN: identity is not UTF-8");
  // Acting as another user is an administrator feature claret does not offer: refuse any other authzid.
  if (!authzid.empty() && authzid != authcid) {
    return sasl_failure(kAuthFailed, "PLAIN: authzid differs from authcid");
  }
  if (!check_password(lookup_, authcid, password)) return sasl_failure(kAuthFailed, "PLAIN: invalid credentials");
  return sasl_success(std::string(authcid), std::string(authcid));
}

}  // namespace claret::auth
