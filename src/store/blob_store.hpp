// BlobStore: content-addressed message bodies (SHA-256, FIPS 180-4), one copy however many recipients (DESIGN.md §3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace claret::store {

struct BlobRef {
  std::string id;  // 64 lower-case hex digits: SHA-256 of the bytes
  uint64_t size = 0;
  bool operator==(const BlobRef&) const = default;
};

// An open blob for streaming and ranged reads (BODY[1.2]<0.1024> reads only those bytes). Move-only; closes on destruction.
class BlobReader {
 public:
  BlobReader() = default;
  BlobReader(int fd, uint64_t size) : fd_(fd), size_(size) {}
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
  uint64_t size_ = 0;
};

// Thread-safe. Blobs are immutable; deletion is decided by the metadata store's reference counts.
class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Durable when it returns (file and directory fsynced); a no-op write if the blob already exists.
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
