// Tests for the RETR read-ahead bookkeeping: window growth, byte and message caps, deleted and large messages,
// clients that skip or jump (RFC 1939 §5 RETR).
#include "pop3/server/read_ahead.hpp"

#include <gtest/gtest.h>

namespace claret::pop3::server {
namespace {

constexpr std::uint64_t kWhole = 256 * 1024;

Maildrop drop_of(const std::vector<std::uint64_t>& sizes) {
  std::vector<MaildropMessage> messages;
  std::uint32_t uid = 0;
  for (std::uint64_t size : sizes) messages.push_back(MaildropMessage{++uid, size, "blob" + std::to_string(uid)});
  return Maildrop(1, 7, std::move(messages));
}

using Numbers = std::vector<std::uint64_t>;

// Prepares what plan() asks for, as the session does, with a response naming the message.
void fill(ReadAhead& ra, const Numbers& numbers) {
  for (auto n : numbers) ra.hold(n, "response " + std::to_string(n));
}

TEST(ReadAhead, InOrderClientGetsGrowingBatchesUpToTheCap) {
  Maildrop drop = drop_of(std::vector<std::uint64_t>(40, 1000));
  ReadAhead ra;
  // RETR 1 is prepared by the RETR itself; then 2, then 3-4, 5-8, 9-16, 17-24.
  EXPECT_TRUE(ra.want_more(1, false));
  Numbers expected_batches[] = {{2}, {3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12, 13, 14, 15, 16}, {17, 18, 19, 20, 21, 22, 23, 24}};
  std::uint64_t n = 1;
  for (const auto& expected : expected_batches) {
    Numbers plan = ra.plan(drop, n, kWhole);
    EXPECT_EQ(plan, expected);
    fill(ra, plan);
    for (auto m : plan) {
      auto held = ra.take(m);
      ASSERT_TRUE(held);
      EXPECT_EQ(*held, "response " + std::to_string(m));
      // More is wanted only once the batch is used up.
      EXPECT_EQ(ra.want_more(m, true), m == plan.back());
      n = m;
    }
  }
  EXPECT_EQ(ra.window(), ReadAhead::kMaxMessages);
  EXPECT_EQ(ra.held_bytes(), 0u);
}

TEST(ReadAhead, BatchStopsAtTheByteCapButAlwaysTakesOne) {
  Maildrop drop = drop_of({100, 200 * 1024, 200 * 1024, 200 * 1024, 200 * 1024, 200 * 1024, 200 * 1024, 10});
  ReadAhead ra;
  for (int i = 0; i < 4; ++i) (void)ra.plan(drop, 100, kWhole);  // open the window fully (nothing past the end)
  ASSERT_EQ(ra.window(), ReadAhead::kMaxMessages);
  Numbers plan = ra.plan(drop, 1, kWhole);
  EXPECT_EQ(plan, (Numbers{2, 3, 4, 5, 6}));  // 5 x 200 KiB <= 1 MiB; a sixth would pass it
  Maildrop big = drop_of({100, 250 * 1024});
  ReadAhead one;
  EXPECT_EQ(one.plan(big, 1, kWhole), (Numbers{2}));
}

TEST(ReadAhead, SkipsDeletedAndStopsBeforeALargeMessage) {
  Maildrop drop = drop_of({10, 10, 10, 300 * 1024, 10, 10});
  ASSERT_TRUE(drop.mark_deleted(2));
  ReadAhead ra;
  (void)ra.plan(drop, 100, kWhole);
  (void)ra.plan(drop, 100, kWhole);  // window 4
  EXPECT_EQ(ra.plan(drop, 1, kWhole), (Numbers{3}));  // 2 deleted, 4 is streamed when asked for
  EXPECT_EQ(ra.plan(drop, 4, kWhole), (Numbers{5, 6}));
  EXPECT_TRUE(ra.plan(drop, 6, kWhole).empty());
}

TEST(ReadAhead, SkippedNumbersAreDroppedAndAJumpDropsAll) {
  Maildrop drop = drop_of(std::vector<std::uint64_t>(20, 10));
  ReadAhead ra;
  for (int i = 0; i < 3; ++i) (void)ra.plan(drop, 100, kWhole);
  fill(ra, ra.plan(drop, 1, kWhole));  // 2..9
  ASSERT_EQ(ra.held(), 8u);
  // The client deleted 2 and 3 and goes on with 4: still in order, 2 and 3 are dropped.
  auto four = ra.take(4);
  ASSERT_TRUE(four);
  EXPECT_EQ(*four, "response 4");
  EXPECT_FALSE(ra.want_more(4, true));
  EXPECT_EQ(ra.held(), 5u);
  // A jump backwards: a miss, nothing held any more, the window back to one message.
  EXPECT_FALSE(ra.take(1));
  EXPECT_EQ(ra.held(), 0u);
  EXPECT_EQ(ra.held_bytes(), 0u);
  EXPECT_FALSE(ra.want_more(1, false));
  EXPECT_EQ(ra.window(), 1u);
  // The client goes on in order from there: one message, then two...
  EXPECT_TRUE(ra.want_more(2, false));
  EXPECT_EQ(ra.plan(drop, 2, kWhole), (Numbers{3}));
  EXPECT_EQ(ra.window(), 2u);
}

TEST(ReadAhead, ClientSharingOutNumbersNeverReadsAhead) {
  // Several sessions taking numbers from one counter: each sees gaps, so none reads ahead.
  ReadAhead ra;
  EXPECT_FALSE(ra.want_more(3, false));
  EXPECT_FALSE(ra.want_more(7, false));
  EXPECT_FALSE(ra.want_more(10, false));
  EXPECT_FALSE(ra.take(11));
}

}  // namespace
}  // namespace claret::pop3::server
