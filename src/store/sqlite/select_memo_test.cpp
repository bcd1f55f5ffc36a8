// SelectMemo and WalProbe (select_memo.hpp, wal_probe.hpp): select_snapshot_in_memory answers exactly what
// select_snapshot would, and nothing once anyone has committed since — this store's writer (delivery, APPEND, STORE,
// EXPUNGE, \Recent claim, DELETE) or a second store on the same database, which is what another process (`claret
// deliver`, the admin CLI) is to SQLite.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/wal_probe.hpp"
#include "store/testing/temp_dir.hpp"

#include <sqlite3.h>

namespace claret::store::sqlite {
namespace {

using claret::store::testing::TempDir;

class SelectMemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions o;
    o.flag_cache.min_messages = 4;  // INBOX below is "big"; Drafts stays under it
    auto a = open_sqlite_store(dir_.path(), o);
    ASSERT_TRUE(a.ok()) << a.error().message;
    store_ = std::move(*a);
    ASSERT_TRUE(store_->directory().add_domain("example.com").ok());
    auto acc = store_->directory().create_account(NewAccount{"alice@example.com", "h", "s", 0});
    ASSERT_TRUE(acc.ok());
    account_ = acc->id;
    auto b = open_sqlite_store(dir_.path(), o);
    ASSERT_TRUE(b.ok()) << b.error().message;
    other_ = std::move(*b);
    auto m = store_->mail(account_);
    auto om = other_->mail(account_);
    ASSERT_TRUE(m.ok() && om.ok());
    mail_ = std::move(*m);
    other_mail_ = std::move(*om);
    for (int i = 1; i <= 6; ++i) deliver(*store_, "INBOX", i);
  }

  void deliver(Store& s, const std::string& box, int n) {
    auto b = s.blobs().put("Subject: m" + std::to_string(n) + "\r\n\r\nbody " + std::to_string(n) + "\r\n");
    ASSERT_TRUE(b.ok());
    auto d = s.deliver(*b, {{account_, box, {}}}, 1700000000 + n, {});
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE((*d)[0].ok()) << (*d)[0].error().message;
  }

  // select_snapshot, then the in-memory answer, which must be the same snapshot.
  SelectSnapshot select_and_expect_memo(const std::string& box) {
    auto read = mail_->select_snapshot(box);
    EXPECT_TRUE(read.ok());
    if (!read.ok()) return {};
    auto memo = mail_->select_snapshot_in_memory(box);
    EXPECT_TRUE(memo.has_value()) << box;
    if (!memo) return *read;
    EXPECT_EQ(memo->info.id, read->info.id);
    EXPECT_EQ(memo->info.name, read->info.name);
    EXPECT_EQ(memo->info.uidvalidity, read->info.uidvalidity);
    EXPECT_EQ(memo->info.uidnext, read->info.uidnext);
    EXPECT_EQ(memo->info.highestmodseq, read->info.highestmodseq);
    EXPECT_EQ(memo->first_recent_uid, read->first_recent_uid);
    EXPECT_EQ(memo->listing, read->listing);  // the very listing, not a copy
    return *read;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Store> other_;
  std::unique_ptr<MailStore> mail_;
  std::unique_ptr<MailStore> other_mail_;
  AccountId account_ = 0;
};

TEST(WalProbe, SeesEveryCommitThroughTheConnectionsOwnMapping) {
  TempDir dir;
  const std::string path = dir.path() + "/probe.db";
  ::sqlite3* db = nullptr;
  ::sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_FALSE(WalProbe(db).active());  // not in WAL mode yet: no index to read
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  {
    WalProbe probe(db);
    ASSERT_TRUE(probe.active());
    const auto before = probe.stamp();
    EXPECT_EQ(probe.stamp(), before);  // no commit, no change
    ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "INSERT INTO t VALUES (1)", nullptr, nullptr, nullptr), SQLITE_OK);
    const auto after = probe.stamp();
    EXPECT_NE(after, before);
    ASSERT_EQ(sqlite3_exec(other, "SELECT count(*) FROM t", nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_EQ(probe.stamp(), after);  // reads commit nothing
    ASSERT_EQ(sqlite3_exec(db, "INSERT INTO t VALUES (2)", nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_NE(probe.stamp(), after);
  }
  sqlite3_close(other);
  sqlite3_close(db);
}

TEST_F(SelectMemoTest, CommitStampChangesWithEveryCommitOnly) {
  auto s0 = mail_->commit_stamp();
  ASSERT_TRUE(s0.has_value());
  EXPECT_TRUE(mail_->select_snapshot("INBOX").ok());  // reads commit nothing
  EXPECT_EQ(mail_->commit_stamp(), s0);
  deliver(*other_, "INBOX", 9);
  auto s1 = mail_->commit_stamp();
  EXPECT_NE(s1, s0);
  EXPECT_EQ(other_mail_->commit_stamp(), s1);  // one database, one stamp
  const MailboxId inbox = mail_->get_mailbox("INBOX")->id;
  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::of({1}), FlagOp::add, Flags{flag::kFlagged, {}}, std::nullopt).ok());
  EXPECT_NE(mail_->commit_stamp(), s1);
}

TEST_F(SelectMemoTest, NothingBeforeTheFirstSelect) {
  EXPECT_FALSE(mail_->select_snapshot_in_memory("INBOX").has_value());
}

TEST_F(SelectMemoTest, AnswersUntilThisStoreCommits) {
  const auto first = select_and_expect_memo("INBOX");
  EXPECT_TRUE(mail_->select_snapshot_in_memory("inbox").has_value());  // INBOX in any case, as select_snapshot
  deliver(*store_, "INBOX", 7);
  EXPECT_FALSE(mail_->select_snapshot_in_memory("INBOX").has_value());
  const auto second = select_and_expect_memo("INBOX");
  EXPECT_EQ(second.info.uidnext, first.info.uidnext + 1);

  auto inbox = second.info.id;
  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::of({2}), FlagOp::add, Flags{flag::kSeen, {}}, std::nullopt).ok());
  EXPECT_FALSE(mail_->select_snapshot_in_memory("INBOX").has_value());  // a relaxed commit counts too
  select_and_expect_memo("INBOX");
  ASSERT_TRUE(mail_->claim_recent(inbox).ok());
  EXPECT_FALSE(mail_->select_snapshot_in_memory("INBOX").has_value());
  select_and_expect_memo("INBOX");
  ASSERT_TRUE(mail_->expunge(inbox, UidSet::of({1})).ok());
  EXPECT_FALSE(mail_->select_snapshot_in_memory("INBOX").has_value());
  EXPECT_EQ(select_and_expect_memo("INBOX").listing->uids.size(), 6u);
}

TEST_F(SelectMemoTest, AnotherProcessCommittingEndsTheAnswer) {
  const auto first = select_and_expect_memo("INBOX");
  deliver(*other_, "INBOX", 8);
  EXPECT_FALSE(mail_->select_snapshot_in_memory("INBOX").has_value());
  EXPECT_EQ(select_and_expect_memo("INBOX").info.uidnext, first.info.uidnext + 1);
  ASSERT_TRUE(other_mail_->delete_mailbox("Archive").ok());  // any commit, even to another mailbox
  EXPECT_FALSE(mail_->select_snapshot_in_memory("INBOX").has_value());
}

TEST_F(SelectMemoTest, DeletedMailboxIsNotAnswered) {
  ASSERT_TRUE(mail_->create_mailbox("Work", "").ok());
  deliver(*store_, "Work", 1);
  select_and_expect_memo("Work");
  ASSERT_TRUE(mail_->delete_mailbox("Work").ok());
  EXPECT_FALSE(mail_->select_snapshot_in_memory("Work").has_value());
  EXPECT_FALSE(mail_->select_snapshot("Work").ok());
}

TEST_F(SelectMemoTest, SmallMailboxOnlyWhileItsListingIsHeld) {
  deliver(*store_, "Drafts", 1);
  {
    const auto held = select_and_expect_memo("Drafts");  // under min_messages: the listing is this call's own
    EXPECT_TRUE(mail_->select_snapshot_in_memory("Drafts").has_value());
  }
  EXPECT_FALSE(mail_->select_snapshot_in_memory("Drafts").has_value());
}

TEST_F(SelectMemoTest, AccountsDoNotShare) {
  auto bob = store_->directory().create_account(NewAccount{"bob@example.com", "h", "s", 0});
  ASSERT_TRUE(bob.ok());
  auto bob_mail = store_->mail(bob->id);
  ASSERT_TRUE(bob_mail.ok());
  select_and_expect_memo("INBOX");
  EXPECT_FALSE((*bob_mail)->select_snapshot_in_memory("INBOX").has_value());
}

}  // namespace
}  // namespace claret::store::sqlite
