// FlagCache: the latest FlagListing of each big mailbox, shared by every session of the process, so SELECT and
// FETCH 1:* (UID FLAGS) of a 100,000-message mailbox cost one mailbox-row read instead of 100,000 index entries.
//
// Validation, not notification: every lookup runs inside the caller's read transaction and first reads the mailbox
// row's (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, message count). Every change to a mailbox's messages or flags bumps
// HIGHESTMODSEQ (MailStore's contract; expunges and moves out change the count too, a delete-and-recreate changes
// UIDVALIDITY), in this process or another one on the same database (the admin CLI), so a listing whose key equals
// the row's is exactly what the messages table holds in that snapshot. On a mismatch the listing is rebuilt in the
// same transaction: from the cached one plus the rows changed and expunged since its HIGHESTMODSEQ (a delivery
// or a STORE then costs one merge, not a re-read), or from scratch when that does not add up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "store/flag_listing.hpp"
#include "store/sqlite/connection.hpp"

namespace claret::store::sqlite {

struct FlagCacheOptions {
  // Smaller mailboxes are read straight from the index each time: cheap, and not worth the memory.
  size_t min_messages = 512;
  // About 50 bytes per message; least recently used listings go first beyond this many messages in all.
  size_t max_records = 1'000'000;
};

class FlagCache {
 public:
  explicit FlagCache(FlagCacheOptions options) : options_(options) {}

  struct Lookup {
    bool found = false;                         // false: no such mailbox in this account
    std::shared_ptr<const FlagListing> listing;  // null when found but too small to cache and !build_small
  };
  // Inside the caller's read transaction on `db`: the listing as of that snapshot. A mailbox below min_messages
  // gets a listing built for this call only when build_small, else none (the caller reads the index itself).
  Lookup get(Connection& db, AccountId account, MailboxId mailbox, bool build_small);

  // The mailbox row's fields a listing must match. A caller that reads the row anyway (SELECT) passes them in and
  // saves get()'s own read of it.
  struct Key {
    uint32_t uidvalidity = 0;
    uint32_t uidnext = 1;
    uint64_t highestmodseq = 0;
    uint64_t total = 0;
    uint64_t unseen = 0;
  };
  // As get(), for a mailbox whose row (read in this transaction) gave `key`; always found.
  Lookup get_with_key(Connection& db, MailboxId mailbox, const Key& key, bool build_small);

  struct Stats {
    uint64_t hits = 0;         // the cached listing was current
    uint64_t merges = 0;       // rebuilt from the cached listing and the changes since
    uint64_t full_reads = 0;   // read from scratch
  };
  Stats stats() const;

 private:
  struct Entry {
    std::shared_ptr<const FlagListing> listing;
    uint64_t used = 0;
  };
  static bool current(const FlagListing& l, const Key& k);
  static std::shared_ptr<FlagListing> read_all(Connection& db, MailboxId mailbox, const Key& k);
  static std::shared_ptr<FlagListing> merge(Connection& db, const FlagListing& old, const Key& k);
  static void finish(FlagListing& l, const Key& k);
  void publish(MailboxId mailbox, std::shared_ptr<const FlagListing> listing);

  const FlagCacheOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<MailboxId, Entry> entries_;
  size_t records_ = 0;  // sum of the cached listings' sizes
  uint64_t tick_ = 0;
  Stats stats_;
};

}  // namespace claret::store::sqlite
