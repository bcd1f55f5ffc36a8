// Login throttling against password guessing (the defence RFC 4954 §9 and RFC 9051 §11.1 leave to servers).
#include "auth/login_throttle.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <iterator>

#include "base/log.hpp"
#include "base/strings.hpp"

namespace claret::auth {

LoginThrottle::LoginThrottle(ThrottleLimits limits, Clock clock) : limits_(limits), clock_(std::move(clock)) {
  if (limits_.max_entries == 0) limits_.max_entries = 1;
}

std::string LoginThrottle::ip_key(std::string_view ip) {
  std::string text(ip);
  unsigned char addr[16];
  char buf[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, text.c_str(), addr) == 1) return text;
  if (inet_pton(AF_INET6, text.c_str(), addr) != 1) return text;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(addr, kMapped, sizeof kMapped) == 0) {
    if (inet_ntop(AF_INET, addr + 12, buf, sizeof buf) != nullptr) return buf;
    return text;
  }
  std::memset(addr + 8, 0, 8);
  if (inet_ntop(AF_INET6, addr, buf, sizeof buf) == nullptr) return text;
  return std::string(buf) + "/64";
}

uint32_t LoginThrottle::current_failures(Table& table, const std::string& key,
                                         std::chrono::steady_clock::time_point now) {
  auto it = table.entries.find(key);
  if (it == table.entries.end()) return 0;
  if (now - it->second.window_start >= limits_.window) {
    table.order.erase(it->second.lru);
    table.entries.erase(it);
    return 0;
  }
  return it->second.failures;
}

void LoginThrottle::add_failure(Table& table, const std::string& key, std::chrono::steady_clock::time_point now) {
  auto it = table.entries.find(key);
  if (it != table.entries.end() && now - it->second.window_start >= limits_.window) {
    it->second.failures = 0;
    it->second.window_start = now;
  }
  if (it == table.entries.end()) {
    while (table.entries.size() >= limits_.max_entries) {
      table.entries.erase(table.order.front());
      table.order.pop_front();
    }
    table.order.push_back(key);
    it = table.entries.emplace(key, Entry{0, now, std::prev(table.order.end())}).first;
  } else {
    table.order.splice(table.order.end(), table.order, it->second.lru);
  }
  if (it->second.failures < UINT32_MAX) ++it->second.failures;
}

std::chrono::milliseconds LoginThrottle::delay_for(uint32_t failures, uint32_t threshold) const {
  if (failures < threshold) return std::chrono::milliseconds(0);
  uint32_t doublings = std::min<uint32_t>(failures - threshold, 30);
  auto delay = limits_.base_delay * (int64_t{1} << doublings);
  return std::min(delay, limits_.max_delay);
}

ThrottleDecision LoginThrottle::check(std::string_view ip, std::string_view account) {
  const std::string ipk = ip_key(ip);
  const std::string acck = to_lower(account);
  auto now = clock_();
  std::lock_guard lock(mu_);
  uint32_t ip_failures = current_failures(ips_, ipk, now);
  uint32_t account_failures = acck.empty() ? 0 : current_failures(accounts_, acck, now);

  ThrottleDecision d;
  if (ip_failures >= limits_.ip_reject_after) {
    auto& entry = ips_.entries.at(ipk);
    auto left = std::chrono::ceil<std::chrono::seconds>(entry.window_start + limits_.window - now);
    d.action = ThrottleAction::reject;
    d.retry_after = std::max(left, std::chrono::seconds(1));
    return d;
  }
  auto account_delay = std::min(delay_for(account_failures, limits_.account_delay_after), limits_.account_max_delay);
  d.delay = std::max(delay_for(ip_failures, limits_.ip_delay_after), account_delay);
  if (d.delay.count() > 0) d.action = ThrottleAction::delay;
  return d;
}

void LoginThrottle::record_failure(std::string_view ip, std::string_view account) {
  const std::string ipk = ip_key(ip);
  const std::string acck = to_lower(account);
  auto now = clock_();
  uint32_t ip_failures = 0;
  {
    std::lock_guard lock(mu_);
    add_failure(ips_, ipk, now);
    if (!acck.empty()) add_failure(accounts_, acck, now);
    ip_failures = ips_.entries.at(ipk).failures;
  }
  // Logged once, when the address crosses into refusal, so a flood produces one line, not thousands.
  if (ip_failures == limits_.ip_reject_after) {
    log::warn("auth.throttle.reject_start", {{"ip", ipk}, {"failures", ip_failures}});
  }
}

void LoginThrottle::record_success(std::string_view ip, std::string_view account) {
  const std::string acck = to_lower(account);
  std::lock_guard lock(mu_);
  auto it = accounts_.entries.find(acck);
  if (it != accounts_.entries.end()) {
    accounts_.order.erase(it->second.lru);
    accounts_.entries.erase(it);
  }
}

size_t LoginThrottle::tracked_ips() const {
  std::lock_guard lock(mu_);
  return ips_.entries.size();
}

size_t LoginThrottle::tracked_accounts() const {
  std::lock_guard lock(mu_);
  return accounts_.entries.size();
}

}  // namespace claret::auth
