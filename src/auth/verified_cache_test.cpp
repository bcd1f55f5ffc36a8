// Tests for VerifiedCache (LRU, TTL, keyed by stored hash and password) and check_password's use of it.
#include "auth/verified_cache.hpp"

#include <gtest/gtest.h>

#include "auth/password_hash.hpp"
#include "auth/sasl_mechanism.hpp"
#include "auth/test_accounts.hpp"

namespace claret::auth {
namespace {

using namespace std::chrono_literals;
using Clock = VerifiedCache::Clock;

const Clock::time_point kT0{std::chrono::hours(1000)};

TEST(VerifiedCache, HitsOnlyTheSamePasswordAndStoredHash) {
  VerifiedCache c;
  EXPECT_FALSE(c.contains("{X}h1", "pw", kT0));
  c.remember("{X}h1", "pw", kT0);
  EXPECT_TRUE(c.contains("{X}h1", "pw", kT0 + 1s));
  EXPECT_FALSE(c.contains("{X}h1", "pW", kT0 + 1s));   // a wrong password never hits
  EXPECT_FALSE(c.contains("{X}h2", "pw", kT0 + 1s));   // a changed hash (password change) misses
  EXPECT_FALSE(c.contains("{X}h1p", "w", kT0 + 1s));   // bytes cannot move between hash and password
  EXPECT_FALSE(c.contains("{X}h1", "", kT0 + 1s));
  EXPECT_EQ(c.hits(), 1u);
  EXPECT_EQ(c.misses(), 5u);
}

TEST(VerifiedCache, EntriesExpireAfterTheTtlWithoutRefreshOnHit) {
  VerifiedCache c(VerifiedCacheLimits{100, 60s});
  c.remember("{X}h", "pw", kT0);
  EXPECT_TRUE(c.contains("{X}h", "pw", kT0 + 59s));
  EXPECT_FALSE(c.contains("{X}h", "pw", kT0 + 60s));
  EXPECT_EQ(c.size(), 0u);  // the expired entry is dropped
  c.remember("{X}h", "pw", kT0 + 60s);
  EXPECT_TRUE(c.contains("{X}h", "pw", kT0 + 119s));
}

TEST(VerifiedCache, EvictsTheLeastRecentlyUsed) {
  VerifiedCache c(VerifiedCacheLimits{2, 3600s});
  c.remember("{X}a", "pw", kT0);
  c.remember("{X}b", "pw", kT0);
  EXPECT_TRUE(c.contains("{X}a", "pw", kT0));  // a is now the most recent
  c.remember("{X}c", "pw", kT0);               // evicts b
  EXPECT_EQ(c.size(), 2u);
  EXPECT_TRUE(c.contains("{X}a", "pw", kT0));
  EXPECT_FALSE(c.contains("{X}b", "pw", kT0));
  EXPECT_TRUE(c.contains("{X}c", "pw", kT0));
}

TEST(VerifiedCache, ZeroTtlOrSizeDisables) {
  VerifiedCache off(VerifiedCacheLimits{100, 0s});
  EXPECT_FALSE(off.enabled());
  off.remember("{X}h", "pw", kT0);
  EXPECT_FALSE(off.contains("{X}h", "pw", kT0));
  EXPECT_EQ(off.size(), 0u);
  VerifiedCache none(VerifiedCacheLimits{0, 60s});
  none.remember("{X}h", "pw", kT0);
  EXPECT_FALSE(none.contains("{X}h", "pw", kT0));
}

TEST(VerifiedCache, ConfigureForgetsEverything) {
  VerifiedCache c;
  c.remember("{X}h", "pw", kT0);
  c.configure(VerifiedCacheLimits{10, 60s});
  EXPECT_FALSE(c.contains("{X}h", "pw", kT0));
}

TEST(VerifiedCache, CheckPasswordUsesTheProcessCache) {
  testing::TestAccounts accounts;
  accounts.add("alice", "wonderland");
  CredentialLookup lookup = accounts.lookup();
  VerifiedCache& cache = verified_cache();
  cache.configure(VerifiedCacheLimits{100, 3600s});
  EXPECT_FALSE(check_password(lookup, "alice", "Wonderland"));  // failures are not remembered
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_TRUE(check_password(lookup, "alice", "wonderland"));
  EXPECT_EQ(cache.size(), 1u);
  const uint64_t hits = cache.hits();
  EXPECT_TRUE(check_password(lookup, "alice", "wonderland"));
  EXPECT_EQ(cache.hits(), hits + 1);
  EXPECT_FALSE(check_password(lookup, "alice", "Wonderland"));  // still verified in full, still wrong
  EXPECT_FALSE(check_password(lookup, "nobody", "wonderland"));
  // A new password: the new stored hash misses, and the old password fails against it.
  accounts.add("alice", "looking glass");
  lookup = accounts.lookup();
  EXPECT_FALSE(check_password(lookup, "alice", "wonderland"));
  EXPECT_TRUE(check_password(lookup, "alice", "looking glass"));
  cache.configure(VerifiedCacheLimits{0, 0s});
}

}  // namespace
}  // namespace claret::auth
