// Tests for crypt_format: SHA-crypt and bcrypt string syntax.
#include "auth/crypt_format.hpp"

#include <gtest/gtest.h>

namespace claret::auth {
namespace {

constexpr const char* kSha512 =
    "$6$saltsalt12345678$JzpmvHLdh8EGmg6X2AIuLwa5WFNug2jEkAFU/2Au343QyqwDobP.O8VT/miO6c0zN/Gytqo49vos62UzK2Myp.";
constexpr const char* kSha256 = "$5$abcdefgh$DXBT1sJ49WCj0IgmGKZ2BQ/aXOc6TJDFNV3pYyYWqSD";
constexpr const char* kBcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

TEST(CryptFormat, KindByPrefix) {
  EXPECT_EQ(crypt_kind(kSha512), CryptKind::sha512);
  EXPECT_EQ(crypt_kind(kSha256), CryptKind::sha256);
  EXPECT_EQ(crypt_kind(kBcrypt), CryptKind::bcrypt);
  EXPECT_EQ(crypt_kind("$2y$10$x"), CryptKind::bcrypt);
  EXPECT_EQ(crypt_kind("$2b$10$x"), CryptKind::bcrypt);
  EXPECT_FALSE(crypt_kind("$2x$10$x"));
  EXPECT_FALSE(crypt_kind("$1$abc$def"));
  EXPECT_FALSE(crypt_kind("abiQ6Ep3EYTHc"));
  EXPECT_FALSE(crypt_kind(""));
  EXPECT_FALSE(crypt_kind("$"));
}

TEST(CryptFormat, AcceptsWellFormed) {
  EXPECT_TRUE(check_crypt_string(kSha512, CryptKind::sha512));
  EXPECT_TRUE(check_crypt_string(kSha256, CryptKind::sha256));
  EXPECT_TRUE(check_crypt_string(kBcrypt, CryptKind::bcrypt));
  std::string rounds = "$6$rounds=5000$" + std::string(kSha512).substr(3);
  EXPECT_TRUE(check_crypt_string(rounds, CryptKind::sha512));
}

TEST(CryptFormat, RejectsWrongKind) {
  EXPECT_FALSE(check_crypt_string(kSha512, CryptKind::sha256));
  EXPECT_FALSE(check_crypt_string(kSha256, CryptKind::bcrypt));
  EXPECT_FALSE(check_crypt_string(kBcrypt, CryptKind::sha512));
}

TEST(CryptFormat, RejectsMalformedShaCrypt) {
  std::string good(kSha512);
  EXPECT_FALSE(check_crypt_string(good.substr(0, good.size() - 1), CryptKind::sha512));  // digest too short
  EXPECT_FALSE(check_crypt_string(good + "A", CryptKind::sha512));                      // digest too long
  EXPECT_FALSE(check_crypt_string("$6$saltsalt12345678", CryptKind::sha512));           // no digest
  EXPECT_FALSE(check_crypt_string("$6$" + good.substr(19), CryptKind::sha512));         // empty salt
  EXPECT_FALSE(check_crypt_string("$6$saltsalt123456789" + good.substr(19), CryptKind::sha512));  // salt 17
  std::string bad_char = good;
  bad_char[30] = '!';
  EXPECT_FALSE(check_crypt_string(bad_char, CryptKind::sha512));
  std::string body = good.substr(3);
  EXPECT_FALSE(check_crypt_string("$6$rounds=999$" + body, CryptKind::sha512));
  EXPECT_FALSE(check_crypt_string("$6$rounds=1000001$" + body, CryptKind::sha512));
  EXPECT_FALSE(check_crypt_string("$6$rounds=05000$" + body, CryptKind::sha512));
  EXPECT_FALSE(check_crypt_string("$6$rounds=abc$" + body, CryptKind::sha512));
  EXPECT_FALSE(check_crypt_string("$6$rounds=5000", CryptKind::sha512));
  EXPECT_FALSE(check_crypt_string("$6$", CryptKind::sha512));
}

TEST(CryptFormat, RejectsMalformedBcrypt) {
  std::string good(kBcrypt);
  EXPECT_FALSE(check_crypt_string(good.substr(0, 59), CryptKind::bcrypt));
  EXPECT_FALSE(check_crypt_string(good + ".", CryptKind::bcrypt));
  std::string cost = good;
  cost.replace(4, 2, "03");
  EXPECT_FALSE(check_crypt_string(cost, CryptKind::bcrypt));
  cost.replace(4, 2, "31");
  Status st = check_crypt_string(cost, CryptKind::bcrypt);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("cost"), std::string::npos);
  cost.replace(4, 2, "1x");
  EXPECT_FALSE(check_crypt_string(cost, CryptKind::bcrypt));
  std::string sep = good;
  sep[6] = 'x';
  EXPECT_FALSE(check_crypt_string(sep, CryptKind::bcrypt));
  std::string chars = good;
  chars[40] = '+';
  EXPECT_FALSE(check_crypt_string(chars, CryptKind::bcrypt));
}

}  // namespace
}  // namespace claret::auth
