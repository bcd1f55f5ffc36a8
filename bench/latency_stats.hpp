// Latency percentiles for the load generators (nearest-rank method on a sorted copy).
#pragma once

#include <vector>

namespace claret::bench {

struct LatencySummary {
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
};

// Nearest-rank percentiles; all zero for an empty sample (nothing was measured).
LatencySummary summarize(std::vector<double> samples);

}  // namespace claret::bench
