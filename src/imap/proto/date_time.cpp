// IMAP date and date-time syntax (RFC 9051 §9 date, date-time, zone) and calendar arithmetic.
#include "imap/proto/date_time.hpp"

#include <cstdio>

#include "base/strings.hpp"
#include "imap/proto/syntax.hpp"

namespace claret::imap::proto {
namespace {

constexpr const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

const char* month_name(int month) { return kMonths[month >= 1 && month <= 12 ? month - 1 : 0]; }

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Howard Hinnant's days_from_civil.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int digits(Cursor& c, std::size_t min, std::size_t max) {
  int v = 0;
  std::size_t n = 0;
  while (n < max && is_digit(c.peek())) {
    v = v * 10 + (c.peek() - '0');
    c.accept(c.peek());
    ++n;
  }
  if (n < min) c.fail("Invalid date");
  return v;
}

Date date_text(Cursor& c, bool fixed_day) {
  Date d;
  if (fixed_day && c.peek() == ' ') {
    c.accept(' ');
    d.day = digits(c, 1, 1);
  } else {
    d.day = digits(c, 1, 2);
  }
  c.expect('-');
  d.month = 0;
  for (int m = 0; m < 12 && c.ok(); ++m)
    if (c.accept_prefix(kMonths[m])) {
      d.month = m + 1;
      break;
    }
  if (d.month == 0) c.fail("Invalid month");
  c.expect('-');
  d.year = digits(c, 4, 4);
  if (c.ok() && (d.day < 1 || d.day > days_in_month(d.year, d.month))) c.fail("Invalid day of month");
  return c.ok() ? d : Date{};
}

}  // namespace

std::int64_t to_unix(const Date& d) {
  return days_from_civil(d.year, static_cast<unsigned>(d.month), static_cast<unsigned>(d.day)) * 86400;
}

std::int64_t to_unix(const DateTime& dt) {
  return to_unix(dt.date) + dt.hour * 3600 + dt.minute * 60 + dt.second - dt.zone_minutes * 60;
}

DateTime from_unix(std::int64_t seconds, int zone_minutes) {
  std::int64_t local = seconds + zone_minutes * 60;
  std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  std::int64_t rem = local - days * 86400;
  DateTime dt;
  dt.date = civil_from_days(days);
  dt.hour = static_cast<int>(rem / 3600);
  dt.minute = static_cast<int>(rem % 3600 / 60);
  dt.second = static_cast<int>(rem % 60);
  dt.zone_minutes = zone_minutes;
  return dt;
}

Date read_date(Cursor& c) {
  if (!c.ok()) return {};
  bool quoted = c.accept('"');
  Date d = date_text(c, false);
  if (quoted) c.expect('"');
  return c.ok() ? d : Date{};
}

DateTime read_date_time(Cursor& c) {
  DateTime dt;
  if (!c.expect('"')) return {};
  dt.date = date_text(c, true);
  c.sp();
  dt.hour = digits(c, 2, 2);
  c.expect(':');
  dt.minute = digits(c, 2, 2);
  c.expect(':');
  dt.second = digits(c, 2, 2);
  c.sp();
  int sign = 0;
  if (c.accept('+'))
    sign = 1;
  else if (c.accept('-'))
    sign = -1;
  else
    c.fail("Invalid zone");
  int hh = digits(c, 2, 2);
  int mm = digits(c, 2, 2);
  c.expect('"');
  if (!c.ok()) return {};
  if (dt.hour > 23 || dt.minute > 59 || dt.second > 60 || mm > 59) {
    c.fail("Invalid time");
    return {};
  }
  dt.zone_minutes = sign * (hh * 60 + mm);
  return dt;
}

Result<DateTime> parse_date_time(std::string_view quoted) {
  Cursor c(quoted);
  DateTime dt = read_date_time(c);
  c.expect_end();
  if (!c.ok()) return c.error();
  return dt;
}

std::string format_date_time(const DateTime& dt) {
  char buf[64];
  int z = dt.zone_minutes < 0 ? -dt.zone_minutes : dt.zone_minutes;
  std::snprintf(buf, sizeof buf, "%2d-%s-%04d %02d:%02d:%02d %c%02d%02d", dt.date.day,
                month_name(dt.date.month), dt.date.year, dt.hour, dt.minute, dt.second,
                dt.zone_minutes < 0 ? '-' : '+', z / 60, z % 60);
  return buf;
}

std::string format_date(const Date& d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d-%s-%04d", d.day, month_name(d.month), d.year);
  return buf;
}

}  // namespace claret::imap::proto
