// Return-Path and Received header fields (RFC 5321 §4.4).
#include "mail/trace_headers.hpp"

#include <ctime>

namespace claret::mail {

std::string return_path_header(const std::string& reverse_path) {
  return "Return-Path: <" + reverse_path + ">\r\n";
}

std::string rfc5322_date(int64_t unix_time) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string received_header(const ReceivedInfo& info) {
  // Each clause on its own folded line keeps the field under the 78-character recommendation
  // (RFC 5322 §2.1.1) whatever the names' lengths.
  std::string h = "Received:";
  if (!info.helo.empty() || !info.client_ip.empty()) {
    h += " from " + (info.helo.empty() ? std::string("unknown") : info.helo);
    if (!info.client_ip.empty()) h += " ([" + info.client_ip + "])";
  }
  h += (h.size() > 9 ? "\r\n\tby " : " by ") + info.by_host + " (claret)";
  h += "\r\n\twith " + info.protocol;
  if (!info.tls.empty()) h += " (" + info.tls + ")";
  if (!info.id.empty()) h += " id " + info.id;
  if (!info.for_recipient.empty()) h += "\r\n\tfor <" + info.for_recipient + ">";
  h += ";\r\n\t" + rfc5322_date(info.time) + "\r\n";
  return h;
}

}  // namespace claret::mail
