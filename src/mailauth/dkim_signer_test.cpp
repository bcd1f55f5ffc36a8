// Tests for the DKIM signer: field layout and folding, over-signing, and sign→verify round trips with
// rsa-sha256 and ed25519-sha256 (RFC 6376 §3.5, §5.4.2; RFC 8463).
#include "mailauth/dkim_signer.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "base/strings.hpp"
#include "mailauth/dkim_verifier.hpp"
#include "mailauth/tag_list.hpp"

namespace claret::mailauth {
namespace {

constexpr uint64_t kTime = 1700000000;

constexpr const char* kMessage =
    "Received: from client by mx.example.org; Tue, 14 Nov 2023 22:13:20 +0000\r\n"
    "From: Alice <alice@example.org>\r\n"
    "To: Bob <bob@example.net>,\r\n"
    "\tCarol <carol@example.net>\r\n"
    "Subject: Lunch  tomorrow?\r\n"
    "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
    "Message-ID: <1@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Caf\xc3\xa9 at noon?  \r\n"
    "\r\n"
    "-- \r\n"
    "Alice\r\n";

struct Fixture {
  PrivateKey key;
  DkimSigner signer;
  DkimVerifier verifier;
};

Fixture make(KeyAlgorithm alg, SignerOptions options = {}) {
  auto key = PrivateKey::generate(alg);
  if (!key) throw std::runtime_error(key.error().message);
  std::string record = key->public_key_record();
  return Fixture{*key, DkimSigner("example.org", "sel", *key, std::move(options)),
                 DkimVerifier(table_lookup({{"sel._domainkey.example.org", record}}))};
}

DkimStatus verify_one(const Fixture& f, const std::string& message, uint64_t now = kTime) {
  auto verdicts = f.verifier.verify(message, now);
  if (verdicts.size() != 1) return DkimStatus::permerror;
  return verdicts[0].status;
}

class SignerRoundTrip : public ::testing::TestWithParam<KeyAlgorithm> {};

TEST_P(SignerRoundTrip, SignedMessageVerifies) {
  auto f = make(GetParam());
  std::string sig = f.signer.sign(kMessage, kTime);
  auto verdicts = f.verifier.verify(sig + kMessage, kTime);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].status, DkimStatus::pass) << verdicts[0].reason << "\n" << sig;
  EXPECT_EQ(verdicts[0].algorithm, GetParam() == KeyAlgorithm::rsa ? "rsa-sha256" : "ed25519-sha256");
}

TEST_P(SignerRoundTrip, RelaxedSurvivesWhitespaceChangesButNotContentChanges) {
  auto f = make(GetParam());
  std::string signed_msg = f.signer.sign(kMessage, kTime) + kMessage;
  std::string m = signed_msg;
  m.replace(m.find("Subject: Lunch  tomorrow?"), 25, "subject:Lunch \t tomorrow?  ");
  m.replace(m.find("Alice\r\n"), 7, "Alice   \r\n\r\n\r\n");
  EXPECT_EQ(verify_one(f, m), DkimStatus::pass);

  m = signed_msg;
  m.replace(m.find("Lunch"), 5, "Dinner");
  EXPECT_EQ(verify_one(f, m), DkimStatus::fail);
  m = signed_msg;
  m.replace(m.find("noon"), 4, "one!");
  EXPECT_EQ(verify_one(f, m), DkimStatus::fail);
  // Relays add Received fields on top: not signed, so still valid.
  EXPECT_EQ(verify_one(f, "Received: from relay\r\n" + signed_msg), DkimStatus::pass);
}

TEST_P(SignerRoundTrip, OversignedFromPreventsAddingAnotherFrom) {
  auto f = make(GetParam());
  std::string sig = f.signer.sign(kMessage, kTime);
  std::string m = sig + kMessage;
  m.insert(m.find("\r\n\r\n") + 2, "From: Mallory <ceo@example.org>\r\n");
  EXPECT_EQ(verify_one(f, m), DkimStatus::fail);
  // Reply-To was absent at signing and is not over-signed by default, so it is not covered.
  m = sig + kMessage;
  m.insert(m.find("\r\n\r\n") + 2, "Reply-To: <mallory@evil.example>\r\n");
  EXPECT_EQ(verify_one(f, m), DkimStatus::pass);
}

TEST_P(SignerRoundTrip, LfOnlyInputSignsItsCrlfForm) {
  auto f = make(GetParam());
  std::string lf = kMessage;
  for (size_t p; (p = lf.find("\r\n")) != std::string::npos;) lf.erase(p, 1);
  std::string sig = f.signer.sign(lf, kTime);
  EXPECT_EQ(verify_one(f, sig + kMessage), DkimStatus::pass);
}

TEST_P(SignerRoundTrip, MessagesWithoutBodyOrHeaders) {
  auto f = make(GetParam());
  for (std::string m : {"From: a@example.org\r\n", "From: a@example.org\r\n\r\n", "\r\nbody only\r\n", ""}) {
    std::string sig = f.signer.sign(m, kTime);
    EXPECT_EQ(verify_one(f, sig + m), DkimStatus::pass) << m;
  }
}

INSTANTIATE_TEST_SUITE_P(Algorithms, SignerRoundTrip, ::testing::Values(KeyAlgorithm::rsa, KeyAlgorithm::ed25519),
                         [](const auto& info) { return std::string(key_algorithm_name(info.param)); });

TEST(DkimSigner, FieldLayoutAndFolding) {
  auto f = make(KeyAlgorithm::rsa);
  std::string sig = f.signer.sign(kMessage, kTime);
  EXPECT_EQ(sig.rfind("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel;", 0), 0u) << sig;
  ASSERT_GE(sig.size(), 2u);
  EXPECT_EQ(sig.substr(sig.size() - 2), "\r\n");
  // Every line at most 78 characters; continuation lines start with a tab; no bare CR or LF.
  std::string body = sig.substr(0, sig.size() - 2);
  size_t lines = 0;
  for (std::string_view line : split(body, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    EXPECT_LE(line.size(), 78u) << line;
    EXPECT_EQ(line.find('\r'), std::string_view::npos);
    if (lines++ > 0) {
      EXPECT_EQ(line.substr(0, 1), "\t");
    }
  }
  EXPECT_GT(lines, 4u);  // a 2048-bit signature alone is 344 base64 characters
  auto tags = TagList::parse(body.substr(body.find(':') + 1));
  ASSERT_TRUE(tags) << tags.error().message;
  EXPECT_EQ(remove_fws(*tags->get("h")),
            "From:From:Subject:Date:To:Message-ID:MIME-Version:Content-Type:Content-Transfer-Encoding");
  EXPECT_EQ(*tags->get("t"), "1700000000");
  EXPECT_FALSE(tags->get("x"));
  EXPECT_EQ(remove_fws(*tags->get("b")).size(), 344u);
}

TEST(DkimSigner, Ed25519IsDeterministic) {
  auto f = make(KeyAlgorithm::ed25519);
  EXPECT_EQ(f.signer.sign(kMessage, kTime), f.signer.sign(kMessage, kTime));
  EXPECT_NE(f.signer.sign(kMessage, kTime), f.signer.sign(kMessage, kTime + 1));
}

TEST(DkimSigner, ExpirationTag) {
  SignerOptions options;
  options.expire_after_s = 3600;
  auto f = make(KeyAlgorithm::ed25519, options);
  std::string m = f.signer.sign(kMessage, kTime) + kMessage;
  EXPECT_NE(m.find("x=1700003600;"), std::string::npos);
  EXPECT_EQ(verify_one(f, m, kTime + 60), DkimStatus::pass);
  EXPECT_EQ(verify_one(f, m, kTime + 7200), DkimStatus::permerror);
}

TEST(DkimSigner, FromFile) {
  auto key = PrivateKey::generate(KeyAlgorithm::ed25519);
  ASSERT_TRUE(key);
  auto dir = std::filesystem::temp_directory_path() / ("claret-dkim-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / "sel.pem";
  std::ofstream(path) << key->to_pem();
  auto signer = DkimSigner::from_file("example.org", "sel", path);
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ(signer->algorithm(), KeyAlgorithm::ed25519);
  auto missing = DkimSigner::from_file("example.org", "sel", dir / "missing.pem");
  EXPECT_FALSE(missing);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace claret::mailauth
