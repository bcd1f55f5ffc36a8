// Date-time parsing: RFC 5322 §3.3 (date-time) and §4.3 (obsolete years, zones and forms).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace claret::mime {

// Parses a Date: field value to seconds since the Unix epoch (UTC). Tolerates comments, a missing or misplaced
// day-of-week, two- and three-digit years, missing seconds, named and military zones, a missing zone (taken as
// UTC), dashed dates ("21-Nov-1997") and the asctime order "Mon Jan  2 15:04:05 2006". Returns nullopt when no
// valid date is found.
std::optional<int64_t> parse_rfc5322_date(std::string_view value);

// Days since 1970-01-01 of a proleptic Gregorian civil date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

}  // namespace claret::mime
