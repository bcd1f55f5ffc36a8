// POP3 command line parser (RFC 1939 §3 command syntax, §5-§7 per-command arguments; RFC 2449 §4 255-octet
// arguments; RFC 5034 §4 AUTH initial response with "=" for empty).
#include "pop3/proto/command.hpp"

#include <array>
#include <vector>

#include "base/base64.hpp"
#include "base/strings.hpp"

namespace claret::pop3::proto {

namespace {

constexpr std::array<std::string_view, kVerbCount> kNames = {"USER", "PASS", "APOP", "AUTH", "STLS",
                                                              "CAPA", "QUIT", "STAT", "LIST", "RETR",
                                                              "DELE", "NOOP", "RSET", "TOP",  "UIDL"};

Error parse_error(ParseErrc code, std::string message) { return Error{static_cast<int>(code), std::move(message)}; }

std::string_view keyword_of(std::string_view line) {
  auto sp = line.find(' ');
  return sp == std::string_view::npos ? line : line.substr(0, sp);
}

std::string_view rest_of(std::string_view line) {
  auto sp = line.find(' ');
  return sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
}

// Arguments are printable: no controls, no DEL. Bytes >= 0x80 pass (UTF-8 user names).
bool printable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

Result<std::vector<std::string_view>> tokens(std::string_view rest) {
  std::vector<std::string_view> out;
  for (auto part : split(rest, ' ')) {
    if (part.empty()) continue;
    if (part.size() > kMaxArgumentLength) return parse_error(ParseErrc::invalid_argument, "argument too long");
    if (!printable(part)) return parse_error(ParseErrc::invalid_argument, "invalid character in argument");
    out.push_back(part);
  }
  return out;
}

Result<std::uint64_t> number(std::string_view s) {
  // parse_u64 accepts only digits, so "-1", "+1", "0x10" and "1e3" all fail here.
  auto n = parse_u64(s);
  if (!n) return parse_error(ParseErrc::invalid_number, "invalid number");
  return *n;
}

Status arity(const std::vector<std::string_view>& args, std::size_t min, std::size_t max) {
  if (args.size() < min) return parse_error(ParseErrc::missing_argument, "missing argument");
  if (args.size() > max) return parse_error(ParseErrc::too_many_arguments, "too many arguments");
  return {};
}

Result<Command> parse_auth(const std::vector<std::string_view>& args) {
  AuthArgs a;
  if (!args.empty()) a.mechanism = to_upper(args[0]);
  if (args.size() == 2) {
    if (args[1] == "=") {
      a.initial_response = std::string();
    } else {
      auto decoded = base64_decode(args[1]);
      if (!decoded) return parse_error(ParseErrc::invalid_argument, "invalid base64 initial response");
      a.initial_response = std::move(*decoded);
    }
  }
  return Command{Verb::auth, std::move(a)};
}

}  // namespace

std::string_view verb_name(Verb verb) {
  auto i = static_cast<std::size_t>(verb);
  return i < kNames.size() ? kNames[i] : "?";
}

std::optional<Verb> peek_verb(std::string_view line) {
  auto kw = keyword_of(line);
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (iequals(kw, kNames[i])) return static_cast<Verb>(i);
  return std::nullopt;
}

Result<Command> parse_command(std::string_view line) {
  auto verb = peek_verb(line);
  if (!verb) return parse_error(ParseErrc::unknown_command, "unknown command");

  if (*verb == Verb::pass) {
    // RFC 1939 §7 lets the password contain spaces; everything after "PASS " is the password.
    auto password = rest_of(line);
    if (line.size() <= 4 || password.empty()) return parse_error(ParseErrc::missing_argument, "missing password");
    if (password.find('\0') != std::string_view::npos)
      return parse_error(ParseErrc::invalid_argument, "invalid character in password");
    return Command{Verb::pass, PasswordArg{std::string(password)}};
  }

  auto parsed = tokens(rest_of(line));
  if (!parsed) return parsed.error();
  const auto& args = *parsed;

  switch (*verb) {
    case Verb::stls:
    case Verb::capa:
    case Verb::quit:
    case Verb::stat:
    case Verb::noop:
    case Verb::rset:
      if (auto st = arity(args, 0, 0); !st) return st.error();
      return Command{*verb, NoArgs{}};
    case Verb::user:
      if (auto st = arity(args, 1, 1); !st) return st.error();
      return Command{*verb, NameArg{std::string(args[0])}};
    case Verb::apop:
      if (auto st = arity(args, 2, 2); !st) return st.error();
      return Command{*verb, ApopArgs{std::string(args[0]), std::string(args[1])}};
    case Verb::auth:
      if (auto st = arity(args, 0, 2); !st) return st.error();
      return parse_auth(args);
    case Verb::list:
    case Verb::uidl: {
      if (auto st = arity(args, 0, 1); !st) return st.error();
      OptionalMsgArg a;
      if (!args.empty()) {
        auto n = number(args[0]);
        if (!n) return n.error();
        a.msg = *n;
      }
      return Command{*verb, a};
    }
    case Verb::retr:
    case Verb::dele: {
      if (auto st = arity(args, 1, 1); !st) return st.error();
      auto n = number(args[0]);
      if (!n) return n.error();
      return Command{*verb, MsgArg{*n}};
    }
    case Verb::top: {
      if (auto st = arity(args, 2, 2); !st) return st.error();
      auto n = number(args[0]);
      if (!n) return n.error();
      auto lines = number(args[1]);
      if (!lines) return lines.error();
      return Command{*verb, TopArgs{*n, *lines}};
    }
    case Verb::pass: break;  // handled above
  }
  return parse_error(ParseErrc::unknown_command, "unknown command");
}

}  // namespace claret::pop3::proto
