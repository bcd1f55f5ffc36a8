// Top-level header/body split for DKIM (RFC 6376 §5.4, RFC 5322 §2.2: fields, §2.2.3: folding).
#include "mailauth/header_fields.hpp"

namespace claret::mailauth {

namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// RFC 5322 §3.6.8 ftext is printable US-ASCII except ':'; the obsolete syntax (§4.5) allows WSP before the
// colon, which is not part of the name.
std::string_view field_name(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return {};
  std::string_view name = line.substr(0, colon);
  while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
  if (name.empty()) return {};
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127) return {};
  }
  return name;
}

}  // namespace

std::string to_crlf(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 32 + 2);
  for (size_t i = 0; i < message.size(); ++i) {
    char c = message[i];
    if (c == '\n' && (i == 0 || message[i - 1] != '\r')) out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

bool has_bare_lf(std::string_view message) {
  for (size_t pos = message.find('\n'); pos != std::string_view::npos; pos = message.find('\n', pos + 1))
    if (pos == 0 || message[pos - 1] != '\r') return true;
  return false;
}

SplitMessage split_message(std::string_view m) {
  SplitMessage out;
  size_t pos = 0;
  size_t field_start = std::string_view::npos;  // start of the field being collected
  size_t field_end = 0;                         // end of its last line, before CRLF
  auto flush = [&] {
    if (field_start == std::string_view::npos) return;
    std::string_view raw = m.substr(field_start, field_end - field_start);
    out.fields.push_back(RawField{field_name(raw), raw});
    field_start = std::string_view::npos;
  };
  while (pos < m.size()) {
    size_t eol = m.find("\r\n", pos);
    size_t line_end = eol == std::string_view::npos ? m.size() : eol;
    size_t next = eol == std::string_view::npos ? m.size() : eol + 2;
    if (line_end == pos) {  // the blank line that ends the header
      flush();
      out.body = m.substr(next);
      return out;
    }
    if (is_wsp(m[pos])) {
      if (field_start != std::string_view::npos) field_end = line_end;
    } else {
      flush();
      field_start = pos;
      field_end = line_end;
    }
    pos = next;
  }
  flush();
  return out;
}

}  // namespace claret::mailauth
