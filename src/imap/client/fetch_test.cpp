#include "imap/client/fetch.hpp"

#include <gtest/gtest.h>

#include "imap/client/response.hpp"

namespace claret::imap::client {
namespace {

FetchData fetch(std::string_view wire) {
  auto r = parse_response(wire);
  EXPECT_TRUE(r.ok()) << r.error().message;
  auto f = parse_fetch(*r->number, r->data.at(0));
  EXPECT_TRUE(f.ok()) << f.error().message;
  return f.ok() ? *f : FetchData{};
}

TEST(ImapClientFetch, SimpleItems) {
  auto f = fetch(R"x(* 3 FETCH (UID 17 FLAGS (\Seen $Forwarded) INTERNALDATE "17-Jul-1996 02:44:25 -0700" )x"
                 R"x(RFC822.SIZE 4286 MODSEQ (12121) PREVIEW "Hello there"))x");
  EXPECT_EQ(f.seq, 3u);
  EXPECT_EQ(f.uid, 17u);
  ASSERT_TRUE(f.flags.has_value());
  EXPECT_EQ(f.flags->size(), 2u);
  EXPECT_EQ(f.internaldate, "17-Jul-1996 02:44:25 -0700");
  EXPECT_EQ(f.size, 4286u);
  EXPECT_EQ(f.modseq, 12121u);
  EXPECT_EQ(f.preview, "Hello there");
}

TEST(ImapClientFetch, Envelope) {
  auto f = fetch(
      R"x(* 12 FETCH (UID 1 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "=?utf-8?q?Caf=C3=A9?=" )x"
      R"x((("Terry Gray" NIL "gray" "cac.washington.edu")) NIL NIL )x"
      R"x((("A" NIL "a" "x.test")("Group" NIL "team" NIL)("B" NIL "b" "x.test")(NIL NIL NIL NIL)) )x"
      R"x(NIL NIL "<B27397-0100000@cac.washington.edu>" "<id@x>")))x");
  ASSERT_TRUE(f.envelope.has_value());
  const auto& e = *f.envelope;
  EXPECT_EQ(e.subject, "=?utf-8?q?Caf=C3=A9?=");
  ASSERT_EQ(e.from.size(), 1u);
  EXPECT_EQ(e.from[0].name, "Terry Gray");
  EXPECT_EQ(e.from[0].email(), "gray@cac.washington.edu");
  EXPECT_TRUE(e.sender.empty());
  ASSERT_EQ(e.to.size(), 2u);  // group markers skipped
  EXPECT_EQ(e.to[1].email(), "b@x.test");
  EXPECT_EQ(e.in_reply_to, "<B27397-0100000@cac.washington.edu>");
  EXPECT_EQ(e.message_id, "<id@x>");
}

TEST(ImapClientFetch, BodyStructureMultipartNested) {
  auto f = fetch(
      R"x(* 1 FETCH (UID 2 BODYSTRUCTURE ()x"
      R"x((("TEXT" "PLAIN" ("CHARSET" "iso-8859-1") NIL NIL "QUOTED-PRINTABLE" 120 4 NIL NIL NIL NIL))x"
      R"x(("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "BASE64" 300 5 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "b2") NIL NIL NIL))x"
      R"x(("IMAGE" "PNG" ("NAME" "x.png") "<img1@x>" NIL "BASE64" 1000 NIL ("INLINE" ("FILENAME" "x.png")) NIL NIL))x"
      R"x(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 500 (NIL "inner" NIL NIL NIL NIL NIL NIL NIL NIL) )x"
      R"x(("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1 NIL NIL NIL NIL) 20 NIL ("ATTACHMENT" NIL) NIL NIL))x"
      R"x( "MIXED" ("BOUNDARY" "b1") NIL NIL NIL)))x");
  ASSERT_TRUE(f.bodystructure.has_value());
  const auto& b = *f.bodystructure;
  EXPECT_TRUE(b.multipart());
  EXPECT_EQ(b.subtype, "mixed");
  ASSERT_EQ(b.parts.size(), 3u);
  EXPECT_EQ(b.parts[0].subtype, "alternative");
  EXPECT_EQ(b.parts[0].parts[0].section, "1.1");
  EXPECT_EQ(b.parts[0].parts[0].param("charset"), "iso-8859-1");
  EXPECT_EQ(b.parts[0].parts[0].encoding, "quoted-printable");
  EXPECT_EQ(b.parts[0].parts[1].section, "1.2");
  EXPECT_EQ(b.parts[1].section, "2");
  EXPECT_EQ(b.parts[1].id, "<img1@x>");
  EXPECT_EQ(b.parts[1].disposition, "inline");
  EXPECT_EQ(b.parts[1].disposition_param("filename"), "x.png");
  EXPECT_EQ(b.parts[2].section, "3");
  EXPECT_EQ(b.parts[2].disposition, "attachment");
  ASSERT_EQ(b.parts[2].parts.size(), 1u);
  EXPECT_EQ(b.parts[2].parts[0].section, "3.1");
}

TEST(ImapClientFetch, SinglePartIsSectionOne) {
  auto f = fetch(R"x(* 1 FETCH (BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 3 1)))x");
  ASSERT_TRUE(f.bodystructure.has_value());
  EXPECT_EQ(f.bodystructure->section, "1");
  EXPECT_FALSE(f.uid.has_value());
}

TEST(ImapClientFetch, SectionsWithOrigin) {
  auto f = fetch("* 1 FETCH (UID 4 BODY[1.2]<100> {3}\r\nabc BINARY[2] ~{2}\r\nxy BODY[HEADER] NIL)");
  EXPECT_EQ(f.sections["BODY[1.2]"], "abc");
  EXPECT_EQ(f.sections["BINARY[2]"], "xy");
  EXPECT_EQ(f.sections["BODY[HEADER]"], "");
}

TEST(ImapClientFetch, MalformedItems) {
  const char* bad[] = {
      "* 1 FETCH (UID)",
      "* 1 FETCH (UID abc)",
      "* 1 FETCH (UID 0)",
      "* 1 FETCH (FLAGS \\Seen)",
      "* 1 FETCH (RFC822.SIZE x)",
      "* 1 FETCH (ENVELOPE (NIL NIL))",
      "* 1 FETCH (ENVELOPE (NIL NIL ((\"a\" NIL \"b\")) NIL NIL NIL NIL NIL NIL NIL))",
      "* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\"))",
      "* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)))",
      "* 1 FETCH (BODYSTRUCTURE ())",
      "* 1 FETCH (MODSEQ 5)",
      "* 1 FETCH UID 5",
  };
  for (const char* b : bad) {
    auto r = parse_response(b);
    ASSERT_TRUE(r.ok()) << b;
    ASSERT_FALSE(r->data.empty()) << b;
    auto f = parse_fetch(1, r->data[0]);
    EXPECT_FALSE(f.ok()) << "accepted: " << b;
  }
}

}  // namespace
}  // namespace claret::imap::client
