// SASL LOGIN (draft-murchison-sasl-login-00 §2: server challenges "Username:" and "Password:").
#include "auth/sasl_login.hpp"

#include "auth/password_hash.hpp"
#include "auth/saslprep.hpp"

namespace claret::auth {

SaslStep LoginMechanism::start() {
  if (state_ != State::want_username || !username_.empty()) {
    state_ = State::done;
    return sasl_failure(kMalformed, "LOGIN: start after the exchange began");
  }
  return sasl_challenge("Username:");
}

SaslStep LoginMechanism::step(std::string_view client_data) {
  switch (state_) {
    case State::want_username: {
      if (client_data.empty() || client_data.size() > kMaxIdentityLength ||
          client_data.find('\0') != std::string_view::npos || !is_valid_utf8(client_data)) {
        state_ = State::done;
        return sasl_failure(kMalformed, "LOGIN: invalid username");
      }
      username_ = std::string(client_data);
      state_ = State::want_password;
      return sasl_challenge("Password:");
    }
    case State::want_password: {
      state_ = State::done;
      if (client_data.empty() || client_data.size() > kMaxPasswordLength) {
        return sasl_failure(kMalformed, "LOGIN: empty or over-long password");
      }
      if (!check_password(lookup_, username_, client_data)) return sasl_failure(kAuthFailed, "LOGIN: invalid credentials");
      return sasl_success(username_, username_);
    }
    case State::done: break;
  }
  return sasl_failure(kMalformed, "LOGIN: exchange already finished");
}

}  // namespace claret::auth
