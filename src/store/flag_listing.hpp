// FlagListing: every UID and flag set of one mailbox at one HIGHESTMODSEQ (MailStore::flag_listing). SELECT's
// sequence map and [UNSEEN n], and FETCH 1:* (UID FLAGS), of a 100,000-message mailbox are answered from it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "store/types.hpp"
#include "store/uid_set.hpp"

namespace claret::store {

// Immutable once made: the store hands the same object to every session that asks while the mailbox is unchanged
// (shared_ptr<const FlagListing>), so nobody may modify it.
struct FlagListing {
  MailboxId mailbox = 0;
  uint32_t uidvalidity = 0;
  uint32_t uidnext = 1;
  uint64_t highestmodseq = 0;
  std::vector<uint32_t> uids;       // ascending: SELECT's sequence map
  std::vector<FlagRecord> records;  // the same messages in the same order (records[i].uid == uids[i])
  std::optional<uint32_t> first_unseen;  // the lowest UID without \Seen
};

// Calls fn(record) for each record of `l` in `uids` with modseq > changed_since, in uid order: one binary search
// per range of the set, so FETCH 7 (FLAGS) does not walk 100,000 records.
template <typename Fn>
void for_each_flag_record(const FlagListing& l, const UidSet& uids, uint64_t changed_since, Fn&& fn) {
  auto it = l.records.begin();
  for (const auto& range : uids.ranges()) {
    it = std::lower_bound(it, l.records.end(), range.first,
                          [](const FlagRecord& r, uint32_t uid) { return r.uid < uid; });
    for (; it != l.records.end() && it->uid <= range.last; ++it)
      if (it->modseq > changed_since) fn(*it);
    if (it == l.records.end()) break;
  }
}

}  // namespace claret::store
