// The selected mailbox as one session sees it: message sequence numbers ↔ UIDs, and how the view catches up
// with the store without renumbering behind the client's back (RFC 9051 §2.3.1.2, §7.5.1, §7.4.1 EXPUNGE).
#pragma once

#include <cstdint>
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

class SelectedMailbox {
 public:
  SelectedMailbox(store::MailboxInfo info, bool read_only, std::vector<std::uint32_t> uids);

  const store::MailboxInfo& info() const { return info_; }
  store::MailboxId id() const { return info_.id; }
  bool read_only() const { return read_only_; }
  std::uint32_t count() const { return static_cast<std::uint32_t>(uids_.size()); }
  std::uint32_t max_uid() const { return uids_.empty() ? 0 : uids_.back(); }
  const std::vector<std::uint32_t>& uids() const { return uids_; }

  // 1-based sequence number of a UID, or nullopt when it is not in the view.
  std::optional<std::uint32_t> seq_of(std::uint32_t uid) const;
  std::uint32_t uid_at(std::uint32_t seq) const { return uids_[seq - 1]; }

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
  std::vector<std::uint32_t> uids_;  // ascending: the sequence number is the index + 1
  std::vector<store::RecentClaim> recent_;  // few: one per SELECT and per batch of new mail
};

}  // namespace claret::imap::server
