// Tests for modified UTF-7 (RFC 3501 §5.1.3), UTF8=ACCEPT names (RFC 6855) and mailbox name validation.
#include "imap/proto/mailbox_name.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace claret::imap::proto {
namespace {

using namespace std::string_literals;

TEST(MailboxName, Rfc3501Example) {
  // RFC 3501 §5.1.3: "~peter/mail/&U,BTFw-/&ZeVnLIqe-" is "~peter/mail/台北/日本語".
  auto d = mutf7_decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
  auto e = mutf7_encode(*d);
  ASSERT_TRUE(e);
  EXPECT_EQ(*e, "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
}

TEST(MailboxName, RoundTrips) {
  for (std::string s : {"INBOX", "A&B", "&", "Entw\xc3\xbcrfe", "Gel\xc3\xb6scht/Alt", "\xf0\x9f\x93\xa7 mail",
                        "\xc3\xa9", "\xc3\xa9\xc3\xa9\xc3\xa9", "a\xc3\xa9" "b\xf0\x9f\x98\x80" "c", ""}) {
    auto e = mutf7_encode(s);
    ASSERT_TRUE(e) << s;
    auto d = mutf7_decode(*e);
    ASSERT_TRUE(d) << *e;
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(*mutf7_encode("A&B"), "A&-B");
  EXPECT_EQ(*mutf7_encode("Entw\xc3\xbcrfe"), "Entw&APw-rfe");
}

TEST(MailboxName, RandomCodePointsRoundTrip) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::u32string cps;
    std::string utf8;
    int n = rng() % 8;
    for (int i = 0; i < n; ++i) {
      std::uint32_t cp;
      do cp = rng() % 0x110000;
      while ((cp >= 0xd800 && cp <= 0xdfff) || cp == 0);
      if (rng() % 3 == 0) cp = 0x20 + rng() % 95;
      // UTF-8 encode
      if (cp < 0x80) utf8 += static_cast<char>(cp);
      else if (cp < 0x800) { utf8 += static_cast<char>(0xc0 | (cp >> 6)); utf8 += static_cast<char>(0x80 | (cp & 0x3f)); }
      else if (cp < 0x10000) { utf8 += static_cast<char>(0xe0 | (cp >> 12)); utf8 += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)); utf8 += static_cast<char>(0x80 | (cp & 0x3f)); }
      else { utf8 += static_cast<char>(0xf0 | (cp >> 18)); utf8 += static_cast<char>(0x80 | ((cp >> 12) & 0x3f)); utf8 += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)); utf8 += static_cast<char>(0x80 | (cp & 0x3f)); }
    }
    auto e = mutf7_encode(utf8);
    ASSERT_TRUE(e);
    for (char c : *e) ASSERT_TRUE(c >= 0x20 && c <= 0x7e);
    auto d = mutf7_decode(*e);
    ASSERT_TRUE(d) << *e;
    EXPECT_EQ(*d, utf8);
  }
}

TEST(MailboxName, InvalidModifiedUtf7IsRejected) {
  for (const std::string& s : std::vector<std::string>{
           "&",           // unterminated
           "&U,BTFw",     // no "-"
           "&Jjo!-",      // "!" is not modified base64
           "&AGE-",       // encodes "a", which must be sent as itself
           "&2D3cAQ-",    // valid surrogate pair? no: ill-formed pair order below is separate
           "&2D0-",       // lone high surrogate
           "&3AE-",       // lone low surrogate
           "&AOk",        // unterminated
           "&AOkA-",      // surplus bits: "AOkA" leaves 8 bits
           "&AOl-",       // non-zero padding bits
           "&U/BTFw-",    // "/" belongs to base64, not modified base64
           "caf\xc3\xa9", // raw 8-bit
           "a\tb",        // control character
           "a"s + '\0' + "b",
       }) {
    if (s == "&2D3cAQ-") continue;  // valid (U+1F401); checked below
    EXPECT_FALSE(mutf7_decode(s)) << s;
  }
  auto ok = mutf7_decode("&2D3cAQ-");
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, "\xf0\x9f\x90\x81");
  EXPECT_EQ(*mutf7_decode("&-"), "&");
  EXPECT_FALSE(mutf7_encode("\xc3"));       // truncated UTF-8
  EXPECT_FALSE(mutf7_encode("\xc0\xaf"));   // overlong
  EXPECT_FALSE(mutf7_encode("\xed\xa0\x80"));  // surrogate in UTF-8
}

TEST(MailboxName, InboxIsCaseInsensitive) {
  EXPECT_EQ(normalize_inbox("inbox"), "INBOX");
  EXPECT_EQ(normalize_inbox("InBoX/Sub"), "INBOX/Sub");
  EXPECT_EQ(normalize_inbox("inboxes"), "inboxes");
  EXPECT_EQ(normalize_inbox("Other/inbox"), "Other/inbox");
  EXPECT_EQ(*decode_mailbox("Inbox", false), "INBOX");
}

TEST(MailboxName, Utf8Accept) {
  auto d = decode_mailbox("Entw\xc3\xbcrfe", true);
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, "Entw\xc3\xbcrfe");
  EXPECT_FALSE(decode_mailbox("\xff", true));
  EXPECT_FALSE(decode_mailbox("Entw\xc3\xbcrfe", false));  // 8-bit without UTF8=ACCEPT
  EXPECT_EQ(encode_mailbox("Entw\xc3\xbcrfe", true), "Entw\xc3\xbcrfe");
  EXPECT_EQ(encode_mailbox("Entw\xc3\xbcrfe", false), "Entw&APw-rfe");
  // "&" has no special meaning in UTF-8 names.
  EXPECT_EQ(*decode_mailbox("A&B", true), "A&B");
}

TEST(MailboxName, Validation) {
  for (std::string ok : {"INBOX", "Archive/2024", "a b", "Entw\xc3\xbcrfe", "x.y", "..x", "a/.b", "~user"}) {
    EXPECT_TRUE(validate_mailbox_name(ok)) << ok;
  }
  for (const std::string& bad : std::vector<std::string>{"", "/", "/abs", "trail/", "a//b", "..", "../etc", "a/../b", "a/.", ".", "a\x01", "a\x7f",
                          "a\xc2\x85", "wild*", "wild%", "\xff", std::string(1001, 'a')}) {
    EXPECT_FALSE(validate_mailbox_name(bad)) << bad;
  }
  EXPECT_FALSE(validate_mailbox_name("a"s + '\0' + "b"));
  std::string deep;
  for (int i = 0; i < 65; ++i) deep += (i ? "/" : "") + std::string("d");
  EXPECT_FALSE(validate_mailbox_name(deep));
}

}  // namespace
}  // namespace claret::imap::proto
