// Character classes of RFC 5321 §4.1.2 / RFC 5322 §3.2.3 and UTF-8 validation per RFC 3629 §4.
#include "smtp/proto/syntax.hpp"

#include <string_view>

namespace claret::smtp::proto {

bool is_atext(unsigned char c) {
  if (is_let_dig(c)) return true;
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return c != 0 && kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

std::size_t utf8_sequence_length(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return 0;
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[pos + i]); };
  auto cont = [&](std::size_t i) { return pos + i < s.size() && (b(i) & 0xC0) == 0x80; };
  unsigned char c0 = b(0);
  // RFC 3629 §4 table: the second byte's range depends on the first to exclude overlongs and surrogates.
  if (c0 >= 0xC2 && c0 <= 0xDF) return cont(1) ? 2 : 0;
  if (c0 >= 0xE0 && c0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c0 == 0xE0 && b(1) < 0xA0) return 0;
    if (c0 == 0xED && b(1) > 0x9F) return 0;
    return 3;
  }
  if (c0 >= 0xF0 && c0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c0 == 0xF0 && b(1) < 0x90) return 0;
    if (c0 == 0xF4 && b(1) > 0x8F) return 0;
    return 4;
  }
  return 0;
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace claret::smtp::proto
