// Tests for the mechanism factory, advertisement policy and shared password check.
#include "auth/sasl_mechanism.hpp"

#include <gtest/gtest.h>

#include "auth/test_accounts.hpp"
#include "base/strings.hpp"

namespace claret::auth {
namespace {

using Names = std::vector<std::string>;

TEST(SaslMechanism, FactoryByName) {
  testing::TestAccounts accounts;
  for (const char* name : {"PLAIN", "plain", "LOGIN", "Login", "SCRAM-SHA-256", "scram-sha-256"}) {
    auto m = make_mechanism(name, accounts.lookup());
    ASSERT_NE(m, nullptr) << name;
    EXPECT_TRUE(iequals(m->name(), name));
  }
  for (const char* name : {"", "CRAM-MD5", "DIGEST-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256-PLUS", "XOAUTH2", "PLAIN "}) {
    EXPECT_EQ(make_mechanism(name, accounts.lookup()), nullptr) << name;
  }
}

TEST(SaslMechanism, AdvertisedNames) {
  EXPECT_EQ(mechanism_names(false, false), (Names{"SCRAM-SHA-256"}));
  EXPECT_EQ(mechanism_names(true, false), (Names{"SCRAM-SHA-256", "PLAIN", "LOGIN"}));
  EXPECT_EQ(mechanism_names(false, true), (Names{"SCRAM-SHA-256", "PLAIN", "LOGIN"}));
  EXPECT_EQ(mechanism_names(true, true), (Names{"SCRAM-SHA-256", "PLAIN", "LOGIN"}));
}

TEST(SaslMechanism, CheckPassword) {
  testing::TestAccounts accounts;
  accounts.add("alice", "wonderland");
  CredentialLookup lookup = accounts.lookup();
  EXPECT_TRUE(check_password(lookup, "alice", "wonderland"));
  EXPECT_FALSE(check_password(lookup, "alice", "Wonderland"));
  EXPECT_FALSE(check_password(lookup, "nobody", "wonderland"));
  EXPECT_EQ(*accounts.lookups, 3);
  // No lookup configured at all: every attempt fails (after the same dummy work).
  EXPECT_FALSE(check_password(CredentialLookup{}, "alice", "wonderland"));
}

TEST(SaslMechanism, StepHelpers) {
  SaslStep c = sasl_challenge("abc");
  EXPECT_EQ(c.kind, SaslStepKind::challenge);
  EXPECT_EQ(c.data, "abc");
  SaslStep s = sasl_success("u", "z");
  EXPECT_EQ(s.kind, SaslStepKind::success);
  EXPECT_EQ(s.authcid, "u");
  EXPECT_EQ(s.authzid, "z");
  SaslStep f = sasl_failure(kAuthFailed, "why");
  EXPECT_EQ(f.kind, SaslStepKind::failure);
  EXPECT_EQ(f.reason, "authentication failed");
  EXPECT_EQ(f.detail, "why");
}

}  // namespace
}  // namespace claret::auth
