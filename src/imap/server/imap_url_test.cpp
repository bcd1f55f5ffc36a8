// IMAP URL subset parsing (RFC 5092 §6, as CATENATE uses it, RFC 4469 §5 examples).
#include "imap/server/imap_url.hpp"

#include <gtest/gtest.h>

namespace claret::imap::server {
namespace {

TEST(ImapUrl, RelativeFormWithSectionAsInRfc4469) {
  auto u = parse_imap_url("/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->mailbox, "Drafts");
  EXPECT_EQ(u->uidvalidity, 385759045u);
  EXPECT_EQ(u->uid, 20u);
  EXPECT_EQ(u->section, "HEADER");
  EXPECT_TRUE(u->user.empty());
}

TEST(ImapUrl, AbsoluteFormWithUserPercentEscapesAndPartial) {
  auto u = parse_imap_url("imap://alice%40example.test@mail.example.test:143/Arch%C3%ADv/2026/;UID=7/;SECTION=1.2/;PARTIAL=10.20");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->user, "alice@example.test");
  EXPECT_EQ(u->mailbox, "Arch\xC3\xADv/2026");
  EXPECT_FALSE(u->uidvalidity.has_value());
  EXPECT_EQ(u->uid, 7u);
  EXPECT_EQ(u->section, "1.2");
  EXPECT_EQ(u->partial_offset, 10u);
  EXPECT_EQ(u->partial_length, 20u);
  auto whole = parse_imap_url("imap://host/INBOX/;UID=1");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->mailbox, "INBOX");
  EXPECT_TRUE(whole->section.empty());
}

TEST(ImapUrl, OutsideTheSubsetIsRefused) {
  for (const char* bad : {"", "INBOX/;UID=1", "/INBOX", "/INBOX;UIDVALIDITY=0/;UID=1", "/INBOX/;UID=0",
                          "/INBOX/;UID=x", "/INBOX?SUBJECT%20x", "/INBOX/;UID=1;EXPIRE=2026-12-07T00:00:00Z",
                          "/INBOX/;UID=1/;URLAUTH=anonymous", "/IN%2/;UID=1", "/IN%00BOX/;UID=1", "/;UID=1",
                          "imap://host", "/INBOX/;UID=1/;PARTIAL=5.0", "/INBOX/;UID=99999999999"})
    EXPECT_FALSE(parse_imap_url(bad).has_value()) << bad;
}

}  // namespace
}  // namespace claret::imap::server
