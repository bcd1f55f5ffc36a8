// Row-level helpers shared by the SQLite directory and mail store: flag encoding, mailbox rows, message rows,
// UIDVALIDITY and thread allocation. Every function runs on a connection the caller holds inside a transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/types.hpp"
#include "store/uid_set.hpp"

namespace claret::store::sqlite {

// Keywords de-duplicated case-insensitively and sorted; stored space-separated.
std::vector<std::string> normalize_keywords(const std::vector<std::string>& keywords);
std::string encode_keywords(const std::vector<std::string>& keywords);
std::vector<std::string> decode_keywords(const std::string& text);

// The columns message_from_row() expects, in order, for "SELECT <message_columns(parts)> FROM messages": the
// record columns, then the meta columns, NULL in place of those not in `parts` (meta_part bits) so SQLite does
// not read them (a row's search text spills into overflow pages; columns after it cost a walk of that chain).
std::string message_columns(uint32_t parts);
MessageRecord message_from_row(const Statement& row, bool with_meta);
// The nine record columns message_from_row(…, false) reads.
extern const char* const kRecordColumns;

// A row of "SELECT uid, modseq, flags, keywords" (flag_queries.hpp), columns all in the covering indexes
// messages_flags and messages_by_modseq.
FlagRecord flag_record_from_row(const Statement& row);

// "<head> <uid condition> <tail>" prepared on `db`: a set of one range binds it as ?98/?99 of a cached statement
// (the common FETCH 1:50, one UID, a whole view); other sets get uid_hull_clause in the text, prepared once.
// The caller binds its own parameters from ?1 and still filters rows with uids.contains().
Statement select_by_uids(Connection& db, const std::string& head, const UidSet& uids, const std::string& tail);

extern const char* const kMailboxColumns;
inline constexpr int kMailboxColumnCount = 8;  // the columns of kMailboxColumns, which mailbox_from_row reads
MailboxInfo mailbox_from_row(const Statement& row);
std::optional<MailboxInfo> find_mailbox(Connection& db, AccountId account, MailboxId id);
std::optional<MailboxInfo> find_mailbox(Connection& db, AccountId account, const std::string& name);
// Inserts a mailbox with a fresh UIDVALIDITY; the name must be free and normalized.
MailboxInfo insert_mailbox(Connection& db, AccountId account, const std::string& name, const std::string& special_use,
                           bool subscribed);

// Reserves `count` UIDs and one new modseq for a mailbox; returns (first uid, new highestmodseq).
std::pair<uint32_t, uint64_t> reserve_uids(Connection& db, MailboxId mailbox, uint32_t count);
// Bumps and returns the mailbox HIGHESTMODSEQ.
uint64_t bump_modseq(Connection& db, MailboxId mailbox);

// The thread of the nearest ancestor (In-Reply-To, then References from the end) in this account, else a new id.
int64_t assign_thread(Connection& db, AccountId account, const MessageMeta& meta);

struct NewMessage {
  AccountId account = 0;
  MailboxId mailbox = 0;
  uint32_t uid = 0;
  uint64_t modseq = 0;
  std::string blob_id;
  uint64_t size = 0;
  int64_t internaldate = 0;
  Flags flags;
  int64_t thread_id = 0;
};
void insert_message(Connection& db, const NewMessage& m, const MessageMeta& meta);

// Quota check: usage + extra must not exceed a non-zero quota.
bool fits_quota(Connection& db, AccountId account, uint64_t extra);

// "uid BETWEEN a AND b" covering the set (one clause per range for small sets, the hull for big ones): callers
// re-check membership with UidSet::contains.
std::string uid_hull_clause(const UidSet& uids);

}  // namespace claret::store::sqlite
