#include "imap/client/response.hpp"

#include <gtest/gtest.h>

namespace claret::imap::client {
namespace {

TEST(ImapClientResponse, Continuation) {
  auto r = parse_response("+ Ready for literal");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, Response::Kind::continuation);
  EXPECT_EQ(r->text, "Ready for literal");
  auto bare = parse_response("+");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->text, "");
}

TEST(ImapClientResponse, TaggedWithCode) {
  auto r = parse_response("A1 OK [APPENDUID 38505 3955] APPEND completed");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->kind, Response::Kind::tagged);
  EXPECT_EQ(r->tag, "A1");
  EXPECT_EQ(r->status, RespStatus::ok);
  EXPECT_EQ(r->code.name, "APPENDUID");
  ASSERT_EQ(r->code.args.size(), 2u);
  EXPECT_EQ(r->code.args[1].number(), 3955u);
  EXPECT_EQ(r->text, "APPEND completed");
}

TEST(ImapClientResponse, UntaggedStatusCodes) {
  auto r = parse_response("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, RespStatus::ok);
  EXPECT_EQ(r->code.name, "PERMANENTFLAGS");
  ASSERT_EQ(r->code.args.size(), 1u);
  ASSERT_EQ(r->code.args[0].items.size(), 3u);
  EXPECT_EQ(r->code.args[0].items[2].text, "\\*");
  auto c = parse_response("* OK [CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN] hi");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->code.args.size(), 3u);
  auto alert = parse_response("* NO [ALERT] disk [almost] full");
  ASSERT_TRUE(alert.ok());
  EXPECT_EQ(alert->code.name, "ALERT");
  EXPECT_EQ(alert->text, "disk [almost] full");
  auto nocode = parse_response("C3 NO Mailbox doesn't exist");
  ASSERT_TRUE(nocode.ok());
  EXPECT_EQ(nocode->status, RespStatus::no);
  EXPECT_TRUE(nocode->code.name.empty());
  auto bye = parse_response("* BYE Autologout");
  ASSERT_TRUE(bye.ok());
  EXPECT_EQ(bye->status, RespStatus::bye);
}

TEST(ImapClientResponse, NumberedData) {
  auto r = parse_response("* 23 EXISTS");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->number, 23u);
  EXPECT_EQ(r->name, "EXISTS");
  auto f = parse_response("* 12 FETCH (UID 5 BODY[1]<0> {5}\r\nhello FLAGS (\\Seen))");
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->name, "FETCH");
  ASSERT_EQ(f->data.size(), 1u);
  ASSERT_EQ(f->data[0].items.size(), 6u);
  EXPECT_EQ(f->data[0].items[2].text, "BODY[1]<0>");
  EXPECT_EQ(f->data[0].items[3].text, "hello");
}

TEST(ImapClientResponse, QuotedEscapesLiteral8AndSections) {
  auto v = parse_values(R"("a\"b\\c" NIL nil ~{3})" "\r\n" "a\0b" " BODY[HEADER.FIELDS (FROM TO)] x");
  // the embedded NUL terminates the C string; build explicitly instead
  std::string wire = "\"a\\\"b\\\\c\" NIL ~{3}\r\n";
  wire += std::string("a\0b", 3);
  wire += " BODY[HEADER.FIELDS (FROM TO)] ()";
  auto vals = parse_values(wire);
  ASSERT_TRUE(vals.ok()) << vals.error().message;
  ASSERT_EQ(vals->size(), 5u);
  EXPECT_EQ((*vals)[0].text, "a\"b\\c");
  EXPECT_TRUE((*vals)[1].is_nil());
  EXPECT_TRUE((*vals)[2].literal8);
  EXPECT_EQ((*vals)[2].text, std::string("a\0b", 3));
  EXPECT_EQ((*vals)[3].text, "BODY[HEADER.FIELDS (FROM TO)]");
  EXPECT_TRUE((*vals)[4].is_list());
  (void)v;
}

TEST(ImapClientResponse, MalformedInputGivesErrors) {
  const char* bad[] = {
      "",
      "* ",
      "A1 MAYBE done",
      "* 12x FETCH (UID 1)",
      "* 3 FETCH (UID 1",
      "* LIST (\\Noselect \"/\" \"unterminated",
      "* 1 FETCH (BODY[1] {10}\r\nshort)",
      "* 1 FETCH (BODY[1] {abc}\r\n)",
      "* 1 FETCH (BODY[1] {3}xyz)",
      "* OK [UIDVALIDITY 3 no end",
      "* SEARCH )",
      "* 1 FETCH (BODY[1 x)",
  };
  for (const char* b : bad) {
    auto r = parse_response(b);
    EXPECT_FALSE(r.ok()) << "accepted: " << b;
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("malformed"), std::string::npos) << r.error().message;
    }
  }
}

TEST(ImapClientResponse, DeepNestingIsRefused) {
  std::string deep = "* X " + std::string(10000, '(') + std::string(10000, ')');
  auto r = parse_response(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nested"), std::string::npos);
}

TEST(ImapClientResponse, Framer) {
  ResponseFramer f;
  auto a = f.feed_line("* 1 FETCH (BODY[] {5}");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ(**a, 5u);
  f.feed_literal("ab\r\nc");
  auto b = f.feed_line(" UID 9)");
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->has_value());
  auto r = parse_response(f.take());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->data[0].items[1].text, "ab\r\nc");
  ResponseFramer small(10);
  EXPECT_FALSE(small.feed_line("* 1 FETCH (BODY[] {11}").ok());
  EXPECT_EQ(trailing_literal("x ~{42}"), 42u);
  EXPECT_EQ(trailing_literal("x {7+}"), 7u);
  EXPECT_FALSE(trailing_literal("x {}").has_value());
  EXPECT_FALSE(trailing_literal("x }").has_value());
}

}  // namespace
}  // namespace claret::imap::client
