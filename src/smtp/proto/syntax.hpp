// Character classes of RFC 5321 §4.1.2 / RFC 5322 §3.2.3 and UTF-8 well-formedness (RFC 3629 §4, as
// required for SMTPUTF8 by RFC 6531 §3.3), shared by the address, parameter and command parsers.
#pragma once

#include <cstddef>
#include <string_view>

namespace claret::smtp::proto {

inline bool is_alpha(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool is_let_dig(unsigned char c) { return is_alpha(c) || is_digit(c); }
inline bool is_hex_digit(unsigned char c) {
  return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}
// atext (RFC 5322 §3.2.3): ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~". ASCII only; UTF-8 is handled by callers.
bool is_atext(unsigned char c);
// qtextSMTP (RFC 5321 §4.1.2): %d32-33 / %d35-91 / %d93-126.
inline bool is_qtext_smtp(unsigned char c) { return c == 32 || c == 33 || (c >= 35 && c <= 91) || (c >= 93 && c <= 126); }

// Length of the well-formed UTF-8 sequence starting at s[pos] (2-4 for non-ASCII), or 0 if the bytes there are
// not a well-formed multi-byte sequence (overlong forms, surrogates and code points above U+10FFFF are refused).
std::size_t utf8_sequence_length(std::string_view s, std::size_t pos);
bool is_valid_utf8(std::string_view s);
bool is_ascii(std::string_view s);

}  // namespace claret::smtp::proto
