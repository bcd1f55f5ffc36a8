// DKIM signer: relaxed/relaxed DKIM-Signature fields with rsa-sha256 or ed25519-sha256
// (RFC 6376 §3.5, §3.7, §5; RFC 8463; RFC 8301).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "mailauth/private_key.hpp"

namespace claret::mailauth {

struct SignerOptions {
  // Fields signed when present, each as often as it occurs (RFC 6376 §5.4.1 recommends these; Received,
  // Return-Path and other fields that relays add or change are left out so forwarding keeps the signature).
  std::vector<std::string> headers{"From",        "Reply-To",   "Subject",      "Date",
                                   "To",          "Cc",         "Message-ID",   "In-Reply-To",
                                   "References",  "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};
  // Fields listed once more than they occur (§5.4.2 over-signing): a verifier then rejects a message to
  // which someone added another such field. From is the one DMARC and users rely on.
  std::vector<std::string> oversign{"From"};
  // When set, x= is t= plus this many seconds (the signature expires).
  std::optional<uint64_t> expire_after_s;
};

class DkimSigner {
 public:
  DkimSigner(std::string domain, std::string selector, PrivateKey key, SignerOptions options = {});
  // Loads the PEM private key; the error says which file and why.
  static Result<DkimSigner> from_file(std::string domain, std::string selector, const std::filesystem::path& pem,
                                      SignerOptions options = {});

  // The DKIM-Signature header field (folded, CRLF-terminated) to prepend to `message`. Lines ending in
  // bare LF are signed as CRLF, the form the message takes on the wire. Throws only if OpenSSL fails
  // to sign with a key it accepted, which is a bug, not bad input.
  std::string sign(std::string_view message) const;
  // Same with an explicit signing time (t=), for reproducible tests.
  std::string sign(std::string_view message, uint64_t unix_time) const;

  const std::string& domain() const { return domain_; }
  const std::string& selector() const { return selector_; }
  KeyAlgorithm algorithm() const { return key_.algorithm(); }

 private:
  std::string domain_;
  std::string selector_;
  PrivateKey key_;
  SignerOptions options_;
};

}  // namespace claret::mailauth
