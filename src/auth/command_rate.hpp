// Per-address command rate limiting (issue #9: "per-IP connection and command-rate limits").
//
// One token bucket per client address, shared by SMTP, IMAP and POP3: every command a session is about to run
// takes a token. Under the rate nothing happens; past it the command is *delayed* (the session sleeps before
// running it), never refused, so a flood from one address is slowed to the configured rate while clients at
// other addresses are not touched, and a legitimate burst (a phone syncing a dozen folders) passes in full.
// Sessions from one address share the bucket, so opening more connections does not buy more commands.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace claret::auth {

struct CommandRateLimits {
  uint32_t per_second = 1000;  // sustained commands per second per address; 0 = no limit
  uint32_t burst = 10000;      // commands an address may run at once before the rate applies
  // Longest single wait. Debt beyond it is forgiven, so a long flood keeps every command of that address
  // waiting this long rather than building a queue that outlasts the flood.
  std::chrono::milliseconds max_delay{std::chrono::seconds(10)};
  size_t max_entries = 65536;  // addresses tracked; the least recently seen are dropped (their bucket is full)
};

class CommandRate {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit CommandRate(CommandRateLimits limits, Clock clock = [] { return std::chrono::steady_clock::now(); });

  // Takes one token for `ip` (grouped as LoginThrottle::ip_key does: IPv6 by /64); returns how long the caller
  // must wait before running the command (zero under the rate).
  std::chrono::milliseconds charge(std::string_view ip) { return charge_key(key_for(ip)); }
  // The same with the address's key computed once (a session keeps it: no address parsing per command).
  std::chrono::milliseconds charge_key(const std::string& key);
  static std::string key_for(std::string_view ip);

  bool enabled() const { return limits_.per_second != 0; }
  size_t tracked() const;

 private:
  struct Bucket {
    double tokens = 0;  // may go negative: commands already admitted with a delay
    std::chrono::steady_clock::time_point updated;
    std::list<std::string>::iterator lru;
  };

  CommandRateLimits limits_;
  Clock clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> order_;  // front = least recently seen
};

}  // namespace claret::auth
