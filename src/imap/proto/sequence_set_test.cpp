// Tests for IMAP sequence sets (RFC 9051 §9 sequence-set, §6.4.9 "*", RFC 5182 "$").
#include "imap/proto/sequence_set.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace claret::imap::proto {
namespace {

TEST(SequenceSet, ParsesAndPrints) {
  for (std::string s : {"1", "1:5", "5:1", "*", "1:*", "*:4", "1,3,5:7,9:*", "2:2"}) {
    auto r = parse_sequence_set(s, 100);
    ASSERT_TRUE(r) << s;
    EXPECT_EQ(r->to_string(), s == "2:2" ? "2" : s);
  }
  auto saved = parse_sequence_set("$", 100);
  ASSERT_TRUE(saved);
  EXPECT_TRUE(saved->is_saved_result());
  EXPECT_EQ(saved->to_string(), "$");
}

TEST(SequenceSet, RejectsBadSyntax) {
  for (std::string s : {"", "0", "1:0", ",", "1,", ",1", "1::2", "1:", ":1", "a", "1 2", "4294967296", "$,1", "1,$",
                        "**", "-1"}) {
    EXPECT_FALSE(parse_sequence_set(s, 100)) << s;
  }
  EXPECT_FALSE(parse_sequence_set("$", 100, false));
}

TEST(SequenceSet, ResolveStarAndOrder) {
  auto s = *parse_sequence_set("5:2,9,*,7:8", 100);
  EXPECT_EQ(s.resolve(20), (std::vector<SeqRange>{{2, 5}, {7, 9}, {20, 20}}));
  // RFC 9051 §6.4.9: "559:*" includes the last UID even if it is below 559.
  auto t = *parse_sequence_set("559:*", 100);
  EXPECT_EQ(t.resolve(100), (std::vector<SeqRange>{{100, 559}}));
  // Empty mailbox: "*" is nothing, "1:*" is {1}.
  EXPECT_TRUE(parse_sequence_set("*", 100)->resolve(0).empty());
  EXPECT_EQ(parse_sequence_set("1:*", 100)->resolve(0), (std::vector<SeqRange>{{1, 1}}));
  EXPECT_TRUE(s.contains(20, 20));
  EXPECT_TRUE(s.contains(3, 20));
  EXPECT_FALSE(s.contains(6, 20));
  EXPECT_FALSE(s.contains(0, 20));
  EXPECT_TRUE(s.uses_star());
  // Merging adjacent and overlapping ranges, also at the top of the range.
  auto u = *parse_sequence_set("4294967295,1:3,4,2:6,4294967294", 100);
  EXPECT_EQ(u.resolve(1), (std::vector<SeqRange>{{1, 6}, {4294967294u, 4294967295u}}));
}

TEST(SequenceSet, HundredThousandElementsAreFastAndSmall) {
  std::string big;
  for (int i = 1; i <= 100000; ++i) {
    if (i > 1) big += ',';
    big += std::to_string(i * 2);
  }
  auto start = std::chrono::steady_clock::now();
  auto r = parse_sequence_set(big, 100000);
  auto resolved = r->resolve(1000000);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ranges().size(), 100000u);
  EXPECT_EQ(resolved.size(), 100000u);
  EXPECT_LT(ms, 2000);  // generous for ASan; typically a few ms
  EXPECT_LE(r->ranges().capacity() * sizeof(SeqRange), 2u * 1024 * 1024);
  // One more range is over the bound.
  auto over = parse_sequence_set(big + ",1", 100000);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, static_cast<int>(ParseErrc::limit));
  // A huge range is one element.
  EXPECT_EQ(parse_sequence_set("1:4294967295", 1)->ranges().size(), 1u);
}

TEST(SequenceSet, FormatNumberSet) {
  EXPECT_EQ(format_number_set({1, 2, 3, 5, 7, 8}), "1:3,5,7:8");
  EXPECT_EQ(format_number_set({}), "");
  EXPECT_EQ(format_number_set({4, 4, 5}), "4:5");
}

}  // namespace
}  // namespace claret::imap::proto
