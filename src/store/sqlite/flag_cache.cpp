// FlagCache: per-mailbox FlagListing validated against the mailbox row (flag_cache.hpp explains the key).
#include "store/sqlite/flag_cache.hpp"

#include <algorithm>
#include <tuple>

#include "store/sqlite/flag_queries.hpp"
#include "store/sqlite/message_rows.hpp"

namespace claret::store::sqlite {

FlagCache::Lookup FlagCache::get(Connection& db, AccountId account, MailboxId mailbox, bool build_small) {
  Lookup out;
  Key k;
  {
    // First read of the transaction: it fixes the snapshot the listing must match.
    auto q = db.query(flag_sql::kMailboxKey, mailbox, account);
    if (!q.step()) return out;
    k.uidvalidity = static_cast<uint32_t>(q.int64(0));
    k.uidnext = static_cast<uint32_t>(q.int64(1));
    k.highestmodseq = static_cast<uint64_t>(q.int64(2));
    k.total = static_cast<uint64_t>(q.int64(3));
    k.unseen = static_cast<uint64_t>(q.int64(4));
  }
  return get_with_key(db, mailbox, k, build_small);
}

FlagCache::Lookup FlagCache::get_with_key(Connection& db, MailboxId mailbox, const Key& k, bool build_small) {
  Lookup out;
  out.found = true;
  const bool cacheable = k.total >= options_.min_messages;
  if (!cacheable && !build_small) return out;

  std::shared_ptr<const FlagListing> cached;
  if (cacheable) {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(mailbox); it != entries_.end()) {
      cached = it->second.listing;
      it->second.used = ++tick_;
      if (current(*cached, k)) {
        ++stats_.hits;
        out.listing = std::move(cached);
        return out;
      }
    }
  }
  std::shared_ptr<FlagListing> built;
  // Only forward: a reader on an older snapshot than the cached listing reads its own from scratch.
  if (cached && cached->uidvalidity == k.uidvalidity && cached->highestmodseq < k.highestmodseq)
    built = merge(db, *cached, k);
  {
    std::lock_guard lock(mu_);
    if (built) ++stats_.merges;
    else ++stats_.full_reads;
  }
  if (!built) built = read_all(db, mailbox, k);
  out.listing = built;
  if (cacheable) publish(mailbox, std::move(built));
  return out;
}

FlagCache::Stats FlagCache::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

bool FlagCache::current(const FlagListing& l, const Key& k) {
  return l.uidvalidity == k.uidvalidity && l.uidnext == k.uidnext && l.highestmodseq == k.highestmodseq &&
         l.records.size() == k.total;
}

std::shared_ptr<FlagListing> FlagCache::read_all(Connection& db, MailboxId mailbox, const Key& k) {
  auto l = std::make_shared<FlagListing>();
  l->mailbox = mailbox;
  l->records.reserve(k.total);
  // The covering index messages_flags, in uid order (flag_index_test.cpp checks the plan).
  auto q = db.query(flag_sql::kListFlags, mailbox);
  while (q.step()) l->records.push_back(flag_record_from_row(q));
  finish(*l, k);
  return l;
}

std::shared_ptr<FlagListing> FlagCache::merge(Connection& db, const FlagListing& old, const Key& k) {
  // Rows added or re-flagged since the old listing (messages_by_modseq, covering), and UIDs expunged since (the
  // QRESYNC table), both in uid order.
  std::vector<FlagRecord> changed;
  {
    auto q = db.query(flag_sql::kChangesSince, old.mailbox, static_cast<int64_t>(old.highestmodseq));
    while (q.step()) changed.push_back(flag_record_from_row(q));
  }
  std::vector<uint32_t> expunged;
  {
    auto q = db.query(flag_sql::kExpungedSince, old.mailbox, static_cast<int64_t>(old.highestmodseq));
    while (q.step()) expunged.push_back(static_cast<uint32_t>(q.int64(0)));
  }
  auto l = std::make_shared<FlagListing>();
  l->mailbox = old.mailbox;
  l->records.reserve(old.records.size() + changed.size());
  auto c = changed.begin();
  auto e = expunged.begin();
  for (const auto& r : old.records) {
    while (c != changed.end() && c->uid < r.uid) l->records.push_back(std::move(*c++));
    if (c != changed.end() && c->uid == r.uid) {
      l->records.push_back(std::move(*c++));
      continue;
    }
    e = std::lower_bound(e, expunged.end(), r.uid);
    if (e != expunged.end() && *e == r.uid) continue;
    l->records.push_back(r);
  }
  while (c != changed.end()) l->records.push_back(std::move(*c++));
  // The result must agree with the mailbox row; if not (expunge records trimmed, messages removed without one, as
  // when a mailbox with children is deleted), the caller reads from scratch.
  if (l->records.size() != k.total || (!l->records.empty() && l->records.back().uid >= k.uidnext)) return nullptr;
  finish(*l, k);
  return l;
}

void FlagCache::finish(FlagListing& l, const Key& k) {
  l.uidvalidity = k.uidvalidity;
  l.uidnext = k.uidnext;
  l.highestmodseq = k.highestmodseq;
  l.uids.reserve(l.records.size());
  for (const auto& r : l.records) l.uids.push_back(r.uid);
  // The maintained unseen count says when there is none to look for (a fully read mailbox).
  if (k.unseen > 0) {
    for (const auto& r : l.records) {
      if ((r.flags.system & flag::kSeen) == 0) {
        l.first_unseen = r.uid;
        break;
      }
    }
  }
}

void FlagCache::publish(MailboxId mailbox, std::shared_ptr<const FlagListing> listing) {
  std::lock_guard lock(mu_);
  Entry& e = entries_[mailbox];
  // Never replace a newer listing with one from an older snapshot (UIDVALIDITY only grows, per database).
  if (e.listing && std::tie(e.listing->uidvalidity, e.listing->highestmodseq) >
                       std::tie(listing->uidvalidity, listing->highestmodseq))
    return;
  if (e.listing) records_ -= e.listing->records.size();
  records_ += listing->records.size();
  e.listing = std::move(listing);
  e.used = ++tick_;
  // Over budget: drop the least recently used other listings (sessions holding them keep their copy alive).
  while (records_ > options_.max_records && entries_.size() > 1) {
    auto victim = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->first != mailbox && (victim == entries_.end() || it->second.used < victim->second.used)) victim = it;
    if (victim == entries_.end()) break;
    records_ -= victim->second.listing->records.size();
    entries_.erase(victim);
  }
}

}  // namespace claret::store::sqlite
