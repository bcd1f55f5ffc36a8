// Fast path for reading a small blob whole (POP3 RETR): the bytes are handed to a callback instead of being copied
// out, so a store that keeps small blobs itself (SQLite's blob_data) passes its own row buffer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "store/blob_store.hpp"

namespace claret::store {

// Implemented by a BlobStore that can do better than open() + read_at() for small blobs.
class SmallBlobReader {
 public:
  virtual ~SmallBlobReader() = default;
  // As read_small_blob below.
  virtual Result<bool> visit_small(std::string_view id, uint64_t max_bytes,
                                   const std::function<void(std::string_view)>& use) const = 0;
  // As append_small_blob below.
  virtual Result<bool> append_small(std::string_view id, uint64_t max_bytes, std::string& out,
                                    const std::function<void(std::string&, uint64_t)>& before) const = 0;
};

// When the blob is at most `max_bytes`: calls `use` once with all of its bytes and returns true (the view is valid
// only during the call). Returns false without calling `use` for a larger blob: stream it with open(). Blocking.
Result<bool> read_small_blob(const BlobStore& blobs, std::string_view id, uint64_t max_bytes,
                             const std::function<void(std::string_view)>& use);

// When the blob is at most `max_bytes`: calls `before(out, size)` (e.g. to append a status line and reserve room),
// then appends the blob's bytes to `out` and returns true. Returns false with `out` untouched for a larger blob.
// A store that can copies the bytes straight into `out` (one copy: POP3 RETR sends `out` as it is). Blocking.
Result<bool> append_small_blob(const BlobStore& blobs, std::string_view id, uint64_t max_bytes, std::string& out,
                               const std::function<void(std::string&, uint64_t)>& before);

}  // namespace claret::store
