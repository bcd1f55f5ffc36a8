// Tests for the SEARCH key tree (RFC 9051 §6.4.4), ESEARCH return options (RFC 4731) and "$" (RFC 5182).
#include "imap/proto/search_args.hpp"

#include <gtest/gtest.h>

#include "imap/proto/test_support.hpp"

namespace claret::imap::proto {
namespace {

using K = SearchKey::Kind;
using testing::args_of;

// A compact rendering of the tree to compare against.
std::string render(const SearchKey& k) {
  auto kids = [&] {
    std::string s;
    for (const auto& c : k.children) s += " " + render(c);
    return s;
  };
  switch (k.kind) {
    case K::and_: return "(and" + kids() + ")";
    case K::or_: return "(or" + kids() + ")";
    case K::not_: return "(not" + kids() + ")";
    case K::from: return "from:" + k.text;
    case K::header: return "header:" + k.field + "=" + k.text;
    case K::since: return "since:" + format_date(k.date);
    case K::seen: return "seen";
    case K::flagged: return "flagged";
    case K::deleted: return "deleted";
    case K::uid: return "uid:" + k.set.to_string();
    case K::sequence: return "seq:" + k.set.to_string();
    case K::larger: return "larger:" + std::to_string(k.number);
    case K::modseq: return "modseq:" + std::to_string(k.number) + (k.field.empty() ? "" : "@" + k.field + "/" + k.text);
    case K::keyword: return "keyword:" + k.text;
    case K::all: return "all";
    case K::text: return "text:" + k.text;
    default: return "other";
  }
}

TEST(SearchArgs, Rfc9051Example) {
  auto a = args_of<SearchArgs>("SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"");
  EXPECT_EQ(render(a.key), "(and flagged since:1-Feb-1994 (not from:Smith))");
  EXPECT_FALSE(a.ret.esearch);
  EXPECT_FALSE(a.charset);
}

TEST(SearchArgs, NestingAndSets) {
  auto a = args_of<SearchArgs>("SEARCH OR (SEEN FLAGGED) NOT (DELETED) UID 1:*,5 2:4 $ LARGER 100");
  EXPECT_EQ(render(a.key), "(and (or (and seen flagged) (not (and deleted))) uid:1:*,5 seq:2:4 seq:$ larger:100)");
}

TEST(SearchArgs, SavedResultAndModseq) {
  auto a = args_of<SearchArgs>("UID SEARCH $");
  EXPECT_EQ(render(a.key), "seq:$");
  auto m = args_of<SearchArgs>("SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338 KEYWORD $Junk");
  EXPECT_EQ(render(m.key), "(and modseq:620162338@/flags/\\draft/all keyword:$Junk)");
}

TEST(SearchArgs, ReturnOptionsAndCharset) {
  auto a = args_of<SearchArgs>("SEARCH RETURN (MIN MAX SAVE) CHARSET utf-8 HEADER Message-ID <x@y>");
  EXPECT_TRUE(a.ret.esearch);
  EXPECT_TRUE(a.ret.min);
  EXPECT_TRUE(a.ret.max);
  EXPECT_TRUE(a.ret.save);
  EXPECT_FALSE(a.ret.all);
  EXPECT_EQ(a.charset, std::optional<std::string>("UTF-8"));
  EXPECT_EQ(render(a.key), "header:Message-ID=<x@y>");
  auto b = args_of<SearchArgs>("SEARCH RETURN () ALL");
  EXPECT_TRUE(b.ret.all);
}

TEST(SearchArgs, EveryKeyParses) {
  for (std::string key :
       {"ALL", "ANSWERED", "BCC x", "BEFORE 1-Jan-2000", "BODY x", "CC x", "DELETED", "DRAFT", "FLAGGED", "FROM x",
        "HEADER a b", "KEYWORD k", "LARGER 1", "NEW", "NOT ALL", "OLD", "ON 1-Jan-2000", "OR ALL ALL", "RECENT",
        "SEEN", "SENTBEFORE 1-Jan-2000", "SENTON 1-Jan-2000", "SENTSINCE 1-Jan-2000", "SINCE 1-Jan-2000",
        "SMALLER 1", "SUBJECT x", "TEXT x", "TO x", "UID 1", "UNANSWERED", "UNDELETED", "UNDRAFT", "UNFLAGGED",
        "UNKEYWORD k", "UNSEEN", "1:5", "*", "$", "(ALL)", "MODSEQ 1", "SAVEDBEFORE 1-Jan-2000",
        "SAVEDON 1-Jan-2000", "SAVEDSINCE 1-Jan-2000", "SAVEDATESUPPORTED", "EMAILID abc", "THREADID abc"}) {
    EXPECT_TRUE(testing::parse_line("SEARCH " + key)) << key;
    EXPECT_TRUE(testing::parse_line("SEARCH NOT " + key)) << key;
  }
}

TEST(SearchArgs, HostileInputFailsCleanly) {
  EXPECT_TRUE(testing::parse_line("SEARCH " + std::string(31, '(') + "ALL" + std::string(31, ')')));
  std::string ors = "SEARCH";
  for (int i = 0; i < 1000; ++i) ors += " OR";
  auto r = testing::parse_line(ors + " ALL ALL");
  EXPECT_FALSE(r);
  for (std::string bad : {"SEARCH OR", "SEARCH HEADER x", "SEARCH UID", "SEARCH UID x", "SEARCH ON", "SEARCH )",
                          "SEARCH ALL)", "SEARCH CHARSET", "SEARCH CHARSET UTF-8", "SEARCH RETURN", "SEARCH RETURN ALL",
                          "SEARCH MODSEQ \"x\" foo 1", "SEARCH KEYWORD (x)"}) {
    EXPECT_FALSE(testing::parse_line(bad)) << bad;
  }
}

}  // namespace
}  // namespace claret::imap::proto
