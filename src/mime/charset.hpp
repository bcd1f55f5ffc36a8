// Charset conversion to UTF-8 with iconv (RFC 2045 §5.1 charset parameter, RFC 2047 §3, RFC 2231 §4, RFC 6532).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace claret::mime {

// Converts `bytes` in `charset` to UTF-8. ASCII/UTF-8/unknown charsets pass the bytes through with invalid
// UTF-8 replaced by U+FFFD; bytes a known converter rejects become U+FFFD too. Never fails.
std::string to_utf8(std::string_view bytes, std::string_view charset);

// Replaces every invalid UTF-8 sequence (RFC 3629) with U+FFFD.
std::string sanitize_utf8(std::string_view bytes);
bool is_valid_utf8(std::string_view bytes);

// The longest prefix of `s` holding at most `max_chars` code points (never splits a sequence).
std::string_view utf8_prefix(std::string_view s, size_t max_chars);
// The longest prefix of `s` of at most `max_bytes` bytes that ends on a UTF-8 character boundary.
std::string_view utf8_truncate_bytes(std::string_view s, size_t max_bytes);

}  // namespace claret::mime
