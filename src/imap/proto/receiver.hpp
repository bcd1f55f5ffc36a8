// IMAP command receiver: a push parser that frames commands with quoted strings and literals
// (RFC 9051 §2.2, §4.3, §7.5 continuation), LITERAL+/LITERAL- (RFC 7888) and literal8 (RFC 3516 §4.1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "imap/proto/limits.hpp"

namespace claret::imap::proto {

// One framed command. The arguments are kept as raw bytes, literals inline with their headers
// ("{5}\r\nhello", "{5+}\r\n…", "~{5}\r\n…") so the argument parsers (cursor.hpp) read one contiguous text.
struct RawCommand {
  std::string tag;
  std::string name;  // upper case; UID commands are named "UID FETCH", "UID STORE", …
  std::string args;  // everything after the name and one SP; no final CRLF
};

enum class ReceiveErrorKind {
  syntax,             // bad tag or command name, unterminated quoted string, …
  line_too_long,      // a line over Limits::max_line
  literal_too_big,    // a non-synchronizing literal over the limit (RFC 7888 §4: answer BAD [TOOBIG])
  command_too_big,    // lines plus literals over Limits::max_command
  too_many_arguments, // over Limits::max_arguments
  too_deep,           // parentheses nested deeper than Limits::max_depth
  nul,                // NUL in a command line (outside literals)
};

struct ReceiveError {
  ReceiveErrorKind kind = ReceiveErrorKind::syntax;
  std::string tag;  // empty when the line did not start with a valid tag: answer "* BAD"
  std::string message;
  bool fatal = false;  // the input can no longer be resynchronised: answer, then close the connection
};

struct LiteralRequest {
  std::string tag;
  std::string name;  // the command's name ("APPEND", "UID SEARCH"): the session may reject_literal() by command
  std::uint64_t size = 0;
  bool binary = false;  // ~{n}
  // true: send "+ …" and keep feeding. false: the literal is over the limit; the command has been dropped
  // and the session answers "tag NO [TOOBIG]" (or BAD); the client will not send the bytes.
  bool accepted = false;
};

struct Event {
  enum class Kind { need_more, command, literal, line, error };
  Kind kind = Kind::need_more;
  RawCommand command;       // Kind::command
  LiteralRequest literal;   // Kind::literal
  std::string line;         // Kind::line (after expect_line), without CRLF
  ReceiveError error;       // Kind::error
};

class Receiver {
 public:
  explicit Receiver(Limits limits = {}) : limits_(limits) {}

  // Appends received bytes; call next() until it returns need_more.
  void feed(std::string_view bytes);
  Event next();

  // The next complete line is returned whole as Kind::line instead of being parsed as a command: the client's
  // AUTHENTICATE responses (RFC 9051 §6.2.2) and IDLE's "DONE" (RFC 9051 §6.3.13).
  void expect_line() { raw_line_ = true; }
  // After an accepted synchronizing literal the session may still refuse it (APPENDLIMIT, quota): the command
  // is dropped, the client gets no continuation and must not send the bytes.
  void reject_literal();
  // Forgets everything, buffered input included: after STARTTLS no plaintext byte may be taken as a command
  // (RFC 9051 §11.1, command injection).
  void reset();
  void set_limits(const Limits& limits) { limits_ = limits; }

  std::size_t buffered() const { return in_.size() - pos_; }

 private:
  enum class State { line, literal, skip_line, skip_literal };

  Event on_line_complete();
  Event fail(ReceiveErrorKind kind, std::string message, std::string tag, std::uint64_t skip_literal = 0,
             bool literal_follows = false);
  void drop_command();
  void compact();
  void remember_tail(std::string_view skipped);

  Limits limits_;
  std::string in_;
  std::size_t pos_ = 0;
  State state_ = State::line;
  bool raw_line_ = false;

  std::string cmd_;            // the command so far: lines (CRLF before each literal) and literal bytes
  std::size_t line_start_ = 0; // where the current line starts in cmd_
  std::size_t depth_ = 0;
  std::size_t arguments_ = 0;
  std::uint64_t literal_left_ = 0;
  std::string tag_;            // tag of the command in progress, once its first line was checked
  std::string name_;           // and its name
  std::string tail_;           // last bytes of a line being skipped, to spot a literal announced at its end
};

}  // namespace claret::imap::proto
