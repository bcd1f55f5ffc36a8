// Login throttling: per-address and per-account failure counting with delays and temporary rejection.
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

// Filled by config/. Counters live for `window` from an entry's first failure, then start again.
struct ThrottleLimits {
  std::chrono::seconds window{std::chrono::minutes(15)};
  // Per client address (IPv6 grouped by /64, since one host usually owns a whole /64).
  uint32_t ip_delay_after = 3;    // failures before replies to this address are delayed
  uint32_t ip_reject_after = 20;  // failures before attempts from this address are refused outright
  // Per account. Only delays, never refusal: refusing would let anyone lock a user out of their own
  // account, and the per-address refusal already stops one address from guessing further.
  uint32_t account_delay_after = 5;
  // Cap on the per-account delay, kept short because the real user pays it too.
  std::chrono::milliseconds account_max_delay{std::chrono::seconds(2)};
  // Delay doubles with each failure past the threshold, from base_delay up to max_delay.
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{std::chrono::seconds(15)};
  // Upper bound on tracked addresses and on tracked accounts; the least recently failed are dropped.
  size_t max_entries = 65536;
};

enum class ThrottleAction { allow, delay, reject };

struct ThrottleDecision {
  ThrottleAction action = ThrottleAction::allow;
  // delay: wait this long before answering the attempt (verify, then reply after the delay).
  std::chrono::milliseconds delay{0};
  // reject: how long until the address's window ends.
  std::chrono::seconds retry_after{0};
};

class LoginThrottle {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit LoginThrottle(ThrottleLimits limits, Clock clock = [] { return std::chrono::steady_clock::now(); });

  // Before verifying credentials. A rejected attempt must not be verified nor recorded.
  ThrottleDecision check(std::string_view ip, std::string_view account);
  void record_failure(std::string_view ip, std::string_view account);
  // Resets the account's counter. The address keeps its count, so an attacker cannot clear it by
  // logging into an account of their own between guesses.
  void record_success(std::string_view ip, std::string_view account);

  size_t tracked_ips() const;
  size_t tracked_accounts() const;

  // The key an address is counted under: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 as its /64.
  // Unparseable strings are used verbatim.
  static std::string ip_key(std::string_view ip);

 private:
  struct Entry {
    uint32_t failures = 0;
    std::chrono::steady_clock::time_point window_start;
    std::list<std::string>::iterator lru;
  };
  // A map with least-recently-updated eviction.
  struct Table {
    std::unordered_map<std::string, Entry> entries;
    std::list<std::string> order;  // front = least recently updated
  };

  uint32_t current_failures(Table& table, const std::string& key, std::chrono::steady_clock::time_point now);
  void add_failure(Table& table, const std::string& key, std::chrono::steady_clock::time_point now);
  std::chrono::milliseconds delay_for(uint32_t failures, uint32_t threshold) const;

  ThrottleLimits limits_;
  Clock clock_;
  mutable std::mutex mu_;
  Table ips_;
  Table accounts_;
};

}  // namespace claret::auth
