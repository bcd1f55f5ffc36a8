#include "auth/command_rate.hpp"

#include <gtest/gtest.h>

namespace claret::auth {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  std::chrono::steady_clock::time_point now{std::chrono::seconds(1000)};
  CommandRate::Clock fn() {
    return [this] { return now; };
  }
};

TEST(CommandRate, BurstPassesThenCommandsWaitAtTheRate) {
  FakeClock clock;
  CommandRate rate({.per_second = 10, .burst = 5, .max_delay = 10s}, clock.fn());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(rate.charge("192.0.2.1"), 0ms) << i;
  EXPECT_EQ(rate.charge("192.0.2.1"), 100ms);  // one token short at 10/s
  EXPECT_EQ(rate.charge("192.0.2.1"), 200ms);  // the next waits behind it
  clock.now += 300ms;                           // 3 tokens back: debt of 2 repaid, 1 left
  EXPECT_EQ(rate.charge("192.0.2.1"), 0ms);
  EXPECT_EQ(rate.charge("192.0.2.1"), 100ms);
}

TEST(CommandRate, AddressesHaveTheirOwnBuckets) {
  FakeClock clock;
  CommandRate rate({.per_second = 1, .burst = 1}, clock.fn());
  EXPECT_EQ(rate.charge("192.0.2.1"), 0ms);
  EXPECT_GT(rate.charge("192.0.2.1"), 0ms);
  EXPECT_EQ(rate.charge("192.0.2.2"), 0ms);
  EXPECT_EQ(rate.tracked(), 2u);
}

TEST(CommandRate, Ipv6IsGroupedByItsSlash64) {
  FakeClock clock;
  CommandRate rate({.per_second = 1, .burst = 1}, clock.fn());
  EXPECT_EQ(rate.charge("2001:db8:1:2::1"), 0ms);
  EXPECT_GT(rate.charge("2001:db8:1:2::ffff"), 0ms);  // same /64: same bucket
  EXPECT_EQ(rate.charge("2001:db8:1:3::1"), 0ms);
}

TEST(CommandRate, WaitIsCappedAndDebtBeyondItForgiven) {
  FakeClock clock;
  CommandRate rate({.per_second = 10, .burst = 1, .max_delay = 1s}, clock.fn());
  rate.charge("192.0.2.1");
  for (int i = 0; i < 100; ++i) EXPECT_LE(rate.charge("192.0.2.1"), 1000ms);
  EXPECT_EQ(rate.charge("192.0.2.1"), 1000ms);
  clock.now += 1100ms;  // the capped debt (10 tokens) is repaid within max_delay, not after 100 commands' worth
  EXPECT_EQ(rate.charge("192.0.2.1"), 0ms);
}

TEST(CommandRate, IdleAddressRefillsOnlyUpToTheBurst) {
  FakeClock clock;
  CommandRate rate({.per_second = 100, .burst = 3}, clock.fn());
  rate.charge("192.0.2.1");
  clock.now += 1h;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(rate.charge("192.0.2.1"), 0ms);
  EXPECT_GT(rate.charge("192.0.2.1"), 0ms);
}

TEST(CommandRate, ZeroRateMeansNoLimit) {
  FakeClock clock;
  CommandRate rate({.per_second = 0, .burst = 1}, clock.fn());
  EXPECT_FALSE(rate.enabled());
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(rate.charge("192.0.2.1"), 0ms);
  EXPECT_EQ(rate.tracked(), 0u);
}

TEST(CommandRate, TrackedAddressesAreBounded) {
  FakeClock clock;
  CommandRate rate({.per_second = 1, .burst = 1, .max_entries = 2}, clock.fn());
  rate.charge("192.0.2.1");
  rate.charge("192.0.2.2");
  rate.charge("192.0.2.3");  // evicts 192.0.2.1, the least recently seen
  EXPECT_EQ(rate.tracked(), 2u);
  EXPECT_EQ(rate.charge("192.0.2.1"), 0ms);  // forgotten: a full bucket again
}

}  // namespace
}  // namespace claret::auth
