// EHLO/LHLO and HELO replies (RFC 5321 §4.1.1.1 ehlo-ok-rsp, RFC 2033 §4.1), advertising the extensions of
// RFC 2920, 1870, 6152, 6531, 2034, 3030, 3461, 3207 and 4954.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smtp/proto/reply.hpp"

namespace claret::smtp::proto {

struct Capabilities {
  bool pipelining = false;                 // RFC 2920
  std::optional<std::uint64_t> size;       // RFC 1870: "SIZE n"; 0 advertises "SIZE" with no fixed limit
  bool eight_bit_mime = false;             // RFC 6152
  bool smtputf8 = false;                   // RFC 6531
  bool enhanced_status_codes = false;      // RFC 2034
  bool chunking = false;                   // RFC 3030
  bool binary_mime = false;                // RFC 3030 §3; only advertised together with chunking
  bool dsn = false;                        // RFC 3461
  bool starttls = false;                   // RFC 3207; the caller clears it once TLS is active
  std::vector<std::string> auth_mechanisms;  // RFC 4954; empty gives no AUTH line
};

// "250-<server_name> <greeting>" then one line per capability. No enhanced status code: RFC 2034 §4 exempts
// the EHLO reply. The same reply answers LHLO.
Reply ehlo_reply(std::string_view server_name, std::string_view greeting, const Capabilities& capabilities);

// Single-line "250 <server_name> <greeting>" for HELO, which advertises nothing.
Reply helo_reply(std::string_view server_name, std::string_view greeting);

}  // namespace claret::smtp::proto
