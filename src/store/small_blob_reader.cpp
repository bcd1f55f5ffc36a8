// read_small_blob: the store's own fast path when it has one, else open() and one read.
#include "store/small_blob_reader.hpp"

namespace claret::store {

Result<bool> read_small_blob(const BlobStore& blobs, std::string_view id, uint64_t max_bytes,
                             const std::function<void(std::string_view)>& use) {
  if (const auto* fast = dynamic_cast<const SmallBlobReader*>(&blobs)) return fast->visit_small(id, max_bytes, use);
  auto reader = blobs.open(id);
  if (!reader) return reader.error();
  if (reader->size() > max_bytes) return false;
  auto bytes = reader->read_at(0, reader->size());
  if (!bytes) return bytes.error();
  use(*bytes);
  return true;
}

Result<bool> append_small_blob(const BlobStore& blobs, std::string_view id, uint64_t max_bytes, std::string& out,
                               const std::function<void(std::string&, uint64_t)>& before) {
  if (const auto* fast = dynamic_cast<const SmallBlobReader*>(&blobs)) return fast->append_small(id, max_bytes, out, before);
  return read_small_blob(blobs, id, max_bytes, [&out, &before](std::string_view bytes) {
    before(out, bytes.size());
    out.append(bytes);
  });
}

}  // namespace claret::store
