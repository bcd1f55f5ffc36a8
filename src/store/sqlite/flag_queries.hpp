// The SQL of the store's narrow reads (flag listings, SELECT's UID list and [UNSEEN n], CONDSTORE changes): kept in
// one place so flag_index_test.cpp checks with EXPLAIN QUERY PLAN the very texts sqlite_messages.cpp runs, and
// that each is answered from a covering index (migration 7) without reading a message row.
#pragma once

namespace claret::store::sqlite::flag_sql {

// fetch_flags: ?1 mailbox, ?2 changed_since; followed by a uid condition (select_by_uids) and kFetchFlagsTail.
inline constexpr const char* kFetchFlagsHead =
    "SELECT uid, modseq, flags, keywords FROM messages WHERE mailbox_id = ?1 AND modseq > ?2 AND";
inline constexpr const char* kFetchFlagsTail = "ORDER BY uid";
// list_uids: ?1 mailbox.
inline constexpr const char* kListUids = "SELECT uid FROM messages WHERE mailbox_id = ? ORDER BY uid";
// first_unseen: ?1 mailbox, ?2 the \Seen bit; in UID order, stopping at the first match.
inline constexpr const char* kFirstUnseen =
    "SELECT uid FROM messages WHERE mailbox_id = ? AND (flags & ?) = 0 ORDER BY uid LIMIT 1";
// changes_since: ?1 mailbox, ?2 modseq.
inline constexpr const char* kChangesSince =
    "SELECT uid, modseq, flags, keywords FROM messages WHERE mailbox_id = ? AND modseq > ? ORDER BY uid";
// FlagCache (flag_cache.hpp): the mailbox row's validation key (?1 mailbox, ?2 account), the whole listing
// along messages_flags (?1 mailbox), and the UIDs expunged since a modseq (?1 mailbox, ?2 modseq).
inline constexpr const char* kMailboxKey =
    "SELECT uidvalidity, uidnext, highestmodseq, total, unseen FROM mailboxes WHERE id = ? AND account_id = ?";
inline constexpr const char* kListFlags =
    "SELECT uid, modseq, flags, keywords FROM messages WHERE mailbox_id = ? ORDER BY uid";
inline constexpr const char* kExpungedSince =
    "SELECT uid FROM expunged WHERE mailbox_id = ? AND modseq > ? ORDER BY uid";
// claim_recent / status: how many messages from a UID on (?1 mailbox, ?2 uid).
inline constexpr const char* kCountFromUid = "SELECT count(*) FROM messages WHERE mailbox_id = ? AND uid >= ?";

}  // namespace claret::store::sqlite::flag_sql
