// Tests for the DKIM tag=value list parser (RFC 6376 §3.2).
#include "mailauth/tag_list.hpp"

#include <gtest/gtest.h>

namespace claret::mailauth {
namespace {

TEST(TagList, ParsesWithFoldingWhitespaceAndTrailingSemicolon) {
  auto t = TagList::parse(" v=1; a = rsa-sha256;\r\n\tb=ab\r\n\t cd ;");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->tags().size(), 3u);
  EXPECT_EQ(*t->get("a"), "rsa-sha256");
  EXPECT_EQ(*t->get("b"), "ab\r\n\t cd");
  EXPECT_EQ(remove_fws(*t->get("b")), "abcd");
  EXPECT_FALSE(t->get("V"));  // tag names are case-sensitive
}

TEST(TagList, EmptyValueIsAllowed) {
  auto t = TagList::parse("p=");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t->get("p"), "");
}

TEST(TagList, RejectsDuplicatesAndMalformedSpecs) {
  EXPECT_FALSE(TagList::parse("a=1; a=2"));
  EXPECT_FALSE(TagList::parse("a=1; junk"));
  EXPECT_FALSE(TagList::parse("1a=x"));
  EXPECT_FALSE(TagList::parse("=x"));
}

}  // namespace
}  // namespace claret::mailauth
