// IMAP string / list serialization (RFC 3501 §4.3 strings: quoted vs literal, §4.4 lists, §4.5 NIL).
#include "mime/imap_writer.hpp"

namespace claret::mime {
namespace {

constexpr size_t kMaxQuoted = 4096;  // longer values go as literals; some clients limit quoted string length

bool quotable(std::string_view s) {
  if (s.size() > kMaxQuoted) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0 || u == '\r' || u == '\n' || u >= 0x80) return false;
  }
  return true;
}

}  // namespace

void ImapWriter::separate() {
  if (need_space_) out_ += ' ';
  need_space_ = true;
}

void ImapWriter::string(std::string_view s) {
  separate();
  if (quotable(s)) {
    out_ += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
    return;
  }
  // A literal cannot carry NUL (RFC 3501 §4.3: CHAR8 excludes %x00); drop it rather than break the syntax.
  std::string body;
  body.reserve(s.size());
  for (char c : s)
    if (c != '\0') body += c;
  out_ += '{';
  out_ += std::to_string(body.size());
  out_ += "}\r\n";
  out_ += body;
}

void ImapWriter::nstring(std::optional<std::string_view> s) {
  if (s) {
    string(*s);
  } else {
    nil();
  }
}

void ImapWriter::nil() {
  separate();
  out_ += "NIL";
}

void ImapWriter::number(uint64_t n) {
  separate();
  out_ += std::to_string(n);
}

void ImapWriter::open() {
  separate();
  out_ += '(';
  need_space_ = false;
}

void ImapWriter::close() {
  out_ += ')';
  need_space_ = true;
}

void ImapWriter::raw(std::string_view s) {
  separate();
  out_ += s;
}

}  // namespace claret::mime
