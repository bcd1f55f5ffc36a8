// Reads IMAP argument syntax from a framed command: atoms, numbers, quoted strings, literals, literal8, astring,
// nstring, list-mailbox, parenthesised lists (RFC 9051 §4, §9; RFC 3516 §4.1 literal8).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace claret::imap::proto {

// Error codes carried by argument-parser Errors (Error::code).
enum class ParseErrc : int {
  syntax = 1,      // answer BAD
  limit = 2,       // a limit was exceeded (answer BAD, or NO [LIMIT])
  bad_charset = 3, // SEARCH/SORT/THREAD charset not supported: NO [BADCHARSET] (RFC 9051 §7.1)
};

struct StringValue {
  std::string bytes;
  bool literal = false;   // it came as a literal (or literal8)
  bool binary = false;    // literal8: may contain NUL (RFC 3516)
};

// Parsing with a sticky error: after the first failure every read returns an empty value and ok() stays
// false, so parsers read straight through and check once. Never throws, never reads out of bounds.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : s_(text) {}

  bool ok() const { return !failed_; }
  Error error() const { return Error{code_, message_}; }
  // Records the first error; returns false so callers can `return c.fail("…")`.
  bool fail(std::string message, ParseErrc code = ParseErrc::syntax);

  bool at_end() const { return i_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  std::size_t position() const { return i_; }
  std::string_view rest() const { return i_ < s_.size() ? s_.substr(i_) : std::string_view(); }

  bool accept(char c);
  bool expect(char c);
  bool sp() { return expect(' '); }
  bool expect_end();
  // Case-insensitive keyword followed by a non-atom character (or the end).
  bool accept_keyword(std::string_view keyword);
  bool expect_keyword(std::string_view keyword);
  // Case-insensitive prefix with no boundary check ("BODY" in "BODY[").
  bool accept_prefix(std::string_view prefix);

  std::string_view atom();                     // 1*ATOM-CHAR
  std::string_view word(bool (*allowed)(char)); // 1*allowed
  std::string astring();
  std::string string();                         // quoted / literal; NUL refused (text)
  // quoted / literal / literal8, with how it came. Message data: NUL is accepted in any literal (RFC 9051 §4.3
  // allows it only in literal8, but real messages carry it and the length frames it safely).
  StringValue string8();
  std::optional<std::string> nstring();         // string / NIL
  std::string list_mailbox();                   // 1*list-char / string
  bool at_nil() const;

  std::uint32_t number();     // 0 .. 2^32-1
  std::uint32_t nz_number();
  std::uint64_t number64();   // 0 .. 2^63-1 (RFC 9051 number64)
  std::uint64_t nz_number64();

  // "(" item *(SP item) ")": calls item() after each opening or separator; empty lists only when allowed.
  template <typename F>
  bool list(F&& item, bool allow_empty = true) {
    if (!expect('(')) return false;
    if (accept(')')) return allow_empty || fail("Empty list");
    for (;;) {
      item();
      if (!ok()) return false;
      if (accept(')')) return true;
      if (!sp()) return false;
    }
  }

 private:
  StringValue quoted();
  StringValue literal(bool allow_nul);

  std::string_view s_;
  std::size_t i_ = 0;
  bool failed_ = false;
  int code_ = 0;
  std::string message_;
};

}  // namespace claret::imap::proto
