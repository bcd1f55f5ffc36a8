// Tests for POP3 response serialization and the CAPA list (RFC 1939 §3, RFC 2449 §5-§8, RFC 3206, RFC 5034 §4).
#include "pop3/proto/response.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "pop3/proto/capabilities.hpp"

namespace claret::pop3::proto {
namespace {

TEST(Pop3Response, StatusLines) {
  EXPECT_EQ(ok("2 320"), "+OK 2 320\r\n");
  EXPECT_EQ(ok(""), "+OK\r\n");
  EXPECT_EQ(err("no such message"), "-ERR no such message\r\n");
  EXPECT_EQ(err("try later", RespCode::sys_temp), "-ERR [SYS/TEMP] try later\r\n");
  EXPECT_EQ(err("bad", RespCode::auth), "-ERR [AUTH] bad\r\n");
  EXPECT_EQ(err("locked", RespCode::in_use), "-ERR [IN-USE] locked\r\n");
  EXPECT_EQ(err("x", RespCode::login_delay), "-ERR [LOGIN-DELAY] x\r\n");
  EXPECT_EQ(err("x", RespCode::sys_perm), "-ERR [SYS/PERM] x\r\n");
}

TEST(Pop3Response, TextCannotInjectALine) {
  EXPECT_EQ(ok("a\r\n+OK b"), "+OK a  +OK b\r\n");
  EXPECT_EQ(err("a\nb"), "-ERR a b\r\n");
}

TEST(Pop3Response, Challenge) {
  EXPECT_EQ(challenge(""), "+ \r\n");
  EXPECT_EQ(challenge("Username:"), "+ VXNlcm5hbWU6\r\n");
}

TEST(Pop3Response, MultilineIsStuffedAndTerminated) {
  EXPECT_EQ(multiline("2 messages", {"1 120", "2 200"}), "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n");
  EXPECT_EQ(multiline("", {}), "+OK\r\n.\r\n");
  EXPECT_EQ(multiline("x", {".hidden", "..two"}), "+OK x\r\n..hidden\r\n...two\r\n.\r\n");
  EXPECT_EQ(dot_stuff_line("."), "..");
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST(Pop3Capabilities, AuthorizationStateListsLoginOptions) {
  CapaOptions o;
  o.authorization = true;
  o.stls = true;
  o.user = false;
  o.sasl = {"SCRAM-SHA-256"};
  o.implementation = "claret";
  auto lines = capability_lines(o);
  for (auto want : {"TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "EXPIRE NEVER", "LOGIN-DELAY 0",
                    "SASL SCRAM-SHA-256", "STLS", "IMPLEMENTATION claret"})
    EXPECT_TRUE(has(lines, want)) << want;
  EXPECT_FALSE(has(lines, "USER"));
  o.user = true;
  o.stls = false;
  o.sasl = {"SCRAM-SHA-256", "PLAIN", "LOGIN"};
  lines = capability_lines(o);
  EXPECT_TRUE(has(lines, "USER"));
  EXPECT_TRUE(has(lines, "SASL SCRAM-SHA-256 PLAIN LOGIN"));
  EXPECT_FALSE(has(lines, "STLS"));
}

TEST(Pop3Capabilities, TransactionStateOmitsLoginOptions) {
  CapaOptions o;
  o.authorization = false;
  o.stls = true;
  o.user = true;
  o.sasl = {"PLAIN"};
  auto lines = capability_lines(o);
  EXPECT_TRUE(has(lines, "TOP"));
  EXPECT_FALSE(has(lines, "STLS"));
  EXPECT_FALSE(has(lines, "USER"));
  EXPECT_FALSE(has(lines, "SASL PLAIN"));
}

}  // namespace
}  // namespace claret::pop3::proto
