// SqliteMailStore: MailStore for one account over the SQLite schema (mailboxes, messages, expunged, message_text).
#pragma once

#include "store/mail_store.hpp"
#include "store/sqlite/backend.hpp"

namespace claret::store::sqlite {

class SqliteMailStore final : public MailStore {
 public:
  SqliteMailStore(Backend& backend, AccountId account) : b_(backend), account_(account) {}
  AccountId account() const override { return account_; }

  // Mailboxes (sqlite_mailboxes.cpp).
  Result<MailboxInfo> create_mailbox(std::string_view name, std::string_view special_use) override;
  Result<std::vector<Change>> delete_mailbox(std::string_view name) override;
  Result<std::vector<Change>> rename_mailbox(std::string_view from, std::string_view to) override;
  Result<std::vector<MailboxInfo>> list_mailboxes() override;
  Result<MailboxInfo> get_mailbox(std::string_view name) override;
  Status set_subscribed(std::string_view name, bool subscribed) override;
  Result<MailboxStatus> status(MailboxId mailbox) override;
  Result<RecentClaim> claim_recent(MailboxId mailbox) override;

  // Messages (sqlite_messages.cpp).
  Result<AppendResult> append(MailboxId mailbox, const BlobRef& blob, const Flags& flags, int64_t internaldate,
                              const MessageMeta& meta) override;
  Result<std::vector<AppendResult>> append_many(MailboxId mailbox, const std::vector<AppendItem>& items) override;
  Result<SetFlagsResult> set_flags(MailboxId mailbox, const UidSet& uids, FlagOp op, const Flags& flags,
                                   std::optional<uint64_t> unchanged_since) override;
  Result<ExpungeResult> expunge(MailboxId mailbox, const UidSet& uids) override;
  Result<CopyResult> copy(MailboxId from, const UidSet& uids, MailboxId to) override;
  Result<CopyResult> move(MailboxId from, const UidSet& uids, MailboxId to) override;
  Result<std::vector<MessageRecord>> fetch_meta(MailboxId mailbox, const UidSet& uids,
                                                uint32_t parts = meta_part::kAll) override;
  Result<std::vector<MessageRecord>> fetch_records(MailboxId mailbox, const UidSet& uids) override;
  Result<std::vector<MessageRecord>> fetch_sort_fields(MailboxId mailbox, const UidSet& uids) override;
  Result<std::vector<FlagRecord>> fetch_flags(MailboxId mailbox, const UidSet& uids, uint64_t changed_since) override;
  Result<std::vector<uint32_t>> list_uids(MailboxId mailbox) override;
  Result<std::shared_ptr<const FlagListing>> flag_listing(MailboxId mailbox) override;
  Result<std::optional<uint32_t>> first_unseen(MailboxId mailbox) override;
  Result<ChangesSince> changes_since(MailboxId mailbox, uint64_t modseq) override;
  Result<SelectSnapshot> select_snapshot(std::string_view name) override;
  std::optional<SelectSnapshot> select_snapshot_in_memory(std::string_view name) override;
  std::optional<CommitStamp> commit_stamp() override;
  Result<std::vector<uint32_t>> search(MailboxId mailbox, const SearchKey& key) override;  // sqlite_search.cpp

 private:
  Result<CopyResult> copy_or_move(MailboxId from, const UidSet& uids, MailboxId to, bool move);
  Backend& b_;
  AccountId account_;
};

// Shared with delivery: stores one message in a mailbox inside the caller's write transaction.
// Checks the blob file exists (the writer thread is the only one that deletes blob files, so it cannot vanish
// before commit) and the quota; returns the change to publish.
Result<AppendResult> append_in_tx(WriteContext& ctx, BlobStore& blobs, AccountId account, const MailboxInfo& mailbox,
                                  const BlobRef& blob, const Flags& flags, int64_t internaldate,
                                  const MessageMeta& meta);

// Shared with INBOX rename: copies (or moves) messages between two mailboxes of one account inside the caller's
// write transaction. The caller emits the returned changes.
Result<CopyResult> copy_in_tx(WriteContext& ctx, AccountId account, const MailboxInfo& src, const MailboxInfo& dst,
                              const UidSet& uids, bool is_move);

}  // namespace claret::store::sqlite
