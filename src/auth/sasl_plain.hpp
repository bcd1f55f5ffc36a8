// SASL PLAIN server mechanism (RFC 4616): one message "[authzid] NUL authcid NUL passwd".
#pragma once

#include "auth/sasl_mechanism.hpp"

namespace claret::auth {

class PlainMechanism final : public SaslMechanism {
 public:
  explicit PlainMechanism(CredentialLookup lookup) : lookup_(std::move(lookup)) {}
  std::string_view name() const override { return "PLAIN"; }
  // An empty challenge: the client then sends the whole message (RFC 4616 §2).
  SaslStep start() override;
  SaslStep step(std::string_view client_data) override;

 private:
  CredentialLookup lookup_;
  bool done_ = false;
};

}  // namespace claret::auth
