#include "webmail/imap_backend/message_mapping.hpp"

#include <gtest/gtest.h>

#include "imap/client/response.hpp"

namespace claret::webmail {
namespace {

imap::client::FetchData fetch(std::string_view wire) {
  auto r = imap::client::parse_response(wire);
  EXPECT_TRUE(r.ok()) << r.error().message;
  auto f = imap::client::parse_fetch(*r->number, r->data.at(0));
  EXPECT_TRUE(f.ok()) << f.error().message;
  return *f;
}

TEST(WebmailMessageMapping, Summary) {
  auto f = fetch(
      R"x(* 1 FETCH (UID 7 FLAGS (\Seen) INTERNALDATE "02-Dec-2026 16:47:23 +0000" RFC822.SIZE 99 )x"
      R"x(ENVELOPE ("Wed, 02 Dec 2026 17:00:00 +0100" "=?utf-8?q?Gr=C3=BC=C3=9Fe?=" )x"
      R"x((("=?iso-8859-1?q?J=F6rg?=" NIL "joerg" "x.test")) NIL NIL (("Bob" NIL "bob" "y.test")) NIL NIL NIL "<m1@x>") )x"
      R"x(BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 10 1 NIL NIL NIL NIL))x"
      R"x(("application" "pdf" ("name" "=?utf-8?q?R=C3=A9sum=C3=A9.pdf?=") NIL NIL "base64" 2000 NIL NIL NIL NIL) "mixed")))x");
  auto s = to_summary(f);
  EXPECT_EQ(s.uid, 7u);
  EXPECT_EQ(s.subject, "Grüße");
  ASSERT_EQ(s.from.size(), 1u);
  EXPECT_EQ(s.from[0].name, "Jörg");
  EXPECT_EQ(s.from[0].email, "joerg@x.test");
  EXPECT_EQ(s.date, 1796227200);  // 2026-12-02 16:00:00 UTC
  EXPECT_EQ(s.received, 1796230043);
  EXPECT_EQ(s.size, 99u);
  EXPECT_TRUE(s.has_attachments);
  EXPECT_EQ(s.message_id, "<m1@x>");
  auto choice = choose_body(*f.bodystructure);
  ASSERT_NE(choice.text, nullptr);
  EXPECT_EQ(choice.text->section, "1");
  EXPECT_EQ(choice.html, nullptr);
  ASSERT_EQ(choice.attachments.size(), 1u);
  EXPECT_EQ(choice.attachments[0].filename, "Résumé.pdf");
  EXPECT_EQ(choice.attachments[0].content_type, "application/pdf");
  EXPECT_EQ(choice.attachments[0].section, "2");
}

TEST(WebmailMessageMapping, AlternativeWithInlineImage) {
  auto f = fetch(
      "* 1 FETCH (UID 1 BODYSTRUCTURE ("
      "((\"text\" \"plain\" (\"charset\" \"iso-8859-1\") NIL NIL \"quoted-printable\" 10 1 NIL NIL NIL NIL)"
      "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"base64\" 20 1 NIL NIL NIL NIL) \"alternative\")"
      "(\"image\" \"png\" NIL \"<logo@x>\" NIL \"base64\" 100 NIL (\"inline\" NIL) NIL NIL) \"related\"))");
  auto c = choose_body(*f.bodystructure);
  ASSERT_NE(c.text, nullptr);
  ASSERT_NE(c.html, nullptr);
  EXPECT_EQ(c.text->section, "1.1");
  EXPECT_EQ(c.html->section, "1.2");
  ASSERT_EQ(c.attachments.size(), 1u);
  EXPECT_EQ(c.attachments[0].content_id, "logo@x");
  EXPECT_EQ(c.attachments[0].disposition, "inline");
  EXPECT_FALSE(has_attachments(*f.bodystructure));
  EXPECT_NE(find_section(*f.bodystructure, "2"), nullptr);
  EXPECT_EQ(find_section(*f.bodystructure, "9"), nullptr);
}

TEST(WebmailMessageMapping, Decoding) {
  EXPECT_EQ(decode_text("Gr=FC=DFe=\r\n!", "quoted-printable", "iso-8859-1"), "Grüße!");
  EXPECT_EQ(decode_text("R3LDvMOfZQ==", "base64", "utf-8"), "Grüße");
  EXPECT_EQ(decode_transfer("abc", "8bit"), "abc");
  EXPECT_EQ(decode_text("\xff", "8bit", ""), "\xef\xbf\xbd");
}

}  // namespace
}  // namespace claret::webmail
