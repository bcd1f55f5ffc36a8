// DKIM verifier: checks every DKIM-Signature field of a message (RFC 6376 §6; RFC 8301 algorithm and key
// size rules; RFC 8463 ed25519-sha256; results named as in RFC 8601 §2.7.1).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace claret::mailauth {

// policy: a signature this verifier chose not to check (RFC 8601 §2.7.1: "some aspect of the signature or
// signatures was not acceptable"), here one beyond the per-message limit.
enum class DkimStatus { pass, fail, temperror, permerror, policy };

// "pass", "fail", "temperror", "permerror", "policy": the dkim= values of Authentication-Results.
const char* status_name(DkimStatus s);

struct DkimVerdict {
  DkimStatus status = DkimStatus::permerror;
  std::string domain;     // d=
  std::string selector;   // s=
  std::string algorithm;  // a=
  std::string reason;     // why it did not pass (empty on pass)
  bool testing = false;   // the key record says t=y
};

// Error code a KeyLookup returns for a temporary DNS failure (SERVFAIL, timeout): the verdict is
// temperror, so the receiver can ask the sender to retry. Any other error (NXDOMAIN, no TXT) is permerror.
constexpr int kLookupTemporary = 1;

// Returns the TXT records at a name such as "sel._domainkey.example.com", each record being the
// concatenation of its character-strings.
using KeyLookup = std::function<Result<std::vector<std::string>>(const std::string& name)>;

// A lookup answering from a fixed table (name → one record): keys given directly, for tests and tools.
KeyLookup table_lookup(std::map<std::string, std::string> records);

// How many DKIM-Signature fields of one message are checked (RFC 6376 §6.1 lets a verifier limit this). Each
// check can cost a DNS lookup, a body hash and a public-key operation, so without a limit one 64 KB message
// could ask for hundreds of each. Real mail carries one to three (author domain, ESP, mailing list).
inline constexpr size_t kDefaultMaxDkimSignatures = 5;

class DkimVerifier {
 public:
  explicit DkimVerifier(KeyLookup lookup, size_t max_signatures = kDefaultMaxDkimSignatures)
      : lookup_(std::move(lookup)), max_signatures_(max_signatures) {}

  // One verdict per DKIM-Signature field, top to bottom; none when the message is unsigned. Fields after the
  // first `max_signatures` are not checked (no lookup, no hash): their verdict is `policy`, with the reason.
  // `now` is the Unix time against which x= is checked.
  std::vector<DkimVerdict> verify(std::string_view message, uint64_t now) const;
  std::vector<DkimVerdict> verify(std::string_view message) const;

 private:
  KeyLookup lookup_;
  size_t max_signatures_;
};

}  // namespace claret::mailauth
