// Tests for saslprep: RFC 4013 §2.1 mapping and UTF-8 validation.
#include "auth/saslprep.hpp"

#include <gtest/gtest.h>

namespace claret::auth {
namespace {

TEST(Saslprep, AsciiUnchanged) {
  EXPECT_EQ(saslprep_map("pencil"), "pencil");
  EXPECT_EQ(saslprep_map(""), "");
  EXPECT_EQ(saslprep_map("a b\tc"), "a b\tc");
}

TEST(Saslprep, MapsSpacesAndRemovesIgnorables) {
  EXPECT_EQ(saslprep_map("a\xC2\xA0" "b"), "a b");          // U+00A0 → space
  EXPECT_EQ(saslprep_map("a\xE3\x80\x80" "b"), "a b");      // U+3000 → space
  EXPECT_EQ(saslprep_map("I\xC2\xAD" "X"), "IX");           // U+00AD soft hyphen → nothing (RFC 4013 §3 example)
  EXPECT_EQ(saslprep_map("a\xEF\xBB\xBF" "b"), "ab");       // U+FEFF → nothing
  EXPECT_EQ(saslprep_map("\xE2\x80\x8D"), "");              // U+200D → nothing
  EXPECT_EQ(saslprep_map("p\xC3\xA4ss"), "p\xC3\xA4ss");    // other non-ASCII kept
}

TEST(Saslprep, InvalidUtf8PassesThrough) {
  std::string bad = "ab\xC3(\xC2\xA0";
  EXPECT_EQ(saslprep_map(bad), bad);
}

TEST(Saslprep, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

}  // namespace
}  // namespace claret::auth
