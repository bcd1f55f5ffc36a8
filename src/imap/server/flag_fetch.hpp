// FETCH of only UID, FLAGS and MODSEQ (RFC 9051 §6.4.5, §7.5.2; RFC 7162 §3.1.4.1): what a client sends to resync a
// big mailbox ("UID FETCH 1:* (UID FLAGS)"). Answered from MailStore::fetch_flags and appended to one buffer, so
// 100,000 lines cost no allocation each.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/fetch_args.hpp"
#include "store/mail_store.hpp"
#include "store/types.hpp"

namespace claret::imap::server {

// True when every item is UID, FLAGS or MODSEQ (and there is at least one).
bool flags_only(const std::vector<proto::FetchItem>& items);

// The records a flag-only FETCH answers: a few read for it, or the store's shared listing of the whole mailbox
// filtered by the UID set and CHANGEDSINCE as it is walked (no copy, no per-row pointer).
struct FlagRows {
  std::vector<store::FlagRecord> copies;              // a small set: exactly the rows
  std::shared_ptr<const store::FlagListing> listing;  // a large one (when set, `copies` is unused)
  store::UidSet uids;
  std::uint64_t changed_since = 0;

  // fn(const FlagRecord&) for each row, in UID order.
  template <typename Fn>
  void each(Fn&& fn) const {
    if (!listing) {
      for (const auto& r : copies) fn(r);
      return;
    }
    store::for_each_flag_record(*listing, uids, changed_since, fn);
  }
  // An upper bound on the rows, for reserving output.
  std::size_t max_rows() const { return listing ? listing->records.size() : copies.size(); }
};

// Blocking (for io::offload). A set of up to a few hundred UIDs reads just those (MailStore::fetch_flags); a larger
// one (1:*) walks MailStore::flag_listing, which for a big mailbox is in memory and shared: nothing is copied.
Result<FlagRows> load_flag_rows(store::MailStore& ms, store::MailboxId mailbox, const store::UidSet& uids,
                                std::uint64_t changed_since);

// Appends "* seq FETCH (…)\r\n": UID first when add_uid (UID FETCH, or QRESYNC enabled), then the items in the
// client's order, each once, then MODSEQ when add_modseq and not asked for. The same text cmd_fetch's general
// formatter writes for these items.
void append_flag_fetch(std::string& out, std::uint32_t seq, const store::FlagRecord& r,
                       const std::vector<proto::FetchItem>& items, bool add_uid, bool add_modseq, bool recent);

}  // namespace claret::imap::server
