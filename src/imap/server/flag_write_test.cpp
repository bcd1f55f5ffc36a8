// Tests for flag writes that skip the writer when nothing would change (flag_write.hpp): the predicate, and that the
// answer equals the store's own for a no-op STORE while a real change still reaches the store.
#include "imap/server/flag_write.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "store/sqlite/sqlite_store.hpp"

namespace claret::imap::server {
namespace {

using store::FlagOp;
using store::Flags;
namespace flag = store::flag;

TEST(FlagWrite, NoopPredicate) {
  const Flags cur{flag::kSeen | flag::kFlagged, {"$Work"}};
  EXPECT_TRUE(flag_op_is_noop(cur, FlagOp::add, Flags{flag::kSeen, {}}));
  EXPECT_TRUE(flag_op_is_noop(cur, FlagOp::add, Flags{flag::kSeen | flag::kFlagged, {"$work"}}));
  EXPECT_TRUE(flag_op_is_noop(cur, FlagOp::add, Flags{}));
  EXPECT_FALSE(flag_op_is_noop(cur, FlagOp::add, Flags{flag::kDeleted, {}}));
  EXPECT_FALSE(flag_op_is_noop(cur, FlagOp::add, Flags{flag::kSeen, {"$Other"}}));
  EXPECT_TRUE(flag_op_is_noop(cur, FlagOp::remove, Flags{flag::kDeleted | flag::kDraft, {"$Other"}}));
  EXPECT_FALSE(flag_op_is_noop(cur, FlagOp::remove, Flags{flag::kSeen, {}}));
  EXPECT_FALSE(flag_op_is_noop(cur, FlagOp::remove, Flags{0, {"$WORK"}}));
  // Replace is left to the store, even with the same flags.
  EXPECT_FALSE(flag_op_is_noop(cur, FlagOp::replace, cur));
}

class FlagWriteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "claret-flagwrite-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    auto s = store::sqlite::open_sqlite_store(dir_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    ASSERT_TRUE(store_->directory().add_domain("example.com").ok());
    auto acc = store_->directory().create_account(store::NewAccount{"alice@example.com", "h", "s", 0});
    ASSERT_TRUE(acc.ok());
    for (int n = 1; n <= 4; ++n) {
      auto b = store_->blobs().put("Subject: m" + std::to_string(n) + "\r\n\r\nbody\r\n");
      ASSERT_TRUE(b.ok());
      auto d = store_->deliver(*b, {{acc->id, "INBOX", Flags{n % 2 ? flag::kSeen : 0u, {}}}}, 1700000000 + n, {});
      ASSERT_TRUE(d.ok() && (*d)[0].ok());
    }
    auto m = store_->mail(acc->id);
    ASSERT_TRUE(m.ok());
    mail_ = std::move(*m);
    auto inbox = mail_->get_mailbox("INBOX");
    ASSERT_TRUE(inbox.ok());
    inbox_ = inbox->id;
  }
  void TearDown() override {
    mail_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::MailStore> mail_;
  store::MailboxId inbox_ = 0;
};

TEST_F(FlagWriteStoreTest, NoopAnswersAsTheStoreWithoutANewModseq) {
  const auto seen = store::UidSet::of({1, 3});  // delivered \Seen
  const auto before = mail_->status(inbox_);
  ASSERT_TRUE(before.ok());
  auto ours = set_flags_unless_noop(*mail_, inbox_, seen, FlagOp::add, Flags{flag::kSeen, {}}, std::nullopt);
  ASSERT_TRUE(ours.ok());
  auto theirs = mail_->set_flags(inbox_, seen, FlagOp::add, Flags{flag::kSeen, {}}, std::nullopt);
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(ours->updated.size(), theirs->updated.size());
  for (size_t i = 0; i < ours->updated.size(); ++i) {
    EXPECT_EQ(ours->updated[i].uid, theirs->updated[i].uid);
    EXPECT_EQ(ours->updated[i].flags, theirs->updated[i].flags);
    EXPECT_EQ(ours->updated[i].modseq, theirs->updated[i].modseq);
    EXPECT_FALSE(ours->updated[i].changed);
  }
  EXPECT_TRUE(ours->changes.empty());
  EXPECT_EQ(mail_->status(inbox_)->highestmodseq, before->highestmodseq);
}

TEST_F(FlagWriteStoreTest, AChangeReachesTheStore) {
  auto r = set_flags_unless_noop(*mail_, inbox_, store::UidSet::range(1, 4), FlagOp::add, Flags{flag::kSeen, {}},
                                 std::nullopt);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->updated.size(), 4u);
  EXPECT_FALSE(r->updated[0].changed);
  EXPECT_TRUE(r->updated[1].changed);
  auto f = mail_->fetch_flags(inbox_, store::UidSet::range(1, 4), 0);
  ASSERT_TRUE(f.ok());
  for (const auto& rec : *f) EXPECT_TRUE(rec.flags.system & flag::kSeen) << rec.uid;
  // Removing a flag none has is answered without a write; removing one they have is written.
  auto none = set_flags_unless_noop(*mail_, inbox_, store::UidSet::range(1, 4), FlagOp::remove,
                                    Flags{flag::kDeleted, {}}, std::nullopt);
  ASSERT_TRUE(none.ok());
  for (const auto& u : none->updated) EXPECT_FALSE(u.changed);
  auto some = set_flags_unless_noop(*mail_, inbox_, store::UidSet::of({2}), FlagOp::remove, Flags{flag::kSeen, {}},
                                    std::nullopt);
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->updated.size(), 1u);
  EXPECT_TRUE(some->updated[0].changed);
  EXPECT_EQ(some->updated[0].flags.system & flag::kSeen, 0u);
}

}  // namespace
}  // namespace claret::imap::server
