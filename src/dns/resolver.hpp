// dns::Resolver: the lookups outbound delivery needs — MX (RFC 5321 §5.1, RFC 1035 §3.3.9), A (RFC 1035 §3.4.1)
// and AAAA (RFC 3596), with CNAME chains followed (RFC 1034 §3.6.2, RFC 5321 §5.1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace claret::dns {

// Error::code of a failed lookup.
enum class DnsErrc : int {
  temporary = 1,  // timeout, SERVFAIL, REFUSED, network: try again later
  permanent,      // NXDOMAIN, malformed name: the name does not exist
};

inline Error dns_error(DnsErrc code, std::string message) { return Error{static_cast<int>(code), std::move(message)}; }
inline bool is(const Error& e, DnsErrc code) { return e.code == static_cast<int>(code); }

struct MxRecord {
  std::uint16_t preference = 0;
  std::string host;  // without trailing dot; "" or "." for a null MX (RFC 7505)
  bool operator==(const MxRecord&) const = default;
};

// Thread-safe; calls block the calling thread for at most the configured timeout (times tries).
// An existing name without records of the type (NODATA) gives an empty vector, not an error.
class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual Result<std::vector<MxRecord>> mx(std::string_view domain) = 0;
  virtual Result<std::vector<std::string>> a(std::string_view host) = 0;     // dotted IPv4 text
  virtual Result<std::vector<std::string>> aaaa(std::string_view host) = 0;  // IPv6 text
};

}  // namespace claret::dns
