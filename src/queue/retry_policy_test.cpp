// RetryPolicy tests: doubling from the minimum, the cap, expiry.
#include "queue/retry_policy.hpp"

#include <gtest/gtest.h>

namespace claret::queue {
namespace {

TEST(RetryPolicy, DoublesUpToTheCap) {
  RetryPolicy p;  // 60 s doubling to 3600 s
  EXPECT_EQ(retry_delay(p, 1), 60);
  EXPECT_EQ(retry_delay(p, 2), 120);
  EXPECT_EQ(retry_delay(p, 3), 240);
  EXPECT_EQ(retry_delay(p, 6), 1920);
  EXPECT_EQ(retry_delay(p, 7), 3600);
  EXPECT_EQ(retry_delay(p, 1000), 3600);
}

TEST(RetryPolicy, DegenerateSettings) {
  RetryPolicy p;
  p.retry_min_seconds = 0;
  p.retry_max_seconds = 0;
  EXPECT_EQ(retry_delay(p, 5), 1);
  p.retry_min_seconds = 10;
  p.retry_max_seconds = 5;  // max below min: min wins
  EXPECT_EQ(retry_delay(p, 3), 10);
}

TEST(RetryPolicy, Expiry) {
  RetryPolicy p;
  EXPECT_FALSE(expired(p, 1000, 1000 + 5 * 86400 - 1));
  EXPECT_TRUE(expired(p, 1000, 1000 + 5 * 86400));
}

}  // namespace
}  // namespace claret::queue
