// SMTP command model and line parser: RFC 5321 §4.1.1 (commands) and §4.1.2 (syntax), RFC 2033 §4.1 (LHLO),
// RFC 3030 §2 (BDAT), RFC 4954 §4 (AUTH), RFC 3207 §4 (STARTTLS).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.hpp"
#include "smtp/proto/address.hpp"
#include "smtp/proto/mail_params.hpp"
#include "smtp/proto/reply.hpp"

namespace claret::smtp::proto {

enum class Verb { ehlo, helo, lhlo, mail, rcpt, data, bdat, rset, noop, quit, vrfy, expn, help, starttls, auth };

std::string_view verb_name(Verb verb);  // upper case, e.g. "EHLO"

struct NoArgs {};
struct HelloArgs {
  Host host;  // Domain or address-literal, as given
};
struct MailArgs {
  Path reverse_path;
  MailParams params;
};
struct RcptArgs {
  Path forward_path;
  RcptParams params;
};
struct BdatArgs {
  std::uint64_t size = 0;
  bool last = false;
};
struct AuthArgs {
  std::string mechanism;                        // upper-cased sasl-mech
  std::optional<std::string> initial_response;  // base64-decoded; "=" gives an empty string
};
struct TextArgs {
  std::string text;  // NOOP/HELP argument (may be empty), VRFY/EXPN string (never empty)
};

using CommandArgs = std::variant<NoArgs, HelloArgs, MailArgs, RcptArgs, BdatArgs, AuthArgs, TextArgs>;

struct Command {
  Verb verb = Verb::noop;
  CommandArgs args;
};

struct CommandOptions {
  // SMTPUTF8 was given on this transaction's MAIL command: RCPT paths may be UTF-8 (RFC 6531 §3.4). MAIL
  // itself allows UTF-8 in its path exactly when it carries the SMTPUTF8 parameter.
  bool smtputf8 = false;
};

// Parses one command line, with or without its trailing CRLF. Verbs and keywords are case-insensitive;
// trailing spaces are ignored and "MAIL FROM: <a@b>" (space before the path) is tolerated. Errors
// (Error::code is the reply code): 500 unrecognised command or broken line, 501 bad arguments,
// 553 bad mailbox syntax, 555 unknown MAIL/RCPT parameter.
Result<Command> parse_command(std::string_view line, CommandOptions options = {});

// The verb of a line if it is a known one, whatever its arguments.
std::optional<Verb> peek_verb(std::string_view line);

// The reply for a parse_command error, with the enhanced status fitting the code and verb (RFC 3463):
// 553 gives 5.1.7 on MAIL and 5.1.3 on RCPT, 500 gives 5.5.2, 501 and 555 give 5.5.4.
Reply parse_error_reply(std::optional<Verb> verb, const Error& error);

}  // namespace claret::smtp::proto
