// Tests for envelope address parsing (RFC 5321 §4.1.2, §4.1.3, §4.5.3.1; RFC 6531 §3.3).
#include "smtp/proto/address.hpp"

#include <gtest/gtest.h>

#include "smtp/proto/reply_codes.hpp"

namespace claret::smtp::proto {
namespace {

struct MailboxCase {
  std::string_view input;
  bool utf8_allowed;
  int expected_error;  // 0 = accepted
};

TEST(Mailbox, Table) {
  const std::string long_local(65, 'a');
  const std::string ok_local(64, 'a');
  const std::string label63(63, 'b');
  const std::string label64(64, 'b');
  std::string long_domain;
  while (long_domain.size() < 256) long_domain += label63 + ".";
  long_domain += "com";
  const std::string s_long_local = long_local + "@example.com";
  const std::string s_ok_local = ok_local + "@example.com";
  const std::string s_label63 = "a@" + label63 + ".com";
  const std::string s_label64 = "a@" + label64 + ".com";
  const std::string s_long_domain = "a@" + long_domain;
  const MailboxCase cases[] = {
      {"user@example.com", false, 0},
      {"first.last@sub.example.co.uk", false, 0},
      {"u!#$%&'*+-/=?^_`{|}~@example.com", false, 0},
      {"\"john doe\"@example.com", false, 0},
      {"\"a\\\"b\"@example.com", false, 0},
      {"\"\"@example.com", false, 0},
      {"\"a@b\"@example.com", false, 0},
      {"user.@example.com", false, 0},    // irregular dots kept verbatim
      {".user@example.com", false, 0},
      {"a..b@example.com", false, 0},
      {"user@[192.0.2.1]", false, 0},
      {"user@[IPv6:2001:db8::1]", false, 0},
      {"user@[IPv6:::ffff:192.0.2.1]", false, 0},
      {"user@[ipv6:2001:DB8::1]", false, 0},
      {"user@[x-tag:abc]", false, 0},
      {"user@localhost", false, 0},
      {"user@123.example", false, 0},
      {"user@xn--bcher-kva.example", false, 0},
      {"\xC3\xBC" "ser@example.com", true, 0},
      {"user@b\xC3\xBC" "cher.example", true, 0},
      {"\"\xC3\xBC\"@example.com", true, 0},
      {s_ok_local, false, 0},
      {s_label63, false, 0},
      // rejected
      {"\xC3\xBC" "ser@example.com", false, 553},
      {"user@b\xC3\xBC" "cher.example", false, 553},
      {"\xC3" "ser@example.com", true, 553},      // broken UTF-8
      {"\xC0\xAF@example.com", true, 553},        // overlong
      {"\xED\xA0\x80@example.com", true, 553},    // surrogate
      {"user", false, 553},
      {"@example.com", false, 553},
      {"user@", false, 553},
      {"user@@example.com", false, 553},
      {"us er@example.com", false, 553},
      {"us(er@example.com", false, 553},
      {"user@example..com", false, 553},
      {"user@example.com.", false, 553},
      {"user@.example.com", false, 553},
      {"user@-example.com", false, 553},
      {"user@example-.com", false, 553},
      {"user@exa_mple.com", false, 553},
      {"user@[192.0.2.256]", false, 553},
      {"user@[192.0.2]", false, 553},
      {"user@[1234.0.2.1]", false, 553},
      {"user@[IPv6:2001:db8:::1]", false, 553},
      {"user@[IPv6:1.2.3.4]", false, 553},
      {"user@[]", false, 553},
      {"user@[192.0.2.1", false, 553},
      {"user@[x-tag:a[b]", false, 553},
      {"\"unterminated@example.com", false, 553},
      {"\"bad\x01\"@example.com", false, 553},
      {"\"tail\\\"@example.com", false, 553},
      {"\"q\"x@example.com", false, 553},
      {s_long_local, false, 553},
      {s_label64, false, 553},
      {s_long_domain, false, 553},
  };
  for (const auto& c : cases) {
    auto r = parse_mailbox(c.input, AddressOptions{c.utf8_allowed});
    if (c.expected_error == 0) {
      EXPECT_TRUE(r.ok()) << c.input << ": " << (r.ok() ? "" : r.error().message);
    } else {
      ASSERT_FALSE(r.ok()) << c.input;
      EXPECT_EQ(r.error().code, c.expected_error) << c.input;
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

TEST(Mailbox, FieldsAndFlags) {
  auto m = parse_mailbox("\"john doe\"@Example.COM").value();
  EXPECT_TRUE(m.quoted);
  EXPECT_EQ(m.local_part, "\"john doe\"");
  EXPECT_EQ(local_part_value(m), "john doe");
  EXPECT_EQ(m.domain.text, "Example.COM");
  EXPECT_EQ(m.domain.kind, HostKind::domain);
  EXPECT_EQ(m.str(), "\"john doe\"@Example.COM");
  EXPECT_EQ(canonical(m), "\"john doe\"@example.com");
  EXPECT_FALSE(m.utf8);
  EXPECT_FALSE(m.irregular_dots);

  auto dots = parse_mailbox("a..b.@example.com").value();
  EXPECT_TRUE(dots.irregular_dots);
  EXPECT_EQ(dots.local_part, "a..b.");

  auto u = parse_mailbox("\xC3\xBC@example.com", AddressOptions{true}).value();
  EXPECT_TRUE(u.utf8);
}

TEST(Mailbox, Canonical) {
  EXPECT_EQ(canonical(parse_mailbox("User@EXAMPLE.com").value()), "User@example.com");
  EXPECT_EQ(canonical(parse_mailbox("\"user.name\"@Example.com").value()), "\"user.name\"@example.com");
  EXPECT_EQ(canonical(parse_mailbox("x@[IPv6:2001:DB8:0:0::1]").value()), "x@[IPv6:2001:db8::1]");
  EXPECT_EQ(canonical(parse_mailbox("x@[010.000.002.001]").value()), "x@[10.0.2.1]");
  EXPECT_EQ(canonical(parse_mailbox("x@[Tag:ABC]").value()), "x@[Tag:ABC]");
}

TEST(Mailbox, NormalizedLocalPart) {
  EXPECT_EQ(normalized_local_part(parse_mailbox("User@x.example").value()), "User");
  EXPECT_EQ(normalized_local_part(parse_mailbox("\"user.name\"@x.example").value()), "user.name");
  EXPECT_EQ(normalized_local_part(parse_mailbox("\"\\u\\s\\e\\r\"@x.example").value()), "user");
  EXPECT_EQ(normalized_local_part(parse_mailbox("\"a\\\"b\"@x.example").value()), "\"a\\\"b\"");
  EXPECT_EQ(normalized_local_part(parse_mailbox("\"a..b\"@x.example").value()), "\"a..b\"");
  EXPECT_EQ(normalized_local_part(parse_mailbox("\"a b\"@x.example").value()), "\"a b\"");
  EXPECT_EQ(normalized_local_part(parse_mailbox("a..b@x.example").value()), "a..b");
}

TEST(Mailbox, PercentAndBang) {
  auto pct = parse_mailbox("user%other.example@relay.example").value();
  EXPECT_TRUE(has_percent_hack(pct));
  EXPECT_FALSE(has_bang_path(pct));
  EXPECT_EQ(pct.local_part, "user%other.example");
  auto bang = parse_mailbox("host!user@relay.example").value();
  EXPECT_TRUE(has_bang_path(bang));
  EXPECT_FALSE(has_percent_hack(bang));
  EXPECT_TRUE(has_percent_hack(parse_mailbox("\"a%b\"@x.example").value()));
  auto plain = parse_mailbox("user@example.com").value();
  EXPECT_FALSE(has_percent_hack(plain));
  EXPECT_FALSE(has_bang_path(plain));
}

TEST(Host, Kinds) {
  EXPECT_EQ(parse_host("mx.example.com")->kind, HostKind::domain);
  EXPECT_EQ(parse_host("[192.0.2.1]")->kind, HostKind::ipv4_literal);
  EXPECT_EQ(parse_host("[IPv6:::1]")->kind, HostKind::ipv6_literal);
  EXPECT_EQ(parse_host("[tag:x]")->kind, HostKind::general_literal);
  EXPECT_FALSE(parse_host("").ok());
  EXPECT_FALSE(parse_host("[").ok());
  EXPECT_FALSE(parse_host("[]").ok());
  EXPECT_FALSE(parse_host("a b").ok());
  EXPECT_FALSE(parse_host("[IPv6:fe80::1%eth0]").ok());
}

struct PathCase {
  std::string_view input;
  PathKind kind;
  int expected_error;
};

TEST(Path, Table) {
  const std::string local(64, 'a');
  std::string domain;
  for (int i = 0; i < 4; ++i) domain += std::string(60, 'd') + ".";
  domain += "com";  // 247 octets
  const std::string too_long = "<" + std::string(10, 'a') + "@" + domain + ">";  // 259 octets
  const PathCase cases[] = {
      {"<user@example.com>", PathKind::reverse, 0},
      {"<user@example.com>", PathKind::forward, 0},
      {"<>", PathKind::reverse, 0},
      {"<Postmaster>", PathKind::forward, 0},
      {"<postMASTER>", PathKind::forward, 0},
      {"<@a.example,@b.example:user@c.example>", PathKind::forward, 0},
      {"<@a.example:user@c.example>", PathKind::reverse, 0},
      {"<\"a>b\"@example.com>", PathKind::forward, 0},
      {"<>", PathKind::forward, 553},
      {"<Postmaster>", PathKind::reverse, 553},
      {"<user>", PathKind::forward, 553},
      {"<@a.example user@c.example>", PathKind::forward, 553},
      {"<@a.example,b.example:user@c.example>", PathKind::forward, 553},
      {"<@:user@c.example>", PathKind::forward, 553},
      {"<@a..example:user@c.example>", PathKind::forward, 553},
      {"user@example.com", PathKind::forward, 501},
      {"<user@example.com", PathKind::forward, 501},
      {"<user@example.com>x", PathKind::forward, 501},
      {"", PathKind::forward, 501},
      {too_long, PathKind::forward, 501},
  };
  for (const auto& c : cases) {
    auto r = parse_path(c.input, c.kind);
    if (c.expected_error == 0) {
      EXPECT_TRUE(r.ok()) << c.input << ": " << (r.ok() ? "" : r.error().message);
    } else {
      ASSERT_FALSE(r.ok()) << c.input;
      EXPECT_EQ(r.error().code, c.expected_error) << c.input << ": " << r.error().message;
    }
  }
}

TEST(Path, Fields) {
  auto null = parse_path("<>", PathKind::reverse).value();
  EXPECT_TRUE(null.null);

  auto pm = parse_path("<Postmaster>", PathKind::forward).value();
  EXPECT_TRUE(pm.postmaster);
  EXPECT_EQ(pm.mailbox.local_part, "Postmaster");
  EXPECT_TRUE(pm.mailbox.domain.text.empty());
  EXPECT_EQ(canonical(pm.mailbox), "Postmaster");

  auto pm_domain = parse_path("<Postmaster@example.com>", PathKind::forward).value();
  EXPECT_FALSE(pm_domain.postmaster);
  EXPECT_EQ(pm_domain.mailbox.domain.text, "example.com");

  auto routed = parse_path("<@a.example,@b.example:user@c.example>", PathKind::forward).value();
  ASSERT_EQ(routed.source_route.size(), 2u);
  EXPECT_EQ(routed.source_route[0], "a.example");
  EXPECT_EQ(routed.source_route[1], "b.example");
  EXPECT_EQ(routed.mailbox.str(), "user@c.example");

  auto q = parse_path("<\"a>b\"@example.com>", PathKind::forward).value();
  EXPECT_EQ(local_part_value(q.mailbox), "a>b");
}

TEST(Path, LengthBoundary) {
  // Exactly 256 octets including the brackets is allowed; 257 is not.
  std::string domain = std::string(60, 'd') + "." + std::string(60, 'd') + "." + std::string(60, 'd') + "." +
                       std::string(60, 'd');  // 243
  std::string local(256 - 2 - 1 - domain.size(), 'a');  // 10
  std::string path = "<" + local + "@" + domain + ">";
  ASSERT_EQ(path.size(), 256u);
  EXPECT_TRUE(parse_path(path, PathKind::forward).ok());
  std::string longer = "<a" + local + "@" + domain + ">";
  auto r = parse_path(longer, PathKind::forward);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, code::kParamSyntaxError);
}

TEST(Path, Extent) {
  EXPECT_EQ(path_extent("<a@b> SIZE=1"), 5u);
  EXPECT_EQ(path_extent("<\"x>\"@b>"), 8u);
  EXPECT_EQ(path_extent("<\"x\\\">\"@b>"), 10u);
  EXPECT_EQ(path_extent("<a@b"), 0u);
  EXPECT_EQ(path_extent("a@b>"), 0u);
  EXPECT_EQ(path_extent(""), 0u);
  EXPECT_EQ(path_extent("<\"\\"), 0u);
}

}  // namespace
}  // namespace claret::smtp::proto
