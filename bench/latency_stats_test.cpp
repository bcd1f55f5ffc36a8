// Tests for the nearest-rank latency percentiles.
#include "latency_stats.hpp"

#include <gtest/gtest.h>

namespace claret::bench {
namespace {

TEST(LatencyStats, EmptySampleIsZero) {
  auto s = summarize({});
  EXPECT_EQ(s.p50, 0);
  EXPECT_EQ(s.max, 0);
}

TEST(LatencyStats, NearestRankOnOneToHundred) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);  // unsorted on purpose
  auto s = summarize(v);
  EXPECT_EQ(s.p50, 50);
  EXPECT_EQ(s.p90, 90);
  EXPECT_EQ(s.p99, 99);
  EXPECT_EQ(s.max, 100);
}

TEST(LatencyStats, SingleSample) {
  auto s = summarize({2.5});
  EXPECT_EQ(s.p50, 2.5);
  EXPECT_EQ(s.p99, 2.5);
  EXPECT_EQ(s.max, 2.5);
}

}  // namespace
}  // namespace claret::bench
