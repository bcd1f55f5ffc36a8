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
  db.run("INSERT INTO message_text(rowid, search_text) SELECT m.id, m.search_text FROM fts_pending p "
         "JOIN messages m ON m.id = p.id WHERE p.id <= ?",
         last);
  db.run("DELETE FROM fts_pending WHERE id <= ?", last);
  return static_cast<size_t>(count) == max_rows;
}

void index_pending_text_of_mailbox(Connection& db, int64_t mailbox_id) {
  db.run("INSERT INTO message_text(rowid, search_text) SELECT m.id, m.search_text FROM fts_pending p "
         "JOIN messages m ON m.id = p.id WHERE m.mailbox_id = ?",
         mailbox_id);
  db.run("DELETE FROM fts_pending WHERE id IN (SELECT p.id FROM fts_pending p JOIN messages m ON m.id = p.id "
         "WHERE m.mailbox_id = ?)",
         mailbox_id);
}

bool mailbox_has_pending_text(Connection& db, int64_t mailbox_id) {
  return db.scalar(0,
                   "SELECT EXISTS (SELECT 1 FROM fts_pending p JOIN messages m ON m.id = p.id "
                   "WHERE m.mailbox_id = ?)",
                   mailbox_id) != 0;
}

}  // namespace claret::store::sqlite
