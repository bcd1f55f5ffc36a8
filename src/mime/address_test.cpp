// Tests for RFC 5322 §3.4 address-list parsing (groups, comments, quoting, obsolete routes, encoded names).
#include "mime/address.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

// Renders a parsed list compactly: mailbox "name|local|domain|route", groups "group:name{" and "}".
std::string render(std::string_view value) {
  std::string out;
  for (const auto& a : parse_address_list(value)) {
    if (!out.empty()) out += ' ';
    switch (a.kind) {
      case Address::Kind::kGroupStart: out += "group:" + a.name + "{"; break;
      case Address::Kind::kGroupEnd: out += "}"; break;
      case Address::Kind::kMailbox:
        out += "[" + a.name + "|" + a.local_part + "|" + a.domain + (a.route.empty() ? "" : "|" + a.route) + "]";
        break;
    }
  }
  return out;
}

TEST(Address, Table) {
  struct Case {
    std::string_view in, out;
  };
  const Case cases[] = {
      {"john@example.com", "[|john|example.com]"},
      {"John Doe <jdoe@machine.example>", "[John Doe|jdoe|machine.example]"},
      {"\"Joe Q. Public\" <john.q.public@example.com>", "[Joe Q. Public|john.q.public|example.com]"},
      {"Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
       "[Mary Smith|mary|x.test] [|jdoe|example.org] [Who?|one|y.test]"},
      {"<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
       "[|boss|nil.test] [Giant; \"Big\" Box|sysservices|example.net]"},
      // RFC 5322 Appendix A.1.3: groups.
      {"A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
       "group:A Group{ [Ed Jones|c|a.test] [|joe|where.test] [John|jdoe|one.test] }"},
      {"Undisclosed recipients:;", "group:Undisclosed recipients{ }"},
      // Appendix A.5: comments and white space.
      {"Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", "[Pete|pete|silly.test]"},
      {"A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n joe@example.org,\r\n"
       " John <jdoe@one.test> (my dear friend); (the end of the group)",
       "group:A Group{ [Chris Jones|c|public.example] [|joe|example.org] [John|jdoe|one.test] }"},
      // Appendix A.6.1 obsolete forms: routes, phrases with dots.
      {"Joe Q. Public <@node.test,@mx.test:john.q.public@example.com>",
       "[Joe Q. Public|john.q.public|example.com|@node.test,@mx.test]"},
      {"\"john doe\"@example.com", "[|\"john doe\"|example.com]"},
      {"=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "[Andr\xC3\xA9 Pirard|PIRARD|vm1.ulg.ac.be]"},
      {"\"=?utf-8?Q?caf=C3=A9?=\" <c@x>", "[caf\xC3\xA9|c|x]"},
      {"user@[192.0.2.1]", "[|user|[192.0.2.1]]"},
      // Broken input, best effort.
      {"Whomever", "[|Whomever|]"},
      {"<>", ""},
      {"", ""},
      {",,,", ""},
      {"Broken <unterminated@x", "[Broken|unterminated|x]"},
      {"a@b <c@d>", "[a@b|c|d]"},
      {"Group: a@b", "group:Group{ [|a|b] }"},
      {"\"unterminated quote <x@y>", "[|\"unterminated quote <x@y>|]"},  // the quote runs to the end
  };
  for (const auto& c : cases) EXPECT_EQ(render(c.in), c.out) << c.in;
}

TEST(Address, RawNameAndAddrSpec) {
  const auto list = parse_address_list("=?utf-8?B?w6k=?= <X@Example.COM>");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].raw_name, "=?utf-8?B?w6k=?=");
  EXPECT_EQ(list[0].name, "\xC3\xA9");
  EXPECT_EQ(list[0].addr_spec(), "X@Example.COM");
  const auto flat = parse_mailboxes("G: a@b, c@d;, e@f");
  ASSERT_EQ(flat.size(), 3u);
  EXPECT_EQ(flat[2].addr_spec(), "e@f");
}

}  // namespace
}  // namespace claret::mime
