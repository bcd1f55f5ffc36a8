// SASL SCRAM-SHA-256 server mechanism (RFC 5802 §5, §7; RFC 7677), without channel binding.
#pragma once

#include <string>

#include "auth/sasl_mechanism.hpp"
#include "auth/scram_credential.hpp"

namespace claret::auth {

// Exchange: client-first → server-first (challenge) → client-final → server-final "v=…" (challenge)
// → empty client reply → success. gs2 flags "n" and "y" are accepted; "p=" (channel binding) fails.
class ScramSha256Mechanism final : public SaslMechanism {
 public:
  explicit ScramSha256Mechanism(CredentialLookup lookup) : lookup_(std::move(lookup)) {}
  // Fixed server nonce part, for reproducing the RFC 7677 §3 example in tests only: a real server
  // must use a fresh random nonce for every exchange.
  ScramSha256Mechanism(CredentialLookup lookup, std::string server_nonce)
      : lookup_(std::move(lookup)), fixed_server_nonce_(std::move(server_nonce)) {}

  std::string_view name() const override { return "SCRAM-SHA-256"; }
  // An empty challenge: SCRAM is client-first (RFC 5802 §5).
  SaslStep start() override;
  SaslStep step(std::string_view client_data) override;

 private:
  enum class State { want_client_first, want_client_final, want_ack, done };
  SaslStep on_client_first(std::string_view msg);
  SaslStep on_client_final(std::string_view msg);
  SaslStep fail(std::string_view reason, std::string detail);

  CredentialLookup lookup_;
  std::string fixed_server_nonce_;
  State state_ = State::want_client_first;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
  std::string username_;
  ScramCredential credential_;
  // True when the account is unknown or has no SCRAM credential: the exchange runs on a fake
  // credential so the client cannot tell, and the proof is always refused.
  bool fake_ = false;
};

}  // namespace claret::auth
