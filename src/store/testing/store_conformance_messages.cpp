// Store conformance, messages: append, flags and MODSEQ (RFC 7162), expunge, copy/move (RFC 4315, RFC 6851),
// quota, search and threads.
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

TEST_P(StoreConformance, AppendAssignsDenseUidsAndKeepsMeta) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  MessageMeta meta;
  meta.envelope = "(\"env\")";
  meta.body_structure = "(\"TEXT\" \"PLAIN\")";
  meta.body = "(\"TEXT\")";
  meta.part_map = std::string("\0\x01\x02", 3);
  meta.preview = "Hello";
  meta.subject = "Greetings";
  meta.from_addr = "x@y.z";
  meta.from_name = "X";
  meta.to_addr = "alice@example.com";
  meta.cc_addr = "c@d.e";
  meta.message_id = "<m1@y.z>";
  meta.sent_date = 1690000000;
  meta.has_attachments = true;
  uint64_t last_modseq = inbox.highestmodseq;
  for (uint32_t i = 1; i <= 5; ++i) {
    auto r = append_text(*m, inbox.id, "Subject: " + std::to_string(i) + "\r\n\r\nbody", {i % 2 ? flag::kSeen : 0u, {}},
                         1700000000 + i, meta);
    EXPECT_EQ(r.uid, i);
    EXPECT_EQ(r.uidvalidity, inbox.uidvalidity);
    EXPECT_GT(r.modseq, last_modseq);
    last_modseq = r.modseq;
  }
  auto st = m->status(inbox.id);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->messages, 5u);
  EXPECT_EQ(st->uidnext, 6u);
  EXPECT_EQ(st->unseen, 2u);
  EXPECT_EQ(st->uidvalidity, inbox.uidvalidity);
  EXPECT_EQ(st->highestmodseq, last_modseq);
  EXPECT_EQ(st->size, 5u * std::string("Subject: 1\r\n\r\nbody").size());
  EXPECT_EQ(*m->list_uids(inbox.id), (std::vector<uint32_t>{1, 2, 3, 4, 5}));

  auto rows = m->fetch_meta(inbox.id, UidSet::range(2, 3));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const MessageRecord& r = (*rows)[0];
  EXPECT_EQ(r.uid, 2u);
  EXPECT_EQ(r.internaldate, 1700000002);
  EXPECT_EQ(r.flags.system, 0u);
  EXPECT_EQ(*store_->blobs().read(r.blob_id), "Subject: 2\r\n\r\nbody");
  MessageMeta expected = meta;
  expected.search_text = "Subject: 2\r\n\r\nbody";
  EXPECT_EQ(r.meta, expected);
  EXPECT_EQ(m->fetch_meta(inbox.id, UidSet::of({1, 5, 9}))->size(), 2u);
  // fetch_records: the same records without their metadata.
  auto light = m->fetch_records(inbox.id, UidSet::of({1, 2, 3, 5, 9}));
  ASSERT_TRUE(light.ok());
  ASSERT_EQ(light->size(), 4u);
  EXPECT_EQ((*light)[1].uid, 2u);
  EXPECT_EQ((*light)[1].internaldate, 1700000002);
  EXPECT_EQ((*light)[1].modseq, r.modseq);
  EXPECT_EQ((*light)[1].size, r.size);
  EXPECT_EQ((*light)[1].blob_id, r.blob_id);
  EXPECT_EQ((*light)[1].flags, r.flags);
  EXPECT_EQ((*light)[1].meta, MessageMeta{});

  auto other = mail(make_account("bob"));
  EXPECT_TRUE(has(other->fetch_meta(inbox.id, UidSet::all()).error(), Errc::not_found));  // not bob's mailbox
  EXPECT_TRUE(has(other->fetch_records(inbox.id, UidSet::all()).error(), Errc::not_found));
  BlobRef missing{std::string(64, 'a'), 3};
  EXPECT_FALSE(m->append(inbox.id, missing, {}, 0, {}).ok());
}

TEST_P(StoreConformance, SetFlagsModseqAndUnchangedSince) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  for (int i = 0; i < 3; ++i) append_text(*m, inbox.id, "msg " + std::to_string(i));
  uint64_t before = m->status(inbox.id)->highestmodseq;

  auto r = m->set_flags(inbox.id, UidSet::range(1, 2), FlagOp::add, Flags{flag::kSeen, {"$Label1"}}, std::nullopt);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->updated.size(), 2u);
  EXPECT_TRUE(r->updated[0].changed);
  EXPECT_EQ(r->updated[0].flags, (Flags{flag::kSeen, {"$Label1"}}));
  uint64_t m1 = r->updated[0].modseq;
  EXPECT_GT(m1, before);
  EXPECT_EQ(r->changes.size(), 2u);
  EXPECT_EQ(m->status(inbox.id)->highestmodseq, m1);
  EXPECT_EQ(m->status(inbox.id)->unseen, 1u);

  // Same flags again: nothing changes, no new modseq.
  auto same = m->set_flags(inbox.id, UidSet::range(1, 2), FlagOp::add, Flags{flag::kSeen, {"$label1"}}, std::nullopt);
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->updated[0].changed);
  EXPECT_TRUE(same->changes.empty());
  EXPECT_EQ(m->status(inbox.id)->highestmodseq, m1);

  auto rem = m->set_flags(inbox.id, UidSet::range(1, 1), FlagOp::remove, Flags{0, {"$LABEL1"}}, std::nullopt);
  ASSERT_TRUE(rem.ok());
  EXPECT_EQ(rem->updated[0].flags, (Flags{flag::kSeen, {}}));
  uint64_t m2 = rem->updated[0].modseq;
  EXPECT_GT(m2, m1);

  auto rep = m->set_flags(inbox.id, UidSet::range(3, 3), FlagOp::replace, Flags{flag::kFlagged | flag::kDraft, {"b", "A", "a"}},
                          std::nullopt);
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->updated[0].flags, (Flags{flag::kFlagged | flag::kDraft, {"A", "b"}}));
  uint64_t m3 = rep->updated[0].modseq;
  EXPECT_GT(m3, m2);

  // UNCHANGEDSINCE m2: uid 3 (modseq m3) fails, uids 1 (m2) and 2 (m1) are stored.
  auto cond = m->set_flags(inbox.id, UidSet::all(), FlagOp::add, Flags{flag::kAnswered, {}}, m2);
  ASSERT_TRUE(cond.ok());
  EXPECT_EQ(cond->failed, (std::vector<uint32_t>{3}));
  ASSERT_EQ(cond->updated.size(), 2u);
  EXPECT_EQ(cond->updated[0].uid, 1u);
  EXPECT_EQ(cond->updated[1].uid, 2u);
  uint64_t m4 = cond->updated[0].modseq;
  EXPECT_GT(m4, m3);

  auto since = m->changes_since(inbox.id, m3);
  ASSERT_TRUE(since.ok());
  ASSERT_EQ(since->changed.size(), 2u);
  EXPECT_EQ(since->changed[0].uid, 1u);
  EXPECT_EQ(since->changed[0].modseq, m4);
  EXPECT_EQ(since->highestmodseq, m4);
  EXPECT_TRUE(since->expunged.empty());
  EXPECT_EQ(m->changes_since(inbox.id, m4)->changed.size(), 0u);
}

// fetch_flags: UID, MODSEQ and flags only, for the uids asked, optionally only those changed since a modseq.
TEST_P(StoreConformance, FetchFlagsListsUidModseqAndFlags) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  for (uint32_t i = 1; i <= 6; ++i) append_text(*m, inbox.id, "m" + std::to_string(i), {i == 2 ? flag::kSeen : 0u, {}});
  auto kw = m->set_flags(inbox.id, UidSet::of({3, 5}), FlagOp::add, Flags{flag::kFlagged, {"$Work", "Later"}},
                         std::nullopt);
  ASSERT_TRUE(kw.ok());
  const uint64_t changed = kw->updated[0].modseq;
  ASSERT_TRUE(m->expunge(inbox.id, UidSet::of({4})).ok());

  auto all = m->fetch_flags(inbox.id, UidSet::all(), 0);
  ASSERT_TRUE(all.ok());
  auto full = m->fetch_records(inbox.id, UidSet::all());
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(all->size(), 5u);
  ASSERT_EQ(full->size(), 5u);
  for (size_t i = 0; i < all->size(); ++i) {  // the same values fetch_records reads from the rows
    EXPECT_EQ((*all)[i].uid, (*full)[i].uid);
    EXPECT_EQ((*all)[i].modseq, (*full)[i].modseq);
    EXPECT_EQ((*all)[i].flags, (*full)[i].flags);
  }
  EXPECT_EQ((*all)[1].flags, (Flags{flag::kSeen, {}}));
  EXPECT_EQ((*all)[2].flags, (Flags{flag::kFlagged, {"$Work", "Later"}}));

  auto some = m->fetch_flags(inbox.id, UidSet::of({1, 3, 4, 6, 9}), 0);
  ASSERT_TRUE(some.ok());
  std::vector<uint32_t> uids;
  for (const auto& r : *some) uids.push_back(r.uid);
  EXPECT_EQ(uids, (std::vector<uint32_t>{1, 3, 6}));

  auto since = m->fetch_flags(inbox.id, UidSet::range(1, 6), changed - 1);
  ASSERT_TRUE(since.ok());
  ASSERT_EQ(since->size(), 2u);
  EXPECT_EQ((*since)[0].uid, 3u);
  EXPECT_EQ((*since)[1].uid, 5u);
  EXPECT_EQ((*since)[1].modseq, changed);
  EXPECT_TRUE(m->fetch_flags(inbox.id, UidSet::all(), changed)->empty());

  auto other = mail(make_account("bob"));
  EXPECT_TRUE(has(other->fetch_flags(inbox.id, UidSet::all(), 0).error(), Errc::not_found));
}

TEST_P(StoreConformance, FirstUnseenIsTheLowestUidWithoutSeen) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  EXPECT_EQ(*m->first_unseen(inbox.id), std::nullopt);
  for (int i = 0; i < 4; ++i) append_text(*m, inbox.id, "msg " + std::to_string(i));
  EXPECT_EQ(*m->first_unseen(inbox.id), std::optional<uint32_t>(1));
  ASSERT_TRUE(m->set_flags(inbox.id, UidSet::range(1, 2), FlagOp::add, Flags{flag::kSeen, {}}, std::nullopt).ok());
  EXPECT_EQ(*m->first_unseen(inbox.id), std::optional<uint32_t>(3));
  ASSERT_TRUE(m->set_flags(inbox.id, UidSet::range(3, 4), FlagOp::add, Flags{flag::kSeen, {}}, std::nullopt).ok());
  EXPECT_EQ(*m->first_unseen(inbox.id), std::nullopt);
  EXPECT_FALSE(m->first_unseen(inbox.id + 1000).ok());
}

TEST_P(StoreConformance, ExpungeRecordsForQresync) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  for (int i = 0; i < 5; ++i) append_text(*m, inbox.id, "msg " + std::to_string(i));
  uint64_t before = m->status(inbox.id)->highestmodseq;
  auto e = m->expunge(inbox.id, UidSet::of({2, 4, 99}));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->uids, (std::vector<uint32_t>{2, 4}));
  EXPECT_GT(e->modseq, before);
  ASSERT_EQ(e->changes.size(), 1u);
  EXPECT_EQ(e->changes[0].kind, Change::Kind::expunged);
  EXPECT_EQ(*m->list_uids(inbox.id), (std::vector<uint32_t>{1, 3, 5}));
  auto since = m->changes_since(inbox.id, before);
  ASSERT_TRUE(since.ok());
  EXPECT_EQ(since->expunged, (std::vector<uint32_t>{2, 4}));
  EXPECT_TRUE(m->changes_since(inbox.id, e->modseq)->expunged.empty());
  // UIDs are never reused.
  EXPECT_EQ(append_text(*m, inbox.id, "after").uid, 6u);
  auto none = m->expunge(inbox.id, UidSet::of({2}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->uids.empty());
  EXPECT_EQ(m->status(inbox.id)->messages, 4u);
}

TEST_P(StoreConformance, CopyAndMoveReturnUidMapping) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  MailboxInfo archive = mailbox(*m, "Archive");
  for (int i = 0; i < 4; ++i) append_text(*m, inbox.id, "msg " + std::to_string(i), {flag::kSeen, {"kw"}});
  append_text(*m, archive.id, "already there");

  auto c = m->copy(inbox.id, UidSet::of({1, 3}), archive.id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->dest_uidvalidity, archive.uidvalidity);
  EXPECT_EQ(c->uid_map, (std::vector<std::pair<uint32_t, uint32_t>>{{1, 2}, {3, 3}}));
  auto copied = m->fetch_meta(archive.id, UidSet::of({2}));
  ASSERT_EQ(copied->size(), 1u);
  EXPECT_EQ((*copied)[0].flags, (Flags{flag::kSeen, {"kw"}}));
  EXPECT_EQ(*store_->blobs().read((*copied)[0].blob_id), "msg 0");
  EXPECT_EQ(m->status(inbox.id)->messages, 4u);

  uint64_t inbox_modseq = m->status(inbox.id)->highestmodseq;
  auto mv = m->move(inbox.id, UidSet::range(2, 4), archive.id);
  ASSERT_TRUE(mv.ok());
  EXPECT_EQ(mv->uid_map, (std::vector<std::pair<uint32_t, uint32_t>>{{2, 4}, {3, 5}, {4, 6}}));
  EXPECT_EQ(*m->list_uids(inbox.id), (std::vector<uint32_t>{1}));
  EXPECT_EQ(*m->list_uids(archive.id), (std::vector<uint32_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(m->changes_since(inbox.id, inbox_modseq)->expunged, (std::vector<uint32_t>{2, 3, 4}));
  bool saw_expunge = std::any_of(mv->changes.begin(), mv->changes.end(),
                                 [](const Change& ch) { return ch.kind == Change::Kind::expunged; });
  EXPECT_TRUE(saw_expunge);
  EXPECT_TRUE(has(m->move(inbox.id, UidSet::all(), inbox.id).error(), Errc::invalid));
  auto empty = m->copy(inbox.id, UidSet::of({77}), archive.id);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->uid_map.empty());
}

TEST_P(StoreConformance, QuotaIsEnforcedAndUsageTracked) {
  AccountId id = make_account("alice", 100);
  auto m = mail(id);
  MailboxInfo inbox = mailbox(*m, "INBOX");
  MailboxInfo trash = mailbox(*m, "Trash");
  append_text(*m, inbox.id, std::string(60, 'a'));
  EXPECT_EQ(*store_->directory().usage("alice@example.com"), 60u);
  auto blob = store_->blobs().put(std::string(50, 'b'));
  auto over = m->append(inbox.id, *blob, {}, 0, {});
  ASSERT_FALSE(over.ok());
  EXPECT_TRUE(has(over.error(), Errc::over_quota));
  EXPECT_TRUE(has(m->copy(inbox.id, UidSet::all(), trash.id).error(), Errc::over_quota));
  auto moved = m->move(inbox.id, UidSet::all(), trash.id);  // a move does not grow usage
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*store_->directory().usage("alice@example.com"), 60u);
  auto delivered = store_->deliver(*blob, {DeliveryTarget{id, "INBOX", {}}}, 0, {});
  ASSERT_TRUE(delivered.ok());
  EXPECT_TRUE(has((*delivered)[0].error(), Errc::over_quota));
  ASSERT_TRUE(m->expunge(trash.id, UidSet::all()).ok());
  EXPECT_EQ(*store_->directory().usage("alice@example.com"), 0u);
  EXPECT_TRUE(m->append(inbox.id, *blob, {}, 0, {}).ok());
  EXPECT_EQ(*store_->directory().usage("alice@example.com"), 50u);
}

TEST_P(StoreConformance, SearchCriteriaAndFullText) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  append_text(*m, inbox.id, "The quick brown fox", {flag::kSeen, {}}, 1000);                        // 1
  append_text(*m, inbox.id, "jumps over the lazy dog " + std::string(100, 'x'), {0, {"Work"}}, 2000);  // 2
  append_text(*m, inbox.id, "Quarterly REPORT, café numbers", {flag::kFlagged, {}}, 3000);           // 3
  append_text(*m, inbox.id, "foxes and dogs", {flag::kSeen | flag::kDeleted, {}}, 4000);             // 4
  using V = std::vector<uint32_t>;
  auto s = [&](const SearchKey& k) {
    auto r = m->search(inbox.id, k);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : V{};
  };
  EXPECT_EQ(s(SearchKey::all()), (V{1, 2, 3, 4}));
  EXPECT_EQ(s(SearchKey::full_text("fox")), (V{1, 4}));  // word prefix: "foxes" matches too
  EXPECT_EQ(s(SearchKey::full_text("QUICK brown")), (V{1}));
  EXPECT_EQ(s(SearchKey::full_text("cafe")), (V{3}));  // diacritics folded
  EXPECT_EQ(s(SearchKey::full_text("report\"")), (V{3}));  // quotes are literal, never FTS syntax
  EXPECT_EQ(s(SearchKey::full_text("NEAR(")), (V{}));
  EXPECT_EQ(s(SearchKey::full_text("")), (V{1, 2, 3, 4}));
  EXPECT_EQ(s(SearchKey::with_flags(flag::kSeen)), (V{1, 4}));
  EXPECT_EQ(s(SearchKey::without_flags(flag::kSeen)), (V{2, 3}));
  EXPECT_EQ(s(SearchKey::with_flags(flag::kSeen | flag::kDeleted)), (V{4}));
  EXPECT_EQ(s(SearchKey::has_keyword("work")), (V{2}));
  EXPECT_EQ(s(SearchKey::lacks_keyword("Work")), (V{1, 3, 4}));
  EXPECT_EQ(s(SearchKey::larger_than(50)), (V{2}));
  EXPECT_EQ(s(SearchKey::smaller_than(20)), (V{1, 4}));
  EXPECT_EQ(s(SearchKey::before_time(2000)), (V{1}));
  EXPECT_EQ(s(SearchKey::since_time(3000)), (V{3, 4}));
  EXPECT_EQ(s(SearchKey::uid_set(UidSet::of({2, 4, 9}))), (V{2, 4}));
  UidSet many;
  for (uint32_t u = 1; u < 200; u += 2) many.add(u);  // 100 ranges: the large-set path
  EXPECT_EQ(s(SearchKey::uid_set(many)), (V{1, 3}));
  EXPECT_EQ(s(SearchKey::all_of({SearchKey::full_text("fox"), SearchKey::without_flags(flag::kDeleted)})), (V{1}));
  EXPECT_EQ(s(SearchKey::any_of({SearchKey::full_text("dog"), SearchKey::with_flags(flag::kFlagged)})),
            (V{2, 3, 4}));
  EXPECT_EQ(s(SearchKey::negate(SearchKey::full_text("fox"))), (V{2, 3}));
  uint64_t modseq = m->status(inbox.id)->highestmodseq;
  ASSERT_TRUE(m->set_flags(inbox.id, UidSet::of({3}), FlagOp::add, Flags{flag::kSeen, {}}, std::nullopt).ok());
  EXPECT_EQ(s(SearchKey::modseq_at_least(static_cast<int64_t>(modseq) + 1)), (V{3}));
  // Expunged messages leave the full-text index.
  ASSERT_TRUE(m->expunge(inbox.id, UidSet::of({1})).ok());
  EXPECT_EQ(s(SearchKey::full_text("fox")), (V{4}));
  SearchKey bad;
  bad.kind = SearchKey::Kind::not_;
  EXPECT_TRUE(has(m->search(inbox.id, bad).error(), Errc::invalid));
}

TEST_P(StoreConformance, ThreadsFollowReplies) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  MessageMeta root;
  root.message_id = "<root@x>";
  MessageMeta reply;
  reply.message_id = "<reply@x>";
  reply.in_reply_to = "<root@x>";
  reply.references = "<root@x>";
  MessageMeta deep;
  deep.message_id = "<deep@x>";
  deep.references = "<root@x> <reply@x>";
  MessageMeta other;
  other.message_id = "<other@x>";
  uint32_t a = append_text(*m, inbox.id, "root", {}, 1, root).uid;
  uint32_t b = append_text(*m, inbox.id, "reply", {}, 2, reply).uid;
  uint32_t c = append_text(*m, inbox.id, "deep", {}, 3, deep).uid;
  uint32_t d = append_text(*m, inbox.id, "other", {}, 4, other).uid;
  auto rows = *m->fetch_meta(inbox.id, UidSet::of({a, b, c, d}));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].thread_id, rows[1].thread_id);
  EXPECT_EQ(rows[0].thread_id, rows[2].thread_id);
  EXPECT_NE(rows[0].thread_id, rows[3].thread_id);
}

}  // namespace claret::store::testing
