// route_domain tests on MockResolver: preference order, shuffling among equals, implicit MX, null MX,
// temporary vs permanent failures.
#include "dns/route.hpp"

#include <gtest/gtest.h>

#include <set>

#include "dns/mock_resolver.hpp"

namespace claret::dns {
namespace {

TEST(Route, OrdersByPreference) {
  MockResolver r;
  r.add_mx("example.test", 20, "b.example.test");
  r.add_mx("example.test", 10, "a.example.test");
  r.add_a("a.example.test", "192.0.2.1");
  r.add_a("b.example.test", "192.0.2.2");
  r.add_aaaa("b.example.test", "2001:db8::2");
  std::mt19937 rng(1);
  auto hosts = route_domain(r, "Example.TEST", rng);
  ASSERT_TRUE(hosts.ok()) << hosts.error().message;
  ASSERT_EQ(hosts->size(), 2u);
  EXPECT_EQ(hosts->at(0).host, "a.example.test");
  EXPECT_EQ(hosts->at(1).addresses, (std::vector<std::string>{"2001:db8::2", "192.0.2.2"}));
}

TEST(Route, ShufflesEqualPreferences) {
  MockResolver r;
  for (const char* h : {"a.t", "b.t", "c.t"}) {
    r.add_mx("eq.test", 10, h);
    r.add_a(h, "192.0.2.9");
  }
  std::set<std::string> firsts;
  std::mt19937 rng(7);
  for (int i = 0; i < 60; ++i) firsts.insert(route_domain(r, "eq.test", rng)->front().host);
  EXPECT_EQ(firsts.size(), 3u);
}

TEST(Route, ImplicitMxWithoutMxRecords) {
  MockResolver r;
  r.add_a("plain.test", "192.0.2.3");
  std::mt19937 rng(1);
  auto hosts = route_domain(r, "plain.test", rng);
  ASSERT_TRUE(hosts.ok());
  ASSERT_EQ(hosts->size(), 1u);
  EXPECT_EQ(hosts->front().host, "plain.test");
  EXPECT_EQ(hosts->front().addresses, std::vector<std::string>{"192.0.2.3"});
}

TEST(Route, NullMxIsItsOwnPermanentFailure) {
  MockResolver r;
  r.add_mx("nomail.test", 0, "");
  r.add_a("nomail.test", "192.0.2.4");  // RFC 7505 §4: addresses must not be used as an implicit MX
  std::mt19937 rng(1);
  auto hosts = route_domain(r, "nomail.test", rng);
  ASSERT_FALSE(hosts.ok());
  EXPECT_TRUE(is(hosts.error(), RouteErrc::null_mx));
}

TEST(Route, NxdomainIsPermanentTimeoutTemporary) {
  MockResolver r;
  r.fail("down.test", DnsErrc::temporary);
  std::mt19937 rng(1);
  auto nx = route_domain(r, "missing.test", rng);
  ASSERT_FALSE(nx.ok());
  EXPECT_TRUE(is(nx.error(), RouteErrc::permanent));
  auto tmp = route_domain(r, "down.test", rng);
  ASSERT_FALSE(tmp.ok());
  EXPECT_TRUE(is(tmp.error(), RouteErrc::temporary));
}

TEST(Route, MxHostsWithoutAddresses) {
  MockResolver r;
  r.add_mx("x.test", 10, "gone.x.test");
  std::mt19937 rng(1);
  auto none = route_domain(r, "x.test", rng);
  ASSERT_FALSE(none.ok());
  EXPECT_TRUE(is(none.error(), RouteErrc::permanent));
  // One host temporarily unresolvable, the other usable: use the usable one.
  r.add_mx("x.test", 20, "ok.x.test");
  r.add_a("ok.x.test", "192.0.2.5");
  r.fail("gone.x.test", DnsErrc::temporary);
  auto some = route_domain(r, "x.test", rng);
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->size(), 1u);
  // Only the temporary one left: temporary.
  MockResolver t;
  t.add_mx("y.test", 10, "h.y.test");
  t.fail("h.y.test", DnsErrc::temporary);
  auto tmp = route_domain(t, "y.test", rng);
  ASSERT_FALSE(tmp.ok());
  EXPECT_TRUE(is(tmp.error(), RouteErrc::temporary));
}

}  // namespace
}  // namespace claret::dns
