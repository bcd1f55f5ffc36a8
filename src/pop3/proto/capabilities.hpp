// The CAPA list (RFC 2449 §5-§6; STLS from RFC 2595 §4; SASL from RFC 5034 §5).
#pragma once

#include <string>
#include <vector>

namespace claret::pop3::proto {

struct CapaOptions {
  // AUTHORIZATION state: login-related capabilities (STLS, USER, SASL) are listed only there, since they are
  // meaningless once logged in (RFC 2449 §5 lets the list differ by state).
  bool authorization = true;
  bool stls = false;               // STARTTLS possible now: plaintext connection with a TLS context
  bool user = false;               // USER/PASS accepted now (TLS, or plaintext allowed by the administrator)
  std::vector<std::string> sasl;   // mechanisms accepted now; empty → no SASL line
  std::string implementation;      // IMPLEMENTATION text
};

// RFC 2449 §6.7: EXPIRE NEVER — the server never deletes messages on its own; only the client's DELE does.
inline constexpr const char* kExpire = "EXPIRE NEVER";
// RFC 2449 §6.6: no minimum delay between logins.
inline constexpr const char* kLoginDelay = "LOGIN-DELAY 0";

// The capability lines (without the "+OK" line and the terminating ".").
std::vector<std::string> capability_lines(const CapaOptions& options);

}  // namespace claret::pop3::proto
