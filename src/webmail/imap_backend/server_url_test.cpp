#include "webmail/imap_backend/server_url.hpp"

#include <gtest/gtest.h>

namespace claret::webmail {
namespace {

TEST(WebmailServerUrl, SchemesAndPorts) {
  auto a = parse_server_url("imaps://mail.example.test", "imap");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "mail.example.test");
  EXPECT_EQ(a->port, 993);
  EXPECT_TRUE(a->implicit_tls);
  auto b = parse_server_url("imap://127.0.0.1:1143/", "imap");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port, 1143);
  EXPECT_FALSE(b->implicit_tls);
  auto c = parse_server_url("submissions://[::1]:4650", "submission");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 4650);
  EXPECT_TRUE(c->implicit_tls);
  auto d = parse_server_url("submission://mx", "submission");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->port, 587);
}

TEST(WebmailServerUrl, Rejects) {
  for (const char* u : {"", "mail.example.test", "http://x", "imaps://", "imaps://x:", "imaps://x:0", "imaps://x:70000",
                        "imaps://user@x", "imaps://x/INBOX", "imaps://[::1", "submissions://x"}) {
    auto r = parse_server_url(u, "imap");
    EXPECT_FALSE(r.ok()) << u;
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("bad imap URL"), std::string::npos);
    }
  }
  EXPECT_FALSE(parse_server_url("imaps://x", "submission").ok());
}

}  // namespace
}  // namespace claret::webmail
