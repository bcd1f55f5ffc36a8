// SqliteBlobStore: small message bodies inside the SQLite database, large ones as files (FileBlobStore).
//
// Why: a message stored as a file costs a file creation, an fsync of the file and one of its directory before
// the metadata commit can even start — three device flushes per message on a virtio disk, and most of the
// server's CPU in the file system. Kept in the `blob_data` table, a 6 KB message is written in the same
// transaction as its row: one WAL fsync for the whole group commit. Files remain for large blobs (streamed,
// ranged reads without loading them) and for blobs put before a transaction exists (put_from_fd).
#pragma once

#include <memory>
#include <string>

#include "store/blob_store.hpp"
#include "store/file_blob_store.hpp"
#include "store/small_blob_reader.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/reader_pool.hpp"

namespace claret::store::sqlite {

// Blobs up to this size are kept in the database by default (SqliteOptions::inline_blob_max_bytes).
inline constexpr uint64_t kDefaultInlineBlobMax = 128 * 1024;

class SqliteBlobStore final : public BlobStore, public SmallBlobReader {
 public:
  // `files` and `readers` must outlive this object.
  SqliteBlobStore(FileBlobStore& files, ReaderPool& readers, uint64_t inline_max)
      : files_(files), readers_(readers), inline_max_(inline_max) {}

  // Small blobs: hashed and returned with inline_data, nothing written (the referencing transaction stores
  // them, see store_blob_in_tx). Large blobs: written and fsynced as files.
  Result<BlobRef> put(std::string_view bytes) override;
  Result<BlobRef> put_from_fd(int fd) override;
  Result<std::string> read(std::string_view id) const override;
  Result<std::string> read_range(std::string_view id, uint64_t offset, uint64_t count) const override;
  Result<BlobReader> open(std::string_view id) const override;
  // An inline blob is passed straight from SQLite's row buffer (one read, no copy of ours).
  Result<bool> visit_small(std::string_view id, uint64_t max_bytes,
                           const std::function<void(std::string_view)>& use) const override;
  // An inline blob is copied from SQLite's pages straight into `out` (incremental blob I/O: one copy).
  Result<bool> append_small(std::string_view id, uint64_t max_bytes, std::string& out,
                            const std::function<void(std::string&, uint64_t)>& before) const override;
  Result<uint64_t> stat(std::string_view id) const override;
  // Removes the file if there is one; rows in blob_data go with their `blobs` row (trigger blobs_ad).
  Status remove(std::string_view id) override;

 private:
  // The bytes if the blob is kept in the database (not_found otherwise).
  Result<std::shared_ptr<const std::string>> load_inline(std::string_view id) const;

  FileBlobStore& files_;
  ReaderPool& readers_;
  uint64_t inline_max_;
};

// Inside a write transaction that is about to commit a reference to `blob`: stores inline bytes (once per id),
// or checks that the blob exists (in blob_data or as a file of the right size). Errc::conflict when it is
// missing (its last reference went away and it was deleted between put and commit: put again and retry).
Status store_blob_in_tx(Connection& db, const BlobStore& blobs, const BlobRef& blob);

}  // namespace claret::store::sqlite
