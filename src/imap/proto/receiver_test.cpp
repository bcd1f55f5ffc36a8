// Tests for the IMAP receiver: framing, literals (RFC 9051 §4.3, RFC 7888, RFC 3516), limits, resynchronisation,
// every chunk split, and random input.
#include "imap/proto/receiver.hpp"

#include "imap/proto/command.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace claret::imap::proto {
namespace {

using namespace std::string_literals;

const char* kind_name(ReceiveErrorKind k) {
  switch (k) {
    case ReceiveErrorKind::syntax: return "syntax";
    case ReceiveErrorKind::line_too_long: return "line_too_long";
    case ReceiveErrorKind::literal_too_big: return "literal_too_big";
    case ReceiveErrorKind::command_too_big: return "command_too_big";
    case ReceiveErrorKind::too_many_arguments: return "too_many_arguments";
    case ReceiveErrorKind::too_deep: return "too_deep";
    case ReceiveErrorKind::nul: return "nul";
  }
  return "?";
}

std::string describe(const Event& ev) {
  switch (ev.kind) {
    case Event::Kind::command: return "CMD " + ev.command.tag + " " + ev.command.name + " [" + ev.command.args + "]";
    case Event::Kind::literal:
      return "LIT " + ev.literal.tag + " " + std::to_string(ev.literal.size) + (ev.literal.binary ? " binary" : "") +
             (ev.literal.accepted ? " ok" : " refused");
    case Event::Kind::line: return "LINE [" + ev.line + "]";
    case Event::Kind::error:
      return std::string("ERR ") + ev.error.tag + " " + kind_name(ev.error.kind) + (ev.error.fatal ? " fatal" : "");
    case Event::Kind::need_more: return "MORE";
  }
  return "?";
}

void drain(Receiver& r, std::vector<std::string>& out) {
  for (int guard = 0; guard < 100000; ++guard) {
    Event ev = r.next();
    if (ev.kind == Event::Kind::need_more) return;
    out.push_back(describe(ev));
  }
  ADD_FAILURE() << "receiver did not settle";
}

std::vector<std::string> run_chunks(const std::string& input, const std::vector<std::size_t>& cuts, Limits limits) {
  Receiver r(limits);
  std::vector<std::string> out;
  std::size_t prev = 0;
  for (std::size_t cut : cuts) {
    r.feed(std::string_view(input).substr(prev, cut - prev));
    drain(r, out);
    prev = cut;
  }
  r.feed(std::string_view(input).substr(prev));
  drain(r, out);
  return out;
}

// The transcript must not depend on how the bytes were split: whole, at every single split point, at every
// pair of split points for short inputs, and byte by byte.
void expect_transcript(const std::string& input, const std::vector<std::string>& expected, Limits limits = {}) {
  EXPECT_EQ(run_chunks(input, {}, limits), expected) << "whole input";
  for (std::size_t i = 1; i < input.size(); ++i)
    ASSERT_EQ(run_chunks(input, {i}, limits), expected) << "split at " << i;
  if (input.size() <= 80) {
    for (std::size_t i = 1; i < input.size(); ++i) {
      for (std::size_t j = i + 1; j < input.size(); ++j) {
        ASSERT_EQ(run_chunks(input, {i, j}, limits), expected) << "split at " << i << "," << j;
      }
    }
  }
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < input.size(); ++i) every.push_back(i);
  EXPECT_EQ(run_chunks(input, every, limits), expected) << "byte by byte";
}

TEST(Receiver, SimpleCommands) {
  expect_transcript("a1 NOOP\r\na2 capability\r\n", {"CMD a1 NOOP []", "CMD a2 CAPABILITY []"});
  expect_transcript("a1 SELECT INBOX\r\n", {"CMD a1 SELECT [INBOX]"});
  expect_transcript("a8 uid fetch 1:* FLAGS\r\n", {"CMD a8 UID FETCH [1:* FLAGS]"});
  expect_transcript("x] NOOP\n", {"CMD x] NOOP []"});  // bare LF accepted; "]" is a tag character
}

TEST(Receiver, EmptyLinesAreIgnored) { expect_transcript("\r\n\r\na NOOP\r\n", {"CMD a NOOP []"}); }

TEST(Receiver, SynchronizingLiterals) {
  expect_transcript("a2 LOGIN {5}\r\nalice {6}\r\nsecret\r\n",
                    {"LIT a2 5 ok", "LIT a2 6 ok", "CMD a2 LOGIN [{5}\r\nalice {6}\r\nsecret]"});
  expect_transcript("a3 LOGIN {0}\r\n {0}\r\n\r\n", {"LIT a3 0 ok", "LIT a3 0 ok", "CMD a3 LOGIN [{0}\r\n {0}\r\n]"});
  // Literal bytes are data: CRLF, quotes and braces inside are not syntax.
  expect_transcript("a4 APPEND x {11}\r\n\"{3}\r\n(((\r\n\r\na5 NOOP\r\n",
                    {"LIT a4 11 ok", "CMD a4 APPEND [x {11}\r\n\"{3}\r\n(((\r\n]", "CMD a5 NOOP []"});
}

TEST(Receiver, NonSynchronizingLiterals) {
  expect_transcript("a3 APPEND INBOX {3+}\r\nabc\r\na4 NOOP\r\n",
                    {"CMD a3 APPEND [INBOX {3+}\r\nabc]", "CMD a4 NOOP []"});
}

TEST(Receiver, Literal8MayCarryNul) {
  std::string in = "a APPEND INBOX ~{3}\r\na"s + '\0' + "c\r\n";
  expect_transcript(in, {"LIT a 3 binary ok", "CMD a APPEND [INBOX ~{3}\r\na"s + '\0' + "c]"});
}

TEST(Receiver, NulInCommandLineIsRefused) {
  expect_transcript("a LOGIN x"s + '\0' + "y z\r\nb NOOP\r\n", {"ERR a nul", "CMD b NOOP []"});
  // NUL inside a plain literal is framed like any byte; the argument parsers decide (see cursor_test).
  expect_transcript("a APPEND x {3+}\r\na"s + '\0' + "c\r\nb NOOP\r\n", {"CMD a APPEND [x {3+}\r\na"s + '\0' + "c]", "CMD b NOOP []"});
}

TEST(Receiver, QuotedBracesAreNotLiterals) {
  expect_transcript("a9 LOGIN \"{5}\" \"x\\\"y\"\r\n", {"CMD a9 LOGIN [\"{5}\" \"x\\\"y\"]"});
}

TEST(Receiver, BadTagOrMissingCommand) {
  expect_transcript("+bad NOOP\r\nok NOOP\r\n", {"ERR  syntax", "CMD ok NOOP []"});
  expect_transcript("lonely\r\n", {"ERR lonely syntax"});
  expect_transcript("t UID\r\n", {"ERR t syntax"});
  expect_transcript("t (NOOP\r\n", {"ERR t syntax"});
  expect_transcript("* NOOP\r\n", {"ERR  syntax"});
}

TEST(Receiver, UnterminatedQuotedString) {
  expect_transcript("b1 LOGIN \"abc\r\nb2 NOOP\r\n", {"ERR b1 syntax", "CMD b2 NOOP []"});
}

TEST(Receiver, LineTooLongResynchronises) {
  Limits l;
  l.max_line = 64;
  expect_transcript("t1 SEARCH " + std::string(100, 'x') + "\r\nt2 NOOP\r\n", {"ERR t1 line_too_long", "CMD t2 NOOP []"}, l);
  // A continuation line after a literal is limited too.
  expect_transcript("t3 LOGIN {2}\r\nab " + std::string(100, 'y') + "\r\nt4 NOOP\r\n",
                    {"LIT t3 2 ok", "ERR t3 line_too_long", "CMD t4 NOOP []"}, l);
}

TEST(Receiver, OverlongLineEndingInNonSyncLiteralSkipsTheLiteral) {
  Limits l;
  l.max_line = 64;
  // The literal announced at the end of the rejected line still arrives; it must not run as a command.
  std::string payload = "e LOGOUT\r\n";
  std::string in = "t1 X " + std::string(100, 'x') + " {" + std::to_string(payload.size()) + "+}\r\n" + payload +
                   "\r\nt2 NOOP\r\n";
  expect_transcript(in, {"ERR t1 line_too_long", "CMD t2 NOOP []"}, l);
}

TEST(Receiver, SynchronizingLiteralOverLimitIsRefused) {
  Limits l;
  l.max_literal = 100;
  expect_transcript("a6 APPEND INBOX {101}\r\na7 NOOP\r\n", {"LIT a6 101 refused", "CMD a7 NOOP []"}, l);
  expect_transcript("a6 APPEND INBOX {99999999999999999999999}\r\na7 NOOP\r\n", {"LIT a6 18446744073709551615 refused", "CMD a7 NOOP []"}, l);
}

TEST(Receiver, LiteralMinusLimitsNonSyncLiterals) {
  Limits l;  // LITERAL- by default
  std::string big(5000, 'm');
  // RFC 7888 §4: BAD [TOOBIG] and the connection closes; the bytes are never taken as commands.
  expect_transcript("a4 APPEND INBOX {5000+}\r\n" + big.substr(0, 10), {"ERR a4 literal_too_big fatal"}, l);
  std::string ok(4096, 'm');
  auto out = run_chunks("a4 APPEND INBOX {4096+}\r\n" + ok + "\r\n", {}, l);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].substr(0, 15), "CMD a4 APPEND [");
  l.literal_plus = true;
  out = run_chunks("a4 APPEND INBOX {5000+}\r\n" + big + "\r\n", {}, l);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].substr(0, 15), "CMD a4 APPEND [");
}

TEST(Receiver, OversizedNonSyncLiteralIsFatal) {
  Limits l;
  l.literal_plus = true;
  l.max_literal = 1000;
  l.max_discard = 2000;
  auto out = run_chunks("a APPEND INBOX {5000+}\r\nxxxx", {}, l);
  EXPECT_EQ(out, std::vector<std::string>{"ERR a literal_too_big fatal"});
  // Even within max_discard: the client ignored APPENDLIMIT, the session closes after the BAD.
  out = run_chunks("a APPEND INBOX {1500+}\r\n" + std::string(1500, 'z'), {}, l);
  EXPECT_EQ(out, std::vector<std::string>{"ERR a literal_too_big fatal"});
}

TEST(Receiver, NonAppendNonSyncLiteralHasItsOwnLimit) {
  Limits l;
  l.literal_plus = true;
  l.max_non_append_literal = 100;
  auto out = run_chunks("a LOGIN {101+}\r\n" + std::string(101, 'p') + " x\r\n", {}, l);
  EXPECT_EQ(out, std::vector<std::string>{"ERR a literal_too_big fatal"});
  out = run_chunks("a LOGIN {100+}\r\n" + std::string(100, 'p') + " x\r\n", {}, l);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].substr(0, 13), "CMD a LOGIN [");
}

TEST(Receiver, CommandTooBig) {
  Limits l;
  l.max_command = 100;
  l.max_literal = 1000;
  expect_transcript("a LOGIN {200}\r\nb NOOP\r\n", {"LIT a 200 refused", "CMD b NOOP []"}, l);
}

TEST(Receiver, DeepParenthesesAndTooManyArguments) {
  Limits l;
  l.max_depth = 8;
  expect_transcript("d SEARCH " + std::string(9, '(') + "ALL" + std::string(9, ')') + "\r\ne NOOP\r\n",
                    {"ERR d too_deep", "CMD e NOOP []"}, l);
  expect_transcript("d SEARCH " + std::string(8, '(') + "ALL" + std::string(8, ')') + "\r\n",
                    {"CMD d SEARCH [((((((((ALL))))))))]"}, l);
  l.max_arguments = 5;
  expect_transcript("f FETCH 1 (A B C D)\r\ng NOOP\r\n", {"ERR f too_many_arguments", "CMD g NOOP []"}, l);
  expect_transcript("f FETCH 1 (A B)\r\n", {"CMD f FETCH [1 (A B)]"}, l);
}

TEST(Receiver, ExpectLineForAuthenticateAndIdle) {
  Receiver r;
  r.feed("c1 AUTHENTICATE PLAIN\r\nAGFsaWNlAHNlY3JldA==\r\nc2 IDLE\r\nDONE\r\nc3 NOOP\r\n");
  Event ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::command);
  EXPECT_EQ(ev.command.name, "AUTHENTICATE");
  r.expect_line();
  ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::line);
  EXPECT_EQ(ev.line, "AGFsaWNlAHNlY3JldA==");
  ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::command);
  EXPECT_EQ(ev.command.name, "IDLE");
  r.expect_line();
  ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::line);
  EXPECT_EQ(ev.line, "DONE");
  ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::command);
  EXPECT_EQ(ev.command.tag, "c3");
  EXPECT_EQ(r.next().kind, Event::Kind::need_more);
}

TEST(Receiver, UnterminatedLiteralWaitsForItsBytes) {
  // A literal cut short is not a command: the receiver holds it (the session's deadline ends the wait), and
  // command-looking bytes inside it are data.
  Receiver r;
  r.feed("a LOGIN {20}\r\nb LOGOUT\r\n");
  Event ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::literal);
  EXPECT_EQ(r.next().kind, Event::Kind::need_more);
  EXPECT_EQ(r.buffered(), 0u);
  r.feed("c NOOP\r\n");  // 18 of 20 bytes so far
  EXPECT_EQ(r.next().kind, Event::Kind::need_more);
  r.feed("xy x\r\n");
  ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::command);
  EXPECT_EQ(ev.command.args, "{20}\r\nb LOGOUT\r\nc NOOP\r\nxy x");
  // Unterminated quoted strings and lines without CRLF behave the same way.
  Receiver q;
  q.feed("d LOGIN \"abc");
  EXPECT_EQ(q.next().kind, Event::Kind::need_more);
}

TEST(Receiver, RejectLiteralDropsTheCommand) {
  Receiver r;
  r.feed("a APPEND INBOX {10}\r\nb NOOP\r\n");
  Event ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::literal);
  EXPECT_TRUE(ev.literal.accepted);
  EXPECT_EQ(ev.literal.name, "APPEND");
  r.reject_literal();  // e.g. over APPENDLIMIT: "a NO [TOOBIG]", no continuation, the client sends no bytes
  ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::command);
  EXPECT_EQ(ev.command.tag, "b");
}

TEST(Receiver, ResetDropsBufferedInput) {
  Receiver r;
  r.feed("a STARTTLS\r\nb LOGIN injected x\r\n");
  Event ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::command);
  r.reset();  // what arrived in plaintext after STARTTLS must never run
  EXPECT_EQ(r.next().kind, Event::Kind::need_more);
  r.feed("c NOOP\r\n");
  EXPECT_EQ(r.next().command.tag, "c");
}

TEST(Receiver, RandomInputNeverCrashesAndAlwaysSettles) {
  std::mt19937 rng(20261202);
  std::string alphabet = "a1 {}+~()\"\\\r\n\n0123456789%*]NOOPLOGIN";
  alphabet += '\0';
  alphabet += '\xff';
  for (int round = 0; round < 3000; ++round) {
    Limits l;
    l.max_line = 1 + rng() % 200;
    l.max_literal = rng() % 300;
    l.max_command = rng() % 1000;
    l.max_depth = rng() % 10;
    l.max_arguments = rng() % 20;
    l.max_discard = rng() % 500;
    l.literal_plus = rng() % 2;
    Receiver r(l);
    std::string in;
    std::size_t len = rng() % 400;
    for (std::size_t i = 0; i < len; ++i) {
      if (rng() % 10 == 0) {
        in += "{" + std::to_string(rng() % 400) + (rng() % 2 ? "+" : "") + "}\r\n";
      } else if (rng() % 12 == 0) {
        static const char* kNames[] = {"\r\na SEARCH ", "\r\nb FETCH 1 ", "\r\nc APPEND x ", "\r\nd LIST ",
                                       "\r\ne STORE 1 ", "\r\nf UID SORT ", "\r\ng SELECT x ", "\r\nh NOTIFY SET "};
        in += kNames[rng() % 8];
      } else {
        in += alphabet[rng() % alphabet.size()];
      }
    }
    std::size_t pos = 0;
    while (pos < in.size()) {
      std::size_t n = 1 + rng() % 64;
      r.feed(std::string_view(in).substr(pos, n));
      pos += n;
      for (int guard = 0;; ++guard) {
        ASSERT_LT(guard, 10000);
        if (rng() % 50 == 0) r.expect_line();
        Event ev = r.next();
        if (ev.kind == Event::Kind::need_more) break;
        if (ev.kind == Event::Kind::command) {
          EXPECT_FALSE(ev.command.tag.empty());
          EXPECT_FALSE(ev.command.name.empty());
          EXPECT_LE(ev.command.args.size(), l.max_command);
          // Whatever was framed goes through the argument parsers too: they must not crash on it.
          (void)parse_command(ev.command, ParseOptions{});
        }
        if (ev.kind == Event::Kind::literal && ev.literal.accepted && rng() % 4 == 0) r.reject_literal();
      }
      EXPECT_LE(r.buffered(), in.size());
    }
  }
}

// 400 rounds keep the unit run short; 60,000 rounds (three seeds) passed when this was written.
constexpr int kRounds = 400;
constexpr unsigned kSeed = 99;

TEST(Receiver, RandomInputTranscriptDoesNotDependOnChunking) {
  std::mt19937 rng(kSeed);
  std::string alphabet = "t1 {}+~()\"\\\r\n\nx09%*]NOOP";
  alphabet += '\0';
  for (int round = 0; round < kRounds; ++round) {
    Limits l;
    l.max_line = 8 + rng() % 60;
    l.max_literal = rng() % 40;
    l.max_command = 20 + rng() % 200;
    l.max_depth = 1 + rng() % 4;
    l.max_arguments = 1 + rng() % 10;
    l.max_discard = rng() % 50;
    l.literal_plus = rng() % 2;
    std::string in;
    std::size_t len = rng() % 120;
    for (std::size_t i = 0; i < len; ++i) {
      if (rng() % 8 == 0) {
        in += "{" + std::to_string(rng() % 50) + (rng() % 2 ? "+" : "") + "}\r\n";
      } else if (rng() % 8 == 0) {
        in += "t" + std::to_string(rng() % 9) + " NOOP ";
      } else {
        in += alphabet[rng() % alphabet.size()];
      }
    }
    std::vector<std::size_t> every;
    for (std::size_t i = 1; i < in.size(); ++i) every.push_back(i);
    auto whole = run_chunks(in, {}, l);
    ASSERT_EQ(run_chunks(in, every, l), whole) << "round " << round;
    if (in.size() > 2) {
      ASSERT_EQ(run_chunks(in, {in.size() / 2}, l), whole) << "round " << round;
    }
  }
}

}  // namespace
}  // namespace claret::imap::proto
