// Builds IMAP response syntax: nil, quoted strings, literals and lists (RFC 3501 §4.3-§4.5, §9 "string").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace claret::mime {

class ImapWriter {
 public:
  // A string as a quoted string when it can be one (7-bit, no CR/LF/NUL, not huge), else as a literal.
  void string(std::string_view s);
  // string() or NIL.
  void nstring(std::optional<std::string_view> s);
  void nil();
  void number(uint64_t n);
  void open();   // "(" with a separating space when needed
  void close();  // ")"
  // Raw text such as an already serialized sub-structure.
  void raw(std::string_view s);

  std::string take() {
    need_space_ = false;
    return std::move(out_);
  }
  const std::string& str() const { return out_; }

 private:
  void separate();

  std::string out_;
  bool need_space_ = false;  // the next item needs a separating space
};

}  // namespace claret::mime
