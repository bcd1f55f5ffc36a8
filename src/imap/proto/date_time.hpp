// IMAP dates: RFC 9051 §9 date (SEARCH), date-time (APPEND, INTERNALDATE) and their formatting.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "imap/proto/cursor.hpp"

namespace claret::imap::proto {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31, checked against the month
  bool operator==(const Date&) const = default;
};

struct DateTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int zone_minutes = 0;  // offset east of UTC, -1439..1439
  bool operator==(const DateTime&) const = default;
};

// Seconds since the Unix epoch of the instant (zone applied) / of midnight UTC of the date.
std::int64_t to_unix(const DateTime& dt);
std::int64_t to_unix(const Date& d);
DateTime from_unix(std::int64_t seconds, int zone_minutes = 0);

// date = date-text / DQUOTE date-text DQUOTE, date-text = 1*2DIGIT "-" Mon "-" 4DIGIT.
Date read_date(Cursor& c);
// date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE. A day without the
// leading space ("1-Jan-…") is accepted too, as real clients send it.
DateTime read_date_time(Cursor& c);
Result<DateTime> parse_date_time(std::string_view quoted);

// "02-Dec-2026 16:47:23 +0000" (day padded with a space, as date-day-fixed), without quotes.
std::string format_date_time(const DateTime& dt);
// "2-Dec-2026"
std::string format_date(const Date& d);

}  // namespace claret::imap::proto
