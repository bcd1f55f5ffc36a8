// Tests for password_hash: Argon2id creation, verification of every accepted scheme, validation, rehash policy.
#include "auth/password_hash.hpp"

#include <crypt.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <memory>

namespace claret::auth {
namespace {

// Generated with `openssl passwd -6 -salt saltsalt12345678 'correct horse'`.
constexpr const char* kOpensslSha512 =
    "{SHA512-CRYPT}$6$saltsalt12345678$JzpmvHLdh8EGmg6X2AIuLwa5WFNug2jEkAFU/2Au343QyqwDobP.O8VT/miO6c0zN/"
    "Gytqo49vos62UzK2Myp.";
// `openssl passwd -5 -salt abcdefgh 'S3cret!'`
constexpr const char* kOpensslSha256 = "{SHA256-CRYPT}$5$abcdefgh$DXBT1sJ49WCj0IgmGKZ2BQ/aXOc6TJDFNV3pYyYWqSD";
// `openssl passwd -6 'pässwörd'` (UTF-8 password).
constexpr const char* kOpensslUtf8 =
    "{SHA512-CRYPT}$6$Z11jvfnzKumJjgsb$edXiBiGBefUMtJS.10Pa6qjaMcx6OQrQe2ttRDZXIJ6gV7ZfktT17/UlR9XJTZnIEa84BYFUFyiH5s257YwLv1";
// Openwall crypt_blowfish test vector: "U*U".
constexpr const char* kBcryptVector = "{BLF-CRYPT}$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
// Argon2 reference implementation README example: password "password", salt "somesalt", argon2i t=2 m=64MiB p=4.
constexpr const char* kArgon2iVector =
    "{ARGON2I}$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";

// A crypt hash produced in the test through libxcrypt, as `mkpasswd -m <method>` would.
std::string crypt_hash(const char* prefix, unsigned long count, const char* password) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn(prefix, count, nullptr, 0, setting, sizeof setting) == nullptr) return "";
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(password, setting, data.get(), sizeof(crypt_data));
  return out ? std::string(out) : "";
}

TEST(PasswordHash, HashAndVerifyArgon2id) {
  std::string h = hash_password("correct horse battery staple");
  EXPECT_EQ(h.rfind("{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << h;
  EXPECT_TRUE(verify_password(h, "correct horse battery staple"));
  EXPECT_FALSE(verify_password(h, "correct horse battery stapl"));
  EXPECT_FALSE(verify_password(h, ""));
  EXPECT_TRUE(validate_hash(h));
  EXPECT_FALSE(needs_rehash(h));
  EXPECT_NE(h, hash_password("correct horse battery staple"));  // random salt
}

TEST(PasswordHash, EmptyAndBinaryPasswordsWithArgon2) {
  std::string empty = hash_password("");
  EXPECT_TRUE(verify_password(empty, ""));
  EXPECT_FALSE(verify_password(empty, "x"));
  std::string binary("a\0b", 3);
  std::string h = hash_password(binary);
  EXPECT_TRUE(verify_password(h, binary));
  EXPECT_FALSE(verify_password(h, "a"));
}

TEST(PasswordHash, OpensslShaCrypt) {
  EXPECT_TRUE(verify_password(kOpensslSha512, "correct horse"));
  EXPECT_FALSE(verify_password(kOpensslSha512, "correct horsE"));
  EXPECT_TRUE(verify_password(kOpensslSha256, "S3cret!"));
  EXPECT_FALSE(verify_password(kOpensslSha256, "S3cret"));
  EXPECT_TRUE(verify_password(kOpensslUtf8, "p\xC3\xA4ssw\xC3\xB6rd"));
  EXPECT_FALSE(verify_password(kOpensslUtf8, "passwoerd"));
  EXPECT_TRUE(validate_hash(kOpensslSha512));
  EXPECT_TRUE(validate_hash(kOpensslSha256));
  EXPECT_TRUE(needs_rehash(kOpensslSha512));
}

TEST(PasswordHash, SchemeNameIsCaseInsensitive) {
  std::string lower = "{sha512-crypt}" + std::string(kOpensslSha512).substr(14);
  EXPECT_TRUE(verify_password(lower, "correct horse"));
}

TEST(PasswordHash, GeneratedCryptHashes) {
  std::string sha512 = crypt_hash("$6$", 5000, "hunter2");
  std::string sha256 = crypt_hash("$5$", 1000, "hunter2");
  std::string bcrypt = crypt_hash("$2b$", 5, "hunter2");
  ASSERT_FALSE(sha512.empty());
  ASSERT_FALSE(sha256.empty());
  ASSERT_FALSE(bcrypt.empty());
  EXPECT_TRUE(verify_password("{SHA512-CRYPT}" + sha512, "hunter2"));
  EXPECT_FALSE(verify_password("{SHA512-CRYPT}" + sha512, "hunter3"));
  EXPECT_TRUE(verify_password("{SHA256-CRYPT}" + sha256, "hunter2"));
  EXPECT_FALSE(verify_password("{SHA256-CRYPT}" + sha256, "Hunter2"));
  EXPECT_TRUE(verify_password("{BLF-CRYPT}" + bcrypt, "hunter2"));
  EXPECT_FALSE(verify_password("{BLF-CRYPT}" + bcrypt, "hunter"));
  // $2y$ (PHP, Dovecot) is the same algorithm as $2b$.
  std::string y = bcrypt;
  y[2] = 'y';
  EXPECT_TRUE(verify_password("{BLF-CRYPT}" + y, "hunter2"));
  // Dovecot's {CRYPT} holding a modern crypt string is accepted.
  EXPECT_TRUE(verify_password("{CRYPT}" + sha512, "hunter2"));
  EXPECT_TRUE(validate_hash("{CRYPT}" + bcrypt));
  // A scheme that does not match the crypt string is malformed.
  EXPECT_FALSE(validate_hash("{SHA256-CRYPT}" + sha512));
  EXPECT_FALSE(verify_password("{SHA256-CRYPT}" + sha512, "hunter2"));
}

TEST(PasswordHash, KnownVectors) {
  EXPECT_TRUE(verify_password(kBcryptVector, "U*U"));
  EXPECT_FALSE(verify_password(kBcryptVector, "U*U*"));
  EXPECT_TRUE(verify_password(kArgon2iVector, "password"));
  EXPECT_FALSE(verify_password(kArgon2iVector, "passwore"));
  EXPECT_TRUE(validate_hash(kArgon2iVector));
  EXPECT_TRUE(needs_rehash(kArgon2iVector));
}

TEST(PasswordHash, Argon2FromLibsodiumWithOtherParameters) {
  char out[crypto_pwhash_STRBYTES];
  ASSERT_EQ(sodium_init() >= 0, true);
  ASSERT_EQ(crypto_pwhash_str_alg(out, "pw", 2, 3, 8u * 1024 * 1024, crypto_pwhash_ALG_ARGON2I13), 0);
  std::string argon2i = "{ARGON2I}" + std::string(out);
  EXPECT_TRUE(verify_password(argon2i, "pw"));
  EXPECT_FALSE(verify_password(argon2i, "pW"));
  ASSERT_EQ(crypto_pwhash_str_alg(out, "pw", 2, 2, 8u * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13), 0);
  std::string weaker = "{ARGON2ID}" + std::string(out);
  EXPECT_TRUE(verify_password(weaker, "pw"));
  EXPECT_TRUE(validate_hash(weaker));
  EXPECT_TRUE(needs_rehash(weaker));  // not our current parameters
  // The algorithm inside must match the scheme name.
  EXPECT_FALSE(validate_hash("{ARGON2I}" + std::string(out)));
  EXPECT_FALSE(verify_password("{ARGON2I}" + std::string(out), "pw"));
}

TEST(PasswordHash, WeakSchemesRejected) {
  for (const char* weak : {"{PLAIN}secret", "{CLEAR}secret", "{CLEARTEXT}secret", "{MD5}$1$abcdefgh$abcdefghijklmnopqrstuv",
                           "{PLAIN-MD5}5ebe2294ecd0e0f08eab7690d2a6ee69", "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=",
                           "{SSHA}abcdefghijklmnopqrstuvwxyz", "{CRYPT}abiQ6Ep3EYTHc", "{CRYPT}$1$abc$def",
                           "{MD5-CRYPT}$1$abc$def", "{LANMAN}0123", "{NTLM}0123"}) {
    Status st = validate_hash(weak);
    ASSERT_FALSE(st) << weak;
    EXPECT_NE(st.error().message.find("weak"), std::string::npos) << st.error().message;
    EXPECT_EQ(st.error().message.find('\n'), std::string::npos);
  }
  // Even the right password never matches a refused scheme.
  EXPECT_FALSE(verify_password("{PLAIN}secret", "secret"));
  EXPECT_FALSE(verify_password("{CLEAR}secret", "secret"));
  EXPECT_FALSE(verify_password("{CRYPT}abiQ6Ep3EYTHc", "x"));
  EXPECT_TRUE(needs_rehash("{PLAIN}secret"));
}

TEST(PasswordHash, UnknownAndMissingSchemes) {
  Status unknown = validate_hash("{FOO}bar");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown"), std::string::npos);
  for (const char* bad : {"", "{", "{}", "{}x", "no-prefix", "$6$saltsalt$abc", "{SHA512-CRYPT"}) {
    EXPECT_FALSE(validate_hash(bad)) << bad;
    EXPECT_FALSE(verify_password(bad, "x")) << bad;
    EXPECT_TRUE(needs_rehash(bad)) << bad;
  }
}

TEST(PasswordHash, MalformedArgon2) {
  const std::string salt = "c29tZXNhbHQ";
  const std::string digest = "RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
  auto make = [&](const std::string& params) { return "{ARGON2I}$argon2i$" + params; };
  EXPECT_TRUE(validate_hash(make("v=19$m=65536,t=2,p=4$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("v=16$m=65536,t=2,p=4$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("m=65536,t=2,p=4$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("v=19$m=65536,t=2$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("v=19$t=2,m=65536,p=4$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("v=19$m=,t=2,p=4$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("v=19$m=065536,t=2,p=4$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("v=19$m=16,t=2,p=4$" + salt + "$" + digest)));        // m < 8p
  EXPECT_FALSE(validate_hash(make("v=19$m=4194304,t=2,p=4$" + salt + "$" + digest)));   // 4 GiB
  EXPECT_FALSE(validate_hash(make("v=19$m=262145,t=2,p=4$" + salt + "$" + digest)));
  EXPECT_TRUE(validate_hash(make("v=19$m=262144,t=2,p=4$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("v=19$m=65536,t=0,p=4$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("v=19$m=65536,t=100,p=4$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("v=19$m=65536,t=2,p=0$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash(make("v=19$m=65536,t=2,p=4$" + salt)));
  EXPECT_FALSE(validate_hash(make("v=19$m=65536,t=2,p=4$c29t$" + digest)));             // 3-byte salt
  EXPECT_FALSE(validate_hash(make("v=19$m=65536,t=2,p=4$" + salt + "$Rdes")));          // 3-byte digest
  EXPECT_FALSE(validate_hash(make("v=19$m=65536,t=2,p=4$" + salt + "$" + digest + "$x")));
  EXPECT_FALSE(validate_hash(make("v=19$m=65536,t=2,p=4$" + salt + "$" + digest + "==")));
  EXPECT_FALSE(validate_hash(make("v=19$m=99999999999999999999,t=2,p=4$" + salt + "$" + digest)));
  EXPECT_FALSE(validate_hash("{ARGON2ID}" + std::string(200, 'a')));
  EXPECT_FALSE(verify_password(make("v=19$m=16,t=2,p=4$" + salt + "$" + digest), "password"));
}

TEST(PasswordHash, RefusesPasswordsCryptCannotCarry) {
  std::string sha512 = "{SHA512-CRYPT}" + crypt_hash("$6$", 1000, "abc");
  EXPECT_TRUE(verify_password(sha512, "abc"));
  // A NUL would truncate the C string crypt(3) sees: "abc\0xyz" must not match "abc".
  EXPECT_FALSE(verify_password(sha512, std::string("abc\0xyz", 7)));
  std::string long_password(kMaxPasswordLength + 1, 'a');
  std::string long_hash = "{SHA512-CRYPT}" + crypt_hash("$6$", 1000, long_password.c_str());
  EXPECT_FALSE(verify_password(long_hash, long_password));
}

}  // namespace
}  // namespace claret::auth
