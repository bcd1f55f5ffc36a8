#include "webmail/http/request.hpp"

#include <gtest/gtest.h>

#include "webmail/http/response.hpp"

namespace claret::webmail::http {
namespace {

using State = RequestParser::State;

TEST(RequestParser, SimpleGetWithQuery) {
  RequestParser p;
  ASSERT_EQ(p.feed("GET /api/messages?folder=Sent%20Items&limit=5 HTTP/1.1\r\nHost: x\r\nX-A:  b \r\n\r\n"),
            State::complete);
  Request r = p.take();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/api/messages");
  EXPECT_EQ(r.param("folder").value(), "Sent Items");
  EXPECT_EQ(r.param("limit").value(), "5");
  EXPECT_FALSE(r.param("q"));
  EXPECT_EQ(r.header("x-a").value(), "b");
  EXPECT_TRUE(r.keep_alive);
}

TEST(RequestParser, ByteByByteWithContentLength) {
  RequestParser p;
  std::string wire = "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  for (size_t i = 0; i + 1 < wire.size(); ++i) ASSERT_EQ(p.feed(wire.substr(i, 1)), State::need_more) << i;
  ASSERT_EQ(p.feed(wire.substr(wire.size() - 1)), State::complete);
  EXPECT_EQ(p.take().body, "hello");
}

TEST(RequestParser, ChunkedBody) {
  RequestParser p;
  ASSERT_EQ(p.feed("POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: y\r\n\r\n"),
            State::complete);
  EXPECT_EQ(p.take().body, "hello world");
}

TEST(RequestParser, KeepAlivePipelined) {
  RequestParser p;
  ASSERT_EQ(p.feed("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            State::complete);
  EXPECT_EQ(p.take().path, "/a");
  ASSERT_TRUE(p.has_buffered());
  ASSERT_EQ(p.feed(""), State::complete);
  Request b = p.take();
  EXPECT_EQ(b.path, "/b");
  EXPECT_FALSE(b.keep_alive);
}

// Found by fuzz/webmail_http (fuzz/regressions/webmail_http/empty_lines_lf_then_crlf): the result depended on
// how the bytes were split into reads.
TEST(RequestParser, EmptyLinesBeforeTheRequestLineInAnyOrderAndSplit) {
  const std::string wire = "\n\r\n\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n";
  RequestParser whole;
  ASSERT_EQ(whole.feed(wire), State::complete);
  EXPECT_EQ(whole.take().path, "/x");
  RequestParser bytewise;
  State st = State::need_more;
  for (char c : wire) st = bytewise.feed(std::string(1, c));
  ASSERT_EQ(st, State::complete);
  EXPECT_EQ(bytewise.take().path, "/x");
}

TEST(RequestParser, Http10DefaultsToClose) {
  RequestParser p;
  ASSERT_EQ(p.feed("GET / HTTP/1.0\r\n\r\n"), State::complete);
  EXPECT_FALSE(p.take().keep_alive);
}

struct BadCase {
  std::string wire;
  int status;
};

TEST(RequestParser, ErrorsCarryTheRightStatus) {
  ParserLimits limits;
  limits.max_request_line = 100;
  limits.max_header_bytes = 200;
  limits.max_body_bytes = 10;
  std::vector<BadCase> cases = {
      {"GET /" + std::string(200, 'a') + " HTTP/1.1\r\n", 414},
      {"GET /" + std::string(200, 'a'), 414},
      {"GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(300, 'b') + "\r\n\r\n", 431},
      {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", 413},
      {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n", 413},
      {"GET / HTTP/2.0\r\n\r\n", 505},
      {"GET / HTTP/1.1\r\n\r\n", 400},                       // no Host
      {"GET /\r\n\r\n", 400},                                 // HTTP/0.9
      {"G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"GET nopath HTTP/1.1\r\nHost: x\r\n\r\n", 400},
  };
  for (const auto& c : cases) {
    RequestParser p(limits);
    EXPECT_EQ(p.feed(c.wire), State::error) << c.wire.substr(0, 60);
    EXPECT_EQ(p.error_status(), c.status) << c.wire.substr(0, 60);
    EXPECT_FALSE(p.error_message().empty());
  }
}

TEST(Percent, DecodeAndEncode) {
  EXPECT_EQ(percent_decode("a%2Fb+c", true).value(), "a/b c");
  EXPECT_EQ(percent_decode("a+b", false).value(), "a+b");
  EXPECT_FALSE(percent_decode("%4", true));
  EXPECT_EQ(percent_encode("Sent Items/ä"), "Sent%20Items%2F%C3%A4");
}

TEST(Response, SerializeAndChunks) {
  Response r = Response::error(404, "no such \"folder\"");
  std::string wire = serialize(r, true);
  EXPECT_NE(wire.find("HTTP/1.1 404 Not Found\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Content-Length: "), std::string::npos);
  EXPECT_TRUE(wire.ends_with("\r\n\r\n{\"error\":\"no such \\\"folder\\\"\"}"));
  EXPECT_NE(serialize(r, false).find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(chunk("hello"), "5\r\nhello\r\n");
  EXPECT_EQ(chunk(""), "");
  EXPECT_EQ(last_chunk(), "0\r\n\r\n");
  Response inj;
  inj.set("X", "a\r\nSet-Cookie: evil");
  EXPECT_EQ(serialize(inj, true).find("\r\nSet-Cookie"), std::string::npos);
}

TEST(Response, JsonQuoteRepairsUtf8) {
  EXPECT_EQ(json_quote("ä\x01<"), "\"ä\\u0001\\u003c\"");
  EXPECT_EQ(json_quote("a\xff" "b"), "\"a\xEF\xBF\xBD" "b\"");
  EXPECT_EQ(json_quote("\xC0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace claret::webmail::http
