// CaresResolver: dns::Resolver on c-ares (https://c-ares.org/docs.html), servers configurable as ip:port.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "dns/resolver.hpp"

namespace claret::dns {

struct CaresOptions {
  // "127.0.0.1:5353", "[::1]:53", "192.0.2.1"; empty = the system's /etc/resolv.conf.
  std::vector<std::string> servers;
  std::chrono::milliseconds timeout = std::chrono::seconds(5);  // per try
  int tries = 2;
};

// Each lookup uses its own c-ares channel on the calling thread (no shared state, so it is thread-safe).
class CaresResolver final : public Resolver {
 public:
  // Fails when c-ares cannot be initialised or a server entry is malformed.
  static Result<std::unique_ptr<CaresResolver>> create(CaresOptions options);

  Result<std::vector<MxRecord>> mx(std::string_view domain) override;
  Result<std::vector<std::string>> a(std::string_view host) override;
  Result<std::vector<std::string>> aaaa(std::string_view host) override;

 private:
  explicit CaresResolver(CaresOptions options, std::string servers_csv)
      : options_(std::move(options)), servers_csv_(std::move(servers_csv)) {}
  // Runs one query to completion; the raw answer or a classified error.
  Result<std::string> query(std::string_view name, int type);
  // A or AAAA with CNAME chains followed across queries (bounded), for names whose server returns only the CNAME.
  Result<std::vector<std::string>> addresses(std::string_view host, int type);

  CaresOptions options_;
  std::string servers_csv_;
};

}  // namespace claret::dns
