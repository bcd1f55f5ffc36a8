// Deferred full-text indexing (migration 4): pending rows go into the FTS5 index in bulk (https://sqlite.org/fts5.html).
#include "store/sqlite/text_index.hpp"

namespace claret::store::sqlite {

bool index_pending_text(Connection& db, size_t max_rows, bool only_full_chunk) {
  // The batch is "every pending id up to the max-th one": the same bound selects what is indexed and what is
  // dequeued, and ids only grow, so a row queued meanwhile by this thread cannot slip between the two statements.
  int64_t count = 0;
  int64_t last = 0;
  {
    auto bounds = db.query("SELECT count(*), max(id) FROM (SELECT id FROM fts_pending ORDER BY id LIMIT ?)",
                           static_cast<int64_t>(max_rows));
    if (bounds.step()) {
      count = bounds.int64(0);
      last = bounds.int64(1);
    }
  }
  if (count == 0) return false;
  if (only_full_chunk && static_cast<size_t>(count) < max_rows) return true;
  db.run(text_index_sql::kIndexChunk, last);
  db.run("DELETE FROM fts_pending WHERE id <= ?", last);
  return static_cast<size_t>(count) == max_rows;
}

void index_pending_text_of_mailbox(Connection& db, int64_t mailbox_id) {
  db.run(text_index_sql::kIndexMailbox, mailbox_id);
  db.run(text_index_sql::kDequeueMailbox, mailbox_id);
}

bool mailbox_has_pending_text(Connection& db, int64_t mailbox_id) {
  return db.scalar(0, text_index_sql::kMailboxHasPending, mailbox_id) != 0;
}

}  // namespace claret::store::sqlite
