// Tests for the IMAP load client's literal detection (RFC 3501 §4.3, RFC 7888 non-synchronising literals).
#include "imap_client.hpp"

#include <gtest/gtest.h>

namespace claret::bench {
namespace {

TEST(ImapClientLiteral, DetectsSynchronisingAndNonSynchronisingLiterals) {
  uint64_t n = 0;
  EXPECT_TRUE(ends_with_literal("* 1 FETCH (BODY[] {1234}", n));
  EXPECT_EQ(n, 1234u);
  EXPECT_TRUE(ends_with_literal("a1 LOGIN {5+}", n));
  EXPECT_EQ(n, 5u);
  EXPECT_TRUE(ends_with_literal("{0}", n));
  EXPECT_EQ(n, 0u);
}

TEST(ImapClientLiteral, IgnoresBracesThatAreNotLiterals) {
  uint64_t n = 0;
  EXPECT_FALSE(ends_with_literal("* OK done", n));
  EXPECT_FALSE(ends_with_literal("* 1 FETCH (ENVELOPE (\"a}\"))", n));
  EXPECT_FALSE(ends_with_literal("{x}", n));
  EXPECT_FALSE(ends_with_literal("{}", n));
  EXPECT_FALSE(ends_with_literal("", n));
}

}  // namespace
}  // namespace claret::bench
