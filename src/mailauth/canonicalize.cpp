// DKIM canonicalization algorithms (RFC 6376 §3.4.1 simple header, §3.4.2 relaxed header, §3.4.3 simple
// body, §3.4.4 relaxed body).
#include "mailauth/canonicalize.hpp"

#include "base/strings.hpp"

namespace claret::mailauth {

namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// Removes every CRLF pair at the end of `s` (the callers add back the one final line break).
void strip_trailing_empty_lines(std::string& s) {
  while (s.size() >= 2 && s.compare(s.size() - 2, 2, "\r\n") == 0) s.resize(s.size() - 2);
}

}  // namespace

std::optional<Canon> parse_canon(std::string_view name) {
  if (iequals(name, "simple")) return Canon::simple;
  if (iequals(name, "relaxed")) return Canon::relaxed;
  return std::nullopt;
}

const char* canon_name(Canon c) { return c == Canon::simple ? "simple" : "relaxed"; }

std::string canonicalize_header(Canon c, std::string_view raw) {
  if (c == Canon::simple) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  size_t colon = raw.find(':');
  std::string_view name = raw.substr(0, colon);
  while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
  out = to_lower(name);
  out.push_back(':');
  if (colon == std::string_view::npos) return out;
  bool pending_space = false;
  for (size_t i = colon + 1; i < raw.size(); ++i) {
    char ch = raw[i];
    // Folding CRLFs disappear entirely (unfolding); the WSP after them then merges into one space.
    if (ch == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (is_wsp(ch)) {
      pending_space = true;
      continue;
    }
    // WSP right after the colon is dropped; WSP at the very end is dropped by never being flushed.
    if (pending_space && out.size() > name.size() + 1) out.push_back(' ');
    pending_space = false;
    out.push_back(ch);
  }
  return out;
}

std::string canonicalize_body(Canon c, std::string_view body) {
  std::string out;
  if (c == Canon::simple) {
    out.assign(body);
    strip_trailing_empty_lines(out);
    out += "\r\n";
    return out;
  }
  out.reserve(body.size());
  size_t pos = 0;
  while (pos < body.size()) {
    size_t eol = body.find("\r\n", pos);
    size_t line_end = eol == std::string_view::npos ? body.size() : eol;
    bool pending_space = false;
    for (size_t i = pos; i < line_end; ++i) {
      char ch = body[i];
      if (is_wsp(ch)) {
        pending_space = true;
        continue;
      }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(ch);
    }
    // WSP at the end of a line is ignored; the line break itself is kept (a missing final one added).
    out += "\r\n";
    pos = eol == std::string_view::npos ? body.size() : eol + 2;
  }
  strip_trailing_empty_lines(out);
  if (!out.empty()) out += "\r\n";
  return out;
}

}  // namespace claret::mailauth
