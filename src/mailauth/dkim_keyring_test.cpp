// Tests for DKIM key files (0600, no overwrite, listing) and signing with every key of a domain.
#include "mailauth/dkim_keyring.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <tuple>

#include "mailauth/dkim_verifier.hpp"

namespace claret::mailauth {
namespace {

class KeyringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("claret-keyring-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(KeyringTest, WriteIsPrivateAndNeverOverwrites) {
  auto key = PrivateKey::generate(KeyAlgorithm::ed25519);
  ASSERT_TRUE(key);
  auto path = write_key_file(dir_, "Example.ORG", "s1", *key);
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(*path, dir_ / "example.org" / "s1.pem");
  struct stat st {};
  ASSERT_EQ(::stat(path->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(path->parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto again = write_key_file(dir_, "example.org", "s1", *key);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
}

TEST_F(KeyringTest, RejectsNamesThatAreNotDnsNames) {
  auto key = PrivateKey::generate(KeyAlgorithm::ed25519);
  ASSERT_TRUE(key);
  for (const char* bad : {"", "..", "../etc", "a/b", "-x.org", "a..b", "exa mple.org", "x_y.org"})
    EXPECT_FALSE(write_key_file(dir_, bad, "s", *key)) << bad;
  for (const char* bad : {"", "..", "a/b", "s.", "s p"}) EXPECT_FALSE(write_key_file(dir_, "example.org", bad, *key)) << bad;
  EXPECT_TRUE(validate_selector("2026_01.rsa"));
}

TEST_F(KeyringTest, ListsAndSignsWithEveryKeyOfTheClosestDomain) {
  auto listed = list_key_files(dir_);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());  // no directory yet

  std::map<std::string, std::string> records;
  for (auto [domain, selector, alg] : {std::tuple{"example.org", "rsa", KeyAlgorithm::rsa},
                                       std::tuple{"example.org", "ed", KeyAlgorithm::ed25519},
                                       std::tuple{"other.example", "ed", KeyAlgorithm::ed25519}}) {
    auto key = PrivateKey::generate(alg);
    ASSERT_TRUE(key);
    ASSERT_TRUE(write_key_file(dir_, domain, selector, *key));
    records[std::string(selector) + "._domainkey." + domain] = key->public_key_record();
  }
  listed = list_key_files(dir_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].domain, "example.org");
  EXPECT_EQ((*listed)[0].selector, "ed");
  EXPECT_EQ((*listed)[2].domain, "other.example");

  auto ring = DkimKeyring::load(dir_);
  ASSERT_TRUE(ring) << ring.error().message;
  std::string message = "From: a@mail.example.org\r\nSubject: hi\r\n\r\nhello\r\n";
  std::string sigs = ring->sign("mail.Example.org", message);
  DkimVerifier verifier(table_lookup(records));
  auto verdicts = verifier.verify(sigs + message);
  ASSERT_EQ(verdicts.size(), 2u);
  for (const auto& v : verdicts) {
    EXPECT_EQ(v.status, DkimStatus::pass) << v.reason;
    EXPECT_EQ(v.domain, "example.org");
  }
  EXPECT_TRUE(ring->sign("example.net", message).empty());
  EXPECT_TRUE(ring->sign("org", message).empty());
}

TEST_F(KeyringTest, UnreadableKeyIsAnErrorNamingTheFile) {
  std::filesystem::create_directories(dir_ / "example.org");
  { std::ofstream(dir_ / "example.org" / "bad.pem") << "not a key"; }
  auto ring = DkimKeyring::load(dir_);
  ASSERT_FALSE(ring);
  EXPECT_NE(ring.error().message.find("bad.pem"), std::string::npos);
}

}  // namespace
}  // namespace claret::mailauth
