// IMAP command receiver: framing of lines, quoted strings and literals (RFC 9051 §4.3, RFC 7888, RFC 3516 §4.1).
#include "imap/proto/receiver.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "base/strings.hpp"
#include "imap/proto/syntax.hpp"

namespace claret::imap::proto {
namespace {

constexpr std::size_t kTailKeep = 32;  // enough for "~{18446744073709551615+}"

struct LiteralHeader {
  bool found = false;
  std::uint64_t size = 0;
  bool non_sync = false;
  bool binary = false;
};

// A line announces a literal when it ends with "{n}", "{n+}" or "~{n}" (RFC 9051 §4.3). Absurd sizes (too many
// digits to fit) are reported as the largest size so they are refused rather than misread.
LiteralHeader literal_at_end(std::string_view line) {
  LiteralHeader h;
  if (line.empty() || line.back() != '}') return h;
  std::size_t j = line.size() - 1;
  if (j > 0 && line[j - 1] == '+') {
    h.non_sync = true;
    --j;
  }
  std::size_t digits_end = j;
  while (j > 0 && is_digit(line[j - 1])) --j;
  if (j == digits_end || j == 0 || line[j - 1] != '{') return h;
  h.found = true;
  h.binary = j >= 2 && line[j - 2] == '~';
  auto n = parse_u64(line.substr(j, digits_end - j));
  h.size = n ? *n : std::numeric_limits<std::uint64_t>::max();
  return h;
}

std::string tag_of(std::string_view cmd) {
  auto sp = cmd.find(' ');
  std::string_view t = cmd.substr(0, sp == std::string_view::npos ? cmd.size() : sp);
  if (sp == std::string_view::npos || !is_tag(t)) return {};
  return std::string(t);
}

// tag SP name [SP subcommand of UID], then the arguments.
struct Head {
  std::string tag;
  std::string name;
  std::size_t args_at = 0;  // offset of the arguments in the command text
  std::string error;
};

Head split_head(std::string_view cmd) {
  Head h;
  auto sp = cmd.find(' ');
  std::string_view tag = cmd.substr(0, sp == std::string_view::npos ? cmd.size() : sp);
  if (!is_tag(tag)) {
    h.error = "Invalid tag";
    return h;
  }
  h.tag = std::string(tag);
  if (sp == std::string_view::npos) {
    h.error = "Missing command";
    return h;
  }
  std::size_t i = sp + 1;
  auto word = [&](std::size_t from) {
    std::size_t e = from;
    while (e < cmd.size() && is_atom_char(cmd[e])) ++e;
    return e;
  };
  std::size_t e = word(i);
  if (e == i) {
    h.error = "Missing command";
    return h;
  }
  h.name = to_upper(cmd.substr(i, e - i));
  if (h.name == "UID") {
    if (e >= cmd.size() || cmd[e] != ' ') {
      h.error = "Missing UID command";
      return h;
    }
    std::size_t s = e + 1;
    e = word(s);
    if (e == s) {
      h.error = "Missing UID command";
      return h;
    }
    h.name += ' ';
    h.name += to_upper(cmd.substr(s, e - s));
  }
  if (e < cmd.size()) {
    if (cmd[e] != ' ') {
      h.error = "Invalid command name";
      return h;
    }
    ++e;
  }
  h.args_at = e;
  return h;
}

}  // namespace

void Receiver::feed(std::string_view bytes) { in_.append(bytes.data(), bytes.size()); }

void Receiver::compact() {
  if (pos_ == in_.size()) {
    in_.clear();
    pos_ = 0;
  } else if (pos_ > 64 * 1024 && pos_ * 2 > in_.size()) {
    in_.erase(0, pos_);
    pos_ = 0;
  }
}

void Receiver::drop_command() {
  cmd_.clear();
  line_start_ = 0;
  depth_ = 0;
  arguments_ = 0;
  literal_left_ = 0;
  tag_.clear();
  name_.clear();
}

void Receiver::reset() {
  drop_command();
  in_.clear();
  pos_ = 0;
  state_ = State::line;
  raw_line_ = false;
  tail_.clear();
}

void Receiver::reject_literal() {
  if (state_ != State::literal) return;
  drop_command();
  state_ = State::line;
}

void Receiver::remember_tail(std::string_view skipped) {
  tail_.append(skipped.data(), skipped.size());
  if (tail_.size() > kTailKeep) tail_.erase(0, tail_.size() - kTailKeep);
}

// Drops the command and, when the failing line announced a literal, skips what the client will send anyway.
Event Receiver::fail(ReceiveErrorKind kind, std::string message, std::string tag, std::uint64_t skip_literal,
                     bool literal_follows) {
  Event ev;
  ev.kind = Event::Kind::error;
  ev.error.kind = kind;
  ev.error.tag = std::move(tag);
  ev.error.message = std::move(message);
  drop_command();
  if (literal_follows) {
    if (skip_literal > limits_.max_discard) {
      ev.error.fatal = true;
      state_ = State::skip_line;
      literal_left_ = 0;
    } else {
      state_ = State::skip_literal;
      literal_left_ = skip_literal;
    }
  }
  return ev;
}

Event Receiver::next() {
  for (;;) {
    switch (state_) {
      case State::skip_literal: {
        std::uint64_t take = std::min<std::uint64_t>(literal_left_, in_.size() - pos_);
        pos_ += take;
        literal_left_ -= take;
        if (literal_left_ > 0) {
          compact();
          return {};
        }
        // The rest of the rejected command follows the literal: skip it too, up to its end of line.
        tail_.clear();
        state_ = State::skip_line;
        break;
      }
      case State::skip_line: {
        std::size_t lf = in_.find('\n', pos_);
        if (lf == std::string::npos) {
          remember_tail(std::string_view(in_).substr(pos_));
          pos_ = in_.size();
          compact();
          return {};
        }
        remember_tail(std::string_view(in_).substr(pos_, lf - pos_));
        pos_ = lf + 1;
        std::string_view t = tail_;
        if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
        LiteralHeader h = literal_at_end(t);
        tail_.clear();
        if (h.found && h.non_sync) {
          // The client sends these bytes without waiting: they are data, never commands.
          if (h.size > limits_.max_discard) {
            Event ev;
            ev.kind = Event::Kind::error;
            ev.error.kind = ReceiveErrorKind::literal_too_big;
            ev.error.message = "Literal too big";
            ev.error.fatal = true;
            return ev;
          }
          literal_left_ = h.size;
          state_ = State::skip_literal;
          break;
        }
        state_ = State::line;
        break;
      }
      case State::literal: {
        std::uint64_t take = std::min<std::uint64_t>(literal_left_, in_.size() - pos_);
        std::string_view chunk = std::string_view(in_).substr(pos_, static_cast<std::size_t>(take));
        pos_ += take;
        literal_left_ -= take;
        // NUL is not refused here although RFC 9051 §4.3 allows it only in literal8: the length frames the bytes
        // so they cannot be misread, and real messages with NUL are appended with plain literals. The argument
        // parsers refuse NUL where a string is text (names, passwords, search strings).
        cmd_.append(chunk.data(), chunk.size());
        if (literal_left_ > 0) {
          compact();
          return {};
        }
        line_start_ = cmd_.size();
        state_ = State::line;
        break;
      }
      case State::line: {
        std::size_t lf = in_.find('\n', pos_);
        std::size_t end = lf == std::string::npos ? in_.size() : lf;
        std::size_t have = cmd_.size() - line_start_;
        // Room left before the line limit (+1: the CR before LF) and before the command limit. Whichever is
        // crossed first by the bytes that arrived is reported, so the outcome does not depend on chunking.
        std::size_t line_room = limits_.max_line + 1 > have ? limits_.max_line + 1 - have : 0;
        std::size_t cmd_room = limits_.max_command > cmd_.size() ? limits_.max_command - cmd_.size() : 0;
        std::size_t room = std::min(line_room, cmd_room);
        if (end - pos_ > room) {
          bool line_limit = line_room <= cmd_room;
          // The tag is looked for only in the bytes before the crossing point; the bytes already taken seed the
          // tail so that a literal announced at the end of the skipped line is still seen.
          std::string line_so_far = cmd_.substr(line_start_);
          line_so_far.append(in_, pos_, room);
          std::string tag = line_start_ == 0 ? tag_of(line_so_far) : tag_;
          std::string seed = cmd_.substr(std::max(line_start_, cmd_.size() - std::min(cmd_.size(), kTailKeep)));
          bool raw = raw_line_;
          raw_line_ = false;
          Event ev = line_limit ? fail(ReceiveErrorKind::line_too_long, "Line too long", raw ? std::string() : tag)
                                : fail(ReceiveErrorKind::command_too_big, "Command too big", raw ? std::string() : tag);
          state_ = State::skip_line;
          tail_ = std::move(seed);
          return ev;
        }
        cmd_.append(in_, pos_, end - pos_);
        pos_ = end;
        if (lf == std::string::npos) {
          compact();
          return {};
        }
        ++pos_;
        if (cmd_.size() > line_start_ && cmd_.back() == '\r') cmd_.pop_back();
        Event ev = on_line_complete();
        compact();
        if (ev.kind != Event::Kind::need_more) return ev;
        break;
      }
    }
  }
}

// A whole line (without CRLF) is at cmd_[line_start_..]: check it, then either finish the command or start the
// literal it announces. Returns need_more when there is nothing to report yet.
Event Receiver::on_line_complete() {
  if (raw_line_) {
    raw_line_ = false;
    Event ev;
    ev.kind = Event::Kind::line;
    ev.line = std::move(cmd_);
    drop_command();
    return ev;
  }
  std::string_view line = std::string_view(cmd_).substr(line_start_);
  bool first = line_start_ == 0;
  if (first && line.empty()) return {};  // empty lines between commands are ignored

  LiteralHeader lit = literal_at_end(line);
  bool non_sync_follows = lit.found && lit.non_sync;
  std::size_t scan_from = 0;  // tag and command name are not arguments
  if (first) {
    Head head = split_head(line);
    if (!head.error.empty()) return fail(ReceiveErrorKind::syntax, head.error, head.tag, lit.size, non_sync_follows);
    tag_ = head.tag;
    name_ = head.name;
    scan_from = head.args_at;
  }

  // Quoted strings cannot span lines; parentheses and argument counts carry across literals.
  bool in_quote = false;
  bool token_start = true;
  for (std::size_t i = scan_from; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\0') return fail(ReceiveErrorKind::nul, "NUL in command", tag_, lit.size, non_sync_follows);
    if (in_quote) {
      if (c == '\\' && i + 1 < line.size()) {
        ++i;
        if (line[i] == '\0') return fail(ReceiveErrorKind::nul, "NUL in command", tag_, lit.size, non_sync_follows);
      } else if (c == '"') {
        in_quote = false;
      }
      continue;
    }
    if (c == ' ') {
      token_start = true;
      continue;
    }
    if (c == '(' || c == '"' || (token_start && c != ')')) ++arguments_;
    token_start = c == '(';
    if (c == '"') in_quote = true;
    if (c == '(' && ++depth_ > limits_.max_depth)
      return fail(ReceiveErrorKind::too_deep, "Too deeply nested", tag_, lit.size, non_sync_follows);
    if (c == ')' && depth_ > 0) --depth_;
  }
  if (arguments_ > limits_.max_arguments)
    return fail(ReceiveErrorKind::too_many_arguments, "Too many arguments", tag_, lit.size, non_sync_follows);
  if (in_quote) return fail(ReceiveErrorKind::syntax, "Unterminated quoted string", tag_);

  if (!lit.found) {
    Head head = split_head(cmd_);
    Event ev;
    ev.kind = Event::Kind::command;
    ev.command.tag = std::move(head.tag);
    ev.command.name = std::move(head.name);
    ev.command.args = cmd_.substr(std::min(head.args_at, cmd_.size()));
    drop_command();
    return ev;
  }

  bool too_big = lit.size > limits_.max_literal ||
                 (lit.non_sync && !limits_.literal_plus && lit.size > kLiteralMinusMax) ||
                 lit.size > limits_.max_command - std::min<std::uint64_t>(cmd_.size(), limits_.max_command);
  if (lit.non_sync) {
    // Synchronizing literals of other commands are refused per command by the session (no "+" is sent); a
    // non-synchronizing one is already on its way, so the limit is applied here.
    if (name_ != "APPEND" && lit.size > limits_.max_non_append_literal) too_big = true;
    if (too_big) {
      // RFC 7888 §4: BAD [TOOBIG], then the connection is closed rather than reading bytes the client should
      // never have sent (APPENDLIMIT and the LITERAL- 4096-byte limit were advertised).
      Event ev = fail(ReceiveErrorKind::literal_too_big, "Literal too big", tag_, lit.size, true);
      ev.error.fatal = true;
      state_ = State::skip_line;
      literal_left_ = 0;
      return ev;
    }
  } else {
    Event ev;
    ev.kind = Event::Kind::literal;
    ev.literal.tag = tag_;
    ev.literal.name = name_;
    ev.literal.size = lit.size;
    ev.literal.binary = lit.binary;
    ev.literal.accepted = !too_big;
    if (too_big) {
      drop_command();  // the client waits for "+" that never comes: nothing to skip
      return ev;
    }
    cmd_ += "\r\n";
    literal_left_ = lit.size;
    state_ = State::literal;
    return ev;
  }
  cmd_ += "\r\n";
  literal_left_ = lit.size;
  state_ = State::literal;
  return {};
}

}  // namespace claret::imap::proto
