// Helpers shared by the IMAP argument-parser tests: parse one command line through the receiver and parser.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "imap/proto/command.hpp"

namespace claret::imap::proto::testing {

// Frames `line` (tag and CRLF added) with a Receiver that accepts every literal, then parses it.
inline Result<Command> parse_line(const std::string& line, const ParseOptions& opt = {}) {
  Limits limits = opt.limits;
  limits.literal_plus = true;
  Receiver r(limits);
  r.feed("t " + line + "\r\n");
  for (int guard = 0; guard < 1000; ++guard) {
    Event ev = r.next();
    if (ev.kind == Event::Kind::command) return parse_command(ev.command, opt);
    if (ev.kind == Event::Kind::error) return make_error("receiver: " + ev.error.message);
    if (ev.kind == Event::Kind::need_more) return make_error("receiver: incomplete");
    if (ev.kind == Event::Kind::literal && !ev.literal.accepted) return make_error("receiver: literal refused");
  }
  return make_error("receiver: no command");
}

template <typename T>
T args_of(const std::string& line, const ParseOptions& opt = {}) {
  auto r = parse_line(line, opt);
  EXPECT_TRUE(r) << line << ": " << (r ? "" : r.error().message);
  if (!r || !std::holds_alternative<T>(r->args)) {
    ADD_FAILURE() << "wrong argument type for " << line;
    return T{};
  }
  return std::get<T>(r->args);
}

}  // namespace claret::imap::proto::testing
