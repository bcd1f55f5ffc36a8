// The selected mailbox as one session sees it: message sequence numbers ↔ UIDs, and how the view catches up
// with the store without renumbering behind the client's back (RFC 9051 §2.3.1.2, §7.5.1, §7.4.1 EXPUNGE).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "imap/proto/sequence_set.hpp"
#include "store/types.hpp"
#include "store/uid_set.hpp"

namespace claret::imap::server {

// What catching up with the store produced, in the order the untagged responses must be sent.
struct ViewUpdate {
  std::vector<std::uint32_t> expunged_seqs;  // "* n EXPUNGE", each number valid when it is sent
  std::vector<std::uint32_t> expunged_uids;  // the same messages by UID, ascending ("* VANISHED", RFC 7162)
  std::optional<std::uint32_t> exists;       // "* n EXISTS" when messages were added
};

// An immutable ascending UID list shared between sessions (the store's flag listing of a big mailbox).
using UidSnapshot = std::shared_ptr<const std::vector<std::uint32_t>>;

class SelectedMailbox {
 public:
  // A view of its own (sorted and de-duplicated here if the list is not strictly ascending).
  SelectedMailbox(store::MailboxInfo info, bool read_only, std::vector<std::uint32_t> uids);
  // A view over a shared snapshot, strictly ascending by contract (the store's listing is built in UID order):
  // SELECT of 100,000 messages neither copies nor checks 400 KB of UIDs. The first change to the view (a message
  // expunged or added) copies it into a list of its own; until then every session selected on the same listing
  // shares one array.
  SelectedMailbox(store::MailboxInfo info, bool read_only, UidSnapshot shared);

  const store::MailboxInfo& info() const { return info_; }
  store::MailboxId id() const { return info_.id; }
  bool read_only() const { return read_only_; }
  std::uint32_t count() const { return static_cast<std::uint32_t>(uids().size()); }
  std::uint32_t max_uid() const { return uids().empty() ? 0 : uids().back(); }
  const std::vector<std::uint32_t>& uids() const { return shared_ ? *shared_ : own_; }
  // Whether the view still reads a shared snapshot (no copy made yet).
  bool shares_snapshot() const { return shared_ != nullptr; }
  // Copies a shared snapshot into a list of the view's own and lets the snapshot go. The snapshot keeps the
  // store's whole listing alive (flags too, ≈ 50 bytes a message); once the store has moved on (a flag change),
  // holding it would keep an outdated listing in memory for as long as the session stays selected.
  void detach();

  // 1-based sequence number of a UID, or nullopt when it is not in the view.
  std::optional<std::uint32_t> seq_of(std::uint32_t uid) const;
  std::uint32_t uid_at(std::uint32_t seq) const { return uids()[seq - 1]; }

  // A sequence set of message numbers → the UIDs in the view ("*" is the last message). Numbers past the end
  // are reported through `out_of_range` (RFC 9051 §6.4.5 says BAD for invalid message numbers).
  store::UidSet uids_for_sequence(const proto::SequenceSet& set, bool& out_of_range) const;
  // A UID set from the client → only the UIDs in the view ("*" is the highest UID; RFC 9051 §6.4.9).
  store::UidSet uids_for_uid_set(const proto::SequenceSet& set) const;

  // Brings the view up to `current` (the store's UIDs, ascending). New UIDs are always above every known one,
  // since the store never reuses or lowers UIDs. Expunged UIDs are removed only when `allow_expunge`; otherwise
  // they stay in the view (the client still knows them by their numbers) until a later call allows it.
  ViewUpdate catch_up(const std::vector<std::uint32_t>& current, bool allow_expunge);
  // Removes UIDs this session expunged itself; returns the EXPUNGE numbers to send.
  std::vector<std::uint32_t> remove(const std::vector<std::uint32_t>& expunged_uids);

  // \Recent (RFC 3501 §2.3.2): the UIDs in [from, to) are recent for this session (MailStore::claim_recent, or
  // for EXAMINE the unclaimed ones, looked at without claiming them).
  void add_recent(store::RecentClaim claim);
  bool is_recent(std::uint32_t uid) const;
  std::vector<std::uint32_t> recent_uids() const;  // the recent UIDs in the view, ascending
  std::uint32_t recent_count() const { return static_cast<std::uint32_t>(recent_uids().size()); }

 private:
  store::MailboxInfo info_;
  bool read_only_ = false;
  // The list to modify: the view's own, copied from the shared snapshot on first use (copy on write).
  std::vector<std::uint32_t>& own();

  // Ascending, the sequence number is the index + 1: *shared_ while it is set, else own_.
  UidSnapshot shared_;
  std::vector<std::uint32_t> own_;
  std::vector<store::RecentClaim> recent_;  // few: one per SELECT and per batch of new mail
};

}  // namespace claret::imap::server
