// MailStore: one account's mailboxes and messages, the operations IMAP/POP3 need (RFC 9051, RFC 7162 CONDSTORE/QRESYNC,
// RFC 4315 UIDPLUS, RFC 6851 MOVE, RFC 6154 SPECIAL-USE).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/blob_store.hpp"
#include "store/flag_listing.hpp"
#include "store/search_query.hpp"
#include "store/types.hpp"
#include "store/uid_set.hpp"

namespace claret::store {

enum class FlagOp { add, remove, replace };

struct AppendResult {
  uint32_t uidvalidity = 0;
  uint32_t uid = 0;
  uint64_t modseq = 0;
  std::vector<Change> changes;
};

// One message of append_many.
struct AppendItem {
  BlobRef blob;
  Flags flags;
  int64_t internaldate = 0;
  MessageMeta meta;
};

struct FlagUpdate {
  uint32_t uid = 0;
  Flags flags;          // flags after the operation
  uint64_t modseq = 0;  // the message's modseq after the operation
  bool changed = false; // false when the flags were already as requested (no new modseq)
};

struct SetFlagsResult {
  std::vector<FlagUpdate> updated;  // every matched message that passed the UNCHANGEDSINCE test, in uid order
  std::vector<uint32_t> failed;     // RFC 7162 §3.1.3 MODIFIED: messages whose modseq > unchanged_since
  std::vector<Change> changes;
};

struct ExpungeResult {
  std::vector<uint32_t> uids;  // expunged, ascending
  uint64_t modseq = 0;         // the mailbox HIGHESTMODSEQ afterwards
  std::vector<Change> changes;
};

struct CopyResult {
  uint32_t dest_uidvalidity = 0;
  std::vector<std::pair<uint32_t, uint32_t>> uid_map;  // (source uid, destination uid), source ascending (COPYUID)
  std::vector<Change> changes;                          // destination additions, and source expunges for a move
};

// What SELECT/EXAMINE reads, all from one snapshot (MailStore::select_snapshot).
struct SelectSnapshot {
  MailboxInfo info;                            // uidnext/highestmodseq those of the listing
  std::shared_ptr<const FlagListing> listing;  // every UID and flag set; never null on success
  uint32_t first_recent_uid = 1;               // \Recent: UIDs from here on were announced to no session yet
};

struct ChangesSince {
  std::vector<FlagRecord> changed;     // modseq > the given value, uid ascending
  std::vector<uint32_t> expunged;      // expunged with modseq > the given value
  uint64_t highestmodseq = 0;
};

// Thread-safe; all operations act on the account the handle was made for and never see other accounts' mailboxes.
// Every mutation is durable when it returns and bumps the mailbox HIGHESTMODSEQ by exactly one.
class MailStore {
 public:
  virtual ~MailStore() = default;
  virtual AccountId account() const = 0;

  // Creates missing parents too (RFC 9051 §6.3.4). special_use: "" or one of special_use::k*.
  virtual Result<MailboxInfo> create_mailbox(std::string_view name, std::string_view special_use) = 0;
  // Removes the mailbox and its messages. INBOX is refused (Errc::invalid). A mailbox with children becomes \Noselect
  // (messages removed, name kept); deleting a \Noselect mailbox that still has children is Errc::conflict.
  // Creating a \Noselect name again makes it a normal, empty mailbox with a new UIDVALIDITY.
  virtual Result<std::vector<Change>> delete_mailbox(std::string_view name) = 0;
  // Renames the mailbox and all its children; the target must not exist. Renaming INBOX moves its messages into a
  // new mailbox and leaves INBOX and its children in place (RFC 9051 §6.3.6).
  virtual Result<std::vector<Change>> rename_mailbox(std::string_view from, std::string_view to) = 0;
  virtual Result<std::vector<MailboxInfo>> list_mailboxes() = 0;
  virtual Result<MailboxInfo> get_mailbox(std::string_view name) = 0;
  virtual Status set_subscribed(std::string_view name, bool subscribed) = 0;
  virtual Result<MailboxStatus> status(MailboxId mailbox) = 0;
  // IMAP \Recent: hands the messages no session was told about yet ([first_recent_uid, uidnext)) to the caller
  // and marks them announced, atomically, so exactly one session sees each as \Recent. Not a message change:
  // it bumps no MODSEQ and publishes nothing.
  virtual Result<RecentClaim> claim_recent(MailboxId mailbox) = 0;

  // The blob must already be in the BlobStore. Errc::over_quota if the account quota would be exceeded;
  // Errc::invalid for a \Noselect mailbox.
  virtual Result<AppendResult> append(MailboxId mailbox, const BlobRef& blob, const Flags& flags,
                                      int64_t internaldate, const MessageMeta& meta) = 0;
  // MULTIAPPEND (RFC 3502): all the messages in one transaction, or none (the first failure's error, as append
  // reports it). Consecutive UIDs in item order; the results are in item order.
  virtual Result<std::vector<AppendResult>> append_many(MailboxId mailbox, const std::vector<AppendItem>& items) = 0;
  virtual Result<SetFlagsResult> set_flags(MailboxId mailbox, const UidSet& uids, FlagOp op, const Flags& flags,
                                           std::optional<uint64_t> unchanged_since) = 0;
  virtual Result<ExpungeResult> expunge(MailboxId mailbox, const UidSet& uids) = 0;
  virtual Result<CopyResult> copy(MailboxId from, const UidSet& uids, MailboxId to) = 0;
  virtual Result<CopyResult> move(MailboxId from, const UidSet& uids, MailboxId to) = 0;

  // Only the parts of MessageRecord::meta named in `parts` (MetaPart bits) are read; the others stay empty. Rows
  // are several KB (the search text), so a FETCH ENVELOPE should not read BODYSTRUCTURE and search text too.
  virtual Result<std::vector<MessageRecord>> fetch_meta(MailboxId mailbox, const UidSet& uids,
                                                        uint32_t parts = meta_part::kAll) = 0;
  // As fetch_meta but without MessageRecord::meta (left empty), reading only the small columns: for FETCH of
  // FLAGS/UID/MODSEQ/INTERNALDATE/RFC822.SIZE over large mailboxes.
  virtual Result<std::vector<MessageRecord>> fetch_records(MailboxId mailbox, const UidSet& uids) = 0;
  // As fetch_records plus only the metadata SORT and THREAD compare (RFC 5256): subject, from_addr, from_name,
  // to_addr, cc_addr, message_id, in_reply_to, references, sent_date; the rest of MessageRecord::meta is empty.
  virtual Result<std::vector<MessageRecord>> fetch_sort_fields(MailboxId mailbox, const UidSet& uids) = 0;
  // UID, MODSEQ and flags of the messages in `uids` with modseq > changed_since (0: all), uid ascending. Reads only
  // a narrow index, never the message rows: FETCH 1:* (UID FLAGS) of a 100,000-message mailbox, CHANGEDSINCE.
  virtual Result<std::vector<FlagRecord>> fetch_flags(MailboxId mailbox, const UidSet& uids,
                                                      uint64_t changed_since) = 0;
  virtual Result<std::vector<uint32_t>> list_uids(MailboxId mailbox) = 0;
  // Every UID and flag set of the mailbox, one consistent snapshot, shared and immutable: SELECT's sequence map and
  // [UNSEEN n], FETCH 1:* (UID FLAGS). The SQLite store keeps big mailboxes' listings in memory, validated against
  // the mailbox row on each call (sqlite/flag_cache.hpp), so an unchanged 100,000-message mailbox costs one row read.
  virtual Result<std::shared_ptr<const FlagListing>> flag_listing(MailboxId mailbox) = 0;
  // The lowest UID without \Seen, if any (SELECT's [UNSEEN n]): stops at the first one instead of listing them all.
  virtual Result<std::optional<uint32_t>> first_unseen(MailboxId mailbox) = 0;
  virtual Result<ChangesSince> changes_since(MailboxId mailbox, uint64_t modseq) = 0;
  // SELECT's reads in one read transaction: the mailbox by name (Errc::not_found; Errc::invalid for \Noselect), its
  // flag_listing and the first unclaimed \Recent UID. One snapshot instead of get_mailbox + flag_listing + status,
  // which were three transactions (and could disagree when a delivery landed between them).
  virtual Result<SelectSnapshot> select_snapshot(std::string_view name) = 0;
  // select_snapshot's answer when the store can give it from memory, without I/O or waiting on a lock held across
  // I/O — safe to call on an event-loop thread; nullopt means "ask select_snapshot". The SQLite store answers when
  // nothing was committed since an earlier select_snapshot of the same mailbox (sqlite/select_memo.hpp).
  virtual std::optional<SelectSnapshot> select_snapshot_in_memory(std::string_view /*name*/) { return std::nullopt; }
  // A stamp equal to an earlier one means nothing was committed in between, by this process or another; read from
  // memory, safe on an event-loop thread. nullopt: this store cannot tell, so callers must read to find out.
  virtual std::optional<CommitStamp> commit_stamp() { return std::nullopt; }
  // Matching uids, ascending.
  virtual Result<std::vector<uint32_t>> search(MailboxId mailbox, const SearchKey& key) = 0;
};

}  // namespace claret::store
