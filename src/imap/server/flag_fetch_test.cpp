// Tests for the UID/FLAGS/MODSEQ-only FETCH formatter (RFC 9051 §7.5.2, RFC 7162 §3.1.4.1).
#include "imap/server/flag_fetch.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "imap/server/flags.hpp"

namespace claret::imap::server {
namespace {

using Kind = proto::FetchItem::Kind;

std::vector<proto::FetchItem> items(std::initializer_list<Kind> kinds) {
  std::vector<proto::FetchItem> out;
  for (Kind k : kinds) {
    proto::FetchItem i;
    i.kind = k;
    out.push_back(i);
  }
  return out;
}

store::FlagRecord record(std::uint32_t uid, std::uint64_t modseq, store::Flags flags) {
  store::FlagRecord r;
  r.uid = uid;
  r.modseq = modseq;
  r.flags = std::move(flags);
  return r;
}

TEST(FlagFetch, OnlyUidFlagsAndModseqQualify) {
  EXPECT_TRUE(flags_only(items({Kind::uid, Kind::flags})));
  EXPECT_TRUE(flags_only(items({Kind::flags, Kind::modseq})));
  EXPECT_FALSE(flags_only(items({Kind::uid, Kind::flags, Kind::rfc822_size})));
  EXPECT_FALSE(flags_only(items({Kind::envelope})));
  EXPECT_FALSE(flags_only({}));
}

TEST(FlagFetch, FormatsItemsInOrderOnceEach) {
  std::string out;
  const auto r = record(4000000000u, 18446744073709551615ull, store::Flags{store::flag::kSeen | store::flag::kDraft, {"$Work"}});
  append_flag_fetch(out, 1, r, items({Kind::uid, Kind::flags}), true, false, false);
  EXPECT_EQ(out, "* 1 FETCH (UID 4000000000 FLAGS (\\Seen \\Draft $Work))\r\n");
  out.clear();
  // FETCH (FLAGS UID MODSEQ FLAGS) without UID mode: the client's order, duplicates once.
  append_flag_fetch(out, 7, record(9, 3, {}), items({Kind::flags, Kind::uid, Kind::modseq, Kind::flags}), false, true,
                    true);
  EXPECT_EQ(out, "* 7 FETCH (FLAGS (\\Recent) UID 9 MODSEQ (3))\r\n");
  out.clear();
  // CHANGEDSINCE without MODSEQ asked: MODSEQ last; lines accumulate in the buffer.
  append_flag_fetch(out, 2, record(5, 11, {}), items({Kind::flags}), true, true, false);
  append_flag_fetch(out, 3, record(6, 12, store::Flags{store::flag::kFlagged, {}}), items({Kind::flags}), true, true,
                    false);
  EXPECT_EQ(out, "* 2 FETCH (UID 5 FLAGS () MODSEQ (11))\r\n* 3 FETCH (UID 6 FLAGS (\\Flagged) MODSEQ (12))\r\n");
}

// Lines without keywords are built on the stack from a table of system-flag lists: every set, with and without
// \Recent, reads as flags_to_wire writes it.
TEST(FlagFetch, EverySystemFlagSetFormatsLikeFlagsToWire) {
  for (std::uint32_t bits = 0; bits < 32; ++bits) {
    for (bool recent : {false, true}) {
      std::string out = "prefix";
      append_flag_fetch(out, 3, record(9, 12, store::Flags{bits, {}}), items({Kind::flags, Kind::modseq}), true, false,
                        recent);
      EXPECT_EQ(out, "prefix* 3 FETCH (UID 9 FLAGS " + flags_to_wire(store::Flags{bits, {}}, recent) +
                         " MODSEQ (12))\r\n");
    }
  }
  std::string out;
  append_flag_fetch(out, 4294967295u, record(4294967295u, 18446744073709551615ull, store::Flags{store::flag::kAll, {}}),
                    items({Kind::modseq, Kind::flags, Kind::uid}), true, true, true);
  EXPECT_EQ(out, "* 4294967295 FETCH (UID 4294967295 MODSEQ (18446744073709551615) FLAGS (\\Recent \\Seen \\Answered "
                 "\\Flagged \\Deleted \\Draft))\r\n");
}

TEST(FlagFetch, AppendFlagsWireMatchesFlagsToWire) {
  store::Flags f{store::flag::kAnswered | store::flag::kDeleted, {"a", "b"}};
  std::string out = "x";
  append_flags_wire(out, f, true);
  EXPECT_EQ(out, "x" + flags_to_wire(f, true));
  EXPECT_EQ(flags_to_wire(f, true), "(\\Recent \\Answered \\Deleted a b)");
  EXPECT_EQ(flags_to_wire(store::Flags{}, true), "(\\Recent)");
}

// The formatter writes, piece by piece and whatever the piece size, exactly the lines one walk writes: rows outside
// the view skipped, sequence numbers from the view, CHANGEDSINCE, sets with holes, \Recent from the view.
TEST(FlagFetch, PiecesJoinToTheWholeReply) {
  auto listing = std::make_shared<store::FlagListing>();
  for (std::uint32_t uid = 1; uid <= 3000; ++uid) {
    if (uid % 7 == 0) continue;  // expunged
    store::Flags f{uid % 3 == 0 ? store::flag::kSeen : 0u, {}};
    if (uid % 100 == 0) f.keywords = {"$Work"};
    listing->records.push_back(record(uid, uid % 50 + 1, f));
    listing->uids.push_back(uid);
  }
  // The view lacks UID 10 (expunged elsewhere and already reported) and has UID 14 (a ghost not in the listing).
  std::vector<std::uint32_t> view_uids;
  for (auto uid : listing->uids)
    if (uid != 10) view_uids.push_back(uid);
  view_uids.insert(std::lower_bound(view_uids.begin(), view_uids.end(), 14u), 14u);
  store::MailboxInfo info;
  info.id = 1;
  SelectedMailbox view(info, false, view_uids);
  view.add_recent({2990, 3001});

  FlagRows rows;
  rows.listing = listing;
  rows.uids.add(1, 100);
  rows.uids.add(500, 2995);
  rows.changed_since = 10;
  const auto its = items({Kind::uid, Kind::flags});

  std::string expected;
  std::size_t lines = 0;
  for (const auto& r : listing->records) {
    if (!rows.uids.contains(r.uid) || r.modseq <= rows.changed_since || r.uid == 10) continue;
    auto seq = view.seq_of(r.uid);
    ASSERT_TRUE(seq.has_value());
    append_flag_fetch(expected, *seq, r, its, true, true, view.is_recent(r.uid));
    ++lines;
  }
  ASSERT_GT(lines, 1000u);
  for (std::size_t piece : {std::size_t{1}, std::size_t{100}, std::size_t{4096}, std::size_t{1} << 30}) {
    FlagFetchFormatter f(rows, view, its, true, true, true);
    std::string whole;
    int pieces = 0;
    for (bool done = false; !done && pieces < 100000; ++pieces) {
      std::string out;
      done = f.format(out, piece);
      if (!done) {
        EXPECT_GE(out.size(), piece);
      }
      whole += out;
    }
    EXPECT_EQ(whole, expected) << "piece " << piece;
  }

  // A few rows read for the command (no listing): the same lines.
  FlagRows few;
  few.copies = {listing->records[0], listing->records[5], listing->records[6]};
  FlagFetchFormatter f(few, view, its, false, false, false);
  std::string out;
  EXPECT_TRUE(f.format(out, 1 << 20));
  std::string want;
  for (const auto& r : few.copies) append_flag_fetch(want, *view.seq_of(r.uid), r, its, false, false, false);
  EXPECT_EQ(out, want);
}

// A view over the listing's own UID array (SELECT's shared snapshot, unchanged since): sequence numbers are the
// listing's positions. Every order of items, with and without UID/MODSEQ added, and keyword lines long enough to
// make the output grow past its reserve, read exactly as append_flag_fetch writes them.
TEST(FlagFetch, SharedViewEveryItemOrderAndLongKeywords) {
  auto listing = std::make_shared<store::FlagListing>();
  for (std::uint32_t uid = 3; uid <= 2500; uid += 1 + uid % 3) {
    store::Flags f{uid % 32, {}};
    if (uid % 97 == 0) f.keywords = {"$Work", std::string(300, 'k')};
    listing->records.push_back(record(uid, 1000000000000ull + uid, f));
    listing->uids.push_back(uid);
  }
  store::MailboxInfo info;
  info.id = 1;
  SelectedMailbox view(info, false, UidSnapshot(listing, &listing->uids));
  view.add_recent({2000, 2600});
  FlagRows rows;
  rows.listing = listing;
  rows.uids.add(1, 4000);
  const std::vector<std::vector<Kind>> orders = {
      {Kind::uid},   {Kind::flags}, {Kind::modseq}, {Kind::uid, Kind::flags}, {Kind::flags, Kind::uid},
      {Kind::modseq, Kind::flags, Kind::uid}, {Kind::flags, Kind::modseq, Kind::flags, Kind::uid, Kind::modseq}};
  for (const auto& order : orders) {
    std::vector<proto::FetchItem> its;
    for (Kind k : order) its.push_back(items({k})[0]);
    for (int extra = 0; extra < 4; ++extra) {
      const bool add_uid = extra & 1, add_modseq = extra & 2;
      std::string expected;
      for (std::size_t i = 0; i < listing->records.size(); ++i) {
        const auto& r = listing->records[i];
        append_flag_fetch(expected, static_cast<std::uint32_t>(i) + 1, r, its, add_uid, add_modseq,
                          view.is_recent(r.uid));
      }
      for (std::size_t piece : {std::size_t{700}, std::size_t{1} << 30}) {
        FlagFetchFormatter f(rows, view, its, add_uid, add_modseq, true);
        std::string whole;
        for (bool done = false; !done;) {
          std::string out;  // no reserve: the formatter grows it
          done = f.format(out, piece);
          whole += out;
        }
        EXPECT_EQ(whole, expected) << "items " << order.size() << " extra " << extra << " piece " << piece;
      }
    }
  }
}

}  // namespace
}  // namespace claret::imap::server
