// RetryPolicy: exponential backoff with a cap (RFC 5321 §4.5.4.1).
#include "queue/retry_policy.hpp"

#include <algorithm>

namespace claret::queue {

int64_t retry_delay(const RetryPolicy& policy, int attempts) {
  const int64_t lo = std::max<int64_t>(1, policy.retry_min_seconds);
  const int64_t hi = std::max(lo, policy.retry_max_seconds);
  int64_t d = lo;
  for (int i = 1; i < attempts && d < hi; ++i) d *= 2;  // bounded by hi, so no overflow
  return std::min(d, hi);
}

}  // namespace claret::queue
