// A set of IMAP UIDs as sorted, disjoint, inclusive ranges (RFC 9051 §9 sequence-set, after '*' is resolved).
#pragma once

#include <cstdint>
#include <vector>

namespace claret::store {

struct UidRange {
  uint32_t first = 1;
  uint32_t last = 1;  // inclusive
  bool operator==(const UidRange&) const = default;
};

class UidSet {
 public:
  UidSet() = default;
  static UidSet all();                              // 1:4294967295
  static UidSet range(uint32_t first, uint32_t last);  // either order, like IMAP 5:2
  static UidSet of(const std::vector<uint32_t>& uids);

  // Adds a range in either order; keeps ranges sorted and merged.
  void add(uint32_t first, uint32_t last);
  void add(uint32_t uid) { add(uid, uid); }

  bool contains(uint32_t uid) const;
  bool empty() const { return ranges_.empty(); }
  const std::vector<UidRange>& ranges() const { return ranges_; }
  bool operator==(const UidSet&) const = default;

 private:
  std::vector<UidRange> ranges_;
};

}  // namespace claret::store
