// Tests for SelectedMailbox: sequence numbers ↔ UIDs, sets with "*", and catching up without renumbering.
#include "imap/server/selected_mailbox.hpp"

#include <gtest/gtest.h>

namespace claret::imap::server {
namespace {

SelectedMailbox make(std::vector<std::uint32_t> uids) {
  store::MailboxInfo info;
  info.id = 1;
  info.name = "INBOX";
  return SelectedMailbox(info, false, std::move(uids));
}

std::vector<store::UidRange> ranges(const store::UidSet& s) { return s.ranges(); }

TEST(SelectedMailbox, SequenceNumbersMapToUids) {
  auto m = make({3, 5, 6, 9});
  EXPECT_EQ(m.count(), 4u);
  EXPECT_EQ(m.seq_of(6), 3u);
  EXPECT_FALSE(m.seq_of(4).has_value());
  EXPECT_EQ(m.uid_at(4), 9u);
  bool oor = false;
  auto set = m.uids_for_sequence(*proto::parse_sequence_set("2:*", 100), oor);
  EXPECT_FALSE(oor);
  EXPECT_EQ(ranges(set), (std::vector<store::UidRange>{{5, 6}, {9, 9}}));
  m.uids_for_sequence(*proto::parse_sequence_set("5", 100), oor);
  EXPECT_TRUE(oor);
}

TEST(SelectedMailbox, UidSetsKeepOnlyKnownUids) {
  auto m = make({3, 5, 6, 9});
  auto set = m.uids_for_uid_set(*proto::parse_sequence_set("1:7", 100));
  EXPECT_EQ(ranges(set), (std::vector<store::UidRange>{{3, 3}, {5, 6}}));
  // "*" is the highest UID, even for a range starting above it (RFC 9051 §6.4.9).
  auto star = m.uids_for_uid_set(*proto::parse_sequence_set("100:*", 100));
  EXPECT_EQ(ranges(star), (std::vector<store::UidRange>{{9, 9}}));
  EXPECT_TRUE(make({}).uids_for_uid_set(*proto::parse_sequence_set("1:*", 100)).empty());
}

TEST(SelectedMailbox, RemoveReportsNumbersValidWhenSent) {
  auto m = make({1, 2, 3, 4, 5});
  auto seqs = m.remove({2, 4});
  EXPECT_EQ(seqs, (std::vector<std::uint32_t>{4, 2}));
  EXPECT_EQ(m.uids(), (std::vector<std::uint32_t>{1, 3, 5}));
}

TEST(SelectedMailbox, CatchUpAddsAndExpungesOnlyWhenAllowed) {
  auto m = make({1, 2, 3});
  auto u = m.catch_up({1, 3, 4}, false);
  EXPECT_TRUE(u.expunged_seqs.empty());
  ASSERT_TRUE(u.exists.has_value());
  EXPECT_EQ(*u.exists, 4u);  // uid 2 still counted until EXPUNGE may be sent
  u = m.catch_up({1, 3, 4}, true);
  EXPECT_EQ(u.expunged_seqs, (std::vector<std::uint32_t>{2}));
  EXPECT_FALSE(u.exists.has_value());
  EXPECT_EQ(m.uids(), (std::vector<std::uint32_t>{1, 3, 4}));
}

TEST(SelectedMailbox, RecentRangesCountOnlyUidsInTheView) {
  auto m = make({1, 2, 4, 5});
  EXPECT_EQ(m.recent_count(), 0u);
  m.add_recent({2, 5});  // claimed [2, 5): 3 was expunged before the view saw it
  EXPECT_EQ(m.recent_uids(), (std::vector<std::uint32_t>{2, 4}));
  EXPECT_FALSE(m.is_recent(1));
  EXPECT_TRUE(m.is_recent(3));
  EXPECT_FALSE(m.is_recent(5));
  m.add_recent({5, 7});  // the next claim continues the range
  m.add_recent({4, 7});  // an EXAMINE look may overlap: no duplicates
  m.add_recent({9, 9});  // an empty claim
  m.catch_up({1, 2, 4, 5, 6}, true);
  EXPECT_EQ(m.recent_uids(), (std::vector<std::uint32_t>{2, 4, 5, 6}));
  EXPECT_EQ(m.recent_count(), 4u);
}

// SELECT's view over the store's listing: shared until the view changes, then a copy of its own; the snapshot (and
// every other view on it) never changes.
TEST(SelectedMailbox, SharedSnapshotIsCopiedOnlyWhenTheViewChanges) {
  store::MailboxInfo info;
  info.id = 1;
  auto snapshot = std::make_shared<const std::vector<std::uint32_t>>(std::vector<std::uint32_t>{2, 4, 6, 8});
  SelectedMailbox a(info, false, snapshot);
  SelectedMailbox b(info, true, snapshot);
  EXPECT_TRUE(a.shares_snapshot());
  EXPECT_EQ(&a.uids(), snapshot.get());  // no copy
  EXPECT_EQ(a.seq_of(6), 3u);
  EXPECT_EQ(a.uid_at(4), 8u);
  bool oor = false;
  EXPECT_EQ(ranges(a.uids_for_sequence(*proto::parse_sequence_set("2:*", 100), oor)),
            (std::vector<store::UidRange>{{4, 4}, {6, 6}, {8, 8}}));

  // Nothing new and nothing gone: still shared.
  auto u = a.catch_up({2, 4, 6, 8}, true);
  EXPECT_FALSE(u.exists.has_value());
  EXPECT_TRUE(a.shares_snapshot());
  // Removing a UID not in the view changes nothing either.
  EXPECT_TRUE(a.remove({5}).empty());
  EXPECT_TRUE(a.shares_snapshot());

  // An expunge (held back, then allowed) and a delivery: a copies, b and the snapshot keep the old list.
  u = a.catch_up({2, 6, 8, 9}, false);
  ASSERT_TRUE(u.exists.has_value());
  EXPECT_EQ(*u.exists, 5u);
  EXPECT_FALSE(a.shares_snapshot());
  EXPECT_EQ(a.uids(), (std::vector<std::uint32_t>{2, 4, 6, 8, 9}));
  EXPECT_EQ(*snapshot, (std::vector<std::uint32_t>{2, 4, 6, 8}));
  u = a.catch_up({2, 6, 8, 9}, true);
  EXPECT_EQ(u.expunged_seqs, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(a.uids(), (std::vector<std::uint32_t>{2, 6, 8, 9}));
  EXPECT_TRUE(b.shares_snapshot());
  EXPECT_EQ(b.seq_of(8), 4u);
  EXPECT_EQ(b.remove({8, 2}), (std::vector<std::uint32_t>{4, 1}));
  EXPECT_EQ(b.uids(), (std::vector<std::uint32_t>{4, 6}));
  EXPECT_EQ(*snapshot, (std::vector<std::uint32_t>{2, 4, 6, 8}));

  // detach: the same list, owned.
  SelectedMailbox c(info, false, snapshot);
  c.detach();
  EXPECT_FALSE(c.shares_snapshot());
  EXPECT_NE(&c.uids(), snapshot.get());
  EXPECT_EQ(c.uids(), *snapshot);
  // A null snapshot is an empty view.
  SelectedMailbox e(info, false, UidSnapshot());
  EXPECT_EQ(e.count(), 0u);
  EXPECT_EQ(e.max_uid(), 0u);
}

}  // namespace
}  // namespace claret::imap::server
