// Tests for LoginThrottle with a fake clock.
#include "auth/login_throttle.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace claret::auth {
namespace {

using namespace std::chrono_literals;

class ThrottleTest : public ::testing::Test {
 protected:
  LoginThrottle make(ThrottleLimits limits = {}) {
    return LoginThrottle(limits, [this] { return now_; });
  }
  std::chrono::steady_clock::time_point now_{std::chrono::hours(1000)};
};

TEST_F(ThrottleTest, AllowsUntilDelayThreshold) {
  LoginThrottle t = make();
  EXPECT_EQ(t.check("192.0.2.1", "alice").action, ThrottleAction::allow);
  t.record_failure("192.0.2.1", "alice");
  t.record_failure("192.0.2.1", "alice");
  EXPECT_EQ(t.check("192.0.2.1", "alice").action, ThrottleAction::allow);
  t.record_failure("192.0.2.1", "alice");  // third failure: ip_delay_after = 3
  ThrottleDecision d = t.check("192.0.2.1", "alice");
  EXPECT_EQ(d.action, ThrottleAction::delay);
  EXPECT_EQ(d.delay, 500ms);
}

TEST_F(ThrottleTest, DelayDoublesUpToMaximum) {
  LoginThrottle t = make();
  std::vector<std::chrono::milliseconds> delays;
  for (int i = 0; i < 10; ++i) {
    t.record_failure("192.0.2.1", "");
    delays.push_back(t.check("192.0.2.1", "").delay);
  }
  EXPECT_EQ(delays[2], 500ms);
  EXPECT_EQ(delays[3], 1000ms);
  EXPECT_EQ(delays[4], 2000ms);
  EXPECT_EQ(delays[6], 8000ms);
  EXPECT_EQ(delays[7], 15000ms);
  EXPECT_EQ(delays[9], 15000ms);
}

TEST_F(ThrottleTest, RejectsThenForgetsAfterWindow) {
  LoginThrottle t = make();
  for (int i = 0; i < 20; ++i) t.record_failure("192.0.2.1", "alice");
  ThrottleDecision d = t.check("192.0.2.1", "bob");
  EXPECT_EQ(d.action, ThrottleAction::reject);
  EXPECT_EQ(d.retry_after, 900s);
  now_ += 10min;
  d = t.check("192.0.2.1", "bob");
  EXPECT_EQ(d.action, ThrottleAction::reject);
  EXPECT_EQ(d.retry_after, 300s);
  now_ += 5min;
  EXPECT_EQ(t.check("192.0.2.1", "bob").action, ThrottleAction::allow);
  EXPECT_EQ(t.tracked_ips(), 0u);  // the expired entry was dropped
}

TEST_F(ThrottleTest, AttackerThrottledWhileRealUserLogsIn) {
  LoginThrottle t = make();
  int verified = 0;
  for (int i = 0; i < 1000; ++i) {
    if (t.check("198.51.100.7", "alice").action == ThrottleAction::reject) continue;
    ++verified;
    t.record_failure("198.51.100.7", "alice");
  }
  EXPECT_EQ(verified, 20);  // the rest were refused without touching the password hash
  EXPECT_EQ(t.check("198.51.100.7", "alice").action, ThrottleAction::reject);
  // The real user, elsewhere, is never refused and waits at most account_max_delay.
  ThrottleDecision d = t.check("203.0.113.5", "alice");
  EXPECT_NE(d.action, ThrottleAction::reject);
  EXPECT_LE(d.delay, 2000ms);
  t.record_success("203.0.113.5", "alice");
  EXPECT_EQ(t.check("203.0.113.5", "alice").action, ThrottleAction::allow);
  // The attacker's address is still refused.
  EXPECT_EQ(t.check("198.51.100.7", "alice").action, ThrottleAction::reject);
}

TEST_F(ThrottleTest, SuccessResetsAccountNotAddress) {
  LoginThrottle t = make();
  for (int i = 0; i < 6; ++i) t.record_failure("192.0.2.1", "Alice");
  EXPECT_EQ(t.check("192.0.2.99", "alice").action, ThrottleAction::delay);  // account names are case-insensitive
  t.record_success("192.0.2.1", "ALICE");
  EXPECT_EQ(t.check("192.0.2.99", "alice").action, ThrottleAction::allow);
  EXPECT_EQ(t.check("192.0.2.1", "mallory").action, ThrottleAction::delay);
}

TEST_F(ThrottleTest, AccountDelayAppliesAcrossAddresses) {
  LoginThrottle t = make();
  for (int i = 0; i < 5; ++i) t.record_failure("192.0.2." + std::to_string(i), "alice");
  ThrottleDecision d = t.check("192.0.2.200", "alice");
  EXPECT_EQ(d.action, ThrottleAction::delay);
  EXPECT_EQ(d.delay, 500ms);
  EXPECT_EQ(t.check("192.0.2.200", "bob").action, ThrottleAction::allow);
}

TEST_F(ThrottleTest, MemoryIsBounded) {
  ThrottleLimits limits;
  limits.max_entries = 100;
  LoginThrottle t = make(limits);
  for (int i = 0; i < 1000; ++i) {
    t.record_failure("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), "user" + std::to_string(i));
  }
  EXPECT_EQ(t.tracked_ips(), 100u);
  EXPECT_EQ(t.tracked_accounts(), 100u);
  // The oldest entries were evicted, the newest kept.
  for (int i = 0; i < 3; ++i) t.record_failure("10.0.3.231", "");
  EXPECT_EQ(t.check("10.0.3.231", "").action, ThrottleAction::delay);  // index 999 plus 3 more
  EXPECT_EQ(t.check("10.0.0.0", "").action, ThrottleAction::allow);
  EXPECT_LE(t.tracked_ips(), 100u);
}

TEST_F(ThrottleTest, Ipv6GroupedByPrefix) {
  EXPECT_EQ(LoginThrottle::ip_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(LoginThrottle::ip_key("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
  EXPECT_EQ(LoginThrottle::ip_key("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(LoginThrottle::ip_key("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(LoginThrottle::ip_key("not-an-ip"), "not-an-ip");
  EXPECT_EQ(LoginThrottle::ip_key(""), "");
  LoginThrottle t = make();
  for (int i = 0; i < 20; ++i) t.record_failure("2001:db8::" + std::to_string(i + 1), "");
  EXPECT_EQ(t.check("2001:db8::ffff", "").action, ThrottleAction::reject);
  EXPECT_EQ(t.check("2001:db8:0:1::1", "").action, ThrottleAction::allow);
}

TEST_F(ThrottleTest, ConcurrentFailuresAllCounted) {
  ThrottleLimits limits;
  limits.ip_reject_after = 1000;
  LoginThrottle t = make(limits);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&t] {
      for (int i = 0; i < 250; ++i) {
        t.record_failure("192.0.2.1", "alice");
        (void)t.check("192.0.2.1", "alice");
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(t.check("192.0.2.1", "alice").action, ThrottleAction::reject);
  t.record_success("192.0.2.1", "alice");
  EXPECT_EQ(t.tracked_accounts(), 0u);
}

}  // namespace
}  // namespace claret::auth
