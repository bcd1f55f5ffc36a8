// Tests for DKIM key generation, PEM round trips and key records (RFC 6376 §3.6.1, RFC 8463 §4, RFC 8301).
#include <gtest/gtest.h>

#include "mailauth/private_key.hpp"
#include "mailauth/public_key.hpp"

namespace claret::mailauth {
namespace {

TEST(Keys, GenerateRsa2048AndRoundTripPem) {
  auto key = PrivateKey::generate(KeyAlgorithm::rsa);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->bits(), 2048);
  std::string pem = key->to_pem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto again = PrivateKey::from_pem(pem);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->public_key_record(), key->public_key_record());
  EXPECT_EQ(key->public_key_record().rfind("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A", 0), 0u);
}

TEST(Keys, Ed25519RecordIs32RawBytes) {
  auto key = PrivateKey::generate(KeyAlgorithm::ed25519);
  ASSERT_TRUE(key) << key.error().message;
  std::string record = key->public_key_record();
  ASSERT_EQ(record.rfind("v=DKIM1; k=ed25519; p=", 0), 0u);
  EXPECT_EQ(record.size(), std::string("v=DKIM1; k=ed25519; p=").size() + 44);  // base64 of 32 bytes
  auto pub = PublicKey::from_record(record);
  ASSERT_TRUE(pub) << pub.error().message;
  EXPECT_EQ(pub->algorithm(), KeyAlgorithm::ed25519);
}

TEST(Keys, SignAndVerifyBothAlgorithms) {
  for (auto alg : {KeyAlgorithm::rsa, KeyAlgorithm::ed25519}) {
    auto key = PrivateKey::generate(alg);
    ASSERT_TRUE(key);
    auto pub = PublicKey::from_record(key->public_key_record());
    ASSERT_TRUE(pub);
    auto sig = key->sign("data to sign");
    ASSERT_TRUE(sig);
    EXPECT_TRUE(pub->verify("data to sign", *sig));
    EXPECT_FALSE(pub->verify("data to sigN", *sig));
    EXPECT_FALSE(pub->verify("data to sign", "short"));
  }
}

TEST(Keys, RefusesShortRsaAndGarbage) {
  EXPECT_FALSE(PrivateKey::generate(KeyAlgorithm::rsa, 512));
  EXPECT_FALSE(PrivateKey::from_pem("not a key"));
  EXPECT_FALSE(PrivateKey::from_pem(""));
  EXPECT_FALSE(PrivateKey::load("/nonexistent/claret/key.pem"));
}

TEST(Keys, RecordParsingRules) {
  auto key = PrivateKey::generate(KeyAlgorithm::ed25519);
  ASSERT_TRUE(key);
  std::string record = key->public_key_record();
  std::string p = record.substr(record.find("p="));
  EXPECT_TRUE(PublicKey::from_record("k=ed25519; t=y:s; " + p));
  EXPECT_TRUE(PublicKey::from_record("k=ed25519; t=y:s; " + p)->testing());
  EXPECT_TRUE(PublicKey::from_record("k=ed25519; t=y:s; " + p)->strict_identity());
  EXPECT_FALSE(PublicKey::from_record("k=ed25519; v=DKIM1; " + p));  // v= must come first
  EXPECT_FALSE(PublicKey::from_record("v=DKIM2; k=ed25519; " + p));
  EXPECT_FALSE(PublicKey::from_record("v=DKIM1; k=ed25519; h=sha1; " + p));
  EXPECT_FALSE(PublicKey::from_record("v=DKIM1; k=ed25519; s=tlsrpt; " + p));
  EXPECT_FALSE(PublicKey::from_record("v=DKIM1; k=dsa; " + p));
  EXPECT_FALSE(PublicKey::from_record("v=DKIM1; k=rsa; " + p));  // 32 bytes are not an RSA key
  EXPECT_FALSE(PublicKey::from_record("v=DKIM1; k=rsa; p="));     // revoked
  EXPECT_FALSE(PublicKey::from_record("v=DKIM1; k=rsa; p=!!!"));
  EXPECT_FALSE(PublicKey::from_record("v=DKIM1; k=ed25519"));
}

TEST(Keys, AcceptsPkcs1RsaPublicKeyAndFoldedP) {
  // A 1024-bit PKCS#1 RSAPublicKey as published by some domains (python3-dkim's test data), with an unknown
  // obsolete g= tag that must be ignored and FWS inside p=.
  const char* record =
      "v=DKIM1; g=*; k=rsa; p=MIGJAoGBALppqRbOu5gApf05051Icx6apV0ZC6s1gsLUfs79PYtAgdVuQoXooqOWAUzuWvyyR9kyEl78pEYy9WMJ"
      "\r\n\tXllqRkgZ4/ceLWpcIS+aNLgSWkw8w/I+tmKC33mKmrLA9hklYdtGInTzlV2RIK0tS+jmzKkDSdMl7KcSi4A37/AFoI7pAgMBAAE=";
  auto pub = PublicKey::from_record(record);
  ASSERT_TRUE(pub) << pub.error().message;
  EXPECT_EQ(pub->bits(), 1024);
}

}  // namespace
}  // namespace claret::mailauth
