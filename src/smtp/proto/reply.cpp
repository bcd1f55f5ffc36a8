// SMTP reply serialisation (RFC 5321 §4.2.1 multi-line form, RFC 2034 §4 enhanced code on every line).
#include "smtp/proto/reply.hpp"

namespace claret::smtp::proto {

namespace {

void append_line(std::string& out, int code, char separator, std::string_view enhanced, std::string_view text) {
  // Codes are three digits by definition; clamp anything else so the output stays well-formed.
  int c = (code >= 100 && code <= 999) ? code : 451;
  out += static_cast<char>('0' + c / 100);
  out += static_cast<char>('0' + (c / 10) % 10);
  out += static_cast<char>('0' + c % 10);
  out += separator;
  bool space_needed = false;
  if (!enhanced.empty()) {
    out += enhanced;
    space_needed = true;
  }
  if (!text.empty()) {
    if (space_needed) out += ' ';
    for (char ch : text) {
      auto u = static_cast<unsigned char>(ch);
      // textstring = 1*(%d09 / %d32-126); keep UTF-8 (RFC 6531 §3.7.4.2) but never a control character.
      out += (u < 32 && u != 9) || u == 127 ? ' ' : ch;
    }
  }
  out += "\r\n";
}

}  // namespace

std::string Reply::serialize() const {
  std::string out;
  if (lines.empty()) {
    append_line(out, code, ' ', enhanced, {});
    return out;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    append_line(out, code, i + 1 == lines.size() ? ' ' : '-', enhanced, lines[i]);
  }
  return out;
}

Reply make_reply(int code, std::string_view enhanced, std::string text) {
  Reply r;
  r.code = code;
  r.enhanced = std::string(enhanced);
  r.lines.push_back(std::move(text));
  return r;
}

}  // namespace claret::smtp::proto
