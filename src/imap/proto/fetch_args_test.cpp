// Tests for FETCH items (RFC 9051 §6.4.5), sections and partials, BINARY (RFC 3516) and CONDSTORE modifiers.
#include "imap/proto/fetch_args.hpp"

#include <gtest/gtest.h>

#include "imap/proto/test_support.hpp"

namespace claret::imap::proto {
namespace {

using K = FetchItem::Kind;
using testing::args_of;

TEST(FetchArgs, MacrosExpand) {
  auto all = args_of<FetchArgs>("FETCH 1 ALL");
  ASSERT_EQ(all.items.size(), 4u);
  EXPECT_EQ(all.items[3].kind, K::envelope);
  auto fast = args_of<FetchArgs>("FETCH 1 fast");
  EXPECT_EQ(fast.items.size(), 3u);
  auto full = args_of<FetchArgs>("FETCH 1 FULL");
  ASSERT_EQ(full.items.size(), 5u);
  EXPECT_EQ(full.items[4].kind, K::body_structure_basic);
}

TEST(FetchArgs, SectionsAndPartials) {
  auto a = args_of<FetchArgs>(
      "FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (date From)] BODY.PEEK[1.2.HEADER]<0.1024> BODY[1.2.MIME] BODY[] "
      "BODY[3] BODY[TEXT] BODY[4.1.HEADER.FIELDS.NOT (X-A)] BINARY.PEEK[1]<5.10> BINARY.SIZE[2] BINARY[])");
  ASSERT_EQ(a.items.size(), 11u);
  EXPECT_EQ(a.items[0].kind, K::flags);
  EXPECT_EQ(a.items[1].response_name(), "BODY[HEADER.FIELDS (DATE FROM)]");
  EXPECT_FALSE(a.items[1].peek);
  EXPECT_TRUE(a.items[2].peek);
  EXPECT_EQ(a.items[2].section.part, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(a.items[2].section.text, Section::Text::header);
  ASSERT_TRUE(a.items[2].partial);
  EXPECT_EQ(a.items[2].partial->length, 1024u);
  EXPECT_EQ(a.items[2].response_name(), "BODY[1.2.HEADER]<0>");
  EXPECT_EQ(a.items[3].response_name(), "BODY[1.2.MIME]");
  EXPECT_EQ(a.items[4].response_name(), "BODY[]");
  EXPECT_EQ(a.items[5].response_name(), "BODY[3]");
  EXPECT_EQ(a.items[6].response_name(), "BODY[TEXT]");
  EXPECT_EQ(a.items[7].response_name(), "BODY[4.1.HEADER.FIELDS.NOT (X-A)]");
  EXPECT_EQ(a.items[8].kind, K::binary);
  EXPECT_TRUE(a.items[8].peek);
  EXPECT_EQ(a.items[8].response_name(), "BINARY[1]<5>");
  EXPECT_EQ(a.items[9].response_name(), "BINARY.SIZE[2]");
  EXPECT_EQ(a.items[10].response_name(), "BINARY[]");
}

TEST(FetchArgs, CondstoreModifiers) {
  auto a = args_of<FetchArgs>("UID FETCH 300:500 (FLAGS MODSEQ) (CHANGEDSINCE 12345 VANISHED)");
  EXPECT_EQ(a.changed_since, std::optional<std::uint64_t>(12345));
  EXPECT_TRUE(a.vanished);
  EXPECT_EQ(a.items[1].kind, K::modseq);
}

TEST(FetchArgs, Preview) {
  auto a = args_of<FetchArgs>("FETCH 1 (PREVIEW (LAZY) UID)");
  ASSERT_EQ(a.items.size(), 2u);
  EXPECT_EQ(a.items[0].kind, K::preview);
  EXPECT_TRUE(a.items[0].lazy);
}

TEST(FetchArgs, BadItems) {
  for (std::string bad : {"FETCH 1 BODY[HEADER.FIELDS ()]", "FETCH 1 BODY[HEADER.FIELDS]", "FETCH 1 BODY[1.MIME.TEXT]",
                          "FETCH 1 BODY[1]<1>", "FETCH 1 BODY[1]<.5>", "FETCH 1 BODY[1]<1.>", "FETCH 1 BODY[FOO]",
                          "FETCH 1 BODY[1", "FETCH 1 BINARY[HEADER]", "FETCH 1 BINARY.SIZE", "FETCH 1 (FLAGS",
                          "FETCH 1 FLAGS FLAGS", "FETCH 1 (FLAGS) ()", "FETCH 1 (FLAGS) (CHANGEDSINCE x)",
                          "FETCH 1 (PREVIEW (FUZZY))", "FETCH 1 RFC822.FOO", "FETCH x FLAGS", "FETCH 1 BODY[4294967296]"}) {
    EXPECT_FALSE(testing::parse_line(bad)) << bad;
  }
}

}  // namespace
}  // namespace claret::imap::proto
