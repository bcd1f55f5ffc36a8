// Store conformance, IMAP extensions: MULTIAPPEND in one transaction (RFC 3502 §6.3.11 "all or none"), the save
// date (RFC 8514) and \Recent claims (RFC 3501 §2.3.2).
#include <ctime>
#include <string>
#include <vector>

#include "store/errc.hpp"
#include "store/testing/store_conformance.hpp"

namespace claret::store::testing {
namespace {

AppendItem item(Store& st, const std::string& body, uint32_t flags = 0) {
  AppendItem it;
  auto blob = st.blobs().put(body);
  EXPECT_TRUE(blob.ok());
  it.blob = *blob;
  it.flags = Flags{flags, {}};
  it.internaldate = 1700000000;
  it.meta.search_text = body;
  return it;
}

}  // namespace

TEST_P(StoreConformance, AppendManyAppendsAllInOrder) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  append_text(*m, inbox.id, "first");
  std::vector<AppendItem> items = {item(*store_, "one", flag::kSeen), item(*store_, "two"), item(*store_, "one")};
  auto r = m->append_many(inbox.id, items);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  for (uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*r)[i].uid, i + 2);
    EXPECT_EQ((*r)[i].uidvalidity, inbox.uidvalidity);
  }
  auto recs = m->fetch_records(inbox.id, UidSet::all());
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 4u);
  EXPECT_EQ((*recs)[1].flags.system, flag::kSeen);
  EXPECT_EQ((*recs)[1].blob_id, (*recs)[3].blob_id);  // identical content shares its blob
  EXPECT_EQ(m->status(inbox.id)->messages, 4u);
  EXPECT_TRUE(m->append_many(inbox.id, {}).ok());
}

TEST_P(StoreConformance, AppendManyIsAllOrNothing) {
  AccountId id = make_account("alice", 100);
  auto m = mail(id);
  MailboxInfo inbox = mailbox(*m, "INBOX");
  auto before = m->status(inbox.id);
  ASSERT_TRUE(before.ok());
  // The third message exceeds the quota: the first two must not stay.
  std::vector<AppendItem> items = {item(*store_, std::string(40, 'a')), item(*store_, std::string(40, 'b')),
                                   item(*store_, std::string(40, 'c'))};
  auto r = m->append_many(inbox.id, items);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has(r.error(), Errc::over_quota));
  auto after = m->status(inbox.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->messages, 0u);
  EXPECT_EQ(after->uidnext, before->uidnext);  // no UID was used up
  EXPECT_EQ(after->highestmodseq, before->highestmodseq);
  EXPECT_EQ(*store_->directory().usage("alice@example.com"), 0u);
  EXPECT_TRUE(m->list_uids(inbox.id)->empty());
  // An invalid item (bad blob id) fails the whole call the same way.
  std::vector<AppendItem> bad = {item(*store_, "ok")};
  bad.push_back(bad[0]);
  bad[1].blob.id = "not-a-blob-id";
  EXPECT_TRUE(has(m->append_many(inbox.id, bad).error(), Errc::invalid));
  EXPECT_TRUE(m->list_uids(inbox.id)->empty());
  EXPECT_TRUE(has(m->append_many(999999, {item(*store_, "x")}).error(), Errc::not_found));
}

TEST_P(StoreConformance, SaveDateIsWhenSavedInThisMailbox) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  MailboxInfo archive = mailbox(*m, "Archive");
  const int64_t t0 = static_cast<int64_t>(std::time(nullptr));
  append_text(*m, inbox.id, "old message", {}, 1000000000);  // internal date in 2001
  ASSERT_TRUE(m->copy(inbox.id, UidSet::all(), archive.id).ok());
  const int64_t t1 = static_cast<int64_t>(std::time(nullptr));
  for (MailboxId box : {inbox.id, archive.id}) {
    auto recs = m->fetch_records(box, UidSet::all());
    ASSERT_TRUE(recs.ok());
    ASSERT_EQ(recs->size(), 1u);
    EXPECT_EQ((*recs)[0].internaldate, 1000000000);
    EXPECT_GE((*recs)[0].savedate, t0);
    EXPECT_LE((*recs)[0].savedate, t1);
    auto meta = m->fetch_meta(box, UidSet::all());
    ASSERT_TRUE(meta.ok());
    EXPECT_EQ((*meta)[0].savedate, (*recs)[0].savedate);
  }
  EXPECT_EQ(m->search(inbox.id, SearchKey::saved_since_time(t0))->size(), 1u);
  EXPECT_TRUE(m->search(inbox.id, SearchKey::saved_before_time(t0))->empty());
  EXPECT_EQ(m->search(inbox.id, SearchKey::saved_before_time(t1 + 1))->size(), 1u);
  EXPECT_TRUE(m->search(inbox.id, SearchKey::saved_since_time(t1 + 1))->empty());
}

TEST_P(StoreConformance, FetchSortFieldsReadsOnlyTheSortColumns) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  MessageMeta meta;
  meta.envelope = "(\"env\")";
  meta.body_structure = "(\"TEXT\" \"PLAIN\")";
  meta.subject = "base subject";
  meta.from_addr = "f@x.y";
  meta.from_name = "F";
  meta.to_addr = "t@x.y";
  meta.cc_addr = "c@x.y";
  meta.message_id = "<m@x.y>";
  meta.in_reply_to = "<p@x.y>";
  meta.references = "<r@x.y> <p@x.y>";
  meta.sent_date = 1690000000;
  append_text(*m, inbox.id, "one", {flag::kSeen, {}}, 1700000001, meta);
  append_text(*m, inbox.id, "two", {}, 1700000002, {});
  auto rows = m->fetch_sort_fields(inbox.id, UidSet::of({1}));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  const MessageRecord& r = (*rows)[0];
  EXPECT_EQ(r.uid, 1u);
  EXPECT_EQ(r.flags.system, flag::kSeen);
  EXPECT_EQ(r.internaldate, 1700000001);
  EXPECT_EQ(r.meta.subject, "base subject");
  EXPECT_EQ(r.meta.from_addr, "f@x.y");
  EXPECT_EQ(r.meta.from_name, "F");
  EXPECT_EQ(r.meta.to_addr, "t@x.y");
  EXPECT_EQ(r.meta.cc_addr, "c@x.y");
  EXPECT_EQ(r.meta.message_id, "<m@x.y>");
  EXPECT_EQ(r.meta.in_reply_to, "<p@x.y>");
  EXPECT_EQ(r.meta.references, "<r@x.y> <p@x.y>");
  EXPECT_EQ(r.meta.sent_date, 1690000000);
  EXPECT_TRUE(r.meta.envelope.empty());
  EXPECT_TRUE(r.meta.body_structure.empty());
  EXPECT_EQ(m->fetch_sort_fields(inbox.id, UidSet::all())->size(), 2u);
}

TEST_P(StoreConformance, RecentIsClaimedOnce) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  append_text(*m, inbox.id, "one");
  append_text(*m, inbox.id, "two");
  auto st = m->status(inbox.id);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->recent, 2u);
  EXPECT_EQ(st->first_recent_uid, 1u);
  auto first = m->claim_recent(inbox.id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->from, 1u);
  EXPECT_EQ(first->to, 3u);
  const uint64_t modseq = m->status(inbox.id)->highestmodseq;
  auto second = m->claim_recent(inbox.id);  // nothing new: an empty range
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->from, second->to);
  EXPECT_EQ(m->status(inbox.id)->recent, 0u);
  EXPECT_EQ(m->status(inbox.id)->highestmodseq, modseq);  // not a message change
  append_text(*m, inbox.id, "three");
  EXPECT_EQ(m->status(inbox.id)->recent, 1u);
  auto third = m->claim_recent(inbox.id);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->from, 3u);
  EXPECT_EQ(third->to, 4u);
  EXPECT_TRUE(has(m->claim_recent(999999).error(), Errc::not_found));
}

// SELECT's one read: the mailbox row, its listing and the \Recent mark agree with the separate calls.
TEST_P(StoreConformance, SelectSnapshotIsOneConsistentRead) {
  auto m = mail(make_account("alice"));
  MailboxInfo inbox = mailbox(*m, "INBOX");
  append_text(*m, inbox.id, "one");
  append_text(*m, inbox.id, "two");
  ASSERT_TRUE(m->set_flags(inbox.id, UidSet::of({1}), FlagOp::add, Flags{flag::kSeen, {}}, std::nullopt).ok());
  auto snap = m->select_snapshot("inbox");  // any case for INBOX
  ASSERT_TRUE(snap.ok());
  const MailboxStatus st = *m->status(inbox.id);
  EXPECT_EQ(snap->info.id, inbox.id);
  EXPECT_EQ(snap->info.uidvalidity, st.uidvalidity);
  EXPECT_EQ(snap->info.uidnext, st.uidnext);
  EXPECT_EQ(snap->info.highestmodseq, st.highestmodseq);
  ASSERT_NE(snap->listing, nullptr);
  EXPECT_EQ(snap->listing->uids, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(snap->listing->uidnext, st.uidnext);
  EXPECT_EQ(snap->listing->first_unseen, std::optional<uint32_t>(2));
  EXPECT_EQ(snap->first_recent_uid, 1u);  // nothing claimed yet
  ASSERT_TRUE(m->claim_recent(inbox.id).ok());
  EXPECT_EQ(m->select_snapshot("INBOX")->first_recent_uid, 3u);
  EXPECT_TRUE(has(m->select_snapshot("Nope").error(), Errc::not_found));
  // A \Noselect name (a deleted mailbox kept for its children) cannot be selected.
  ASSERT_TRUE(m->create_mailbox("Work/Old/Child", "").ok());
  ASSERT_TRUE(m->delete_mailbox("Work/Old").ok());
  EXPECT_TRUE(has(m->select_snapshot("Work/Old").error(), Errc::invalid));
  EXPECT_TRUE(m->select_snapshot("Work/Old/Child").ok());
}

}  // namespace claret::store::testing
