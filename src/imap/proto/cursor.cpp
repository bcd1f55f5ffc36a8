// IMAP argument primitives (RFC 9051 §4.1-§4.5, §9 atom/astring/string/literal/number; RFC 3516 literal8).
#include "imap/proto/cursor.hpp"

#include <limits>

#include "base/strings.hpp"
#include "imap/proto/syntax.hpp"

namespace claret::imap::proto {

bool Cursor::fail(std::string message, ParseErrc code) {
  if (!failed_) {
    failed_ = true;
    code_ = static_cast<int>(code);
    message_ = std::move(message);
  }
  i_ = s_.size();
  return false;
}

bool Cursor::accept(char c) {
  if (failed_ || at_end() || s_[i_] != c) return false;
  ++i_;
  return true;
}

bool Cursor::expect(char c) {
  if (accept(c)) return true;
  if (c == ' ') return fail("Expected SP");
  return fail(std::string("Expected '") + c + "'");
}

bool Cursor::expect_end() {
  if (failed_) return false;
  if (!at_end()) return fail("Unexpected extra arguments");
  return true;
}

bool Cursor::accept_prefix(std::string_view prefix) {
  if (failed_ || s_.size() - i_ < prefix.size()) return false;
  if (!iequals(s_.substr(i_, prefix.size()), prefix)) return false;
  i_ += prefix.size();
  return true;
}

bool Cursor::accept_keyword(std::string_view keyword) {
  if (failed_ || s_.size() - i_ < keyword.size()) return false;
  if (!iequals(s_.substr(i_, keyword.size()), keyword)) return false;
  std::size_t after = i_ + keyword.size();
  if (after < s_.size() && is_atom_char(s_[after])) return false;
  i_ = after;
  return true;
}

bool Cursor::expect_keyword(std::string_view keyword) {
  if (accept_keyword(keyword)) return true;
  return fail("Expected " + std::string(keyword));
}

std::string_view Cursor::word(bool (*allowed)(char)) {
  if (failed_) return {};
  std::size_t start = i_;
  while (i_ < s_.size() && allowed(s_[i_])) ++i_;
  if (i_ == start) {
    fail("Expected an atom");
    return {};
  }
  return s_.substr(start, i_ - start);
}

std::string_view Cursor::atom() { return word(is_atom_char); }

bool Cursor::at_nil() const {
  if (failed_ || s_.size() - i_ < 3 || !iequals(s_.substr(i_, 3), "NIL")) return false;
  return i_ + 3 >= s_.size() || !is_astring_char(s_[i_ + 3]);
}

StringValue Cursor::quoted() {
  StringValue v;
  ++i_;  // opening quote
  for (;;) {
    if (at_end()) {
      fail("Unterminated quoted string");
      return {};
    }
    char c = s_[i_++];
    if (c == '"') return v;
    if (c == '\r' || c == '\n' || c == '\0') {
      fail("Invalid character in quoted string");
      return {};
    }
    if (c == '\\') {
      if (at_end() || (s_[i_] != '"' && s_[i_] != '\\')) {
        fail("Invalid escape in quoted string");
        return {};
      }
      c = s_[i_++];
    }
    v.bytes += c;
  }
}

// "{" number ["+"] "}" CRLF *CHAR8, or "~{" … for literal8. The receiver has framed the bytes already; this
// re-reads the header so that the parsers also work (and stay safe) on text that did not go through it.
StringValue Cursor::literal(bool allow_nul) {
  StringValue v;
  v.literal = true;
  if (accept('~')) v.binary = true;
  if (!expect('{')) return {};
  std::size_t start = i_;
  while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
  auto n = parse_u64(s_.substr(start, i_ - start));
  if (!n) {
    fail("Invalid literal size");
    return {};
  }
  accept('+');
  if (!expect('}')) return {};
  if (!accept('\r') || !accept('\n')) {
    fail("Expected CRLF after literal size");
    return {};
  }
  if (*n > s_.size() - i_) {
    fail("Truncated literal");
    return {};
  }
  v.bytes.assign(s_.substr(i_, static_cast<std::size_t>(*n)));
  i_ += static_cast<std::size_t>(*n);
  if (!allow_nul && v.bytes.find('\0') != std::string::npos) {
    fail("NUL in literal");
    return {};
  }
  return v;
}

StringValue Cursor::string8() {
  if (failed_) return {};
  char c = peek();
  if (c == '"') return quoted();
  if (c == '{' || (c == '~' && peek(1) == '{')) return literal(true);
  fail("Expected a string");
  return {};
}

std::string Cursor::string() {
  if (failed_) return {};
  char c = peek();
  if (c == '"') return quoted().bytes;
  if (c == '{') return literal(false).bytes;
  fail(c == '~' ? "literal8 not allowed here" : "Expected a string");
  return {};
}

std::string Cursor::astring() {
  if (failed_) return {};
  char c = peek();
  if (c == '"' || c == '{') return string();
  return std::string(word(is_astring_char));
}

std::optional<std::string> Cursor::nstring() {
  if (at_nil()) {
    i_ += 3;
    return std::nullopt;
  }
  return string();
}

std::string Cursor::list_mailbox() {
  if (failed_) return {};
  char c = peek();
  if (c == '"' || c == '{') return string();
  return std::string(word(is_list_char));
}

std::uint64_t Cursor::number64() {
  if (failed_) return 0;
  std::size_t start = i_;
  while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
  if (i_ == start) {
    fail("Expected a number");
    return 0;
  }
  auto n = parse_u64(s_.substr(start, i_ - start));
  if (!n || *n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    fail("Number out of range");
    return 0;
  }
  return *n;
}

std::uint64_t Cursor::nz_number64() {
  std::uint64_t n = number64();
  if (ok() && n == 0) fail("Expected a non-zero number");
  return n;
}

std::uint32_t Cursor::number() {
  std::uint64_t n = number64();
  if (ok() && n > std::numeric_limits<std::uint32_t>::max()) {
    fail("Number out of range");
    return 0;
  }
  return static_cast<std::uint32_t>(n);
}

std::uint32_t Cursor::nz_number() {
  std::uint32_t n = number();
  if (ok() && n == 0) fail("Expected a non-zero number");
  return n;
}

}  // namespace claret::imap::proto
