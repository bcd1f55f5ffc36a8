// Quoted-printable decoding: RFC 2045 §6.7 and RFC 2047 §4.2.
#include "mime/quoted_printable.hpp"

namespace claret::mime {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

std::string decode(std::string_view in, bool q_word) {
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    if (c == '=') {
      // Soft line break: '=' then optional transport padding then CRLF or LF.
      size_t j = i + 1;
      while (j < in.size() && is_wsp(in[j])) ++j;
      if (j < in.size() && in[j] == '\r' && j + 1 < in.size() && in[j + 1] == '\n') {
        i = j + 2;
        continue;
      }
      if (j < in.size() && in[j] == '\n') {
        i = j + 1;
        continue;
      }
      if (j == in.size() && !q_word) {  // '=' at the very end: a soft break with the line ending cut off.
        i = j;
        continue;
      }
      const int hi = i + 1 < in.size() ? hex_value(in[i + 1]) : -1;
      const int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 3;
        continue;
      }
      out += '=';
      ++i;
      continue;
    }
    if (q_word && c == '_') {
      out += ' ';
      ++i;
      continue;
    }
    if (!q_word && is_wsp(c)) {
      // Trailing whitespace on a line is transport padding and is removed.
      size_t j = i;
      while (j < in.size() && is_wsp(in[j])) ++j;
      const bool at_eol = j == in.size() || in[j] == '\n' || (in[j] == '\r' && j + 1 < in.size() && in[j + 1] == '\n');
      if (!at_eol) out.append(in.substr(i, j - i));
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace

std::string qp_decode(std::string_view in) { return decode(in, false); }
std::string q_word_decode(std::string_view in) { return decode(in, true); }

}  // namespace claret::mime
