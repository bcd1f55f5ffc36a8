// Tests for the error responses of framing and argument errors (RFC 9051 §7.1).
#include "imap/proto/error_response.hpp"

#include <gtest/gtest.h>

#include "imap/proto/command.hpp"

namespace claret::imap::proto {
namespace {

TEST(ErrorResponse, ReceiverErrors) {
  Receiver r;
  r.feed("a1 APPEND x {5000+}\r\n");
  Event ev = r.next();
  ASSERT_EQ(ev.kind, Event::Kind::error);
  EXPECT_EQ(receive_error_response(ev.error), "a1 BAD [TOOBIG] Literal too big\r\n");
  EXPECT_EQ(receive_error_response(ReceiveError{ReceiveErrorKind::syntax, "", "Invalid tag", false}),
            "* BAD Invalid tag\r\n");
  EXPECT_EQ(receive_error_response(ReceiveError{ReceiveErrorKind::too_deep, "x", "Too deeply nested", false}),
            "x BAD [LIMIT] Too deeply nested\r\n");
  EXPECT_EQ(literal_refused_response(LiteralRequest{"a2", "APPEND", 1u << 30, false, false}),
            "a2 NO [TOOBIG] Literal too big\r\n");
}

TEST(ErrorResponse, ParseErrors) {
  auto bad = parse_command(RawCommand{"t", "SEARCH", "CHARSET KOI8-R ALL"}, ParseOptions{});
  ASSERT_FALSE(bad);
  EXPECT_EQ(parse_error_response("t", bad.error()), "t NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset\r\n");
  auto syntax = parse_command(RawCommand{"t", "FETCH", "1"}, ParseOptions{});
  ASSERT_FALSE(syntax);
  EXPECT_EQ(parse_error_response("t", syntax.error()), "t BAD Expected SP\r\n");
  ParseOptions small;
  small.limits.max_sequence_ranges = 2;
  auto limit = parse_command(RawCommand{"t", "FETCH", "1,2,3 FLAGS"}, small);
  ASSERT_FALSE(limit);
  EXPECT_EQ(parse_error_response("t", limit.error()), "t BAD [LIMIT] Too many ranges in sequence set\r\n");
  auto unknown = parse_command(RawCommand{"t", "FROB", ""}, ParseOptions{});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(parse_error_response("t", unknown.error()), "t BAD Unknown command\r\n");
}

}  // namespace
}  // namespace claret::imap::proto
