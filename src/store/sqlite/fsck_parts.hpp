// The steps of fsck_sqlite_store (fsck.hpp), and the SQL both the check and the repair use, so that what is
// reported and what is recomputed are the same expressions. Internal to store/sqlite.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/fsck.hpp"
#include "store/sqlite/connection.hpp"

namespace claret::store::sqlite::fsck {

// Per mailbox `mb`: the values its stored counters must equal (or, for UIDNEXT/HIGHESTMODSEQ, exceed).
inline constexpr const char* kMaxUid =
    "max((SELECT coalesce(max(uid), 0) FROM messages WHERE mailbox_id = mb.id), "
    "(SELECT coalesce(max(uid), 0) FROM expunged WHERE mailbox_id = mb.id))";
inline constexpr const char* kMaxModseq =
    "max((SELECT coalesce(max(modseq), 0) FROM messages WHERE mailbox_id = mb.id), "
    "(SELECT coalesce(max(modseq), 0) FROM expunged WHERE mailbox_id = mb.id))";
inline constexpr const char* kTotal = "(SELECT count(*) FROM messages WHERE mailbox_id = mb.id)";
inline constexpr const char* kTotalSize = "(SELECT coalesce(sum(size), 0) FROM messages WHERE mailbox_id = mb.id)";
inline constexpr const char* kUnseen =
    "(SELECT count(*) FROM messages WHERE mailbox_id = mb.id AND (flags & 1) = 0)";
// Per account `a`.
inline constexpr const char* kUsage = "(SELECT coalesce(sum(size), 0) FROM messages WHERE account_id = a.id)";
// Per blob id: message rows and queue entries each hold one reference. One grouped pass (a sort of the blob ids), not a
// lookup per blob row: no index on messages(blob_id) exists since migration 8.
inline constexpr const char* kReferenceCounts =
    "SELECT blob_id, count(*) AS n FROM (SELECT blob_id FROM messages UNION ALL SELECT blob_id FROM queue_entries) "
    "GROUP BY blob_id";

// The full-text index (migration 4; its content table is message_texts since migration 9). FTS5 keeps one
// message_text_docsize row per indexed message: that table says what is indexed. A message must be indexed or pending (fts_pending), never both: the
// indexer would add it a second time, which corrupts the index.
inline constexpr const char* kTextMissing =
    "SELECT id FROM messages WHERE id NOT IN (SELECT id FROM message_text_docsize) "
    "AND id NOT IN (SELECT id FROM fts_pending)";
inline constexpr const char* kTextStale = "SELECT id FROM message_text_docsize WHERE id NOT IN (SELECT id FROM messages)";
inline constexpr const char* kTextPendingWrongly =
    "SELECT id FROM fts_pending WHERE id NOT IN (SELECT id FROM messages) "
    "OR id IN (SELECT id FROM message_text_docsize)";
// FTS5's own check of its index structure; throws SqlError (SQLITE_CORRUPT_VTAB) when damaged. It is an INSERT, so
// it holds the database's write lock while it runs.
inline constexpr const char* kTextIntegrityCheck = "INSERT INTO message_text(message_text) VALUES ('integrity-check')";
// Whether the index structure is damaged (false: sound); other SQL failures throw.
bool text_index_damaged(Connection& db, std::string* detail = nullptr);

// A file under <data>/blobs (tmp/ excluded).
struct BlobFile {
  std::string path;
  uint64_t size = 0;
  int64_t mtime = 0;
};

struct BlobFiles {
  std::map<std::string, BlobFile> by_id;  // files named and placed as blobs are (ab/cd/abcd…)
  std::vector<std::string> stray;         // anything else, by path
};

BlobFiles list_blob_files(const std::string& blobs_root);
std::string blob_path(const std::string& blobs_root, const std::string& id);
// SHA-256 hex and size of a file's content, streamed; nullopt if it cannot be read.
struct FileDigest {
  std::string sha256;
  uint64_t size = 0;
};
std::optional<FileDigest> digest_file(const std::string& path);
std::string sha256_hex(std::string_view bytes);

// Every check, on one read snapshot of `db` plus the blob files; a blob found missing or damaged is looked at
// again in a fresh snapshot before it is reported. SQL failures throw SqlError.
FsckReport check_store(Connection& db, const std::string& data_dir, const FsckOptions& options);

// Recomputes and removes what check_store marks repairable, in one write transaction, then removes
// unreferenced blob files older than the grace period. SQL failures throw SqlError.
void repair_store(Connection& db, const std::string& data_dir, const FsckOptions& options);

}  // namespace claret::store::sqlite::fsck
