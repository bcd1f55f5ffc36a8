// route_domain: where mail for a domain goes — MX hosts by preference with random order among equals
// (RFC 5321 §5.1), the implicit MX (the domain's own A/AAAA) when there is no MX, null MX refusal (RFC 7505 §3).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "dns/resolver.hpp"

namespace claret::dns {

struct RouteHost {
  std::string host;                    // MX target (or the domain itself for the implicit MX)
  std::vector<std::string> addresses;  // IPv6 first, then IPv4 (both families are tried)
};

// Error::code of route_domain failures (DnsErrc values are reused for resolver failures).
enum class RouteErrc : int {
  temporary = static_cast<int>(DnsErrc::temporary),  // try later
  permanent = static_cast<int>(DnsErrc::permanent),  // no such domain / no address anywhere: bounce
  null_mx = 3,                                       // the domain accepts no mail (RFC 7505): bounce at once
};

inline bool is(const Error& e, RouteErrc code) { return e.code == static_cast<int>(code); }

// Hosts to try in order, each with at least one address. Temporary when any lookup that could have produced
// a usable host failed temporarily; permanent only when every answer was definite.
Result<std::vector<RouteHost>> route_domain(Resolver& resolver, std::string_view domain, std::mt19937& rng);

}  // namespace claret::dns
