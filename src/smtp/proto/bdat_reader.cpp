// BDAT chunk accumulator (RFC 3030 §2 BDAT semantics, §3 BINARYMIME).
#include "smtp/proto/bdat_reader.hpp"

#include <algorithm>

#include "smtp/proto/reply_codes.hpp"

namespace claret::smtp::proto {

BdatReader::BdatReader(ContentLimits limits) : scanner_(limits) {}

Status BdatReader::begin_chunk(std::uint64_t size, bool last) {
  if (last_) return Error{code::kBadSequence, "message already complete"};
  if (remaining_ != 0) return Error{code::kBadSequence, "previous chunk not complete"};
  remaining_ = size;
  last_ = last;
  if (message_complete()) scanner_.finish();  // "BDAT 0 LAST"
  return {};
}

std::size_t BdatReader::feed(std::string_view bytes) {
  if (remaining_ == 0) return 0;
  auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
  scanner_.append(bytes.substr(0, n));
  remaining_ -= n;
  if (message_complete()) scanner_.finish();
  return n;
}

}  // namespace claret::smtp::proto
