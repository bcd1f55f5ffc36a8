// Tests for xtext (RFC 3461 §4).
#include "smtp/proto/xtext.hpp"

#include <gtest/gtest.h>

namespace claret::smtp::proto {
namespace {

TEST(Xtext, EncodesSpecialsAndControls) {
  EXPECT_EQ(xtext_encode("user+tag=x@example.com"), "user+2Btag+3Dx@example.com");
  EXPECT_EQ(xtext_encode("a b"), "a+20b");
  EXPECT_EQ(xtext_encode(std::string("\x00\x7F\xC3\xA9", 4)), "+00+7F+C3+A9");
  EXPECT_EQ(xtext_encode(""), "");
}

TEST(Xtext, DecodesHexchars) {
  EXPECT_EQ(xtext_decode("user+2Btag+3Dx@example.com").value(), "user+tag=x@example.com");
  EXPECT_EQ(xtext_decode("+2b").value(), "+");  // lower case accepted
  EXPECT_EQ(xtext_decode("").value(), "");
}

TEST(Xtext, RejectsMalformed) {
  for (std::string_view bad : {"a=b", "a b", "+", "+2", "+G0", "a+", "\x7F", "\xC3\xA9", "+2+41"}) {
    EXPECT_FALSE(xtext_decode(bad).has_value()) << bad;
  }
}

TEST(Xtext, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  auto enc = xtext_encode(all);
  EXPECT_EQ(xtext_decode(enc).value(), all);
}

}  // namespace
}  // namespace claret::smtp::proto
