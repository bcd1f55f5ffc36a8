// DATA transparency (RFC 5321 §4.5.2) with CRLF normalisation (§2.3.8), and 8-bit detection (RFC 6152 §3).
#include "smtp/client/dot_stuffing.hpp"

namespace claret::smtp::client {

std::string dot_stuff(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 64 + 8);
  bool line_start = true;
  for (size_t i = 0; i < message.size(); ++i) {
    char c = message[i];
    if (c == '\r' || c == '\n') {
      out += "\r\n";
      if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n') ++i;
      line_start = true;
      continue;
    }
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = false;
  }
  if (!line_start) out += "\r\n";
  out += ".\r\n";
  return out;
}

bool has_8bit(std::string_view message) {
  for (unsigned char c : message)
    if (c >= 0x80) return true;
  return false;
}

}  // namespace claret::smtp::client
