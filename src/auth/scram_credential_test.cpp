// Tests for scram_credential and the primitives under it (PBKDF2 vector from RFC 7914 §11).
#include "auth/scram_credential.hpp"

#include <gtest/gtest.h>

#include "auth/crypto_util.hpp"
#include "base/base64.hpp"

namespace claret::auth {
namespace {

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

TEST(CryptoUtil, Pbkdf2Sha256Rfc7914Vector) {
  // RFC 7914 §11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1); first 32 bytes of the 64-byte output.
  EXPECT_EQ(hex(pbkdf2_sha256("passwd", "salt", 1)), "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
}

TEST(CryptoUtil, Sha256AndHmacVectors) {
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 §4.3 test case 2.
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoUtil, ConstantTimeEqualAndXor) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_EQ(xor_bytes("\x01\x02", "\x03\x02"), std::string("\x02\x00", 2));
  EXPECT_EQ(random_bytes(24).size(), 24u);
  EXPECT_NE(random_bytes(16), random_bytes(16));
}

TEST(ScramCredential, MakeParsesBack) {
  std::string stored = make_scram_sha256("pencil");
  EXPECT_EQ(stored.rfind("SCRAM-SHA-256$8192:", 0), 0u) << stored;
  auto parsed = parse_scram_sha256(stored);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->iterations, kScramIterations);
  EXPECT_EQ(parsed->salt.size(), kScramSaltBytes);
  EXPECT_EQ(parsed->stored_key.size(), 32u);
  EXPECT_EQ(parsed->server_key.size(), 32u);
  // Re-deriving with the stored salt gives the same keys.
  ScramCredential again = derive_scram_sha256("pencil", parsed->salt, parsed->iterations);
  EXPECT_EQ(again.stored_key, parsed->stored_key);
  EXPECT_EQ(again.server_key, parsed->server_key);
  EXPECT_EQ(format_scram_sha256(again), stored);
  EXPECT_NE(make_scram_sha256("pencil"), stored);  // random salt
}

TEST(ScramCredential, DerivationFollowsRfc5802) {
  auto salt = base64_decode("W22ZaJ0SNY7soEsUEjb6gQ==");
  ASSERT_TRUE(salt);
  ScramCredential c = derive_scram_sha256("pencil", *salt, 4096);
  std::string salted = pbkdf2_sha256("pencil", *salt, 4096);
  EXPECT_EQ(c.stored_key, sha256(hmac_sha256(salted, "Client Key")));
  EXPECT_EQ(c.server_key, hmac_sha256(salted, "Server Key"));
  // SASLprep maps U+00A0 NO-BREAK SPACE to an ASCII space before hashing.
  EXPECT_EQ(derive_scram_sha256("pen\xC2\xA0" "cil", *salt, 4096).stored_key,
            derive_scram_sha256("pen cil", *salt, 4096).stored_key);
}

TEST(ScramCredential, ParseRejectsMalformed) {
  const std::string key = base64_encode(std::string(32, 'k'));
  const std::string salt = base64_encode("0123456789abcdef");
  EXPECT_TRUE(parse_scram_sha256("SCRAM-SHA-256$4096:" + salt + "$" + key + ":" + key));
  for (const std::string& bad : {
           std::string(""),
           "SCRAM-SHA-1$4096:" + salt + "$" + key + ":" + key,
           "scram-sha-256$4096:" + salt + "$" + key + ":" + key,
           "SCRAM-SHA-256$4095:" + salt + "$" + key + ":" + key,
           "SCRAM-SHA-256$99999999999:" + salt + "$" + key + ":" + key,
           "SCRAM-SHA-256$x:" + salt + "$" + key + ":" + key,
           "SCRAM-SHA-256$:" + salt + "$" + key + ":" + key,
           "SCRAM-SHA-256$4096" + salt + "$" + key + ":" + key,
           "SCRAM-SHA-256$4096:" + salt + key + ":" + key,
           "SCRAM-SHA-256$4096:" + salt + "$" + key + key,
           "SCRAM-SHA-256$4096:$" + key + ":" + key,
           "SCRAM-SHA-256$4096:!!$" + key + ":" + key,
           "SCRAM-SHA-256$4096:" + salt + "$" + base64_encode(std::string(31, 'k')) + ":" + key,
           "SCRAM-SHA-256$4096:" + salt + "$" + key + ":" + base64_encode(std::string(33, 'k')),
           "SCRAM-SHA-256$4096:" + salt + "$" + key + ":" + key + "$",
       }) {
    EXPECT_FALSE(parse_scram_sha256(bad)) << bad;
  }
}

}  // namespace
}  // namespace claret::auth
