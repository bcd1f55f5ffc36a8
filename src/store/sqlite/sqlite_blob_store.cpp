// SqliteBlobStore: blob_data rows for small blobs (written by the referencing transaction), files for the rest.
#include "store/sqlite/sqlite_blob_store.hpp"

#include "store/errc.hpp"

namespace claret::store::sqlite {

Result<BlobRef> SqliteBlobStore::put(std::string_view bytes) {
  if (bytes.size() > inline_max_) return files_.put(bytes);
  BlobRef ref;
  ref.id = blob_id_of(bytes);
  ref.size = bytes.size();
  ref.inline_data = std::make_shared<const std::string>(bytes);
  return ref;
}

Result<BlobRef> SqliteBlobStore::put_from_fd(int fd) { return files_.put_from_fd(fd); }

Result<std::shared_ptr<const std::string>> SqliteBlobStore::load_inline(std::string_view id) const {
  if (!is_valid_blob_id(id)) return store_error(Errc::invalid, "invalid blob id");
  using Out = std::shared_ptr<const std::string>;
  return readers_.read<Out>([&](Connection& db) -> Result<Out> {
    auto q = db.query("SELECT data FROM blob_data WHERE id = ?", std::string(id));
    if (!q.step()) return store_error(Errc::not_found, "no such blob");
    return std::make_shared<const std::string>(q.text(0));
  });
}

Result<BlobReader> SqliteBlobStore::open(std::string_view id) const {
  auto bytes = load_inline(id);
  if (bytes) return BlobReader(std::move(*bytes));
  if (bytes.error().code != static_cast<int>(Errc::not_found)) return bytes.error();
  return files_.open(id);
}

Result<bool> SqliteBlobStore::visit_small(std::string_view id, uint64_t max_bytes,
                                         const std::function<void(std::string_view)>& use) const {
  if (!is_valid_blob_id(id)) return store_error(Errc::invalid, "invalid blob id");
  // found: 1 visited, 0 too large, -1 not inline (a file, or gone).
  auto found = readers_.read<int>([&](Connection& db) -> Result<int> {
    auto q = db.query("SELECT data FROM blob_data WHERE id = ?", std::string(id));
    if (!q.step()) return -1;
    std::string_view bytes = q.bytes_view(0);
    if (bytes.size() > max_bytes) return 0;
    use(bytes);
    return 1;
  });
  if (!found) return found.error();
  if (*found >= 0) return *found == 1;
  return read_small_blob(files_, id, max_bytes, use);  // not inline: the generic open-and-read path
}

Result<bool> SqliteBlobStore::append_small(std::string_view id, uint64_t max_bytes, std::string& out,
                                          const std::function<void(std::string&, uint64_t)>& before) const {
  if (!is_valid_blob_id(id)) return store_error(Errc::invalid, "invalid blob id");
  // found: 1 appended, 0 too large, -1 not inline (a file, or gone).
  auto found = readers_.read<int>([&](Connection& db) -> Result<int> {
    // length() of a BLOB reads the record header only, not the overflow pages holding the bytes.
    auto q = db.query("SELECT rowid, length(data) FROM blob_data WHERE id = ?", std::string(id));
    if (!q.step()) return -1;
    const int64_t rowid = q.int64(0);
    const auto size = static_cast<uint64_t>(q.int64(1));
    if (size > max_bytes) return 0;
    before(out, size);
    const std::size_t at = out.size();
    out.resize(at + size);
    try {
      db.read_blob("blob_data", "data", rowid, out.data() + at, size);
    } catch (...) {
      out.resize(at);
      throw;
    }
    return 1;
  });
  if (!found) return found.error();
  if (*found >= 0) return *found == 1;
  return append_small_blob(files_, id, max_bytes, out, before);  // not inline: the generic open-and-read path
}

Result<std::string> SqliteBlobStore::read(std::string_view id) const {
  auto r = open(id);
  if (!r) return r.error();
  return r->read_at(0, r->size());
}

Result<std::string> SqliteBlobStore::read_range(std::string_view id, uint64_t offset, uint64_t count) const {
  auto r = open(id);
  if (!r) return r.error();
  return r->read_at(offset, count);
}

Result<uint64_t> SqliteBlobStore::stat(std::string_view id) const {
  if (!is_valid_blob_id(id)) return store_error(Errc::invalid, "invalid blob id");
  auto size = readers_.read<uint64_t>([&](Connection& db) -> Result<uint64_t> {
    auto q = db.query("SELECT length(data) FROM blob_data WHERE id = ?", std::string(id));
    if (!q.step()) return store_error(Errc::not_found, "no such blob");
    return static_cast<uint64_t>(q.int64(0));
  });
  if (size || size.error().code != static_cast<int>(Errc::not_found)) return size;
  return files_.stat(id);
}

Status SqliteBlobStore::remove(std::string_view id) { return files_.remove(id); }

Status store_blob_in_tx(Connection& db, const BlobStore& blobs, const BlobRef& blob) {
  if (!is_valid_blob_id(blob.id)) return store_error(Errc::invalid, "invalid blob id");
  if (blob.inline_data) {
    if (blob.inline_data->size() != blob.size) return store_error(Errc::invalid, "blob size mismatch");
    auto insert = db.prepare("INSERT INTO blob_data(id, data) VALUES (?, ?) ON CONFLICT(id) DO NOTHING");
    insert.bind(1, blob.id);
    insert.bind_blob(2, *blob.inline_data);
    insert.run();
    return {};
  }
  // Read through the write connection: a blob inserted earlier in this same transaction counts.
  auto q = db.query("SELECT length(data) FROM blob_data WHERE id = ?", blob.id);
  if (q.step()) {
    if (static_cast<uint64_t>(q.int64(0)) != blob.size) return store_error(Errc::invalid, "blob size mismatch");
    return {};
  }
  auto size = blobs.stat(blob.id);
  if (!size) {
    // Possible only if the blob was never stored, or its last message was expunged (and the file deleted) between
    // the caller's put and this commit: putting it again and retrying succeeds.
    return store_error(Errc::conflict, "blob is not stored: " + blob.id);
  }
  if (*size != blob.size) return store_error(Errc::invalid, "blob size mismatch");
  return {};
}

}  // namespace claret::store::sqlite
