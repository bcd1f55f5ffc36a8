// Building client commands (RFC 9051 §4): atoms, quoted strings, literals (synchronising, or LITERAL+ / LITERAL-
// non-synchronising, RFC 7888) and mailbox names in modified UTF-7. I/O-free.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace claret::imap::client {

class Command {
 public:
  Command() = default;
  explicit Command(std::string_view verb) { text_.back() = std::string(verb); }

  // Raw protocol text (atoms, lists, sequence sets): appended after a space.
  Command& atom(std::string_view a);
  // A string argument: quoted when it is short 7-bit text, else a literal.
  Command& string(std::string_view s);
  // Always a literal (APPEND message data).
  Command& literal(std::string_view bytes);
  // A mailbox name given in UTF-8: encoded to modified UTF-7 (or sent as UTF-8 when utf8_accept).
  Command& mailbox(std::string_view utf8, bool utf8_accept = false);

  // Appends another command's arguments (search criteria) after a space.
  Command& append(const Command& other);
  bool has_literals() const { return !literals_.empty(); }

  // Text pieces; between piece i and i+1 comes literals()[i].
  const std::vector<std::string>& pieces() const { return text_; }
  const std::vector<std::string>& literals() const { return literals_; }
  // The command as sent with synchronising literals, for logs and tests (literal bytes elided).
  std::string describe() const;

 private:
  void space();
  std::vector<std::string> text_{std::string{}};
  std::vector<std::string> literals_;
};

// "\"a\\\"b\"" for a"b; nullopt-like empty result means "needs a literal".
bool quotable(std::string_view s);
std::string quote(std::string_view s);

}  // namespace claret::imap::client
