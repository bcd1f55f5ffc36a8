// SqliteQueueStore tests: durable enqueue, leased claims, per-recipient results, rescheduling, admin operations,
// blob reference counting shared with the mail store.
#include "store/sqlite/sqlite_queue_store.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "store/errc.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace claret::store::sqlite {
namespace {

using queue::NewEntry;
using queue::RecipientState;
using queue::RecipientUpdate;

class QueueStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "claret-queue-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto s = open_sqlite_store(dir_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    auto q = open_sqlite_queue_store(dir_);
    ASSERT_TRUE(q.ok()) << q.error().message;
    queue_ = std::move(*q);
  }
  void TearDown() override {
    queue_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  NewEntry make_entry(const std::string& body, std::vector<std::string> rcpts, int64_t now = 1000) {
    auto blob = store_->blobs().put(body);
    EXPECT_TRUE(blob.ok());
    NewEntry e;
    e.blob = *blob;
    e.sender = "alice@example.org";
    e.ret = "HDRS";
    e.envid = "env-1";
    e.arrival = now;
    e.next_attempt = now;
    for (auto& r : rcpts) e.recipients.push_back({r, queue::notify::kFailure | queue::notify::kSuccess, "rfc822;" + r});
    return e;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<queue::QueueStore> queue_;
};

TEST_F(QueueStoreTest, EnqueueThenGetRoundTrips) {
  auto id = queue_->enqueue(make_entry("Subject: x\r\n\r\nbody\r\n", {"bob@remote.test", "carol@remote.test"}));
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto e = queue_->get(*id);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->sender, "alice@example.org");
  EXPECT_EQ(e->ret, "HDRS");
  EXPECT_EQ(e->envid, "env-1");
  EXPECT_EQ(e->arrival, 1000);
  ASSERT_EQ(e->recipients.size(), 2u);
  EXPECT_EQ(e->recipients[0].address, "bob@remote.test");
  EXPECT_EQ(e->recipients[0].orcpt, "rfc822;bob@remote.test");
  EXPECT_EQ(e->recipients[0].notify, queue::notify::kFailure | queue::notify::kSuccess);
  EXPECT_EQ(e->recipients[1].state, RecipientState::pending);
  auto bytes = store_->blobs().read(e->blob.id);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "Subject: x\r\n\r\nbody\r\n");
}

TEST_F(QueueStoreTest, EnqueueRejectsMissingBlobAndNoRecipients) {
  NewEntry e = make_entry("m", {"bob@remote.test"});
  e.blob = BlobRef(std::string(64, 'a'), e.blob.size);  // a reference to bytes nobody stored
  auto r = queue_->enqueue(e);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_code(r.error(), Errc::conflict));  // as for append: put the bytes again and retry
  NewEntry none = make_entry("m", {});
  auto r2 = queue_->enqueue(none);
  ASSERT_FALSE(r2.ok());
  EXPECT_TRUE(has_code(r2.error(), Errc::invalid));
}

TEST_F(QueueStoreTest, ClaimLeasesDueEntriesOnlyOnce) {
  auto a = queue_->enqueue(make_entry("a", {"x@r.test"}, 1000));
  auto b = queue_->enqueue(make_entry("b", {"y@r.test"}, 2000));
  ASSERT_TRUE(a.ok() && b.ok());
  auto claimed = queue_->claim_due(1500, 10, 60);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->front().id, *a);
  EXPECT_EQ(claimed->front().lease_until, 1560);
  // Leased: not handed out again until the lease runs out (a crashed worker).
  EXPECT_TRUE(queue_->claim_due(1500, 10, 60)->empty());
  auto later = queue_->claim_due(2100, 10, 60);
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 2u);
  EXPECT_EQ(later->at(0).id, *a);
  EXPECT_EQ(later->at(1).id, *b);
}

TEST_F(QueueStoreTest, FinishKeepsPendingAndRemovesWhenDone) {
  auto id = queue_->enqueue(make_entry("m", {"x@r.test", "y@r.test"}));
  ASSERT_TRUE(id.ok());
  auto e = queue_->claim_due(1000, 10, 60);
  ASSERT_EQ(e->size(), 1u);
  auto rs = e->front().recipients;
  auto still = queue_->finish(*id, {{rs[0].id, RecipientState::delivered, "250 ok"},
                                    {rs[1].id, RecipientState::pending, "451 try later"}},
                              1060);
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(*still);
  auto after = queue_->get(*id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->attempts, 1);
  EXPECT_EQ(after->next_attempt, 1060);
  EXPECT_EQ(after->lease_until, 0);
  EXPECT_EQ(after->recipients[0].state, RecipientState::delivered);
  EXPECT_EQ(after->recipients[1].last_reply, "451 try later");
  EXPECT_EQ(after->recipients[1].attempts, 1);
  EXPECT_TRUE(queue_->claim_due(1059, 10, 60)->empty());
  ASSERT_EQ(queue_->claim_due(1060, 10, 60)->size(), 1u);
  // A delivered recipient is never changed again.
  auto done = queue_->finish(*id, {{rs[0].id, RecipientState::failed, "550 no"},
                                   {rs[1].id, RecipientState::failed, "550 no such user"}},
                             0);
  ASSERT_TRUE(done.ok());
  EXPECT_FALSE(*done);
  auto gone = queue_->get(*id);
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(has_code(gone.error(), Errc::not_found));
}

TEST_F(QueueStoreTest, AdminHoldReleaseRetryDelete) {
  auto id = queue_->enqueue(make_entry("m", {"x@r.test"}, 1000));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(queue_->set_hold(*id, true).ok());
  EXPECT_TRUE(queue_->claim_due(5000, 10, 60)->empty());
  EXPECT_FALSE(queue_->next_due()->has_value());
  ASSERT_TRUE(queue_->set_hold(*id, false).ok());
  ASSERT_EQ(queue_->claim_due(5000, 10, 60)->size(), 1u);
  // retry_now clears the lease so a flush works even for a leased entry.
  ASSERT_TRUE(queue_->retry_now(*id, 5001).ok());
  EXPECT_EQ(**queue_->next_due(), 5001);
  ASSERT_EQ(queue_->claim_due(5001, 10, 60)->size(), 1u);
  ASSERT_TRUE(queue_->mark_delay_warned(*id).ok());
  EXPECT_TRUE(queue_->get(*id)->delay_warned);
  ASSERT_TRUE(queue_->remove(*id).ok());
  EXPECT_TRUE(queue_->list()->empty());
  auto again = queue_->remove(*id);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(has_code(again.error(), Errc::not_found));
  EXPECT_FALSE(queue_->set_hold(9999, true).ok());
}

TEST_F(QueueStoreTest, SurvivesReopen) {
  auto id = queue_->enqueue(make_entry("persist", {"x@r.test"}));
  ASSERT_TRUE(id.ok());
  queue_.reset();
  auto q = open_sqlite_queue_store(dir_);
  ASSERT_TRUE(q.ok());
  queue_ = std::move(*q);
  auto list = queue_->list();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().recipients.size(), 1u);
}

TEST_F(QueueStoreTest, QueueReferenceProtectsBlobFromSweep) {
  // The blob sweep (crash orphans) must treat queued bytes as referenced.
  NewEntry e = make_entry("shared bytes\r\n", {"x@r.test"});
  auto id = queue_->enqueue(e);
  ASSERT_TRUE(id.ok());
  auto sweep = store_->sweep_unreferenced_blobs(0);
  ASSERT_TRUE(sweep.ok());
  EXPECT_EQ(*sweep, 0u);
  EXPECT_TRUE(store_->blobs().stat(e.blob.id).ok());
  ASSERT_TRUE(queue_->remove(*id).ok());
}

}  // namespace
}  // namespace claret::store::sqlite
