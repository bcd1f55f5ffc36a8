// Tests for the SCRAM-SHA-256 mechanism: RFC 7677 §3 example, full exchanges, every malformed step.
#include "auth/sasl_scram.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "auth/crypto_util.hpp"
#include "auth/test_accounts.hpp"
#include "base/base64.hpp"
#include "base/strings.hpp"

namespace claret::auth {
namespace {

// A minimal SCRAM client (RFC 5802 §3) to drive the server with arbitrary passwords.
std::string client_final(std::string_view gs2_header, std::string_view client_first_bare, std::string_view server_first,
                         std::string_view password) {
  std::string nonce, salt_b64;
  uint32_t iterations = 0;
  for (std::string_view attr : split(server_first, ',')) {
    if (attr.substr(0, 2) == "r=") nonce = std::string(attr.substr(2));
    if (attr.substr(0, 2) == "s=") salt_b64 = std::string(attr.substr(2));
    if (attr.substr(0, 2) == "i=") iterations = static_cast<uint32_t>(*parse_u64(attr.substr(2)));
  }
  std::string salted = pbkdf2_sha256(password, *base64_decode(salt_b64), iterations);
  std::string client_key = hmac_sha256(salted, "Client Key");
  std::string without_proof = "c=" + base64_encode(gs2_header) + ",r=" + nonce;
  std::string auth_message = std::string(client_first_bare) + "," + std::string(server_first) + "," + without_proof;
  std::string signature = hmac_sha256(sha256(client_key), auth_message);
  return without_proof + ",p=" + base64_encode(xor_bytes(client_key, signature));
}

class ScramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    accounts_.add("alice", "wonderland");
    accounts_.add("us,er=x", "escaped");
    accounts_.accounts["noscram"] = Credentials{hash_password("pw"), ""};
  }
  // Runs a whole exchange; returns the last step.
  SaslStep exchange(std::string_view gs2, std::string_view user, std::string_view password) {
    ScramSha256Mechanism m(accounts_.lookup());
    std::string bare = "n=" + std::string(user) + ",r=clientnonce123";
    SaslStep first = m.step(std::string(gs2) + bare);
    if (first.kind != SaslStepKind::challenge) return first;
    SaslStep final_step = m.step(client_final(gs2, bare, first.data, password));
    if (final_step.kind != SaslStepKind::challenge) return final_step;
    EXPECT_EQ(final_step.data.rfind("v=", 0), 0u);
    return m.step("");
  }
  testing::TestAccounts accounts_;
};

TEST_F(ScramTest, Rfc7677Example) {
  testing::TestAccounts accounts;
  accounts.accounts["user"] =
      Credentials{"", format_scram_sha256(derive_scram_sha256("pencil", *base64_decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096))};
  ScramSha256Mechanism m(accounts.lookup(), "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
  EXPECT_EQ(m.name(), "SCRAM-SHA-256");
  SaslStep start = m.start();
  ASSERT_EQ(start.kind, SaslStepKind::challenge);
  EXPECT_TRUE(start.data.empty());
  SaslStep first = m.step("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  ASSERT_EQ(first.kind, SaslStepKind::challenge) << first.detail;
  EXPECT_EQ(first.data, "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
  SaslStep final_step = m.step(
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  ASSERT_EQ(final_step.kind, SaslStepKind::challenge) << final_step.detail;
  EXPECT_EQ(final_step.data, "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  SaslStep done = m.step("");
  ASSERT_EQ(done.kind, SaslStepKind::success);
  EXPECT_EQ(done.authcid, "user");
  EXPECT_EQ(done.authzid, "user");
  EXPECT_EQ(m.step("").kind, SaslStepKind::failure);
}

TEST_F(ScramTest, RandomNonceExchange) {
  ScramSha256Mechanism m(accounts_.lookup());
  std::string bare = "n=alice,r=abc";
  SaslStep first = m.step("n,," + bare);
  ASSERT_EQ(first.kind, SaslStepKind::challenge);
  // Server nonce appended to the client's, then the stored salt and iteration count.
  EXPECT_EQ(first.data.rfind("r=abc", 0), 0u);
  EXPECT_NE(first.data.find(",i=8192"), std::string::npos);
  EXPECT_EQ(m.step(client_final("n,,", bare, first.data, "wonderland")).kind, SaslStepKind::challenge);
  EXPECT_EQ(m.step("").kind, SaslStepKind::success);
}

TEST_F(ScramTest, GsFlagYAndAuthzid) {
  EXPECT_EQ(exchange("y,,", "alice", "wonderland").kind, SaslStepKind::success);
  SaslStep s = exchange("n,a=alice,", "alice", "wonderland");
  ASSERT_EQ(s.kind, SaslStepKind::success);
  EXPECT_EQ(s.authzid, "alice");
  SaslStep other = exchange("n,a=bob,", "alice", "wonderland");
  EXPECT_EQ(other.kind, SaslStepKind::failure);
  EXPECT_EQ(other.reason, kAuthFailed);
}

TEST_F(ScramTest, EscapedUsername) {
  SaslStep s = exchange("n,,", "us=2Cer=3Dx", "escaped");
  ASSERT_EQ(s.kind, SaslStepKind::success) << s.detail;
  EXPECT_EQ(s.authcid, "us,er=x");
}

TEST_F(ScramTest, WrongPasswordUnknownUserAndMissingCredentialLookAlike) {
  SaslStep wrong = exchange("n,,", "alice", "wonderlant");
  SaslStep unknown = exchange("n,,", "mallory", "wonderland");
  SaslStep noscram = exchange("n,,", "noscram", "pw");
  for (const SaslStep* s : {&wrong, &unknown, &noscram}) {
    EXPECT_EQ(s->kind, SaslStepKind::failure);
    EXPECT_EQ(s->reason, kAuthFailed);
    EXPECT_TRUE(s->data.empty());
  }
}

TEST_F(ScramTest, UnknownUserGetsStablePlausibleSalt) {
  auto server_first = [&](std::string_view user) {
    ScramSha256Mechanism m(accounts_.lookup());
    return m.step("n,,n=" + std::string(user) + ",r=abc").data;
  };
  auto salt_and_iterations = [](const std::string& sf) { return sf.substr(sf.find(",s=")); };
  std::string a = server_first("mallory");
  std::string b = server_first("mallory");
  std::string real = server_first("alice");
  EXPECT_EQ(salt_and_iterations(a), salt_and_iterations(b));
  EXPECT_NE(salt_and_iterations(a), salt_and_iterations(server_first("eve")));
  EXPECT_EQ(salt_and_iterations(a).size(), salt_and_iterations(real).size());
  EXPECT_NE(a.substr(0, a.find(",s=")), b.substr(0, b.find(",s=")));  // nonces differ
}

TEST_F(ScramTest, MalformedClientFirst) {
  const std::vector<std::string> bad = {
      "",
      "n",
      "n,",
      "n,,",
      "x,,n=alice,r=abc",
      "p=tls-unique,,n=alice,r=abc",
      "n,b=alice,n=alice,r=abc",
      "n,a=,n=alice,r=abc",
      "n,a=al=ice,n=alice,r=abc",
      "n,,r=abc,n=alice",
      "n,,n=alice",
      "n,,n=alice,r=",
      "n,,n=,r=abc",
      "n,,n=al=2ice,r=abc",
      "n,,n=alice=,r=abc",
      "n,,n=alice,r=a\x7f" "c",
      "n,,m=ext,n=alice,r=abc",
      "n,,n=alice,r=abc,x",
      "n,,n=alice,r=abc,=y",
      "n,,n=al\xFFice,r=abc",
      "n,,n=" + std::string(kMaxIdentityLength + 1, 'a') + ",r=abc",
      "n,,n=alice,r=" + std::string(kMaxClientMessage, 'a'),
  };
  for (const std::string& msg : bad) {
    ScramSha256Mechanism m(accounts_.lookup());
    SaslStep s = m.step(msg);
    EXPECT_EQ(s.kind, SaslStepKind::failure) << msg;
    EXPECT_EQ(s.reason, kMalformed) << msg;
    EXPECT_EQ(m.step("c=biws,r=abc,p=AAAA").kind, SaslStepKind::failure) << msg;
  }
  EXPECT_EQ(*accounts_.lookups, 0);
}

TEST_F(ScramTest, ExtensionsAreIgnored) {
  ScramSha256Mechanism m(accounts_.lookup());
  std::string bare = "n=alice,r=abc,x=future";
  SaslStep first = m.step("n,," + bare);
  ASSERT_EQ(first.kind, SaslStepKind::challenge) << first.detail;
  EXPECT_EQ(m.step(client_final("n,,", bare, first.data, "wonderland")).kind, SaslStepKind::challenge);
}

TEST_F(ScramTest, MalformedClientFinal) {
  std::string bare = "n=alice,r=abc";
  auto tamper = [&](auto&& edit) {
    ScramSha256Mechanism m(accounts_.lookup());
    SaslStep first = m.step("n,," + bare);
    EXPECT_EQ(first.kind, SaslStepKind::challenge);
    std::string good = client_final("n,,", bare, first.data, "wonderland");
    return m.step(edit(good, first.data));
  };
  auto nonce_of = [](const std::string& sf) { return sf.substr(2, sf.find(',') - 2); };
  auto proof_of = [](const std::string& cf) { return cf.substr(cf.find(",p=")); };
  using Edit = std::function<std::string(const std::string&, const std::string&)>;
  const std::vector<std::pair<const char*, Edit>> cases = {
      {"empty", [](auto&, auto&) { return std::string(); }},
      {"no proof", [](auto& g, auto&) { return g.substr(0, g.find(",p=")); }},
      {"proof not base64", [](auto& g, auto&) { return g.substr(0, g.find(",p=")) + ",p=!!!!"; }},
      {"short proof", [](auto& g, auto&) { return g.substr(0, g.find(",p=")) + ",p=" + base64_encode("short"); }},
      {"wrong cbind", [&](auto& g, auto& sf) { return "c=eSws,r=" + nonce_of(sf) + proof_of(g); }},
      {"cbind not base64", [&](auto& g, auto& sf) { return "c=biws!,r=" + nonce_of(sf) + proof_of(g); }},
      {"client nonce only", [&](auto& g, auto&) { return "c=biws,r=abc" + proof_of(g); }},
      {"extended nonce", [&](auto& g, auto& sf) { return "c=biws,r=" + nonce_of(sf) + "x" + proof_of(g); }},
      {"order", [&](auto& g, auto& sf) { return "r=" + nonce_of(sf) + ",c=biws" + proof_of(g); }},
      {"proof not last", [&](auto& g, auto& sf) { return "c=biws" + proof_of(g) + ",r=" + nonce_of(sf); }},
      {"bad extension", [&](auto& g, auto& sf) { return "c=biws,r=" + nonce_of(sf) + ",!" + proof_of(g); }},
  };
  for (const auto& [label, edit] : cases) {
    SaslStep s = tamper(edit);
    EXPECT_EQ(s.kind, SaslStepKind::failure) << label;
    EXPECT_EQ(s.reason, kMalformed) << label;
  }
}

TEST_F(ScramTest, TamperedProofFails) {
  ScramSha256Mechanism m(accounts_.lookup());
  std::string bare = "n=alice,r=abc";
  SaslStep first = m.step("n,," + bare);
  std::string final_msg = client_final("n,,", bare, first.data, "wonderland");
  size_t p = final_msg.find(",p=") + 3;
  final_msg[p] = final_msg[p] == 'A' ? 'B' : 'A';
  SaslStep s = m.step(final_msg);
  EXPECT_EQ(s.kind, SaslStepKind::failure);
  EXPECT_EQ(s.reason, kAuthFailed);
}

TEST_F(ScramTest, NonEmptyAcknowledgementFails) {
  ScramSha256Mechanism m(accounts_.lookup());
  std::string bare = "n=alice,r=abc";
  SaslStep first = m.step("n,," + bare);
  ASSERT_EQ(m.step(client_final("n,,", bare, first.data, "wonderland")).kind, SaslStepKind::challenge);
  SaslStep s = m.step("ok");
  EXPECT_EQ(s.kind, SaslStepKind::failure);
  EXPECT_EQ(s.reason, kMalformed);
}

TEST_F(ScramTest, MutatedMessagesAlwaysFail) {
  // Deterministic mutation fuzzing of both client messages (run under ASan/UBSan in CI). The client
  // computes its proof over the unmutated messages, so any real change must end in failure.
  std::mt19937 rng(7677);
  const std::string bare = "n=alice,r=abc";
  auto mutate = [&](std::string s) {
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      size_t pos = rng() % s.size();
      switch (rng() % 3) {
        case 0: s[pos] = static_cast<char>(rng() % 256); break;
        case 1: s.erase(pos, 1 + rng() % 4); break;
        default: s.insert(pos, 1, ",=\0\xff"[rng() % 4]); break;
      }
    }
    return s;
  };
  for (int i = 0; i < 600; ++i) {
    ScramSha256Mechanism m(accounts_.lookup());
    const std::string original_first = "n,," + bare;
    const bool mutate_first = i % 2 == 0;
    const std::string first_msg = mutate_first ? mutate(original_first) : original_first;
    SaslStep first = m.step(first_msg);
    if (first.kind != SaslStepKind::challenge) {
      EXPECT_EQ(first.kind, SaslStepKind::failure);
      continue;
    }
    const std::string original_final = client_final("n,,", bare, first.data, "wonderland");
    const std::string final_msg = mutate_first ? original_final : mutate(original_final);
    SaslStep last = m.step(final_msg);
    bool changed = first_msg != original_first || final_msg != original_final;
    if (changed) {
      EXPECT_EQ(last.kind, SaslStepKind::failure) << i;
    } else {
      EXPECT_EQ(last.kind, SaslStepKind::challenge) << i;
    }
  }
}

}  // namespace
}  // namespace claret::auth
