// Tests of the submission sender policy (RFC 6409 §8.1): own address, aliases, plus tags, From: header.
#include "smtp/server/sender_policy.hpp"

#include <gtest/gtest.h>

namespace claret::smtp::server {
namespace {

std::vector<std::string> alice() {
  std::vector<store::Alias> aliases{
      {"sales@example.test", {"bob@example.test", "alice@example.test"}},
      {"info@example.test", {"bob@example.test"}},
      {"@example.test", {"alice@example.test"}},  // catch-all: does not make every address Alice's
      {"alias2@example.test", {"Alice+lists@example.test"}},
  };
  return sendable_addresses("alice@example.test", aliases);
}

TEST(SenderPolicy, SendableAddresses) {
  EXPECT_EQ(alice(), (std::vector<std::string>{"alice@example.test", "sales@example.test", "alias2@example.test"}));
}

TEST(SenderPolicy, MaySendAs) {
  auto s = alice();
  EXPECT_TRUE(may_send_as(s, "alice@example.test"));
  EXPECT_TRUE(may_send_as(s, "ALICE@Example.Test"));
  EXPECT_TRUE(may_send_as(s, "alice+news@example.test"));
  EXPECT_TRUE(may_send_as(s, "sales@example.test"));
  EXPECT_FALSE(may_send_as(s, "info@example.test"));
  EXPECT_FALSE(may_send_as(s, "bob@example.test"));
  EXPECT_FALSE(may_send_as(s, "random@example.test"));
  EXPECT_FALSE(may_send_as(s, "alice@example.test.evil"));
  EXPECT_FALSE(may_send_as(s, ""));
}

TEST(SenderPolicy, FromHeader) {
  auto s = alice();
  EXPECT_EQ(from_header_violation("From: Alice <alice@example.test>\r\nSubject: x\r\n\r\nbody\r\n", s), std::nullopt);
  EXPECT_EQ(from_header_violation("Subject: no from\r\n\r\nFrom: bob@example.test\r\n", s), std::nullopt);
  EXPECT_EQ(from_header_violation("From: \"Sales\" <sales@example.test>,\r\n alice@example.test\r\n\r\n", s),
            std::nullopt);
  EXPECT_EQ(from_header_violation("From: Bob <bob@example.test>\r\n\r\nbody\r\n", s), "bob@example.test");
  EXPECT_EQ(from_header_violation("From: alice@example.test\r\nFrom: info@example.test\r\n\r\n", s),
            "info@example.test");
  EXPECT_EQ(from_header_violation("From: alice@example.test, ceo@victim.test\r\n\r\n", s), "ceo@victim.test");
  EXPECT_TRUE(from_header_violation("From: ;;;\r\n\r\n", s).has_value());
}

}  // namespace
}  // namespace claret::smtp::server
