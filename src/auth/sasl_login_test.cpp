// Tests for the LOGIN mechanism (draft-murchison-sasl-login).
#include "auth/sasl_login.hpp"

#include <gtest/gtest.h>

#include "auth/test_accounts.hpp"

namespace claret::auth {
namespace {

using namespace std::string_literals;

class LoginTest : public ::testing::Test {
 protected:
  void SetUp() override { accounts_.add("alice", "wonderland"); }
  testing::TestAccounts accounts_;
};

TEST_F(LoginTest, FullExchange) {
  LoginMechanism m(accounts_.lookup());
  SaslStep a = m.start();
  ASSERT_EQ(a.kind, SaslStepKind::challenge);
  EXPECT_EQ(a.data, "Username:");
  SaslStep b = m.step("alice");
  ASSERT_EQ(b.kind, SaslStepKind::challenge);
  EXPECT_EQ(b.data, "Password:");
  SaslStep c = m.step("wonderland");
  ASSERT_EQ(c.kind, SaslStepKind::success) << c.detail;
  EXPECT_EQ(c.authcid, "alice");
  EXPECT_EQ(c.authzid, "alice");
  EXPECT_EQ(m.step("again").kind, SaslStepKind::failure);
}

TEST_F(LoginTest, InitialResponseIsTheUsername) {
  LoginMechanism m(accounts_.lookup());
  SaslStep b = m.step("alice");
  ASSERT_EQ(b.kind, SaslStepKind::challenge);
  EXPECT_EQ(b.data, "Password:");
  EXPECT_EQ(m.step("wonderland").kind, SaslStepKind::success);
}

TEST_F(LoginTest, WrongPasswordAndUnknownUserLookAlike) {
  LoginMechanism wrong(accounts_.lookup());
  ASSERT_EQ(wrong.step("alice").kind, SaslStepKind::challenge);
  SaslStep w = wrong.step("wonderlanD");
  LoginMechanism unknown(accounts_.lookup());
  SaslStep u0 = unknown.step("mallory");
  ASSERT_EQ(u0.kind, SaslStepKind::challenge);
  EXPECT_EQ(u0.data, "Password:");  // the username is not checked before the password
  SaslStep u = unknown.step("wonderland");
  EXPECT_EQ(w.kind, SaslStepKind::failure);
  EXPECT_EQ(u.kind, SaslStepKind::failure);
  EXPECT_EQ(w.reason, kAuthFailed);
  EXPECT_EQ(u.reason, kAuthFailed);
  EXPECT_EQ(w.detail, u.detail);
}

TEST_F(LoginTest, MalformedUsername) {
  for (const std::string& user : {""s, "al\0ice"s, std::string(kMaxIdentityLength + 1, 'a'), "\xC3"s}) {
    LoginMechanism m(accounts_.lookup());
    SaslStep s = m.step(user);
    EXPECT_EQ(s.kind, SaslStepKind::failure);
    EXPECT_EQ(s.reason, kMalformed);
    EXPECT_EQ(m.step("wonderland").kind, SaslStepKind::failure);
  }
  EXPECT_EQ(*accounts_.lookups, 0);
}

TEST_F(LoginTest, MalformedPassword) {
  for (const std::string& pw : {""s, std::string(kMaxPasswordLength + 1, 'p')}) {
    LoginMechanism m(accounts_.lookup());
    ASSERT_EQ(m.step("alice").kind, SaslStepKind::challenge);
    SaslStep s = m.step(pw);
    EXPECT_EQ(s.kind, SaslStepKind::failure);
    EXPECT_EQ(s.reason, kMalformed);
  }
}

TEST_F(LoginTest, StartOnlyAtTheBeginning) {
  LoginMechanism m(accounts_.lookup());
  ASSERT_EQ(m.step("alice").kind, SaslStepKind::challenge);
  EXPECT_EQ(m.start().kind, SaslStepKind::failure);
  EXPECT_EQ(m.step("wonderland").kind, SaslStepKind::failure);
}

}  // namespace
}  // namespace claret::auth
