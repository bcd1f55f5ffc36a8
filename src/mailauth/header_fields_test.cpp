// Tests for the byte-exact header/body split (RFC 5322 §2.2).
#include "mailauth/header_fields.hpp"

#include <gtest/gtest.h>

namespace claret::mailauth {
namespace {

TEST(HeaderFields, SplitsFoldedFieldsAndBody) {
  std::string m = "From: a@b\r\nSubject: one\r\n two\r\nX-Obs : v\r\n\r\nbody\r\n";
  auto s = split_message(m);
  ASSERT_EQ(s.fields.size(), 3u);
  EXPECT_EQ(s.fields[0].name, "From");
  EXPECT_EQ(s.fields[0].raw, "From: a@b");
  EXPECT_EQ(s.fields[1].name, "Subject");
  EXPECT_EQ(s.fields[1].raw, "Subject: one\r\n two");
  EXPECT_EQ(s.fields[2].name, "X-Obs");
  EXPECT_EQ(s.body, "body\r\n");
}

TEST(HeaderFields, NoBlankLineMeansNoBody) {
  auto s = split_message("From: a@b\r\nTo: c@d");
  ASSERT_EQ(s.fields.size(), 2u);
  EXPECT_EQ(s.fields[1].raw, "To: c@d");
  EXPECT_TRUE(s.body.empty());
}

TEST(HeaderFields, MalformedLinesHaveNoName) {
  auto s = split_message(" leading continuation\r\nFrom MAILER-DAEMON Sun Aug 7 11:40:37\r\nnocolon\r\nA: b\r\n\r\n");
  ASSERT_EQ(s.fields.size(), 3u);
  EXPECT_TRUE(s.fields[0].name.empty());
  EXPECT_TRUE(s.fields[1].name.empty());
  EXPECT_EQ(s.fields[2].name, "A");
}

TEST(HeaderFields, EmptyMessageAndEmptyHeader) {
  EXPECT_TRUE(split_message("").fields.empty());
  auto s = split_message("\r\nonly body\r\n");
  EXPECT_TRUE(s.fields.empty());
  EXPECT_EQ(s.body, "only body\r\n");
}

TEST(HeaderFields, ToCrlfConvertsOnlyBareLf) {
  EXPECT_EQ(to_crlf("a\nb\r\nc\n\n"), "a\r\nb\r\nc\r\n\r\n");
  EXPECT_EQ(to_crlf("\n"), "\r\n");
  EXPECT_EQ(to_crlf("no newline"), "no newline");
  EXPECT_EQ(to_crlf("bare\rcr"), "bare\rcr");
  EXPECT_TRUE(has_bare_lf("a\r\nb\n"));
  EXPECT_TRUE(has_bare_lf("\n"));
  EXPECT_FALSE(has_bare_lf("a\r\nb\r\n"));
  EXPECT_FALSE(has_bare_lf(""));
}

}  // namespace
}  // namespace claret::mailauth
