#include "base/strings.hpp"

#include <gtest/gtest.h>

namespace claret {

TEST(Strings, CaseInsensitive) {
  EXPECT_TRUE(iequals("EHLO", "ehlo"));
  EXPECT_FALSE(iequals("EHLO", "ehl"));
  EXPECT_TRUE(istarts_with("MAIL FROM:<a@b>", "mail from:"));
  EXPECT_EQ(to_lower("AbC"), "abc");
}

TEST(Strings, ParseU64) {
  EXPECT_EQ(parse_u64("0"), 0u);
  EXPECT_EQ(parse_u64("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_u64("18446744073709551616"));
  EXPECT_FALSE(parse_u64(""));
  EXPECT_FALSE(parse_u64("-1"));
  EXPECT_FALSE(parse_u64("1 "));
}

TEST(Strings, SplitTrim) {
  auto parts = split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(trim("  x \r\n"), "x");
}

}  // namespace claret
