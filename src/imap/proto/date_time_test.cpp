// Tests for IMAP date and date-time syntax (RFC 9051 §9) and formatting.
#include "imap/proto/date_time.hpp"

#include <gtest/gtest.h>

namespace claret::imap::proto {
namespace {

TEST(DateTime, ParsesRfcForms) {
  auto a = parse_date_time("\"17-Jul-1996 02:44:25 -0700\"");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->date, (Date{1996, 7, 17}));
  EXPECT_EQ(a->zone_minutes, -420);
  EXPECT_EQ(to_unix(*a), 837596665);
  auto b = parse_date_time("\" 7-Feb-1994 21:52:25 +0100\"");  // date-day-fixed with a space
  ASSERT_TRUE(b);
  EXPECT_EQ(b->date.day, 7);
  EXPECT_TRUE(parse_date_time("\"7-feb-1994 21:52:25 +0100\""));  // lenient: no space, month case
}

TEST(DateTime, RejectsBadDates) {
  for (std::string s : {"17-Jul-1996 02:44:25 -0700", "\"32-Jul-1996 02:44:25 -0700\"", "\"29-Feb-2023 00:00:00 +0000\"",
                        "\"17-Jux-1996 02:44:25 -0700\"", "\"17-Jul-96 02:44:25 -0700\"", "\"17-Jul-1996 24:00:00 +0000\"",
                        "\"17-Jul-1996 02:44:25 0700\"", "\"17-Jul-1996 02:44:25 +07\"", "\"17-Jul-1996 02:44:25 -0760\"",
                        "\"\"", "\"17-Jul-1996\""}) {
    EXPECT_FALSE(parse_date_time(s)) << s;
  }
  EXPECT_TRUE(parse_date_time("\"29-Feb-2024 00:00:00 +0000\""));
}

TEST(DateTime, SearchDates) {
  Cursor c("1-Feb-1994 \"25-Dec-2026\"");
  EXPECT_EQ(read_date(c), (Date{1994, 2, 1}));
  c.sp();
  EXPECT_EQ(read_date(c), (Date{2026, 12, 25}));
  EXPECT_TRUE(c.ok());
  Cursor bad("1-Feb-94");
  read_date(bad);
  EXPECT_FALSE(bad.ok());
}

TEST(DateTime, FormatsAndRoundTrips) {
  DateTime dt = from_unix(837596665, -420);
  EXPECT_EQ(format_date_time(dt), "17-Jul-1996 02:44:25 -0700");
  EXPECT_EQ(format_date_time(from_unix(0)), " 1-Jan-1970 00:00:00 +0000");
  EXPECT_EQ(format_date(Date{2026, 12, 2}), "2-Dec-2026");
  for (std::int64_t t : {0ll, 951782400ll, 4102444799ll, 1700000000ll, -86400ll}) {
    for (int zone : {0, 60, -330, 840}) {
      auto parsed = parse_date_time("\"" + format_date_time(from_unix(t, zone)) + "\"");
      ASSERT_TRUE(parsed);
      EXPECT_EQ(to_unix(*parsed), t);
    }
  }
}

}  // namespace
}  // namespace claret::imap::proto
