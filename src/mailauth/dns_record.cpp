// DKIM key record naming and zone-file formatting (RFC 6376 §3.6.2, RFC 1035 §3.3.14, §5.1).
#include "mailauth/dns_record.hpp"

namespace claret::mailauth {

std::string key_record_name(std::string_view selector, std::string_view domain) {
  std::string name(selector);
  name += "._domainkey.";
  name += domain;
  while (!name.empty() && name.back() == '.') name.pop_back();
  return name;
}

std::vector<std::string> split_txt_strings(std::string_view record, size_t max_len) {
  std::vector<std::string> out;
  if (max_len == 0) max_len = 255;
  for (size_t pos = 0; pos < record.size(); pos += max_len) out.emplace_back(record.substr(pos, max_len));
  if (out.empty()) out.emplace_back();
  return out;
}

std::string txt_zone_line(std::string_view selector, std::string_view domain, std::string_view record) {
  std::string line = key_record_name(selector, domain) + ". IN TXT";
  for (const auto& part : split_txt_strings(record)) {
    line += " \"";
    for (char c : part) {
      if (c == '"' || c == '\\') line.push_back('\\');
      line.push_back(c);
    }
    line += '"';
  }
  return line;
}

}  // namespace claret::mailauth
