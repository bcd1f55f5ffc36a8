// Tests of recipient classification: local domains, relaying, and the classic open-relay tricks (RFC 2505 §2.6,
// RFC 1123 §5.2.16, RFC 5321 Appendix C).
#include "smtp/server/recipient_policy.hpp"

#include <gtest/gtest.h>

#include "smtp/proto/command.hpp"

namespace claret::smtp::server {
namespace {

const std::vector<std::string> kLocal{"example.test", "other.test"};

RouteDecision classify(std::string_view rcpt_line, bool utf8 = false) {
  auto cmd = proto::parse_command(rcpt_line, proto::CommandOptions{utf8});
  EXPECT_TRUE(cmd.ok()) << rcpt_line << ": " << (cmd.ok() ? "" : cmd.error().message);
  if (!cmd) return {};
  return classify_recipient(std::get<proto::RcptArgs>(cmd->args).forward_path, kLocal, "example.test");
}

TEST(RecipientPolicy, LocalDomainsCaseInsensitive) {
  auto d = classify("RCPT TO:<alice@Example.TEST>");
  EXPECT_EQ(d.kind, RouteKind::local);
  EXPECT_EQ(d.address, "alice@example.test");
  EXPECT_EQ(classify("RCPT TO:<bob+tag@other.test>").kind, RouteKind::local);
}

TEST(RecipientPolicy, QuotedLocalPartEquivalentToDotString) {
  auto d = classify("RCPT TO:<\"alice\"@example.test>");
  EXPECT_EQ(d.kind, RouteKind::local);
  EXPECT_EQ(d.address, "alice@example.test");
}

TEST(RecipientPolicy, PostmasterWithoutDomain) {
  auto d = classify("RCPT TO:<Postmaster>");
  EXPECT_EQ(d.kind, RouteKind::local);
  EXPECT_EQ(d.address, "postmaster@example.test");
}

TEST(RecipientPolicy, RemoteDomainsAndLiteralsAreRelaying) {
  EXPECT_EQ(classify("RCPT TO:<victim@remote.test>").kind, RouteKind::remote);
  EXPECT_EQ(classify("RCPT TO:<victim@example.test.evil.test>").kind, RouteKind::remote);
  EXPECT_EQ(classify("RCPT TO:<victim@[192.0.2.1]>").kind, RouteKind::remote);
  EXPECT_EQ(classify("RCPT TO:<victim@[IPv6:2001:db8::1]>").kind, RouteKind::remote);
}

TEST(RecipientPolicy, RelayTricksThroughLocalDomains) {
  EXPECT_EQ(classify("RCPT TO:<victim%remote.test@example.test>").kind, RouteKind::relay_trick);
  EXPECT_EQ(classify("RCPT TO:<remote.test!victim@example.test>").kind, RouteKind::relay_trick);
  EXPECT_EQ(classify("RCPT TO:<\"victim@remote.test\"@example.test>").kind, RouteKind::relay_trick);
  EXPECT_EQ(classify("RCPT TO:<\"victim%remote.test\"@example.test>").kind, RouteKind::relay_trick);
  EXPECT_EQ(classify("RCPT TO:<@example.test:victim@remote.test>").kind, RouteKind::relay_trick);
  EXPECT_EQ(classify("RCPT TO:<@remote.test,@x.test:alice@example.test>").kind, RouteKind::relay_trick);
}

TEST(RecipientPolicy, Utf8Addresses) {
  auto d = classify("RCPT TO:<jösé@example.test>", true);
  EXPECT_EQ(d.kind, RouteKind::local);
  EXPECT_EQ(d.address, "jösé@example.test");
}

}  // namespace
}  // namespace claret::smtp::server
