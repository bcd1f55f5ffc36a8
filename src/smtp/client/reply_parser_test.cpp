// ReplyParser / parse_ehlo tests: multi-line replies, enhanced codes, malformed input, EHLO keywords.
#include "smtp/client/reply_parser.hpp"

#include <gtest/gtest.h>

namespace claret::smtp::client {
namespace {

TEST(ReplyParser, SingleLineWithEnhancedCode) {
  ReplyParser p;
  auto r = p.feed("550 5.1.1 no such user");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->code, 550);
  EXPECT_EQ((*r)->enhanced, "5.1.1");
  ASSERT_EQ((*r)->lines.size(), 1u);
  EXPECT_EQ((*r)->lines[0], "no such user");
  EXPECT_EQ(reply_summary(**r), "550 5.1.1 no such user");
}

TEST(ReplyParser, MultiLineAndBareCode) {
  ReplyParser p;
  EXPECT_FALSE(p.feed("250-mx.example.org hello")->has_value());
  EXPECT_FALSE(p.feed("250-PIPELINING")->has_value());
  auto r = p.feed("250 SIZE 1000");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->lines.size(), 3u);
  EXPECT_TRUE((*r)->enhanced.empty());
  auto bare = p.feed("250");
  ASSERT_TRUE(bare.ok() && bare->has_value());
  EXPECT_EQ((*bare)->code, 250);
}

TEST(ReplyParser, RejectsGarbage) {
  ReplyParser p;
  EXPECT_FALSE(p.feed("").ok());
  EXPECT_FALSE(p.feed("hello").ok());
  EXPECT_FALSE(p.feed("25").ok());
  EXPECT_FALSE(p.feed("250x").ok());
  EXPECT_FALSE(p.feed("650 nope").ok());
  EXPECT_FALSE(p.feed("250-a")->has_value());
  EXPECT_FALSE(p.feed("251 changed").ok());
  // After an error the parser starts afresh.
  EXPECT_TRUE(p.feed("221 bye")->has_value());
}

TEST(ReplyParser, BoundsLineCount) {
  ReplyParser p;
  Result<std::optional<proto::Reply>> last = std::optional<proto::Reply>{};
  for (size_t i = 0; i <= ReplyParser::kMaxLines && last.ok(); ++i) last = p.feed("250-x");
  EXPECT_FALSE(last.ok());
}

TEST(ReplyParser, EnhancedCodeNeedsWholeToken) {
  ReplyParser p;
  auto r = p.feed("250 2.0.0x not an enhanced code");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_TRUE((*r)->enhanced.empty());
  auto s = p.feed("354 3.0.0 start");  // 3xx carry no enhanced code (RFC 2034 §4)
  EXPECT_TRUE((*s)->enhanced.empty());
}

TEST(ParseEhlo, Keywords) {
  proto::Reply r{250, "", {"mx.example.org hi", "PIPELINING", "SIZE 35882577", "8BITMIME", "smtputf8",
                           "ENHANCEDSTATUSCODES", "DSN", "STARTTLS", "AUTH PLAIN login", "CHUNKING", "X-UNKNOWN 1"}};
  auto c = parse_ehlo(r);
  EXPECT_TRUE(c.pipelining);
  ASSERT_TRUE(c.size.has_value());
  EXPECT_EQ(*c.size, 35882577u);
  EXPECT_TRUE(c.eight_bit_mime);
  EXPECT_TRUE(c.smtputf8);
  EXPECT_TRUE(c.enhanced_status_codes);
  EXPECT_TRUE(c.dsn);
  EXPECT_TRUE(c.starttls);
  EXPECT_TRUE(c.chunking);
  EXPECT_EQ(c.auth_mechanisms, (std::vector<std::string>{"PLAIN", "LOGIN"}));
}

TEST(ParseEhlo, GreetingLineIsNotAKeyword) {
  proto::Reply r{250, "", {"STARTTLS"}};
  EXPECT_FALSE(parse_ehlo(r).starttls);
  proto::Reply sz{250, "", {"x", "SIZE"}};
  EXPECT_EQ(parse_ehlo(sz).size, std::optional<uint64_t>(0));
}

}  // namespace
}  // namespace claret::smtp::client
