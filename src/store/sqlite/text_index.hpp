// Deferred full-text indexing: rows inserted into `messages` wait in `fts_pending` (migration 4) and are added to the
// FTS5 index `message_text` in bulk, which costs a fraction of indexing each group commit's few messages.
#pragma once
#include <cstddef>
#include <cstdint>

#include "store/sqlite/connection.hpp"

namespace claret::store::sqlite {

// The statements, here so that text_index_test.cpp checks the plans of these very texts. Every join leads with the
// pending rows (CROSS JOIN fixes SQLite's loop order, https://sqlite.org/optoverview.html#crossjoin) and reaches a
// message by its rowid. With a plain JOIN the planner carried "id <= ?" over to `messages` and walked every message
// row below the bound, probing fts_pending for each: a scan of the whole table per indexed chunk, so every
// delivery's share of the indexing grew with the store (about 6 ms against 50 ms per 256-message chunk at 7,680
// messages). The per-mailbox ones walked the mailbox's whole index range instead, on every text search.
namespace text_index_sql {
inline constexpr const char* kIndexChunk =
    "INSERT INTO message_text(rowid, search_text) SELECT t.id, t.search_text FROM fts_pending p "
    "CROSS JOIN message_texts t ON t.id = p.id WHERE p.id <= ?";
inline constexpr const char* kIndexMailbox =
    "INSERT INTO message_text(rowid, search_text) SELECT m.id, t.search_text FROM fts_pending p "
    "CROSS JOIN messages m ON m.id = p.id CROSS JOIN message_texts t ON t.id = m.id WHERE m.mailbox_id = ?";
inline constexpr const char* kDequeueMailbox =
    "DELETE FROM fts_pending WHERE id IN (SELECT p.id FROM fts_pending p CROSS JOIN messages m ON m.id = p.id "
    "WHERE m.mailbox_id = ?)";
inline constexpr const char* kMailboxHasPending =
    "SELECT EXISTS (SELECT 1 FROM fts_pending p CROSS JOIN messages m ON m.id = p.id WHERE m.mailbox_id = ?)";
}  // namespace text_index_sql

// Inside a write transaction: indexes up to `max_rows` pending messages, oldest first — or, with `only_full_chunk`,
// nothing unless `max_rows` are waiting (bulk indexing is what makes it cheap). True when some may remain.
bool index_pending_text(Connection& db, size_t max_rows, bool only_full_chunk = false);

// Inside a write transaction: indexes every pending message of one mailbox (what a text search needs first).
void index_pending_text_of_mailbox(Connection& db, int64_t mailbox_id);

// Any connection: whether a text search of this mailbox must wait for indexing.
bool mailbox_has_pending_text(Connection& db, int64_t mailbox_id);

}  // namespace claret::store::sqlite
