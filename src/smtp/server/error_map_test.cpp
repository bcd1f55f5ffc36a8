// Tests of the failure → reply mapping (RFC 5321 §4.2.2-4.2.4, RFC 3463, RFC 3207 §4, RFC 4954 §6).
#include "smtp/server/error_map.hpp"

#include <gtest/gtest.h>

#include "io/errors.hpp"
#include "store/errc.hpp"

namespace claret::smtp::server {
namespace {

TEST(ErrorMap, StoreErrors) {
  auto r = store_error_reply(store::store_error(store::Errc::not_found, "no such account"), 1, "test.event");
  EXPECT_EQ(r.serialize(), "550 5.1.1 No such user here\r\n");
  r = store_error_reply(store::store_error(store::Errc::over_quota, "quota"), 1, "test.event");
  EXPECT_EQ(r.serialize(), "552 5.2.2 Mailbox full\r\n");
  // Internal details never reach the client.
  r = store_error_reply(store::store_error(store::Errc::internal, "disk I/O error at /var/x"), 1, "test.event");
  EXPECT_EQ(r.serialize(), "451 4.3.0 Local error in processing, try again later\r\n");
}

TEST(ErrorMap, IoErrors) {
  auto timeout = io_error_reply(io::make_io_error(io::IoErrc::timeout));
  ASSERT_TRUE(timeout.has_value());
  EXPECT_EQ(timeout->code, 421);
  EXPECT_EQ(timeout->enhanced, "4.4.2");
  auto shutdown = io_error_reply(io::make_io_error(io::IoErrc::shutdown));
  ASSERT_TRUE(shutdown.has_value());
  EXPECT_EQ(shutdown->enhanced, "4.3.2");
  EXPECT_FALSE(io_error_reply(io::make_io_error(io::IoErrc::eof)).has_value());
  EXPECT_FALSE(io_error_reply(io::make_io_error(io::IoErrc::network)).has_value());
}

TEST(ErrorMap, Gates) {
  EXPECT_EQ(gate_reply(Gate::bad_sequence, proto::Verb::mail, State::fresh).serialize(),
            "503 5.5.1 Send EHLO or HELO first\r\n");
  EXPECT_EQ(gate_reply(Gate::bad_sequence, proto::Verb::mail, State::rcpt).serialize(),
            "503 5.5.1 Nested MAIL command\r\n");
  EXPECT_EQ(gate_reply(Gate::tls_required, proto::Verb::auth, State::ready).serialize(),
            "530 5.7.0 Must issue a STARTTLS command first\r\n");
  EXPECT_EQ(gate_reply(Gate::auth_required, proto::Verb::mail, State::ready).serialize(),
            "530 5.7.0 Authentication required\r\n");
  EXPECT_EQ(gate_reply(Gate::not_offered, proto::Verb::auth, State::ready).code, 502);
  EXPECT_EQ(gate_reply(Gate::unknown_in_mode, proto::Verb::lhlo, State::fresh).serialize(),
            "500 5.5.2 Command unrecognized\r\n");
  EXPECT_EQ(gate_reply(Gate::unknown_in_mode, proto::Verb::ehlo, State::fresh).code, 500);
}

}  // namespace
}  // namespace claret::smtp::server
