// FlagCache (flag_cache.hpp): after every kind of mutation — delivery, APPEND, MULTIAPPEND, STORE (add, remove,
// replace, keywords, no-op), EXPUNGE, COPY in, MOVE out, delete and re-create, \Noselect, INBOX rename — made by this
// store or by a second store on the same database (what the admin CLI is: another process), the cached listing equals
// one read from scratch, and list_uids / first_unseen / fetch_flags agree with it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"
#include "store/testing/temp_dir.hpp"

namespace claret::store::sqlite {
namespace {

using claret::store::testing::TempDir;

SqliteOptions cache_everything() {
  SqliteOptions o;
  o.flag_cache.min_messages = 0;
  return o;
}

SqliteOptions cache_nothing() {
  SqliteOptions o;
  o.flag_cache.min_messages = std::numeric_limits<size_t>::max();
  return o;
}

class FlagCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = open_sqlite_store(dir_.path(), cache_everything());
    ASSERT_TRUE(a.ok()) << a.error().message;
    cached_ = std::move(*a);
    ASSERT_TRUE(cached_->directory().add_domain("example.com").ok());
    auto acc = cached_->directory().create_account(NewAccount{"alice@example.com", "h", "s", 0});
    ASSERT_TRUE(acc.ok());
    account_ = acc->id;
    // The second store: another process on the same database (the admin CLI), and the reference, since it never
    // caches and so reads every listing from the index.
    auto b = open_sqlite_store(dir_.path(), cache_nothing());
    ASSERT_TRUE(b.ok()) << b.error().message;
    other_ = std::move(*b);
    auto m = cached_->mail(account_);
    auto om = other_->mail(account_);
    ASSERT_TRUE(m.ok() && om.ok());
    mail_ = std::move(*m);
    other_mail_ = std::move(*om);
  }

  MailboxId mailbox(const std::string& name) {
    auto m = mail_->get_mailbox(name);
    EXPECT_TRUE(m.ok()) << name;
    return m.ok() ? m->id : 0;
  }

  BlobRef blob(Store& s, int n) {
    auto b = s.blobs().put("Subject: m" + std::to_string(n) + "\r\n\r\nbody " + std::to_string(n) + "\r\n");
    EXPECT_TRUE(b.ok());
    return *b;
  }

  void deliver(Store& s, const std::string& box, int n, Flags f = {}) {
    auto d = s.deliver(blob(s, n), {{account_, box, f}}, 1700000000 + n, {});
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE((*d)[0].ok()) << (*d)[0].error().message;
  }

  // The cached store's answers equal the uncached store's, read twice (the second from the cache).
  void expect_current(const std::string& box) {
    const MailboxId id = mailbox(box);
    for (int pass = 0; pass < 2; ++pass) {
      SCOPED_TRACE(box + " pass " + std::to_string(pass));
      auto got = mail_->flag_listing(id);
      auto want = other_mail_->flag_listing(id);
      ASSERT_TRUE(got.ok()) << got.error().message;
      ASSERT_TRUE(want.ok()) << want.error().message;
      const FlagListing& g = **got;
      const FlagListing& w = **want;
      EXPECT_EQ(g.uidvalidity, w.uidvalidity);
      EXPECT_EQ(g.uidnext, w.uidnext);
      EXPECT_EQ(g.highestmodseq, w.highestmodseq);
      EXPECT_EQ(g.uids, w.uids);
      ASSERT_EQ(g.records.size(), w.records.size());
      for (size_t i = 0; i < g.records.size(); ++i) {
        EXPECT_EQ(g.records[i].uid, w.records[i].uid);
        EXPECT_EQ(g.records[i].modseq, w.records[i].modseq) << "uid " << w.records[i].uid;
        EXPECT_EQ(g.records[i].flags, w.records[i].flags) << "uid " << w.records[i].uid;
      }
      EXPECT_EQ(g.first_unseen, w.first_unseen);
      EXPECT_EQ(*mail_->list_uids(id), *other_mail_->list_uids(id));
      EXPECT_EQ(*mail_->first_unseen(id), *other_mail_->first_unseen(id));
      auto some = UidSet::of({2, 3, 5, 8, 13, 21});
      auto f1 = mail_->fetch_flags(id, some, 0);
      auto f2 = other_mail_->fetch_flags(id, some, 0);
      ASSERT_TRUE(f1.ok() && f2.ok());
      ASSERT_EQ(f1->size(), f2->size());
      for (size_t i = 0; i < f1->size(); ++i) EXPECT_EQ((*f1)[i].uid, (*f2)[i].uid);
      const uint64_t since = w.highestmodseq > 2 ? w.highestmodseq - 2 : 0;
      auto c1 = mail_->fetch_flags(id, UidSet::all(), since);
      auto c2 = other_mail_->fetch_flags(id, UidSet::all(), since);
      ASSERT_TRUE(c1.ok() && c2.ok());
      ASSERT_EQ(c1->size(), c2->size());
      for (size_t i = 0; i < c1->size(); ++i) EXPECT_EQ((*c1)[i].flags, (*c2)[i].flags);
    }
  }

  TempDir dir_;
  std::unique_ptr<Store> cached_;
  std::unique_ptr<Store> other_;
  std::unique_ptr<MailStore> mail_;
  std::unique_ptr<MailStore> other_mail_;
  AccountId account_ = 0;
};

Flags system(uint32_t bits) { return Flags{bits, {}}; }

TEST_F(FlagCacheTest, EveryMutationIsSeen) {
  for (int i = 1; i <= 30; ++i) deliver(*cached_, "INBOX", i, system(i % 4 == 0 ? flag::kSeen : 0));
  const MailboxId inbox = mailbox("INBOX");
  expect_current("INBOX");

  deliver(*cached_, "INBOX", 31);  // SMTP/LMTP delivery
  expect_current("INBOX");
  ASSERT_TRUE(mail_->append(inbox, blob(*cached_, 32), system(flag::kFlagged), 1700000032, {}).ok());  // APPEND
  expect_current("INBOX");
  std::vector<AppendItem> items(3);
  for (int i = 0; i < 3; ++i) items[i].blob = blob(*cached_, 40 + i);
  ASSERT_TRUE(mail_->append_many(inbox, items).ok());  // MULTIAPPEND
  expect_current("INBOX");

  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::range(1, 10), FlagOp::add, system(flag::kSeen), std::nullopt).ok());
  expect_current("INBOX");
  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::of({3, 4}), FlagOp::remove, system(flag::kSeen), std::nullopt).ok());
  expect_current("INBOX");
  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::of({5}), FlagOp::add, Flags{0, {"$Label1", "Work"}}, std::nullopt).ok());
  expect_current("INBOX");
  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::of({5}), FlagOp::remove, Flags{0, {"work"}}, std::nullopt).ok());
  expect_current("INBOX");
  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::of({6}), FlagOp::replace, system(flag::kDraft), std::nullopt).ok());
  expect_current("INBOX");
  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::of({6}), FlagOp::replace, system(flag::kDraft), std::nullopt).ok());
  expect_current("INBOX");  // no change, no new modseq: still the same listing
  // Every message seen: [UNSEEN n] has nothing to point at.
  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::all(), FlagOp::add, system(flag::kSeen), std::nullopt).ok());
  expect_current("INBOX");
  EXPECT_EQ(*mail_->first_unseen(inbox), std::nullopt);
  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::of({29}), FlagOp::remove, system(flag::kSeen), std::nullopt).ok());
  expect_current("INBOX");
  EXPECT_EQ(*mail_->first_unseen(inbox), std::optional<uint32_t>(29));

  ASSERT_TRUE(mail_->expunge(inbox, UidSet::of({2, 3, 8})).ok());  // EXPUNGE (and POP3 DELE, which expunges)
  expect_current("INBOX");

  const MailboxId work = mail_->create_mailbox("Work", "")->id;
  for (int i = 0; i < 4; ++i) deliver(*cached_, "Work", 100 + i);
  expect_current("Work");
  ASSERT_TRUE(mail_->copy(work, UidSet::all(), inbox).ok());  // COPY into the listed mailbox
  expect_current("INBOX");
  expect_current("Work");
  ASSERT_TRUE(mail_->move(inbox, UidSet::range(9, 12), work).ok());  // MOVE out of it, into another listed one
  expect_current("INBOX");
  expect_current("Work");
}

// Changes made through another Store on the same database (another process: the admin CLI) reach this one's
// listings, though its change bus never hears of them.
TEST_F(FlagCacheTest, ChangesFromAnotherProcess) {
  for (int i = 1; i <= 20; ++i) deliver(*cached_, "INBOX", i);
  const MailboxId inbox = mailbox("INBOX");
  expect_current("INBOX");
  deliver(*other_, "INBOX", 21);
  expect_current("INBOX");
  ASSERT_TRUE(other_mail_->set_flags(inbox, UidSet::of({4}), FlagOp::add, system(flag::kSeen), std::nullopt).ok());
  expect_current("INBOX");
  ASSERT_TRUE(other_mail_->expunge(inbox, UidSet::of({1, 21})).ok());
  expect_current("INBOX");
  ASSERT_TRUE(other_mail_->set_flags(inbox, UidSet::all(), FlagOp::add, Flags{0, {"$Junk"}}, std::nullopt).ok());
  expect_current("INBOX");
}

// A listing changed by a few messages is merged from the cached one, an unchanged one is a hit; neither re-reads
// the mailbox.
TEST_F(FlagCacheTest, UnchangedIsHitAndSmallChangeIsMerged) {
  for (int i = 1; i <= 10; ++i) deliver(*cached_, "INBOX", i);
  const MailboxId inbox = mailbox("INBOX");
  ASSERT_TRUE(mail_->flag_listing(inbox).ok());
  auto before = flag_cache_stats(*cached_);
  auto first = mail_->flag_listing(inbox);
  auto second = mail_->flag_listing(inbox);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->get(), second->get());  // the very same shared listing
  auto after = flag_cache_stats(*cached_);
  EXPECT_EQ(after.hits, before.hits + 2);
  EXPECT_EQ(after.full_reads, before.full_reads);

  ASSERT_TRUE(mail_->set_flags(inbox, UidSet::of({7}), FlagOp::add, system(flag::kAnswered), std::nullopt).ok());
  deliver(*other_, "INBOX", 11);
  ASSERT_TRUE(mail_->expunge(inbox, UidSet::of({2})).ok());
  before = flag_cache_stats(*cached_);
  expect_current("INBOX");
  after = flag_cache_stats(*cached_);
  EXPECT_EQ(after.merges, before.merges + 1);
  EXPECT_EQ(after.full_reads, before.full_reads);
  // The listing a session still holds is not modified by the merge (listings are immutable).
  EXPECT_EQ((*first)->records.size(), 10u);
  EXPECT_EQ((*first)->records[6].flags.system, 0u);
}

// Deleting a mailbox and creating one of the same name: the old id answers not_found, the new one (maybe the same
// id, with a new UIDVALIDITY) lists its own messages. A mailbox with children deleted to \Noselect loses its
// messages without expunge records: the cache reads it from scratch.
TEST_F(FlagCacheTest, DeleteRecreateAndNoselect) {
  ASSERT_TRUE(mail_->create_mailbox("Work", "").ok());
  for (int i = 1; i <= 5; ++i) deliver(*cached_, "Work", i);
  const MailboxId old_id = mailbox("Work");
  expect_current("Work");
  ASSERT_TRUE(mail_->delete_mailbox("Work").ok());
  EXPECT_FALSE(mail_->flag_listing(old_id).ok());
  ASSERT_TRUE(mail_->create_mailbox("Work", "").ok());
  deliver(*cached_, "Work", 6);
  expect_current("Work");

  ASSERT_TRUE(mail_->create_mailbox("Parent/Child", "").ok());
  for (int i = 1; i <= 4; ++i) deliver(*cached_, "Parent", 10 + i);
  expect_current("Parent");
  ASSERT_TRUE(mail_->delete_mailbox("Parent").ok());  // \Noselect: messages gone, name kept
  auto noselect = mail_->list_uids(mailbox("Parent"));
  ASSERT_TRUE(noselect.ok());
  EXPECT_TRUE(noselect->empty());
  ASSERT_TRUE(mail_->create_mailbox("Parent", "").ok());  // selectable again, new UIDVALIDITY
  deliver(*cached_, "Parent", 20);
  expect_current("Parent");
}

// Renaming INBOX moves its messages into the new mailbox and leaves INBOX empty (RFC 9051 §6.3.6).
TEST_F(FlagCacheTest, InboxRename) {
  for (int i = 1; i <= 6; ++i) deliver(*cached_, "INBOX", i);
  expect_current("INBOX");
  ASSERT_TRUE(mail_->rename_mailbox("INBOX", "Old").ok());
  expect_current("INBOX");
  expect_current("Old");
  deliver(*cached_, "INBOX", 7);
  expect_current("INBOX");
}

}  // namespace
}  // namespace claret::store::sqlite
