// Latency percentiles for the load generators (nearest-rank method on a sorted copy).
#include "latency_stats.hpp"

#include <algorithm>
#include <cmath>

namespace claret::bench {
namespace {

// Nearest rank: the smallest sample with at least p% of the samples at or below it.
double rank(const std::vector<double>& sorted, double p) {
  size_t r = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(r, 1, sorted.size()) - 1];
}

}  // namespace

LatencySummary summarize(std::vector<double> samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  return {rank(samples, 50), rank(samples, 90), rank(samples, 99), samples.back()};
}

}  // namespace claret::bench
