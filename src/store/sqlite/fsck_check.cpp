// fsck checks: the database's own integrity, mailbox and account counters, and every blob against its references.
#include <sys/stat.h>

#include <ctime>
#include <set>

#include <sqlite3.h>

#include "store/sqlite/fsck_parts.hpp"

namespace claret::store::sqlite::fsck {
namespace {

std::string str(int64_t v) { return std::to_string(v); }

constexpr const char* kOwner = "coalesce(a.local || '@' || d.name, 'account#' || mb.account_id)";

// The rows referencing one blob, with the size each of them expects.
struct Reference {
  std::string subject;  // "alice@example.org/INBOX uid 7" or "queue entry 12"
  uint64_t size = 0;
};

struct Snapshot {
  std::map<std::string, std::vector<Reference>> refs;       // by blob id
  std::map<std::string, std::pair<uint64_t, int64_t>> rows;  // blobs table: id -> (size, refcount)
  std::map<std::string, std::pair<uint64_t, std::string>> inline_data;  // blob_data: id -> (length, sha256)
};

void check_database(Connection& db, FsckReport& report) {
  auto q = db.prepare_once("PRAGMA quick_check");
  while (q.step()) {
    std::string msg = q.text(0);
    if (msg != "ok") report.problems.push_back({"database", "claret.db", msg + " (not repairable by fsck)"});
  }
  auto fk = db.prepare_once("PRAGMA foreign_key_check");
  while (fk.step())
    report.problems.push_back({"foreign-key", fk.text(0) + " row " + str(fk.int64(1)),
                               "refers to a missing " + fk.text(2) + " row (not repairable by fsck)"});
}

void check_mailboxes(Connection& db, FsckReport& report) {
  std::string sql = std::string("SELECT ") + kOwner + " || '/' || mb.name, mb.uidnext, mb.highestmodseq, mb.total, " +
                    "mb.total_size, mb.unseen, " + kMaxUid + ", " + kMaxModseq + ", " + kTotal + ", " + kTotalSize +
                    ", " + kUnseen +
                    " FROM mailboxes mb LEFT JOIN accounts a ON a.id = mb.account_id"
                    " LEFT JOIN domains d ON d.id = a.domain_id ORDER BY mb.id";
  auto q = db.prepare_once(sql);
  while (q.step()) {
    const std::string box = q.text(0);
    const int64_t uidnext = q.int64(1), highest = q.int64(2), max_uid = q.int64(6), max_modseq = q.int64(7);
    if (max_uid >= uidnext)
      report.problems.push_back({"uidnext", box,
                                 "UIDNEXT " + str(uidnext) + " but UID " + str(max_uid) + " is used; raise to " +
                                     str(max_uid + 1),
                                 true});
    if (max_modseq > highest)
      report.problems.push_back({"modseq", box,
                                 "HIGHESTMODSEQ " + str(highest) + " but MODSEQ " + str(max_modseq) +
                                     " is used; raise to " + str(max_modseq),
                                 true});
    if (q.int64(3) != q.int64(8) || q.int64(4) != q.int64(9) || q.int64(5) != q.int64(10))
      report.problems.push_back({"counters", box,
                                 "messages/size/unseen stored as " + str(q.int64(3)) + "/" + str(q.int64(4)) + "/" +
                                     str(q.int64(5)) + ", actual " + str(q.int64(8)) + "/" + str(q.int64(9)) + "/" +
                                     str(q.int64(10)),
                                 true});
  }
}

void check_accounts(Connection& db, FsckReport& report) {
  std::string sql = std::string("SELECT coalesce(a.local || '@' || d.name, 'account#' || a.id), a.usage, ") + kUsage +
                    " FROM accounts a LEFT JOIN domains d ON d.id = a.domain_id ORDER BY a.id";
  auto q = db.prepare_once(sql);
  while (q.step()) {
    if (q.int64(1) != q.int64(2))
      report.problems.push_back(
          {"usage", q.text(0), "quota usage stored as " + str(q.int64(1)) + ", actual " + str(q.int64(2)), true});
  }
}

void check_text_index(Connection& db, FsckReport& report) {
  auto count = [&db](const char* ids) { return db.scalar(0, std::string("SELECT count(*) FROM (") + ids + ")"); };
  if (int64_t n = count(kTextMissing); n > 0)
    report.problems.push_back({"fts-missing", "message_text",
                               str(n) + " messages neither indexed nor waiting in fts_pending (text search misses them)",
                               true});
  if (int64_t n = count(kTextStale); n > 0)
    report.problems.push_back({"fts-stale", "message_text", str(n) + " index entries for messages that are gone", true});
  if (int64_t n = count(kTextPendingWrongly); n > 0)
    report.problems.push_back({"fts-pending", "fts_pending",
                               str(n) + " entries already indexed or without their message (indexing them would "
                                        "corrupt the index)",
                               true});
}

Snapshot read_blob_tables(Connection& db, FsckReport& report) {
  Snapshot s;
  std::string sql = std::string("SELECT m.blob_id, m.size, ") + kOwner +
                    " || '/' || mb.name || ' uid ' || m.uid FROM messages m JOIN mailboxes mb ON mb.id = m.mailbox_id"
                    " LEFT JOIN accounts a ON a.id = mb.account_id LEFT JOIN domains d ON d.id = a.domain_id";
  auto m = db.prepare_once(sql);
  while (m.step()) {
    s.refs[m.text(0)].push_back({m.text(2), static_cast<uint64_t>(m.int64(1))});
    ++report.messages;
  }
  auto qe = db.prepare_once("SELECT blob_id, size, id FROM queue_entries");
  while (qe.step()) s.refs[qe.text(0)].push_back({"queue entry " + str(qe.int64(2)), static_cast<uint64_t>(qe.int64(1))});
  auto b = db.prepare_once("SELECT id, size, refcount FROM blobs");
  while (b.step()) s.rows[b.text(0)] = {static_cast<uint64_t>(b.int64(1)), b.int64(2)};
  auto bd = db.prepare_once("SELECT id, data FROM blob_data");
  while (bd.step()) {
    std::string data = bd.text(1);
    s.inline_data[bd.text(0)] = {data.size(), sha256_hex(data)};
  }
  report.blobs = s.rows.size();
  return s;
}

// What is wrong with the stored bytes of a blob that rows reference, or "" when they are fine.
std::string damage_of(const std::string& id, uint64_t expected_size, const Snapshot& s, const std::string& blobs_root) {
  if (auto it = s.inline_data.find(id); it != s.inline_data.end()) {
    if (it->second.first != expected_size)
      return "stored in the database with " + std::to_string(it->second.first) + " bytes, expected " +
             std::to_string(expected_size);
    if (it->second.second != id) return "stored in the database, but its content does not match its SHA-256 name";
    return "";
  }
  auto digest = digest_file(blob_path(blobs_root, id));
  if (!digest) return "";  // missing: reported separately
  if (digest->size != expected_size)
    return "file has " + std::to_string(digest->size) + " bytes, expected " + std::to_string(expected_size);
  if (digest->sha256 != id) return "file content does not match its SHA-256 name";
  return "";
}

bool bytes_exist(const std::string& id, const Snapshot& s, const std::string& blobs_root) {
  if (s.inline_data.count(id)) return true;
  struct stat st {};
  return ::stat(blob_path(blobs_root, id).c_str(), &st) == 0;
}

// Missing or damaged bytes, per referencing row. `fresh` is a later snapshot: only what is still broken there
// (and still referenced) is reported, since a running server may have expunged the message meanwhile.
void report_damaged(const std::set<std::string>& suspects, const Snapshot& fresh, const std::string& blobs_root,
                    FsckReport& report) {
  for (const std::string& id : suspects) {
    auto refs = fresh.refs.find(id);
    if (refs == fresh.refs.end()) continue;
    for (const Reference& r : refs->second) {
      if (!bytes_exist(id, fresh, blobs_root)) {
        report.problems.push_back({"missing-blob", r.subject,
                                   "blob " + id + " (" + std::to_string(r.size) +
                                       " bytes) is neither in the database nor a file; the row is kept"});
        continue;
      }
      std::string damage = damage_of(id, r.size, fresh, blobs_root);
      if (!damage.empty())
        report.problems.push_back({"corrupt-blob", r.subject, "blob " + id + ": " + damage + "; the row is kept"});
    }
  }
}

Snapshot read_snapshot(Connection& db, FsckReport& scratch) {
  db.exec("BEGIN");
  try {
    Snapshot s = read_blob_tables(db, scratch);
    db.exec("COMMIT");
    return s;
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
}

}  // namespace

bool text_index_damaged(Connection& db, std::string* detail) {
  try {
    db.exec(kTextIntegrityCheck);
    return false;
  } catch (const SqlError& e) {
    if ((e.code() & 0xff) != SQLITE_CORRUPT) throw;
    if (detail) *detail = std::string("FTS5 integrity-check: ") + e.what();
    return true;
  }
}

FsckReport check_store(Connection& db, const std::string& data_dir, const FsckOptions& options) {
  FsckReport report;
  const std::string blobs_root = data_dir + "/blobs";
  Snapshot s;
  // One snapshot for the database checks; the file listing comes after it, so a file a delivery wrote for a row
  // committed meanwhile is merely unreferenced in this snapshot (and young: within the grace period).
  db.exec("BEGIN");
  try {
    check_database(db, report);
    check_mailboxes(db, report);
    check_accounts(db, report);
    check_text_index(db, report);
    s = read_blob_tables(db, report);
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
  // Outside the snapshot: FTS5's check is a write statement.
  if (std::string detail; text_index_damaged(db, &detail))
    report.problems.push_back({"fts-index", "message_text", detail + "; rebuilt from the messages by --repair", true});
  BlobFiles files = list_blob_files(blobs_root);

  std::set<std::string> suspects;
  for (const auto& [id, refs] : s.refs) {
    auto row = s.rows.find(id);
    if (row == s.rows.end()) {
      report.problems.push_back({"blob-row", "blob " + id,
                                 "referenced " + str(static_cast<int64_t>(refs.size())) + " times but not in table blobs",
                                 true});
    } else if (row->second.second != static_cast<int64_t>(refs.size())) {
      report.problems.push_back({"refcount", "blob " + id,
                                 "reference count " + str(row->second.second) + ", actual " +
                                     str(static_cast<int64_t>(refs.size())),
                                 true});
    }
    for (const Reference& r : refs) {
      if (!bytes_exist(id, s, blobs_root) || !damage_of(id, r.size, s, blobs_root).empty()) {
        suspects.insert(id);
        break;
      }
    }
  }
  if (!suspects.empty()) {
    FsckReport scratch;
    Snapshot fresh = read_snapshot(db, scratch);
    report_damaged(suspects, fresh, blobs_root, report);
  }
  for (const auto& [id, row] : s.rows) {
    if (s.refs.count(id)) continue;
    if (row.second == 0) {
      ++report.released_blobs;
      continue;
    }
    report.problems.push_back(
        {"orphan-blob", "blob " + id, "in table blobs (reference count " + str(row.second) + ") but unreferenced", true});
  }
  for (const auto& [id, data] : s.inline_data) {
    if (!s.rows.count(id))
      report.problems.push_back({"orphan-blob-data", "blob " + id,
                                 str(static_cast<int64_t>(data.first)) + " bytes in table blob_data nobody references",
                                 true});
  }
  const int64_t now = static_cast<int64_t>(::time(nullptr));
  for (const auto& [id, file] : files.by_id) {
    if (s.rows.count(id) || s.refs.count(id)) continue;
    if (now - file.mtime < options.orphan_grace_seconds) {
      ++report.orphans_too_young;
      continue;
    }
    report.problems.push_back({"orphan-blob-file", "blob " + id,
                               "file of " + str(static_cast<int64_t>(file.size)) + " bytes nobody references", true});
  }
  for (const std::string& path : files.stray)
    report.problems.push_back({"stray-file", path, "not a blob file name or place (left alone)"});
  return report;
}

}  // namespace claret::store::sqlite::fsck
