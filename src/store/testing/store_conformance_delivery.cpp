// Store conformance, delivery: concurrent group-committed delivery, change bus ordering, blob sharing, ranged reads,
// release after the last reference and the orphan sweep.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store/errc.hpp"
#include "store/testing/store_conformance.hpp"

namespace claret::store::testing {

TEST_P(StoreConformance, ConcurrentDeliveryIsCompleteAndDense) {
  std::vector<AccountId> accounts = {make_account("a"), make_account("b"), make_account("c")};
  constexpr int kThreads = 16;
  constexpr int kPerThread = 12;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string body = "thread " + std::to_string(t) + " message " + std::to_string(i);
        auto blob = store_->blobs().put(body);
        if (!blob) { ++failures; continue; }
        // Overlapping recipients: every message goes to two of the three accounts.
        std::vector<DeliveryTarget> to{{accounts[t % 3], "INBOX", {}}, {accounts[(t + i + 1) % 3], "INBOX", {}}};
        if (to[0].account == to[1].account) to[1].account = accounts[(t + 2) % 3];
        MessageMeta meta;
        meta.search_text = body;
        auto r = store_->deliver(*blob, to, 1700000000, meta);
        if (!r) { ++failures; continue; }
        for (const auto& d : *r)
          if (!d) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  size_t total = 0;
  std::multiset<std::string> bodies;
  for (AccountId a : accounts) {
    auto m = mail(a);
    MailboxInfo inbox = mailbox(*m, "INBOX");
    auto uids = *m->list_uids(inbox.id);
    for (size_t i = 0; i < uids.size(); ++i) EXPECT_EQ(uids[i], i + 1);  // dense and increasing
    EXPECT_EQ(m->status(inbox.id)->uidnext, uids.size() + 1);
    std::set<std::string> here;
    auto rows = m->fetch_meta(inbox.id, UidSet::all());
    ASSERT_TRUE(rows.ok());
    for (const auto& r : *rows) {
      EXPECT_TRUE(here.insert(r.meta.search_text).second) << "delivered twice: " << r.meta.search_text;
      bodies.insert(r.meta.search_text);
    }
    total += uids.size();
  }
  EXPECT_EQ(total, size_t{kThreads * kPerThread * 2});
  for (const auto& b : bodies) EXPECT_EQ(bodies.count(b), 2u) << b;
}

TEST_P(StoreConformance, ChangeBusPublishesInCommitOrder) {
  AccountId id = make_account("alice");
  AccountId other = make_account("bob");
  auto m = mail(id);
  MailboxInfo inbox = mailbox(*m, "INBOX");
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Change> seen;
  int other_calls = 0;
  // Account creation publishes mailbox_created for the default mailboxes asynchronously; ignore those.
  auto is_default = [](const Change& c) {
    return c.kind == Change::Kind::mailbox_created && c.mailbox_name != "New";
  };
  auto sub = store_->changes().subscribe(id, [&](AccountId a, const std::vector<Change>& changes) {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(a, id);
    for (const auto& c : changes)
      if (!is_default(c)) seen.push_back(c);
    cv.notify_all();
  });
  auto sub_other = store_->changes().subscribe(other, [&](AccountId, const std::vector<Change>& changes) {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& c : changes)
      if (!is_default(c)) ++other_calls;
  });
  uint32_t uid = append_text(*m, inbox.id, "hello").uid;
  ASSERT_TRUE(m->set_flags(inbox.id, UidSet::of({uid}), FlagOp::add, Flags{flag::kSeen, {}}, std::nullopt).ok());
  ASSERT_TRUE(m->expunge(inbox.id, UidSet::of({uid})).ok());
  ASSERT_TRUE(m->create_mailbox("New", "").ok());
  ASSERT_TRUE(m->rename_mailbox("New", "Newer").ok());
  ASSERT_TRUE(m->set_subscribed("Newer", true).ok());
  ASSERT_TRUE(m->delete_mailbox("Newer").ok());
  ASSERT_TRUE(wait_until(mu, cv, [&] { return seen.size() >= 7; }));
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(seen.size(), 7u);
  EXPECT_EQ(seen[0].kind, Change::Kind::message_added);
  EXPECT_EQ(seen[0].uids, (std::vector<uint32_t>{uid}));
  EXPECT_EQ(seen[1].kind, Change::Kind::flags_changed);
  EXPECT_EQ(seen[1].flags.system, flag::kSeen);
  EXPECT_EQ(seen[2].kind, Change::Kind::expunged);
  EXPECT_LT(seen[0].modseq, seen[1].modseq);
  EXPECT_LT(seen[1].modseq, seen[2].modseq);
  EXPECT_EQ(seen[3].kind, Change::Kind::mailbox_created);
  EXPECT_EQ(seen[4].kind, Change::Kind::mailbox_renamed);
  EXPECT_EQ(seen[4].old_name, "New");
  EXPECT_EQ(seen[4].mailbox_name, "Newer");
  EXPECT_EQ(seen[5].kind, Change::Kind::subscription_changed);  // IMAP NOTIFY SubscriptionChange
  EXPECT_EQ(seen[5].mailbox_name, "Newer");
  EXPECT_TRUE(seen[5].subscribed);
  EXPECT_EQ(seen[6].kind, Change::Kind::mailbox_deleted);
  EXPECT_EQ(other_calls, 0);  // nothing happened to bob
}

TEST_P(StoreConformance, BlobsAreSharedAndRangeReadable) {
  std::vector<AccountId> accounts = {make_account("a"), make_account("b"), make_account("c")};
  std::string body = "Subject: shared\r\n\r\n" + std::string(10000, 'z') + "END";
  auto blob = store_->blobs().put(body);
  ASSERT_TRUE(blob.ok());
  auto again = store_->blobs().put(body);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*blob, *again);
  std::vector<DeliveryTarget> to;
  for (AccountId a : accounts) to.push_back(DeliveryTarget{a, "INBOX", {}});
  to.push_back(DeliveryTarget{accounts[0], "Nope", {}});
  auto r = store_->deliver(*blob, to, 1700000000, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*r)[i].ok());
    EXPECT_EQ((*r)[i]->uid, 1u);
    EXPECT_EQ((*r)[i]->account, accounts[i]);
  }
  EXPECT_TRUE(has((*r)[3].error(), Errc::not_found));
  for (AccountId a : accounts) {
    auto m = mail(a);
    auto rows = *m->fetch_meta(mailbox(*m, "INBOX").id, UidSet::all());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].blob_id, blob->id);
    EXPECT_EQ(rows[0].size, body.size());
  }
  EXPECT_EQ(*store_->blobs().read_range(blob->id, body.size() - 3, 3), "END");
  EXPECT_EQ(*store_->blobs().read_range(blob->id, 9, 6), "shared");
  auto reader = store_->blobs().open(blob->id);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->size(), body.size());
  EXPECT_EQ(*reader->read_at(0, 7), "Subject");
  EXPECT_TRUE(has(store_->deliver(BlobRef{"../x", 1}, to, 0, {}).error(), Errc::invalid));
}

TEST_P(StoreConformance, BlobIsDeletedAfterLastReference) {
  AccountId alice = make_account("alice");
  AccountId bob = make_account("bob");
  auto ma = mail(alice);
  auto mb = mail(bob);
  MailboxInfo inbox_a = mailbox(*ma, "INBOX");
  MailboxInfo inbox_b = mailbox(*mb, "INBOX");
  auto blob = store_->blobs().put("referenced three times");
  ASSERT_TRUE(blob.ok());
  auto r = store_->deliver(*blob, {{alice, "INBOX", {}}, {bob, "INBOX", {}}}, 0, {});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(ma->copy(inbox_a.id, UidSet::all(), mailbox(*ma, "Archive").id).ok());
  ASSERT_TRUE(ma->expunge(inbox_a.id, UidSet::all()).ok());
  EXPECT_TRUE(store_->blobs().stat(blob->id).ok());
  ASSERT_TRUE(mb->expunge(inbox_b.id, UidSet::all()).ok());
  EXPECT_TRUE(store_->blobs().stat(blob->id).ok());
  // The last reference goes with the account.
  ASSERT_TRUE(store_->directory().remove_account("alice@example.com").ok());
  auto st = store_->blobs().stat(blob->id);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(has(st.error(), Errc::not_found));
  EXPECT_TRUE(has(store_->mail(alice).error(), Errc::not_found));

  // A blob put again after deletion can be delivered again.
  auto back = store_->blobs().put("referenced three times");
  ASSERT_TRUE(back.ok());
  auto again = store_->deliver(*back, {{bob, "INBOX", {}}}, 0, {});
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)[0].ok());
  EXPECT_EQ((*again)[0]->uid, 2u);

  // Expunge of the only reference deletes the file after the commit.
  auto solo = store_->blobs().put("solo");
  ASSERT_TRUE(mb->append(inbox_b.id, *solo, {}, 0, {}).ok());
  ASSERT_TRUE(mb->expunge(inbox_b.id, UidSet::of({3})).ok());
  EXPECT_TRUE(has(store_->blobs().stat(solo->id).error(), Errc::not_found));
}

TEST_P(StoreConformance, SweepRemovesOnlyUnreferencedBlobs) {
  AccountId alice = make_account("alice");
  auto m = mail(alice);
  MailboxInfo inbox = mailbox(*m, "INBOX");
  auto kept = store_->blobs().put("delivered");
  // Large enough to be a file in every backend (small blobs may live in the database, written only by the
  // transaction that references them, so they cannot be orphaned).
  auto orphan = store_->blobs().put("written but never committed" + std::string(512 * 1024, 'o'));
  ASSERT_TRUE(kept.ok() && orphan.ok());
  ASSERT_TRUE(m->append(inbox.id, *kept, {}, 0, {}).ok());
  auto none = store_->sweep_unreferenced_blobs(3600);  // both files are fresh
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0u);
  EXPECT_TRUE(store_->blobs().stat(orphan->id).ok());
  auto swept = store_->sweep_unreferenced_blobs(0);
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1u);
  EXPECT_TRUE(has(store_->blobs().stat(orphan->id).error(), Errc::not_found));
  EXPECT_EQ(*store_->blobs().read(kept->id), "delivered");
}

}  // namespace claret::store::testing
