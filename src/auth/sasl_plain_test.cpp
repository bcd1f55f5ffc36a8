// Tests for the PLAIN mechanism (RFC 4616).
#include "auth/sasl_plain.hpp"

#include <gtest/gtest.h>

#include "auth/test_accounts.hpp"

namespace claret::auth {
namespace {

using namespace std::string_literals;

class PlainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    accounts_.add("alice", "wonderland");
    accounts_.add("bob", "p\xC3\xA4ss w\xC3\xB6rd");
    accounts_.accounts["nohash"] = Credentials{};
  }
  SaslStep run(const std::string& message) {
    PlainMechanism m(accounts_.lookup());
    return m.step(message);
  }
  testing::TestAccounts accounts_;
};

TEST_F(PlainTest, Success) {
  SaslStep s = run("\0alice\0wonderland"s);
  ASSERT_EQ(s.kind, SaslStepKind::success) << s.detail;
  EXPECT_EQ(s.authcid, "alice");
  EXPECT_EQ(s.authzid, "alice");
  EXPECT_TRUE(s.data.empty());
  EXPECT_EQ(run("\0bob\0p\xC3\xA4ss w\xC3\xB6rd"s).kind, SaslStepKind::success);
}

TEST_F(PlainTest, SameAuthzidAccepted) {
  SaslStep s = run("alice\0alice\0wonderland"s);
  ASSERT_EQ(s.kind, SaslStepKind::success);
  EXPECT_EQ(s.authzid, "alice");
}

TEST_F(PlainTest, OtherAuthzidRefused) {
  SaslStep s = run("bob\0alice\0wonderland"s);
  EXPECT_EQ(s.kind, SaslStepKind::failure);
  EXPECT_EQ(s.reason, kAuthFailed);
}

TEST_F(PlainTest, StartSendsEmptyChallenge) {
  PlainMechanism m(accounts_.lookup());
  SaslStep c = m.start();
  EXPECT_EQ(c.kind, SaslStepKind::challenge);
  EXPECT_TRUE(c.data.empty());
  EXPECT_EQ(m.step("\0alice\0wonderland"s).kind, SaslStepKind::success);
}

TEST_F(PlainTest, WrongPasswordAndUnknownUserLookAlike) {
  SaslStep wrong = run("\0alice\0wonderlan"s);
  SaslStep unknown = run("\0mallory\0wonderland"s);
  SaslStep no_hash = run("\0nohash\0anything"s);
  for (const SaslStep* s : {&wrong, &unknown, &no_hash}) {
    EXPECT_EQ(s->kind, SaslStepKind::failure);
    EXPECT_EQ(s->reason, kAuthFailed);
    EXPECT_TRUE(s->data.empty());
    EXPECT_TRUE(s->authcid.empty());
  }
  EXPECT_EQ(wrong.detail, unknown.detail);
  EXPECT_EQ(*accounts_.lookups, 3);
}

TEST_F(PlainTest, MalformedMessages) {
  std::vector<std::string> bad = {
      "",
      "alice",
      "\0alice"s,
      "\0alice\0"s,                      // empty password
      "\0\0wonderland"s,                 // empty authcid
      "\0alice\0wonder\0land"s,          // third NUL
      "\0" + std::string(kMaxIdentityLength + 1, 'a') + "\0pw"s,
      std::string(kMaxIdentityLength + 1, 'a') + "\0alice\0pw"s,
      "\0alice\0"s + std::string(kMaxPasswordLength + 1, 'p'),
      "\0" + std::string(kMaxClientMessage, 'a') + "\0pw"s,
      "\0al\xFFice\0pw"s,                // identity not UTF-8
  };
  for (const std::string& m : bad) {
    SaslStep s = run(m);
    EXPECT_EQ(s.kind, SaslStepKind::failure) << m.size();
    EXPECT_EQ(s.reason, kMalformed) << m.size();
  }
  EXPECT_EQ(*accounts_.lookups, 0);  // nothing malformed reaches the account store
}

TEST_F(PlainTest, NoFurtherStepsAfterOutcome) {
  PlainMechanism m(accounts_.lookup());
  ASSERT_EQ(m.step("\0alice\0wonderland"s).kind, SaslStepKind::success);
  EXPECT_EQ(m.step("\0alice\0wonderland"s).kind, SaslStepKind::failure);
  EXPECT_EQ(m.start().kind, SaslStepKind::failure);
}

TEST_F(PlainTest, DetailNeverContainsPassword) {
  SaslStep s = run("\0alice\0sup3rsecret"s);
  EXPECT_EQ(s.detail.find("sup3rsecret"), std::string::npos);
}

}  // namespace
}  // namespace claret::auth
