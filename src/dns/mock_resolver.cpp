// MockResolver: in-memory records with NXDOMAIN/NODATA semantics like a real server (RFC 2308 §1).
#include "dns/mock_resolver.hpp"

#include "base/strings.hpp"

namespace claret::dns {

void MockResolver::add_mx(const std::string& domain, std::uint16_t preference, const std::string& host) {
  std::lock_guard<std::mutex> lock(mu_);
  mx_[to_lower(domain)].push_back({preference, host});
  names_[to_lower(domain)] = true;
}

void MockResolver::add_a(const std::string& host, const std::string& ip) {
  std::lock_guard<std::mutex> lock(mu_);
  a_[to_lower(host)].push_back(ip);
  names_[to_lower(host)] = true;
}

void MockResolver::add_aaaa(const std::string& host, const std::string& ip) {
  std::lock_guard<std::mutex> lock(mu_);
  aaaa_[to_lower(host)].push_back(ip);
  names_[to_lower(host)] = true;
}

void MockResolver::fail(const std::string& name, DnsErrc code) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_[to_lower(name)] = code;
}

void MockResolver::add_name(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  names_[to_lower(name)] = true;
}

int MockResolver::lookups() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lookups_;
}

template <typename T>
Result<std::vector<T>> MockResolver::lookup(std::string_view name, const std::map<std::string, std::vector<T>>& table) {
  std::lock_guard<std::mutex> lock(mu_);
  ++lookups_;
  const std::string key = to_lower(name);
  if (auto f = failures_.find(key); f != failures_.end()) return dns_error(f->second, "injected failure for " + key);
  if (!names_.count(key)) return dns_error(DnsErrc::permanent, "NXDOMAIN " + key);
  if (auto it = table.find(key); it != table.end()) return it->second;
  return std::vector<T>{};
}

Result<std::vector<MxRecord>> MockResolver::mx(std::string_view domain) { return lookup(domain, mx_); }
Result<std::vector<std::string>> MockResolver::a(std::string_view host) { return lookup(host, a_); }
Result<std::vector<std::string>> MockResolver::aaaa(std::string_view host) { return lookup(host, aaaa_); }

}  // namespace claret::dns
