// Tests for the IMAP syntax checker used by the serializer tests (it must reject what clients would reject).
#include "mime/imap_syntax_check.hpp"

#include <gtest/gtest.h>

namespace claret::mime::imap_check {
namespace {

TEST(SyntaxReader, SelfCheck) {
  EXPECT_TRUE(SyntaxReader("(\"a\" NIL 1 {2}\r\nxy (NIL))").read_all());
  EXPECT_FALSE(SyntaxReader("(\"a\"  NIL)").read_all());
  EXPECT_FALSE(SyntaxReader("(\"a\"").read_all());
  EXPECT_FALSE(SyntaxReader("(\"a\")x").read_all());
  EXPECT_FALSE(SyntaxReader("{5}\r\nab").read_all());
  EXPECT_FALSE(SyntaxReader("(\"a\"NIL)").read_all());
  EXPECT_TRUE(SyntaxReader("((NIL)(NIL) \"X\")").read_all());
}

TEST(SyntaxReader, Shapes) {
  auto env = SyntaxReader("(NIL \"s\" ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL NIL NIL)").read_all();
  ASSERT_TRUE(env);
  EXPECT_TRUE(valid_envelope(*env));
  auto short_env = SyntaxReader("(NIL NIL)").read_all();
  ASSERT_TRUE(short_env);
  EXPECT_FALSE(valid_envelope(*short_env));
  auto text = SyntaxReader("(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)").read_all();
  ASSERT_TRUE(text);
  EXPECT_TRUE(valid_body(*text, false));
  EXPECT_FALSE(valid_body(*text, true));
  auto no_lines = SyntaxReader("(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3)").read_all();
  ASSERT_TRUE(no_lines);
  EXPECT_FALSE(valid_body(*no_lines, false));
  auto multi = SyntaxReader("((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) \"MIXED\")").read_all();
  ASSERT_TRUE(multi);
  EXPECT_TRUE(valid_body(*multi, false));
}

}  // namespace
}  // namespace claret::mime::imap_check
