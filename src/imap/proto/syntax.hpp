// IMAP character classes: RFC 9051 §9 ATOM-CHAR, ASTRING-CHAR, tag, list-char, quoted-specials.
#pragma once

#include <string_view>

namespace claret::imap::proto {

inline bool is_ctl(unsigned char c) { return c < 0x20 || c == 0x7f; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
// atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
inline bool is_atom_char(char ch) {
  auto c = static_cast<unsigned char>(ch);
  if (c >= 0x80 || is_ctl(c)) return false;
  switch (c) {
    case '(': case ')': case '{': case ' ': case '%': case '*': case '"': case '\\': case ']':
      return false;
    default:
      return true;
  }
}
inline bool is_astring_char(char c) { return is_atom_char(c) || c == ']'; }
inline bool is_tag_char(char c) { return is_astring_char(c) && c != '+'; }
inline bool is_list_char(char c) { return is_atom_char(c) || c == '%' || c == '*' || c == ']'; }

inline bool is_atom(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_atom_char(c)) return false;
  return true;
}
inline bool is_tag(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_tag_char(c)) return false;
  return true;
}

}  // namespace claret::imap::proto
