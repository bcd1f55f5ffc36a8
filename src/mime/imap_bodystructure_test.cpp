// Tests for BODY / BODYSTRUCTURE serialization against hand-derived RFC 3501 §7.4.2 / §9 strings.
#include "mime/imap_bodystructure.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

TEST(ImapBodystructure, Rfc3501ExampleBody) {
  // RFC 3501 §8: BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92); the body is rebuilt with
  // exactly 3028 octets in 92 lines.
  std::string raw = "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n";
  for (int i = 0; i < 92; ++i) raw += std::string(i < 84 ? 31 : 30, 'x') + "\r\n";
  const auto m = parse(raw);
  EXPECT_EQ(imap_bodystructure(m, false), "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)");
  EXPECT_EQ(imap_bodystructure(m, true),
            "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92 NIL NIL NIL NIL)");
}

TEST(ImapBodystructure, DefaultsWithoutHeaders) {
  const auto m = parse("Subject: x\r\n\r\nhello\r\n");
  EXPECT_EQ(imap_bodystructure(m, false), "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 7 1)");
}

const std::string kMixed =
    "From: a@example.com\r\n"
    "Subject: test\r\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\r\n"
    "\r\n"
    "--XX\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "caf=C3=A9\r\n"
    "--XX\r\n"
    "Content-Type: application/pdf; name=\"r.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=\"r.pdf\"\r\n"
    "Content-ID: <id1@x>\r\n"
    "Content-Description: the report\r\n"
    "Content-Language: en, fr\r\n"
    "Content-Location: http://x/\r\n r.pdf\r\n"
    "\r\n"
    "QUJD\r\n"
    "--XX\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner\r\n"
    "From: b@example.com\r\n"
    "\r\n"
    "hi\r\n"
    "--XX--\r\n";

constexpr std::string_view kInnerEnvelope =
    "(NIL \"inner\" ((NIL NIL \"b\" \"example.com\")) ((NIL NIL \"b\" \"example.com\")) "
    "((NIL NIL \"b\" \"example.com\")) NIL NIL NIL NIL NIL)";

TEST(ImapBodystructure, MultipartBody) {
  const auto m = parse(kMixed);
  EXPECT_EQ(imap_bodystructure(m, false),
            "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 9 1)"
            "(\"APPLICATION\" \"PDF\" (\"NAME\" \"r.pdf\") \"<id1@x>\" \"the report\" \"BASE64\" 4)"
            "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 41 " +
                std::string(kInnerEnvelope) +
                " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 2 1) 4)"
                " \"MIXED\")");
}

TEST(ImapBodystructure, MultipartBodystructure) {
  const auto m = parse(kMixed);
  EXPECT_EQ(imap_bodystructure(m, true),
            "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 9 1 NIL NIL NIL NIL)"
            "(\"APPLICATION\" \"PDF\" (\"NAME\" \"r.pdf\") \"<id1@x>\" \"the report\" \"BASE64\" 4 NIL "
            "(\"ATTACHMENT\" (\"FILENAME\" \"r.pdf\")) (\"en\" \"fr\") \"http://x/r.pdf\")"
            "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 41 " +
                std::string(kInnerEnvelope) +
                " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 2 1 NIL NIL NIL NIL) 4"
                " NIL NIL NIL NIL)"
                " \"MIXED\" (\"BOUNDARY\" \"XX\") NIL NIL NIL)");
}

TEST(ImapBodystructure, Rfc2231ParameterIsReencoded) {
  const auto m = parse(
      "Content-Type: application/octet-stream; name*0*=utf-8''caf%C3; name*1*=%A9.txt\r\n"
      "Content-Disposition: inline\r\n\r\nx");
  EXPECT_EQ(imap_bodystructure(m, true),
            "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME*\" \"utf-8''caf%C3%A9.txt\") NIL NIL \"7BIT\" 1 NIL "
            "(\"INLINE\" NIL) NIL NIL)");
}

TEST(ImapBodystructure, EncodedMessageIsBasic) {
  const auto m = parse("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJD");
  EXPECT_EQ(imap_bodystructure(m, false), "(\"APPLICATION\" \"OCTET-STREAM\" NIL NIL NIL \"BASE64\" 4)");
}

}  // namespace
}  // namespace claret::mime
