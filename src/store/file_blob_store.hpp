// FileBlobStore: BlobStore on a local file system, files under <root>/ab/cd/<sha256hex>.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "store/blob_store.hpp"

namespace claret::store {

// The blob id of these bytes: SHA-256, 64 lower-case hex digits.
std::string blob_id_of(std::string_view bytes);

// Writes go to <root>/tmp, are fsynced, renamed into place and the directory fsynced, so a crash leaves either no
// blob or a complete one. A blob never changes once named, so readers need no locks.
class FileBlobStore final : public BlobStore {
 public:
  // Creates <root> and <root>/tmp if needed and removes temporary files over an hour old (left by a crashed writer).
  static Result<std::unique_ptr<FileBlobStore>> create(const std::string& root);

  Result<BlobRef> put(std::string_view bytes) override;
  Result<BlobRef> put_from_fd(int fd) override;
  Result<std::string> read(std::string_view id) const override;
  Result<std::string> read_range(std::string_view id, uint64_t offset, uint64_t count) const override;
  Result<BlobReader> open(std::string_view id) const override;
  Result<uint64_t> stat(std::string_view id) const override;
  Status remove(std::string_view id) override;

  std::string path_of(std::string_view id) const;

  // Garbage collection of files that no metadata references (a crash between blob write and commit leaves them):
  // ids whose file was last written or re-put at least min_age_seconds ago, and removal that re-checks the age.
  // put() of an existing blob refreshes its mtime, so a blob being delivered is never "stale".
  std::vector<std::string> list_stale(int64_t min_age_seconds) const;
  bool remove_if_stale(std::string_view id, int64_t min_age_seconds);

 private:
  explicit FileBlobStore(std::string root) : root_(std::move(root)) {}
  // Moves a complete, fsynced temporary file into place under its hash (or drops it if the blob exists).
  Result<BlobRef> commit_temp(const std::string& tmp_path, const std::string& id, uint64_t size);
  std::string new_temp_path();
  // True if the blob exists with this size and its mtime could be refreshed.
  bool refresh_existing(const std::string& id, uint64_t size);  // unique per process and call

  std::string root_;
  std::atomic<uint64_t> temp_counter_{0};
};

}  // namespace claret::store
