// Tests for the message structure parser: offsets, boundaries, nesting, broken input.
#include "mime/message.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

std::string_view body(const ParsedMessage& m, size_t i) { return m.body_bytes(m.part(i)); }
std::string_view head(const ParsedMessage& m, size_t i) { return m.header_bytes(m.part(i)); }

TEST(Parse, SimpleMessage) {
  const std::string raw = "From: a@b\r\nSubject: hi\r\n there\r\n\r\nline1\r\nline2\r\n";
  const auto m = parse(raw);
  ASSERT_EQ(m.parts().size(), 1u);
  const Part& p = m.root();
  EXPECT_EQ(p.header_offset, 0u);
  EXPECT_EQ(head(m, 0), "From: a@b\r\nSubject: hi\r\n there\r\n\r\n");
  EXPECT_EQ(body(m, 0), "line1\r\nline2\r\n");
  EXPECT_EQ(p.body_lines, 2u);
  EXPECT_EQ(p.kind, PartKind::kLeaf);
  EXPECT_FALSE(p.content_type_present);
  EXPECT_EQ(p.content_type.type, "text");
  EXPECT_EQ(p.content_type.params.at(0).value, "us-ascii");
  EXPECT_EQ(p.encoding, "7bit");
  ASSERT_EQ(m.headers(p).size(), 2u);
  EXPECT_EQ(*m.header("SUBJECT"), " hi\r\n there");
  EXPECT_EQ(m.headers(p)[1].offset, 11u);
  EXPECT_FALSE(m.header("cc").has_value());
}

TEST(Parse, BareLfObsoleteSpaceAnd8Bit) {
  const std::string raw = "Subject : caf\xC3\xA9\n\tfolded\nX-Empty:\n\nbody";
  const auto m = parse(raw);
  ASSERT_EQ(m.headers(m.root()).size(), 2u);
  EXPECT_EQ(m.headers(m.root())[0].name, "Subject");
  EXPECT_EQ(*m.header("subject"), " caf\xC3\xA9\n\tfolded");
  EXPECT_EQ(*m.header("x-empty"), "");
  EXPECT_EQ(body(m, 0), "body");
  EXPECT_EQ(m.root().body_lines, 1u);
}

TEST(Parse, MboxFromLineAndNoBody) {
  const std::string raw = "From someone@example.com Mon Jan  1 00:00:00 2024\nSubject: x\n";
  const auto m = parse(raw);
  EXPECT_EQ(m.root().header_offset, raw.find("Subject"));
  EXPECT_EQ(*m.header("subject"), " x");
  EXPECT_EQ(m.root().body_size, 0u);
  EXPECT_EQ(m.root().body_offset, raw.size());
}

TEST(Parse, HeaderWithoutBlankLine) {
  const std::string raw = "Subject: x\nthis line is body text\nmore\n";
  const auto m = parse(raw);
  EXPECT_EQ(m.headers(m.root()).size(), 1u);
  EXPECT_EQ(body(m, 0), "this line is body text\nmore\n");
}

TEST(Parse, EmptyAndGarbageInput) {
  for (std::string_view raw : {std::string_view(""), std::string_view("\r\n"), std::string_view("\0\0\0", 3),
                               std::string_view("::::"), std::string_view(" leading continuation\n\nx")}) {
    const auto m = parse(raw);
    ASSERT_EQ(m.parts().size(), 1u);
    EXPECT_LE(m.root().body_offset + m.root().body_size, raw.size());
  }
}

const std::string kMultipart =
    "From: a@example.com\r\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\r\n"
    "\r\n"
    "preamble\r\n"
    "--XX\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "part one\r\n"
    "--XX  \r\n"  // transport padding after the boundary
    "Content-Type: multipart/alternative; boundary=YY\r\n"
    "\r\n"
    "--YY\r\n"
    "\r\n"
    "inner plain\r\n"
    "--YY\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>inner</p>\r\n"
    "--YY--\r\n"
    "--XX\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: embedded\r\n"
    "\r\n"
    "embedded body\r\n"
    "--XX--\r\n"
    "epilogue\r\n";

TEST(Parse, NestedMultipartWithMessage) {
  const auto m = parse(kMultipart);
  // root, text, alternative, plain, html, message/rfc822, embedded message
  ASSERT_EQ(m.parts().size(), 7u);
  EXPECT_EQ(m.root().kind, PartKind::kMultipart);
  EXPECT_EQ(m.root().child_count, 3u);
  EXPECT_EQ(body(m, 1), "part one");
  EXPECT_EQ(head(m, 1), "Content-Type: text/plain; charset=utf-8\r\n\r\n");
  EXPECT_EQ(m.part(1).body_lines, 1u);
  EXPECT_EQ(m.part(2).kind, PartKind::kMultipart);
  EXPECT_EQ(m.part(2).parent, 0);
  EXPECT_EQ(body(m, 3), "inner plain");
  EXPECT_EQ(head(m, 3), "\r\n");
  EXPECT_FALSE(m.part(3).content_type_present);
  EXPECT_EQ(m.part(3).parent, 2);
  EXPECT_EQ(body(m, 4), "<p>inner</p>");
  EXPECT_EQ(m.part(4).content_type.subtype, "html");
  EXPECT_EQ(m.part(5).kind, PartKind::kMessage);
  EXPECT_EQ(body(m, 5), "Subject: embedded\r\n\r\nembedded body");
  EXPECT_EQ(m.part(6).parent, 5);
  EXPECT_EQ(head(m, 6), "Subject: embedded\r\n\r\n");
  EXPECT_EQ(body(m, 6), "embedded body");
  EXPECT_EQ(*m.header(m.part(6), "subject"), " embedded");
  EXPECT_EQ(m.embedded(m.part(5)), &m.part(6));
  const auto kids = m.children(m.root());
  EXPECT_EQ(kids, (std::vector<uint32_t>{1, 2, 5}));
}

TEST(Parse, MissingCloseDelimiterAndLfOnly) {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\nContent-Type: text/plain\n\nlast part\nno end\n";
  const auto m = parse(raw);
  ASSERT_EQ(m.parts().size(), 3u);
  EXPECT_EQ(body(m, 1), "first");
  EXPECT_EQ(body(m, 2), "last part\nno end\n");
  EXPECT_EQ(m.part(2).body_lines, 2u);
}

TEST(Parse, NoBoundaryFoundKeepsBodyAsOnePart) {
  const std::string raw = "Content-Type: multipart/mixed; boundary=nothere\r\n\r\nplain text\r\n";
  const auto m = parse(raw);
  ASSERT_EQ(m.parts().size(), 2u);
  EXPECT_EQ(m.part(1).header_size, 0u);
  EXPECT_EQ(body(m, 1), "plain text\r\n");
  const auto no_param = parse("Content-Type: multipart/mixed\r\n\r\nx");
  ASSERT_EQ(no_param.parts().size(), 2u);
  EXPECT_EQ(body(no_param, 1), "x");
}

TEST(Parse, BoundaryPrefixesAreNotConfused) {
  // "--a" must not match boundary "ab"; "--ab-x" is not a delimiter of "ab" either.
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=ab\n\n--ab\n\n--a\n--ab-x\n--ab\n\ntwo\n--ab--\n";
  const auto m = parse(raw);
  ASSERT_EQ(m.parts().size(), 3u);
  EXPECT_EQ(body(m, 1), "--a\n--ab-x");
  EXPECT_EQ(body(m, 2), "two");
}

TEST(Parse, DigestDefaultsToMessage) {
  const std::string raw =
      "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nbody1\n--d--\n";
  const auto m = parse(raw);
  ASSERT_EQ(m.parts().size(), 3u);
  EXPECT_EQ(m.part(1).kind, PartKind::kMessage);
  EXPECT_EQ(m.part(1).content_type.type, "message");
  EXPECT_EQ(*m.header(m.part(2), "subject"), " one");
}

TEST(Parse, EncodedMessageIsALeaf) {
  const std::string raw = "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogeA0KDQp4\n";
  const auto m = parse(raw);
  EXPECT_EQ(m.parts().size(), 1u);
  EXPECT_EQ(m.root().encoding, "base64");
}

TEST(Parse, HostileNestingIsBounded) {
  std::string raw;
  for (int i = 0; i < 5000; ++i) raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
                                       std::to_string(i) + "\n";
  raw += "\nleaf\n";
  const auto m = parse(raw);
  uint32_t max_depth = 0;
  for (const Part& p : m.parts()) max_depth = std::max(max_depth, p.depth);
  EXPECT_LE(max_depth, kMaxDepth + 1);
  std::string nested_messages;
  for (int i = 0; i < 5000; ++i) nested_messages += "Content-Type: message/rfc822\n\n";
  const auto n = parse(nested_messages);
  EXPECT_LE(n.parts().size(), kMaxDepth + 2);
}

TEST(Parse, ManyEmptyPartsAreBounded) {
  std::string raw = "Content-Type: multipart/mixed; boundary=b\n\n";
  for (size_t i = 0; i < kMaxParts + 100; ++i) raw += "--b\n";
  const auto m = parse(raw);
  EXPECT_LE(m.parts().size(), kMaxParts + 1);
}

}  // namespace
}  // namespace claret::mime
