// Tests for quoted-printable decoding (RFC 2045 §6.7, RFC 2047 §4.2).
#include "mime/quoted_printable.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

TEST(QuotedPrintable, Body) {
  struct Case {
    std::string_view in, out;
  };
  const Case cases[] = {
      {"caf=E9", "caf\xE9"},
      {"caf=e9", "caf\xE9"},                        // lowercase hex tolerated
      {"soft=\r\nbreak", "softbreak"},
      {"soft=\nbreak", "softbreak"},
      {"soft=  \r\nbreak", "softbreak"},            // padding after '='
      {"trailing   \r\nspace", "trailing\r\nspace"},  // rule 3: trailing whitespace is padding
      {"tab\t\nx", "tab\nx"},
      {"a = b", "a = b"},                           // stray '=' kept
      {"=4", "=4"},
      {"=G1", "=G1"},
      {"end=", "end"},
      {"under_score", "under_score"},
      {"=3D=3d", "=="},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(qp_decode(c.in), c.out) << c.in;
}

TEST(QuotedPrintable, EncodedWordVariant) {
  EXPECT_EQ(q_word_decode("Keith_Moore"), "Keith Moore");
  EXPECT_EQ(q_word_decode("J=F8rn"), "J\xF8rn");
  EXPECT_EQ(q_word_decode("a=5Fb"), "a_b");
  EXPECT_EQ(q_word_decode("x="), "x=");
}

}  // namespace
}  // namespace claret::mime
