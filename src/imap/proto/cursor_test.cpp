// Tests for the IMAP argument primitives (RFC 9051 §4.1-§4.5, §9; RFC 3516 literal8).
#include "imap/proto/cursor.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace claret::imap::proto {
namespace {

using namespace std::string_literals;

TEST(Cursor, Astring) {
  struct Case {
    std::string in;
    bool ok;
    std::string value;
  } cases[] = {
      {"INBOX", true, "INBOX"},
      {"foo]bar", true, "foo]bar"},                   // "]" is an ASTRING-CHAR
      {"\"hello world\"", true, "hello world"},
      {"\"a\\\"b\\\\c\"", true, "a\"b\\c"},
      {"\"\"", true, ""},
      {"{5}\r\nab cd", true, "ab cd"},
      {"{5+}\r\nab cd", true, "ab cd"},
      {"{0}\r\n", true, ""},
      {"\"bad\\escape\"", false, ""},                 // only \" and \\ may be escaped
      {"\"unterminated", false, ""},
      {"\"cr\rlf\"", false, ""},
      {"{5}\r\nabc", false, ""},                      // truncated literal
      {"{5}abcde", false, ""},                        // CRLF missing
      {"{x}\r\n", false, ""},
      {"(", false, ""},
      {"", false, ""},
      {"{3}\r\na"s + '\0' + "c", false, ""},          // NUL only in literal8
      {"~{3}\r\nabc", false, ""},                     // literal8 is not an astring
      {"\"utf8 \xc3\xa9\"", true, "utf8 \xc3\xa9"},   // RFC 9051 quoted allows UTF-8
  };
  for (const auto& c : cases) {
    Cursor cur(c.in);
    std::string v = cur.astring();
    EXPECT_EQ(cur.ok() && cur.at_end(), c.ok) << c.in;
    if (c.ok) {
      EXPECT_EQ(v, c.value) << c.in;
    }
  }
}

TEST(Cursor, Literal8) {
  const std::string text = "~{3}\r\na"s + '\0' + "c";
  Cursor c(text);
  StringValue v = c.string8();
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(v.binary);
  EXPECT_TRUE(v.literal);
  EXPECT_EQ(v.bytes, "a"s + '\0' + "c");
  // Message data in a plain literal may carry NUL too; a text string may not.
  const std::string plain = "{3}\r\na"s + '\0' + "c";
  Cursor d(plain);
  EXPECT_EQ(d.string8().bytes, "a"s + '\0' + "c");
  EXPECT_TRUE(d.ok());
  Cursor e(plain);
  e.string();
  EXPECT_FALSE(e.ok());
}

TEST(Cursor, Numbers) {
  Cursor a("4294967295");
  EXPECT_EQ(a.number(), std::numeric_limits<std::uint32_t>::max());
  EXPECT_TRUE(a.ok());
  Cursor b("4294967296");
  b.number();
  EXPECT_FALSE(b.ok());
  Cursor z("0");
  z.nz_number();
  EXPECT_FALSE(z.ok());
  Cursor big("9223372036854775807");
  EXPECT_EQ(big.number64(), 9223372036854775807ull);
  Cursor over("9223372036854775808");
  over.number64();
  EXPECT_FALSE(over.ok());
  Cursor none("x");
  none.number();
  EXPECT_FALSE(none.ok());
}

TEST(Cursor, NstringAndNil) {
  Cursor c("NIL \"NIL\" nil NILS");
  EXPECT_FALSE(c.nstring().has_value());
  c.sp();
  EXPECT_EQ(c.nstring(), std::optional<std::string>("NIL"));
  c.sp();
  EXPECT_FALSE(c.nstring().has_value());
  c.sp();
  EXPECT_FALSE(c.at_nil());  // "NILS" is not NIL
}

TEST(Cursor, KeywordsNeedABoundary) {
  Cursor c("FLAGS.SILENT");
  EXPECT_FALSE(c.accept_keyword("FLAGS"));
  EXPECT_TRUE(c.accept_keyword("flags.silent"));
  EXPECT_TRUE(c.at_end());
}

TEST(Cursor, StickyErrorKeepsFirstMessage) {
  Cursor c("abc");
  c.expect('(');
  c.fail("second");
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "Expected '('");
  EXPECT_EQ(c.error().code, static_cast<int>(ParseErrc::syntax));
  EXPECT_TRUE(c.astring().empty());
  EXPECT_EQ(c.number(), 0u);
}

TEST(Cursor, ListAndEmptyList) {
  Cursor c("(a b c) ()");
  std::vector<std::string> items;
  EXPECT_TRUE(c.list([&] { items.push_back(std::string(c.atom())); }));
  EXPECT_EQ(items, (std::vector<std::string>{"a", "b", "c"}));
  c.sp();
  EXPECT_FALSE(c.list([&] { c.atom(); }, false));
  Cursor d("(a  b)");
  EXPECT_FALSE(d.list([&] { d.atom(); }));
}

}  // namespace
}  // namespace claret::imap::proto
