// MockResolver: an in-memory dns::Resolver for unit tests (records set by the test, errors injectable per name).
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "dns/resolver.hpp"

namespace claret::dns {

class MockResolver final : public Resolver {
 public:
  void add_mx(const std::string& domain, std::uint16_t preference, const std::string& host);
  void add_a(const std::string& host, const std::string& ip);
  void add_aaaa(const std::string& host, const std::string& ip);
  // Every lookup of `name` (any type) fails with this error.
  void fail(const std::string& name, DnsErrc code);
  // Names with no records of any type answer NXDOMAIN unless declared to exist.
  void add_name(const std::string& name);
  int lookups() const;

  Result<std::vector<MxRecord>> mx(std::string_view domain) override;
  Result<std::vector<std::string>> a(std::string_view host) override;
  Result<std::vector<std::string>> aaaa(std::string_view host) override;

 private:
  template <typename T>
  Result<std::vector<T>> lookup(std::string_view name, const std::map<std::string, std::vector<T>>& table);

  mutable std::mutex mu_;
  std::map<std::string, std::vector<MxRecord>> mx_;
  std::map<std::string, std::vector<std::string>> a_;
  std::map<std::string, std::vector<std::string>> aaaa_;
  std::map<std::string, DnsErrc> failures_;
  std::map<std::string, bool> names_;
  int lookups_ = 0;
};

}  // namespace claret::dns
