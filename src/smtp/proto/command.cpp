// SMTP command line parser: RFC 5321 §4.1.1 and §4.1.2 (command syntax), §4.1.1.1 (EHLO/HELO), RFC 2033 §4.1
// (LHLO), RFC 3030 §2 (BDAT), RFC 4954 §4 (AUTH and its initial response), RFC 3207 §4 (STARTTLS).
#include <algorithm>
#include <array>

#include "base/base64.hpp"
#include "base/strings.hpp"
#include "smtp/proto/command.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "smtp/proto/syntax.hpp"

namespace claret::smtp::proto {

namespace {

struct VerbEntry {
  std::string_view name;
  Verb verb;
};

constexpr std::array<VerbEntry, 15> kVerbs{{
    {"EHLO", Verb::ehlo}, {"HELO", Verb::helo}, {"LHLO", Verb::lhlo}, {"MAIL", Verb::mail},
    {"RCPT", Verb::rcpt}, {"DATA", Verb::data}, {"BDAT", Verb::bdat}, {"RSET", Verb::rset},
    {"NOOP", Verb::noop}, {"QUIT", Verb::quit}, {"VRFY", Verb::vrfy}, {"EXPN", Verb::expn},
    {"HELP", Verb::help}, {"STARTTLS", Verb::starttls}, {"AUTH", Verb::auth},
}};

constexpr std::size_t kMaxSaslMechanism = 20;  // RFC 4422 §3.1

Error line_error(std::string message) { return Error{code::kSyntaxError, std::move(message)}; }
Error arg_error(std::string message) { return Error{code::kParamSyntaxError, std::move(message)}; }

std::string_view strip_line_end(std::string_view line) {
  if (line.size() >= 2 && line.substr(line.size() - 2) == "\r\n") line.remove_suffix(2);
  return line;
}

std::string_view skip_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

std::string_view trim_trailing_blanks(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<Verb> lookup_verb(std::string_view token) {
  for (const auto& e : kVerbs) {
    if (iequals(e.name, token)) return e.verb;
  }
  return std::nullopt;
}

std::vector<std::string_view> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::string_view t : split(s, ' ')) {
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

Result<CommandArgs> parse_hello(std::string_view rest) {
  if (rest.empty()) return arg_error("domain name required");
  if (rest.find(' ') != std::string_view::npos) return arg_error("exactly one domain name expected");
  // The greeting names the client's host in ASCII (A-labels), even for SMTPUTF8 clients (RFC 6531 §3.7.1).
  auto host = parse_host(rest, AddressOptions{false});
  if (!host) {
    // Robustness: real senders greet with names like "office_pc" or a bare IP address. RFC 5321 §4.1.4
    // forbids refusing mail because the name does not match the client, and Postfix accepts any such
    // token unless told otherwise, so a printable-ASCII name that is not a broken address literal is kept
    // as given (it only ends up in the Received field).
    bool printable = std::all_of(rest.begin(), rest.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    if (printable && rest.front() != '[') return CommandArgs{HelloArgs{Host{std::string(rest), HostKind::domain}}};
    return arg_error("invalid domain name: " + host.error().message);
  }
  return CommandArgs{HelloArgs{std::move(host.value())}};
}

struct PathAndParams {
  std::string_view path;
  std::string_view params;
};

// "FROM:<path> params" / "TO:<path> params" after the verb.
Result<PathAndParams> split_path_command(std::string_view rest, std::string_view keyword, std::string_view usage) {
  if (!istarts_with(rest, keyword)) return arg_error("syntax: " + std::string(usage));
  std::string_view after = skip_spaces(rest.substr(keyword.size()));
  if (after.empty()) return arg_error("syntax: " + std::string(usage));
  if (after.front() != '<') return arg_error("path must be enclosed in <>");
  std::size_t extent = path_extent(after);
  if (extent == 0) return arg_error("unterminated path");
  std::string_view params = after.substr(extent);
  if (!params.empty() && params.front() != ' ') return arg_error("space expected after path");
  return PathAndParams{after.substr(0, extent), params};
}

Result<CommandArgs> parse_mail(std::string_view rest) {
  auto parts = split_path_command(rest, "FROM:", "MAIL FROM:<address> [parameters]");
  if (!parts) return parts.error();
  // Parameters first: SMTPUTF8 decides whether the path may be UTF-8.
  auto params = parse_mail_params(parts->params);
  if (!params) return params.error();
  auto path = parse_path(parts->path, PathKind::reverse, AddressOptions{params->smtputf8});
  if (!path) return path.error();
  return CommandArgs{MailArgs{std::move(path.value()), std::move(params.value())}};
}

Result<CommandArgs> parse_rcpt(std::string_view rest, const CommandOptions& options) {
  auto parts = split_path_command(rest, "TO:", "RCPT TO:<address> [parameters]");
  if (!parts) return parts.error();
  auto path = parse_path(parts->path, PathKind::forward, AddressOptions{options.smtputf8});
  if (!path) return path.error();
  auto params = parse_rcpt_params(parts->params);
  if (!params) return params.error();
  return CommandArgs{RcptArgs{std::move(path.value()), std::move(params.value())}};
}

Result<CommandArgs> parse_bdat(std::string_view rest) {
  // bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ]; chunk-size = 1*DIGIT; end-marker = "LAST"
  auto t = tokens(rest);
  if (t.empty() || t.size() > 2) return arg_error("syntax: BDAT size [LAST]");
  auto size = parse_u64(t[0]);
  if (!size) return arg_error("invalid chunk size");
  if (t.size() == 2 && !iequals(t[1], "LAST")) return arg_error("syntax: BDAT size [LAST]");
  return CommandArgs{BdatArgs{*size, t.size() == 2}};
}

Result<CommandArgs> parse_auth(std::string_view rest) {
  // "AUTH" SP sasl-mech [SP initial-response]; sasl-mech = 1*20(UPPER-ALPHA / DIGIT / "-" / "_")
  auto t = tokens(rest);
  if (t.empty() || t.size() > 2) return arg_error("syntax: AUTH mechanism [initial-response]");
  if (t[0].size() > kMaxSaslMechanism) return arg_error("invalid mechanism name");
  for (char c : t[0]) {
    if (!is_let_dig(static_cast<unsigned char>(c)) && c != '-' && c != '_') return arg_error("invalid mechanism name");
  }
  AuthArgs args;
  args.mechanism = to_upper(t[0]);
  if (t.size() == 2) {
    if (t[1] == "=") {
      args.initial_response = std::string();
    } else {
      auto decoded = base64_decode(t[1]);
      if (!decoded) return arg_error("invalid base64 in initial response");
      args.initial_response = std::move(*decoded);
    }
  }
  return CommandArgs{std::move(args)};
}

}  // namespace

std::string_view verb_name(Verb verb) {
  for (const auto& e : kVerbs) {
    if (e.verb == verb) return e.name;
  }
  return "?";
}

std::optional<Verb> peek_verb(std::string_view line) {
  // Trimmed exactly as parse_command trims, so both see the same verb: the server gates commands by this verb
  // and then runs what parse_command returns ("DATA\t" must not pass the gate as an unknown command).
  line = trim_trailing_blanks(strip_line_end(line));
  return lookup_verb(line.substr(0, line.find(' ')));
}

Result<Command> parse_command(std::string_view line, CommandOptions options) {
  line = strip_line_end(line);
  for (char c : line) {
    // A CR, LF or NUL inside the line means the framing was broken (or an injection attempt): refuse it
    // whole rather than guess where the command ends.
    if (c == '\r' || c == '\n' || c == '\0') return line_error("invalid character in command line");
  }
  line = trim_trailing_blanks(line);
  std::size_t space = line.find(' ');
  std::string_view token = line.substr(0, space);
  auto verb = lookup_verb(token);
  if (!verb) return line_error("command not recognized");
  std::string_view rest = space == std::string_view::npos ? std::string_view() : skip_spaces(line.substr(space + 1));

  Command cmd;
  cmd.verb = *verb;
  auto set_args = [&](Result<CommandArgs> args) -> Result<Command> {
    if (!args) return args.error();
    cmd.args = std::move(args.value());
    return std::move(cmd);
  };
  switch (*verb) {
    case Verb::ehlo:
    case Verb::helo:
    case Verb::lhlo:
      return set_args(parse_hello(rest));
    case Verb::mail:
      return set_args(parse_mail(rest));
    case Verb::rcpt:
      return set_args(parse_rcpt(rest, options));
    case Verb::bdat:
      return set_args(parse_bdat(rest));
    case Verb::auth:
      return set_args(parse_auth(rest));
    case Verb::data:
    case Verb::rset:
    case Verb::quit:
    case Verb::starttls:
      if (!rest.empty()) return arg_error("no parameters allowed");
      return cmd;
    case Verb::noop:
    case Verb::help:
      cmd.args = TextArgs{std::string(rest)};
      return cmd;
    case Verb::vrfy:
    case Verb::expn:
      if (rest.empty()) return arg_error("argument required");
      cmd.args = TextArgs{std::string(rest)};
      return cmd;
  }
  return line_error("command not recognized");
}

Reply parse_error_reply(std::optional<Verb> verb, const Error& error) {
  std::string_view enh;
  switch (error.code) {
    case code::kSyntaxError:
      enh = enhanced::kSyntaxError;
      break;
    case code::kParamSyntaxError:
    case code::kParamsNotRecognized:
      enh = enhanced::kInvalidArguments;
      break;
    case code::kMailboxNameNotAllowed:
      enh = verb == Verb::mail ? enhanced::kBadSenderSyntax : enhanced::kBadDestinationSyntax;
      break;
    default:
      enh = error.code >= 500 ? enhanced::kPermFailure : enhanced::kTempFailure;
      break;
  }
  int reply_code = (error.code >= 400 && error.code <= 599) ? error.code : code::kLocalError;
  return make_reply(reply_code, enh, error.message);
}

}  // namespace claret::smtp::proto
