// route_domain: MX ordering and shuffling (RFC 5321 §5.1), implicit MX, null MX (RFC 7505 §3-4).
#include "dns/route.hpp"

#include <algorithm>

#include "base/strings.hpp"

namespace claret::dns {
namespace {

Error route_error(RouteErrc code, std::string message) { return Error{static_cast<int>(code), std::move(message)}; }

// Both families; a temporary failure of one still lets the other's addresses be used.
Result<RouteHost> resolve_host(Resolver& resolver, const std::string& host) {
  RouteHost out{host, {}};
  auto v6 = resolver.aaaa(host);
  auto v4 = resolver.a(host);
  if (v6) out.addresses = *v6;
  if (v4) out.addresses.insert(out.addresses.end(), v4->begin(), v4->end());
  if (!out.addresses.empty()) return out;
  if ((!v6 && is(v6.error(), DnsErrc::temporary)) || (!v4 && is(v4.error(), DnsErrc::temporary)))
    return route_error(RouteErrc::temporary, "address lookup for " + host + " failed: " +
                                                 (!v4 ? v4.error().message : v6.error().message));
  return route_error(RouteErrc::permanent, "no address for " + host);
}

}  // namespace

Result<std::vector<RouteHost>> route_domain(Resolver& resolver, std::string_view domain, std::mt19937& rng) {
  const std::string name = to_lower(domain);
  auto mx = resolver.mx(name);
  if (!mx) {
    auto code = is(mx.error(), DnsErrc::temporary) ? RouteErrc::temporary : RouteErrc::permanent;
    return route_error(code, "MX lookup for " + name + " failed: " + mx.error().message);
  }
  std::vector<MxRecord> records = *mx;
  // RFC 7505 §3: a single MX with an empty target ("." on the wire) means the domain takes no mail.
  for (const auto& r : records)
    if (r.host.empty() || r.host == ".") {
      if (records.size() == 1) return route_error(RouteErrc::null_mx, name + " does not accept mail (null MX)");
    }
  records.erase(std::remove_if(records.begin(), records.end(),
                               [](const MxRecord& r) { return r.host.empty() || r.host == "."; }),
                records.end());
  if (mx->empty()) {
    // RFC 5321 §5.1: no MX records: the domain itself is the implicit MX, with preference 0.
    auto host = resolve_host(resolver, name);
    if (!host) return host.error();
    return std::vector<RouteHost>{std::move(*host)};
  }
  // Lowest preference first; shuffle first so that the stable sort leaves equals in random order (§5.1).
  std::shuffle(records.begin(), records.end(), rng);
  std::stable_sort(records.begin(), records.end(),
                   [](const MxRecord& a, const MxRecord& b) { return a.preference < b.preference; });
  std::vector<RouteHost> out;
  bool temporary = false;
  std::string last_error;
  for (const auto& r : records) {
    auto host = resolve_host(resolver, r.host);
    if (host) {
      out.push_back(std::move(*host));
    } else {
      temporary = temporary || is(host.error(), RouteErrc::temporary);
      last_error = host.error().message;
    }
  }
  if (!out.empty()) return out;
  return route_error(temporary ? RouteErrc::temporary : RouteErrc::permanent,
                     "no usable MX host for " + name + ": " + last_error);
}

}  // namespace claret::dns
