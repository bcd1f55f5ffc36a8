// Verified-credentials cache: an LRU list plus an index, under one mutex (lookups are rare next to an Argon2id).
#include "auth/verified_cache.hpp"

#include "auth/crypto_util.hpp"

namespace claret::auth {

VerifiedCache::VerifiedCache(VerifiedCacheLimits limits) : limits_(limits), hmac_key_(random_bytes(32)) {}

void VerifiedCache::configure(VerifiedCacheLimits limits) {
  std::lock_guard lock(mu_);
  limits_ = limits;
  index_.clear();
  lru_.clear();
}

bool VerifiedCache::enabled() const {
  std::lock_guard lock(mu_);
  return limits_.ttl.count() > 0 && limits_.max_entries > 0;
}

std::string VerifiedCache::key_for(std::string_view stored, std::string_view password) const {
  // Length-prefixed so (stored, password) pairs cannot collide by shifting bytes between the two.
  std::string data = std::to_string(stored.size());
  data += ':';
  data += stored;
  data += password;
  std::string key = hmac_sha256(hmac_key_, data);
  std::fill(data.begin(), data.end(), '\0');  // the copy held the password
  return key;
}

bool VerifiedCache::contains(std::string_view stored, std::string_view password, Clock::time_point now) {
  if (!enabled()) return false;
  const std::string key = key_for(stored, password);
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return false;
  }
  if (now >= it->second->expires) {
    lru_.erase(it->second);
    index_.erase(it);
    ++misses_;
    return false;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++hits_;
  return true;
}

void VerifiedCache::remember(std::string_view stored, std::string_view password, Clock::time_point now) {
  if (!enabled()) return;
  std::string key = key_for(stored, password);
  std::lock_guard lock(mu_);
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->expires = now + limits_.ttl;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Entry{std::move(key), now + limits_.ttl});
  index_.emplace(lru_.front().key, lru_.begin());
  while (lru_.size() > limits_.max_entries) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

void VerifiedCache::clear() {
  std::lock_guard lock(mu_);
  index_.clear();
  lru_.clear();
}

size_t VerifiedCache::size() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

uint64_t VerifiedCache::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

uint64_t VerifiedCache::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}

VerifiedCache& verified_cache() {
  static VerifiedCache cache(VerifiedCacheLimits{0, std::chrono::seconds(0)});
  return cache;
}

}  // namespace claret::auth
