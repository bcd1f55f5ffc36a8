// The DNS TXT record an admin publishes for a DKIM key: owner name and zone-file line
// (RFC 6376 §3.6.2.1 SELECTOR._domainkey.DOMAIN; RFC 1035 §3.3.14 character-strings of at most 255 bytes).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace claret::mailauth {

// "SELECTOR._domainkey.DOMAIN" (no trailing dot): the name a verifier queries.
std::string key_record_name(std::string_view selector, std::string_view domain);

// `record` cut into DNS character-strings of at most `max_len` bytes (255 in DNS); a TXT record made of
// several strings is read back as their concatenation (RFC 6376 §3.6.2.2).
std::vector<std::string> split_txt_strings(std::string_view record, size_t max_len = 255);

// One zone-file line: `SELECTOR._domainkey.DOMAIN. IN TXT "part1" "part2"` with '"' and '\' escaped.
std::string txt_zone_line(std::string_view selector, std::string_view domain, std::string_view record);

}  // namespace claret::mailauth
