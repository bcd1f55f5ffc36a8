// Tests for the IMAP ENVELOPE serializer against RFC 3501 §7.4.2 / §8 examples and edge cases.
#include "mime/imap_envelope.hpp"

#include <gtest/gtest.h>

#include "mime/imap_writer.hpp"

namespace claret::mime {
namespace {

TEST(ImapWriter, QuotingAndLiterals) {
  ImapWriter w;
  w.open();
  w.string("plain");
  w.string("say \"hi\" \\o/");
  w.string("caf\xC3\xA9");
  w.string("two\r\nlines");
  w.nil();
  w.number(42);
  w.nstring(std::nullopt);
  w.close();
  EXPECT_EQ(w.take(), "(\"plain\" \"say \\\"hi\\\" \\\\o/\" {5}\r\ncaf\xC3\xA9 {10}\r\ntwo\r\nlines NIL 42 NIL)");
}

// The message of RFC 3501 §8 (the example FETCH response), headers as sent.
const std::string kRfc3501Message =
    "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n"
    "From: Terry Gray <gray@cac.washington.edu>\r\n"
    "Subject: IMAP4rev1 WG mtg summary and minutes\r\n"
    "To: imap@cac.washington.edu\r\n"
    "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n"
    "Message-Id: <B27397-0100000@cac.washington.edu>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"
    "\r\n"
    "body\r\n";

TEST(ImapEnvelope, Rfc3501Example) {
  const auto m = parse(kRfc3501Message);
  EXPECT_EQ(imap_envelope(m),
            "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" "
            "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
            "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
            "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
            "((NIL NIL \"imap\" \"cac.washington.edu\")) "
            "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) "
            "NIL NIL \"<B27397-0100000@cac.washington.edu>\")");
}

TEST(ImapEnvelope, GroupsSenderReplyToAndLiterals) {
  const std::string raw =
      "Subject: =?utf-8?Q?caf=C3=A9?=\r\n \"quoted\"\r\n"
      "From: \"A \\\"B\\\"\" <a@x.test>\r\n"
      "Sender: s@x.test\r\n"
      "Reply-To: \r\n"
      "To: Friends: b@y.test, \"c d\"@z.test;, <@r.test:e@f.test>\r\n"
      "Bcc: Undisclosed recipients:;\r\n"
      "In-Reply-To: <p@q>\r\n"
      "Subject: second subject is ignored\r\n"
      "\r\n";
  const auto m = parse(raw);
  EXPECT_EQ(imap_envelope(m),
            "(NIL \"=?utf-8?Q?caf=C3=A9?= \\\"quoted\\\"\" "
            "((\"A \\\"B\\\"\" NIL \"a\" \"x.test\")) "
            "((NIL NIL \"s\" \"x.test\")) "
            "((\"A \\\"B\\\"\" NIL \"a\" \"x.test\")) "
            "((NIL NIL \"Friends\" NIL)(NIL NIL \"b\" \"y.test\")(NIL NIL \"c d\" \"z.test\")(NIL NIL NIL NIL)"
            "(NIL \"@r.test\" \"e\" \"f.test\")) "
            "NIL "
            "((NIL NIL \"Undisclosed recipients\" NIL)(NIL NIL NIL NIL)) "
            "\"<p@q>\" NIL)");
}

TEST(ImapEnvelope, EightBitHeaderUsesLiteral) {
  const auto m = parse("Subject: caf\xC3\xA9\r\nFrom: Jos\xC3\xA9 <j@x>\r\n\r\n");
  EXPECT_EQ(imap_envelope(m),
            "(NIL {5}\r\ncaf\xC3\xA9 (({5}\r\nJos\xC3\xA9 NIL \"j\" \"x\")) (({5}\r\nJos\xC3\xA9 NIL \"j\" \"x\")) "
            "(({5}\r\nJos\xC3\xA9 NIL \"j\" \"x\")) NIL NIL NIL NIL NIL)");
}

TEST(ImapEnvelope, EmptyMessage) {
  EXPECT_EQ(imap_envelope(parse("")), "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
}

}  // namespace
}  // namespace claret::mime
