#include "imap/client/mailbox_data.hpp"

#include <gtest/gtest.h>

namespace claret::imap::client {
namespace {

Response resp(std::string_view wire) {
  auto r = parse_response(wire);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : Response{};
}

TEST(ImapClientMailboxData, List) {
  auto e = parse_list(resp(R"(* LIST (\HasNoChildren \Sent) "/" "Sent &AOk-l&AOk-ments")"));
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_TRUE(e->has_attribute("\\sent"));
  EXPECT_EQ(e->delimiter, '/');
  EXPECT_EQ(e->name, "Sent &AOk-l&AOk-ments");
  auto flat = parse_list(resp(R"(* LIST () NIL INBOX)"));
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat->delimiter, 0);
  EXPECT_FALSE(parse_list(resp(R"(* LIST "x" "/" INBOX)")).ok());
  EXPECT_FALSE(parse_list(resp(R"(* LIST () "//" INBOX)")).ok());
  EXPECT_FALSE(parse_list(resp(R"(* LIST ())")).ok());
}

TEST(ImapClientMailboxData, Status) {
  auto s = parse_status(resp(R"(* STATUS "blurdybloop" (MESSAGES 231 UIDNEXT 44292 UNSEEN 3))"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->messages, 231u);
  EXPECT_EQ(s->unseen, 3u);
  EXPECT_EQ(s->uidnext, 44292u);
  EXPECT_FALSE(parse_status(resp(R"(* STATUS x (MESSAGES))")).ok());
  EXPECT_FALSE(parse_status(resp(R"(* STATUS x (MESSAGES y))")).ok());
}

TEST(ImapClientMailboxData, SearchSortEsearch) {
  auto s = parse_search(resp("* SEARCH 2 84 882 (MODSEQ 917162500)"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->ids, (std::vector<std::uint32_t>{2, 84, 882}));
  EXPECT_EQ(s->modseq, 917162500u);
  auto sort = parse_search(resp("* SORT 5 3 4"));
  ASSERT_TRUE(sort.ok());
  EXPECT_EQ(sort->ids, (std::vector<std::uint32_t>{5, 3, 4}));
  auto empty = parse_search(resp("* SEARCH"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->ids.empty());
  EXPECT_FALSE(parse_search(resp("* SEARCH 1 x")).ok());
  auto es = parse_esearch(resp(R"(* ESEARCH (TAG "A1") UID COUNT 5 ALL 4:6,10,8:7)"));
  ASSERT_TRUE(es.ok());
  EXPECT_EQ(es->count, 5u);
  EXPECT_EQ(es->ids, (std::vector<std::uint32_t>{4, 5, 6, 10, 8, 7}));
  EXPECT_FALSE(parse_esearch(resp(R"(* ESEARCH UID ALL 1:x)")).ok());
}

TEST(ImapClientMailboxData, Thread) {
  auto t = parse_thread(resp("* THREAD (2)(3 6 (4 23)(44 7 96))"));
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].id, 2u);
  const auto& b = (*t)[1];
  EXPECT_EQ(b.id, 3u);
  ASSERT_EQ(b.children.size(), 1u);
  EXPECT_EQ(b.children[0].id, 6u);
  ASSERT_EQ(b.children[0].children.size(), 2u);
  EXPECT_EQ(b.children[0].children[1].children[0].id, 7u);
  auto dummy = parse_thread(resp("* THREAD ((3)(5))"));
  ASSERT_TRUE(dummy.ok());
  EXPECT_EQ((*dummy)[0].id, 0u);
  EXPECT_EQ((*dummy)[0].children.size(), 2u);
  EXPECT_FALSE(parse_thread(resp("* THREAD (1 (2) 3)")).ok());
  EXPECT_FALSE(parse_thread(resp("* THREAD ()")).ok());
  EXPECT_FALSE(parse_thread(resp("* THREAD 1")).ok());
}

TEST(ImapClientMailboxData, UidplusCodes) {
  auto a = parse_appenduid(resp("A1 OK [APPENDUID 38505 3955] done").code);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->uidvalidity, 38505u);
  EXPECT_EQ(a->uid, 3955u);
  auto c = parse_copyuid(resp("A2 OK [COPYUID 38505 304,319:320 3956:3958] Done").code);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->source, (std::vector<std::uint32_t>{304, 319, 320}));
  EXPECT_EQ(c->dest, (std::vector<std::uint32_t>{3956, 3957, 3958}));
  EXPECT_FALSE(parse_copyuid(resp("A2 OK [COPYUID 1 1:2 3] Done").code).has_value());
  EXPECT_FALSE(parse_appenduid(resp("A1 OK [APPENDUID x 3] done").code).has_value());
}

TEST(ImapClientMailboxData, NumberSets) {
  EXPECT_EQ(format_number_set({5, 1, 2, 3, 9, 10, 3}), "1:3,5,9:10");
  EXPECT_EQ(format_number_set({}), "");
  EXPECT_FALSE(expand_number_set("1:*").ok());
  EXPECT_FALSE(expand_number_set("").ok());
  EXPECT_FALSE(expand_number_set("0").ok());
  EXPECT_FALSE(expand_number_set("1:4000000000").ok());
  EXPECT_EQ(parse_capabilities(resp("* CAPABILITY IMAP4rev1 sort Idle").data),
            (std::vector<std::string>{"IMAP4REV1", "SORT", "IDLE"}));
}

}  // namespace
}  // namespace claret::imap::client
