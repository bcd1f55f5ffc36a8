// Tests for MAIL/RCPT parameters (RFC 1870, 6152, 3030, 6531, 3461, 4954 §5).
#include "smtp/proto/mail_params.hpp"

#include <gtest/gtest.h>

namespace claret::smtp::proto {
namespace {

struct ParamCase {
  std::string_view input;
  int expected_error;  // 0 = accepted
};

TEST(MailParams, Table) {
  const std::string envid_100(100, 'e');
  const std::string envid_101(101, 'e');
  const std::string s_envid_100 = "ENVID=" + envid_100;
  const std::string s_envid_101 = "ENVID=" + envid_101;
  const ParamCase cases[] = {
      {"", 0},
      {"SIZE=0", 0},
      {"SIZE=12345", 0},
      {"size=18446744073709551615", 0},
      {"BODY=7BIT", 0},
      {"BODY=8bitmime", 0},
      {"BODY=BINARYMIME", 0},
      {"SMTPUTF8", 0},
      {"RET=FULL", 0},
      {"ret=hdrs", 0},
      {"ENVID=QQ314159", 0},
      {"ENVID=a+2Bb", 0},
      {s_envid_100, 0},
      {"AUTH=<>", 0},
      {"AUTH=e+3Dmc2@example.com", 0},
      {"SIZE=1 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=x AUTH=<>", 0},
      {"SIZE=1   BODY=8BITMIME", 0},
      // bad values
      {"SIZE", 501},
      {"SIZE=", 501},
      {"SIZE=abc", 501},
      {"SIZE=-1", 501},
      {"SIZE=18446744073709551616", 501},
      {"BODY=9BIT", 501},
      {"BODY", 501},
      {"SMTPUTF8=yes", 501},
      {"RET=ALL", 501},
      {"ENVID=a+2", 501},
      {"ENVID=+00", 501},
      {s_envid_101, 501},
      {"AUTH=notamailbox", 501},
      {"AUTH=a+2", 501},
      {"=x", 501},
      {"-SIZE=1", 501},
      {"SI_ZE=1", 501},
      {"SIZE=1=2", 501},
      {"SIZE=\x01", 501},
      // duplicates
      {"SIZE=1 SIZE=2", 501},
      {"SMTPUTF8 smtputf8", 501},
      {"BODY=7BIT body=8BITMIME", 501},
      // unknown
      {"FOO=bar", 555},
      {"NOTIFY=NEVER", 555},
      {"SIZE=1 X-THING", 555},
  };
  for (const auto& c : cases) {
    auto r = parse_mail_params(c.input);
    if (c.expected_error == 0) {
      EXPECT_TRUE(r.ok()) << c.input << ": " << (r.ok() ? "" : r.error().message);
    } else {
      ASSERT_FALSE(r.ok()) << c.input;
      EXPECT_EQ(r.error().code, c.expected_error) << c.input << ": " << r.error().message;
    }
  }
}

TEST(MailParams, Values) {
  auto p = parse_mail_params("SIZE=1000 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=id+2B1 AUTH=e+3Dmc2@example.com").value();
  EXPECT_EQ(p.size, 1000u);
  EXPECT_EQ(p.body, BodyType::eight_bit_mime);
  EXPECT_TRUE(p.smtputf8);
  EXPECT_EQ(p.ret, DsnReturn::headers);
  EXPECT_EQ(p.envid, "id+1");
  EXPECT_EQ(p.auth, "e=mc2@example.com");

  auto none = parse_mail_params("").value();
  EXPECT_FALSE(none.size.has_value());
  EXPECT_EQ(none.body, BodyType::unspecified);
  EXPECT_FALSE(none.smtputf8);
  EXPECT_EQ(none.ret, DsnReturn::unspecified);
  EXPECT_FALSE(none.envid.has_value());
  EXPECT_FALSE(none.auth.has_value());

  EXPECT_EQ(parse_mail_params("BODY=7BIT")->body, BodyType::seven_bit);
  EXPECT_EQ(parse_mail_params("BODY=BINARYMIME")->body, BodyType::binary_mime);
  EXPECT_EQ(parse_mail_params("RET=FULL")->ret, DsnReturn::full);
  EXPECT_EQ(parse_mail_params("AUTH=<>")->auth, "<>");
}

TEST(RcptParams, Table) {
  const std::string orcpt_long = "ORCPT=rfc822;" + std::string(500, 'a');
  const ParamCase cases[] = {
      {"", 0},
      {"NOTIFY=NEVER", 0},
      {"NOTIFY=SUCCESS", 0},
      {"NOTIFY=SUCCESS,FAILURE,DELAY", 0},
      {"notify=delay,failure", 0},
      {"ORCPT=rfc822;user@example.com", 0},
      {"ORCPT=rfc822;user+2Btag@example.com NOTIFY=FAILURE", 0},
      {"NOTIFY", 501},
      {"NOTIFY=", 501},
      {"NOTIFY=NEVER,SUCCESS", 501},
      {"NOTIFY=SUCCESS,SUCCESS", 501},
      {"NOTIFY=SOMETIMES", 501},
      {"NOTIFY=SUCCESS,", 501},
      {"ORCPT=user@example.com", 501},
      {"ORCPT=;user@example.com", 501},
      {"ORCPT=rfc822;", 501},
      {"ORCPT=rfc822;a+zz", 501},
      {"ORCPT=rf(c;a", 501},
      {orcpt_long, 501},
      {"NOTIFY=NEVER NOTIFY=NEVER", 501},
      {"SIZE=10", 555},
      {"XFOO", 555},
  };
  for (const auto& c : cases) {
    auto r = parse_rcpt_params(c.input);
    if (c.expected_error == 0) {
      EXPECT_TRUE(r.ok()) << c.input << ": " << (r.ok() ? "" : r.error().message);
    } else {
      ASSERT_FALSE(r.ok()) << c.input;
      EXPECT_EQ(r.error().code, c.expected_error) << c.input << ": " << r.error().message;
    }
  }
}

TEST(RcptParams, Values) {
  auto p = parse_rcpt_params("NOTIFY=SUCCESS,DELAY ORCPT=rfc822;user+2Btag@example.com").value();
  ASSERT_TRUE(p.notify.has_value());
  EXPECT_TRUE(p.notify->success);
  EXPECT_TRUE(p.notify->delay);
  EXPECT_FALSE(p.notify->failure);
  EXPECT_FALSE(p.notify->never);
  ASSERT_TRUE(p.orcpt.has_value());
  EXPECT_EQ(p.orcpt->addr_type, "rfc822");
  EXPECT_EQ(p.orcpt->address, "user+tag@example.com");
  EXPECT_TRUE(parse_rcpt_params("NOTIFY=NEVER")->notify->never);
}

TEST(EsmtpParams, Split) {
  auto p = split_esmtp_params(" A=1  B C-D=x\xC3\xA9 ").value();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].keyword, "A");
  EXPECT_EQ(p[0].value, "1");
  EXPECT_EQ(p[1].keyword, "B");
  EXPECT_FALSE(p[1].value.has_value());
  EXPECT_EQ(p[2].value, "x\xC3\xA9");
  EXPECT_FALSE(split_esmtp_params("A=x\xC3").ok());
}

}  // namespace
}  // namespace claret::smtp::proto
