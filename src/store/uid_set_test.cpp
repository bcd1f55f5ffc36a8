// Tests for UidSet range merging and membership.
#include "store/uid_set.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace claret::store {
namespace {

TEST(UidSet, MergesOverlappingAndAdjacentRanges) {
  UidSet s;
  s.add(10, 12);
  s.add(1, 3);
  s.add(4);
  s.add(11, 20);
  ASSERT_EQ(s.ranges().size(), 2u);
  EXPECT_EQ(s.ranges()[0], (UidRange{1, 4}));
  EXPECT_EQ(s.ranges()[1], (UidRange{10, 20}));
  s.add(5, 9);
  ASSERT_EQ(s.ranges().size(), 1u);
  EXPECT_EQ(s.ranges()[0], (UidRange{1, 20}));
}

TEST(UidSet, ReversedRangeAndMembership) {
  UidSet s = UidSet::range(7, 3);
  EXPECT_TRUE(s.contains(3));
  EXPECT_TRUE(s.contains(7));
  EXPECT_FALSE(s.contains(2));
  EXPECT_FALSE(s.contains(8));
  EXPECT_TRUE(UidSet().empty());
  EXPECT_FALSE(UidSet().contains(1));
}

TEST(UidSet, HandlesMaximumWithoutOverflow) {
  const uint32_t max = std::numeric_limits<uint32_t>::max();
  UidSet s = UidSet::all();
  s.add(max);
  s.add(5);
  ASSERT_EQ(s.ranges().size(), 1u);
  EXPECT_TRUE(s.contains(max));
  UidSet t = UidSet::of({max, 1, max - 1});
  ASSERT_EQ(t.ranges().size(), 2u);
  EXPECT_EQ(t.ranges()[1], (UidRange{max - 1, max}));
}

}  // namespace
}  // namespace claret::store
