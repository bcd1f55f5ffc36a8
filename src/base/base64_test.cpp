#include "base/base64.hpp"

#include <gtest/gtest.h>

namespace claret {

TEST(Base64, Rfc4648Vectors) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(base64_encode(plain[i]), enc[i]);
    EXPECT_EQ(base64_decode(enc[i]), std::string(plain[i]));
    EXPECT_EQ(base64_decode_lenient(enc[i]), plain[i]);
  }
}

TEST(Base64, StrictRejectsGarbage) {
  EXPECT_FALSE(base64_decode("Zm9"));
  EXPECT_FALSE(base64_decode("Zm9v!"));
  EXPECT_FALSE(base64_decode("Z=9v"));
  EXPECT_FALSE(base64_decode("Zg==Zm8="));
}

TEST(Base64, LenientSkipsLineBreaks) {
  EXPECT_EQ(base64_decode_lenient("Zm9v\r\nYmFy\r\n"), "foobar");
}

}  // namespace claret
