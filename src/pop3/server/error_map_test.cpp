// Tests for the failure → POP3 response mapping (RFC 1939 §3, RFC 3206 §4).
#include "pop3/server/error_map.hpp"

#include <gtest/gtest.h>

#include "io/errors.hpp"
#include "store/errc.hpp"

namespace claret::pop3::server {
namespace {

TEST(Pop3ErrorMap, GateReplies) {
  EXPECT_EQ(gate_reply(proto::Verb::retr, State::authorization),
            "-ERR RETR not allowed before login (use USER/PASS or AUTH)\r\n");
  EXPECT_EQ(gate_reply(proto::Verb::user, State::transaction), "-ERR USER not allowed in the TRANSACTION state\r\n");
}

TEST(Pop3ErrorMap, ParseErrors) {
  auto parsed = proto::parse_command("RETR -1");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parse_error_reply(parsed.error()), "-ERR Invalid message number\r\n");
  EXPECT_EQ(parse_error_reply(proto::parse_command("XYZZY").error()), "-ERR Unknown command\r\n");
  EXPECT_EQ(parse_error_reply(proto::parse_command("TOP 1").error()), "-ERR Missing argument\r\n");
}

TEST(Pop3ErrorMap, StoreErrorsAreGenericTemporaryFailures) {
  auto reply = store_error_reply(store::store_error(store::Errc::internal, "disk on fire /var/x"), 7, "pop3.test");
  EXPECT_EQ(reply, "-ERR [SYS/TEMP] Internal error, try again later\r\n");
}

TEST(Pop3ErrorMap, IoErrors) {
  EXPECT_EQ(io_error_reply(io::make_io_error(io::IoErrc::timeout)), "-ERR Timeout, closing connection\r\n");
  EXPECT_EQ(io_error_reply(io::make_io_error(io::IoErrc::shutdown)), "-ERR [SYS/TEMP] Server shutting down\r\n");
  EXPECT_FALSE(io_error_reply(io::make_io_error(io::IoErrc::eof)).has_value());
  EXPECT_FALSE(io_error_reply(io::make_io_error(io::IoErrc::network)).has_value());
}

}  // namespace
}  // namespace claret::pop3::server
