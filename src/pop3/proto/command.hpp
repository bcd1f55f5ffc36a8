// POP3 command line parser: keyword and typed arguments (RFC 1939 §3, §5-§7; RFC 2449 §4 CAPA and argument
// length; RFC 2595 §4 STLS; RFC 5034 §4 AUTH with initial response). I/O-free; never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.hpp"

namespace claret::pop3::proto {

enum class Verb : std::uint8_t { user, pass, apop, auth, stls, capa, quit, stat, list, retr, dele, noop, rset, top, uidl };
inline constexpr std::size_t kVerbCount = 15;

// RFC 2449 §4: each argument may be up to 255 octets (RFC 1939 said 40; 2449 raised it).
inline constexpr std::size_t kMaxArgumentLength = 255;

std::string_view verb_name(Verb verb);  // upper case, as on the wire
// The verb of a line from its keyword alone, so the command table can refuse a command before its arguments
// are looked at. nullopt for an unknown keyword.
std::optional<Verb> peek_verb(std::string_view line);

struct NoArgs {};
struct NameArg {  // USER
  std::string name;
};
struct PasswordArg {  // PASS: the rest of the line verbatim, since passwords may contain spaces
  std::string password;
};
struct MsgArg {  // RETR, DELE: a message number as sent; 0 and numbers past the maildrop are the server's to refuse
  std::uint64_t msg = 0;
};
struct OptionalMsgArg {  // LIST, UIDL
  std::optional<std::uint64_t> msg;
};
struct TopArgs {
  std::uint64_t msg = 0;
  std::uint64_t lines = 0;
};
struct ApopArgs {
  std::string name;
  std::string digest;
};
struct AuthArgs {
  // Upper-cased SASL mechanism name; nullopt for a bare "AUTH", which lists the mechanisms (RFC 1734 practice).
  std::optional<std::string> mechanism;
  // Decoded initial response; "=" on the wire is the empty response (RFC 5034 §4).
  std::optional<std::string> initial_response;
};

using Args = std::variant<NoArgs, NameArg, PasswordArg, MsgArg, OptionalMsgArg, TopArgs, ApopArgs, AuthArgs>;

struct Command {
  Verb verb = Verb::noop;
  Args args;
};

// Error::code of a failed parse.
enum class ParseErrc : int {
  unknown_command = 1,
  missing_argument,
  too_many_arguments,
  invalid_number,    // not 1*DIGIT, or too large for 64 bits
  invalid_argument,  // too long, control characters, bad base64
};

inline bool has_code(const Error& e, ParseErrc code) { return e.code == static_cast<int>(code); }

// One command line without its CRLF. Keywords are case-insensitive; arguments are separated by spaces (runs of
// spaces are tolerated, as most servers do).
Result<Command> parse_command(std::string_view line);

}  // namespace claret::pop3::proto
