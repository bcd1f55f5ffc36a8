// UidSet: sorted, merged inclusive UID ranges.
#include "store/uid_set.hpp"

#include <algorithm>
#include <limits>

namespace claret::store {

UidSet UidSet::all() { return range(1, std::numeric_limits<uint32_t>::max()); }

UidSet UidSet::range(uint32_t first, uint32_t last) {
  UidSet s;
  s.add(first, last);
  return s;
}

UidSet UidSet::of(const std::vector<uint32_t>& uids) {
  UidSet s;
  for (uint32_t u : uids) s.add(u);
  return s;
}

void UidSet::add(uint32_t first, uint32_t last) {
  if (first > last) std::swap(first, last);
  UidRange r{first, last};
  auto it = std::lower_bound(ranges_.begin(), ranges_.end(), r,
                             [](const UidRange& a, const UidRange& b) { return a.first < b.first; });
  it = ranges_.insert(it, r);
  // Merge with the predecessor, then swallow successors that touch or overlap (uint64 avoids overflow at max).
  if (it != ranges_.begin()) {
    auto prev = it - 1;
    if (static_cast<uint64_t>(prev->last) + 1 >= it->first) {
      prev->last = std::max(prev->last, it->last);
      it = ranges_.erase(it) - 1;
    }
  }
  auto next = it + 1;
  while (next != ranges_.end() && static_cast<uint64_t>(it->last) + 1 >= next->first) {
    it->last = std::max(it->last, next->last);
    next = ranges_.erase(next);
  }
}

bool UidSet::contains(uint32_t uid) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), uid,
                             [](uint32_t u, const UidRange& r) { return u < r.first; });
  if (it == ranges_.begin()) return false;
  --it;
  return uid >= it->first && uid <= it->last;
}

}  // namespace claret::store
