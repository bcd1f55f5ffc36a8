// Token buckets per client address; see command_rate.hpp for why commands are delayed rather than refused.
#include "auth/command_rate.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "auth/login_throttle.hpp"

namespace claret::auth {

CommandRate::CommandRate(CommandRateLimits limits, Clock clock) : limits_(limits), clock_(std::move(clock)) {
  if (limits_.max_entries == 0) limits_.max_entries = 1;
  if (limits_.burst == 0) limits_.burst = 1;
}

std::string CommandRate::key_for(std::string_view ip) { return LoginThrottle::ip_key(ip); }

std::chrono::milliseconds CommandRate::charge_key(const std::string& key) {
  if (limits_.per_second == 0) return std::chrono::milliseconds(0);
  const auto now = clock_();
  const double rate = limits_.per_second;
  const double burst = limits_.burst;
  // The most debt an address can carry: what max_delay drains at the rate.
  const double floor = -rate * std::chrono::duration<double>(limits_.max_delay).count();

  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    while (buckets_.size() >= limits_.max_entries) {
      buckets_.erase(order_.front());
      order_.pop_front();
    }
    order_.push_back(key);
    it = buckets_.emplace(key, Bucket{burst, now, std::prev(order_.end())}).first;
  } else {
    order_.splice(order_.end(), order_, it->second.lru);
    const double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
    it->second.tokens = std::min(burst, it->second.tokens + std::max(0.0, elapsed) * rate);
    it->second.updated = now;
  }
  Bucket& b = it->second;
  b.tokens = std::max(floor, b.tokens - 1.0);
  if (b.tokens >= 0) return std::chrono::milliseconds(0);
  const auto wait = std::chrono::milliseconds(static_cast<int64_t>(std::ceil(-b.tokens / rate * 1000.0)));
  return std::min(wait, limits_.max_delay);
}

size_t CommandRate::tracked() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace claret::auth
