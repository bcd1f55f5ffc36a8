// Tests for the DKIM key record name and zone-file line (RFC 6376 §3.6.2, RFC 1035 §3.3.14).
#include "mailauth/dns_record.hpp"

#include <gtest/gtest.h>

namespace claret::mailauth {
namespace {

TEST(DnsRecord, NameAndShortRecord) {
  EXPECT_EQ(key_record_name("sel", "example.org."), "sel._domainkey.example.org");
  EXPECT_EQ(txt_zone_line("sel", "example.org", "v=DKIM1; k=ed25519; p=abc"),
            "sel._domainkey.example.org. IN TXT \"v=DKIM1; k=ed25519; p=abc\"");
}

TEST(DnsRecord, LongRecordSplitInto255ByteStrings) {
  std::string record(600, 'A');
  auto parts = split_txt_strings(record);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].size(), 255u);
  EXPECT_EQ(parts[1].size(), 255u);
  EXPECT_EQ(parts[2].size(), 90u);
  EXPECT_EQ(parts[0] + parts[1] + parts[2], record);
  std::string line = txt_zone_line("s", "d.example", record);
  EXPECT_EQ(line, "s._domainkey.d.example. IN TXT \"" + parts[0] + "\" \"" + parts[1] + "\" \"" + parts[2] + "\"");
}

TEST(DnsRecord, QuotesAreEscaped) {
  EXPECT_EQ(txt_zone_line("s", "d", "a\"b\\c"), "s._domainkey.d. IN TXT \"a\\\"b\\\\c\"");
  EXPECT_EQ(split_txt_strings("").size(), 1u);
}

}  // namespace
}  // namespace claret::mailauth
