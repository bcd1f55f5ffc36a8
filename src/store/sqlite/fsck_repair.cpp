// fsck repairs: every value is recomputed inside one write transaction (BEGIN IMMEDIATE waits for the server's
// writer like any other writer), so a repair never writes back what an earlier snapshot saw. Nothing that holds
// mail is deleted: only counters change, and only blobs no row references go.
#include <unistd.h>
#include <sys/stat.h>

#include <ctime>

#include "base/log.hpp"
#include "store/sqlite/fsck_parts.hpp"

namespace claret::store::sqlite::fsck {
namespace {

std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

// Ids whose blobs row went away (to unlink after commit).
std::vector<std::string> repair_rows(Connection& db) {
  // UIDNEXT above every UID ever used (also expunged ones: UIDs are never reused), HIGHESTMODSEQ at least every
  // MODSEQ, the STATUS counters and quota usage from the rows.
  db.exec(cat({"UPDATE mailboxes AS mb SET uidnext = ", kMaxUid, " + 1 WHERE uidnext <= ", kMaxUid}));
  db.exec(cat({"UPDATE mailboxes AS mb SET highestmodseq = ", kMaxModseq, " WHERE highestmodseq < ", kMaxModseq}));
  db.exec(cat({"UPDATE mailboxes AS mb SET total = ", kTotal, ", total_size = ", kTotalSize, ", unseen = ", kUnseen,
               " WHERE total != ", kTotal, " OR total_size != ", kTotalSize, " OR unseen != ", kUnseen}));
  db.exec(cat({"UPDATE accounts AS a SET usage = ", kUsage, " WHERE usage != ", kUsage}));
  // Reference counts: rows missing from blobs are added, then every count is set from the references.
  db.exec(
      "INSERT INTO blobs(id, size, refcount) SELECT blob_id, max(size), 0 FROM "
      "(SELECT blob_id, size FROM messages UNION ALL SELECT blob_id, size FROM queue_entries) "
      "WHERE blob_id NOT IN (SELECT id FROM blobs) GROUP BY blob_id");
  db.exec(cat({"UPDATE blobs AS b SET refcount = r.n FROM (", kReferenceCounts,
               ") AS r WHERE r.blob_id = b.id AND b.refcount != r.n"}));
  db.exec("UPDATE blobs SET refcount = 0 WHERE refcount != 0 AND id NOT IN "
          "(SELECT blob_id FROM messages UNION ALL SELECT blob_id FROM queue_entries)");
  std::vector<std::string> released;
  auto q = db.prepare_once("DELETE FROM blobs WHERE refcount <= 0 RETURNING id");  // trigger blobs_ad: blob_data
  while (q.step()) released.push_back(q.text(0));
  db.exec("DELETE FROM blob_data WHERE id NOT IN (SELECT id FROM blobs)");
  return released;
}

// The full-text index: a damaged or stale index is rebuilt from the messages (all of them, so nothing stays
// pending); otherwise wrong pending entries go and unindexed messages are queued for the indexer.
void repair_text_index(Connection& db) {
  const bool stale = db.scalar(0, cat({"SELECT EXISTS (", kTextStale, ")"})) != 0;
  if (stale || text_index_damaged(db)) {
    db.exec("INSERT INTO message_text(message_text) VALUES ('rebuild')");
    db.exec("DELETE FROM fts_pending");
    return;
  }
  db.exec(cat({"DELETE FROM fts_pending WHERE id IN (", kTextPendingWrongly, ")"}));
  db.exec(cat({"INSERT INTO fts_pending(id) ", kTextMissing}));
}

// Unlinks the files of these ids that no blobs row names and that are older than the grace period, holding the
// write lock so no writer can commit a new reference to one of them in between.
size_t remove_unreferenced_files(Connection& db, const std::string& blobs_root, const std::vector<std::string>& ids,
                                 int64_t grace) {
  size_t removed = 0;
  db.exec("BEGIN IMMEDIATE");
  try {
    const int64_t now = static_cast<int64_t>(::time(nullptr));
    for (const std::string& id : ids) {
      if (db.scalar(0, "SELECT count(*) FROM blobs WHERE id = ?", id) != 0) continue;
      const std::string path = blob_path(blobs_root, id);
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0 || now - static_cast<int64_t>(st.st_mtime) < grace) continue;
      if (::unlink(path.c_str()) == 0) ++removed;
    }
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
  return removed;
}

}  // namespace

void repair_store(Connection& db, const std::string& data_dir, const FsckOptions& options) {
  const std::string blobs_root = data_dir + "/blobs";
  std::vector<std::string> released;
  db.exec("BEGIN IMMEDIATE");
  try {
    released = repair_rows(db);
    repair_text_index(db);
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
  std::vector<std::string> candidates = std::move(released);
  for (const auto& [id, file] : list_blob_files(blobs_root).by_id) candidates.push_back(id);
  size_t removed = remove_unreferenced_files(db, blobs_root, candidates, options.orphan_grace_seconds);
  log::info("store.fsck.repaired", {{"files_checked", candidates.size()}, {"files_removed", removed}});
}

}  // namespace claret::store::sqlite::fsck
