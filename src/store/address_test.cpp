// Tests for address and mailbox-name validation.
#include "store/address.hpp"

#include <gtest/gtest.h>

#include "store/errc.hpp"

namespace claret::store {
namespace {

TEST(Address, ParsesAndLowercasesDomain) {
  auto a = parse_address("John.Doe@Example.COM");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->local, "John.Doe");
  EXPECT_EQ(a->domain, "example.com");
  EXPECT_EQ(a->local_key(), "john.doe");
  EXPECT_EQ(a->str(), "John.Doe@example.com");
}

TEST(Address, AcceptsUtf8LocalPart) {
  auto a = parse_address("j\xc3\xb6rg@example.de");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->local, "j\xc3\xb6rg");
}

TEST(Address, RejectsMalformed) {
  for (const char* bad : {"", "@", "a@", "@b.com", "a@@b.com", "a@b@c.com", "no-at-sign", "a b@c.com",
                          "a@-bad.com", "a@bad-.com", "a@b..com", "a@b_c.com", "a\x01@b.com", "\xc3@b.com",
                          "\xc0\xaf@b.com", "a@.com"}) {
    auto a = parse_address(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_TRUE(has_code(a.error(), Errc::invalid));
  }
  EXPECT_FALSE(parse_address(std::string(65, 'a') + "@b.com").ok());
  EXPECT_FALSE(parse_address("a@" + std::string(64, 'b') + ".com").ok());
}

TEST(Address, CatchAllSourceOnlyForAliases) {
  EXPECT_FALSE(parse_address("@example.com").ok());
  auto a = parse_alias_source("@Example.com");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->local, "");
  EXPECT_EQ(a->domain, "example.com");
}

TEST(Address, StripsPlusTag) {
  auto a = parse_address("user+tag+more@example.com");
  ASSERT_TRUE(a.ok());
  auto s = strip_plus_tag(*a);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->str(), "user@example.com");
  EXPECT_FALSE(strip_plus_tag(*parse_address("+tag@example.com")).has_value());
  EXPECT_FALSE(strip_plus_tag(*parse_address("user@example.com")).has_value());
}

TEST(MailboxName, NormalizesInbox) {
  EXPECT_EQ(*normalize_mailbox_name("inbox"), "INBOX");
  EXPECT_EQ(*normalize_mailbox_name("InBoX/Sub"), "INBOX/Sub");
  EXPECT_EQ(*normalize_mailbox_name("Inboxes"), "Inboxes");
  EXPECT_EQ(*normalize_mailbox_name("Work/2024"), "Work/2024");
}

TEST(MailboxName, RejectsBadNames) {
  for (const char* bad : {"", "/", "a/", "/a", "a//b", "a*", "b%", "a\nb", "\xff"}) {
    auto r = normalize_mailbox_name(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(has_code(r.error(), Errc::invalid));
  }
}

}  // namespace
}  // namespace claret::store
