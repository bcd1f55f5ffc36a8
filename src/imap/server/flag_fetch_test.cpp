// Tests for the UID/FLAGS/MODSEQ-only FETCH formatter (RFC 9051 §7.5.2, RFC 7162 §3.1.4.1).
#include "imap/server/flag_fetch.hpp"

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

}  // namespace
}  // namespace claret::imap::server
