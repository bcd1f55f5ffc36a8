// CAPA capability list (RFC 2449 §6: TOP, USER, SASL, RESP-CODES, LOGIN-DELAY, PIPELINING, EXPIRE, UIDL,
// IMPLEMENTATION; §6.8 AUTH-RESP-CODE from RFC 3206 §6; STLS from RFC 2595 §4).
#include "pop3/proto/capabilities.hpp"

namespace claret::pop3::proto {

std::vector<std::string> capability_lines(const CapaOptions& o) {
  std::vector<std::string> lines = {"TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", kExpire, kLoginDelay};
  if (o.authorization) {
    if (o.user) lines.emplace_back("USER");
    if (!o.sasl.empty()) {
      std::string sasl = "SASL";
      for (const auto& m : o.sasl) sasl += " " + m;
      lines.push_back(std::move(sasl));
    }
    if (o.stls) lines.emplace_back("STLS");
  }
  if (!o.implementation.empty()) lines.push_back("IMPLEMENTATION " + o.implementation);
  return lines;
}

}  // namespace claret::pop3::proto
