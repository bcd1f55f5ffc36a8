// SASL LOGIN server mechanism (draft-murchison-sasl-login-00): "Username:" then "Password:" challenges.
#pragma once

#include <string>

#include "auth/sasl_mechanism.hpp"

namespace claret::auth {

class LoginMechanism final : public SaslMechanism {
 public:
  explicit LoginMechanism(CredentialLookup lookup) : lookup_(std::move(lookup)) {}
  std::string_view name() const override { return "LOGIN"; }
  SaslStep start() override;
  // The first client message (or initial response) is the username, the second the password.
  SaslStep step(std::string_view client_data) override;

 private:
  enum class State { want_username, want_password, done };
  CredentialLookup lookup_;
  State state_ = State::want_username;
  std::string username_;
};

}  // namespace claret::auth
