// SASL server mechanisms (RFC 4422 §3, §5): an I/O-free state machine interface shared by SMTP, IMAP, POP3 and LMTP.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace claret::auth {

// What the account store knows about one account. Either field may be empty (mechanisms needing it fail).
struct Credentials {
  std::string password_hash;  // "{SCHEME}…", see password_hash.hpp
  std::string scram_sha256;   // "SCRAM-SHA-256$…", see scram_credential.hpp
};

// Looks an account up by authentication identity; nullopt when it does not exist. Called at most once
// per exchange, from the thread that calls step().
using CredentialLookup = std::function<std::optional<Credentials>(std::string_view username)>;

enum class SaslStepKind { challenge, success, failure };

// The message every credential failure shows the client, whatever the cause, so a client cannot tell
// an unknown account from a wrong password.
inline constexpr std::string_view kAuthFailed = "authentication failed";
// The message for syntactically invalid client messages (which reveal nothing about accounts).
inline constexpr std::string_view kMalformed = "malformed SASL message";

struct SaslStep {
  SaslStepKind kind = SaslStepKind::failure;
  // challenge: raw bytes to send (the protocol base64-encodes them). Empty on success: a mechanism
  // with a final server message (SCRAM) sends it as a last challenge and succeeds on the client's
  // empty reply, which every protocol supports without RFC 4422 §5 "additional data with success".
  std::string data;
  // success: authentication identity, and authorization identity (equal to authcid when the client
  // sent none or the same one; other authzids are refused).
  std::string authcid;
  std::string authzid;
  // failure: kAuthFailed or kMalformed, safe to show the client.
  std::string reason;
  // failure: detail for the server log. Never contains a password or any secret.
  std::string detail;
};

class SaslMechanism {
 public:
  virtual ~SaslMechanism() = default;
  virtual std::string_view name() const = 0;
  // First server challenge when the client sent no initial response (RFC 4422 §5 "initial response").
  virtual SaslStep start() = 0;
  // One client message (raw bytes, already base64-decoded), including an initial response. Once a
  // step has returned success or failure, every further call returns failure.
  virtual SaslStep step(std::string_view client_data) = 0;
};

SaslStep sasl_challenge(std::string data);
SaslStep sasl_success(std::string authcid, std::string authzid);
SaslStep sasl_failure(std::string_view reason, std::string detail);

// Checks a password for PLAIN and LOGIN: looks the account up, verifies the hash, and for unknown
// accounts (or accounts without a password hash) verifies a dummy hash so timing is the same. Successes are
// remembered in verified_cache(), which answers a repeated login with the same password and stored hash.
bool check_password(const CredentialLookup& lookup, std::string_view authcid, std::string_view password);

// Mechanism by (case-insensitive) name: "PLAIN", "LOGIN", "SCRAM-SHA-256"; nullptr for others.
std::unique_ptr<SaslMechanism> make_mechanism(std::string_view name, CredentialLookup lookup);

// Mechanisms a protocol may advertise: SCRAM-SHA-256 always; PLAIN and LOGIN only over TLS unless the
// administrator allows plaintext passwords (RFC 4616 §6, DESIGN.md §5).
std::vector<std::string> mechanism_names(bool tls_active, bool plaintext_allowed);

// Longest authentication or authorization identity, and longest whole client message, accepted by
// any mechanism. RFC 4616 §2 asks for at least 255 octets per field.
inline constexpr size_t kMaxIdentityLength = 1024;
inline constexpr size_t kMaxClientMessage = 4096;

}  // namespace claret::auth
