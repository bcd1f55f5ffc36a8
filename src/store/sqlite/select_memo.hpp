// SelectMemo: the last SelectSnapshot of each big mailbox, handed out again while no commit has happened since.
//
// Why: SELECT of an unchanged 100,000-message mailbox reads one mailbox row and reuses the cached listing
// (flag_cache.hpp), a few tens of microseconds; the trip to the blocking pool and back around that read cost more
// than the read itself (two thread wake-ups, on an idle machine often a sleeping CPU each). A memo validated by
// WalProbe — no commit by anyone since it was filled — is a hash lookup, safe on the event-loop thread: it never
// touches SQLite, a file or a lock held across I/O.
//
// Listings are held weakly: an entry lives while FlagCache keeps its listing (big mailboxes) or a session still has
// the mailbox selected, so the memo holds no memory of its own beyond the rows.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/mail_store.hpp"
#include "store/sqlite/wal_probe.hpp"

namespace claret::store::sqlite {

class SelectMemo {
 public:
  explicit SelectMemo(size_t max_entries = 4096) : max_entries_(max_entries) {}

  // `stamp` was taken before the read transaction that produced `snap` began.
  void put(AccountId account, const std::string& name, const SelectSnapshot& snap, const WalProbe::Stamp& stamp);
  // The snapshot stored for (account, name) when `now` equals its stamp and its listing is still alive.
  std::optional<SelectSnapshot> get(AccountId account, const std::string& name, const WalProbe::Stamp& now);

 private:
  struct Entry {
    MailboxInfo info;
    std::weak_ptr<const FlagListing> listing;
    uint32_t first_recent_uid = 1;
    WalProbe::Stamp stamp{};
  };
  static std::string key(AccountId account, const std::string& name);

  const size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace claret::store::sqlite
