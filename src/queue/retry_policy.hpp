// RetryPolicy: when to try a queued message again and when to give up (RFC 5321 §4.5.4.1: retry interval at
// least 30 minutes is suggested for the general case, give-up time at least 4-5 days; we start lower and double).
#pragma once

#include <cstdint>

namespace claret::queue {

struct RetryPolicy {
  int64_t retry_min_seconds = 60;           // first retry after this
  int64_t retry_max_seconds = 3600;         // doubling stops here
  int64_t lifetime_seconds = 5 * 86400;     // bounce what is still pending this long after arrival
  int64_t delay_warning_seconds = 4 * 3600; // one delay DSN once a message has waited this long (0: never)
};

// Delay before attempt number `attempts + 1`, given `attempts` failed attempts so far (>= 1): min * 2^(attempts-1),
// capped at max. Never less than one second.
int64_t retry_delay(const RetryPolicy& policy, int attempts);

// True when a message that arrived at `arrival` should be given up at `now`.
inline bool expired(const RetryPolicy& policy, int64_t arrival, int64_t now) {
  return now - arrival >= policy.lifetime_seconds;
}

}  // namespace claret::queue
