// Deferred full-text indexing: rows inserted into `messages` wait in `fts_pending` (migration 4) and are added to the
// FTS5 index `message_text` in bulk, which costs a fraction of indexing each group commit's few messages.
#pragma once
#include <cstddef>
#include <cstdint>

#include "store/sqlite/connection.hpp"

namespace claret::store::sqlite {

// Inside a write transaction: indexes up to `max_rows` pending messages, oldest first — or, with `only_full_chunk`,
// nothing unless `max_rows` are waiting (bulk indexing is what makes it cheap). True when some may remain.
bool index_pending_text(Connection& db, size_t max_rows, bool only_full_chunk = false);

// Inside a write transaction: indexes every pending message of one mailbox (what a text search needs first).
void index_pending_text_of_mailbox(Connection& db, int64_t mailbox_id);

// Any connection: whether a text search of this mailbox must wait for indexing.
bool mailbox_has_pending_text(Connection& db, int64_t mailbox_id);

}  // namespace claret::store::sqlite
