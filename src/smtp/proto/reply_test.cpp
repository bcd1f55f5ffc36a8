// Tests for the SMTP reply serialiser (RFC 5321 §4.2.1, RFC 2034 §4).
#include "smtp/proto/reply.hpp"

#include <gtest/gtest.h>

#include "smtp/proto/reply_codes.hpp"

namespace claret::smtp::proto {
namespace {

TEST(Reply, SingleLineWithEnhancedCode) {
  EXPECT_EQ(make_reply(code::kOk, enhanced::kOk, "OK").serialize(), "250 2.0.0 OK\r\n");
}

TEST(Reply, MultiLineRepeatsEnhancedCodeOnEveryLine) {
  Reply r{code::kMailboxUnavailable, std::string(enhanced::kRelayDenied), {"first", "second", "third"}};
  EXPECT_EQ(r.serialize(), "550-5.7.1 first\r\n550-5.7.1 second\r\n550 5.7.1 third\r\n");
}

TEST(Reply, NoEnhancedCode) {
  Reply r{code::kServiceReady, "", {"mx.example.com ESMTP"}};
  EXPECT_EQ(r.serialize(), "220 mx.example.com ESMTP\r\n");
}

TEST(Reply, NoLinesGivesBareCode) {
  EXPECT_EQ((Reply{code::kAuthChallenge, "", {}}).serialize(), "334 \r\n");
  EXPECT_EQ((Reply{code::kOk, "2.0.0", {}}).serialize(), "250 2.0.0\r\n");
}

TEST(Reply, EmptyTextLineWithEnhanced) {
  EXPECT_EQ((Reply{code::kOk, "2.0.0", {""}}).serialize(), "250 2.0.0\r\n");
}

TEST(Reply, ControlCharactersCannotInjectLines) {
  Reply r = make_reply(code::kMailboxUnavailable, enhanced::kNoSuchUser, "no\r\n250 OK\x01");
  EXPECT_EQ(r.serialize(), "550 5.1.1 no  250 OK \r\n");
}

TEST(Reply, KeepsUtf8AndTabs) {
  Reply r = make_reply(code::kOk, enhanced::kOk, "caf\xC3\xA9\tok");
  EXPECT_EQ(r.serialize(), "250 2.0.0 caf\xC3\xA9\tok\r\n");
}

TEST(Reply, InvalidCodeIsClamped) {
  EXPECT_EQ(make_reply(42, "", "x").serialize(), "451 x\r\n");
}

}  // namespace
}  // namespace claret::smtp::proto
