// POP3 status lines, response codes (RFC 1939 §3, RFC 2449 §8, RFC 3206) and multi-line responses.
#include "pop3/proto/response.hpp"

#include "base/base64.hpp"

namespace claret::pop3::proto {

namespace {

void append_text(std::string& out, std::string_view text) {
  for (char c : text) out += (c == '\r' || c == '\n' || c == '\0') ? ' ' : c;
}

}  // namespace

std::string ok(std::string_view text) {
  std::string out(kOk);
  if (!text.empty()) {
    out += ' ';
    append_text(out, text);
  }
  out += "\r\n";
  return out;
}

std::string err(std::string_view text, RespCode code) {
  std::string out(kErr);
  if (code != RespCode::none) {
    out += " [";
    out += resp_code_text(code);
    out += ']';
  }
  if (!text.empty()) {
    out += ' ';
    append_text(out, text);
  }
  out += "\r\n";
  return out;
}

std::string challenge(std::string_view data) {
  std::string out(kContinue);
  out += ' ';
  out += base64_encode(data);
  out += "\r\n";
  return out;
}

std::string dot_stuff_line(std::string_view line) {
  std::string out;
  out.reserve(line.size() + 1);
  if (!line.empty() && line.front() == '.') out += '.';
  append_text(out, line);
  return out;
}

std::string multiline(std::string_view first, const std::vector<std::string>& lines) {
  std::string out = ok(first);
  for (const auto& line : lines) {
    out += dot_stuff_line(line);
    out += "\r\n";
  }
  out += ".\r\n";
  return out;
}

}  // namespace claret::pop3::proto
