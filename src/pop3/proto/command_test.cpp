// Tests for the POP3 command parser (RFC 1939 §3-§7, RFC 2449 §4, RFC 5034 §4).
#include "pop3/proto/command.hpp"

#include <gtest/gtest.h>

namespace claret::pop3::proto {
namespace {

Command parse_ok(std::string_view line) {
  auto r = parse_command(line);
  EXPECT_TRUE(r.ok()) << line << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : Command{};
}

ParseErrc parse_fail(std::string_view line) {
  auto r = parse_command(line);
  EXPECT_FALSE(r.ok()) << line;
  return r.ok() ? ParseErrc{} : static_cast<ParseErrc>(r.error().code);
}

TEST(Pop3Command, KeywordsAreCaseInsensitive) {
  for (auto line : {"STAT", "stat", "StAt"}) EXPECT_EQ(parse_ok(line).verb, Verb::stat);
  EXPECT_EQ(peek_verb("top 1 2"), Verb::top);
  EXPECT_EQ(peek_verb("XTND XMIT"), std::nullopt);
  EXPECT_EQ(peek_verb("STATS"), std::nullopt);
  EXPECT_EQ(peek_verb(""), std::nullopt);
  EXPECT_EQ(verb_name(Verb::uidl), "UIDL");
}

TEST(Pop3Command, UnknownCommands) {
  for (auto line : {"", " ", "HELO x", "STAT\t", "ST", "\x01\x02", "RETR1"})
    EXPECT_EQ(parse_fail(line), ParseErrc::unknown_command) << line;
}

TEST(Pop3Command, NoArgumentCommands) {
  for (auto line : {"STLS", "CAPA", "QUIT", "STAT", "NOOP", "RSET", "NOOP  "}) parse_ok(line);
  EXPECT_EQ(parse_fail("NOOP x"), ParseErrc::too_many_arguments);
  EXPECT_EQ(parse_fail("QUIT now"), ParseErrc::too_many_arguments);
}

TEST(Pop3Command, MessageNumbers) {
  EXPECT_EQ(std::get<MsgArg>(parse_ok("RETR 1").args).msg, 1u);
  EXPECT_EQ(std::get<MsgArg>(parse_ok("dele 42").args).msg, 42u);
  // 0 and numbers past the maildrop parse: the server answers "no such message".
  EXPECT_EQ(std::get<MsgArg>(parse_ok("RETR 0").args).msg, 0u);
  EXPECT_EQ(std::get<MsgArg>(parse_ok("RETR 1099511627776").args).msg, 1099511627776u);
  for (auto line : {"RETR -1", "RETR +1", "RETR 1a", "RETR 0x10", "RETR 99999999999999999999999", "RETR 1.5"})
    EXPECT_EQ(parse_fail(line), ParseErrc::invalid_number) << line;
  EXPECT_EQ(parse_fail("RETR"), ParseErrc::missing_argument);
  EXPECT_EQ(parse_fail("RETR 1 2"), ParseErrc::too_many_arguments);
  EXPECT_EQ(parse_fail("DELE"), ParseErrc::missing_argument);
}

TEST(Pop3Command, ListAndUidlTakeAnOptionalNumber) {
  EXPECT_FALSE(std::get<OptionalMsgArg>(parse_ok("LIST").args).msg.has_value());
  EXPECT_EQ(std::get<OptionalMsgArg>(parse_ok("LIST 3").args).msg, 3u);
  EXPECT_EQ(std::get<OptionalMsgArg>(parse_ok("UIDL 7").args).msg, 7u);
  EXPECT_EQ(parse_fail("UIDL x"), ParseErrc::invalid_number);
  EXPECT_EQ(parse_fail("LIST 1 2"), ParseErrc::too_many_arguments);
}

TEST(Pop3Command, Top) {
  auto a = std::get<TopArgs>(parse_ok("TOP 2 10").args);
  EXPECT_EQ(a.msg, 2u);
  EXPECT_EQ(a.lines, 10u);
  EXPECT_EQ(std::get<TopArgs>(parse_ok("TOP 1 0").args).lines, 0u);
  EXPECT_EQ(parse_fail("TOP 1"), ParseErrc::missing_argument);
  EXPECT_EQ(parse_fail("TOP 1 -1"), ParseErrc::invalid_number);
}

TEST(Pop3Command, UserAndPass) {
  EXPECT_EQ(std::get<NameArg>(parse_ok("USER alice@example.test").args).name, "alice@example.test");
  EXPECT_EQ(parse_fail("USER"), ParseErrc::missing_argument);
  EXPECT_EQ(parse_fail("USER a b"), ParseErrc::too_many_arguments);
  EXPECT_EQ(parse_fail("USER " + std::string(256, 'a')), ParseErrc::invalid_argument);
  EXPECT_EQ(parse_fail(std::string("USER a\x01")), ParseErrc::invalid_argument);
  // The password is the rest of the line, spaces included.
  EXPECT_EQ(std::get<PasswordArg>(parse_ok("PASS correct horse  battery ").args).password,
            "correct horse  battery ");
  EXPECT_EQ(parse_fail("PASS"), ParseErrc::missing_argument);
  EXPECT_EQ(parse_fail("PASS "), ParseErrc::missing_argument);
  EXPECT_EQ(parse_fail(std::string("PASS a\0b", 8)), ParseErrc::invalid_argument);
  auto apop = std::get<ApopArgs>(parse_ok("APOP mrose c4c9334bac560ecc979e58001b3e22fb").args);
  EXPECT_EQ(apop.name, "mrose");
  EXPECT_EQ(parse_fail("APOP mrose"), ParseErrc::missing_argument);
}

TEST(Pop3Command, AuthWithAndWithoutInitialResponse) {
  auto bare = std::get<AuthArgs>(parse_ok("AUTH").args);
  EXPECT_FALSE(bare.mechanism.has_value());
  auto plain = std::get<AuthArgs>(parse_ok("auth plain").args);
  EXPECT_EQ(plain.mechanism, "PLAIN");
  EXPECT_FALSE(plain.initial_response.has_value());
  auto ir = std::get<AuthArgs>(parse_ok("AUTH PLAIN AGEAYg==").args);
  EXPECT_EQ(ir.initial_response, std::string("\0a\0b", 4));
  auto empty = std::get<AuthArgs>(parse_ok("AUTH PLAIN =").args);
  EXPECT_EQ(empty.initial_response, std::string());
  EXPECT_EQ(parse_fail("AUTH PLAIN !!!"), ParseErrc::invalid_argument);
  EXPECT_EQ(parse_fail("AUTH PLAIN a b"), ParseErrc::too_many_arguments);
}

TEST(Pop3Command, NeverCrashesOnArbitraryBytes) {
  std::string line;
  for (int i = 0; i < 2000; ++i) {
    line.push_back(static_cast<char>((i * 37 + 11) % 256));
    (void)parse_command(line);
    (void)parse_command("RETR " + line);
    (void)parse_command("AUTH PLAIN " + line);
  }
}

}  // namespace
}  // namespace claret::pop3::proto
