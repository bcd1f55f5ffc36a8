// BlobStore: content-addressed message bodies (SHA-256, FIPS 180-4), one copy however many recipients (DESIGN.md §3).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.hpp"

namespace claret::store {

struct BlobRef {
  BlobRef() = default;
  BlobRef(std::string id, uint64_t size, std::shared_ptr<const std::string> inline_data = {})
      : id(std::move(id)), size(size), inline_data(std::move(inline_data)) {}
  std::string id;  // 64 lower-case hex digits: SHA-256 of the bytes
  uint64_t size = 0;
  // Set by put() for a small blob the metadata store keeps itself: the bytes travel with the reference and are
  // written in the same transaction as the row that references them (one fsync for both, none for a file).
  std::shared_ptr<const std::string> inline_data;
  bool operator==(const BlobRef& o) const { return id == o.id && size == o.size; }
};

// An open blob for streaming and ranged reads (BODY[1.2]<0.1024> reads only those bytes). Move-only; closes on destruction.
class BlobReader {
 public:
  BlobReader() = default;
  BlobReader(int fd, uint64_t size) : fd_(fd), size_(size) {}
  // A blob kept in the metadata store, already in memory.
  explicit BlobReader(std::shared_ptr<const std::string> bytes) : bytes_(std::move(bytes)), size_(bytes_->size()) {}
  BlobReader(BlobReader&& other) noexcept;
  BlobReader& operator=(BlobReader&& other) noexcept;
  BlobReader(const BlobReader&) = delete;
  BlobReader& operator=(const BlobReader&) = delete;
  ~BlobReader();

  uint64_t size() const { return size_; }
  // Up to `count` bytes from `offset` (fewer at the end of the blob, none past it), read with pread.
  Result<std::string> read_at(uint64_t offset, uint64_t count) const;

 private:
  int fd_ = -1;
  std::shared_ptr<const std::string> bytes_;
  uint64_t size_ = 0;
};

// Thread-safe. Blobs are immutable; deletion is decided by the metadata store's reference counts.
class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // A file store: durable when it returns (file and directory fsynced); a no-op write if the blob already exists.
  // A store that keeps small blobs itself returns them in BlobRef::inline_data without writing anything: they
  // become durable with the transaction that commits the first reference to them.
  virtual Result<BlobRef> put(std::string_view bytes) = 0;
  // Streams from a file descriptor until EOF (large messages never sit in memory).
  virtual Result<BlobRef> put_from_fd(int fd) = 0;
  virtual Result<std::string> read(std::string_view id) const = 0;
  virtual Result<std::string> read_range(std::string_view id, uint64_t offset, uint64_t count) const = 0;
  virtual Result<BlobReader> open(std::string_view id) const = 0;
  // Size of a stored blob, or Errc::not_found.
  virtual Result<uint64_t> stat(std::string_view id) const = 0;
  // Removes the blob file; not_found is not an error. Only the metadata store calls this, after commit.
  virtual Status remove(std::string_view id) = 0;
};

// True for 64 lower-case hex digits: ids become file paths, so nothing else is accepted.
bool is_valid_blob_id(std::string_view id);

}  // namespace claret::store
