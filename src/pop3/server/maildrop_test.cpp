// Tests for the POP3 maildrop: snapshot, stable numbers, deletion marks, unique-ids and the UPDATE state against the
// SQLite store (RFC 1939 §5-§7).
#include "pop3/server/maildrop.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "store/sqlite/sqlite_store.hpp"

namespace claret::pop3::server {
namespace {

class MaildropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("claret-pop3-test-" + std::to_string(std::random_device{}()));
    auto st = store::sqlite::open_sqlite_store(dir_.string());
    ASSERT_TRUE(st.ok()) << st.error().message;
    store_ = std::move(st).value();
    ASSERT_TRUE(store_->directory().add_domain("example.test").ok());
    auto account = store_->directory().create_account({"alice@example.test", "x", "", 0});
    ASSERT_TRUE(account.ok());
    auto mail = store_->mail(account->id);
    ASSERT_TRUE(mail.ok());
    mail_ = std::move(mail).value();
    inbox_ = mail_->get_mailbox("INBOX")->id;
  }
  void TearDown() override {
    mail_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  uint32_t append(const std::string& body) {
    auto blob = store_->blobs().put(body);
    EXPECT_TRUE(blob.ok());
    auto r = mail_->append(inbox_, *blob, {}, 0, {});
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->uid : 0;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::MailStore> mail_;
  store::MailboxId inbox_ = 0;
};

TEST_F(MaildropTest, SnapshotNumbersSizesAndUniqueIds) {
  const std::string m1 = "Subject: 1\r\n\r\none\r\n", m2 = "Subject: 2\r\n\r\ntwo two\r\n";
  uint32_t u1 = append(m1);
  uint32_t u2 = append(m2);
  auto drop = load_maildrop(*mail_);
  ASSERT_TRUE(drop.ok());
  EXPECT_EQ(drop->count(), 2u);
  EXPECT_EQ(drop->live_count(), 2u);
  EXPECT_EQ(drop->live_size(), m1.size() + m2.size());
  EXPECT_EQ(drop->find(0), nullptr);
  EXPECT_EQ(drop->find(3), nullptr);
  EXPECT_EQ(drop->find(1)->uid, u1);
  EXPECT_EQ(drop->find(2)->uid, u2);
  auto box = mail_->get_mailbox("INBOX");
  EXPECT_EQ(drop->unique_id(*drop->find(2)), std::to_string(box->uidvalidity) + "." + std::to_string(u2));
  // A message arriving after login is not part of the session.
  append("Subject: 3\r\n\r\nlate\r\n");
  EXPECT_EQ(drop->count(), 2u);
}

TEST_F(MaildropTest, DeleteResetAndSeen) {
  append("a\r\n");
  append("bb\r\n");
  append("ccc\r\n");
  auto drop = load_maildrop(*mail_);
  ASSERT_TRUE(drop.ok());
  EXPECT_TRUE(drop->mark_deleted(2));
  EXPECT_FALSE(drop->mark_deleted(2));
  EXPECT_FALSE(drop->mark_deleted(0));
  EXPECT_FALSE(drop->mark_deleted(4));
  EXPECT_EQ(drop->live_count(), 2u);
  EXPECT_EQ(drop->live_size(), 3u + 5u);
  EXPECT_TRUE(drop->find(2)->deleted);
  drop->reset();
  EXPECT_EQ(drop->live_count(), 3u);
  drop->mark_retrieved(1);
  drop->mark_retrieved(3);
  drop->mark_deleted(3);
  EXPECT_EQ(drop->seen_uids(), store::UidSet::of({drop->find(1)->uid}));
  EXPECT_EQ(drop->deleted_uids(), store::UidSet::of({drop->find(3)->uid}));
}

TEST_F(MaildropTest, UpdateExpungesDeletedAndFlagsRetrieved) {
  uint32_t u1 = append("a\r\n");
  uint32_t u2 = append("bb\r\n");
  uint32_t u3 = append("ccc\r\n");
  auto drop = load_maildrop(*mail_);
  ASSERT_TRUE(drop.ok());
  drop->mark_retrieved(1);
  drop->mark_deleted(2);
  auto outcome = apply_update(*mail_, *drop);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->expunged, 1u);
  EXPECT_EQ(outcome->remaining, 2u);
  auto records = mail_->fetch_meta(inbox_, store::UidSet::all());
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].uid, u1);
  EXPECT_EQ((*records)[0].flags.system & store::flag::kSeen, store::flag::kSeen);
  EXPECT_EQ((*records)[1].uid, u3);
  EXPECT_EQ((*records)[1].flags.system & store::flag::kSeen, 0u);
  (void)u2;
}

TEST_F(MaildropTest, UpdateToleratesMessagesExpungedElsewhere) {
  uint32_t u1 = append("a\r\n");
  append("bb\r\n");
  auto drop = load_maildrop(*mail_);
  ASSERT_TRUE(drop.ok());
  // Another session (IMAP) expunges message 1 after our snapshot.
  ASSERT_TRUE(mail_->expunge(inbox_, store::UidSet::of({u1})).ok());
  drop->mark_retrieved(1);
  drop->mark_deleted(1);
  drop->mark_deleted(2);
  auto outcome = apply_update(*mail_, *drop);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->expunged, 1u);
  EXPECT_EQ(outcome->remaining, 0u);
}

TEST_F(MaildropTest, EmptyMaildropAndNoChanges) {
  auto drop = load_maildrop(*mail_);
  ASSERT_TRUE(drop.ok());
  EXPECT_EQ(drop->count(), 0u);
  EXPECT_EQ(drop->live_size(), 0u);
  auto outcome = apply_update(*mail_, *drop);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->expunged, 0u);
}

}  // namespace
}  // namespace claret::pop3::server
