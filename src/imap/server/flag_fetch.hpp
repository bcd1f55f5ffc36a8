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
#include "imap/server/selected_mailbox.hpp"
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

// The FETCH lines of a flag-only FETCH, formatted a piece at a time: the caller sends each piece while the next is
// formatted, so the client reads the first lines of a 3.5 MB reply (100,000 messages) while the rest is being
// written, instead of waiting for the whole buffer. Rows not in the view are skipped; sequence numbers come from
// one forward walk of the view (rows and view are both in UID order). `rows` and `view` must outlive it and stay
// unchanged while it is used (a command's response is never interleaved with another writer's).
class FlagFetchFormatter {
 public:
  FlagFetchFormatter(const FlagRows& rows, const SelectedMailbox& view, const std::vector<proto::FetchItem>& items,
                     bool add_uid, bool add_modseq, bool recent_flag);
  // Appends lines to `out` until it holds at least `limit` bytes or every row is written; true when every row is.
  bool format(std::string& out, std::size_t limit);

 private:
  enum class Field : std::uint8_t { uid, flags, modseq };
  // Writes the line of `r` at `p` (room for kMaxPlainLine bytes) when it has no keyword; returns the end, or
  // nullptr for a line with keywords (unbounded: appended through append_flag_fetch instead).
  char* plain_line(char* p, std::uint32_t seq, const store::FlagRecord& r) const;
  // The sequence number of `r`, or 0 when it is not in the view.
  std::uint32_t seq_of(const store::FlagRecord& r, std::size_t listing_index);
  // Appends the line of `r`, if it is in the view (see format()).
  template <typename Window>
  void line(Window& w, const store::FlagRecord& r, std::size_t listing_index);

  const FlagRows& rows_;
  const SelectedMailbox& view_;
  const std::vector<proto::FetchItem>& items_;
  const bool add_uid_, add_modseq_, recent_flag_;
  // The items of every line in the order append_flag_fetch writes them (UID first when added, the client's order,
  // each once, MODSEQ last when added): worked out once, not per line.
  Field order_[3] = {};
  std::size_t fields_ = 0;
  // The view reads the very UID array of the listing being walked (SELECT's snapshot, unchanged since): a record's
  // sequence number is its index + 1, no walk of the view needed.
  bool seq_is_index_ = false;
  std::size_t view_pos_ = 0;  // the forward walk over the view's UIDs (when !seq_is_index_)
  std::size_t copy_pos_ = 0;  // next of rows_.copies
  std::size_t range_ = 0;     // current range of rows_.uids
  bool in_range_ = false;     // record_ was positioned at range_'s first UID
  std::vector<store::FlagRecord>::const_iterator record_;  // next of rows_.listing->records
  std::string scratch_;  // a line with keywords
};

}  // namespace claret::imap::server
