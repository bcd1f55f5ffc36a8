// Verified-credentials cache (like Dovecot's auth_cache): remembers that a presented password matched a stored
// hash, so a repeated login skips the Argon2id verification (≈ 240 ms of CPU and 64 MiB each).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace claret::auth {

struct VerifiedCacheLimits {
  size_t max_entries = 10000;          // least recently used entries are evicted beyond this
  std::chrono::seconds ttl{3600};      // an entry is trusted this long after its verification; 0 = cache off
};

// Entries are keyed by HMAC-SHA-256(per-process random key, stored hash ‖ password) and hold nothing else, so
// the cache contains no password or password-equivalent a memory dump could replay elsewhere. Because the
// stored hash is part of the key, a password change (a new hash with a new salt) misses at once, and a wrong
// password can never hit. Only successes are remembered (the caller's job); failures always verify in full
// and go through the login throttle. Thread-safe.
class VerifiedCache {
 public:
  using Clock = std::chrono::steady_clock;

  explicit VerifiedCache(VerifiedCacheLimits limits = {});

  // Replaces the limits and forgets every entry.
  void configure(VerifiedCacheLimits limits);
  bool enabled() const;

  // True when `password` was verified against exactly `stored` less than `ttl` ago. A hit makes the entry
  // most recently used but does not extend its lifetime.
  bool contains(std::string_view stored, std::string_view password, Clock::time_point now = Clock::now());
  // Call only after verify_password(stored, password) returned true.
  void remember(std::string_view stored, std::string_view password, Clock::time_point now = Clock::now());
  void clear();

  size_t size() const;
  uint64_t hits() const;
  uint64_t misses() const;

 private:
  struct Entry {
    std::string key;
    Clock::time_point expires;
  };
  std::string key_for(std::string_view stored, std::string_view password) const;

  mutable std::mutex mu_;
  VerifiedCacheLimits limits_;
  const std::string hmac_key_;
  std::list<Entry> lru_;  // front = most recently used
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // views into lru_ keys
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

// The process-wide cache check_password uses. Off until configured (claret serve sets it from [auth]).
VerifiedCache& verified_cache();

}  // namespace claret::auth
