// Tests for charset conversion to UTF-8 and UTF-8 helpers.
#include "mime/charset.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

TEST(Charset, ConvertsKnownCharsets) {
  struct Case {
    std::string_view charset, in, out;
  };
  const Case cases[] = {
      {"iso-8859-1", "caf\xE9", "caf\xC3\xA9"},
      {"ISO-8859-1", "J\xF8rn", "J\xC3\xB8rn"},
      {"windows-1252", "\x80 5", "\xE2\x82\xAC 5"},
      {"iso-8859-2", "\xB1", "\xC4\x85"},                      // ą
      {"koi8-r", "\xF0\xD2\xC9\xD7\xC5\xD4", "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"},  // Привет
      {"utf-8", "caf\xC3\xA9", "caf\xC3\xA9"},
      {"us-ascii", "plain", "plain"},
      {"\"utf-8\"", "ok", "ok"},
      {"utf-7", "Hi Mom -+Jjo--!", "Hi Mom -\xE2\x98\xBA-!"},  // RFC 2152 example
      {"iso-2022-jp", "\x1B$B$3$s\x1B(B", "\xE3\x81\x93\xE3\x82\x93"},  // こん
  };
  for (const auto& c : cases) EXPECT_EQ(to_utf8(c.in, c.charset), c.out) << c.charset;
}

TEST(Charset, UnknownCharsetPassesValidUtf8AndReplacesInvalid) {
  EXPECT_EQ(to_utf8("caf\xC3\xA9", "x-no-such-charset"), "caf\xC3\xA9");
  EXPECT_EQ(to_utf8("caf\xE9!", "x-no-such-charset"), "caf\xEF\xBF\xBD!");
  EXPECT_EQ(to_utf8("a\xFF" "b", "us-ascii"), "a\xEF\xBF\xBD" "b");
}

TEST(Charset, InvalidBytesInKnownCharsetBecomeReplacement) {
  // 0xFF is not valid in Shift_JIS as a lead byte; conversion continues after it.
  const std::string out = to_utf8("a\xFF" "b", "shift_jis");
  EXPECT_EQ(out, "a\xEF\xBF\xBD" "b");
}

// Found by fuzz/mime_codec_fuzz.cpp: glibc converts "UTF-8" to UTF-8 without rejecting F5..F7 lead bytes
// (code points above U+10FFFF), so names that reach iconv instead of the UTF-8 fast path gave invalid UTF-8.
TEST(Charset, IconvUtf8AliasesStillGiveValidUtf8) {
  for (std::string_view charset : {"utf-8)", "UTF8;", "iso-10646/utf8"}) {
    const std::string out = to_utf8("a\xF6\xB5\xBD\xB5" "b", charset);
    EXPECT_TRUE(is_valid_utf8(out)) << charset;
    EXPECT_EQ(out.front(), 'a');
    EXPECT_EQ(out.back(), 'b');
  }
}

TEST(Charset, Sanitize) {
  EXPECT_TRUE(is_valid_utf8("h\xC3\xA9llo"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_EQ(sanitize_utf8("a\xC3"), "a\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_utf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Charset, Prefixes) {
  const std::string s = "\xC3\xA9t\xC3\xA9";  // été
  EXPECT_EQ(utf8_prefix(s, 2), "\xC3\xA9t");
  EXPECT_EQ(utf8_prefix(s, 10), s);
  EXPECT_EQ(utf8_prefix(s, 0), "");
  EXPECT_EQ(utf8_truncate_bytes(s, 1), "");
  EXPECT_EQ(utf8_truncate_bytes(s, 4), "\xC3\xA9t");
  EXPECT_EQ(utf8_truncate_bytes(s, 5), s);
}

}  // namespace
}  // namespace claret::mime
