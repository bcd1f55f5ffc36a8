#include "imap/server/envelope_text.hpp"

#include <gtest/gtest.h>

namespace claret::imap::server {
namespace {

TEST(EnvelopeText, DecodesSubjectAndAddresses) {
  auto t = envelope_text(
      R"(("Tue, 14 Nov 2023 22:13:20 +0000" "=?utf-8?q?Caf=C3=A9?= menu" (("=?utf-8?q?J=C3=B6rg?=" NIL "jorg" "example.test")))"
      R"( (("Jörg" NIL "jorg" "example.test")) (("Jörg" NIL "jorg" "example.test")))"
      R"( ((NIL NIL "ann" "example.test")(NIL NIL "bob" "example.test")) NIL ((NIL NIL "team" NIL)(NIL NIL "c" "x.test")(NIL NIL NIL NIL)))"
      R"( NIL "<id@example.test>"))");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->subject, "Café menu");
  EXPECT_EQ(t->from, "Jörg <jorg@example.test>");
  EXPECT_EQ(t->to, "<ann@example.test>, <bob@example.test>");
  EXPECT_EQ(t->cc, "");
  EXPECT_EQ(t->bcc, "team, <c@x.test>");
}

TEST(EnvelopeText, LiteralsAndNilSubject) {
  auto t = envelope_text("(NIL NIL ((NIL NIL {3}\r\na\"b \"h\")) NIL NIL NIL NIL NIL NIL NIL)");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->subject, "");
  EXPECT_EQ(t->from, "<a\"b@h>");
}

TEST(EnvelopeText, MalformedIsNullopt) {
  EXPECT_FALSE(envelope_text(""));
  EXPECT_FALSE(envelope_text("(NIL"));
  EXPECT_FALSE(envelope_text("(NIL NIL ((NIL NIL \"a\")) NIL NIL NIL NIL NIL NIL NIL)"));
}

}  // namespace
}  // namespace claret::imap::server
