// Tests for body decoding: transfer encodings (RFC 2045 §6) and charset conversion of text parts.
#include "mime/body.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

TEST(Body, TransferEncodings) {
  EXPECT_EQ(decode_transfer_encoding("aGVs\r\nbG8=\r\n", "base64"), "hello");
  EXPECT_EQ(decode_transfer_encoding("aGVs bG8", "base64"), "hello");  // lenient: junk skipped
  EXPECT_EQ(decode_transfer_encoding("a=3Db=\r\nc", "quoted-printable"), "a=bc");
  EXPECT_EQ(decode_transfer_encoding("as=3Dis", "7bit"), "as=3Dis");
  EXPECT_EQ(decode_transfer_encoding("raw", "x-unknown"), "raw");
}

TEST(Body, DecodeTextOfParts) {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: Quoted-Printable\r\n\r\n"
      "caf=E9\r\n"
      "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: BASE64\r\n\r\n"
      "w6l0w6k=\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\n"
      "bad \xFF byte\r\n"
      "--b--\r\n";
  const auto m = parse(raw);
  ASSERT_EQ(m.parts().size(), 4u);
  EXPECT_EQ(m.part(1).encoding, "quoted-printable");
  EXPECT_EQ(decode_body(m, m.part(1)), "caf\xE9");
  EXPECT_EQ(decode_text(m, m.part(1)), "caf\xC3\xA9");
  EXPECT_EQ(decode_text(m, m.part(2)), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(decode_text(m, m.part(3)), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(m.headers_named(m.part(1), "content-type").size(), 1u);
}

}  // namespace
}  // namespace claret::mime
