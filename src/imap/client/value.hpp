// The generic shape of IMAP response data (RFC 9051 §4, §9): atoms, strings (quoted or literal), NIL and
// parenthesised lists. Typed readers (fetch.hpp, mailbox_data.hpp) interpret these trees.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace claret::imap::client {

struct Value {
  enum class Kind { atom, string, nil, list };
  Kind kind = Kind::nil;
  std::string text;            // atom spelling or string contents (unescaped / literal bytes)
  std::vector<Value> items;    // list elements
  bool literal8 = false;       // came as ~{n} (RFC 3516): may hold NUL bytes

  bool is_atom() const { return kind == Kind::atom; }
  bool is_string() const { return kind == Kind::string; }
  bool is_nil() const { return kind == Kind::nil; }
  bool is_list() const { return kind == Kind::list; }
  // An atom or a string (astring); nstring readers map NIL to empty.
  bool is_text() const { return kind == Kind::atom || kind == Kind::string; }
  // Upper-cased atom, empty for anything else (for keyword comparisons).
  std::string keyword() const;
  // The number an atom spells, if it is one (number64, RFC 9051 §9).
  std::optional<std::uint64_t> number() const;
};

inline constexpr std::size_t kMaxValueDepth = 64;

// Reads values from a complete response (literals inlined as "{n}\r\n" + n bytes, as on the wire). Stops at the
// end of input, or before a ']' outside any list when stop_at_bracket is set (response-code arguments).
class ValueReader {
 public:
  explicit ValueReader(std::string_view wire) : s_(wire) {}

  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }
  std::size_t position() const { return pos_; }
  void skip_spaces();
  // The next value; an error names the position and what was expected.
  Result<Value> read(std::size_t depth = 0);
  // Values until the end (or a ']' at top level when stop_at_bracket).
  Result<std::vector<Value>> read_all(bool stop_at_bracket = false);
  // Raw text up to the end (response text after the code).
  std::string_view rest();
  bool consume(char c);

 private:
  Result<Value> read_atom();
  Result<Value> read_quoted();
  Result<Value> read_literal(bool literal8);
  Error error(std::string what) const;

  std::string_view s_;
  std::size_t pos_ = 0;
};

// Convenience: every value of `wire`.
Result<std::vector<Value>> parse_values(std::string_view wire);

}  // namespace claret::imap::client
