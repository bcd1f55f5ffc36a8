// Tests for RFC 5322 §3.3 / §4.3 date parsing.
#include "mime/date.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

TEST(Date, Table) {
  struct Case {
    std::string_view in;
    std::optional<int64_t> out;
  };
  const Case cases[] = {
      {"Thu, 01 Jan 1970 00:00:00 +0000", 0},
      {"Fri, 21 Nov 1997 09:55:06 -0600", 880127706},
      {"Tue, 1 Jul 2003 10:52:37 +0200", 1057049557},
      {"21 Nov 97 09:55:06 GMT", 880106106},                 // obsolete 2-digit year, named zone
      {"Fri, 21 Nov 1997 09:55:06 CST", 880127706},
      {"Fri, 21 Nov 1997 09:55 -0600", 880127700},           // no seconds
      {"Fri, 21 Nov 1997 09:55:06", 880106106},              // no zone: UTC
      {"Fri, 21 Nov 1997 09:55:06 Z", 880106106},            // military zone
      {"Thu,\r\n 13\r\n   Feb\r\n     1969\r\n 23:32\r\n  -0330 (Newfoundland Time)", -27723480},
      {"Mon, 01 Jan 2001 00:00:00 +0000 (UTC)", 978307200},
      {"01 Jan 149 00:00:00 +0000", 2493072000},             // 3-digit year: 1900 + 149 = 2049
      {"Mon Jan  2 15:04:05 2006", 1136214245},              // asctime order
      {"21-Nov-1997 09:55:06 -0600", 880127706},
      {"Fri, 21 Nov 1997 09:55:06.882 -0600", 880127706},
      {"Fri, 21 Nov 1997 09:55:06-0600", 880127706},
      {"Sat, 29 Feb 2020 12:00:00 +0000", 1582977600},
      {"Wed, 31 Dec 1969 23:59:60 +0000", -1},               // leap second clamps to :59
      {"garbage", std::nullopt},
      {"", std::nullopt},
      {"Fri, 32 Nov 1997 09:55:06 -0600", std::nullopt},
      {"Fri, 31 Nov 1997 09:55:06 -0600", std::nullopt},
      {"Fri, 21 Nov 1997 25:55:06 -0600", std::nullopt},
      {"Fri, 21 Foo 1997 09:55:06 -0600", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_rfc5322_date(c.in), c.out) << c.in;
}

TEST(Date, DaysFromCivil) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
}

}  // namespace
}  // namespace claret::mime
