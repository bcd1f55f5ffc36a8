// dot_stuff / has_8bit tests (RFC 5321 §4.5.2 transparency).
#include "smtp/client/dot_stuffing.hpp"

#include <gtest/gtest.h>

namespace claret::smtp::client {
namespace {

TEST(DotStuff, DoublesLeadingDotsAndTerminates) {
  EXPECT_EQ(dot_stuff("a\r\n.b\r\n..c\r\n"), "a\r\n..b\r\n...c\r\n.\r\n");
  EXPECT_EQ(dot_stuff(".\r\n"), "..\r\n.\r\n");
  EXPECT_EQ(dot_stuff(""), ".\r\n");
}

TEST(DotStuff, NormalisesLineEndingsSoNothingIsSmuggled) {
  // A bare LF followed by ".": must not become an early end of data at a lenient receiver.
  EXPECT_EQ(dot_stuff("a\n.\nb"), "a\r\n..\r\nb\r\n.\r\n");
  EXPECT_EQ(dot_stuff("a\r.\rb\r\n"), "a\r\n..\r\nb\r\n.\r\n");
  EXPECT_EQ(dot_stuff("x.y"), "x.y\r\n.\r\n");
}

TEST(Has8bit, DetectsHighBytes) {
  EXPECT_FALSE(has_8bit("plain ascii\r\n"));
  EXPECT_TRUE(has_8bit("caf\xc3\xa9"));
}

}  // namespace
}  // namespace claret::smtp::client
