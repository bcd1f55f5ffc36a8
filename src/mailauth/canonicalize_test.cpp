// Tests for DKIM canonicalization, including the RFC 6376 §3.4.6 example.
#include "mailauth/canonicalize.hpp"

#include <gtest/gtest.h>

#include "mailauth/header_fields.hpp"

namespace claret::mailauth {
namespace {

// RFC 6376 §3.4.6, with <SP>, <HTAB> and <CRLF> written out.
constexpr const char* kExample =
    "A: X\r\n"
    "B : Y\t\r\n"
    "\tZ  \r\n"
    "\r\n"
    " C \r\n"
    "D \t E\r\n"
    "\r\n"
    "\r\n";

std::string all_headers(Canon c, const SplitMessage& s) {
  std::string out;
  for (const auto& f : s.fields) out += canonicalize_header(c, f.raw) + "\r\n";
  return out;
}

TEST(Canonicalize, Rfc6376Section346Relaxed) {
  auto s = split_message(kExample);
  EXPECT_EQ(all_headers(Canon::relaxed, s), "a:X\r\nb:Y Z\r\n");
  EXPECT_EQ(canonicalize_body(Canon::relaxed, s.body), " C\r\nD E\r\n");
}

TEST(Canonicalize, Rfc6376Section346Simple) {
  auto s = split_message(kExample);
  EXPECT_EQ(all_headers(Canon::simple, s), "A: X\r\nB : Y\t\r\n\tZ  \r\n");
  EXPECT_EQ(canonicalize_body(Canon::simple, s.body), " C \r\nD \t E\r\n");
}

TEST(Canonicalize, EmptyBodies) {
  EXPECT_EQ(canonicalize_body(Canon::simple, ""), "\r\n");
  EXPECT_EQ(canonicalize_body(Canon::simple, "\r\n\r\n"), "\r\n");
  EXPECT_EQ(canonicalize_body(Canon::relaxed, ""), "");
  EXPECT_EQ(canonicalize_body(Canon::relaxed, "\r\n \t\r\n\r\n"), "");
}

TEST(Canonicalize, MissingFinalLineBreakIsAdded) {
  EXPECT_EQ(canonicalize_body(Canon::simple, "abc"), "abc\r\n");
  EXPECT_EQ(canonicalize_body(Canon::relaxed, "abc  \t"), "abc\r\n");
}

TEST(Canonicalize, RelaxedKeepsInnerEmptyLinesAndEightBitBytes) {
  EXPECT_EQ(canonicalize_body(Canon::relaxed, "a\r\n\r\n  \r\nb\xc3\xa9  c\r\n\r\n"), "a\r\n\r\n\r\nb\xc3\xa9 c\r\n");
}

TEST(Canonicalize, RelaxedHeaderEdgeCases) {
  EXPECT_EQ(canonicalize_header(Canon::relaxed, "SUBJECT:"), "subject:");
  EXPECT_EQ(canonicalize_header(Canon::relaxed, "Subject: \t \r\n "), "subject:");
  EXPECT_EQ(canonicalize_header(Canon::relaxed, "To:a@b,\r\n\t c@d  "), "to:a@b, c@d");
  EXPECT_EQ(canonicalize_header(Canon::relaxed, "X:\xff\xfe  x"), "x:\xff\xfe x");
}

TEST(Canonicalize, ParseNames) {
  EXPECT_EQ(parse_canon("Relaxed"), Canon::relaxed);
  EXPECT_EQ(parse_canon("simple"), Canon::simple);
  EXPECT_FALSE(parse_canon("nowsp"));
  EXPECT_STREQ(canon_name(Canon::relaxed), "relaxed");
}

}  // namespace
}  // namespace claret::mailauth
