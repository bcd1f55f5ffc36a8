// Date-time parsing: RFC 5322 §3.3 and §4.3 (obs-year, obs-zone).
#include "mime/date.hpp"

#include <string>
#include <vector>

#include "base/strings.hpp"

namespace claret::mime {
namespace {

constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

// Zone names of RFC 5322 §4.3; unknown alphabetic zones (and military letters) count as -0000.
std::optional<int> named_zone_minutes(std::string_view z) {
  const std::string l = to_lower(z);
  if (l == "ut" || l == "utc" || l == "gmt" || l == "z") return 0;
  if (l == "edt") return -4 * 60;
  if (l == "est" || l == "cdt") return -5 * 60;
  if (l == "cst" || l == "mdt") return -6 * 60;
  if (l == "mst" || l == "pdt") return -7 * 60;
  if (l == "pst") return -8 * 60;
  return std::nullopt;
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> parse_rfc5322_date(std::string_view value) {
  // Tokenize: comments dropped; whitespace and ',' separate tokens; a zone glued to the time ("10:00:00+0100")
  // or a "+"/"-" sign are split off.
  std::vector<std::string> tokens;
  std::string cur;
  int comment = 0;
  auto flush = [&] {
    if (!cur.empty()) tokens.push_back(std::move(cur));
    cur.clear();
  };
  for (char c : value) {
    if (comment > 0) {
      if (c == '(') ++comment;
      if (c == ')') --comment;
      continue;
    }
    if (c == '(') {
      flush();
      comment = 1;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
      flush();
    } else if ((c == '+' || c == '-') && !cur.empty() && cur.find(':') != std::string::npos) {
      flush();
      cur += c;
    } else if (c == '-' && !cur.empty()) {
      flush();  // "21-Nov-1997": dashes separate the date fields
    } else {
      cur += c;
    }
    if (tokens.size() > 32) return std::nullopt;
  }
  flush();

  int day = -1, month = -1, hour = -1, minute = -1, second = 0;
  int64_t year = -1;
  int zone = 0;
  bool zone_set = false;
  for (const std::string& tok : tokens) {
    const std::string_view t = tok;
    if (t.find(':') != std::string_view::npos && hour < 0) {
      const auto parts = split(t, ':');
      if (parts.size() < 2 || parts.size() > 3) continue;
      auto h = parse_u64(parts[0]), m = parse_u64(parts[1]);
      // Fractional seconds ("35.882") are not RFC 5322 but some generators write them.
      std::optional<uint64_t> s =
          parts.size() == 3 ? parse_u64(parts[2].substr(0, parts[2].find('.'))) : std::optional<uint64_t>(0);
      if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60) return std::nullopt;
      hour = static_cast<int>(*h);
      minute = static_cast<int>(*m);
      second = static_cast<int>(*s == 60 ? 59 : *s);  // a leap second maps onto :59
      continue;
    }
    if ((t[0] == '+' || t[0] == '-') && t.size() == 5 && all_digits(t.substr(1))) {
      if (!zone_set) {
        const int hh = (t[1] - '0') * 10 + (t[2] - '0'), mm = (t[3] - '0') * 10 + (t[4] - '0');
        if (mm > 59) return std::nullopt;
        zone = (t[0] == '-' ? -1 : 1) * (hh * 60 + mm);
        zone_set = true;
      }
      continue;
    }
    if (all_digits(t)) {
      const auto v = parse_u64(t);
      if (!v) return std::nullopt;
      if (t.size() <= 2 && day < 0) {
        day = static_cast<int>(*v);
      } else if (year < 0 && t.size() <= 4) {
        year = static_cast<int64_t>(*v);
        if (t.size() <= 2) year += year < 50 ? 2000 : 1900;  // RFC 5322 §4.3
        else if (t.size() == 3) year += 1900;
      }
      continue;
    }
    if (is_alpha(t[0])) {
      if (t.size() >= 3 && month < 0) {
        const std::string l = to_lower(t.substr(0, 3));
        bool found = false;
        for (int k = 0; k < 12; ++k)
          if (l == kMonths[k]) {
            month = k + 1;
            found = true;
          }
        if (found) continue;
      }
      if (hour >= 0 && !zone_set) {
        if (auto z = named_zone_minutes(t)) {
          zone = *z;
          zone_set = true;
        }
      }
    }
  }
  if (day < 1 || day > 31 || month < 1 || year < 1000 || year > 9999 || hour < 0) return std::nullopt;
  static constexpr int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDaysIn[month - 1]) return std::nullopt;
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60 + second - static_cast<int64_t>(zone) * 60;
}

}  // namespace claret::mime
